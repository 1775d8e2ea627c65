"""bench/adapter_lines.py reports issue #14's line targets from git history: what it counts
must be code, not the comments and docstrings the project asks for."""

from __future__ import annotations

import runpy
import subprocess
import sys

from tests.e2e.helpers import REPO

SCRIPT = REPO / "bench" / "adapter_lines.py"


def test_a_code_line_is_neither_a_comment_nor_a_docstring() -> None:
    code_lines = runpy.run_path(str(SCRIPT))["code_lines"]
    source = '''"""A module's docstring,
on two lines."""
# a comment

def f(x):
    """Why f."""
    text = """a string on
two lines, in code"""
    return x  # a comment after code


class C:
    async def g(self):
        """Why g."""
'''
    assert code_lines(source) == 6


def test_the_script_prints_every_adapter_against_both_trees() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for adapter in ("slack", "teams", "matrix", "chat"):
        assert f"{adapter}: " in done.stdout
    if "not in this clone" not in done.stdout:  # a shallow clone has no trees to compare
        for adapter in ("slack", "teams"):
            assert done.stdout.count(f"{adapter} against the tree when") == 2
    assert "target < 1200" in done.stdout

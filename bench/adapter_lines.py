"""Code lines of each chat adapter, against the trees issue #14 measures them from.

Issue #14's target is a share of "today's" platform code: Slack and Teams each at most 60%,
Matrix under 1,200 lines. Two trees stand for "today": the one the issue was filed against
(the end of the first round, whose sizes the issue quotes: Slack 3.3k lines, Teams 2.6k) and
the one just before the chat kit began, after two other issues had grown both adapters. Both
are read from git history, so the figures are reproducible from a clone.

A code line holds a token that is not a comment or a docstring: `wc -l` would count the
"why" the project asks every module to write, and reward deleting it.

    python bench/adapter_lines.py
"""

from __future__ import annotations

import ast
import io
import subprocess
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCES = {"the issue was filed (4261e0b)": "4261e0b", "the kit began (75f94af)": "75f94af"}
ADAPTERS = ("slack", "teams", "matrix", "chat")
SHARE = 0.60
MATRIX_MAX = 1_200
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def code_lines(source: str) -> int:
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, DOCUMENTED) and ast.get_docstring(node, clean=False) is not None:
            first = node.body[0]
            docstrings.update(range(first.lineno, (first.end_lineno or 0) + 1))
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - docstrings)


def sources(adapter: str, revision: str | None) -> list[str]:
    """The adapter's Python files in the working tree, or at `revision` in git history."""
    if revision is None:
        return [path.read_text("utf-8") for path in (REPO / "adapters" / adapter).glob("*.py")]
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", revision, f"adapters/{adapter}/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        subprocess.run(
            ["git", "show", f"{revision}:{name}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in names
        if name.endswith(".py")
    ]


def present(revision: str) -> bool:
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{revision}^{{commit}}"], cwd=REPO, capture_output=True
    )
    return found.returncode == 0


def total(adapter: str, revision: str | None = None) -> tuple[int, int]:
    """(code lines, all lines)."""
    texts = sources(adapter, revision)
    return sum(code_lines(text) for text in texts), sum(text.count("\n") for text in texts)


def main() -> None:
    now = {adapter: total(adapter) for adapter in ADAPTERS}
    for adapter in ADAPTERS:
        code, lines = now[adapter]
        print(f"{adapter}: {code} code lines ({lines} lines) now")
    for label, revision in REFERENCES.items():
        if not present(revision):
            print(f"the tree when {label} is not in this clone (shallow?): git fetch --unshallow")
            continue
        for adapter in ("slack", "teams"):
            before, _ = total(adapter, revision)
            ratio = now[adapter][0] / before
            verdict = "met" if ratio <= SHARE else "not met"
            print(
                f"{adapter} against the tree when {label}: {before} -> {now[adapter][0]} "
                f"code lines, {ratio:.0%} (target <= {SHARE:.0%}): {verdict}"
            )
    matrix = now["matrix"][1]
    verdict = "met" if matrix < MATRIX_MAX else "not met"
    print(f"matrix: {matrix} lines, renderer included (target < {MATRIX_MAX}): {verdict}")


if __name__ == "__main__":
    main()

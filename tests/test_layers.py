"""The core decides, the chat adapters translate (issue #14): no chat adapter reaches the
database, by import or through the application's store. What they need of it is a query or
command of `bot/` (visibility, listings, review notices, conversations), so that a rule lives
once and cannot drift between platforms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAT_ADAPTERS = sorted(
    p
    for p in (ROOT / "adapters").iterdir()
    if p.is_dir() and p.name not in ("console", "__pycache__")
)


def _modules() -> list[Path]:
    return sorted(f for folder in CHAT_ADAPTERS for f in folder.rglob("*.py"))


def _reaches_storage(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "storage"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "storage":
            found.append(str(node.module))
        elif isinstance(node, ast.Attribute) and node.attr == "store":
            found.append(f"….store (line {node.lineno})")
    return found


def test_the_chat_adapters_are_found() -> None:
    assert {"slack", "teams"} <= {p.name for p in CHAT_ADAPTERS}


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_chat_adapter_does_not_reach_the_database(module: Path) -> None:
    tree = ast.parse(module.read_text("utf-8"), str(module))
    assert _reaches_storage(tree) == []


def test_the_check_sees_an_import_and_a_store() -> None:
    source = "from storage.repository import X\nimport storage.keys\napp.store.reading()\n"
    assert len(_reaches_storage(ast.parse(source))) == 3

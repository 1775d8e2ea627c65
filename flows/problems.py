"""Problems found in a flow file, each pinned to a line so that an admin can fix it in an editor."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    severity: Severity
    message: str
    field: str = ""

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str) -> str:
        """`FILE:LINE: error|warning: message`; the severity word stays English (scripts
        match it), the message follows the reader's language."""
        from flows.translations import render

        label = "champ" if lang == "fr" else "field"
        where = f" ({label} {self.field})" if self.field else ""
        return f"{self.file}:{self.line}: {self.severity}: {render(self.message, lang)}{where}"


class FlowError(Exception):
    """A flow that cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def field_path(loc: Loc) -> str:
    """`sections[2].questions[0].label` reads better than a tuple in an error line."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(root: Any, loc: Loc) -> int:
    """The 1-based line of the deepest part of `loc` that exists in the parsed YAML."""
    comments = sys.modules.get("ruamel.yaml.comments")
    if comments is None:  # no YAML was read round-trip (a stored flow): no line to find
        return 1
    node, line = root, 1
    for part in loc:
        if isinstance(node, comments.CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif (
            isinstance(node, comments.CommentedSeq)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


class Reporter:
    """Collects problems against one parsed file."""

    def __init__(self, file: str, root: Any) -> None:
        self.file = file
        self.root = root
        self.problems: list[Problem] = []

    def error(self, loc: Loc, message: str) -> None:
        self._add("error", loc, message)

    def warning(self, loc: Loc, message: str) -> None:
        self._add("warning", loc, message)

    def _add(self, severity: Severity, loc: Loc, message: str) -> None:
        problem = Problem(self.file, line_of(self.root, loc), severity, message, field_path(loc))
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


SCHEMA_WORDS = {
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "string_type": "expected a text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}
"""Pydantic's usual mistakes in the checker's own words, which flows.translations renders in
French: pydantic writes English only ("Input should be a valid list")."""


def schema_message(item: Mapping[str, Any]) -> str:
    """The checker's message for one of pydantic's error items; a rare kind keeps pydantic's
    words, lower-cased."""
    kind, ctx, loc = item["type"], item.get("ctx") or {}, item["loc"]
    if kind == "missing":
        return f"missing field {loc[-1]!r}"
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r}"
    if kind in ("too_short", "string_too_short") and ctx.get("min_length") == 1:
        return f"expected a {'list' if kind == 'too_short' else 'text'} that is not empty"
    if kind == "too_short":
        return f"expected at least {ctx['min_length']} items"
    if kind in SCHEMA_WORDS:
        return SCHEMA_WORDS[kind]
    return item["msg"][0].lower() + item["msg"][1:]

"""Problems found in a flow file, each pinned to a line so that an admin can fix it in an editor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
    node, line = root, 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
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

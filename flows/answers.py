"""Validation of one answer against its question's type, with no coercion.

Errors carry a message code and parameters rather than text, so that every adapter can show
them in the person's language from the catalog in `bot.i18n`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from flows.compiled import CompiledQuestion
from flows.conditions import Answer, is_whole_number
from flows.model import SCALE_MAX, SCALE_MIN, TEXT_MAX_LENGTH, Choice


class AnswerError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def validate_answer(question: CompiledQuestion, value: Any, choices: Sequence[Choice]) -> Answer:
    """The answer as it will be recorded, or AnswerError saying what is wrong with it."""
    kind = question.spec.type
    if kind == "text":
        return _text(value)
    if kind == "scale":
        if not is_whole_number(value):
            raise AnswerError("scale_type", min=SCALE_MIN, max=SCALE_MAX)
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise AnswerError("scale_range", value=value, min=SCALE_MIN, max=SCALE_MAX)
        return value
    offered = {c.id: c for c in choices}
    if kind == "multi":
        return _multi(value, offered)
    if not isinstance(value, str):
        raise AnswerError("choice_type", choices=", ".join(offered))
    if value not in offered:
        raise AnswerError("not_a_choice", value=value, choices=", ".join(offered))
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError("text_type")
    text = value.strip()
    if not text:
        raise AnswerError("text_empty")
    if len(text) > TEXT_MAX_LENGTH:
        raise AnswerError("text_too_long", length=len(text), max=TEXT_MAX_LENGTH)
    if (control := control_character(text)) is not None:
        raise AnswerError("text_control", char=control)
    return text


def control_character(text: str) -> str | None:
    """The first control character of `text` other than a tab or a line break, as U+XXXX,
    or None. Such a character is never typed in a form: written to a terminal, ESC starts a
    sequence that can rewrite the screen, add a link or set the clipboard, in the terminal
    of whoever reads the report (an administrator, a reviewer)."""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
            return f"U+{ord(char):04X}"
    return None


def _multi(value: Any, offered: dict[str, Choice]) -> list[str]:
    """A single id means a list of one; exclusive choices stand alone."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise AnswerError("multi_type", choices=", ".join(offered))
    if not items:
        raise AnswerError("multi_empty", choices=", ".join(offered))
    for item in items:
        if item not in offered:
            raise AnswerError("not_a_choice", value=item, choices=", ".join(offered))
    if len(set(items)) != len(items):
        raise AnswerError("multi_duplicate")
    exclusive = [i for i in items if offered[i].exclusive]
    if exclusive and len(items) > 1:
        raise AnswerError("multi_exclusive", value=exclusive[0])
    return list(items)

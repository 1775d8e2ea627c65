"""A question's layout, decided once for every platform that draws one with inputs: which
input its type gets, which choices stand out as answered before (after going back), which
choices a hint names as excluding the others, and the navigation beside it. Slack's blocks
and Teams' cards draw this description in their own widgets (Matrix, which types, reads
only the input); what a widget can hold (Slack's check boxes stop at ten) stays theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.views import ChoiceView, QuestionView

EXPANDED_MAX = 5
"""Up to this many choices, each is on show (buttons, radio buttons, check boxes); above,
they are picked from a drop-down list."""
CHOICE_TYPES = ("yes_no", "yes_no_unknown", "single")


class Input(StrEnum):
    """What answers the question."""

    CHOICE = "choice"
    """One of the choices: a click on it is the answer."""
    SCALE = "scale"
    """One value of the scale, low to high: a click on it is the answer."""
    SEVERAL = "several"
    """Any of the choices, ticked, then submitted."""
    TEXT = "text"
    """Words, up to the question's length."""


@dataclass(frozen=True)
class Layout:
    input: Input
    expanded: bool
    """Every choice on show rather than in a drop-down list (always, for a scale)."""
    chosen: tuple[str, ...]
    """The choice ids (a scale's value as text) of the previous answer, which stand out."""
    exclusive: tuple[ChoiceView, ...]
    """Several answers: the choices that exclude the others, named in a hint."""
    navigation: tuple[str, ...]
    """The question's own clicks besides the answer, in order: why, back (when it can go
    back), cancel (`adapters.chat.clicks.ON_QUESTION`)."""


def layout(view: QuestionView) -> Layout:
    """The layout of `view`; a type no platform can draw is refused."""
    if view.type in CHOICE_TYPES:
        kind = Input.CHOICE
    elif view.type == "multi":
        kind = Input.SEVERAL
    elif view.type == "scale":
        kind = Input.SCALE
    elif view.type == "text":
        kind = Input.TEXT
    else:
        raise ValueError(f"no input for the question type {view.type!r}")
    several = kind is Input.SEVERAL
    return Layout(
        input=kind,
        expanded=kind is Input.SCALE or len(view.choices) <= EXPANDED_MAX,
        chosen=chosen(view, kind),
        exclusive=tuple(c for c in view.choices if c.exclusive) if several else (),
        navigation=("why", "back", "cancel") if view.can_go_back else ("why", "cancel"),
    )


def chosen(view: QuestionView, kind: Input) -> tuple[str, ...]:
    """The previous answer as the choices' ids, in the order given, or a scale's value as
    text; nothing for a text answer, or an answer of another shape than the input's."""
    previous = view.previous
    if kind is Input.SEVERAL and isinstance(previous, list):
        return tuple(str(item) for item in previous)
    if kind is Input.SCALE and isinstance(previous, int):
        return (str(previous),)
    if kind is Input.CHOICE and isinstance(previous, str):
        return (previous,)
    return ()

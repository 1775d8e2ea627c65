"""Where a turn's effects go, on a platform that draws questions and results as messages and
can edit the one that was clicked: which notices sit at the top of which message, what the
clicked message becomes (answered, abandoned, no longer current, or left as it is to be
corrected), whether the next question is the one already in front of the person, and the
words of a turn that draws nothing. Pure functions over the engine's effects and codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from adapters.chat.clicks import ON_QUESTION, Submit
from adapters.chat.messages import m
from bot import effects as fx

NO_LONGER_CURRENT = frozenset(
    {"stale_question", "stale_version", "triage_completed", "triage_cancelled"}
)
"""A click on a question answered with one of these: the message no longer asks anything."""


@dataclass(frozen=True)
class Notice:
    """A line from the engine (Info or Error) shown at the top of the message that follows."""

    text: str
    error: bool = False


@dataclass(frozen=True)
class Drawn:
    """One message to draw: a question (Ask) or a result (Show), its notices on top."""

    effect: fx.Ask | fx.Show
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Closed:
    """What the clicked message becomes: `text`, marked ✓ when it was answered."""

    text: str
    triage_id: str
    mark: str = ""


@dataclass
class Placement:
    """The messages to send, in order (drawn, or plain text), and the clicked one's fate."""

    messages: list[Drawn | str] = field(default_factory=list)
    closed: Closed | None = None


def place(
    effects: Sequence[fx.Effect], clicked: Submit | None, lang: str, editable: bool
) -> Placement:
    """As few messages as possible: notices go at the top of the message that follows them.
    `editable`: the clicked message can be replaced; otherwise an answer's summary is said
    first, in words."""
    placed = Placement()
    notices: list[Notice] = []
    frozen = next((e for e in effects if isinstance(e, fx.Freeze)), None)
    placed.closed = closed(effects, frozen, clicked, lang)
    for effect in effects:
        if isinstance(effect, fx.Info | fx.Error):
            notices.append(Notice(effect.text, error=isinstance(effect, fx.Error)))
        elif isinstance(effect, fx.Ask | fx.Show):
            if isinstance(effect, fx.Ask) and placed.closed is None and same(effect, clicked):
                continue  # the person is looking at this very question: notices suffice
            placed.messages.append(Drawn(effect, tuple(notices)))
            notices = []
    if notices:
        placed.messages.append("\n\n".join(n.text for n in notices))
    if placed.closed is not None and not editable and frozen is not None:
        placed.messages.insert(0, f"✓ {frozen.summary}")
        placed.closed = None
    return placed


def closed(
    effects: Sequence[fx.Effect], frozen: fx.Freeze | None, clicked: Submit | None, lang: str
) -> Closed | None:
    """What the clicked message becomes, or None to leave it as it is (an invalid answer can
    be corrected on the same message), from the codes of the engine's effects."""
    if frozen is not None:
        return Closed(frozen.summary, frozen.triage_id, "✓")
    if clicked is None:
        return None
    happened = fx.codes(effects)
    asked = [e.question for e in effects if isinstance(e, fx.Ask)]
    if clicked.action == "back" and asked and asked[0].question_id != clicked.question_id:
        return Closed(m("went_back", lang), clicked.triage_id)
    if clicked.action == "cancel" and "cancelled" in happened:
        return Closed(m("card_cancelled", lang, id=clicked.triage_id), clicked.triage_id)
    if happened & NO_LONGER_CURRENT:
        return Closed(m("no_longer_current", lang), clicked.triage_id)
    return None


def same(effect: fx.Ask, clicked: Submit | None) -> bool:
    return (
        clicked is not None
        and clicked.action in ON_QUESTION
        and effect.question.triage_id == clicked.triage_id
        and effect.question.question_id == clicked.question_id
    )


def said(effects: Sequence[fx.Effect]) -> str:
    """The words of a turn that draws nothing."""
    return "\n\n".join(e.text for e in effects if isinstance(e, fx.Info | fx.Error))

"""Where a turn's effects go, on a platform that draws questions and results as messages and
can edit the one that was clicked: which notices sit at the top of which message, what the
clicked message becomes (answered, abandoned, no longer current, or left as it is to be
corrected), whether the next question is the one already in front of the person, and the
words of a turn that draws nothing. Pure functions over the engine's effects and codes.

Two placements: `place`, where every notice is seen by the whole conversation (Teams,
Matrix), and `aside`, where a notice can be shown to the person who acted alone (Slack's
ephemeral messages)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from adapters.chat.clicks import ON_QUESTION, Submit
from adapters.chat.messages import m
from bot import effects as fx
from bot import events as ev
from bot.views import QuestionView

NO_LONGER_CURRENT = frozenset(
    {"stale_question", "stale_version", "triage_completed", "triage_cancelled"}
)
"""A click on a question answered with one of these: the message no longer asks anything."""
ANSWERING = ("answer", "back")
"""The clicks that change a triage's answers: the ones a refusal can leave unanswered."""
ANSWERED, WENT_BACK, CANCELLED, NOT_CURRENT = "answered", "went_back", "cancelled", "not_current"


@dataclass(frozen=True)
class Notice:
    """A line from the engine (Info or Error) shown at the top of the message that follows,
    or on its own (`aside`)."""

    text: str
    error: bool = False
    current: QuestionView | None = None
    """`aside`: the question still current, named in a refused click's notice."""


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
    reason: str = ""
    """Why: ANSWERED, WENT_BACK, CANCELLED or NOT_CURRENT, for a platform with its own words."""


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
        return Closed(frozen.summary, frozen.triage_id, "✓", ANSWERED)
    if clicked is None:
        return None
    happened = fx.codes(effects)
    asked = [e.question for e in effects if isinstance(e, fx.Ask)]
    triage_id = clicked.triage_id
    if clicked.action == "cancel" and "cancelled" in happened:
        return Closed(m("card_cancelled", lang, id=triage_id), triage_id, reason=CANCELLED)
    if happened & NO_LONGER_CURRENT:  # before a step back: one refused as stale did not go
        return Closed(m("no_longer_current", lang), triage_id, reason=NOT_CURRENT)
    if clicked.action == "back" and asked and asked[0].question_id != clicked.question_id:
        return Closed(m("went_back", lang), triage_id, reason=WENT_BACK)
    return None


@dataclass
class Aside:
    """`aside`'s messages to send, in order (drawn, or a notice on its own), and the clicked
    one's fate."""

    messages: list[Drawn | Notice] = field(default_factory=list)
    closed: Closed | None = None


def aside(
    effects: Sequence[fx.Effect], clicked: Submit | None, refused: bool, editable: bool, lang: str
) -> Aside:
    """Where a platform that can show a notice to the person who acted alone places a turn:
    each notice on its own, in order, between the questions and results. `refused`: the
    engine did not do what was asked. An answer or a step back refused leaves its question
    as it is, and its notices name the question still current rather than ask it again (a
    notice seen by one person alone cannot be frozen once answered, so it holds no
    question). A cancel clicked on a question that can be edited replaces it with the
    engine's words, said nowhere else."""
    placed = Aside()
    refused = refused and clicked is not None and clicked.action in ANSWERING
    current = next((e.question for e in effects if isinstance(e, fx.Ask)), None)
    cancelling = clicked is not None and clicked.action == "cancel" and editable
    for effect in effects:
        if isinstance(effect, fx.Freeze):
            placed.closed = Closed(effect.summary, effect.triage_id, "✓", ANSWERED)
        elif isinstance(effect, fx.Ask) and refused:
            continue
        elif isinstance(effect, fx.Ask | fx.Show):
            if isinstance(effect, fx.Ask) and clicked is not None and clicked.action == "back":
                placed.closed = Closed(m("went_back", lang), clicked.triage_id, reason=WENT_BACK)
            placed.messages.append(Drawn(effect))
        elif isinstance(effect, fx.Info) and cancelling and clicked is not None:
            placed.closed = Closed(effect.text, clicked.triage_id, reason=CANCELLED)
        elif isinstance(effect, fx.Info):
            placed.messages.append(Notice(effect.text, current=current if refused else None))
        elif isinstance(effect, fx.Error):
            placed.messages.append(Notice(effect.text, error=True))
    return placed


def clicked_by(event: ev.Event) -> Submit | None:
    """The click on a question an engine event stands for, for a platform that reads its
    clicks into events itself."""
    if isinstance(event, ev.Answer):
        return Submit("answer", event.triage_id, event.question_id, event.flow_version)
    if isinstance(event, ev.Back | ev.Why):
        action = "back" if isinstance(event, ev.Back) else "why"
        return Submit(action, event.triage_id, event.question_id or "")
    if isinstance(event, ev.Cancel):
        return Submit("cancel", event.triage_id)
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

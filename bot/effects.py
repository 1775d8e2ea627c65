"""What a turn asks the adapter to show; adapters render these and nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import t
from bot.views import QuestionView, ResultView


@dataclass(frozen=True)
class Ask:
    question: QuestionView


@dataclass(frozen=True)
class Show:
    result: ResultView


@dataclass(frozen=True)
class Info:
    text: str
    code: str = field(default="", compare=False)
    """What happened, for adapters to act on (the catalog key of the text, or a code such as
    `review_decided`): they never compare the words, which depend on the language."""


@dataclass(frozen=True)
class Freeze:
    """The previous question's message can lose its inputs and show the answer given."""

    triage_id: str
    question_id: str
    summary: str


@dataclass(frozen=True)
class Error:
    text: str
    code: str = field(default="", compare=False)


def info(key: str, lang: str, **params: Any) -> Info:
    return Info(t(key, lang, **params), key)


def error(key: str, lang: str, **params: Any) -> Error:
    return Error(t(key, lang, **params), key)


def codes(effects: Iterable[Effect]) -> set[str]:
    return {e.code for e in effects if isinstance(e, (Info, Error)) and e.code}


Effect = Ask | Show | Info | Freeze | Error


DONE = "done"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
REFUSED = "refused"


@dataclass(frozen=True)
class TurnResult:
    """What a turn came to, told by the engine that knows it rather than guessed by adapters
    from the effects: `done`, or ended without its normal effects and without a write —
    `duplicate` (a retry of a turn already run), `conflict` (another turn changed the triage
    first), `refused` (an invalid, stale or unauthorised request, said in the effects; an
    unauthorised one keeps the audit row of its attempt, and nothing else)."""

    status: str
    triage_id: str
    """The triage the turn concerned, or started; "" when none."""
    effects: list[Effect]


class Refusal(Exception):
    """Ends a turn with these effects and no write: the turn's transaction rolls back."""

    def __init__(self, *effects: Effect) -> None:
        super().__init__(effects)
        self.effects = list(effects)

"""What a turn asks the adapter to show; adapters render these and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Freeze:
    """The previous question's message can lose its inputs and show the answer given."""

    triage_id: str
    question_id: str
    summary: str


@dataclass(frozen=True)
class Error:
    text: str


Effect = Ask | Show | Info | Freeze | Error


class Refusal(Exception):
    """Ends a turn with these effects and no write: the turn's transaction rolls back."""

    def __init__(self, *effects: Effect) -> None:
        super().__init__(effects)
        self.effects = list(effects)

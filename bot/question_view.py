"""The view of one question, apart from the rest of bot.views: a terminal draws a question
from it before the flow machinery (bot.views imports flows.compiled) is loaded, so that the
first question of a triage is on screen sooner (adapters.console.first_question)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.conditions import Answer


@dataclass(frozen=True)
class ChoiceView:
    id: str
    label: str
    exclusive: bool


@dataclass(frozen=True)
class QuestionView:
    triage_id: str
    flow_version: int
    question_id: str
    type: str
    label: str
    section_id: str
    section_title: str
    progress: str
    number: int
    choices: tuple[ChoiceView, ...]
    scale: tuple[int, int]
    max_length: int
    can_go_back: bool
    previous: Answer | None = None


def previous_text(view: QuestionView) -> str:
    """A previous answer as a person reads it (labels, not ids), shown when a question comes
    back: after "back", on resuming, or asked again by a re-triage."""
    labels = {c.id: c.label for c in view.choices}
    previous = view.previous
    if isinstance(previous, list):
        return ", ".join(labels.get(str(p), str(p)) for p in previous)
    return labels.get(str(previous), str(previous))

"""Pydantic schema of a flow file: the shapes a file must have to be read at all.

Only a flow file being checked (or a stored version the disk cache does not vouch for,
flows.flow_cache) is validated here; what runs is `flows.model`'s plain dataclasses, built
from the validated document, so that a triage does not import pydantic's model machinery
(about 100 ms of CPU, bench/startup.py). Class names are those of `flows.model`: pydantic
quotes them in its rarer messages.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.model import AnswerType, Effect, Identifier, LocalizedText, Outcome


class _Strict(BaseModel):
    """Unknown keys are typos in a hand-edited file, so they are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    id: Identifier = Field(min_length=1)
    label: LocalizedText
    exclusive: bool = False


class Question(_Strict):
    id: Identifier = Field(min_length=1)
    type: AnswerType
    label: LocalizedText
    why: LocalizedText
    reference: LocalizedText
    gate: bool = False
    ask_if: Any = None
    choices: list[Choice] | None = None
    choices_from: Literal["directory"] | None = None


class Rule(_Strict):
    id: Identifier = Field(min_length=1)
    when: Any
    effect: Effect
    explanation: LocalizedText
    reference: LocalizedText
    condition: LocalizedText | None = None


class Section(_Strict):
    id: Identifier = Field(min_length=1)
    title: LocalizedText
    progress: LocalizedText
    questions: list[Question] = []
    rules: list[Rule] = []


class StandardCondition(_Strict):
    id: Identifier = Field(min_length=1)
    when: Any = None
    text: LocalizedText


class OutcomeText(_Strict):
    label: LocalizedText
    description: LocalizedText


class FlowFile(_Strict):
    flow: Identifier = Field(min_length=1)
    title: LocalizedText
    locales: list[str] = Field(min_length=1)
    unknown_choice: Literal["nsp"] = "nsp"
    outcomes: dict[Outcome, OutcomeText]
    sections: list[Section] = Field(min_length=1)
    standard_conditions: list[StandardCondition] = []

"""Pydantic schema of a flow file.

The schema only checks shapes; everything that needs the whole flow (references, translations,
condition types, graph properties) is checked in `flows.checks`, so that each problem can be
reported once with its line instead of as a cascade of validation errors.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Identifier = str
LocalizedText = dict[str, str]
AnswerType = Literal["yes_no", "yes_no_unknown", "single", "multi", "text", "scale"]
Effect = Literal["incompatible", "full_review", "condition"]
Outcome = Literal["light_track", "full_review", "incompatible"]

OUTCOMES: tuple[Outcome, ...] = ("light_track", "full_review", "incompatible")
"""Weakest first: the result of a triage is the strongest outcome among its fired rules."""

SCALE_MIN = 1
SCALE_MAX = 5
TEXT_MAX_LENGTH = 2000


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


YES = Choice(id="oui", label={"fr": "Oui", "en": "Yes"})
NO = Choice(id="non", label={"fr": "Non", "en": "No"})
UNKNOWN = Choice(id="nsp", label={"fr": "Je ne sais pas", "en": "I don't know"}, exclusive=True)


def implicit_choices(answer_type: AnswerType) -> tuple[Choice, ...]:
    """yes_no questions carry their choices in their type, so flow files need not repeat them."""
    if answer_type == "yes_no":
        return (YES, NO)
    if answer_type == "yes_no_unknown":
        return (YES, NO, UNKNOWN)
    return ()

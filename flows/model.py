"""A flow as it runs: plain frozen dataclasses, built from a document the schema accepted.

The shapes of a flow file are checked by its pydantic schema (`flows.schema`); everything that
needs the whole flow (references, translations, condition types, graph properties) is checked
in `flows.checks`, so that each problem can be reported once with its line instead of as a
cascade of validation errors. Running a published version needs neither pydantic nor its
import (about 100 ms of CPU per start of a terminal triage, bench/startup.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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


@dataclass(frozen=True)
class Choice:
    id: Identifier
    label: LocalizedText
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    id: Identifier
    type: AnswerType
    label: LocalizedText
    why: LocalizedText
    reference: LocalizedText
    gate: bool = False
    ask_if: Any = None
    choices: list[Choice] | None = None
    choices_from: Literal["directory"] | None = None


@dataclass(frozen=True)
class Rule:
    id: Identifier
    when: Any
    effect: Effect
    explanation: LocalizedText
    reference: LocalizedText
    condition: LocalizedText | None = None


@dataclass(frozen=True)
class Section:
    id: Identifier
    title: LocalizedText
    progress: LocalizedText
    questions: list[Question] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class StandardCondition:
    id: Identifier
    text: LocalizedText
    when: Any = None


@dataclass(frozen=True)
class OutcomeText:
    label: LocalizedText
    description: LocalizedText


@dataclass(frozen=True)
class FlowFile:
    flow: Identifier
    title: LocalizedText
    locales: list[str]
    outcomes: dict[Outcome, OutcomeText]
    sections: list[Section]
    unknown_choice: Literal["nsp"] = "nsp"
    standard_conditions: list[StandardCondition] = field(default_factory=list)


def flow_from_document(data: dict[str, Any]) -> FlowFile:
    """The flow of a document in the schema's shape, defaults filled in where a field is left
    out; a KeyError or TypeError where the document has not that shape. Types are not
    checked here: the schema checked them (`flows.schema`), or the disk cache says that it
    accepted this very document unchanged (`flows.flow_cache`)."""
    return FlowFile(
        flow=data["flow"],
        title=data["title"],
        locales=list(data["locales"]),
        outcomes={key: OutcomeText(**text) for key, text in data["outcomes"].items()},
        sections=[_section(section) for section in data["sections"]],
        unknown_choice=data.get("unknown_choice", "nsp"),
        standard_conditions=[StandardCondition(**c) for c in data.get("standard_conditions", [])],
    )


def _section(data: dict[str, Any]) -> Section:
    return Section(
        **{
            **data,
            "questions": [_question(question) for question in data.get("questions", [])],
            "rules": [Rule(**rule) for rule in data.get("rules", [])],
        }
    )


def _question(data: dict[str, Any]) -> Question:
    choices = data.get("choices")
    listed = None if choices is None else [Choice(**choice) for choice in choices]
    return Question(**{**data, "choices": listed})


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

"""Platform-neutral views of a question and of a result, already in the reader's language.

Adapters draw these (terminal, Block Kit, Adaptive Cards) without knowing anything of flows
or rules; `ResultView.document()` is the JSON of `bot/triage-result.schema.json`, shipped
with the package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.i18n import pick, t
from bot.question_view import ChoiceView, QuestionView
from bot.question_view import previous_text as previous_text  # where adapters import it
from flows.compiled import CompiledFlow, CompiledQuestion
from flows.conditions import Answer
from flows.evaluation import Evaluation
from flows.model import SCALE_MAX, SCALE_MIN, TEXT_MAX_LENGTH, Choice


@dataclass(frozen=True)
class RuleView:
    id: str
    criterion: str
    effect: str
    explanation: str
    reference: str
    because: dict[str, Answer]
    because_rows: tuple[AnswerRowView, ...] = ()
    """The same answers as a person reads them (question label, choice labels), for every
    channel; `because` keeps the ids for the JSON contract."""


@dataclass(frozen=True)
class ConditionView:
    id: str
    text: str


@dataclass(frozen=True)
class BlockingPointView:
    question: str
    text: str
    may_be_incompatible: bool
    rules: tuple[str, ...]


@dataclass(frozen=True)
class AnswerRowView:
    question: str
    label: str
    answer: str
    section: str = ""
    """The title of the question's section: chat forms group the answers by it."""


@dataclass(frozen=True)
class ChangesView:
    """What a re-triage changed: the previous orientation and the rules gained and lost."""

    outcome_before: str
    rules_gained: tuple[str, ...]
    rules_lost: tuple[str, ...]


@dataclass(frozen=True)
class NotifiedView:
    """Who was told of a flagged triage, by role and count (never platform ids): the
    department's reviewers, the default reviewers, the admins in their stead, or nobody."""

    to: str
    department_id: str
    department: str
    count: int
    text: str


@dataclass(frozen=True)
class ResultView:
    triage_id: str
    flow_id: str
    flow_version: int
    flow_sha256: str
    lang: str
    outcome: str
    outcome_label: str
    outcome_description: str
    rules: tuple[RuleView, ...]
    conditions: tuple[ConditionView, ...]
    blocking_points: tuple[BlockingPointView, ...]
    answers: dict[str, Answer]
    ignored: tuple[str, ...]
    answer_rows: tuple[AnswerRowView, ...] = ()
    changes: ChangesView | None = None
    notified: NotifiedView | None = None

    def document(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.notified is not None:
            extra["notified"] = {
                "to": self.notified.to,
                "department": self.notified.department_id,
                "count": self.notified.count,
                "text": self.notified.text,
            }
        if self.changes is not None:
            extra["changes"] = {
                "outcome_before": self.changes.outcome_before,
                "rules_gained": list(self.changes.rules_gained),
                "rules_lost": list(self.changes.rules_lost),
            }
        return extra | {
            "triage_id": self.triage_id,
            "flow": {"id": self.flow_id, "version": self.flow_version, "sha256": self.flow_sha256},
            "lang": self.lang,
            "outcome": self.outcome,
            "rules": [
                {
                    "id": r.id,
                    "criterion": r.criterion,
                    "effect": r.effect,
                    "explanation": r.explanation,
                    "reference": r.reference,
                    "because": r.because,
                }
                for r in self.rules
            ],
            "conditions": [{"id": c.id, "text": c.text} for c in self.conditions],
            "blocking_points": [
                {
                    "question": b.question,
                    "text": b.text,
                    "may_be_incompatible": b.may_be_incompatible,
                    "rules": list(b.rules),
                }
                for b in self.blocking_points
            ],
            "answers": self.answers,
            "ignored": list(self.ignored),
        }


def question_view(
    triage_id: str,
    flow: CompiledFlow,
    version: int,
    question: CompiledQuestion,
    choices: Sequence[Choice],
    number: int,
    lang: str,
    previous: Answer | None = None,
) -> QuestionView:
    section = question.section
    progress = t("progress", lang, section=pick(section.progress, lang), number=number)
    return QuestionView(
        triage_id=triage_id,
        flow_version=version,
        question_id=question.id,
        type=question.spec.type,
        label=pick(question.spec.label, lang),
        section_id=section.id,
        section_title=pick(section.title, lang),
        progress=progress,
        number=number,
        choices=tuple(ChoiceView(c.id, pick(c.label, lang), c.exclusive) for c in choices),
        scale=(SCALE_MIN, SCALE_MAX),
        max_length=TEXT_MAX_LENGTH,
        can_go_back=number > 1,
        previous=previous,
    )


def notified_view(
    to: str, department_id: str, department: str, count: int, triage_id: str, lang: str
) -> NotifiedView:
    text = t(f"notified_{to}", lang, department=department, count=count, id=triage_id)
    return NotifiedView(to, department_id, department, count, text)


def why_text(question: CompiledQuestion, lang: str) -> str:
    reference = pick(question.spec.reference, lang)
    text = t(
        "why",
        lang,
        section=pick(question.section.title, lang),
        why=pick(question.spec.why, lang),
        reference=reference,
    )
    legend = reference_legend([reference], lang)
    return f"{text}\n{legend}" if legend else text


REFERENCE_TAGS = ("N", "N-int", "L", "BP")
_TAG = re.compile(r"\[(N-int|N|L|BP)\]")


def reference_legend(references: Iterable[str], lang: str) -> str:
    """What the source tags of these references stand for, each once, or "" when none is
    used: a reader meets `[N-int]` where it appears, not in the grid's preamble."""
    found = {tag for text in references for tag in _TAG.findall(text)}
    tags = [t(f"reference_tag_{tag}", lang) for tag in REFERENCE_TAGS if tag in found]
    return t("reference_legend", lang, tags=t("list_separator", lang).join(tags)) if tags else ""


def answer_text(answer: Answer, choices: Sequence[Choice], lang: str) -> str:
    """An answer as a person reads it: choice labels rather than ids."""
    labels = {c.id: pick(c.label, lang) for c in choices}
    if isinstance(answer, list):
        return ", ".join(labels.get(a, a) for a in answer)
    if isinstance(answer, str):
        return labels.get(answer, answer)
    return str(answer)


def result_view(
    triage_id: str,
    flow: CompiledFlow,
    version: int,
    evaluation: Evaluation,
    answers: Mapping[str, Answer],
    ignored: Sequence[str],
    lang: str,
    choices: Callable[[CompiledQuestion], Sequence[Choice]],
) -> ResultView:
    outcome_text = flow.spec.outcomes[evaluation.outcome]

    def row(question: str, answer: Answer) -> AnswerRowView:
        spec = flow.by_id[question]
        label = pick(spec.spec.label, lang)
        return AnswerRowView(
            question,
            label,
            answer_text(answer, choices(spec), lang),
            pick(spec.section.title, lang),
        )

    conditions = [
        ConditionView(f.rule.id, pick(f.rule.spec.condition or f.rule.spec.explanation, lang))
        for f in evaluation.condition_rules
    ]
    conditions += [
        ConditionView(c.spec.id, pick(c.spec.text, lang)) for c in evaluation.standard_conditions
    ]
    return ResultView(
        triage_id=triage_id,
        flow_id=flow.id,
        flow_version=version,
        flow_sha256=flow.sha256,
        lang=lang,
        outcome=evaluation.outcome,
        outcome_label=pick(outcome_text.label, lang),
        outcome_description=pick(outcome_text.description, lang),
        rules=tuple(
            RuleView(
                id=f.rule.id,
                criterion=f.rule.section.id,
                effect=f.rule.spec.effect,
                explanation=pick(f.rule.spec.explanation, lang),
                reference=pick(f.rule.spec.reference, lang),
                because=f.because,
                because_rows=tuple(row(q, a) for q, a in f.because.items()),
            )
            for f in evaluation.fired
        ),
        conditions=tuple(conditions),
        blocking_points=tuple(
            BlockingPointView(
                question=b.question.id,
                text=t("blocking_point", lang, label=pick(b.question.spec.label, lang)),
                may_be_incompatible=b.may_be_incompatible,
                rules=b.incompatible_rules,
            )
            for b in evaluation.blocking_points
        ),
        answers=dict(answers),
        ignored=tuple(ignored),
        answer_rows=tuple(row(q, a) for q, a in answers.items()),
    )

"""A triage's answers read back against its own flow version, or refused by name.

Storage checks that an answer is of a kind Boussole records (`storage.integrity`); whether
it fits its question (a choice the question offers, a scale within its bounds, a question
the version asks) only the flow can say. An answer that does not fit was not written by
Boussole: read as is, it made the evaluation fail with a Python error, or slipped into a
report as an answer nobody could have given.
"""

from __future__ import annotations

from typing import Any

from bot.versions import FlowCatalog
from flows.answers import AnswerError, validate_answer
from flows.compiled import END, CompiledFlow, CompiledQuestion
from storage.integrity import TRIAGE, UnreadableRecord
from storage.repository import Transaction
from storage.triages import TriageRecord, TriageState

Triage = TriageRecord | TriageState


def fitting(flow: CompiledFlow, record: Triage, answers: dict[str, Any]) -> dict[str, Any]:
    """The triage's answers, each checked against its question as when it was given, and
    the question it waits on one of its version's."""
    current = record.current_question
    if current is not None and current != END and current not in flow.by_id:
        raise UnreadableRecord(TRIAGE, record.id, "current_question", current)
    for question_id, value in answers.items():
        question = flow.by_id.get(question_id)
        if question is None:
            raise UnreadableRecord(TRIAGE, record.id, "answers.question_id", question_id)
        try:
            _check(question, value)
        except AnswerError:
            raise UnreadableRecord(TRIAGE, record.id, f"answers[{question_id}]", value) from None
    return answers


def _check(question: CompiledQuestion, value: Any) -> None:
    """The choices of a directory question are today's directory's, which may have changed
    since the answer: only its kind is checked."""
    if question.spec.choices_from != "directory":
        validate_answer(question, value, question.choices)
    elif not isinstance(value, str) or not value:
        raise AnswerError("choice_type", choices="")


def flow_and_answers(
    catalog: FlowCatalog, tx: Transaction, record: Triage
) -> tuple[CompiledFlow, dict[str, Any]]:
    """The triage's own flow version and its answers, checked against it."""
    flow = catalog.get(tx, record.flow_version_id).flow
    return flow, fitting(flow, record, tx.answers(record.id))

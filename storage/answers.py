"""Answers: one row per question answered, in the order of the path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from storage import turn_sql
from storage.base import Repository
from storage.integrity import TRIAGE, UnreadableRecord, checked_answer, readable_rows
from storage.models import AnswerRow

answers_table = AnswerRow.__table__


class AnswerRepository(Repository):
    def answers(self, triage_id: str) -> dict[str, Any]:
        """The answers in the order they were given, which is the order of the path."""
        rows = self._run(turn_sql.ANSWERS, id=triage_id)
        return {
            question: checked_answer(triage_id, question, self._value(triage_id, question, value))
            for question, value in rows
        }

    def _value(self, triage_id: str, question: str, value: Any) -> Any:
        try:
            return self.turn.json_out(value)
        except ValueError:  # SQLite keeps whatever text was put in the column
            raise UnreadableRecord(TRIAGE, triage_id, f"answers[{question}]", value) from None

    def first_answers(self, triage_ids: list[str]) -> dict[str, Any]:
        """The first answer of each triage: the project's name in the bundled flow."""
        if not triage_ids:
            return {}
        rows = self.connection.execute(
            select(
                answers_table.c.triage_id, answers_table.c.question_id, answers_table.c.value
            ).where(answers_table.c.triage_id.in_(triage_ids), answers_table.c.position == 0)
        )
        return {
            triage_id: checked_answer(triage_id, question, value)
            for triage_id, question, value in readable_rows(rows, TRIAGE, "")
        }

    def add_answer(self, triage_id: str, question_id: str, position: int, value: Any) -> None:
        self._write(
            turn_sql.ADD_ANSWER,
            triage_id=triage_id,
            question_id=question_id,
            position=position,
            value=self.turn.json_in(value),
            at=self._stamp(),
        )

    def remove_answers(self, triage_id: str, question_ids: list[str]) -> None:
        self.connection.execute(
            delete(answers_table).where(
                answers_table.c.triage_id == triage_id,
                answers_table.c.question_id.in_(question_ids),
            )
        )

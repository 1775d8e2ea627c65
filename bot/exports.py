"""The register the public reads: one row per finished triage.

The register follows the fields of a public algorithm inventory entry and carries no
personal data: no agent, no reviewer, only the project's own description.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from bot.csv_cells import inert
from bot.views import ResultView

REGISTER_COLUMNS = (
    "triage_id",
    "project",
    "department",
    "purpose",
    "technology",
    "hosting",
    "orientation",
    "human_decision",
    "flow_version",
    "started_at",
    "completed_at",
    "revises",
    "revised_by",
)
"""Documented in docs/exports.md and docs/register.schema.json."""

REGISTER_QUESTIONS = {
    "project": "P1",
    "department": "P2",
    "purpose": "P3",
    "technology": "C5-Q1",
    "hosting": "C2-Q5",
}


@dataclass(frozen=True)
class RegisterRow:
    values: dict[str, str | int | None]


def register_row(
    view: ResultView,
    started_at: datetime,
    completed_at: datetime | None,
    decision: str | None,
    revises: str | None = None,
    revised_by: list[str] | None = None,
) -> RegisterRow:
    """One finished triage; a re-triage and the one it re-does name each other (ids, space
    separated when a triage was re-done more than once), since both stay in the register."""
    answers = {row.question: row.answer for row in view.answer_rows}
    values: dict[str, str | int | None] = {
        field: answers.get(question, "") for field, question in REGISTER_QUESTIONS.items()
    }
    values.update(
        triage_id=view.triage_id,
        orientation=view.outcome,
        human_decision=decision or "",
        flow_version=view.flow_version,
        started_at=started_at.isoformat(timespec="seconds"),
        completed_at=completed_at.isoformat(timespec="seconds") if completed_at else "",
        revises=revises or "",
        revised_by=" ".join(revised_by or ()),
    )
    return RegisterRow(values)


def register_csv(rows: list[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: inert(value) for key, value in row.values.items()})
    return out.getvalue()

"""The facts every report format shares: its header and each rule's "because" lines.

Markdown, HTML, PDF and JSON draw from these two functions so that a committee reading any of
them sees the same project, the same decision and the same reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.i18n import t
from bot.views import ResultView, RuleView
from storage.repository import ReviewRecord, TriageRecord

PROJECT_QUESTION = "P1"
DEPARTMENT_QUESTION = "P2"


@dataclass(frozen=True)
class Decision:
    kind: str
    outcome: str
    decided_at: datetime


@dataclass(frozen=True)
class ReportHeader:
    project: str
    department: str
    date: datetime
    triage_id: str
    flow_version: int
    decision: Decision | None
    revises: str | None = None
    revised_by: tuple[str, ...] = ()
    """The lineage of re-triages: a committee holding either report can find the other."""

    def rows(self, lang: str) -> list[tuple[str, str]]:
        """Label and value pairs, in the order a reader looks for them."""
        rows = [
            (t("report_project", lang), self.project),
            (t("report_department", lang), self.department),
            (t("report_date", lang), self.date.strftime("%Y-%m-%d")),
            (t("report_triage", lang), self.triage_id),
            (t("report_flow_version", lang), str(self.flow_version)),
        ]
        if self.revises is not None:
            rows.append((t("report_revises", lang), self.revises))
        if self.revised_by:
            rows.append((t("report_revised_by", lang), ", ".join(self.revised_by)))
        if self.decision is not None:
            decision = self.decision
            text = t(
                f"report_decision_{decision.kind}",
                lang,
                outcome=t(f"outcome_{decision.outcome}", lang),
                date=decision.decided_at.strftime("%Y-%m-%d"),
            )
            rows.append((t("report_decision", lang), text))
        return rows

    def document(self) -> dict[str, Any]:
        decision = self.decision
        return {
            "project": self.project,
            "department": self.department,
            "date": self.date.isoformat(timespec="seconds"),
            "triage_id": self.triage_id,
            "flow_version": self.flow_version,
            "revises": self.revises,
            "revised_by": list(self.revised_by),
            "decision": None
            if decision is None
            else {
                "kind": decision.kind,
                "outcome": decision.outcome,
                "decided_at": decision.decided_at.isoformat(timespec="seconds"),
            },
        }


def report_header(
    view: ResultView,
    record: TriageRecord,
    review: ReviewRecord | None,
    revised_by: list[str] | None = None,
) -> ReportHeader:
    """Project and department as the agent answered them (the labels, not the ids), and the
    re-triages before and after this one."""
    rows = {row.question: row.answer for row in view.answer_rows}
    decision = None
    if review is not None and review.decision and review.final_outcome and review.decided_at:
        decision = Decision(review.decision, review.final_outcome, review.decided_at)
    return ReportHeader(
        project=rows.get(PROJECT_QUESTION, ""),
        department=rows.get(DEPARTMENT_QUESTION, ""),
        date=record.completed_at or record.updated_at,
        triage_id=view.triage_id,
        flow_version=view.flow_version,
        decision=decision,
        revises=record.revises,
        revised_by=tuple(revised_by or ()),
    )


def because_lines(rule: RuleView, lang: str) -> list[str]:
    """One line per answer that made the rule fire, as the agent read it: question and choice
    labels, never ids."""
    return [t("labelled", lang, label=row.label) + row.answer for row in rule.because_rows]

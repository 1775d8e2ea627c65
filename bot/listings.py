"""A person's triages and the reviews awaiting them, as every channel lists them: the
terminal's `list`, Slack's App Home and `liste`, Teams' list card. The rows are read here, in
one read transaction, already in the reader's language; adapters only draw them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.app import App
from bot.directory import OTHER
from bot.events import Actor
from bot.i18n import pick, t
from bot.notifications import REVIEW_REQUEST, Recipient, reviewers_for
from bot.reviews import DECIDED
from storage.repository import Transaction, as_utc

IN_PROGRESS = "in_progress"
COMPLETED = "completed"


@dataclass(frozen=True)
class TriageRow:
    id: str
    project: str
    """The project's name, or "(projet sans nom)" before it is given."""
    status: str
    outcome: str | None
    outcome_label: str
    updated_at: datetime
    """Aware, in UTC: each channel shows it in the reader's zone."""

    @property
    def finished(self) -> bool:
        return self.status == COMPLETED


@dataclass(frozen=True)
class ReviewRow:
    id: str
    project: str
    department: str
    outcome: str
    outcome_label: str
    requested_at: datetime


def my_triages(app: App, actor: Actor, lang: str, limit: int) -> list[TriageRow]:
    """The person's triages, most recently changed first."""
    with app.store.reading() as tx:
        return _triages(app, tx, actor, lang, limit)


def latest_in_progress(app: App, actor: Actor) -> str | None:
    """The triage "reprendre" without an id brings back."""
    with app.store.reading() as tx:
        owner = tx.find_pseudonym(actor.platform, actor.user_id)
        records = tx.triages_of(owner) if owner else []
    return next((r.id for r in records if r.status == IN_PROGRESS), None)


def is_reviewer(app: App, actor: Actor) -> bool:
    """Whether the person reviews some department's triages today: named for it or by
    default, or an admin standing in for a department that has nobody (`routing`), who was
    sent its requests and must find them listed."""
    directory = app.directory
    person = Recipient(actor.platform, actor.user_id)
    departments = [department.id for department in directory.departments] + [OTHER]
    return any(person in reviewers_for(directory, department) for department in departments)


def my_triages_and_reviews(
    app: App, actor: Actor, lang: str, limit: int
) -> tuple[list[TriageRow], list[ReviewRow] | None]:
    """Both lists of a home page, in one read; reviews None for someone who reviews nothing."""
    with app.store.reading() as tx:
        triages = _triages(app, tx, actor, lang, limit)
        reviews = _reviews(app, tx, actor, lang, limit) if is_reviewer(app, actor) else None
    return triages, reviews


def _triages(app: App, tx: Transaction, actor: Actor, lang: str, limit: int) -> list[TriageRow]:
    owner = tx.find_pseudonym(actor.platform, actor.user_id)
    if owner is None:
        return []
    records = tx.triages_of(owner, limit)
    names = tx.first_answers([r.id for r in records])
    return [
        TriageRow(
            id=r.id,
            project=str(names.get(r.id) or t("untitled", lang)),
            status=r.status,
            outcome=r.outcome,
            outcome_label=_outcome_label(app, tx, r.flow_version_id, r.outcome, lang),
            updated_at=as_utc(r.updated_at),
        )
        for r in records
    ]


def _reviews(app: App, tx: Transaction, actor: Actor, lang: str, limit: int) -> list[ReviewRow]:
    """The reviews sent to this person that nobody has decided yet, newest first."""
    requests = tx.review_requests_to(actor.platform, actor.user_id, REVIEW_REQUEST, DECIDED, limit)
    names = tx.first_answers([r.triage_id for r in requests])
    departments = {c.id: pick(c.label, lang) for c in app.directory.choices}
    rows = []
    for request in requests:
        record = tx.triage(request.triage_id)
        if record is None:
            continue
        outcome = str(request.payload.get("outcome") or record.outcome or "")
        department = str(request.payload.get("department") or "")
        rows.append(
            ReviewRow(
                id=record.id,
                project=str(names.get(record.id) or t("untitled", lang)),
                department=departments.get(department, department),
                outcome=outcome,
                outcome_label=_outcome_label(app, tx, record.flow_version_id, outcome, lang),
                requested_at=as_utc(request.created_at),
            )
        )
    return rows


def _outcome_label(
    app: App, tx: Transaction, version_id: int, outcome: str | None, lang: str
) -> str:
    if not outcome:
        return ""
    outcomes = app.catalog.get(tx, version_id).flow.spec.outcomes
    text = outcomes.get(outcome)  # type: ignore[call-overload]
    return pick(text.label, lang) if text is not None else outcome

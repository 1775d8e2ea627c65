"""The public algorithm register: publishing a finished, decided triage, withdrawing it, and
gathering what the register site and its downloads show.

Who may publish: an admin, or whoever reviews the triage's department today (the people who
may read its result, bot.visibility, less its author unless they hold one of those roles).
What may be published: a finished triage whose orientation a human decided, or one on the
light track, which asks for no review (the result itself says the line manager confirms it,
outside Boussole). A triage re-done by a finished re-triage is not published: its re-triage
is the one that describes the project today.

Publishing a re-triage of a published triage replaces that entry and keeps its identifier,
so a project keeps one page and one Eurocities `uuid` across re-triages. Nothing here keeps a
person's name: the audit log names the publisher by pseudonym, like every act.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from bot.actors import actor_label
from bot.admin import is_admin
from bot.app import App
from bot.events import Actor
from bot.i18n import t
from bot.notifications import department_of
from bot.register_details import RegisterDetails
from bot.reviews import DECIDED, is_reviewer
from bot.stored_answers import flow_and_answers
from bot.views import ResultView
from storage import register as rows
from storage.integrity import REGISTER_ENTRY, UnreadableRecord
from storage.register import SUPERSEDED, UNPUBLISHED, EntryRecord
from storage.repository import ReviewRecord, Transaction, TriageRecord

PROJECT_QUESTION = "P1"
INDIVIDUAL_DECISION_QUESTION = "DI1"
"""Whether the project contributes to decisions about individuals (CRPA L312-1-3)."""
NO_REVIEW_NEEDED = "light_track"
REVISION_DELAY = timedelta(days=365)
"""S-RETRIAGE: a project is triaged again after twelve months."""


class RegisterRefused(Exception):
    """A publication or withdrawal refused, with the reason in the reader's language;
    nothing was written but the refusal's audit row."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refuse(key: str, lang: str, **params: Any) -> RegisterRefused:
    return RegisterRefused(t(key, lang, **params))


def checked_details(row: EntryRecord) -> RegisterDetails:
    """The entry's details as published, or UnreadableRecord: they were checked then, so
    details that no longer pass were written outside Boussole."""
    try:
        return RegisterDetails.model_validate(row.details)
    except ValidationError:
        raise UnreadableRecord(REGISTER_ENTRY, str(row.id), "details", row.details) from None


def _department(app: App, tx: Transaction, record: TriageRecord) -> str:
    return department_of(*flow_and_answers(app.catalog, tx, record))


def may_publish(app: App, tx: Transaction, actor: Actor, record: TriageRecord) -> bool:
    return is_admin(tx, actor) or is_reviewer(app.directory, _department(app, tx, record), actor)


class _NotAllowed(Exception):
    """The actor holds no role that may publish this triage; the refusal is audited in a
    transaction of its own, since the refused one writes nothing."""


def _checked(app: App, tx: Transaction, actor: Actor, triage_id: str, lang: str) -> TriageRecord:
    record = tx.triage(triage_id)
    if record is None:
        raise _refuse("triage_not_found", lang, id=triage_id)
    if not may_publish(app, tx, actor, record):
        raise _NotAllowed
    return record


def _refused(app: App, actor: Actor, triage_id: str, action: str, lang: str) -> RegisterRefused:
    with app.store.transaction() as tx:
        tx.append_audit(triage_id, "register_refused", actor_label(tx, actor), {"action": action})
    return _refuse("register_not_allowed", lang, id=triage_id)


def publish(
    app: App, actor: Actor, triage_id: str, details: RegisterDetails, lang: str
) -> tuple[str, bool]:
    """Publish (or publish again, with new details) a triage; returns the entry's
    identifier and whether an earlier publication was replaced."""
    try:
        return _publish(app, actor, triage_id, details, lang)
    except _NotAllowed:
        raise _refused(app, actor, triage_id, "publish", lang) from None


def _publish(
    app: App, actor: Actor, triage_id: str, details: RegisterDetails, lang: str
) -> tuple[str, bool]:
    with app.store.transaction() as tx:
        record = _checked(app, tx, actor, triage_id, lang)
        _check_publishable(tx, record, lang)
        replaced = rows.current_entry(tx, triage_id) or _published_ancestor(tx, record)
        entry = replaced.entry if replaced else str(uuid.uuid4())
        if replaced is not None:
            rows.withdraw(tx, replaced.id, SUPERSEDED)
        rows.add_entry(tx, entry, triage_id, details.document())
        payload = {"entry": entry, "status": details.status}
        if replaced is not None:
            payload["replaces"] = replaced.triage_id
        tx.append_audit(triage_id, "register_published", actor_label(tx, actor), payload)
    return entry, replaced is not None


def unpublish(app: App, actor: Actor, triage_id: str, lang: str) -> str:
    """Withdraw a triage's entry from the register; its rows stay, dated. Returns the entry's
    identifier."""
    try:
        return _unpublish(app, actor, triage_id, lang)
    except _NotAllowed:
        raise _refused(app, actor, triage_id, "unpublish", lang) from None


def _unpublish(app: App, actor: Actor, triage_id: str, lang: str) -> str:
    with app.store.transaction() as tx:
        _checked(app, tx, actor, triage_id, lang)
        current = rows.current_entry(tx, triage_id)
        if current is None:
            raise _refuse("register_not_published", lang, id=triage_id)
        rows.withdraw(tx, current.id, UNPUBLISHED)
        tx.append_audit(
            triage_id, "register_withdrawn", actor_label(tx, actor), {"entry": current.entry}
        )
    return current.entry


def prepare(app: App, actor: Actor, triage_id: str, lang: str) -> tuple[str, dict[str, Any] | None]:
    """What a chat form needs before it opens: the project's name and the details published
    for it (or for the triage it re-does), to correct rather than retype; RegisterRefused
    when the form's submission would be refused, so that nobody fills it in for nothing."""
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        if record is None:
            raise _refuse("triage_not_found", lang, id=triage_id)
        if not may_publish(app, tx, actor, record):
            raise _refuse("register_not_allowed", lang, id=triage_id)
        _check_publishable(tx, record, lang)
        current = rows.current_entry(tx, triage_id) or _published_ancestor(tx, record)
        project = str(tx.answers(triage_id).get(PROJECT_QUESTION, ""))
    if current is not None:
        checked_details(current)
    return project, current.details if current else None


def _check_publishable(tx: Transaction, record: TriageRecord, lang: str) -> None:
    if record.status != "completed":
        raise _refuse("register_not_finished", lang, id=record.id)
    review = tx.review(record.id)
    if review is None and record.outcome != NO_REVIEW_NEEDED:
        raise _refuse("register_not_reviewed", lang, id=record.id)
    if review is not None and review.status != DECIDED:
        raise _refuse("register_not_decided", lang, id=record.id)
    for later in tx.revised_by(record.id):
        again = tx.triage(later)
        if again is not None and again.status == "completed":
            raise _refuse("register_redone", lang, id=record.id, later=later)


def _published_ancestor(tx: Transaction, record: TriageRecord) -> EntryRecord | None:
    """The current entry of a triage this one re-does, directly or through re-triages."""
    seen = {record.id}
    previous = record.revises
    while previous is not None and previous not in seen:
        seen.add(previous)
        found = rows.current_entry(tx, previous)
        if found is not None:
            return found
        earlier = tx.triage(previous)
        previous = earlier.revises if earlier else None
    return None


@dataclass(frozen=True)
class Triaged:
    """One triage of a published project's lineage, as the history on its page shows it."""

    completed_at: datetime
    outcome: str
    published: bool


@dataclass(frozen=True)
class Published:
    """What the site and the downloads show of one current entry, in one language."""

    entry: str
    details: RegisterDetails
    project: str
    department_id: str
    department: str
    view: ResultView
    outcome: str
    """The orientation that holds: the reviewer's decision, else the triage's own."""
    review: ReviewRecord | None
    completed_at: datetime
    first_published: datetime
    last_changed: datetime
    lineage: tuple[Triaged, ...]
    individual_decisions: bool

    @property
    def revision_date(self) -> date:
        if self.details.revision_date is not None:
            return self.details.revision_date
        decided = self.review.decided_at if self.review and self.review.decided_at else None
        return ((decided or self.completed_at) + REVISION_DELAY).date()


@dataclass(frozen=True)
class Change:
    """One change of the register, for the feed: an entry published, replaced or withdrawn."""

    entry: str
    project: str
    kind: str
    at: datetime


def current_entries(tx: Transaction) -> list[EntryRecord]:
    """The entries on the register now, their details checked (`checked_details`)."""
    current = [row for row in rows.history(tx) if row.current]
    for row in current:
        checked_details(row)
    return current


def gather(app: App, tx: Transaction, lang: str) -> list[Published]:
    """Every current entry, newest change first."""
    history = rows.history(tx)
    first: dict[str, datetime] = {}
    for row in history:
        first.setdefault(row.entry, row.published_at)
    names = {d[0]: d[1] if lang == "fr" else d[2] for d in tx.departments()}
    found = []
    for row in history:
        if not row.current:
            continue
        record = tx.triage(row.triage_id)
        if record is None:
            continue
        view = app.engine.result(tx, record.id, lang)
        answers = tx.answers(record.id)
        review = tx.review(record.id)
        department_id = _department(app, tx, record)
        decided = review.final_outcome if review and review.final_outcome else None
        found.append(
            Published(
                entry=row.entry,
                details=checked_details(row),
                project=str(answers.get(PROJECT_QUESTION, "")),
                department_id=department_id,
                department=names.get(department_id, t("other_department", lang)),
                view=view,
                outcome=decided or view.outcome,
                review=review,
                completed_at=record.completed_at or record.updated_at,
                first_published=first[row.entry],
                last_changed=row.published_at,
                lineage=_lineage(tx, record),
                individual_decisions=answers.get(INDIVIDUAL_DECISION_QUESTION, "non") != "non",
            )
        )
    return sorted(found, key=lambda p: p.last_changed, reverse=True)


def _lineage(tx: Transaction, record: TriageRecord) -> tuple[Triaged, ...]:
    """The finished triages this one re-does, oldest first, then this one."""
    chain = [record]
    seen = {record.id}
    previous = record.revises
    while previous is not None and previous not in seen:
        seen.add(previous)
        earlier = tx.triage(previous)
        if earlier is None:
            break
        chain.append(earlier)
        previous = earlier.revises
    return tuple(
        Triaged(r.completed_at or r.updated_at, r.outcome or "", r.id == record.id)
        for r in reversed(chain)
        if r.status == "completed"
    )


def changes(tx: Transaction) -> list[Change]:
    """Every publication and withdrawal, newest first: the feed's entries. A replacement
    (new details or a re-triage) is one change, not a withdrawal and a publication."""
    names = tx.first_answers(list({row.triage_id for row in rows.history(tx)}))
    found = []
    seen: set[str] = set()
    for row in rows.history(tx):
        project = str(names.get(row.triage_id, ""))
        kind = "updated" if row.entry in seen else "published"
        seen.add(row.entry)
        found.append(Change(row.entry, project, kind, row.published_at))
        if row.withdrawn_at is not None and row.withdrawn_because == UNPUBLISHED:
            found.append(Change(row.entry, project, "withdrawn", row.withdrawn_at))
    return sorted(found, key=lambda c: c.at, reverse=True)

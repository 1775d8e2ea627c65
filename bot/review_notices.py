"""A reviewer's notice as it stands now, one assembly for every channel: the summary and
fired rules while the review is open, and the decision once a human made it, so that every
copy of the notice, in Slack or in Teams, says the same thing and loses its buttons at the
same moment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.app import App
from bot.directory import OTHER
from bot.i18n import t
from bot.notifications import ReviewNotice, review_notice, stored_project_name
from bot.notifier import Delivery
from bot.reviews import DECIDED, copy_to_close
from storage.repository import ReviewRecord, Transaction


@dataclass(frozen=True)
class CurrentNotice:
    triage_id: str
    notice: ReviewNotice
    decided: str | None
    """How the review ended, in the reader's language, once decided; None while open."""


def current_notice(app: App, triage_id: str, department: str, lang: str) -> CurrentNotice:
    """LookupError when the triage no longer exists (erased): there is nothing to send."""
    with app.store.reading() as tx:
        view = app.engine.result(tx, triage_id, lang)
        review = tx.review(triage_id)
        decided = _decided(tx, review, lang)
    notice = review_notice(view, department, app.directory, lang)
    return CurrentNotice(triage_id, notice, decided)


def requested_notice(app: App, message: Delivery, lang: str) -> CurrentNotice:
    """The notice a review request of the outbox stands for, as it is now."""
    department = str(message.payload.get("department") or OTHER)
    return current_notice(app, message.triage_id, department, lang)


def decided_notice(app: App, triage_id: str, lang: str) -> CurrentNotice | None:
    """The notice once its review is decided; None while it is open (or gone)."""
    with app.store.reading() as tx:
        review = tx.review(triage_id)
    if review is None or review.status != DECIDED:
        return None
    try:
        return current_notice(app, triage_id, review.department, lang)
    except LookupError:
        return None


def proposed_outcome(app: App, triage_id: str) -> str:
    """The orientation the bot proposed, which an override form starts from ("" if none)."""
    with app.store.reading() as tx:
        review = tx.review(triage_id)
    return review.proposed_outcome if review is not None else ""


def copy_to_update(app: App, message: Delivery) -> tuple[dict[str, Any], str] | None:
    """Where the copy a `review_closed` message updates was posted, and its review's
    department; None when there is nothing to update (see `bot.reviews.copy_to_close`)."""
    with app.store.reading() as tx:
        found = copy_to_close(tx, message)
    if found is None:
        return None
    posted, review = found
    return posted, review.department


def _decided(tx: Transaction, review: ReviewRecord | None, lang: str) -> str | None:
    if review is None or review.status != DECIDED:
        return None
    return t(
        f"review_{review.decision}",
        lang,
        project=stored_project_name(tx, review.triage_id),
        outcome=t(f"outcome_{review.final_outcome}", lang),
    )

"""Who may read a finished triage's result: its author, the reviewers of its department (in
today's directory, as routing names them) and the admins. Anyone else is told only that the
result is not theirs to see, and shown nothing of it: the project name and the answers can be
confidential. One rule for every channel: the terminal's `report`, Slack's "Voir le résultat
complet" and Teams' "Voir le détail" all ask `visible_result`."""

from __future__ import annotations

from dataclasses import dataclass

from bot import effects as fx
from bot.admin import is_admin
from bot.app import App
from bot.events import Actor
from bot.i18n import t
from bot.notifications import Recipient, department_of, reviewers_for
from bot.stored_answers import flow_and_answers
from bot.views import ResultView
from storage.repository import ReviewRecord, Transaction, TriageRecord

COMPLETED = "completed"


@dataclass(frozen=True)
class Visible:
    """A finished triage's result, as `actor` may read it, with what its reports name."""

    view: ResultView
    record: TriageRecord
    authored: bool
    """Whether the reader wrote it: only the author is offered to re-do it."""
    review: ReviewRecord | None
    revised_by: list[str]


def may_see_result(app: App, tx: Transaction, actor: Actor, record: TriageRecord) -> bool:
    if _authored(tx, actor, record) or is_admin(tx, actor):
        return True
    department = department_of(*flow_and_answers(app.catalog, tx, record))
    return Recipient(actor.platform, actor.user_id) in reviewers_for(app.directory, department)


def visible_result(app: App, actor: Actor, triage_id: str, lang: str) -> Visible | fx.Error:
    """The result, or why not (codes `triage_not_found`, `result_not_visible`,
    `result_in_progress`), in that order: whether a triage is finished is itself not told to
    someone who may not see it."""
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        if record is None:
            return fx.error("triage_not_found", lang, id=triage_id)
        if not may_see_result(app, tx, actor, record):
            return fx.error("result_not_visible", lang, id=triage_id)
        if record.status != COMPLETED:
            return fx.error("result_in_progress", lang, id=triage_id)
        return Visible(
            view=app.engine.result(tx, triage_id, lang),
            record=record,
            authored=_authored(tx, actor, record),
            review=tx.review(triage_id),
            revised_by=tx.revised_by(triage_id),
        )


def _authored(tx: Transaction, actor: Actor, record: TriageRecord) -> bool:
    return tx.find_pseudonym(actor.platform, actor.user_id) == record.owner


def result_to_redo(app: App, actor: Actor, triage_id: str, lang: str) -> ResultView | str:
    """The finished triage's result when `actor` wrote it, else what to tell them: only its
    author re-does a triage (the engine checks it again when the re-triage comes), so a
    platform offers the form of its answers to nobody else."""
    found = visible_result(app, actor, triage_id, lang)
    if isinstance(found, fx.Error):
        return found.text
    if not found.authored:
        return t("retriage_not_owner", lang, id=triage_id)
    return found.view


def result_for_another(app: App, actor: Actor, triage_id: str, lang: str) -> ResultView | None:
    """`voir ID` typed by someone who may see the result but did not write it (a reviewer, an
    admin): the result itself. None otherwise: the author resumes their own triage, and
    anyone else is refused by the engine, in the same words as everywhere."""
    found = visible_result(app, actor, triage_id, lang)
    if isinstance(found, Visible) and not found.authored:
        return found.view
    return None

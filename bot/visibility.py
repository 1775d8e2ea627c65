"""Who may read a finished triage's result: its author, the reviewers of its department (in
today's directory) and the admins. Anyone else is told it is someone else's, and shown
nothing of it: the project name and the answers can be confidential."""

from __future__ import annotations

from bot.admin import is_admin
from bot.app import App
from bot.events import Actor
from bot.notifications import Recipient, department_of, reviewers_for
from storage.repository import Transaction, TriageRecord


def may_see_result(app: App, tx: Transaction, actor: Actor, record: TriageRecord) -> bool:
    if tx.find_pseudonym(actor.platform, actor.user_id) == record.owner or is_admin(tx, actor):
        return True
    flow = app.catalog.get(tx, record.flow_version_id).flow
    department = department_of(flow, tx.answers(record.id))
    return Recipient(actor.platform, actor.user_id) in reviewers_for(app.directory, department)

"""Routing a flagged triage to people, and telling its author truthfully who was told.

The routing is recorded in the triage's audit chain when the result is recorded, so that the
result shown later (a notice, `boussole report`, a resumed triage) says who was told then, not
who would be told under today's directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.directory import Directory
from bot.i18n import pick, t
from bot.notifications import NOBODY, REVIEW_REQUEST, queue_notices, routing, unreviewed_departments
from bot.views import NotifiedView, notified_view
from storage.repository import Transaction

ROUTED = "review_routed"
"""The audit event that records who a review request went to: role and count, never ids."""


def route_review(
    tx: Transaction,
    directory: Directory,
    triage_id: str,
    revision: int,
    department: str,
    outcome: str,
    actor: str,
) -> dict[str, Any]:
    """Queue the review request to whoever reviews the department today (its reviewers, the
    default reviewers, else the admins) and record who that was; returns what was recorded."""
    routed = routing(directory, department)
    recorded: dict[str, Any] = {
        "to": routed.to,
        "department": department,
        "count": len(routed.recipients),
    }
    tx.append_audit(triage_id, ROUTED, actor, recorded)
    queue_notices(
        tx,
        list(routed.recipients),
        f"{REVIEW_REQUEST}:{triage_id}:{revision}",
        triage_id,
        REVIEW_REQUEST,
        {"department": department, "outcome": outcome, "to": routed.to},
    )
    return recorded


def notified(
    tx: Transaction, directory: Directory, triage_id: str, lang: str
) -> NotifiedView | None:
    """Who the triage's latest review request went to; None when none was made."""
    routed = next((e for e in reversed(tx.audit_trail(triage_id)) if e["kind"] == ROUTED), None)
    if routed is None:
        return None
    return notified_of(directory, routed["payload"], triage_id, lang)


def notified_of(
    directory: Directory, payload: Mapping[str, Any], triage_id: str, lang: str
) -> NotifiedView:
    """What the author is told of a routing recorded as `payload` (`route_review`'s)."""
    department = str(payload["department"])
    name = next((pick(c.label, lang) for c in directory.choices if c.id == department), department)
    return notified_view(payload["to"], department, name, int(payload["count"]), triage_id, lang)


def reviewer_warnings(directory: Directory, lang: str) -> list[str]:
    """What `serve`, `worker` and `directory list` warn of: each department whose flagged
    triages would go to the admins for want of a reviewer, or to nobody at all."""
    missing = unreviewed_departments(directory)
    if not missing:
        return []
    names = {c.id: pick(c.label, lang) for c in directory.choices}
    listed = ", ".join(names.get(i, i) for i in missing)
    if routing(directory, missing[0]).to == NOBODY:
        return [t("directory_nobody_to_notify", lang, departments=listed)]
    count = len(directory.admins)
    return [t("directory_admins_stand_in", lang, departments=listed, count=count)]

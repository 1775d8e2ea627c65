"""Periodic duties: reminders, the weekly digest, re-triage reminders, retention and the
pruning of processed event keys.

Each duty writes outbox messages whose keys name the period (the day bucket, the ISO week,
the completion date), so that running the scheduler on several instances, or twice in a
period, queues each message once: the outbox's unique key absorbs the repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import IntegrityError

from bot.app import App
from bot.i18n import t_all
from bot.notifications import (
    department_of,
    project_name,
    queue_notices,
    reviewers_for,
    stored_project_name,
)
from bot.stored_answers import flow_and_answers
from storage.keys import EVENT_KEYS_KEPT
from storage.repository import Transaction, as_utc, now

log = logging.getLogger(__name__)

RETRIAGE_AFTER = timedelta(days=365)
WEEK = timedelta(days=7)


def _queue(
    tx: Transaction,
    key: str,
    triage_id: str,
    kind: str,
    platform: str,
    recipient: str,
    texts: dict[str, str],
) -> bool:
    """Queue unless the same key is already queued (another instance, or an earlier run)."""
    try:
        with tx.connection.begin_nested():
            tx.enqueue(
                key=key,
                triage_id=triage_id,
                kind=kind,
                platform=platform,
                recipient=recipient,
                payload={"text": texts},
            )
        return True
    except IntegrityError:
        return False


def run_duties(app: App, at: datetime | None = None) -> int:
    """Queue what is due at `at`; returns how many messages were queued."""
    at = at or now()
    queued = 0
    with app.store.transaction() as tx:
        queued += _review_reminders(app, tx, at)
        queued += _weekly_digest(app, tx, at)
        queued += _retriage_reminders(tx, at)
        _retention(app, tx, at)
        tx.prune_events(at - EVENT_KEYS_KEPT)
    return queued


def _review_reminders(app: App, tx: Transaction, at: datetime) -> int:
    days = app.settings.review_reminder_days
    queued = 0
    for review in tx.reviews_unclaimed_since(at - timedelta(days=days)):
        waited = (at - as_utc(review.created_at)).days
        project = stored_project_name(tx, review.triage_id)
        texts = t_all("review_reminder", project=project, id=review.triage_id, count=waited)
        queued += queue_notices(
            tx,
            reviewers_for(app.directory, review.department),
            f"review_reminder:{review.triage_id}:{waited // days}",
            review.triage_id,
            "review_reminder",
            {"text": texts},
            once=True,
        )
    return queued


def _weekly_digest(app: App, tx: Transaction, at: datetime) -> int:
    """Last week's light-track triages, once per ISO week, to each department's reviewers."""
    year, week, _ = at.isocalendar()
    monday = (at - timedelta(days=at.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    by_department: dict[str, list[tuple[str, str]]] = {}
    for record in tx.completed_between(monday - WEEK, monday, "light_track"):
        flow, answers = flow_and_answers(app.catalog, tx, record)
        department = department_of(flow, answers)
        listed = (record.id, project_name(answers, record.id))
        by_department.setdefault(department, []).append(listed)
    queued = 0
    for department, items in by_department.items():
        listing = "\n".join(f"• {name} ({ident})" for ident, name in items)
        texts = t_all("weekly_digest", count=len(items), listing=listing)
        queued += queue_notices(
            tx,
            reviewers_for(app.directory, department),
            f"digest:{department}:{year}-W{week:02d}",
            items[0][0],
            "weekly_digest",
            {"text": texts},
            once=True,
        )
    return queued


def _retriage_reminders(tx: Transaction, at: datetime) -> int:
    queued = 0
    for record in tx.completed_between(None, at - RETRIAGE_AFTER):
        identity = tx.identity(record.owner)
        if identity is None or record.completed_at is None or tx.revised_by(record.id):
            continue  # a re-done triage is reminded through the triage that re-does it
        project = stored_project_name(tx, record.id)
        texts = t_all("retriage_reminder", project=project, id=record.id)
        key = f"retriage_reminder:{record.id}:{record.completed_at:%Y%m%d}"
        queued += _queue(tx, key, record.id, "retriage_reminder", identity[0], identity[1], texts)
    return queued


def _retention(app: App, tx: Transaction, at: datetime) -> None:
    """Past the retention delay a finished triage is given a pseudonym linked to nobody, and
    loses what still links it to its owner: the key of their alias in its audit chain and the
    notices it sent them. The chain itself is never rewritten."""
    days = app.settings.retention_days
    if days is None:
        return
    for record in tx.completed_between(None, at - timedelta(days=days)):
        identity = tx.identity(record.owner)
        if identity is None and record.owner_salt is None:
            continue
        tx.forget_owner(record.id, identity)
        tx.append_audit(record.id, "pseudonymised", "system", {"after_days": days})


async def run_periodically(app: App, stop: asyncio.Event, interval: float = 3600.0) -> None:
    """The duties every `interval` seconds and, when a signing key is set, an audit
    checkpoint every BOUSSOLE_AUDIT_CHECKPOINT_MINUTES."""
    loops = [_repeat(stop, interval, "periodic duties", run_duties, app)]
    key_file = app.settings.audit_key_file
    if key_file is not None:
        from bot.audit_log import checkpoint_if_grown

        every = app.settings.audit_checkpoint_minutes * 60.0
        checkpoint_file = app.settings.audit_checkpoint_file
        duty = partial(checkpoint_if_grown, app.store, key_file, checkpoint_file)
        loops.append(_repeat(stop, every, "audit checkpoint", duty))
    await asyncio.gather(*loops)


async def _repeat(
    stop: asyncio.Event, interval: float, name: str, duty: Callable[..., object], *args: object
) -> None:
    while not stop.is_set():
        try:
            await asyncio.to_thread(duty, *args)
        except Exception:  # a database outage must not end the loop
            log.exception("%s failed; trying again later", name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)

"""Idempotency and outbox keys (issue #12, defect 5): platforms build their delivery keys from
user ids (`U012ABC:action_ts`, `29:1abc…`), and the stored keys held them for ever. Stored
keys are keyed digests now, recognised again after a restart, and pruned after a week."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App, open_app
from bot.notifications import Recipient, queue_notices
from bot.schedules import run_duties
from bot.settings import Settings
from storage.keys import EVENT_KEYS_KEPT
from storage.models import OutboxMessage, ProcessedEvent
from storage.repository import DuplicateEvent, now

HEX = frozenset("0123456789abcdef")
SLACK_IDS = st.from_regex(r"\A[UWB][A-Z0-9]{8,12}\Z")
TEAMS_IDS = st.from_regex(r"\A29:1[A-Za-z0-9_-]{20,150}\Z")
ANY_IDS = st.text(min_size=1, max_size=200).filter(lambda text: not set(text) <= HEX)
"""Any id at all, but one a hex digest could not hold by chance."""
_runs = itertools.count()


def stored_keys(app: App) -> list[str]:
    with app.store.reading() as tx:
        events = tx.connection.execute(select(ProcessedEvent.__table__.c.key)).scalars()
        notices = tx.connection.execute(select(OutboxMessage.__table__.c.key)).scalars()
        return [*events, *notices]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    platform=st.sampled_from(["slack", "teams"]),
    user=st.one_of(SLACK_IDS, TEAMS_IDS, ANY_IDS),
    stamp=st.text(max_size=40),
)
def test_no_user_id_survives_in_a_stored_key(
    app: App, platform: str, user: str, stamp: str
) -> None:
    key = f"{user}:{stamp}:{next(_runs)}"
    with app.store.transaction() as tx:
        tx.claim_event(platform, key)
        queue_notices(tx, [Recipient(platform, user)], key, "t1", "review_request", {})
    with pytest.raises(DuplicateEvent), app.store.transaction() as tx:
        tx.claim_event(platform, key)
    keys = stored_keys(app)
    assert all(len(k) == 64 and set(k) <= HEX for k in keys)
    assert not any(user in k for k in keys)


def test_a_key_is_recognised_by_another_process_on_the_same_database(
    app: App, settings: Settings
) -> None:
    with app.store.transaction() as tx:
        tx.claim_event("slack", "UAGENT01:1712345678.000100")
    other = open_app(settings)
    try:
        with pytest.raises(DuplicateEvent), other.store.transaction() as tx:
            tx.claim_event("slack", "UAGENT01:1712345678.000100")
        with other.store.transaction() as tx:
            tx.claim_event("slack", "UAGENT01:1712345678.000101")
    finally:
        other.close()


def test_processed_keys_are_pruned_a_week_after_their_event(app: App) -> None:
    with app.store.transaction() as tx:
        tx.claim_event("slack", "UOLD:1")
    run_duties(app, now() + EVENT_KEYS_KEPT - timedelta(minutes=1))
    assert len(stored_keys(app)) == 1
    run_duties(app, now() + EVENT_KEYS_KEPT + timedelta(minutes=1))
    assert stored_keys(app) == []
    with app.store.transaction() as tx:
        tx.claim_event("slack", "UOLD:1")  # a week on, no platform redelivers it

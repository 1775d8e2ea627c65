"""Reminders, digests, re-triage reminders and retention, each queued once per period."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import events as ev
from bot.app import App
from bot.schedules import run_duties
from bot.settings import Settings
from storage.repository import now
from tests.bot.journeys import AGENT, answer_all, open_with_reviewers
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
SCHOOL_MEALS = VALID["01-school-meals-grid-example"]["answers"]


@pytest.fixture
def app(settings: Settings, tmp_path: Path):
    opened = open_with_reviewers(settings, tmp_path, ["slack:ULEAD"], retention_days=730)
    yield opened
    opened.close()


def queued(app: App, kind: str) -> list[str]:
    with app.store.reading() as tx:
        return [m.recipient for m in tx.outbox_messages() if m.kind == kind]


def test_unclaimed_reviews_are_reminded_once_per_period(app: App) -> None:
    answer_all(app, dict(SCHOOL_MEALS, **{"C6-Q2": "non"}))
    assert run_duties(app, now() + timedelta(days=1)) == 0
    run_duties(app, now() + timedelta(days=4))
    run_duties(app, now() + timedelta(days=4, hours=2))
    assert queued(app, "review_reminder") == ["ULEAD"]


def test_weekly_digest_lists_last_weeks_light_tracks(app: App) -> None:
    answer_all(app, SCHOOL_MEALS)
    run_duties(app, now() + timedelta(days=7))
    run_duties(app, now() + timedelta(days=7, hours=1))
    assert queued(app, "weekly_digest") == ["ULEAD"]


def test_retriage_reminder_after_a_year_then_retention(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    run_duties(app, now() + timedelta(days=366))
    assert queued(app, "retriage_reminder") == [AGENT.user_id]
    run_duties(app, now() + timedelta(days=731))
    effects = app.engine.handle(ev.Resume(AGENT, "fr", triage_id=triage_id))
    assert "autre personne" in effects[0].text


def test_a_triage_already_re_done_is_not_reminded_its_re_triage_is(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    changed = app.engine.handle(
        ev.ChangeAnswers(AGENT, "fr", triage_id=triage_id, answers={"C4-Q5": 5})
    )
    new_id = changed[-1].result.triage_id
    run_duties(app, now() + timedelta(days=366))
    with app.store.reading() as tx:
        reminded = [m.triage_id for m in tx.outbox_messages() if m.kind == "retriage_reminder"]
    assert reminded == [new_id]

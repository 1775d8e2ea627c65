"""Attacks on the human decision (issue #12): a decision by someone who is not a reviewer of
the department, by the triage's own author, by the reviewer who proposed the override it
would confirm, the same click delivered twice, and two reviewers deciding at the same moment.
Each refusal is audited and decides nothing; concurrent decisions record exactly one. The
concurrency runs threads against the real database (SQLite, or PostgreSQL in its pass)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.platform import TeamsPlatform
from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.settings import Settings
from tests.adapters.teams.client import REVIEWER, TeamsClient
from tests.adapters.teams.test_proactive import _flagged_triage
from tests.adapters.teams.test_reviews import _click, _review_card, _said, find_submit
from tests.bot.journeys import AGENT, answer_all, open_with_reviewers
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
INCOMPATIBLE = dict(VALID["06-di-ia-auto-incompatible"]["answers"], P2="education")
FULL_REVIEW = dict(VALID["24-c4-staff-monitoring"]["answers"], P2="education")
LEAD = ev.Actor("slack", "ULEAD")
SECOND = ev.Actor("teams", "29:second")
AUTHOR = ev.Actor("slack", "UAUTHOR")
"""An agent who is also a reviewer of their own department."""
STRANGER = ev.Actor("slack", "USTRANGER")
REVIEWERS = ["slack:ULEAD", "teams:29:second", "slack:UAUTHOR"]


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[App]:
    opened = open_with_reviewers(settings, tmp_path, REVIEWERS)
    yield opened
    opened.close()


def flagged(app: App, answers: dict[str, Any] = INCOMPATIBLE, by: ev.Actor = AGENT) -> str:
    triage_id, shown = answer_all(app, answers, by)
    assert shown.result.outcome != "light_track"
    return triage_id


def act(app: App, actor: ev.Actor, triage_id: str, action: str, **extra: Any) -> list[fx.Effect]:
    return app.engine.handle(
        ev.ReviewAction(actor, "fr", triage_id=triage_id, action=action, **extra)
    )


def decisions(app: App, triage_id: str) -> list[dict[str, Any]]:
    with app.store.reading() as tx:
        return [e for e in tx.audit_trail(triage_id) if e["kind"] == "review_decided"]


def agent_notices(app: App, triage_id: str, agent: ev.Actor = AGENT) -> list[str]:
    with app.store.reading() as tx:
        return [
            m.kind
            for m in tx.outbox_messages(triage_id)
            if m.recipient == agent.user_id and m.kind == "review_decision"
        ]


ACTIONS: dict[str, dict[str, Any]] = {
    "claim": {},
    "confirm": {},
    "ask": {"comment": "Quelle base légale ?"},
    "override": {"outcome": "full_review", "comment": "Base légale trouvée."},
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_non_reviewers_review_action_is_refused_audited_and_decides_nothing(
    app: App, action: str
) -> None:
    triage_id = flagged(app)
    effects = act(app, STRANGER, triage_id, action, **ACTIONS[action])
    assert isinstance(effects[0], fx.Error)
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None
        assert (review.status, review.reviewer, review.decision) == ("pending", None, None)
        assert tx.audit_trail(triage_id)[-1]["kind"] == "review_refused"
    assert agent_notices(app, triage_id) == []


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_authors_own_review_action_on_their_triage_is_refused_audited_and_decides_nothing(
    app: App, action: str
) -> None:
    """Four eyes: the author is a reviewer of the department, but not of their own triage
    (here one flagged for a full review, which a single reviewer may decide)."""
    triage_id = flagged(app, FULL_REVIEW, by=AUTHOR)
    effects = act(app, AUTHOR, triage_id, action, **ACTIONS[action])
    assert isinstance(effects[0], fx.Error), effects
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None
        assert (review.status, review.reviewer, review.decision) == ("pending", None, None)
        assert tx.audit_trail(triage_id)[-1]["kind"] == "review_refused"
    assert decisions(app, triage_id) == []


def test_the_author_cannot_second_an_override_of_their_own_triage(app: App) -> None:
    triage_id = flagged(app, by=AUTHOR)
    act(app, LEAD, triage_id, "override", **ACTIONS["override"])
    effects = act(app, AUTHOR, triage_id, "confirm")
    assert isinstance(effects[0], fx.Error), effects
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None and review.status == "override_pending"
    assert decisions(app, triage_id) == []


def test_the_reviewer_who_proposed_lifting_incompatible_cannot_confirm_it(app: App) -> None:
    triage_id = flagged(app)
    act(app, LEAD, triage_id, "override", **ACTIONS["override"])
    same = act(app, LEAD, triage_id, "confirm")
    assert "second responsable" in same[0].text
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None and review.status == "override_pending"
    assert decisions(app, triage_id) == []


def test_a_review_click_delivered_twice_with_the_same_key_decides_once(app: App) -> None:
    triage_id = flagged(app, FULL_REVIEW)
    event = ev.ReviewAction(LEAD, "fr", "action-1", triage_id=triage_id, action="confirm")
    first = app.engine.handle(event)
    again = app.engine.handle(event)
    assert fx.codes(first) == {"review_decided"}
    assert fx.codes(again) == {"duplicate_event"}
    assert len(decisions(app, triage_id)) == 1
    assert agent_notices(app, triage_id) == ["review_decision"]


# Two reviewers at the same moment

RACERS = [
    (LEAD, "confirm", {}),
    (SECOND, "confirm", {}),
    (LEAD, "override", {"outcome": "light_track", "comment": "Vu en comité."}),
    (SECOND, "override", {"outcome": "incompatible", "comment": "Surveillance illégale."}),
]


def race(app: App, triage_id: str, racers: list[tuple[ev.Actor, str, dict[str, Any]]]) -> None:
    """Every racer's turn starts together, each on its own thread and connection."""
    barrier = threading.Barrier(len(racers))
    failures: list[BaseException] = []

    def decide(actor: ev.Actor, action: str, extra: dict[str, Any]) -> None:
        barrier.wait()
        try:
            act(app, actor, triage_id, action, **extra)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=decide, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("round_", range(4))
def test_two_reviewers_deciding_at_once_record_exactly_one_decision(app: App, round_: int) -> None:
    triage_id = flagged(app, FULL_REVIEW)
    race(app, triage_id, RACERS[round_ % 2 :] + RACERS[: round_ % 2])
    (decided,) = decisions(app, triage_id)
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None and review.status == "decided"
        assert review.final_outcome == decided["payload"]["outcome"]
    assert agent_notices(app, triage_id) == ["review_decision"]


def test_two_reviewers_claiming_at_once_leave_one_claim(app: App) -> None:
    triage_id = flagged(app, FULL_REVIEW)
    race(app, triage_id, [(LEAD, "claim", {}), (SECOND, "claim", {})] * 2)
    with app.store.reading() as tx:
        review = tx.review(triage_id)
        claims = [e for e in tx.audit_trail(triage_id) if e["kind"] == "review_claimed"]
    assert review is not None and review.status == "claimed"
    assert len(claims) == 1


# Teams: a stranger's click on a review card


@pytest.mark.asyncio
async def test_a_non_reviewers_click_on_a_teams_review_card_is_refused_and_audited(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    review_call, card = await _review_card(teams, teams_app, platform, triage_id)
    stranger = "29:1stranger-personal-id"
    refused = await _click(teams, review_call, find_submit(card, "review_confirm"), stranger)
    assert "pas responsable de la direction" in _said(refused)
    assert [c for c in refused.calls if c.method == "PUT"] == []
    with teams_app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None and review.status == "pending"
        assert tx.audit_trail(triage_id)[-1]["kind"] == "review_refused"

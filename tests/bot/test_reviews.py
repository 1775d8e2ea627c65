"""The human decision on flagged triages: claim, confirm, ask, override, four eyes. Refusals
(strangers, the author, races) are attacks: tests/security/test_held_reviews.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.settings import Settings
from tests.bot.journeys import AGENT, answer_all, open_with_reviewers
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
LEAD = ev.Actor("slack", "ULEAD")
SECOND = ev.Actor("teams", "29:second")


@pytest.fixture
def app(settings: Settings, tmp_path: Path):
    opened = open_with_reviewers(settings, tmp_path, ["slack:ULEAD", "teams:29:second"])
    yield opened
    opened.close()


def flagged(app: App, case: str = "06-di-ia-auto-incompatible") -> str:
    answers = dict(VALID[case]["answers"], P2="education")
    triage_id, shown = answer_all(app, answers)
    assert shown.result.outcome != "light_track"
    return triage_id


def act(app: App, actor: ev.Actor, triage_id: str, action: str, **extra) -> list[fx.Effect]:
    return app.engine.handle(
        ev.ReviewAction(actor, "fr", triage_id=triage_id, action=action, **extra)
    )


def kinds(app: App, triage_id: str) -> list[tuple[str, str]]:
    with app.store.reading() as tx:
        return [(m.kind, m.recipient) for m in tx.outbox_messages(triage_id)]


def test_claim_then_confirm_twice_records_one_decision_and_tells_the_agent(app: App) -> None:
    triage_id = flagged(app, "24-c4-staff-monitoring")
    act(app, LEAD, triage_id, "claim")
    first = act(app, LEAD, triage_id, "confirm")
    again = act(app, LEAD, triage_id, "confirm")
    assert "confirmée" in first[0].text
    assert "déjà prise (orientation : examen approfondi)" in again[0].text
    assert fx.codes(first) == {"review_decided"} and fx.codes(again) == {"review_already_decided"}
    with app.store.reading() as tx:
        review = tx.review(triage_id)
    assert (review.decision, review.final_outcome) == ("confirmed", "full_review")
    sent = [k for k, to in kinds(app, triage_id) if to == AGENT.user_id]
    assert sent == ["review_decision", "review_decision"]


def test_question_to_the_agent_and_the_answer_back_to_the_reviewer(app: App) -> None:
    triage_id = flagged(app)
    act(app, LEAD, triage_id, "ask", comment="Quelle base légale ?")
    reply = app.engine.handle(
        ev.AgentReply(AGENT, "fr", triage_id=triage_id, text="L'article L. 123.")
    )
    assert "transmise" in reply[0].text
    assert ("review_question", AGENT.user_id) in kinds(app, triage_id)
    assert ("agent_answer", "ULEAD") in kinds(app, triage_id)


def test_override_needs_a_comment_and_lifting_incompatible_needs_four_eyes(app: App) -> None:
    triage_id = flagged(app)
    refused = act(app, LEAD, triage_id, "override", outcome="full_review")
    assert isinstance(refused[0], fx.Error)
    pending = act(app, LEAD, triage_id, "override", outcome="full_review", comment="Base légale.")
    assert "second" in pending[0].text
    same = act(app, LEAD, triage_id, "confirm")
    assert "second responsable" in same[0].text
    done = act(app, SECOND, triage_id, "confirm")
    assert "requalifiée" in done[0].text
    with app.store.reading() as tx:
        review = tx.review(triage_id)
    assert (review.decision, review.final_outcome) == ("overridden", "full_review")


def test_override_of_a_full_review_is_decided_by_one_reviewer(app: App) -> None:
    triage_id = flagged(app, "24-c4-staff-monitoring")
    done = act(app, LEAD, triage_id, "override", outcome="light_track", comment="Vu en comité.")
    assert "requalifiée" in done[0].text


@pytest.mark.parametrize(
    ("lang", "others"),
    [("fr", "parcours allégé ; examen approfondi"), ("en", "light track; full review")],
)
def test_an_orientation_that_is_not_one_is_answered_with_the_others_as_people_read_them(
    app: App, lang: str, others: str
) -> None:
    """A reviewer typing in Matrix read `light_track, full_review, incompatible`, ids of the
    code, the proposed one among them."""
    triage_id = flagged(app)  # proposed: incompatible
    refused = app.engine.handle(
        ev.ReviewAction(
            LEAD, lang, triage_id=triage_id, action="override", outcome="allege", comment="x"
        )
    )
    (error,) = refused
    assert isinstance(error, fx.Error) and error.text.endswith(f"{others}.")
    assert "_" not in error.text

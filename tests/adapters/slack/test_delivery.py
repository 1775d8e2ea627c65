"""Slack's delivery rules: signed bodies altered on the way, stale and concurrent clicks, a
Web API that rate-limits or fails. Forged, out-of-window and replayed deliveries are attacks:
tests/security/test_held_slack_replays.py."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import urlencode

import pytest

from adapters.server import ServeOptions
from bot.app import App
from tests.adapters.slack.harness import (
    Slack,
    answer,
    question_of,
    serve,
    signed_headers,
)
from tests.adapters.slack.stub import SlackStub
from tests.adapters.slack.test_triage import answers_of, triage_ids

pytestmark = pytest.mark.asyncio


async def started(slack: Slack) -> None:
    await slack.command("")
    await slack.settled()


# Signatures


async def test_a_signed_body_altered_on_the_way_is_refused(slack: Slack, app: App) -> None:
    headers = signed_headers("token=x&command=%2Fboussole&user_id=UAGENT01&text=")
    response = await slack.post(
        "token=x&command=%2Fboussole&user_id=UEVIL&text=",
        "application/x-www-form-urlencoded",
        headers=headers,
        sign=False,
    )
    assert response.status == 401
    assert triage_ids(app, "UEVIL") == []


async def test_a_signed_click_altered_on_the_way_is_refused(slack: Slack, app: App) -> None:
    await started(slack)
    question = slack.questions()[-1]
    (triage_id,) = triage_ids(app)
    honest = {"type": "block_actions", "user": {"id": "UAGENT01"}, "actions": []}
    forged = urlencode({"payload": json.dumps({**honest, "user": {"id": "UEVIL"}})})
    response = await slack.post(
        forged,
        "application/x-www-form-urlencoded",
        headers=signed_headers(urlencode({"payload": json.dumps(honest)})),
        sign=False,
    )
    assert response.status == 401
    await slack.settled()
    assert slack.questions()[-1] == question
    assert answers_of(app, triage_id) == {}


async def test_slacks_certificate_check_is_answered_unsigned(slack: Slack, app: App) -> None:
    response = await slack.post(
        "ssl_check=1&token=x", "application/x-www-form-urlencoded", sign=False
    )
    assert response.status == 200
    await slack.settled()
    assert slack.stub.calls == []


async def test_url_verification_answers_the_challenge(slack: Slack) -> None:
    body = json.dumps(
        {"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    async with slack.session.post(
        f"{slack.base_url}/slack/events",
        data=body,
        headers={"Content-Type": "application/json", **signed_headers(body)},
    ) as response:
        assert response.status == 200
        assert (await response.json())["challenge"] == "3eZbrw1aBm2rZgRNFdxV"


# Stale and concurrent clicks


async def test_a_click_on_an_answered_question_changes_nothing(slack: Slack, app: App) -> None:
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    await answer(slack, p2, "education")
    # the client still shows P2's select (say, an old window): a new pick is refused
    await slack.click(p2, "answer_select", selected="culture")
    await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id)["P2"] == "education"
    (notice,) = slack.ephemerals()
    assert "déjà reçu une réponse" in notice.params["text"]
    assert "Question en cours" in notice.params["text"]
    assert question_of(slack.questions()[-1]) == "P3"
    assert len(slack.questions()) == 3  # the current question is not posted again


async def test_two_concurrent_clicks_record_one_answer(slack: Slack, app: App) -> None:
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    first, second = await asyncio.gather(
        slack.click(p2, "answer_select", selected="education"),
        slack.click(p2, "answer_select", selected="culture"),
    )
    assert first.status == second.status == 200
    await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id)["P2"] in ("education", "culture")
    assert len(answers_of(app, triage_id)) == 2
    assert len(slack.ephemerals()) == 1
    assert len(slack.questions()) == 3


async def test_two_instances_receiving_concurrent_clicks_record_one_answer(
    slack: Slack, app: App, stub: SlackStub
) -> None:
    """Two `serve` processes behind a load balancer: the database decides."""
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    runner, base_url, platform = await serve(app, ServeOptions(notifier_interval=3600))
    other = Slack(stub, base_url, slack.session, platform)
    try:
        await asyncio.gather(
            slack.click(p2, "answer_select", selected="education"),
            other.click(p2, "answer_select", selected="culture"),
        )
        await asyncio.gather(slack.settled(), other.settled())
    finally:
        await runner.cleanup()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id)["P2"] in ("education", "culture")
    assert len(answers_of(app, triage_id)) == 2
    notices = slack.ephemerals()
    assert len(notices) == 1
    assert len([q for q in slack.questions() if question_of(q) == "P3"]) == 1


# A Web API that rate-limits or fails


async def test_a_rate_limited_call_is_retried_after_retry_after(slack: Slack) -> None:
    slack.stub.fail("chat.postMessage", 429, times=1, **{"Retry-After": "0"})
    await started(slack)
    calls = slack.stub.to("chat.postMessage")
    assert [c.response.get("ok") for c in calls] == [False, True, True]
    assert question_of(slack.questions()[-1]) == "P1"


async def test_a_connection_cut_before_the_answer_is_retried(slack: Slack) -> None:
    slack.stub.fail("chat.postMessage", 0, times=2)
    await started(slack)
    calls = slack.stub.to("chat.postMessage")
    assert [c.response.get("ok") for c in calls] == [False, False, True, True]
    assert question_of(slack.questions()[-1]) == "P1"


async def test_server_errors_are_retried_with_backoff(slack: Slack) -> None:
    slack.stub.fail("chat.postMessage", 503, times=1)
    slack.stub.fail("chat.postMessage", 502, times=1)
    await started(slack)
    assert question_of(slack.questions()[-1]) == "P1"


async def test_a_call_that_keeps_failing_is_logged_and_the_triage_can_resume(
    slack: Slack, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    slack.stub.fail("chat.postMessage", 200, error="channel_not_found", times=1)
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        await slack.click(p2, "answer_select", selected="education")
        await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id) == {"P1": "Projet", "P2": "education"}
    failure = [r for r in caplog.records if "chat.postMessage" in r.getMessage()]
    assert failure and triage_id in failure[0].getMessage()
    assert question_of(slack.questions()[-1]) == "P2"  # P3 never reached Slack
    await slack.command("reprendre")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P3"


async def test_a_server_that_keeps_answering_5xx_is_given_up_on(
    slack: Slack, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    slack.stub.fail("chat.postMessage", 500, times=8)
    with caplog.at_level(logging.WARNING, logger="adapters.slack"):
        await started(slack)
    (triage_id,) = triage_ids(app)
    assert any(triage_id in r.getMessage() for r in caplog.records)
    assert len(slack.stub.to("chat.postMessage")) == 8  # 2 posts, each tried 4 times


# Text answers


async def test_a_text_over_2000_characters_is_a_field_error(slack: Slack, app: App) -> None:
    await started(slack)
    await slack.click(slack.questions()[-1], "open_text")
    await slack.settled()
    modal = slack.stub.to("views.open")[-1].params["view"]
    assert modal["blocks"][-1]["element"]["max_length"] == 2000
    (triage_id,) = triage_ids(app)

    too_long = await slack.submit_view(modal, "x" * 2001)
    assert too_long.status == 200
    assert too_long.json == {
        "response_action": "errors",
        "errors": {"answer": "la réponse fait 2001 caractères ; raccourcissez-la à 2000 au plus"},
    }
    blank = await slack.submit_view(modal, "   ")
    assert blank.json["errors"]["answer"] == "la réponse est vide ; écrivez quelques mots"
    await slack.settled()
    assert answers_of(app, triage_id) == {}

    accepted = await slack.submit_view(modal, "  " + "y" * 2000 + "  ")
    assert accepted.body == ""
    await slack.settled()
    assert answers_of(app, triage_id) == {"P1": "y" * 2000}


async def test_an_engine_failure_is_logged_and_announced(
    slack: Slack, app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await started(slack)
    p1 = slack.questions()[-1]
    (triage_id,) = triage_ids(app)

    def broken(_event: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.engine, "_handle", broken)
    with caplog.at_level(logging.ERROR, logger="adapters.slack"):
        await slack.click(p1, "why")
        await slack.settled()
    (notice,) = slack.ephemerals()
    assert "erreur interne" in notice.params["text"]
    assert f"/boussole reprendre {triage_id}" in notice.params["text"]
    assert any(triage_id in r.getMessage() for r in caplog.records)


async def test_back_from_an_older_copy_of_a_question_changes_nothing(
    slack: Slack, app: App
) -> None:
    """A resume posts the current question again; the older copy keeps its buttons. Its
    "Retour" must not step back from wherever the triage has gone since."""
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    older_p2 = slack.questions()[-1]
    await slack.command("reprendre")
    await slack.settled()
    newer_p2 = slack.questions()[-1]
    await answer(slack, newer_p2, "education")
    await slack.click(older_p2, "back")
    await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id) == {"P1": "Projet", "P2": "education"}
    (notice,) = slack.ephemerals()
    assert "n'est plus la question en cours" in notice.params["text"]
    assert question_of(slack.questions()[-1]) == "P3"

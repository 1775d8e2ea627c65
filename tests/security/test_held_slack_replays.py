"""Attacks on `/slack/events` that held (issue #12): signatures that are forged, missing or
outside Slack's five-minute window, bodies of 10 MB, deliveries replayed with the same
`action_ts`, `event_id` or `trigger_id`, and a click drawn for another flow version. Each is
refused or answered politely, and changes nothing. Signed requests go to the real server;
the Slack Web API is a local stub."""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.server import ServeOptions, build_server
from adapters.slack.platform import SlackPlatform
from bot.app import App
from tests.adapters.slack.harness import (
    APP_ID,
    SECRET,
    Slack,
    action_ts,
    answer,
    question_of,
    serve,
    signed_headers,
)
from tests.adapters.slack.stub import TEAM, Call, SlackStub
from tests.adapters.slack.test_triage import answers_of, triage_ids

pytestmark = pytest.mark.asyncio

FORM = "application/x-www-form-urlencoded"
BODY = "token=x&command=%2Fboussole&user_id=UAGENT01&text="
WINDOW = 5 * 60
"""Slack's replay window: a request signed longer ago (or further ahead) is refused."""


async def started(slack: Slack) -> None:
    await slack.command("")
    await slack.settled()


async def nothing_ran(slack: Slack, app: App) -> None:
    await slack.settled()
    assert slack.stub.calls == []
    assert triage_ids(app) == []


# Signatures and their timestamps


MARGIN = 30
"""The server's clock moves on between signing and checking: a stamp a second past the
window could be inside it by then, so the future ones keep a margin."""
SIGNATURES = {
    "missing": lambda: {},
    "forged": lambda: {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + secrets.token_hex(32),
    },
    "other-secret": lambda: signed_headers(BODY, "another-secret"),
    "expired-301s": lambda: signed_headers(BODY, SECRET, int(time.time()) - WINDOW - 1),
    "future": lambda: signed_headers(BODY, SECRET, int(time.time()) + WINDOW + MARGIN),
}


@pytest.mark.parametrize("case", list(SIGNATURES))
async def test_a_forged_missing_expired_or_future_signature_is_refused_and_nothing_runs(
    slack: Slack, app: App, case: str
) -> None:
    response = await slack.post(BODY, FORM, headers=SIGNATURES[case](), sign=False)
    assert response.status == 401
    await nothing_ran(slack, app)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    offset=st.integers(WINDOW + 1, 10 * 365 * 86400),
    ahead=st.booleans(),
    text=st.sampled_from(["", "nouvelle", "reprendre", "liste", "annuler abc123"]),
)
async def test_a_correctly_signed_request_outside_the_five_minute_window_is_refused(
    slack: Slack, app: App, offset: int, ahead: bool, text: str
) -> None:
    """A captured request replayed later, or one signed with a clock set ahead: the
    signature is right, the time is not."""
    body = urlencode({"command": "/boussole", "user_id": "UAGENT01", "text": text})
    stamp = int(time.time()) + (offset + MARGIN if ahead else -offset)
    headers = signed_headers(body, timestamp=stamp)
    response = await slack.post(body, FORM, headers=headers, sign=False)
    assert response.status == 401
    await nothing_ran(slack, app)


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
async def test_a_10_mb_body_is_refused_with_413_and_nothing_runs(
    app: App, stub: SlackStub, slack_env: pytest.MonkeyPatch, signed: bool
) -> None:
    """The real server, except that aiohttp's ten-second drain of a refused body is off: it
    changes nothing of the refusal and would only make this test wait it out."""
    slack_env.setenv("BOUSSOLE_SLACK_API_URL", stub.url + "api/")
    platform = SlackPlatform()
    web_app = build_server(app, [platform], ServeOptions(notifier_interval=3600))
    runner = web.AppRunner(web_app, access_log=None, lingering_time=0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    body = BODY + "&padding=" + "x" * (10 * 1024 * 1024)
    headers = {"Content-Type": FORM, **(signed_headers(body) if signed else {})}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"http://{host}:{port}/slack/events", data=body, headers=headers) as reply,
        ):
            assert reply.status == 413
        assert platform.runtime is not None
        await asyncio.wait_for(platform.runtime.tasks.wait_idle(), 30)  # a safety net
    finally:
        await runner.cleanup()
    assert stub.calls == []
    assert triage_ids(app) == []


# The same delivery twice


async def test_a_redelivered_click_with_the_same_action_ts_changes_nothing(
    slack: Slack, app: App
) -> None:
    await started(slack)
    question = slack.questions()[-1]
    await answer(slack, question, "Projet")
    p2 = slack.questions()[-1]
    stamp = action_ts()
    await slack.click(p2, "answer_select", selected="education", ts=stamp)
    await slack.settled()
    posted, updated = len(slack.stub.to("chat.postMessage")), len(slack.stub.to("chat.update"))
    for retry in ("1", "2"):
        response = await slack.click(
            p2, "answer_select", selected="culture", ts=stamp, **{"X-Slack-Retry-Num": retry}
        )
        assert response.status == 200
    await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id) == {"P1": "Projet", "P2": "education"}
    assert len(slack.stub.to("chat.postMessage")) == posted
    assert len(slack.stub.to("chat.update")) == updated
    assert slack.ephemerals() == []


async def test_a_redelivered_modal_submission_reaching_another_instance_changes_nothing(
    slack: Slack, app: App, stub: SlackStub
) -> None:
    """The other process never saw the first delivery: the engine's idempotency key stops
    it, and the duplicate is not even announced to the person."""
    await started(slack)
    await slack.click(slack.questions()[-1], "open_text")
    await slack.settled()
    modal = slack.stub.to("views.open")[-1].params["view"]
    await slack.submit_view(modal, "Premier envoi", view_id="V0000FIRST")
    await slack.settled()
    runner, base_url, platform = await serve(app, ServeOptions(notifier_interval=3600))
    other = Slack(stub, base_url, slack.session, platform)
    try:
        await other.submit_view(modal, "Second envoi", view_id="V0000FIRST")
        await other.settled()
    finally:
        await runner.cleanup()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id) == {"P1": "Premier envoi"}
    assert slack.ephemerals() == []
    assert len(slack.questions()) == 2


async def test_a_redelivered_event_with_the_same_event_id_starts_one_triage(
    slack: Slack, app: App
) -> None:
    await slack.direct_message("nouvelle", event_id="Ev0DUPLICATE")
    await slack.direct_message(
        "nouvelle",
        event_id="Ev0DUPLICATE",
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"},
    )
    await slack.direct_message(
        "nouvelle",
        event_id="Ev0DUPLICATE",
        **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"},
    )
    await slack.settled()
    assert len(triage_ids(app)) == 1
    assert len(slack.questions()) == 1


def slash(slack: Slack, trigger: str, text: str = "") -> str:
    form = {
        "team_id": TEAM,
        "channel_id": "DUAGENT01",
        "user_id": "UAGENT01",
        "command": "/boussole",
        "text": text,
        "api_app_id": APP_ID,
        "response_url": slack.stub.response_url(trigger),
        "trigger_id": trigger,
    }
    return urlencode(form)


async def test_a_replayed_slash_command_with_the_same_trigger_id_starts_one_triage(
    slack: Slack, app: App
) -> None:
    body = slash(slack, f"trigger.replayed.{secrets.token_hex(4)}")
    for _ in range(3):
        assert (await slack.post(body, FORM)).status == 200
    await slack.settled()
    assert len(triage_ids(app)) == 1
    assert len(slack.questions()) == 1


async def test_a_replayed_slash_command_reaching_another_instance_starts_one_triage(
    slack: Slack, app: App, stub: SlackStub
) -> None:
    """The second process has no memory of the first delivery: the engine's idempotency
    key (the trigger id) is what stops it."""
    body = slash(slack, f"trigger.replayed.{secrets.token_hex(4)}")
    assert (await slack.post(body, FORM)).status == 200
    await slack.settled()
    runner, base_url, platform = await serve(app, ServeOptions(notifier_interval=3600))
    other = Slack(stub, base_url, slack.session, platform)
    try:
        assert (await other.post(body, FORM)).status == 200
        await other.settled()
    finally:
        await runner.cleanup()
    assert len(triage_ids(app)) == 1
    assert len(slack.questions()) == 1


# A click drawn for another flow version


def drawn_for_version(message: Call, version: int) -> Call:
    """The same message with every reference rewritten to another flow version, as a forged
    or very old client would send it."""
    forged = copy.deepcopy(message)

    def rewrite(text: str) -> str:
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict) and "v" in data:
            data["v"] = version
            return json.dumps(data, separators=(",", ":"))
        return text

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: rewrite(v) if k in ("value", "block_id") and isinstance(v, str) else walk(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    forged.params["blocks"] = walk(forged.params["blocks"])
    return forged


@pytest.mark.parametrize("version", [0, 2, 99, -1])
async def test_a_click_drawn_for_another_flow_version_changes_nothing(
    slack: Slack, app: App, version: int
) -> None:
    await started(slack)
    await answer(slack, slack.questions()[-1], "Projet")
    p2 = slack.questions()[-1]
    await slack.click(drawn_for_version(p2, version), "answer_select", selected="culture")
    await slack.settled()
    (triage_id,) = triage_ids(app)
    assert answers_of(app, triage_id) == {"P1": "Projet"}
    (notice,) = slack.ephemerals()
    assert "autre version de la grille" in notice.params["text"]
    assert question_of(slack.questions()[-1]) == "P2"

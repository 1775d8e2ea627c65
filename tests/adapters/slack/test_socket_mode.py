"""Socket Mode: the same listeners behind slack-bolt's aiohttp Socket Mode handler, the socket
served by the local stub (apps.connections.open hands out its ws:// address)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from adapters.server import ServeOptions
from bot.app import App
from tests.adapters.slack.harness import AGENT, APP_ID, Slack, question_of, serve
from tests.adapters.slack.stub import TEAM, SlackStub

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def socket_slack(
    app: App, stub: SlackStub, slack_env: pytest.MonkeyPatch
) -> AsyncIterator[Slack]:
    slack_env.delenv("SLACK_SIGNING_SECRET")
    slack_env.setenv("SLACK_APP_TOKEN", "xapp-1-A0BOUSSOLE-socket")
    slack_env.setenv("BOUSSOLE_SLACK_API_URL", stub.url + "api/")
    options = ServeOptions(slack_socket_mode=True, notifier_interval=3600)
    runner, base_url, platform = await serve(app, options)
    async with aiohttp.ClientSession() as session:
        yield Slack(stub, base_url, session, platform)
    await runner.cleanup()


async def test_a_triage_starts_over_socket_mode(socket_slack: Slack, app: App) -> None:
    stub = socket_slack.stub
    await stub.wait_socket()
    (opened,) = stub.to("apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-1-A0BOUSSOLE-socket"
    command = {
        "token": "verification-token",
        "team_id": TEAM,
        "channel_id": f"D{AGENT}",
        "user_id": AGENT,
        "command": "/boussole",
        "text": "",
        "api_app_id": APP_ID,
        "response_url": stub.response_url("socket"),
        "trigger_id": "trigger.socket.1",
    }
    await stub.send_envelope(
        {
            "envelope_id": "envelope-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": command,
        }
    )
    await stub.wait_for(
        lambda _calls: any(m.get("envelope_id") == "envelope-1" for m in stub.socket_messages)
    )
    await stub.wait_for(lambda calls: len(socket_slack.questions()) == 1)
    await socket_slack.settled()
    assert question_of(socket_slack.questions()[-1]) == "P1"
    with app.store.reading() as tx:
        owner = tx.find_pseudonym("slack", AGENT)
        assert owner is not None and len(tx.triages_of(owner)) == 1


async def test_socket_mode_serves_no_http_endpoint(socket_slack: Slack) -> None:
    async with socket_slack.session.post(
        f"{socket_slack.base_url}/slack/events", data=json.dumps({"type": "url_verification"})
    ) as response:
        assert response.status in (404, 405)

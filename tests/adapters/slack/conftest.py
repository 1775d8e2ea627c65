"""The real server (`build_server` with the Slack platform) on an ephemeral 127.0.0.1 port,
its Web API pointed at a local stub; every payload the bot sent is validated at the end."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from adapters.server import ServeOptions
from bot.app import App
from tests.adapters.slack.harness import SECRET, TOKEN, Slack, assert_valid_message, serve
from tests.adapters.slack.stub import SlackStub

PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
SENT = (
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.open",
    "views.publish",
    "response_url",
)


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Slack settings for the test, and no proxy: every call must stay on this machine."""
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    for name in ("SLACK_APP_TOKEN", "BOUSSOLE_SLACK_COMMAND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    return monkeypatch


@pytest_asyncio.fixture
async def stub() -> AsyncIterator[SlackStub]:
    started = SlackStub()
    await started.start()
    yield started
    await started.stop()
    for call in started.calls:
        if call.method in SENT:
            assert_valid_message(call.params)


@pytest_asyncio.fixture
async def slack(app: App, stub: SlackStub, slack_env: pytest.MonkeyPatch) -> AsyncIterator[Slack]:
    slack_env.setenv("BOUSSOLE_SLACK_API_URL", stub.url + "api/")
    runner, base_url, platform = await serve(app, ServeOptions(notifier_interval=3600))
    async with aiohttp.ClientSession() as session:
        yield Slack(stub, base_url, session, platform)
    await runner.cleanup()

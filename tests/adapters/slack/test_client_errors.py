"""A Web API failure whose body is not JSON (a gateway's plain-text 404) is logged, never a
crash: a language looked up, a message sent."""

from __future__ import annotations

import pytest
import pytest_asyncio
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.client import SlackOut


@pytest_asyncio.fixture
async def html_404():
    """The gateway, and the paths it was asked for (the call must have reached it)."""
    asked: list[str] = []

    async def not_found(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.Response(status=404, text="404: Not Found")

    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", not_found)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/api/", asked
    await runner.cleanup()


@pytest.mark.asyncio
async def test_a_non_json_error_falls_back_to_french(
    html_404: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, asked = html_404
    out = SlackOut(AsyncWebClient(token="xoxb-test", base_url=url))
    assert await out.lang("U1") == "fr"
    assert asked == ["/api/users.info"]
    assert "users.info" in caplog.text and "404" in caplog.text


@pytest.mark.asyncio
async def test_a_non_json_error_to_a_message_is_logged_with_its_triage(
    html_404: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, asked = html_404
    out = SlackOut(AsyncWebClient(token="xoxb-test", base_url=url))
    await out.open()
    try:
        assert await out.post("D1", {"text": "Question"}, "t-404") is None
    finally:
        await out.close()
    assert asked == ["/api/chat.postMessage"]
    assert "chat.postMessage" in caplog.text and "t-404" in caplog.text

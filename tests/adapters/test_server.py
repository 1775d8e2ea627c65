"""The HTTP server's own endpoints: health, readiness, metrics and graceful shutdown."""

from __future__ import annotations

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from adapters.server import SHUTTING_DOWN, ServeOptions, build_server
from bot import events as ev
from bot.app import App


@pytest_asyncio.fixture
async def server(app: App):
    web_app = build_server(app, [], ServeOptions(notifier_interval=0.05))
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        yield web_app, session
    await runner.cleanup()


@pytest.mark.asyncio
async def test_health_readiness_and_metrics(server, app: App) -> None:
    _web_app, session = server
    async with session.get("/healthz") as response:
        assert response.status == 200
    async with session.get("/readyz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ready"
    app.engine.handle(ev.StartTriage(ev.Actor("console", "agent"), "fr"))
    async with session.get("/metrics") as response:
        text = await response.text()
    assert 'boussole_turns_total{event="StartTriage",result="ok"}' in text
    assert "boussole_outbox_pending" in text


@pytest.mark.asyncio
async def test_new_requests_get_503_once_shutdown_starts(server) -> None:
    web_app, session = server
    web_app[SHUTTING_DOWN]["now"] = True
    async with session.get("/readyz") as response:
        assert response.status == 503
    async with session.get("/metrics") as response:
        assert response.status == 503
    async with session.get("/healthz") as response:
        assert response.status == 200

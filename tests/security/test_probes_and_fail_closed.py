"""The unauthenticated probe says ready or not and nothing more (issue #12, defect 9), and
Teams without authentication needs an explicit development setting (defect 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy import create_engine

from adapters.server import ServeOptions, build_server
from adapters.teams.platform import TeamsPlatform
from bot.app import App
from tests.e2e.helpers import boussole

pytestmark = pytest.mark.asyncio

UNREACHABLE = "postgresql+psycopg://boussole_probe@127.0.0.1:9/secret_db_name"
"""A database that refuses connections: the driver's message names its host, port and user."""


async def _get(web_app: web.Application, path: str) -> tuple[int, str]:
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}{path}") as response,
        ):
            return response.status, await response.text()
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture
async def unreachable(app: App) -> AsyncIterator[App]:
    healthy = app.store.engine
    app.store.engine = create_engine(UNREACHABLE, connect_args={"connect_timeout": 2})
    yield app
    app.store.engine.dispose()
    app.store.engine = healthy


async def test_readyz_tells_no_stranger_where_the_database_is(
    unreachable: App, caplog: pytest.LogCaptureFixture
) -> None:
    status, body = await _get(build_server(unreachable, [], ServeOptions()), "/readyz")
    assert status == 503
    assert body == '{"status": "database_unavailable"}'
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "127.0.0.1" in logged and "readyz" in logged


async def test_readyz_names_authentication_off(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.setenv("BOUSSOLE_TEAMS_AUTH", "off")
    monkeypatch.setenv("BOUSSOLE_ENV", "development")
    web_app = build_server(app, [TeamsPlatform()], ServeOptions(notifier_interval=3600))
    status, body = await _get(web_app, "/readyz")
    assert status == 200
    assert "teams_authentication_off" in body


@pytest.mark.parametrize("environment", [None, "prod", "production", "staging", "dev"])
async def test_serve_refuses_teams_without_authentication_outside_development(
    cli_env: dict[str, str], tmp_path: Path, environment: str | None
) -> None:
    env = {**cli_env, "BOUSSOLE_TEAMS_AUTH": "off"}
    if environment is not None:
        env["BOUSSOLE_ENV"] = environment
    result = boussole("serve", "--port", "0", env=env)
    assert result.returncode == 2
    assert "BOUSSOLE_TEAMS_AUTH" in result.stderr
    assert "BOUSSOLE_ENV=development" in result.stderr

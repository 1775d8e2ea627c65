"""Fixtures for the Teams adapter: the real server with the real CloudAdapter, a local
connector stub, locally served signing keys, and a client that plays Teams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory

from adapters.chat import retries
from adapters.server import ServeOptions, build_server
from adapters.teams.platform import TeamsPlatform
from adapters.teams.settings import SERVICE_URLS
from bot.app import App, open_app
from bot.notifier import Notifier
from bot.settings import Settings
from tests.adapters.teams.client import APP_ID, REVIEWER, TENANT, TeamsClient
from tests.adapters.teams.connector_stub import ConnectorStub
from tests.adapters.teams.openid_stub import OpenIdStub, serve_openid

OUTBOUND_TOKEN = "fixed-outbound-token"
DIRECTORY = f"""
default_reviewers: ["teams:{REVIEWER}-default"]
departments:
  - id: education
    name: {{fr: Éducation, en: Education}}
    reviewers: ["teams:{REVIEWER}", "slack:U0REVIEW"]
  - id: solidarites
    name: {{fr: Solidarités, en: Social solidarity}}
  - id: mobilites
    name: {{fr: Mobilités, en: Mobility}}
  - id: numerique
    name: {{fr: Numérique, en: Digital}}
  - id: ressources_humaines
    name: {{fr: Ressources humaines, en: Human resources}}
  - id: environnement
    name: {{fr: Environnement, en: Environment}}
  - id: culture
    name: {{fr: Culture, en: Culture}}
"""


class FixedTokenCredentials(AppCredentials):
    """What MSAL would obtain from Microsoft, which cannot be reached from here."""

    def __init__(self, app_id: str, oauth_scope: str | None) -> None:
        super().__init__(app_id=app_id, oauth_scope=oauth_scope)

    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class FixedTokenFactory(ServiceClientCredentialsFactory):
    """The SDK's hook for outbound credentials; inbound validation stays the SDK's."""

    def __init__(self, app_id: str = APP_ID) -> None:
        self.app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        if app_id != self.app_id:
            raise PermissionError(f"unknown app id {app_id!r}")
        return FixedTokenCredentials(app_id, oauth_scope)


@pytest.fixture(scope="session")
def openid() -> Iterator[OpenIdStub]:
    with serve_openid() as stub:
        yield stub


@pytest.fixture
def teams_env(monkeypatch: pytest.MonkeyPatch, openid: OpenIdStub) -> None:
    """Authentication on, single tenant, the SDK pointed at the local signing keys."""
    for name in ("BOUSSOLE_TEAMS_AUTH", "BOUSSOLE_ENV", "ToChannelFromBotLoginUrl"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppPassword", "not-used-tokens-come-from-the-factory")
    monkeypatch.setenv("MicrosoftAppTenantId", TENANT)
    monkeypatch.setenv("MicrosoftAppType", "SingleTenant")
    monkeypatch.setenv("ToBotFromChannelOpenIdMetadataUrl", openid.metadata_url)
    monkeypatch.setenv("ToBotFromChannelTokenIssuer", openid.issuer)


@pytest.fixture
def local_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Authentication off, as for a local client simulator on a development machine."""
    for name in ("MicrosoftAppId", "MicrosoftAppPassword"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOUSSOLE_TEAMS_AUTH", "off")
    monkeypatch.setenv("BOUSSOLE_ENV", "development")


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the Teams sends would make before retrying (Retry-After), recorded instead of
    slept, so that a test asserts them and never depends on the clock."""
    recorded: list[float] = []

    async def record(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(retries, "sleep", record)
    return recorded


@pytest.fixture
def teams_app(database_url: str, tmp_path: Path) -> Iterator[App]:
    directory = tmp_path / "directory.yaml"
    directory.write_text(DIRECTORY, "utf-8")
    settings = Settings(
        database_url=database_url, data_dir=tmp_path / "data", directory_file=directory
    )
    opened = open_app(settings)
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def connector() -> AsyncIterator[ConnectorStub]:
    stub = ConnectorStub()
    await stub.start()
    yield stub
    await stub.close()


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


async def _hold_background_delivery(_notifier: Notifier, stop: asyncio.Event, *_: float) -> None:
    await stop.wait()


async def _serve(app: App, platform: TeamsPlatform, monkeypatch: pytest.MonkeyPatch) -> TestServer:
    """The server without its background delivery: its first drain, at start, could take a
    notice a test then drains itself and finds gone (seen under CI load); tests deliver
    with `Notifier.drain_once`."""
    monkeypatch.setattr(Notifier, "run", _hold_background_delivery)
    options = ServeOptions(notifier_interval=3600)
    server = TestServer(build_server(app, [platform], options), host="127.0.0.1")
    await server.start_server()
    return server


@pytest_asyncio.fixture
async def platform(teams_env: None) -> TeamsPlatform:
    return TeamsPlatform(credentials=FixedTokenFactory())


@pytest_asyncio.fixture
async def teams(
    teams_app: App,
    platform: TeamsPlatform,
    connector: ConnectorStub,
    openid: OpenIdStub,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[TeamsClient]:
    """The real server, authentication on, outbound tokens from the fixed factory; the
    connector stub is a service URL the deployer added (`adapters.teams.service_urls`)."""
    monkeypatch.setenv(SERVICE_URLS, connector.url)
    server = await _serve(teams_app, platform, monkeypatch)
    yield TeamsClient(str(server.make_url("")).rstrip("/"), connector, openid, session)
    await server.close()


@pytest_asyncio.fixture
async def local_teams(
    teams_app: App,
    local_env: None,
    connector: ConnectorStub,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[TeamsClient]:
    """The real server with BOUSSOLE_TEAMS_AUTH=off and the SDK's own credentials."""
    server = await _serve(teams_app, TeamsPlatform(), monkeypatch)
    yield TeamsClient(str(server.make_url("")).rstrip("/"), connector, None, session)
    await server.close()

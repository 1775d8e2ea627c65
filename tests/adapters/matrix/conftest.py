"""Fixtures for the Matrix adapter: one real Synapse for the session; per test, fresh accounts
(bot, agent, reviewer, admin), the platform started as `serve` starts it, and people driven
by a plain mautrix client with their own device and keys."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from adapters.matrix.bot import MatrixBot
from adapters.matrix.platform import MatrixPlatform
from adapters.server import ServeOptions
from bot.app import App, open_app
from bot.notifier import Sender
from bot.settings import Settings
from tests.adapters.matrix.person import Person
from tests.adapters.matrix.synapse import Account, Synapse

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    yield server
    server.stop()


class Accounts:
    def __init__(self, synapse: Synapse) -> None:
        n = next(_numbers)
        self.bot = synapse.register(f"boussole{n}")
        self.agent = synapse.register(f"agent{n}")
        self.reviewer = synapse.register(f"reviewer{n}")
        self.admin = synapse.register(f"admin{n}")


@pytest.fixture
def accounts(synapse: Synapse) -> Accounts:
    return Accounts(synapse)


@pytest.fixture
def matrix_app(database_url: str, tmp_path: Path, accounts: Accounts) -> Iterator[App]:
    directory = tmp_path / "directory.yaml"
    directory.write_text(
        f"""
departments:
  - id: education
    name: {{fr: Éducation, en: Education}}
    reviewers: ["matrix:{accounts.reviewer.user_id}"]
""",
        "utf-8",
    )
    settings = Settings(
        database_url=database_url, data_dir=tmp_path / "data", directory_file=directory
    )
    opened = open_app(settings)
    with opened.store.transaction() as tx:
        tx.add_admin(f"matrix:{accounts.admin.user_id}")
    yield opened
    opened.close()


class Running:
    def __init__(self, platform: MatrixPlatform, sender: Sender, app: App) -> None:
        self.platform = platform
        self.sender = sender
        self.app = app

    @property
    def bot(self) -> MatrixBot:
        assert self.platform.bot is not None
        return self.platform.bot


@pytest_asyncio.fixture
async def matrix(
    synapse: Synapse, accounts: Accounts, matrix_app: App, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Running]:
    bot = accounts.bot
    monkeypatch.setenv("BOUSSOLE_MATRIX_HOMESERVER", synapse.url)
    monkeypatch.setenv("BOUSSOLE_MATRIX_USER_ID", bot.user_id)
    monkeypatch.setenv("BOUSSOLE_MATRIX_ACCESS_TOKEN", bot.access_token)
    monkeypatch.setenv("BOUSSOLE_MATRIX_DEVICE_ID", bot.device_id)
    monkeypatch.setenv("BOUSSOLE_MATRIX_PICKLE_KEY", "test-pickle-key")
    platform = MatrixPlatform()
    sender = await platform.start(matrix_app, ServeOptions())
    yield Running(platform, sender, matrix_app)
    await platform.stop()


@pytest_asyncio.fixture
async def people(
    synapse: Synapse, accounts: Accounts, tmp_path: Path, matrix: Running
) -> AsyncIterator[dict[str, Person]]:
    opened: dict[str, Person] = {}
    for name in ("agent", "reviewer", "admin"):
        account: Account = getattr(accounts, name)
        opened[name] = await Person.open(synapse.url, account, tmp_path / f"{name}.db")
    yield opened
    await asyncio.gather(*(person.close() for person in opened.values()))

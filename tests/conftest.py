"""Fixtures: every test gets its own database, SQLite by default, PostgreSQL when
BOUSSOLE_TEST_DATABASE_URL is set (each test in a schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from bot.app import App, open_app
from bot.settings import Settings

POSTGRES_URL = os.environ.get("BOUSSOLE_TEST_DATABASE_URL")
REPO = Path(__file__).resolve().parent.parent

hypothesis_settings.register_profile(
    "boussole", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("boussole")
"""Property tests judge what the code does, never how fast: a deadline per example, or a
health check on how slowly examples are drawn, is a timed assertion that fails on a loaded
machine (CI runs on two shared cores) and says nothing about the code."""


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'boussole.db'}"
        return
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    opened = open_app(settings)
    yield opened
    opened.store.close()


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running the `boussole` command against the test's database; no proxy,
    since the peers a test starts are on 127.0.0.1 and nothing may leave the machine."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BOUSSOLE_") and not k.lower().endswith("_proxy")
    }
    env.update(
        NO_PROXY="127.0.0.1,localhost",
        BOUSSOLE_DATABASE_URL=database_url,
        BOUSSOLE_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="100",
        PYTHONIOENCODING="utf-8",
    )
    return env

"""Database engines: SQLite tuned for one process, PostgreSQL for several, same schema.

SQLite write transactions start with BEGIN IMMEDIATE: a plain BEGIN that reads and then
writes fails with "database is locked" under concurrency, whatever the busy timeout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

SCHEMA_HEAD = "0010"
"""The latest migration; checked with one SELECT so that start-up only imports Alembic when
the schema actually needs upgrading."""

READ_ONLY = "boussole_read_only"


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; says which URL (without its password)."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.detail = detail


def make_engine(url: str, sqlite_synchronous: str = "NORMAL") -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, sqlite_synchronous)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, synchronous: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, pool_reset_on_return=None)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema on first use; a no-op SELECT once it is current."""
    if current_revision(engine) == SCHEMA_HEAD:
        return
    _upgrade(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("storage").joinpath("migrations"))
    )
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7158812)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

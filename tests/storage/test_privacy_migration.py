"""Migration 0005 on a database with rows: processed keys older than a week are pruned, the
others and every outbox key hashed with the database's new key, so that a redelivery or a
periodic notice seen before the upgrade is still recognised after it; triages whose owner is
linked get the salt of their owner alias; chained audit rows are left as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from bot.audit import verify
from storage.database import make_engine
from storage.keys import SECRET_META, digest
from storage.models import Base
from storage.repository import GENESIS, DuplicateEvent, Store, audit_hash

STAMP = datetime.now(UTC) - timedelta(hours=1)


def migrate(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("storage").joinpath("migrations"))
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def rows_before_0005(connection: sa.Connection) -> None:
    def put(table: str, **values: object) -> None:
        """Through the model's table, so that values are written as SQLAlchemy writes them;
        only the columns named, which all exist before 0005."""
        connection.execute(sa.insert(Base.metadata.tables[table]).values(**values))

    put(
        "processed_events",
        platform="slack",
        key="UOLD:1700000000.000001",
        processed_at=datetime.now(UTC) - timedelta(days=8),
    )
    put("processed_events", platform="slack", key="UAGENT:1712345678.000001", processed_at=STAMP)
    put(
        "flow_versions",
        id=1,
        flow_id="f",
        version=1,
        sha256="0" * 64,
        source="",
        document={},
        published_by="x",
        published_at=STAMP,
        note="",
    )
    put("actors", pseudonym="p" * 16, platform="slack", user_id="UAGENT")
    for triage_id, owner in (("linked", "p" * 16), ("retained", "q" * 16)):
        put(
            "triages",
            id=triage_id,
            flow_version_id=1,
            owner=owner,
            platform="slack",
            lang="fr",
            status="completed",
            revision=1,
            created_at=STAMP,
            updated_at=STAMP,
        )
    put(
        "outbox",
        key="review_request:linked:1:slack:UREVIEWER",
        triage_id="linked",
        kind="review_request",
        platform="slack",
        recipient="UREVIEWER",
        payload={},
        status="pending",
        attempts=0,
        next_attempt_at=STAMP,
        last_error="",
        created_at=STAMP,
    )
    chained = audit_hash(GENESIS, "linked", 1, "start", "p" * 16, {}, STAMP)
    put(
        "audit_events",
        chain="linked",
        seq=1,
        kind="start",
        actor="p" * 16,
        payload={},
        created_at=STAMP,
        prev_hash=GENESIS,
        hash=chained,
    )


def test_0005_hashes_or_prunes_keys_and_salts_linked_triages(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine, "0004")
    with engine.begin() as connection:
        rows_before_0005(connection)
    migrate(engine, "head")

    with engine.connect() as connection:
        secret = bytes.fromhex(
            connection.execute(
                sa.text("SELECT value FROM meta WHERE key = :key"), {"key": SECRET_META}
            ).scalar_one()
        )
        events = connection.execute(sa.text("SELECT key FROM processed_events")).scalars().all()
        notices = connection.execute(sa.text("SELECT key FROM outbox")).scalars().all()
        salts = dict(connection.execute(sa.text("SELECT id, owner_salt FROM triages")).all())
    assert events == [digest(secret, "UAGENT:1712345678.000001")]
    assert notices == [digest(secret, "review_request:linked:1:slack:UREVIEWER")]
    assert salts["retained"] is None and len(salts["linked"]) == 32

    store = Store(engine)
    try:
        with pytest.raises(DuplicateEvent), store.transaction() as tx:
            tx.claim_event("slack", "UAGENT:1712345678.000001")
        with store.reading() as tx:
            assert verify(tx)[1] == []
    finally:
        store.close()

"""privacy: hashed idempotency keys, audit actors by channel and pseudonym, sized columns

Existing rows: processed-event keys older than a week are pruned (no platform redelivers
them any more) and the others hashed, so that a redelivery arriving across the upgrade is
still recognised; outbox keys are all hashed, so that a periodic notice queued before the
upgrade is not queued again under its new key. Both use the key drawn here, as storage.keys
does. Each triage whose owner is still linked gets the salt of its owner alias: its audit rows
written from now on name the owner by alias, the rows already chained keep the pseudonym
they were written with (a chained row is never rewritten).

Revision ID: 0005
Revises: 0004
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SECRET_META = "key_digest_secret"
EVENT_KEYS_KEPT = timedelta(days=7)
meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
events = sa.table(
    "processed_events",
    sa.column("platform", sa.String),
    sa.column("key", sa.String),
    sa.column("processed_at", sa.DateTime(timezone=True)),
)
outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("key", sa.String))
triages = sa.table(
    "triages",
    sa.column("id", sa.String),
    sa.column("owner", sa.String),
    sa.column("owner_salt", sa.String),
)
actors = sa.table("actors", sa.column("pseudonym", sa.String))


def _digest(secret: bytes, key: str) -> str:
    """storage.keys.digest, frozen here: a migration must not change with the code."""
    return hashlib.blake2b(key.encode("utf-8"), key=secret, digest_size=32).hexdigest()


def _secret(connection: sa.Connection) -> bytes:
    found = connection.execute(sa.select(meta.c.value).where(meta.c.key == SECRET_META)).scalar()
    if found is None:
        found = secrets.token_hex(32)
        connection.execute(sa.insert(meta).values(key=SECRET_META, value=found))
    return bytes.fromhex(found)


def upgrade() -> None:
    connection = op.get_bind()
    secret = _secret(connection)
    cutoff = datetime.now(UTC) - EVENT_KEYS_KEPT
    if connection.dialect.name == "sqlite":
        cutoff = cutoff.replace(tzinfo=None)
    connection.execute(sa.delete(events).where(events.c.processed_at < cutoff))
    for platform, key in connection.execute(sa.select(events.c.platform, events.c.key)).all():
        connection.execute(
            sa.update(events)
            .where(events.c.platform == platform, events.c.key == key)
            .values(key=_digest(secret, key))
        )
    for row_id, key in connection.execute(sa.select(outbox.c.id, outbox.c.key)).all():
        connection.execute(
            sa.update(outbox).where(outbox.c.id == row_id).values(key=_digest(secret, key))
        )
    with op.batch_alter_table("processed_events") as batch:
        batch.alter_column("key", existing_type=sa.String(length=200), type_=sa.String(length=64))
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("key", existing_type=sa.String(length=200), type_=sa.String(length=64))
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("actor", existing_type=sa.String(length=32), type_=sa.String(length=64))
    with op.batch_alter_table("triages") as batch:
        batch.add_column(sa.Column("owner_salt", sa.String(length=32), nullable=True))
    linked = sa.select(triages.c.id).where(triages.c.owner.in_(sa.select(actors.c.pseudonym)))
    for (triage_id,) in connection.execute(linked).all():
        connection.execute(
            sa.update(triages)
            .where(triages.c.id == triage_id)
            .values(owner_salt=secrets.token_hex(16))
        )


def downgrade() -> None:
    """The schema only: a digest cannot be reversed, so the keys stay hashed, and the older
    code does not recognise a redelivery of an event handled before the downgrade."""
    with op.batch_alter_table("triages") as batch:
        batch.drop_column("owner_salt")
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("actor", existing_type=sa.String(length=64), type_=sa.String(length=32))
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("key", existing_type=sa.String(length=64), type_=sa.String(length=200))
    with op.batch_alter_table("processed_events") as batch:
        batch.alter_column("key", existing_type=sa.String(length=64), type_=sa.String(length=200))

"""Alembic environment: always run on the connection `storage.database` hands over, so that
migrations happen inside the caller's transaction and lock."""

from alembic import context

from storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()

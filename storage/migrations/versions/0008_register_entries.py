"""the public algorithm register: one row per publication of a triage, kept when withdrawn

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry", sa.String(length=36), nullable=False),
        sa.Column("triage_id", sa.String(length=32), sa.ForeignKey("triages.id"), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_because", sa.String(length=20), nullable=True),
    )
    op.create_index("ix_register_entries_entry", "register_entries", ["entry"])
    op.create_index("ix_register_entries_triage", "register_entries", ["triage_id", "withdrawn_at"])


def downgrade() -> None:
    op.drop_index("ix_register_entries_triage", table_name="register_entries")
    op.drop_index("ix_register_entries_entry", table_name="register_entries")
    op.drop_table("register_entries")

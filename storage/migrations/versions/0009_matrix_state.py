"""the Matrix adapter's state: its sync position and the rooms it talks in

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matrix_sync",
        sa.Column("account", sa.String(length=255), primary_key=True),
        sa.Column("next_batch", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "matrix_rooms",
        sa.Column("room_id", sa.String(length=255), primary_key=True),
        sa.Column("direct_user", sa.String(length=255), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("triage_id", sa.String(length=32), nullable=True),
        sa.Column("question_id", sa.String(length=100), nullable=True),
        sa.Column("question_event", sa.String(length=255), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_matrix_rooms_direct_user", "matrix_rooms", ["direct_user"])


def downgrade() -> None:
    op.drop_index("ix_matrix_rooms_direct_user", table_name="matrix_rooms")
    op.drop_table("matrix_rooms")
    op.drop_table("matrix_sync")

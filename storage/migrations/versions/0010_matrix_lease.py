"""the Matrix device's lease: one process syncs a device at a time

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matrix_leases",
        sa.Column("account", sa.String(length=255), primary_key=True),
        sa.Column("device", sa.String(length=255), primary_key=True),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("matrix_leases")

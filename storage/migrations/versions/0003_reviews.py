"""reviews (the human decision on flagged triages) and re-triage

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("triages") as batch:
        batch.add_column(sa.Column("previous_result", sa.JSON(), nullable=True))
    op.create_table(
        "reviews",
        sa.Column("triage_id", sa.String(length=32), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_outcome", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=32), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("final_outcome", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("pending_outcome", sa.String(length=20), nullable=True),
        sa.Column("pending_by", sa.String(length=32), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("triage_id"),
    )


def downgrade() -> None:
    op.drop_table("reviews")
    with op.batch_alter_table("triages") as batch:
        batch.drop_column("previous_result")

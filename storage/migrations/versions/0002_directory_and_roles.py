"""directory and roles in the database

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "reviewers",
        sa.Column("department_id", sa.String(length=100), nullable=False),
        sa.Column("reviewer", sa.String(length=250), nullable=False),
        sa.PrimaryKeyConstraint("department_id", "reviewer"),
    )
    op.create_table(
        "admins",
        sa.Column("member", sa.String(length=250), nullable=False),
        sa.PrimaryKeyConstraint("member"),
    )
    op.create_table(
        "flow_uploads",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=250), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("flow_uploads")
    op.drop_table("admins")
    op.drop_table("reviewers")
    op.drop_table("departments")

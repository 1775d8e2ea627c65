"""re-triage: a new triage linked to the one it revises

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("triages") as batch:
        batch.add_column(sa.Column("revises", sa.String(length=32), nullable=True))
        batch.create_foreign_key("fk_triages_revises", "triages", ["revises"], ["id"])
        batch.create_index("ix_triages_revises", ["revises"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triages") as batch:
        batch.drop_index("ix_triages_revises")
        batch.drop_constraint("fk_triages_revises", type_="foreignkey")
        batch.drop_column("revises")

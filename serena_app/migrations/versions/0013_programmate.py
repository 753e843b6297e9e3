"""scheduled publishes: one row each, claimed by one app process when due

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:15:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    testo = sqlmodel.sql.sqltypes.AutoString
    momento = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "programmata",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quando", momento(), nullable=False),
        sa.Column("autore", testo(length=64), nullable=False),
        sa.Column("creata", momento(), nullable=False),
        sa.Column("stato", testo(length=16), nullable=False),
        sa.Column("presa_da", testo(length=64), nullable=True),
        sa.Column("presa_il", momento(), nullable=True),
        sa.Column("finita", momento(), nullable=True),
        sa.Column("esito", testo(length=255), nullable=False),
        sa.Column("annullata_da", testo(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programmata_stato_quando", "programmata", ["stato", "quando"])


def downgrade() -> None:
    op.drop_index("ix_programmata_stato_quando", table_name="programmata")
    op.drop_table("programmata")

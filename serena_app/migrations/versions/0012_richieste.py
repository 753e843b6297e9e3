"""publication requests: a redattore asks, a responsabile publishes or postpones

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:30:00

One table; at most one open request per space (a partial unique index, on SQLite and
PostgreSQL alike).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "richiestapubblicazione",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spazio", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("richiedente", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("creata", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("messaggio", sa.Text(), nullable=False),
        sa.Column("versione", sa.Integer(), nullable=False),
        sa.Column("elenco", sa.Text(), nullable=False),
        sa.Column("stato", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("decisore", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("decisa", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("nota", sa.Text(), nullable=False),
        sa.Column("esito_visto", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_richiestapubblicazione_richiedente", "richiestapubblicazione", ["richiedente"]
    )
    op.create_index(
        "ux_richiesta_aperta",
        "richiestapubblicazione",
        ["spazio"],
        unique=True,
        sqlite_where=sa.text("stato = 'aperta'"),
        postgresql_where=sa.text("stato = 'aperta'"),
    )


def downgrade() -> None:
    op.drop_index("ux_richiesta_aperta", table_name="richiestapubblicazione")
    op.drop_index("ix_richiestapubblicazione_richiedente", table_name="richiestapubblicazione")
    op.drop_table("richiestapubblicazione")

"""the audit log: what was done with the accounts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 22:00:00

`evento` keeps logins (and failed or refused ones) and changes to staff accounts, for
`serena audit`; content changes are in `revisione`. Append-only: triggers refuse any change
or deletion.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

# The PostgreSQL trigger function of 0006 (CREATE OR REPLACE: the same text again).
RIFIUTA = (
    "CREATE OR REPLACE FUNCTION serena_rifiuta() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"
)

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evento",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quando", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("nome_utente", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("azione", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evento_quando", "evento", ["quando"])
    op.create_index("ix_evento_nome_utente", "evento", ["nome_utente"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(RIFIUTA)
        op.execute(
            "CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_rifiuta('il registro non si modifica')"
        )
        op.execute(
            "CREATE TRIGGER evento_conservato BEFORE DELETE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_rifiuta('il registro non si cancella')"
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento "
            "BEGIN SELECT RAISE(ABORT, 'il registro non si modifica'); END"
        )
        op.execute(
            "CREATE TRIGGER evento_conservato BEFORE DELETE ON evento "
            "BEGIN SELECT RAISE(ABORT, 'il registro non si cancella'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS evento_conservato")
        op.execute("DROP TRIGGER IF EXISTS evento_immutabile")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS evento_conservato ON evento")
        op.execute("DROP TRIGGER IF EXISTS evento_immutabile ON evento")
    op.drop_index("ix_evento_nome_utente", "evento")
    op.drop_index("ix_evento_quando", "evento")
    op.drop_table("evento")

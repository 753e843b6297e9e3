"""content rows belong to a page; the change counter is per page

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 18:20:00

Every content row gets `pagina` ("pubblicata" for what exists), so drafts and demo sandboxes
can live in the same tables. `revisionepagina` (one global counter) becomes `versionepagina`
(one counter per page).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PUBBLICATA = "pubblicata"


def _testo(lunghezza: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=lunghezza)


def upgrade() -> None:
    op.create_table(
        "sezione_nuova",
        sa.Column("pagina", _testo(64), nullable=False),
        sa.Column("chiave", _testo(40), nullable=False),
        sa.Column("testo", _testo(4000), nullable=False),
        sa.Column("versione", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pagina", "chiave"),
    )
    op.execute(
        "INSERT INTO sezione_nuova (pagina, chiave, testo, versione) "
        "SELECT 'pubblicata', chiave, testo, versione FROM sezione"
    )
    op.drop_table("sezione")
    op.rename_table("sezione_nuova", "sezione")

    for tabella in ("tappa", "valore"):
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.add_column(
                sa.Column("pagina", _testo(64), nullable=False, server_default=PUBBLICATA)
            )
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.alter_column("pagina", server_default=None)
            batch_op.create_index(batch_op.f(f"ix_{tabella}_pagina"), ["pagina"], unique=False)

    op.create_table(
        "versionepagina",
        sa.Column("pagina", _testo(64), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pagina"),
    )
    op.execute(
        "INSERT INTO versionepagina (pagina, numero) "
        "SELECT 'pubblicata', numero FROM revisionepagina WHERE id = 1"
    )
    op.drop_table("revisionepagina")


def downgrade() -> None:
    op.create_table(
        "revisionepagina",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO revisionepagina (id, numero) "
        "SELECT 1, numero FROM versionepagina WHERE pagina = 'pubblicata'"
    )
    op.drop_table("versionepagina")
    for tabella in ("tappa", "valore"):
        op.execute(f"DELETE FROM {tabella} WHERE pagina != '{PUBBLICATA}'")  # noqa: S608
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{tabella}_pagina"))
            batch_op.drop_column("pagina")
    op.create_table(
        "sezione_vecchia",
        sa.Column("chiave", _testo(40), nullable=False),
        sa.Column("testo", _testo(4000), nullable=False),
        sa.Column("versione", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chiave"),
    )
    op.execute(
        "INSERT INTO sezione_vecchia (chiave, testo, versione) "
        "SELECT chiave, testo, versione FROM sezione WHERE pagina = 'pubblicata'"
    )
    op.drop_table("sezione")
    op.rename_table("sezione_vecchia", "sezione")

"""history: every change is kept; milestones and values get a lasting code

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 21:20:00

`revisione` is append-only (triggers refuse any change to it, and any deletion but an ended
demo sandbox's): one row per change to content (a draft saved, added, deleted,
moved, restored or undone; a publish; drafts discarded), with who, when, which item, and the
item's fields before and after (JSON). A milestone or value keeps one `codice` for its whole
life, on the published page and in the working copy alike, so its history survives publishes
and discards (row ids do not).
"""

import uuid

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# PostgreSQL: a trigger function that refuses the statement with the trigger's message.
RIFIUTA = (
    "CREATE OR REPLACE FUNCTION serena_rifiuta() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"
)


def _testo(lunghezza: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=lunghezza)


def upgrade() -> None:
    op.create_table(
        "revisione",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spazio", _testo(64), nullable=False),
        sa.Column("tipo", _testo(16), nullable=False),
        sa.Column("chiave", _testo(40), nullable=False),
        sa.Column("azione", _testo(16), nullable=False),
        sa.Column("autore", _testo(64), nullable=True),
        sa.Column("quando", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("prima", sa.Text(), nullable=True),
        sa.Column("dopo", sa.Text(), nullable=True),
        sa.Column("annulla", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revisione_spazio_chiave", "revisione", ["spazio", "chiave"])
    op.create_index("ix_revisione_spazio_autore", "revisione", ["spazio", "autore"])
    connessione = op.get_bind()
    if connessione.dialect.name == "postgresql":
        op.execute(RIFIUTA)
        op.execute(
            "CREATE TRIGGER revisione_immutabile BEFORE UPDATE ON revisione FOR EACH ROW "
            "EXECUTE FUNCTION serena_rifiuta('la cronologia non si modifica')"
        )
        op.execute(
            "CREATE TRIGGER revisione_conservata BEFORE DELETE ON revisione FOR EACH ROW "
            "WHEN (OLD.spazio NOT LIKE 'demo-%') "
            "EXECUTE FUNCTION serena_rifiuta('la cronologia non si cancella')"
        )
    if connessione.dialect.name == "sqlite":
        # The database itself keeps history append-only: no revision is ever changed, and
        # only an ended demo sandbox's are deleted (with the sandbox).
        op.execute(
            "CREATE TRIGGER revisione_immutabile BEFORE UPDATE ON revisione "
            "BEGIN SELECT RAISE(ABORT, 'la cronologia non si modifica'); END"
        )
        op.execute(
            "CREATE TRIGGER revisione_conservata BEFORE DELETE ON revisione "
            "WHEN OLD.spazio NOT LIKE 'demo-%' "
            "BEGIN SELECT RAISE(ABORT, 'la cronologia non si cancella'); END"
        )
    for tabella in ("tappa", "valore"):
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.add_column(sa.Column("codice", _testo(32), nullable=True))
        righe = connessione.execute(
            sa.text(f"SELECT id, origine FROM {tabella} ORDER BY origine IS NOT NULL, id")  # noqa: S608
        ).all()
        codici: dict[int, str] = {}
        for id_, origine in righe:  # published rows (no origine) first
            codici[id_] = codici.get(origine) or uuid.uuid4().hex
            connessione.execute(
                sa.text(f"UPDATE {tabella} SET codice = :c WHERE id = :i"),  # noqa: S608
                {"c": codici[id_], "i": id_},
            )
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.alter_column("codice", nullable=False)
            batch_op.create_index(f"ix_{tabella}_codice", ["codice"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS revisione_conservata")
        op.execute("DROP TRIGGER IF EXISTS revisione_immutabile")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS revisione_conservata ON revisione")
        op.execute("DROP TRIGGER IF EXISTS revisione_immutabile ON revisione")
    for tabella in ("tappa", "valore"):
        with op.batch_alter_table(tabella) as batch_op:
            batch_op.drop_index(f"ix_{tabella}_codice")
            batch_op.drop_column("codice")
    op.drop_index("ix_revisione_spazio_autore", "revisione")
    op.drop_index("ix_revisione_spazio_chiave", "revisione")
    op.drop_table("revisione")

"""login events: refusals counted, old ones pruned, names that are no account marked; device
tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 17:00:00

`evento` gets `account` (whether the name of a login attempt was an account's) and `volte`
(how many refused attempts a refusal row counts). Its triggers now let through exactly two
things, and refuse everything else as before:

* adding 1 to `volte` of a refused attempt's row (`accesso rifiutato`), nothing else changed;
* deleting a login's row (`accesso`, `accesso fallito`, `accesso rifiutato`) older than the
  retention written in `impostazione` (90 days if none is).

`impostazione` holds settings the database itself needs: the retention of login events, which
the trigger reads (`serena prepare` writes it from the environment), and the key that signs
device tokens (made here, once).

`tentativoaccesso` gets `dispositivo`: the device token a failure was made with, if any.
"""

import secrets

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The action names of `auth/eventi.py`, as they are stored (a migration keeps its own copy).
ACCESSI = "('accesso', 'accesso fallito', 'accesso rifiutato')"
RIFIUTATO = "'accesso rifiutato'"
CONSERVAZIONE = "'conservazione_accessi_giorni'"

# Every column but `volte` is unchanged, and `volte` goes up by exactly one.
_STESSA_RIGA = " AND ".join(
    f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}"
    for c in ("id", "quando", "nome_utente", "azione", "client", "account")
)
_SQLITE_STESSA_RIGA = " AND ".join(
    f"NEW.{c} IS OLD.{c}" for c in ("id", "quando", "nome_utente", "azione", "client", "account")
)

PG_MODIFICA = f"""
CREATE OR REPLACE FUNCTION serena_evento_modifica() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.azione = {RIFIUTATO} AND NEW.volte = OLD.volte + 1 AND {_STESSA_RIGA} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'il registro non si modifica';
END $$
"""
PG_CANCELLAZIONE = f"""
CREATE OR REPLACE FUNCTION serena_evento_cancellazione() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.azione IN {ACCESSI} AND OLD.quando < now() - make_interval(days => coalesce(
        (SELECT valore::integer FROM impostazione WHERE nome = {CONSERVAZIONE}), 90)) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'il registro non si cancella';
END $$
"""  # noqa: S608 (the constants above)
# SQLite stores `quando` as UTC text ("2026-12-05 17:00:00.000000"), which sorts as time does.
SQLITE_MODIFICA = f"""
CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento
WHEN NOT coalesce(OLD.azione = {RIFIUTATO} AND NEW.volte = OLD.volte + 1
                  AND {_SQLITE_STESSA_RIGA}, 0)
BEGIN SELECT RAISE(ABORT, 'il registro non si modifica'); END
"""
SQLITE_CANCELLAZIONE = f"""
CREATE TRIGGER evento_conservato BEFORE DELETE ON evento
WHEN NOT coalesce(OLD.azione IN {ACCESSI} AND OLD.quando < datetime('now', '-' || coalesce(
    (SELECT CAST(valore AS INTEGER) FROM impostazione WHERE nome = {CONSERVAZIONE}), 90)
    || ' days'), 0)
BEGIN SELECT RAISE(ABORT, 'il registro non si cancella'); END
"""  # noqa: S608 (the constants above)


def upgrade() -> None:
    op.create_table(
        "impostazione",
        sa.Column("nome", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("valore", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.PrimaryKeyConstraint("nome"),
    )
    op.execute(
        sa.text(
            "INSERT INTO impostazione (nome, valore) VALUES ('chiave_dispositivi', :chiave)"
        ).bindparams(chiave=secrets.token_hex(32))
    )
    op.add_column(
        "tentativoaccesso",
        sa.Column("dispositivo", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.create_index("ix_tentativoaccesso_dispositivo", "tentativoaccesso", ["dispositivo"])
    dialetto = op.get_bind().dialect.name
    # SQLite: ADD COLUMN with a constant default, which needs no table copy (the triggers stay).
    op.add_column(
        "evento", sa.Column("account", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("evento", sa.Column("volte", sa.Integer(), nullable=False, server_default="1"))
    if dialetto == "postgresql":
        op.execute(PG_MODIFICA)
        op.execute(PG_CANCELLAZIONE)
        op.execute("DROP TRIGGER evento_immutabile ON evento")
        op.execute("DROP TRIGGER evento_conservato ON evento")
        op.execute(
            "CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_evento_modifica()"
        )
        op.execute(
            "CREATE TRIGGER evento_conservato BEFORE DELETE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_evento_cancellazione()"
        )
    if dialetto == "sqlite":
        op.execute("DROP TRIGGER evento_immutabile")
        op.execute("DROP TRIGGER evento_conservato")
        op.execute(SQLITE_MODIFICA)
        op.execute(SQLITE_CANCELLAZIONE)


def downgrade() -> None:
    dialetto = op.get_bind().dialect.name
    if dialetto == "postgresql":
        op.execute("DROP TRIGGER evento_immutabile ON evento")
        op.execute("DROP TRIGGER evento_conservato ON evento")
        op.execute("DROP FUNCTION serena_evento_modifica()")
        op.execute("DROP FUNCTION serena_evento_cancellazione()")
        op.execute(
            "CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_rifiuta('il registro non si modifica')"
        )
        op.execute(
            "CREATE TRIGGER evento_conservato BEFORE DELETE ON evento FOR EACH ROW "
            "EXECUTE FUNCTION serena_rifiuta('il registro non si cancella')"
        )
    if dialetto == "sqlite":
        op.execute("DROP TRIGGER evento_immutabile")
        op.execute("DROP TRIGGER evento_conservato")
    op.drop_column("evento", "volte")
    op.drop_column("evento", "account")
    if dialetto == "sqlite":
        op.execute(
            "CREATE TRIGGER evento_immutabile BEFORE UPDATE ON evento "
            "BEGIN SELECT RAISE(ABORT, 'il registro non si modifica'); END"
        )
        op.execute(
            "CREATE TRIGGER evento_conservato BEFORE DELETE ON evento "
            "BEGIN SELECT RAISE(ABORT, 'il registro non si cancella'); END"
        )
    op.drop_index("ix_tentativoaccesso_dispositivo", "tentativoaccesso")
    op.drop_column("tentativoaccesso", "dispositivo")
    op.drop_table("impostazione")

"""`serena backup` and `serena restore` on PostgreSQL, with Debian's `pg_dump`, `pg_restore` and
`psql` (`produzione/servizi.py: binari_postgres()`), as the app's role: no superuser needed.

A backup is `pg_dump --format=custom` of the site's schema (the role's `current_schema()`,
`serena` in production). pg_dump reads everything in one repeatable-read transaction, so a save
committed while it runs is either all in the copy or all out. It is written under a temporary
name (owner-only: it holds password hashes and TOTP secrets) and takes its final name only once
`pg_restore` has read it whole: its table of contents (the app's tables are there, at the
latest revision) and every data block, decompressed into nothing (`--file=/dev/null`). It is
not restored into a throwaway schema on every backup: that would create a schema on the live
database each time (left behind by a backup killed midway) and double the work of a command
run from cron; the full restore and its checks happen when a copy is put back.

A restore checks the file first (read whole, the site's tables, a revision this version knows),
then restores it into a new schema beside the live one, migrates it if it is older (Alembic,
as on SQLite) and checks every table and column of the models there. Only then, in one
transaction, the live schema is renamed `serena_prima_del_ripristino_…` and the new one
`serena`: nobody ever sees half of it. A refused restore drops the new schema: nothing else
was touched. The kept schema is put back by `serena restore --schema NOME` (itself undone
the same way). The role needs CREATE on its database for this (`servizi._impostazione`).

The role's password is never on a command line (every local user reads /proc/*/cmdline): it
goes to the programs in `PGPASSWORD`, in their environment only.
"""

import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from serena_app import db
from serena_app.comandi.copie import (
    CopiaNonValida,
    manca,
    migrazioni,
    provvisorio,
    sincronizza,
)
from serena_app.produzione.servizi import binari_postgres

PRIMA = "_prima_del_ripristino_"
# A table of contents line of `pg_restore --list`: "215; 1259 16387 TABLE serena tappa serena".
VOCE = re.compile(r"^\d+; \d+ \d+ (TABLE|SCHEMA) (\S+) (\S+)")
ATTESA_S = 10  # connecting


def _programma(nome: str) -> str:
    cartella = binari_postgres()
    if cartella is None or not (cartella / nome).exists():
        msg = f"{nome} non è installato: esegui scripts/install-services.sh (make install)."
        raise CopiaNonValida(msg)
    return str(cartella / nome)


def esegui(nome: str, *argomenti: str, url: str | None = None) -> str:
    """Run a PostgreSQL program (connected to `url` if given); its output.

    Raises:
        subprocess.CalledProcessError: It failed (its stderr holds why).
    """
    ambiente = {**os.environ, "PGCONNECT_TIMEOUT": str(ATTESA_S)}
    connessione: list[str] = []
    if url is not None:
        indirizzo = make_url(url)
        if indirizzo.password:  # else libpq's own ways (~/.pgpass, peer) apply
            ambiente["PGPASSWORD"] = indirizzo.password
        connessione = [
            f"--host={indirizzo.host or indirizzo.query.get('host') or 'localhost'}",
            f"--port={indirizzo.port or 5432}",
            f"--username={indirizzo.username or ''}",
            f"--dbname={indirizzo.database or ''}",
        ]
    fatto = subprocess.run(  # noqa: S603 (Debian's programs; no shell)
        [_programma(nome), *connessione, *argomenti],
        capture_output=True,
        text=True,
        env=ambiente,
        check=True,
    )
    return fatto.stdout


def motivo_di(errore: subprocess.CalledProcessError) -> str:
    """The first line a program wrote on stderr: enough to say why, in the refusal."""
    righe = [r for r in (errore.stderr or "").splitlines() if r.strip()]
    return righe[0].strip() if righe else f"codice {errore.returncode}"


def nome_sql(nome: str) -> str:
    """A schema's name quoted for SQL (and for pg_dump's --schema, where it is then taken as
    it is, not as a pattern)."""
    return '"' + nome.replace('"', '""') + '"'


def adesso() -> str:
    """The time, for the names of schemas a restore makes (to the microsecond: never twice)."""
    return f"{datetime.now(UTC):%Y%m%d_%H%M%S_%f}"


# The file


def leggi(percorso: Path) -> tuple[str, str, set[str]]:
    """Read a dump whole: its schema, its migration revision, its tables.

    Raises:
        CopiaNonValida: Not a dump pg_restore reads, damaged or cut short, not of the site, or
            of a revision this version does not know.
    """
    try:
        indice = esegui("pg_restore", "--list", str(percorso))
    except subprocess.CalledProcessError as errore:
        msg = f"Il file {percorso} non è una copia di PostgreSQL leggibile ({motivo_di(errore)})."
        raise CopiaNonValida(msg) from None
    voci = [m.groups() for r in indice.splitlines() if (m := VOCE.match(r))]
    schemi = {nome for tipo, _, nome in voci if tipo == "SCHEMA"}
    tabelle = {(schema, nome) for tipo, schema, nome in voci if tipo == "TABLE"}
    schema = next((s for s, n in tabelle if n == "alembic_version" and s in schemi), None)
    if schema is None:
        msg = f"Il file {percorso} non è una copia del sito (non dice la revisione dello schema)."
        raise CopiaNonValida(msg)
    try:
        esegui("pg_restore", "--file=/dev/null", str(percorso))  # every data block
        dati = esegui(
            "pg_restore", "--data-only", f"--schema={schema}", "--table=alembic_version",
            "--file=-", str(percorso),
        )  # fmt: skip
    except subprocess.CalledProcessError as errore:
        msg = f"Il file {percorso} è danneggiato o incompleto ({motivo_di(errore)})."
        raise CopiaNonValida(msg) from None
    righe = dati.split(" FROM stdin;\n", 1)[-1].split("\n\\.", 1)[0].splitlines()
    if len(righe) != 1 or righe[0] not in {s.revision for s in migrazioni().walk_revisions()}:
        revisione = righe[0] if len(righe) == 1 else "nessuna"
        msg = (
            f"Il file {percorso} viene da una versione del sito che questa non conosce "
            f"(revisione «{revisione}»): aggiorna il sito, poi ripristina."
        )
        raise CopiaNonValida(msg)
    return schema, righe[0], {n for s, n in tabelle if s == schema}


def controlla(percorso: Path) -> None:
    """A dump of the site at the latest revision, read whole, with every table of the models.

    Raises:
        CopiaNonValida: It is not.
    """
    _, revisione, tabelle = leggi(percorso)
    if revisione != (ultima := migrazioni().get_current_head()):
        msg = f"Il file {percorso} ha lo schema «{revisione}», non l’ultimo («{ultima}»)."
        raise CopiaNonValida(msg)
    manca(percorso, {t: None for t in tabelle})


# Backup


def schema_del_sito(engine: Engine) -> tuple[str | None, set[str]]:
    """The site's schema (the role's current_schema(): `serena`; None if it is missing) and
    every schema of the database.

    Raises:
        CopiaNonValida: The server does not answer.
    """
    try:
        with engine.connect() as connessione:
            schema = connessione.execute(text("SELECT current_schema()")).scalar()
            tutti = set(connessione.execute(text("SELECT nspname FROM pg_namespace")).scalars())
    except OperationalError:
        indirizzo = engine.url
        msg = f"PostgreSQL non risponde su {indirizzo.host}:{indirizzo.port}: è avviato?"
        raise CopiaNonValida(msg) from None
    return schema, tutti


def _schema_da_copiare(engine: Engine) -> str:
    schema, _ = schema_del_sito(engine)
    if not schema:
        msg = "Il database non ha lo schema del sito (search_path): esegui `serena prepare`."
        raise CopiaNonValida(msg)
    return schema


def backup(cartella: Path, url: str) -> Path:
    """Dump the site's schema into a new file in `cartella`, checked; its path."""
    cartella = cartella.absolute()
    cartella.mkdir(parents=True, exist_ok=True)
    engine = db.crea_engine(url)
    try:
        schema = _schema_da_copiare(engine)
    finally:
        engine.dispose()
    destinazione = cartella / f"serena-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.dump"
    provvisoria = provvisorio(cartella, destinazione.name)  # owner-only, as the dump stays
    try:
        try:
            esegui(
                "pg_dump", "--format=custom", f"--schema={nome_sql(schema)}",
                f"--file={provvisoria}", url=url,
            )  # fmt: skip
        except subprocess.CalledProcessError as errore:
            raise CopiaNonValida(f"pg_dump non ha funzionato: {motivo_di(errore)}") from None
        controlla(provvisoria)
        sincronizza(provvisoria)
        os.replace(provvisoria, destinazione)
        sincronizza(cartella)
    finally:
        provvisoria.unlink(missing_ok=True)
    return destinazione

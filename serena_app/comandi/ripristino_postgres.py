"""`serena restore` on PostgreSQL: a dump (`backup_postgres.py`) restored into a schema beside
the live one, migrated and checked there, then swapped in by renaming both in one transaction.

Why a schema beside and not a database: the app's role may not create databases (NOCREATEDB),
and it owns its schema. pg_restore cannot restore under another schema name, so the dump is
restored by psql in one transaction that moves the schema of the same name aside for a moment,
restores, renames the restored one `serena_ripristino_…` and puts the other back: from outside
(the running site included) the live schema never moved, and an error rolls all of it back.
"""

import re
import subprocess
import tempfile
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from serena_app import db
from serena_app.comandi.backup_postgres import (
    PRIMA,
    adesso,
    esegui,
    leggi,
    motivo_di,
    nome_sql,
    schema_del_sito,
)
from serena_app.comandi.copie import (
    CopiaNonValida,
    file_da_leggere,
    manca,
    migrazioni,
)

TENUTO = re.compile(rf"^\w+{PRIMA}\d{{8}}_\d{{6}}_\d{{6}}$")


def _motore(url: str, schema: str | None = None) -> Engine:
    """An engine on `url`, its search_path `schema` if given (a schema of ours, by name)."""
    if schema is None:
        return db.crea_engine(url)
    return create_engine(url, connect_args={"options": f"-csearch_path={schema}"})


def _in_disparte(percorso: Path, schema: str, prova: str, url: str, esistenti: set[str]) -> None:
    """Restore the dump's `schema` as `prova`, in one psql transaction (see the module)."""
    parcheggio = f"serena_parcheggio_{adesso()}"
    prima = [f"CREATE SCHEMA {nome_sql(schema)};"]
    dopo = [f"ALTER SCHEMA {nome_sql(schema)} RENAME TO {nome_sql(prova)};"]
    if schema in esistenti:
        prima.insert(0, f"ALTER SCHEMA {nome_sql(schema)} RENAME TO {nome_sql(parcheggio)};")
        dopo.append(f"ALTER SCHEMA {nome_sql(parcheggio)} RENAME TO {nome_sql(schema)};")
    with tempfile.TemporaryDirectory(prefix="serena-ripristino-") as cartella:  # owner-only
        script = Path(cartella) / "copia.sql"
        try:
            esegui(
                "pg_restore", "--no-owner", "--no-privileges", f"--schema={schema}",
                f"--file={script}", str(percorso),
            )  # fmt: skip
            esegui(
                "psql", "--no-psqlrc", "--quiet", "--single-transaction",
                "--set=ON_ERROR_STOP=1", "--command=" + " ".join(prima), f"--file={script}",
                "--command=" + " ".join(dopo), url=url,
            )  # fmt: skip
        except subprocess.CalledProcessError as errore:
            motivo = motivo_di(errore)
            msg = f"Il file {percorso} non si ripristina ({motivo}); non è cambiato nulla."
            raise CopiaNonValida(msg) from None


def _pronto(schema: str, url: str, nome: object) -> None:
    """Migrate `schema` if it is older, then check its revision and every table and column."""
    engine = _motore(url, schema)
    try:
        with engine.connect() as connessione:
            revisione = connessione.execute(
                text(f"SELECT version_num FROM {nome_sql(schema)}.alembic_version")  # noqa: S608
            ).scalar()
        if revisione not in {s.revision for s in migrazioni().walk_revisions()}:
            msg = (
                f"{nome} viene da una versione del sito che questa non conosce "
                f"(revisione «{revisione}»): aggiorna il sito, poi ripristina."
            )
            raise CopiaNonValida(msg)
        if revisione != migrazioni().get_current_head():
            db.migra(engine)
        with engine.connect() as connessione:
            ispettore = inspect(connessione)
            colonne = {
                t: {c["name"] for c in ispettore.get_columns(t, schema=schema)}
                for t in ispettore.get_table_names(schema=schema)
            }
    except (SQLAlchemyError, CommandError) as errore:
        motivo = str(getattr(errore, "orig", None) or errore).splitlines()[0]
        msg = f"{nome} non si aggiorna allo schema di questa versione del sito ({motivo})."
        raise CopiaNonValida(msg) from None
    finally:
        engine.dispose()
    manca(nome, dict(colonne))


def _scambia(nuovo: str, vivo: str, url: str) -> str:
    """In one transaction: the live schema renamed aside (its new name returned), `nuovo`
    renamed as the live one."""
    precedente = f"{vivo}{PRIMA}{adesso()}"
    engine = _motore(url)
    try:
        with engine.begin() as connessione:
            for da, a in ((vivo, precedente), (nuovo, vivo)):
                connessione.execute(text(f"ALTER SCHEMA {nome_sql(da)} RENAME TO {nome_sql(a)}"))
    finally:
        engine.dispose()
    return precedente


def _scarta(schema: str, url: str) -> None:
    engine = _motore(url)
    try:
        with engine.begin() as connessione:
            connessione.execute(text(f"DROP SCHEMA IF EXISTS {nome_sql(schema)} CASCADE"))
    finally:
        engine.dispose()


def _vivo(url: str) -> tuple[str, set[str]]:
    engine = _motore(url)
    try:
        vivo, tutti = schema_del_sito(engine)
    finally:
        engine.dispose()
    if vivo is None:
        msg = "Il database non ha lo schema del sito (search_path): avvia `make prod` una volta."
        raise CopiaNonValida(msg)
    return vivo, tutti


def ripristina(percorso: Path, url: str) -> str:
    """Make the dump `percorso` the live schema, once every check has passed on it.

    Returns:
        The schema the previous live data is kept in: `ripristina_schema` of it undoes this.

    Raises:
        CopiaNonValida: The file is refused (the message says why); nothing was changed.
    """
    file_da_leggere(percorso)
    schema, _, _ = leggi(percorso)
    vivo, tutti = _vivo(url)
    prova = f"serena_ripristino_{adesso()}"
    _in_disparte(percorso, schema, prova, url, tutti)
    try:
        _pronto(prova, url, f"Il file {percorso}")
        return _scambia(prova, vivo, url)
    except BaseException:
        _scarta(prova, url)
        raise


def ripristina_schema(nome: str, url: str) -> str:
    """Put back a schema kept by a restore (`serena_prima_del_ripristino_…`); the live one is
    kept in turn, its name returned.

    Raises:
        CopiaNonValida: No such schema kept, or it fails the checks; nothing was changed.
    """
    if make_url(url).get_backend_name() != "postgresql":
        msg = "`serena restore --schema` vale per PostgreSQL: su SQLite ripristina il file tenuto."
        raise CopiaNonValida(msg)
    vivo, tutti = _vivo(url)
    if not TENUTO.match(nome) or nome not in tutti:
        msg = f"Nel database non c’è lo schema «{nome}» tenuto da un ripristino."
        raise CopiaNonValida(msg)
    _pronto(nome, url, f"Lo schema {nome}")
    return _scambia(nome, vivo, url)

"""`serena backup` and `serena restore` on PostgreSQL, with the app role exactly as production
makes it (`produzione/servizi.py`: no superuser, it owns only schema `serena`): a copy taken while
staff save is one consistent snapshot holding every save acknowledged before it began, and it
restores into a fresh server where the page reads from it; a damaged, cut or foreign file
changes nothing; a restore is undone with the schema it kept."""

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from serena_app.comandi import backup, cli, ripristino_postgres
from serena_app.comandi.backup_postgres import esegui
from serena_app.comandi.copie import CopiaNonValida, migrazioni
from serena_app.contenuto import bozze, istantanea, pagina
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO
from serena_app.contenuto.semina import semina
from serena_app.db import MIGRATIONS, crea_engine, migra
from serena_app.models import Revisione
from tests.factories import MISSION
from tests.support.postgres import cartella_per_postgres, impronta, server_come_in_produzione

AUTORE = "salvataggi"
PRIMA_DI_COPIARE = 5  # saves acknowledged before the backup starts


@pytest.fixture(scope="module")
def radice() -> Iterator[Path]:
    with cartella_per_postgres() as cartella:
        yield cartella


@pytest.fixture(scope="module")
def vivo(radice: Path) -> Iterator[str]:
    """The live site's database: migrated, seeded, with a working copy."""
    with server_come_in_produzione(radice / "vivo") as url:
        engine = crea_engine(url)
        migra(engine)
        with Session(engine) as session:
            semina(session=session)
            bozze.apri(session=session, spazio=SITO)
        engine.dispose()
        yield url


def _salva_finché(engine: Engine, basta: threading.Event, confermati: list[int], cond) -> None:
    """Save the mission's draft as staff do, "Salvataggio 1", 2…, until told to stop; each
    number recorded once `salva` has returned (committed: acknowledged to the user)."""
    numero = 0
    with Session(engine, expire_on_commit=False) as session:
        while not basta.is_set():
            numero += 1
            session.expire_all()
            attuale = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION)
            pagina.salva(
                session=session,
                pagina=BOZZA,
                voce=MISSION,
                campi={"testo": f"Salvataggio {numero}"},
                versione=attuale.versione,
                autore=AUTORE,
            )
            with cond:
                confermati.append(numero)
                cond.notify_all()


def test_a_backup_taken_while_staff_save_restores_every_acknowledged_save_into_a_fresh_server(
    vivo: str, radice: Path
):
    engine = crea_engine(vivo)
    with Session(engine) as session:
        base = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION).versione
        base_pagina = pagina.versione_pagina(session=session, pagina=BOZZA)
    basta, confermati, cond = threading.Event(), [], threading.Condition()
    scrivente = threading.Thread(target=_salva_finché, args=(engine, basta, confermati, cond))
    scrivente.start()
    try:
        with cond:
            assert cond.wait_for(lambda: len(confermati) >= PRIMA_DI_COPIARE, timeout=60)
            prima = len(confermati)
        copia = backup.backup(radice / "copie", vivo)
        with cond:  # the saves went on after the copy: they ran while it was taken
            assert cond.wait_for(lambda: len(confermati) > prima + 2, timeout=60)
    finally:
        basta.set()
        scrivente.join(timeout=60)
        engine.dispose()
    assert not scrivente.is_alive()
    assert copia.name.startswith("serena-") and copia.suffix == ".dump"
    assert copia.stat().st_mode & 0o777 == 0o600  # it holds password hashes and TOTP secrets

    with server_come_in_produzione(radice / "fresco") as fresco:
        precedente = backup.ripristina(copia, fresco)
        assert isinstance(precedente, str) and precedente.startswith("serena_prima_del_ripristino_")
        engine = crea_engine(fresco)
        try:
            with Session(engine) as session:
                missione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION)
                salvati = int(missione.testo.removeprefix("Salvataggio "))
                storia = session.exec(
                    select(Revisione.dopo)
                    .where(col(Revisione.autore) == AUTORE)
                    .order_by(col(Revisione.id))
                ).all()
                # Every save acknowledged before the copy began is in it...
                assert salvati >= prima
                # ...and each save is whole or absent: its text, its history row, its counters.
                assert len(storia) == salvati
                assert all(f"Salvataggio {n}" in d for n, d in enumerate(storia, 1) if d)
                assert missione.versione == base + salvati
                assert (
                    pagina.versione_pagina(session=session, pagina=BOZZA) == base_pagina + salvati
                )
                # The app's page reads from it: the published page and the working copy.
                istantanea.dimentica_tutte()
                letta = istantanea.leggi_istantanea(session=session, pagina=PUBBLICATA)
                assert letta.sezioni == impronta(vivo)[4]
                bozza = istantanea.leggi_istantanea(session=session, pagina=BOZZA)
                assert f"Salvataggio {salvati}" in str(bozza.sezioni)
        finally:
            engine.dispose()


def _copia_di_un_altro_schema(url: str, radice: Path) -> Path:
    """A sound pg_dump, of a schema that is not the site's."""
    engine = crea_engine(url)
    try:
        with engine.begin() as connessione:
            connessione.execute(text("CREATE SCHEMA IF NOT EXISTS altro"))
            connessione.execute(text("CREATE TABLE IF NOT EXISTS altro.note (testo text)"))
    finally:
        engine.dispose()
    file = radice / "altro.dump"
    esegui("pg_dump", "--format=custom", "--schema=altro", f"--file={file}", url=url)
    return file


def test_a_damaged_cut_or_foreign_file_is_refused_and_changes_nothing(vivo: str, radice: Path):
    copia = backup.backup(radice / "copie", vivo)
    dati = copia.read_bytes()
    metà = radice / "meta.dump"
    metà.write_bytes(dati[: len(dati) // 2])
    # Cut short by a few bytes, and one byte changed in the last data block: the table of
    # contents still reads (`pg_restore --list`), the data does not.
    tagliata = radice / "tagliata.dump"
    tagliata.write_bytes(dati[:-10])
    danneggiata = radice / "danneggiata.dump"
    guasto = bytearray(dati)
    guasto[-3000] ^= 0xFF
    danneggiata.write_bytes(bytes(guasto))
    testo = radice / "note.dump"
    testo.write_text("non è una copia", encoding="utf-8")
    intestazione = radice / "intestazione.dump"
    intestazione.write_bytes(b"PGDMP" + bytes(range(256)))
    estranea = _copia_di_un_altro_schema(vivo, radice)

    prima = impronta(vivo)
    for file, motivo in (
        (radice / "manca.dump", "non esiste"),
        (radice, "non è un file normale"),
        (testo, "non è una copia di PostgreSQL leggibile"),
        (intestazione, "non è una copia di PostgreSQL leggibile"),
        (estranea, "non è una copia del sito"),
        (metà, "non è una copia di PostgreSQL leggibile"),
        (tagliata, "danneggiato o incompleto"),
        (danneggiata, "danneggiato o incompleto"),
    ):
        with pytest.raises(CopiaNonValida, match=motivo):
            backup.ripristina(file, vivo)
        assert impronta(vivo) == prima, file.name


def test_a_restore_is_undone_with_the_schema_it_kept(vivo: str, radice: Path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", vivo)
    copia = backup.backup(radice / "copie", vivo)
    engine = crea_engine(vivo)
    try:
        with Session(engine) as session:
            attuale = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION)
            pagina.salva(
                session=session,
                pagina=BOZZA,
                voce=MISSION,
                campi={"testo": "Scritto dopo la copia."},
                versione=attuale.versione,
            )
    finally:
        engine.dispose()
    dopo_la_copia = impronta(vivo)

    assert cli.main(["restore", str(copia)]) == 0
    detto = capsys.readouterr().out
    assert impronta(vivo)[1] != "Scritto dopo la copia."
    comando = next(r for r in detto.splitlines() if "per rimetterli" in r)
    tenuto = comando.split("--schema ")[1].rstrip(").")
    assert "Riavvia il sito." in detto

    assert cli.main(["restore", "--schema", tenuto]) == 0
    assert "Rimessi i dati dello schema" in capsys.readouterr().out
    ora = impronta(vivo)
    assert ora[1:] == dopo_la_copia[1:]  # the data written after the copy is back
    assert tenuto not in ora[0]  # put back, and what the restore had put in is kept in turn
    assert len(ora[0]) == len(dopo_la_copia[0]) + 1

    assert cli.main(["restore", "--schema", "pg_catalog"]) == 1
    assert "tenuto da un ripristino" in capsys.readouterr().err


def test_an_older_copy_is_migrated_one_from_a_newer_version_or_unrestorable_refused(
    vivo: str, radice: Path
):
    ultima = migrazioni().get_current_head()
    with server_come_in_produzione(radice / "vecchio") as vecchio:
        engine = crea_engine(vecchio)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as connessione:
            cfg.attributes["connection"] = connessione
            command.upgrade(cfg, "0013")
        antica = radice / "antica.dump"
        esegui("pg_dump", "--format=custom", "--schema=serena", f"--file={antica}", url=vecchio)
        with engine.begin() as connessione:  # a table whose type lives outside the schema
            connessione.execute(text("CREATE SCHEMA fuori; CREATE DOMAIN fuori.nota AS text"))
            connessione.execute(text("CREATE TABLE serena.note (testo fuori.nota)"))
        rotta = radice / "rotta.dump"
        esegui("pg_dump", "--format=custom", "--schema=serena", f"--file={rotta}", url=vecchio)
        with engine.begin() as connessione:
            connessione.execute(text("UPDATE alembic_version SET version_num = '9999_futura'"))
        futura = radice / "futura.dump"
        esegui("pg_dump", "--format=custom", "--schema=serena", f"--file={futura}", url=vecchio)
        engine.dispose()

    prima = impronta(vivo)
    with pytest.raises(CopiaNonValida, match=r"«9999_futura».*aggiorna il sito"):
        backup.ripristina(futura, vivo)
    assert impronta(vivo) == prima
    # Refused midway through psql's restore: the live schema, moved aside for it, is back.
    with pytest.raises(CopiaNonValida, match=r"non si ripristina.*fuori.*non è cambiato nulla"):
        backup.ripristina(rotta, vivo)
    assert impronta(vivo) == prima

    tenuto = backup.ripristina(antica, vivo)
    engine = crea_engine(vivo)
    try:
        with engine.connect() as connessione:
            assert connessione.execute(text("SELECT version_num FROM alembic_version")).all() == [
                (ultima,)
            ]
            colonne = {c["name"] for c in inspect(connessione).get_columns("sezione")}
            assert "testo_en" in colonne  # added by the migration after 0013
    finally:
        engine.dispose()
    assert isinstance(tenuto, str)
    ripristino_postgres.ripristina_schema(tenuto, vivo)
    assert impronta(vivo)[1:] == prima[1:]


def test_the_password_is_on_no_command_line(vivo: str, radice: Path, monkeypatch):
    """Every local user reads /proc/*/cmdline: the programs get the password in their
    environment."""
    password = make_url(vivo).password
    assert password
    lanciati = []
    vero = subprocess.run

    def osserva(argomenti, **opzioni):
        lanciati.append((argomenti, opzioni.get("env") or {}))
        return vero(argomenti, **opzioni)

    monkeypatch.setattr(subprocess, "run", osserva)
    copia = backup.backup(radice / "copie", vivo)
    tenuto = backup.ripristina(copia, vivo)
    assert isinstance(tenuto, str)
    ripristino_postgres.ripristina_schema(tenuto, vivo)
    programmi = {Path(a[0]).name for a, _ in lanciati}
    assert {"pg_dump", "pg_restore", "psql"} <= programmi
    assert not [a for a, _ in lanciati if any(password in parte for parte in a)]
    assert all(e.get("PGPASSWORD") == password for a, e in lanciati if "--host=127.0.0.1" in a)

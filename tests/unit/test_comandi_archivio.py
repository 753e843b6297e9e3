"""`serena export`, `import`, `backup` and `restore` as an administrator runs them, on the
database of `DATABASE_URL` (a fresh SQLite file here, with the account "anna")."""

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from serena_app import db
from serena_app.comandi import backup
from serena_app.comandi.cli import main
from serena_app.contenuto import pagina
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA
from serena_app.contenuto.tipi import SEZIONE, Voce
from tests.factories import PASSWORD

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def url(tmp_path: Path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main(["create-staff", "anna", "--password-stdin"]) == 0
    return url


def _vivo(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _file_del_vivo(url: str) -> dict[str, bytes]:
    """The live database's files (the database, its -wal and -shm if any), byte for byte, once
    this process's connections are closed."""
    db.engine(url).dispose()
    vivo = _vivo(url)
    return {f.name: f.read_bytes() for f in vivo.parent.glob(f"{vivo.name}*")}


def _elenco(capsys) -> str:
    capsys.readouterr()
    assert main(["list-staff"]) == 0
    return capsys.readouterr().out


def _mission(url: str, quale) -> str | None:
    with db.session(url) as session:
        elemento = pagina.leggi_elemento(session=session, pagina=quale, voce=MISSION)
        return elemento.testo if elemento else None


def _versione(url: str, quale) -> int:
    with db.session(url) as session:
        return pagina.versione_pagina(session=session, pagina=quale)


def test_export_edit_import_leaves_drafts_to_publish(url, tmp_path, capsys):
    file = tmp_path / "contenuti.json"
    assert main(["export", str(file)]) == 0
    dati = json.loads(file.read_text(encoding="utf-8"))
    assert "è" in file.read_text(encoding="utf-8")  # readable: accents as they are
    originale = dati["pagine"]["pubblicata"]["sezioni"]["mission"]
    dati["pagine"]["pubblicata"]["sezioni"]["mission"] = "La mission dal file."
    file.write_text(json.dumps(dati), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", str(file)]) == 0
    assert "1 modifiche da rivedere e pubblicare" in capsys.readouterr().out
    assert _mission(url, BOZZA) == "La mission dal file."
    assert _mission(url, PUBBLICATA) == originale


def test_a_bad_file_is_named_and_changes_nothing(url, tmp_path, capsys):
    file = tmp_path / "contenuti.json"
    file.write_text('{"formato": "serena-contenuti", "versione": 7, "pagine": {}}')
    prima = _versione(url, BOZZA)
    assert main(["import", str(file)]) == 1
    assert capsys.readouterr().err.startswith("versione: questo sito legge le versioni 1 e 2.")
    assert _versione(url, BOZZA) == prima  # the working copy was not written
    assert _mission(url, BOZZA) == _mission(url, PUBBLICATA)
    assert main(["import", str(tmp_path / "manca.json")]) == 1
    assert "Impossibile usare il file" in capsys.readouterr().err


def _cambia_mission(url: str, testo: str) -> None:
    with db.session(url) as session:
        elemento = pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=MISSION)
        pagina.salva(
            session=session,
            pagina=PUBBLICATA,
            voce=MISSION,
            campi={"testo": testo},
            versione=elemento.versione,
        )


def test_backup_then_restore_brings_the_old_text_back(url, tmp_path, capsys):
    prima = _mission(url, PUBBLICATA)
    assert main(["backup", str(tmp_path / "copie")]) == 0
    copia = next((tmp_path / "copie").glob("serena-*.db"))
    assert str(copia) in capsys.readouterr().out
    _cambia_mission(url, "Cambiata dopo la copia.")
    assert main(["restore", str(copia)]) == 0
    assert _mission(url, PUBBLICATA) == prima
    assert main(["restore", str(tmp_path / "manca.db")]) == 1
    assert "non esiste" in capsys.readouterr().err


# Restore: everything checked on a copy first; then swapped in whole, the previous kept


def _copia(url: str, tmp_path: Path, nome: str, *sql: str) -> Path:
    """A backup of the live database at `tmp_path / nome`, changed by `sql`."""
    file = tmp_path / nome
    file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(backup.backup(tmp_path / "copie", url), file)
    with closing(sqlite3.connect(file)) as connessione:
        for istruzione in sql:
            connessione.execute(istruzione)
        connessione.commit()
    return file


GUASTE = {
    "revisione sconosciuta": (
        ("UPDATE alembic_version SET version_num = 'f00dcafe1234'",),
        "versione del sito che questa non conosce (revisione «f00dcafe1234»)",
    ),
    "senza revisione": (("DELETE FROM alembic_version",), "non è un database del sito"),
    "colonna mancante": (
        ("ALTER TABLE staff DROP COLUMN hash_password",),
        "manca la colonna «staff.hash_password»",
    ),
    "tabella mancante": (("DROP TABLE evento",), "manca la tabella «evento»"),
}


@pytest.mark.parametrize(("sql", "motivo"), GUASTE.values(), ids=GUASTE)
def test_a_refused_restore_changes_nothing_and_says_why(url, tmp_path, capsys, sql, motivo):
    file = _copia(url, tmp_path, "copia.db", *sql)
    prima = _file_del_vivo(url)
    capsys.readouterr()

    assert main(["restore", str(file)]) == 1
    uscita = capsys.readouterr()
    assert motivo in uscita.err
    assert "Traceback" not in uscita.err
    assert uscita.out == ""
    assert _file_del_vivo(url) == prima
    assert sorted(f.name for f in _vivo(url).parent.iterdir()) == ["copia.db", "copie", "serena.db"]
    assert "anna\tresponsabile\tattivo" in _elenco(capsys)


NOMI_STRANI = ["copia?x=1.db", "copia#frammento.db", "una copia %41 al 100%.db", "copia è ü 😀.db"]


@pytest.mark.parametrize("nome", [*NOMI_STRANI, "cartella ?#% è/copia.db"])
def test_a_sound_copy_restores_from_any_path(url, tmp_path, capsys, nome):
    prima = _mission(url, PUBBLICATA)
    file = _copia(url, tmp_path, nome)
    _cambia_mission(url, "Cambiata dopo la copia.")
    assert main(["restore", str(file)]) == 0
    assert _mission(url, PUBBLICATA) == prima


def test_a_backup_goes_into_any_folder(url, tmp_path, capsys):
    cartella = tmp_path / "copie ?x=1#f %41 è"
    assert main(["backup", str(cartella)]) == 0
    (copia,) = cartella.iterdir()  # one file: no -wal beside it, no partial file left
    assert re.fullmatch(r"serena-[0-9-]+\.db", copia.name)
    backup.controlla(copia)


def _precedente(uscita: str) -> Path:
    """The previous database, as `serena restore` names it."""
    trovato = re.search(r"per rimetterlo: serena restore (.+)\)", uscita)
    assert trovato, uscita
    return Path(trovato[1])


def test_a_restore_keeps_the_previous_database_and_restoring_it_undoes_the_restore(
    url, tmp_path, capsys
):
    prima = _mission(url, PUBBLICATA)
    copia = backup.backup(tmp_path / "copie", url)
    _cambia_mission(url, "Cambiata dopo la copia.")
    capsys.readouterr()

    assert main(["restore", str(copia)]) == 0
    precedente = _precedente(capsys.readouterr().out)
    assert precedente.parent == _vivo(url).parent
    assert _mission(url, PUBBLICATA) == prima

    assert main(["restore", str(precedente)]) == 0
    assert _mission(url, PUBBLICATA) == "Cambiata dopo la copia."
    assert _precedente(capsys.readouterr().out) != precedente
    assert "anna\tresponsabile\tattivo" in _elenco(capsys)


def test_a_damaged_live_database_can_still_be_restored(url, tmp_path, capsys):
    """`serena` prepares the database before most commands; not before a restore, which
    must work precisely when the live database is broken."""
    prima = _mission(url, PUBBLICATA)
    copia = backup.backup(tmp_path / "copie", url)
    db.engine(url).dispose()
    rovinato = b"non piu un database " * 1000
    _vivo(url).write_bytes(rovinato)
    capsys.readouterr()

    assert main(["restore", str(copia)]) == 0
    assert _precedente(capsys.readouterr().out).read_bytes() == rovinato
    assert _mission(url, PUBBLICATA) == prima
    assert "anna\tresponsabile\tattivo" in _elenco(capsys)


SCRIVI_NEL_WAL = """
import os, sqlite3, sys
connessione = sqlite3.connect(sys.argv[1])
connessione.execute("PRAGMA wal_autocheckpoint=0")
connessione.execute(
    "UPDATE sezione SET testo = 'Scritta nel WAL.'"
    " WHERE pagina = 'pubblicata' AND chiave = 'mission'"
)
connessione.commit()
os._exit(0)  # ended without closing: the write stays in serena.db-wal
"""


def test_a_write_left_in_the_live_wal_goes_to_the_previous_database_not_the_restored_one(
    url, tmp_path, capsys
):
    prima = _mission(url, PUBBLICATA)
    copia = backup.backup(tmp_path / "copie", url)
    db.engine(url).dispose()
    subprocess.run([sys.executable, "-c", SCRIVI_NEL_WAL, _vivo(url)], check=True, timeout=60)
    assert Path(f"{_vivo(url)}-wal").stat().st_size > 0
    capsys.readouterr()

    assert main(["restore", str(copia)]) == 0
    precedente = _precedente(capsys.readouterr().out)
    assert _mission(url, PUBBLICATA) == prima
    backup.controlla(_vivo(url))
    with closing(sqlite3.connect(precedente)) as connessione:
        testo = connessione.execute(
            "SELECT testo FROM sezione WHERE pagina = 'pubblicata' AND chiave = 'mission'"
        ).fetchone()
    assert testo == ("Scritta nel WAL.",)


def test_a_restore_while_the_site_is_running_is_refused(url, tmp_path, capsys):
    copia = backup.backup(tmp_path / "copie", url)
    prima = _file_del_vivo(url)
    capsys.readouterr()
    with closing(sqlite3.connect(_vivo(url))) as sito:  # a running site keeps one open
        sito.execute("SELECT count(*) FROM staff").fetchone()
        assert main(["restore", str(copia)]) == 1
    uscita = capsys.readouterr()
    assert "è in uso" in uscita.err
    assert "Traceback" not in uscita.err
    assert _file_del_vivo(url) == prima


def test_a_copy_from_an_older_version_is_migrated_then_restored(url, tmp_path, capsys):
    migrazioni = ScriptDirectory(str(db.MIGRATIONS))
    testa = migrazioni.get_current_head()
    precedente = migrazioni.get_revision(testa).down_revision
    file = tmp_path / "vecchia.db"
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    engine = db.crea_engine(f"sqlite:///{file}")
    with engine.begin() as connessione:
        cfg.attributes["connection"] = connessione
        command.upgrade(cfg, precedente)
    engine.dispose()

    assert main(["restore", str(file)]) == 0
    with closing(sqlite3.connect(_vivo(url))) as connessione:
        assert connessione.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (testa,)
        ]
    backup.controlla(_vivo(url))
    assert _elenco(capsys) == ""  # that database had no account yet
    with closing(sqlite3.connect(file)) as connessione:  # the file given is left as it was
        assert connessione.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (precedente,)
        ]


# Import: the file's kind and size checked before anything is read

MISURA = """
import resource, sys
from serena_app.comandi.cli import main

assert main(["prepare"]) == 0
with open("/proc/self/status") as stato:
    virtuale = next(int(r.split()[1]) for r in stato if r.startswith("VmSize:")) * 1024
resource.setrlimit(resource.RLIMIT_AS, (virtuale + 512 * 2**20,) * 2)  # a regression fails here
prima = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
codice = main(sys.argv[1:])
print("crescita KiB:", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - prima)
sys.exit(codice)
"""


def _serena_misurato(url: str, *argomenti: str) -> tuple[subprocess.CompletedProcess, int]:
    """`serena ARGOMENTI` in a process of its own, bounded in time and memory; the growth of
    its peak memory during the command, in KiB."""
    ambiente = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    esito = subprocess.run(
        [sys.executable, "-c", MISURA, *argomenti],
        capture_output=True,
        text=True,
        timeout=60,
        env=ambiente,
        check=False,
    )
    crescita = re.search(r"crescita KiB: (\d+)", esito.stdout)
    return esito, int(crescita[1]) if crescita else -1


def test_a_huge_file_is_refused_before_it_is_read(url, tmp_path):
    enorme = tmp_path / "enorme.json"
    with enorme.open("wb") as file:
        file.truncate(200 * 2**20)  # 200 MiB, sparse: nothing written to disk

    esito, crescita = _serena_misurato(url, "import", str(enorme))
    assert esito.returncode == 1, esito.stderr
    assert "Il file è troppo grande: al massimo 2 MB." in esito.stderr
    assert 0 <= crescita < 20 * 1024, crescita  # not read: 200 MiB would show


@pytest.mark.parametrize(("quale", "tipo"), [("fifo", "una FIFO"), ("/dev/zero", "un dispositivo")])
def test_a_fifo_or_a_device_is_refused_without_reading_it(url, tmp_path, quale, tipo):
    """A FIFO with no writer would block a read forever, /dev/zero would fill the memory: both
    are refused at once (a regression hits the process's time or memory bound)."""
    if quale == "fifo":
        quale = tmp_path / "contenuti.json"
        os.mkfifo(quale)
    esito, _ = _serena_misurato(url, "import", str(quale))
    assert esito.returncode == 1, esito.stderr
    assert f"non è un file normale ({tipo})." in esito.stderr
    assert "Traceback" not in esito.stderr


def test_a_folder_is_refused(url, tmp_path, capsys):
    capsys.readouterr()
    assert main(["import", str(tmp_path)]) == 1
    assert f"{tmp_path} non è un file normale (una cartella)." in capsys.readouterr().err


def _esportato(url: str, tmp_path: Path) -> str:
    file = tmp_path / "contenuti.json"
    assert main(["export", str(file)]) == 0
    return file.read_text(encoding="utf-8")


def test_a_file_that_starts_with_a_utf8_bom_is_imported(url, tmp_path, capsys):
    dati = json.loads(_esportato(url, tmp_path))
    dati["pagine"]["pubblicata"]["sezioni"]["mission"] = "Salvata da un editor con il BOM."
    file = tmp_path / "con-bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(dati).encode("utf-8"))
    capsys.readouterr()
    assert main(["import", str(file)]) == 0
    assert _mission(url, BOZZA) == "Salvata da un editor con il BOM."


@pytest.mark.parametrize(
    ("numero", "messaggio"),
    [
        ("1" + "0" * 5000, "Il file contiene un numero troppo lungo (5001 cifre; al massimo 20)."),
        ("-" + "9" * 25, "Il file contiene un numero troppo lungo (25 cifre; al massimo 20)."),
        ("NaN", "Il file contiene «NaN», che non è un numero JSON."),
        ("1e400", "pagine.pubblicata.tappe[0].anno: Valore non valido."),
        (
            "123456789012",
            "pagine.pubblicata.tappe[0].anno: L’anno deve essere un numero di quattro",
        ),
    ],
    ids=["5000 cifre", "25 cifre", "NaN", "1e400", "fuori intervallo"],
)
def test_a_number_out_of_range_gets_an_italian_message(url, tmp_path, capsys, numero, messaggio):
    testo = _esportato(url, tmp_path)
    dati = json.loads(testo)
    dati["pagine"]["pubblicata"]["tappe"][0]["anno"] = "SEGNAPOSTO"
    file = tmp_path / "numero.json"
    file.write_text(json.dumps(dati).replace('"SEGNAPOSTO"', numero), encoding="utf-8")
    capsys.readouterr()
    prima = _versione(url, BOZZA)
    assert main(["import", str(file)]) == 1
    assert capsys.readouterr().err.startswith(messaggio)
    assert _versione(url, BOZZA) == prima  # the working copy was not written

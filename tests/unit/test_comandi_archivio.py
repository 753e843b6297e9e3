"""`serena export`, `import`, `backup` and `restore` as an administrator runs them, on the
database of `DATABASE_URL` (a fresh SQLite file here)."""

import json
from pathlib import Path

import pytest

from serena_app import db, pagina
from serena_app.bozze import BOZZA
from serena_app.cli import main
from serena_app.pagina import PUBBLICATA
from serena_app.tipi import SEZIONE, Voce

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def url(tmp_path: Path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["prepare"]) == 0
    return url


def _mission(url: str, quale) -> str | None:
    with db.session(url) as session:
        elemento = pagina.leggi_elemento(session=session, pagina=quale, voce=MISSION)
        return elemento.testo if elemento else None


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
    assert main(["import", str(file)]) == 1
    assert capsys.readouterr().err.startswith("versione: questo sito legge la versione 1.")
    assert _mission(url, BOZZA) is None  # not even a working copy was made
    assert main(["import", str(tmp_path / "manca.json")]) == 1
    assert "Impossibile usare il file" in capsys.readouterr().err


def test_backup_then_restore_brings_the_old_text_back(url, tmp_path, capsys):
    prima = _mission(url, PUBBLICATA)
    assert main(["backup", str(tmp_path / "copie")]) == 0
    copia = next((tmp_path / "copie").glob("serena-*.db"))
    assert str(copia) in capsys.readouterr().out
    with db.session(url) as session:
        elemento = pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=MISSION)
        pagina.salva(
            session=session,
            pagina=PUBBLICATA,
            voce=MISSION,
            campi={"testo": "Cambiata dopo la copia."},
            versione=elemento.versione,
        )
    assert main(["restore", str(copia)]) == 0
    assert _mission(url, PUBBLICATA) == prima
    assert main(["restore", str(tmp_path / "manca.db")]) == 1
    assert "non esiste" in capsys.readouterr().err

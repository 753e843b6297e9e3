"""`serena publish` as an administrator runs it from a terminal, on the database of
`DATABASE_URL` (a fresh SQLite file here): the drafts published, each change printed."""

from pathlib import Path

import pytest
from sqlmodel import select

from serena_app import db
from serena_app.comandi.cli import main
from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import PUBBLICATA, SITO
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.models import Revisione
from serena_app.pubblicazione.pubblica import AUTORE_COMANDO
from tests.factories import salva_mission

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def url(tmp_path: Path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert main(["prepare"]) == 0
    return url


def _pubblicata(url: str) -> str:
    with db.session(url) as session:
        return pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=MISSION).testo


def test_publish_publishes_the_drafts_and_lists_them(url: str, capsys):
    with db.session(url) as session:
        bozze.apri(session=session, spazio=SITO)
        salva_mission(session, "La mission cambiata da un terminale.")
    capsys.readouterr()
    assert main(["publish"]) == 0
    uscita = capsys.readouterr().out
    assert "Pubblicata 1 modifica:" in uscita
    assert "- " in uscita and "modificat" in uscita
    assert _pubblicata(url) == "La mission cambiata da un terminale."
    with db.session(url) as session:
        pubblicazione = session.exec(
            select(Revisione).where(Revisione.azione == "pubblicata")
        ).one()
        assert pubblicazione.autore == AUTORE_COMANDO
        assert bozze.differenze(session=session, spazio=SITO) == []


def test_publish_with_no_draft_says_so_and_changes_nothing(url: str, capsys):
    prima = _pubblicata(url)
    with db.session(url) as session:
        revisioni = len(session.exec(select(Revisione)).all())
    capsys.readouterr()
    assert main(["publish"]) == 1
    assert "Non ci sono modifiche in bozza: niente da pubblicare." in capsys.readouterr().err
    assert _pubblicata(url) == prima
    with db.session(url) as session:
        assert len(session.exec(select(Revisione)).all()) == revisioni

"""The writing help's state on the real state classes (no server, no browser): the open
editor's figures follow what its fields hold, start again with each editor, never reach a
tab without a live session, and never stop a save; the publish confirmation says how the
figures change."""

import inspect

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app.contenuto.pagina import PUBBLICATA, leggi_elemento
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.state.accesso import AccessoState
from serena_app.state.leggibilita import MISURATI_AL_PIU, LeggibilitaState
from serena_app.state.redazione import RedazioneState
from tests.factories import db_seminato, staff_con_sessione
from tests.support.asincrono import esegui

MISSION = Voce(SEZIONE.nome, chiave="mission")
LUNGA = "Questa frase " + " ".join(["lunga"] * 30) + "."


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Session:
    """The app's database for these states: a fresh seeded database."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    return db_seminato(session, contenuto)


def _scheda(segreto: str) -> LeggibilitaState:
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-1"})
    radice.get_substate(AccessoState.get_full_name().split(".")).token = segreto
    return radice.get_substate(LeggibilitaState.get_full_name().split("."))


def _chiama(stato: LeggibilitaState, nome: str, *argomenti) -> None:
    """Run handler `nome` of this tab: the writing help's own, or the editors'."""
    if nome in LeggibilitaState.event_handlers:
        risultato = LeggibilitaState.event_handlers[nome].fn(stato, *argomenti)
    else:
        risultato = RedazioneState.event_handlers[nome].fn(stato.parent_state, *argomenti)
    if inspect.iscoroutine(risultato):
        esegui(risultato)


def test_the_figures_follow_the_typed_text_and_start_again_with_each_editor(db):
    stato = _scheda(staff_con_sessione(db))
    assert stato.figure.indice == ""  # no editor open
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "apri", "sezione", "mission")
    all_apertura = stato.figure
    assert all_apertura.indice.startswith("Gulpease ")
    assert len(all_apertura.lunghe) == 2  # the seed's mission: two sentences over 25 words

    _chiama(stato, "misura", "testo", "Siamo qui. Vi aiutiamo.")
    assert stato.figure.indice.startswith("Gulpease 100: facile")
    assert stato.figure.lunghe == []
    _chiama(stato, "misura", "testo", LUNGA)
    assert stato.figure.lunghe == [
        "«Questa frase lunga lunga lunga lunga lunga lunga lunga lunga…» (32 parole)"
    ]

    _chiama(stato, "annulla")  # closed without saving: what was typed is gone with it
    _chiama(stato, "apri", "sezione", "mission")
    assert stato.figure == all_apertura


def test_a_field_the_editor_has_not_and_a_huge_text_change_nothing_or_little(db):
    stato = _scheda(staff_con_sessione(db))
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "apri", "sezione", "mission")
    prima = stato.figure
    _chiama(stato, "misura", "titolo", "PAROLE GRIDATE")  # a section has no title
    _chiama(stato, "misura", "testo", 12345)
    assert stato.figure == prima
    _chiama(stato, "misura", "testo", "parola " * 100_000)
    assert len(stato._scritti["testo"]) == MISURATI_AL_PIU * 4000


def test_without_a_live_session_no_figures_are_computed(db):
    stato = _scheda("un-segreto-inventato")
    _chiama(stato, "misura", "testo", LUNGA)
    _chiama(stato, "leggi")
    assert stato._scritti == {}
    assert stato.letto == ""


def test_leggi_fills_the_live_region_once_per_press_and_a_figure_never_stops_a_save(db):
    stato = _scheda(staff_con_sessione(db))
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "apri", "sezione", "mission")
    _chiama(stato, "misura", "testo", LUNGA)
    _chiama(stato, "leggi")
    primo = stato.letto
    assert primo.startswith("Gulpease ") and "1 frase oltre 25 parole" in primo
    _chiama(stato, "leggi")
    assert stato.letto != primo and stato.letto.strip() == primo  # read again
    _chiama(stato, "salva", {"testo": LUNGA})  # a "difficile" text saves like any other
    db.expire_all()
    assert leggi_elemento(session=db, pagina=stato._spazio.bozza, voce=MISSION).testo == LUNGA
    assert leggi_elemento(session=db, pagina=PUBBLICATA, voce=MISSION).testo != LUNGA


def test_the_publish_confirmation_says_how_the_figures_change(db):
    stato = _scheda(staff_con_sessione(db))
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "apri", "sezione", "mission")
    _chiama(stato, "salva", {"testo": "Siamo qui. Vi aiutiamo ogni giorno."})
    _chiama(stato, "chiedi_pubblicazione")
    italiano, inglese = stato.leggibilita_dopo
    prima, dopo = italiano.removeprefix("Italiano: Gulpease ").split(";")[0].split(" → ")
    assert int(dopo) > int(prima)
    assert "frasi oltre 25 parole" in italiano
    assert inglese.startswith("Inglese: Flesch ") and "→" not in inglese  # English unchanged

    _chiama(stato, "apri_pagina")
    assert stato.pagina.indice == f"Gulpease {dopo}: " + stato.pagina.indice.split(": ", 1)[1]
    assert stato.pagina.peggiore == "Valore «Pari opportunità»: Gulpease 28"
    _chiama(stato, "chiudi_pagina")
    assert stato.pagina.indice == ""


def test_invisible_and_malformed_unicode_is_measured_without_harm(db):
    stato = _scheda(staff_con_sessione(db))
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "apri", "sezione", "mission")
    for testo in ("\ud800 lone surrogate.", "\u202eROVESCIATO  al contrario.", "\u200b" * 500):
        _chiama(stato, "misura", "testo", testo)
        assert stato.figure.lettura  # figures or "Ancora nessun testo da misurare."
    assert stato.figure.indice == ""  # zero-width spaces alone: no word


def test_a_text_sent_after_the_editor_closed_is_ignored(db):
    """A field's blur can reach the server after "Salva" closed its editor."""
    stato = _scheda(staff_con_sessione(db))
    _chiama(stato, "alterna_modifica")
    _chiama(stato, "misura", "testo", LUNGA)
    assert stato._scritti == {}
    assert stato.figure.indice == ""

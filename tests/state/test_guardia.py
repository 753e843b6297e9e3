"""The guard on the real state classes, instantiated directly (no server, no browser): without
a live staff session a handler's body never runs; with one, it does."""

import asyncio

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app import db as serena_db
from serena_app.auth.sessioni import revoca_sessione
from serena_app.contenuto.bozze import BOZZA
from serena_app.contenuto.pagina import PUBBLICATA, leggi_sezioni
from serena_app.contenuto.tipi import NESSUNA, SEZIONE, Voce
from serena_app.state import redazione as redazione_modulo
from serena_app.state.accesso import AccessoState
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import SESSIONE_SCADUTA
from tests.factories import db_seminato, staff_con_sessione
from tests.support.asincrono import esegui

MISSION = Voce(SEZIONE.nome, chiave="mission")
CHIAMATE = [
    ("alterna_modifica", ()),
    ("apri", ("sezione", "mission")),
    ("aggiungi", ("tappa",)),
    ("salva", ({"testo": "scritto senza sessione"},)),
    ("sposta", ("tappa", 1, -1)),
    ("chiedi_eliminazione", ("tappa", 1)),
    ("elimina", ()),
    ("alterna_anteprima", ()),
    ("chiedi_pubblicazione", ()),
    ("pubblica", ()),
    ("chiedi_scarto", ()),
    ("scarta", ()),
]


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Session:
    """The app's database for these states: a fresh seeded SQLite file."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    return db_seminato(session, contenuto)


def _chiama(stato, nome: str, *argomenti):
    """Run one handler of RedazioneState on `stato`, as Reflex would."""
    return esegui(RedazioneState.event_handlers[nome].fn(stato, *argomenti))


def _stati(token: str) -> tuple[AccessoState, RedazioneState]:
    """The states of one tab whose socket presented `token`."""
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-1"})
    accesso = radice.get_substate(AccessoState.get_full_name().split("."))
    redazione = radice.get_substate(RedazioneState.get_full_name().split("."))
    accesso.token = token
    return accesso, redazione


@pytest.mark.parametrize(("nome", "argomenti"), CHIAMATE, ids=[n for n, _ in CHIAMATE])
@pytest.mark.parametrize("token", ["", "un-segreto-inventato"], ids=["senza", "inventato"])
def test_without_a_live_session_the_body_never_runs(db, nome, argomenti, token):
    _, redazione = _stati(token)
    redazione.modifica_attiva = True
    redazione.aperto = MISSION  # as if an editor were open: "salva" would write
    redazione.da_eliminare = Voce("tappa", id=1)  # "elimina" would delete
    prima = {k: s.testo for k, s in leggi_sezioni(session=db, pagina=PUBBLICATA).items()}
    _chiama(redazione, nome, *argomenti)
    assert redazione.modifica_attiva is False
    assert redazione.avviso == SESSIONE_SCADUTA
    db.expire_all()
    assert {k: s.testo for k, s in leggi_sezioni(session=db, pagina=PUBBLICATA).items()} == prima


def test_control_with_a_live_session_the_body_runs(db, contenuto):
    """The same call with a live session does open the editor, so the refusals above are not
    vacuous."""
    _, redazione = _stati(staff_con_sessione(db))
    assert redazione.aperto == NESSUNA
    _chiama(redazione, "apri", "sezione", "mission")
    assert redazione.avviso == ""
    assert redazione.aperto == MISSION
    assert redazione.campi == {"testo": contenuto["sezioni"]["mission"]}


def test_a_live_secret_set_on_another_socket_does_not_count(db):
    """The same state reached through another socket (a reused client token) holds a live
    secret that socket never presented: the body does not run."""
    _, redazione = _stati(staff_con_sessione(db))
    redazione.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-2"})
    _chiama(redazione, "apri", "sezione", "mission")
    assert redazione.avviso == SESSIONE_SCADUTA
    assert redazione.aperto == NESSUNA


def test_a_save_is_one_thread_hop_and_one_database_session_guard_included(db, monkeypatch):
    """ "Salva" checks the staff session, writes the draft and reads the working copy after it
    in one thread hop and one database session; the change is then pushed once."""
    _, redazione = _stati(staff_con_sessione(db))
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "apri", "sezione", "mission")
    sessioni, salti, spinte = [], [], []
    vera_sessione, vero_salto = serena_db.session, asyncio.to_thread

    def sessione(*argomenti, **chiavi):
        sessioni.append(1)
        return vera_sessione(*argomenti, **chiavi)

    async def salto(funzione, /, *argomenti, **chiavi):
        salti.append(funzione)
        return await vero_salto(funzione, *argomenti, **chiavi)

    monkeypatch.setattr(serena_db, "session", sessione)
    monkeypatch.setattr(asyncio, "to_thread", salto)
    monkeypatch.setattr(redazione_modulo, "diffondi", lambda nuova, **_: spinte.append(nuova))
    _chiama(redazione, "salva", {"testo": "Scritta con un solo salto."})
    assert redazione.annuncio == "Testo della mission salvato."
    assert (len(salti), len(sessioni)) == (1, 1)
    assert [s.sezioni["mission"] for s in spinte] == [["Scritta con un solo salto."]]
    db.expire_all()
    bozza = leggi_sezioni(session=db, pagina=BOZZA)["mission"]
    assert (bozza.testo, bozza.autore) == ("Scritta con un solo salto.", "anna")


def test_a_refused_save_writes_nothing_and_leaves_edit_mode(db):
    """The same save whose session ended meanwhile: the check in the write's own session
    refuses it before anything is written."""
    segreto = staff_con_sessione(db)
    _, redazione = _stati(segreto)
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "apri", "sezione", "mission")
    revoca_sessione(session=db, token=segreto)
    prima = leggi_sezioni(session=db, pagina=BOZZA)["mission"].testo
    _chiama(redazione, "salva", {"testo": "Scritta dopo la fine della sessione."})
    assert redazione.modifica_attiva is False
    assert redazione.avviso == SESSIONE_SCADUTA
    db.expire_all()
    assert leggi_sezioni(session=db, pagina=BOZZA)["mission"].testo == prima

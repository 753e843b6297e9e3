"""The guard on the real state classes, instantiated directly (no server, no browser): without
a live staff session a handler's body never runs; with one, it does."""

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app.contenuto.pagina import PUBBLICATA, leggi_sezioni
from serena_app.contenuto.tipi import NESSUNA, SEZIONE, Voce
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

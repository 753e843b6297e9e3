"""The live push to a staff tab, on the real state classes (no server, no browser): a push
that read the working copy before this tab's own save must not take the tab back to it.

The page counters are looked at once a second (`notifica._sorveglia`): making the working copy
when edit mode is turned on moves its counter unheard, and the push that follows reads the
working copy and then waits for its turn. A save made by the tab in between is newer than what
that push carries."""

import contextlib

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app.contenuto import istantanea
from serena_app.contenuto.bozze import BOZZA, SITO, apri
from serena_app.state import diffusione
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState
from serena_app.state.revoca import Verifica
from serena_app.state.staff import StaffState
from tests.factories import db_seminato, salva_mission, staff_con_sessione
from tests.support.asincrono import esegui

SOCKET, SCHEDA = "socket-1", "scheda-1"


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Session:
    """The app's database for these states: a fresh seeded SQLite file."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    istantanea.dimentica_tutte()
    return db_seminato(session, contenuto)


class _App:
    """The two things a push uses of the app: the state of a tab, and its socket."""

    def __init__(self, radice: State) -> None:
        self.radice = radice
        self.event_namespace = type("Spazio", (), {"token_to_sid": {SCHEDA: SOCKET}})()

    @contextlib.asynccontextmanager
    async def modify_state(self, _token):
        yield self.radice


def _scheda_in_modifica(segreto: str) -> State:
    """A staff tab showing the working copy, whose socket presented `segreto`."""
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data(
        {constants.RouteVar.SESSION_ID: SOCKET, constants.RouteVar.CLIENT_TOKEN: SCHEDA}
    )
    accesso = radice.get_substate(AccessoState.get_full_name().split("."))
    accesso.token = segreto  # also notes the socket that presented it
    radice.get_substate(StaffState.get_full_name().split("."))
    contenuto = radice.get_substate(ContenutoState.get_full_name().split("."))
    contenuto._passa(istantanea.aggiornata(BOZZA))
    return radice


def test_a_push_read_before_the_tabs_own_save_does_not_take_it_back(db):
    apri(session=db, spazio=SITO)
    radice = _scheda_in_modifica(staff_con_sessione(db))
    letta_prima = istantanea.aggiornata(BOZZA)  # the push's read, before the save
    salva_mission(db, "Mission salvata mentre un aggiornamento aspettava.")
    dopo = istantanea.aggiornata(BOZZA)
    contenuto = radice.get_substate(ContenutoState.get_full_name().split("."))
    staff = radice.get_substate(StaffState.get_full_name().split("."))
    contenuto._mostra(dopo)  # what the save's own event shows
    assert staff.modifiche == dopo.modifiche != []
    sessioni = Verifica(frozenset(), frozenset())  # asked about on its own: live
    esegui(diffusione._aggiorna_scheda(_App(radice), SCHEDA, letta_prima, sessioni))
    assert staff.modifiche == dopo.modifiche  # "Pubblica" stays enabled
    assert staff.bozze == dopo.bozze

"""The live push to a staff tab, on the real state classes (no server, no browser): a push
that read the working copy before this tab's own save must not take the tab back to it.

The page counters are looked at once a second (`notifica._sorveglia`): making the working copy
when edit mode is turned on moves its counter unheard, and the push that follows reads the
working copy and then waits for its turn. A save made by the tab in between is newer than what
that push carries."""

import asyncio
import contextlib

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app.contenuto import istantanea
from serena_app.contenuto.bozze import apri, pubblica
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO
from serena_app.lingue import ITALIANO
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


class _Prese:
    """The sockets of the published page: the versione each was sent last. The first emit
    of the page at `trattenuta` is held (its lot recorded) until `via` is set, as an emit
    that yields to the event loop between two lots."""

    def __init__(self, trattenuta: int) -> None:
        self.ultima: dict[str, int] = {}
        self.trattenuta = trattenuta
        self.via = asyncio.Event()

    async def emit(self, _evento: str, messaggio, to: list[str]) -> None:
        (versione,) = (
            valore
            for nome, valore in messaggio.delta[ContenutoState.get_full_name()].items()
            if nome.startswith("versione")
        )
        for sid in to:
            self.ultima[sid] = versione
        if versione == self.trattenuta and not self.via.is_set():
            await self.via.wait()


def test_two_publishes_pushed_at_once_leave_every_page_on_the_newer(db, monkeypatch):
    """A second publish's push starts while the first one's is between two lots: no page
    ends on the first publish."""
    prima = istantanea.aggiornata(PUBBLICATA)
    salva_mission(db, "Mission della seconda pubblicazione.")
    pubblica(session=db, spazio=SITO, autore="anna")
    seconda = istantanea.aggiornata(PUBBLICATA)
    assert seconda.versione > prima.versione  # control
    in_memoria = [prima]
    monkeypatch.setattr(diffusione.istantanea, "gia_letta", lambda _pagina: in_memoria[0])
    prese = _Prese(trattenuta=prima.versione)
    app = type("App", (), {"event_namespace": prese})()
    pagine = {ITALIANO: [f"socket-{n}" for n in range(2 * diffusione.LOTTO_VISITATORI)]}

    async def scena() -> None:
        prima_spinta = asyncio.create_task(diffusione._ai_visitatori(app, pagine))
        while not prese.ultima:  # its first lot is out, the second one waits
            await asyncio.sleep(0)
        in_memoria[0] = seconda
        seconda_spinta = asyncio.create_task(diffusione._ai_visitatori(app, pagine))
        for _ in range(20):  # every turn the second push could take meanwhile
            await asyncio.sleep(0)
        prese.via.set()
        await asyncio.gather(prima_spinta, seconda_spinta)

    esegui(scena())
    assert set(prese.ultima) == set(pagine[ITALIANO])
    assert set(prese.ultima.values()) == {seconda.versione}

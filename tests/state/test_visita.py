"""A reader's hydrate, on the real state classes (no server, no browser): a page built from a
version this process has not looked at yet is still served from the snapshot, not left to
Reflex's hydration, which would make and store the reader's state; so is a process's first
reader, before the process has read any page. A page older than the snapshot is left to Reflex.

Every process looks at the page counters once a second (`notifica._sorveglia`), and any one
of them builds the served page. Between the build and this process's next look, a reader
loads the newer page: its hashes are those of a snapshot this process has not read yet."""

import json
from collections.abc import Iterator

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex_base.constants import RouteVar
from reflex_base.event import Event
from sqlmodel import Session

from serena_app.contenuto import istantanea
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.semina import semina
from serena_app.pubblicazione import build
from serena_app.state import visita
from serena_app.state.contenuto import MOSTRATE
from tests.factories import db_seminato
from tests.support.asincrono import esegui

SCHEDA = "scheda-lettore"
NUOVA = "La mission pubblicata da un altro processo, non ancora guardata da questo."


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Iterator[Session]:
    """The app's database for these states, freshly seeded."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    istantanea.dimentica_tutte()
    yield db_seminato(session, contenuto)
    MOSTRATE.pop(SCHEDA, None)
    istantanea.dimentica_tutte()


class _Socket:
    """The app's socket namespace, keeping what it sends."""

    def __init__(self) -> None:
        self.inviati: list[dict] = []

    async def emit_update(self, update, token: str) -> None:
        assert token == SCHEDA
        self.inviati.append(update.delta)


class _App:
    """What a reader's hydrate uses of the app: its router, its states, its socket."""

    def __init__(self) -> None:
        self.state_manager = StateManagerMemory()
        self.event_namespace = _Socket()

    @property
    def router(self):
        return lambda percorso: percorso


def _idratazione(hashes: list[str]) -> Event:
    """The hydrate a reader's Italian page sends."""
    return Event(
        name=visita.IDRATAZIONE,
        router_data={RouteVar.PATH: "/", RouteVar.ORIGIN: "/"},
        payload={"hashes": hashes},
    )


def test_a_process_s_first_reader_is_served_from_the_snapshot_read_for_it(db):
    hashes = json.loads(build.stato_iniziale())["hashes"]  # the page served
    istantanea.dimentica_tutte()  # a process just started: no page read yet
    app = _App()

    assert esegui(visita._servita(app, SCHEDA, _idratazione(hashes)))  # not left to Reflex
    assert SCHEDA not in app.state_manager.states
    assert app.event_namespace.inviati[-1] == {visita.RADICE: {visita.IDRATATA: True}}


def test_a_page_newer_than_this_process_has_looked_at_is_served_from_the_newer_snapshot(
    db, contenuto, monkeypatch
):
    vista = istantanea.in_memoria(PUBBLICATA)  # what this process read before
    cambiato = {**contenuto, "sezioni": {**contenuto["sezioni"], "mission": NUOVA}}
    semina(session=db, contenuto=cambiato, sovrascrivi=True)  # another process's publish
    hashes = json.loads(build.stato_iniziale())["hashes"]  # the page built for it
    monkeypatch.setitem(istantanea._in_memoria, PUBBLICATA, vista)  # not looked at here yet
    app = _App()

    assert esegui(visita._servita(app, SCHEDA, _idratazione(hashes)))  # not left to Reflex
    assert SCHEDA not in app.state_manager.states
    inviati = json.dumps(app.event_namespace.inviati, ensure_ascii=False, default=str)
    assert contenuto["sezioni"]["mission"][:40] not in inviati  # the page holds the newer
    assert app.event_namespace.inviati[-1] == {visita.RADICE: {visita.IDRATATA: True}}
    assert MOSTRATE[SCHEDA] == (PUBBLICATA.nome, "it")


def test_a_page_older_than_the_database_s_is_left_to_reflex(db, contenuto):
    hashes = json.loads(build.stato_iniziale())["hashes"]  # a page served before the change
    cambiato = {**contenuto, "sezioni": {**contenuto["sezioni"], "mission": NUOVA}}
    semina(session=db, contenuto=cambiato, sovrascrivi=True)
    istantanea.aggiornata(PUBBLICATA)  # this process has looked at it
    app = _App()

    assert not esegui(visita._servita(app, SCHEDA, _idratazione(hashes)))
    assert app.event_namespace.inviati == []  # Reflex's hydration answers it

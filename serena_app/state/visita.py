"""A reader's page view: hydrated from this process's snapshot, with no state made or stored.

A page is prerendered with the published texts, and its first event, Reflex's hydrate, tells
the server which compiled state the page holds (`hashes`). For a reader (no staff secret and
no other stored value, no state kept for the tab) on a page compiled from this process's
snapshot, Reflex's answer is always the same: the tab's router values, the texts that its
page's language leaves out, then "hydrated". This module sends exactly that, and skips what
Reflex would do to find it: make every state of the tree, compute and diff every var, run the
page's `on_load` event (`ContenutoState.aggiorna`) and keep the tree in Redis.

The tab is noted among the browsers that show the published page (`contenuto.MOSTRATE`), so
every publish reaches it as it reaches any other (`diffusione.py`); and the process looks at
the page counters at once (`notifica.guarda_ora`), as the page load would have, so a change
made behind its back reaches the page a moment after it hydrates.

A page whose hashes are not those of this process's snapshot may be newer than the snapshot:
another process built it before this one looked at the page counters. The snapshot is then
read again if the database has a newer one (one small query), and compared once more. The
same query reads the snapshot for a process's first reader, before it has read any page.

Anything else goes to Reflex unchanged: a staff tab, a tab with a stored state, a page compiled
from an older snapshot (its hashes differ), a malformed payload; and every hydrate on a demo
server. The tab's first own event makes its state from the defaults, as for any new tab.
"""

import asyncio
import contextlib
from typing import Any, cast

from reflex.app import App
from reflex.istate.data import HeaderData, PageData, SessionData, URLData
from reflex.istate.delta import _resolve_delta
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.redis import StateManagerRedis
from reflex.state import (
    State,
    StateUpdate,
    _initial_snapshot_cache,
    _serialize_var,
    cache_initial_snapshot,
)
from reflex_base.constants import CompileVars, RouteVar
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event
from sqlalchemy.exc import SQLAlchemyError

from serena_app import lingue
from serena_app.contenuto import istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.db import esegui
from serena_app.pubblicazione import notifica
from serena_app.state.contenuto import MOSTRATE, ContenutoState, _Finto, aggiornamento

IDRATAZIONE = f"{State.get_full_name()}.{CompileVars.HYDRATE_AND_LOAD}"
RADICE, CONTENUTO = State.get_full_name(), ContenutoState.get_full_name()
IDRATATA = f"{CompileVars.IS_HYDRATED}{FIELD_MARKER}"
ROUTER = {
    f"rx_router_session{FIELD_MARKER}": SessionData.from_router_data,
    f"rx_router_headers{FIELD_MARKER}": HeaderData.from_router_data,
    f"rx_router_page{FIELD_MARKER}": PageData.from_router_data,
    f"rx_router_url{FIELD_MARKER}": URLData.from_router_data,
    f"rx_router_route_id{FIELD_MARKER}": lambda dati: dati.get(RouteVar.PATH, ""),
}
"""The root state's router vars, from the event's router data, as Reflex sets them."""

_rotte: dict[str, str] = {}
"""The content pages' routes as Reflex's router names them, with their language (made once)."""
_attesi: list = [None, []]
"""Reflex's record of the compiled state, and the hashes a page compiled from it sends."""
_per_lingua: dict[tuple[int, str], dict[str, Any]] = {}
"""ContenutoState's vars that differ from the compiled state, by snapshot version and
language: the same for every reader of that page."""


def installa(app: App) -> None:
    """Serve readers' hydrates here, in each process of `app`."""
    app.register_lifespan_task(_con_le_visite)


@contextlib.asynccontextmanager
async def _con_le_visite(app: App):
    """Put the readers' hydrates before Reflex's event queue. A lifespan task: it starts
    after Reflex's own, which makes the event processor."""
    processore = app.event_processor
    accoda = processore.enqueue

    async def enqueue(token: str, event: Event, ev_ctx=None):
        da_servire = ev_ctx is None and event.name == IDRATAZIONE  # from a socket
        if da_servire and await _servita(app, token, event):
            fatto = asyncio.get_running_loop().create_future()
            fatto.set_result(None)
            return fatto
        return await accoda(token, event, ev_ctx)

    processore.enqueue = enqueue  # type: ignore[method-assign]
    try:
        yield
    finally:
        processore.enqueue = accoda  # type: ignore[method-assign]


def _lingua(app: App, router_data: dict[str, Any]) -> str | None:
    """The language of the content page the event's route is, else None."""
    if not _rotte:
        for lingua in lingue.LINGUE:
            rotta = "/" + (app.router(lingue.percorso(lingua)) or "").removeprefix("/")
            _rotte[rotta] = lingua
    return _rotte.get(router_data.get(RouteVar.PATH, ""))


def _da_lettore(payload: Any) -> list[str] | None:
    """The hashes of a hydrate sent by a reader's page (no stored value in its browser);
    None for any other payload."""
    if not isinstance(payload, dict) or set(payload) - {"vars", "hashes"}:
        return None
    valori, hashes = payload.get("vars") or {}, payload.get("hashes")
    if not isinstance(valori, dict) or any(v != "" for v in valori.values()):
        return None
    if not isinstance(hashes, list) or not all(isinstance(h, str) for h in hashes):
        return None
    return hashes


async def _compilato_di(vista: Istantanea):
    """Reflex's record of the compiled state (what `hashes` are checked against), made again
    if it is of another snapshot: a publish made by another process."""
    compilato = _initial_snapshot_cache.get(State)
    versione = f"{vista.versione}"
    if (
        compilato is None
        or compilato.serialized.get(CONTENUTO, {}).get(f"versione{FIELD_MARKER}") != versione
    ):
        radice = cast(Any, State)(_reflex_internal_init=True)  # as Reflex's compile makes it
        iniziale = await _resolve_delta(radice.dict(initial=True))
        cache_initial_snapshot(State, iniziale)
        compilato = _initial_snapshot_cache[State]
    return compilato


def _contenuto(vista: Istantanea, lingua: str, compilato) -> dict[str, Any]:
    """ContenutoState's vars that differ from the compiled state, on `lingua`'s page."""
    chiave = (vista.versione, lingua)
    if chiave not in _per_lingua:
        _per_lingua.clear()  # only the current version is asked for
        finto, predefiniti = _Finto(vista, lingua), compilato.serialized[CONTENUTO]
        valori = {
            nome + FIELD_MARKER: var.fget(finto)  # type: ignore[arg-type]
            for nome, var in ContenutoState.computed_vars.items()
        }
        _per_lingua[chiave] = {
            nome: valore
            for nome, valore in valori.items()
            if _serialize_var(valore) != predefiniti.get(nome)
        }
    return _per_lingua[chiave]


def _hashes_di(compilato) -> list[str]:
    """The hashes a page compiled from Reflex's record `compilato` sends (made once)."""
    if _attesi[0] is not compilato:
        ordinati = (compilato.hashes[n] for n in sorted(compilato.hashes))
        _attesi[:] = [compilato, [compilato.names_digest, *ordinati]]
    return _attesi[1]


async def _ha_stato(app: App, token: str) -> bool:
    """Whether the tab `token` has a state, in this process or in Redis."""
    gestore = app.state_manager
    if isinstance(gestore, StateManagerMemory):
        return token in gestore.states
    if isinstance(gestore, StateManagerRedis):
        if token in gestore._cached_states:  # held by this process (Reflex's lease)
            return True
        return bool(await gestore.redis.exists(f"{token}_{RADICE}"))
    return True  # another manager: ask Reflex


async def _servita(app: App, token: str, event: Event) -> bool:
    """Answer a reader's hydrate as Reflex would; False (nothing sent) if it is not one."""
    hashes = _da_lettore(event.payload)
    lingua = _lingua(app, event.router_data)
    spazio = app.event_namespace
    if hashes is None or lingua is None or spazio is None:
        return False
    if await _ha_stato(app, token):
        return False
    vista = istantanea.gia_letta(PUBBLICATA)
    if vista is None or hashes != _hashes_di(await _compilato_di(vista)):
        # No page read yet by this process, a page built from a version it has not looked at
        # yet (another process built it), or an older page: one small query tells them apart.
        try:
            vista = await esegui(istantanea.aggiornata, pagina=PUBBLICATA)
        except SQLAlchemyError:  # the database restarting: left to Reflex
            return False
    compilato = await _compilato_di(vista)
    if hashes != _hashes_di(compilato):
        return False
    predefiniti = compilato.serialized[RADICE]
    radice: dict[str, Any] = {IDRATATA: False}
    for nome, crea in ROUTER.items():
        valore = crea(event.router_data)
        if _serialize_var(valore) != predefiniti.get(nome):
            radice[nome] = valore
    delta = {RADICE: radice}
    if contenuto := _contenuto(vista, lingua, compilato):
        delta[CONTENUTO] = contenuto
    await spazio.emit_update(StateUpdate(delta=delta), token)
    MOSTRATE[token] = (PUBBLICATA.nome, lingua)
    notifica.guarda_ora()  # as `aggiorna` would read the page's counter
    if (attuale := istantanea.gia_letta(PUBBLICATA)) is not None and attuale is not vista:
        # A publish came in while this was sent, before the tab was noted: it gets it now.
        await spazio.emit_update(StateUpdate(delta=aggiornamento(attuale, lingua)), token)
    await spazio.emit_update(StateUpdate(delta={RADICE: {IDRATATA: True}}), token)
    return True

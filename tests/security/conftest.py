"""A raw Socket.IO client that speaks to the app exactly as its page does, and the fixtures.

The wire protocol of Reflex 0.10.1 (`reflex_base/.templates/web/utils/state.js` on the browser
side, `EventNamespace` in `reflex/app.py` on the server side):

* One websocket (no polling) to `/_event`, which is both the Engine.IO path and the Socket.IO
  namespace. The server refuses an `Origin` outside `cors_allowed_origins`.
* The tab's client token, a UUID kept in sessionStorage, is in the query string:
  `/_event/?token=<uuid>&EIO=4&transport=websocket`. The server ties it to the socket (a token
  already in use by another socket gets a fresh one, sent back as "new_token"); events carry
  no token, and a "token" inside an event is ignored.
* The first event rides in the CONNECT packet: `auth={"event": hydrate_and_load}`. Its payload
  `vars` holds the browser's stored values by full var name: the session secret (local storage
  `serena_sessione`) goes as `{"<SessioneState full name>.token_rx_state_": "<secret>"}`. The
  server then runs the page's on_load events (`ContenutoState.aggiorna`,
  `SessioneState.verifica`). On later navigations the page sends them again with
  `update_vars_internal`. The HTTP `Cookie` header of the handshake only reaches
  `router.headers`; the app never reads it (the tests still try it).
* Every other event is `emit("event", {"name", "payload", "router_data"})`, with `name`
  `"<state full name>.<handler>"`, `payload` the handler's keyword arguments and `router_data`
  `{"pathname", "asPath"}`. The server runs one tab's events in order and answers with "event"
  messages `{"delta": {state: {"<var>_rx_state_": value}}, "events": [...]}`, only when
  something changed.
"""

import asyncio
import itertools
import secrets
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
import httpx
import pytest
import socketio
from reflex.state import UpdateVarsInternalState
from reflex_base.constants import CompileVars
from reflex_base.constants.state import FIELD_MARKER
from sqlalchemy import Engine, text
from sqlmodel import Session

from serena_app.auth.personale import crea_staff
from serena_app.auth.sessioni import adesso, crea_sessione, revoca_sessione
from serena_app.db import crea_engine
from tests.support.protocollo import (
    AGGIORNA,
    IDRATAZIONE,
    PERCORSO,
    RADICE,
    SESSIONE,
    VAR_SEGRETO,
)
from tests.support.server import Server

T = TypeVar("T")

ATTESA = 10.0
"""Seconds to wait for any answer from the server."""

AGGIORNA_VARS = f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal"
BARRIERA = AGGIORNA  # the page's read-only on_load event marks the end of answers
PAGINA = {"pathname": "/", "asPath": "/"}
TABELLE_CONTENUTO = ("sezione", "tappa", "valore", "revisionepagina")
PASSWORD = "una password lunga abbastanza"


class ConnessioneChiusa(Exception):
    """The server closed the websocket."""


_CHIUSA = object()  # put in the queue of answers when the socket closes


def evento(nome: str, payload: Any = None, router_data: Any = None) -> dict[str, Any]:
    """An event as the page emits it.

    Args:
        nome: The handler's full name, "<state full name>.<handler>".
        payload: The handler's keyword arguments ({} if None).
        router_data: Where the page is (the home page if None).

    Returns:
        The message body of a Socket.IO "event".
    """
    return {
        "name": nome,
        "payload": {} if payload is None else payload,
        "router_data": PAGINA if router_data is None else router_data,
    }


def vista(messaggi: list[dict]) -> dict[str, dict[str, Any]]:
    """Merge the deltas of `messaggi`.

    Returns:
        State full name -> var name (without the `_rx_state_` marker) -> last value sent.
    """
    stati: dict[str, dict[str, Any]] = {}
    for messaggio in messaggi:
        for stato, variabili in (messaggio.get("delta") or {}).items():
            vars_stato = stati.setdefault(stato, {})
            for nome, valore in variabili.items():
                vars_stato[nome.removesuffix(FIELD_MARKER)] = valore
    return stati


def _radice(messaggio: dict) -> dict[str, Any]:
    return (messaggio.get("delta") or {}).get(RADICE) or {}


def idratata(messaggio: dict) -> bool:
    """Whether `messaggio` ends hydration (the page's on_load events have run)."""
    return _radice(messaggio).get(f"{CompileVars.IS_HYDRATED}{FIELD_MARKER}") is True


def numero_barriera(messaggio: dict) -> str | None:
    """The `?barriera=n` of the URL in `messaggio`'s router update, if any."""
    url = _radice(messaggio).get(f"rx_router_url{FIELD_MARKER}") or {}
    return (url.get("query_parameters") or {}).get("barriera")


class ClienteGrezzo:
    """One browser tab reduced to its websocket: the page's packets, without the page.

    Use it as `async with ClienteGrezzo(url) as cliente: await cliente.connetti(...)`.
    """

    def __init__(self, url: str, *, token_client: str | None = None) -> None:
        self.url = url
        self.token_client = token_client or str(uuid.uuid4())
        self.token_nuovo: str | None = None  # the client token the server gave instead
        self._arrivi: asyncio.Queue = asyncio.Queue()
        self._barriere = itertools.count(1)
        self._http: aiohttp.ClientSession | None = None
        self._sio: socketio.AsyncClient | None = None

    async def __aenter__(self) -> "ClienteGrezzo":
        return self

    async def __aexit__(self, *_errore) -> None:
        await self.chiudi()

    @property
    def connesso(self) -> bool:
        """Whether the websocket is open."""
        return self._sio is not None and self._sio.connected

    async def connetti(
        self,
        *,
        cookie: str | None = None,
        vars_extra: dict[str, Any] | None = None,
        intestazioni: dict[str, str] | None = None,
    ) -> list[dict]:
        """Open the websocket with the hydrate event in the CONNECT packet, as the page does.

        Args:
            cookie: The `serena_sessione` cookie, sent where the page sends it (the hydrate
                event's `vars`); None for a browser without it.
            vars_extra: More hydrate `vars` (full var name -> value).
            intestazioni: HTTP headers for the handshake (they may replace `Origin`).

        Returns:
            Every message up to the end of hydration.
        """
        variabili = dict(vars_extra or {})
        if cookie is not None:
            variabili[VAR_SEGRETO] = cookie
        idratazione = evento(IDRATAZIONE, {"vars": variabili} if variabili else {})
        self._http = aiohttp.ClientSession()
        self._sio = socketio.AsyncClient(reconnection=False, http_session=self._http)
        self._sio.on("event", self._arrivi.put, namespace=PERCORSO)
        self._sio.on("new_token", self._token_nuovo, namespace=PERCORSO)
        self._sio.on("disconnect", self._chiusa, namespace=PERCORSO)
        await self._sio.connect(
            f"{self.url}?token={self.token_client}",
            headers={"Origin": self.url, **(intestazioni or {})},
            auth={"event": idratazione},
            transports=["websocket"],
            socketio_path=PERCORSO,
            namespaces=[PERCORSO],
            wait_timeout=ATTESA,
        )
        return await self.attendi(idratata)

    async def _token_nuovo(self, token: str) -> None:
        self.token_nuovo = token

    async def _chiusa(self, *_motivo) -> None:
        self._arrivi.put_nowait(_CHIUSA)

    async def chiudi(self) -> None:
        """Close the websocket and its HTTP session."""
        if self._sio is not None and self._sio.connected:
            await self._sio.disconnect()
        if self._http is not None:
            await self._http.close()

    async def emetti(self, dati: Any) -> None:
        """Emit any body as a Socket.IO "event" (the page always sends an `evento`)."""
        if self._sio is None:
            raise ConnessioneChiusa("not connected")
        try:
            await self._sio.emit("event", dati, namespace=PERCORSO)
        except socketio.exceptions.BadNamespaceError as chiusa:
            raise ConnessioneChiusa("the server closed the websocket") from chiusa

    async def invia_pacchetto(self, pacchetto: str) -> None:
        """Send a raw Engine.IO message, e.g. `42/_event,[...]` (no JSON encoding on our side)."""
        if self._sio is None:
            raise ConnessioneChiusa("not connected")
        await self._sio.eio.send(pacchetto)

    async def attendi(self, fatto: Callable[[dict], bool]) -> list[dict]:
        """Collect the server's messages until one satisfies `fatto`.

        Returns:
            The messages received, the one satisfying `fatto` last.

        Raises:
            ConnessioneChiusa: The server closed the websocket first.
            AssertionError: Nothing satisfying `fatto` within `ATTESA` seconds.
        """
        ricevuti: list[dict] = []
        try:
            async with asyncio.timeout(ATTESA):
                while (messaggio := await self._arrivi.get()) is not _CHIUSA:
                    ricevuti.append(messaggio)
                    if fatto(messaggio):
                        return ricevuti
        except TimeoutError:
            msg = f"no answer within {ATTESA:.0f} s; received: {str(ricevuti)[:2000]}"
            raise AssertionError(msg) from None
        raise ConnessioneChiusa(f"the server closed the websocket; received: {ricevuti}")

    async def barriera(self) -> list[dict]:
        """Wait until the server has processed every event sent before.

        A tab's events run in order, and a handler that changes nothing sends no answer, so
        the answer to the page's read-only `aggiorna` with a new `?barriera=n` in its URL (the
        URL change always comes back) marks the end of the earlier answers.

        Returns:
            The messages that arrived before that answer.
        """
        numero = str(next(self._barriere))
        await self.emetti(evento(BARRIERA, {}, {"pathname": "/", "asPath": f"/?barriera={numero}"}))
        ricevuti = await self.attendi(lambda messaggio: numero_barriera(messaggio) == numero)
        return ricevuti[:-1]

    async def scambia(self, nome: str, payload: Any = None) -> list[dict]:
        """Send one event from the home page and wait for its answers.

        Returns:
            The messages the event caused (none if it changed nothing).
        """
        await self.emetti(evento(nome, payload))
        return await self.barriera()

    async def presenta_cookie(self, cookie: str) -> None:
        """Send the session cookie again, as the page does on navigation; check it arrived."""
        stati = vista(await self.scambia(AGGIORNA_VARS, {"vars": {VAR_SEGRETO: cookie}}))
        assert stati[SESSIONE]["token"] == cookie


@dataclass(frozen=True)
class Credenziali:
    """A staff account and the secret of one of its sessions."""

    nome_utente: str
    token: str


@pytest.fixture(scope="module")
def db(server: Server) -> Iterator[Engine]:
    """An engine on the running app's database."""
    engine = crea_engine(server.db_url)
    yield engine
    engine.dispose()


class CicloDedicato:
    """An event loop on a thread of its own: Playwright's sync API (used by the browser tests
    in the same pytest run) may already hold the main thread's loop."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        """Run `coroutine` on the loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def close(self) -> None:
        """Stop the loop and its thread."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture(scope="module")
def ciclo() -> Iterator[CicloDedicato]:
    """One event loop for the module's clients: tests run coroutines with `ciclo.run(...)`."""
    loop = CicloDedicato()
    yield loop
    loop.close()


def righe(db: Engine, tabelle: tuple[str, ...] = TABELLE_CONTENUTO) -> dict[str, list[dict]]:
    """Every row of `tabelle`, in storage order, as column -> value."""
    with db.connect() as connessione:
        return {
            tabella: [
                dict(riga._mapping)
                for riga in connessione.execute(text(f"SELECT * FROM {tabella} ORDER BY rowid"))  # noqa: S608
            ]
            for tabella in tabelle
        }


def ripristina(db: Engine, salvate: dict[str, list[dict]]) -> None:
    """Put back exactly the rows `righe` returned (in one transaction)."""
    with db.begin() as connessione:
        for tabella, elenco in salvate.items():
            connessione.execute(text(f"DELETE FROM {tabella}"))  # noqa: S608
            for riga in elenco:
                colonne = ", ".join(riga)
                segnaposto = ", ".join(f":{colonna}" for colonna in riga)
                connessione.execute(
                    text(f"INSERT INTO {tabella} ({colonne}) VALUES ({segnaposto})"),  # noqa: S608
                    riga,
                )


@pytest.fixture(scope="module")
def credenziali(db: Engine) -> Callable[[str], Credenziali]:
    """Make a staff account with one session of a given kind, straight in the database.

    Kinds: "valida" (opened now), "scaduta" (opened 13 hours ago), "inattiva" (last used 3
    hours ago), "revocata" (logged out), "disabilitata" (live, but the account is disabled),
    "inventata" (a well-formed secret that no session has).
    """
    numeri = itertools.count(1)

    def crea(tipo: str) -> Credenziali:
        with Session(db) as session:
            staff = crea_staff(
                session=session, nome_utente=f"attacchi-{tipo}-{next(numeri)}", password=PASSWORD
            )
            if tipo == "inventata":
                return Credenziali(staff.nome_utente, secrets.token_urlsafe(32))
            inizio = {"scaduta": timedelta(hours=13), "inattiva": timedelta(hours=3)}
            token = crea_sessione(
                session=session, staff=staff, ora=adesso() - inizio.get(tipo, timedelta())
            )
            if tipo == "revocata":
                revoca_sessione(session=session, token=token)
            elif tipo == "disabilitata":
                staff.attivo = False
                session.add(staff)
                session.commit()
            return Credenziali(staff.nome_utente, token)

    return crea


def verifica_che_risponda(server: Server, ciclo: CicloDedicato) -> None:
    """The server still answers: GET / is 200 and a new tab hydrates over a new socket."""
    assert httpx.get(f"{server.url}/", timeout=ATTESA).status_code == 200

    async def nuova_scheda() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            return await cliente.connetti()

    assert vista(ciclo.run(nuova_scheda()))[SESSIONE]["nome_staff"] == ""

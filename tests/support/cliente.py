"""A raw Socket.IO client that speaks to the app exactly as its page does.

Used by the attack tests (`tests/security`) and the load generator (`scripts/carico.py`).

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
  `serena_sessione`) goes as `{"<AccessoState full name>.token_rx_state_": "<secret>"}`; the
  page also sends the compiled state `hashes` and, beside the event, the `state_schema`. The
  server then runs the page's on_load events (`ContenutoState.aggiorna`,
  `AccessoState.verifica`). On later navigations the page sends them again with
  `update_vars_internal`.
* Every other event is `emit("event", {"name", "payload", "router_data"})`, with `name`
  `"<state full name>.<handler>"`, `payload` the handler's keyword arguments and `router_data`
  `{"pathname", "asPath"}`. The server runs one tab's events in order and answers with "event"
  messages `{"delta": {state: {"<var>_rx_state_": value}}, "events": [...]}`, only when
  something changed.
"""

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
import socketio
from reflex.state import UpdateVarsInternalState
from reflex_base.constants import CompileVars, Reflex
from reflex_base.constants.state import FIELD_MARKER

from tests.support.protocollo import ACCESSO, AGGIORNA, IDRATAZIONE, PERCORSO, RADICE, VAR_SEGRETO

ATTESA = 10.0
"""Seconds to wait for any answer from the server, unless told otherwise."""

AGGIORNA_VARS = f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal"
PAGINA = {"pathname": "/", "asPath": "/"}


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

    Attributes:
        stato: Every var received so far (state full name -> var -> last value).
        arrivo: When the message that ended the last wait arrived (`time.perf_counter()`).
    """

    def __init__(
        self,
        url: str,
        *,
        token_client: str | None = None,
        http: aiohttp.ClientSession | None = None,
        al_messaggio: Callable[[dict, float], None] | None = None,
    ) -> None:
        """A tab of the app at `url`, not yet connected.

        Args:
            url: The app's base URL.
            token_client: The tab's client token (a new UUID if None).
            http: An HTTP session to share (one of its own if None, closed with the tab).
            al_messaggio: Called with each message and its arrival time, as it arrives.
        """
        self.url = url
        self.token_client = token_client or str(uuid.uuid4())
        self.token_nuovo: str | None = None  # the client token the server gave instead
        self.stato: dict[str, dict[str, Any]] = {}
        self.arrivo = 0.0
        self._al_messaggio = al_messaggio
        self._arrivi: asyncio.Queue = asyncio.Queue()
        self._barriere = itertools.count(1)
        self._http = http
        self._http_proprio = http is None
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
        segreto: str | None = None,
        vars_extra: dict[str, Any] | None = None,
        intestazioni: dict[str, str] | None = None,
        hashes: list[str] | None = None,
        schema: str | None = None,
        pagina: dict[str, str] | None = None,
        payload: Any = None,
        idrata: bool = True,
        attesa: float = ATTESA,
    ) -> list[dict]:
        """Open the websocket with the hydrate event in the CONNECT packet, as the page does.

        Args:
            segreto: The staff session secret, sent where the page sends it (the hydrate
                event's `vars`, from local storage); None for a browser without one.
            vars_extra: More hydrate `vars` (full var name -> value).
            intestazioni: HTTP headers for the handshake (they may replace `Origin`).
            hashes: The compiled state hashes the page sends, if known.
            schema: The compiled state schema the page sends, if known.
            pagina: Where the page is (`router_data`; the home page if None).
            payload: The hydrate's payload exactly as given, instead of the one the arguments
                above make (an attacker's).
            idrata: False to skip hydration, as no page does: the CONNECT packet carries no
                event, and the state the server keeps for the client token is used as it is.
            attesa: Seconds to wait for hydration.

        Returns:
            Every message up to the end of hydration (none without hydration).
        """
        variabili = dict(vars_extra or {})
        if segreto is not None:
            variabili[VAR_SEGRETO] = segreto
        inviato: Any = {"vars": variabili} if variabili else {}
        if hashes:
            inviato["hashes"] = hashes
        if payload is not None:
            inviato = payload
        auth: dict[str, Any] = {"event": evento(IDRATAZIONE, inviato, pagina)}
        if schema:
            auth["state_schema"] = schema
        if self._http is None:
            self._http = aiohttp.ClientSession()
        self._sio = socketio.AsyncClient(
            reconnection=False,
            http_session=self._http,
            websocket_extra_options={"protocols": [Reflex.VERSION]},
        )
        self._sio.on("event", self._messaggio, namespace=PERCORSO)
        self._sio.on("new_token", self._token_nuovo, namespace=PERCORSO)
        self._sio.on("disconnect", self._chiusa, namespace=PERCORSO)
        await self._sio.connect(
            f"{self.url}?token={self.token_client}",
            headers={"Origin": self.url, **(intestazioni or {})},
            auth=auth if idrata else None,
            transports=["websocket"],
            socketio_path=PERCORSO,
            namespaces=[PERCORSO],
            wait_timeout=attesa,
        )
        return await self.attendi(idratata, attesa) if idrata else []

    async def _messaggio(self, messaggio: dict) -> None:
        arrivo = time.perf_counter()
        for stato, variabili in vista([messaggio]).items():
            self.stato.setdefault(stato, {}).update(variabili)
        if self._al_messaggio is not None:
            self._al_messaggio(messaggio, arrivo)
        self._arrivi.put_nowait((messaggio, arrivo))

    async def _token_nuovo(self, token: str) -> None:
        self.token_nuovo = token

    async def _chiusa(self, *_motivo) -> None:
        self._arrivi.put_nowait((_CHIUSA, time.perf_counter()))

    async def chiudi(self) -> None:
        """Close the websocket, and the HTTP session if it is the tab's own."""
        if self._sio is not None and self._sio.connected:
            await self._sio.disconnect()
        if self._http is not None and self._http_proprio:
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
        """Send a raw Engine.IO MESSAGE as it goes on the wire, e.g. `42/_event,[...]`: "4"
        (Engine.IO message) then the Socket.IO packet, with no JSON encoding on our side."""
        if self._sio is None:
            raise ConnessioneChiusa("not connected")
        if not pacchetto.startswith("4"):
            msg = f"not an Engine.IO message: {pacchetto[:20]!r}"
            raise ValueError(msg)
        await self._sio.eio.send(pacchetto[1:])  # the Engine.IO layer writes the "4" itself

    async def attendi(self, fatto: Callable[[dict], bool], attesa: float = ATTESA) -> list[dict]:
        """Collect the server's messages until one satisfies `fatto` (its arrival time goes to
        `self.arrivo`).

        Returns:
            The messages received, the one satisfying `fatto` last.

        Raises:
            ConnessioneChiusa: The server closed the websocket first.
            AssertionError: Nothing satisfying `fatto` within `attesa` seconds.
        """
        ricevuti: list[dict] = []
        try:
            async with asyncio.timeout(attesa):
                while True:
                    messaggio, arrivo = await self._arrivi.get()
                    if messaggio is _CHIUSA:
                        break
                    ricevuti.append(messaggio)
                    if fatto(messaggio):
                        self.arrivo = arrivo
                        return ricevuti
        except TimeoutError:
            msg = f"no answer within {attesa:.0f} s; received: {str(ricevuti)[:2000]}"
            raise AssertionError(msg) from None
        raise ConnessioneChiusa(f"the server closed the websocket; received: {ricevuti}")

    async def barriera(self, attesa: float = ATTESA) -> list[dict]:
        """Wait until the server has processed every event sent before.

        A tab's events run in order, and a handler that changes nothing sends no answer, so
        the answer to the page's read-only `aggiorna` with a new `?barriera=n` in its URL (the
        URL change always comes back) marks the end of the earlier answers.

        Returns:
            The messages that arrived before that answer.
        """
        numero = str(next(self._barriere))
        percorso = {"pathname": "/", "asPath": f"/?barriera={numero}"}
        await self.emetti(evento(AGGIORNA, {}, percorso))
        ricevuti = await self.attendi(lambda m: numero_barriera(m) == numero, attesa)
        return ricevuti[:-1]

    async def scambia(self, nome: str, payload: Any = None, attesa: float = ATTESA) -> list[dict]:
        """Send one event from the home page and wait until it has been handled.

        Returns:
            The messages the event caused (none if it changed nothing).
        """
        await self.emetti(evento(nome, payload))
        return await self.barriera(attesa)

    async def chiedi(self, nome: str, payload: Any = None, attesa: float = ATTESA) -> list[dict]:
        """Send one event from the home page and wait for its own answer: one round trip.

        The event itself carries a new `?barriera=n` in its router data, and the URL change
        comes back in the same message as the handler's changes, so that message is the
        answer (its arrival time goes to `self.arrivo`). Unlike `scambia` no second event is
        sent, which is what the load generator times; a handler that yields several updates is
        answered by the first.

        Returns:
            The messages received, the answer last (earlier ones may predate the event).
        """
        numero = str(next(self._barriere))
        percorso = {"pathname": "/", "asPath": f"/?barriera={numero}"}
        await self.emetti(evento(nome, payload, percorso))
        return await self.attendi(lambda m: numero_barriera(m) == numero, attesa)

    async def presenta_segreto(self, segreto: str) -> None:
        """Send the session secret again, as the page does on navigation; check it arrived."""
        stati = vista(await self.scambia(AGGIORNA_VARS, {"vars": {VAR_SEGRETO: segreto}}))
        assert stati[ACCESSO]["token"] == segreto


async def riprendi_scheda(
    url: str, token_client: str, **connessione: Any
) -> tuple[ClienteGrezzo, list[dict]]:
    """A new socket on the client token of a tab that has just closed, connected with
    `connessione` (as `ClienteGrezzo.connetti`), and what it received.

    Reflex gives a second socket on a client token still connected a new token
    (`new_token`); with Redis (`make prod`) a closed socket's token is released a moment
    after it closes. So this tries again, a bounded number of times, until the server keeps
    the token: the socket then reaches the tab's own state.
    """
    for _ in range(50):
        cliente = ClienteGrezzo(url, token_client=token_client)
        ricevuti = await cliente.connetti(**connessione)
        if cliente.token_nuovo is None:
            return cliente, ricevuti
        await cliente.chiudi()
        await asyncio.sleep(0.1)
    raise AssertionError(f"the server kept giving {token_client} a new token")

"""The app's server stopped and started again under an open page, as `make run` serves it (one
process, the states in memory), from a copy of the tree of its own: what staff typed is never
lost, a "Salva" while the server is down is refused in words, and a server started without
`serena prepare` never serves a build made for another address."""

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from serena_app.contenuto.pagina import BOZZA
from serena_app.db import crea_engine
from serena_app.models import Sezione
from tests.e2e.conftest import STAFF_PASSWORD, VIEWPORTS, attendi_build, crea_account
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure
from tests.support.copia import copia_albero
from tests.support.server import Server, avvia_app, porta_libera

INTERROTTA = "Connessione al server interrotta"
RIFIUTATA = re.compile(r"^WebSocket connection to '\S+' failed: .*ERR_CONNECTION_REFUSED$")
RIPRESA_S = 15_000  # ms: from the reconnect to the editor open again (page load, then an event)
RIPRESO = "Ripreso il testo che non avevi ancora salvato: controllalo e premi Salva."
NON_SALVATO = "Non salvato: manca la connessione"


class ServerRiavviabile:
    """The app from a copy of the tree, stopped and started again on one database and one
    archive of builds; each start logs to a file of its own."""

    def __init__(self, cartella: Path) -> None:
        self.cartella = cartella
        self.albero = cartella / "albero"
        copia_albero(self.albero)
        self.db_url = f"sqlite:///{cartella / 'serena.db'}"
        self.porta = porta_libera()
        self.server: Server | None = None
        self._avvii = 0
        self._in_corso: contextlib.ExitStack | None = None

    def avvia(self, *, porta: int | None = None, prepara: bool = True) -> Server:
        """Start it (on `porta`, else on the port it had); `prepara`: `serena prepare` first."""
        self.porta = porta or self.porta
        self._avvii += 1
        lavoro = self.cartella / f"avvio-{self._avvii}"
        lavoro.mkdir()
        self._in_corso = contextlib.ExitStack()
        self.server = self._in_corso.enter_context(
            avvia_app(
                lavoro,
                db_url=self.db_url,
                root=self.albero,
                extra_env={"SERENA_BUILD": str(self.cartella / "build")},
                port=self.porta,
                prepara=prepara,
            )
        )
        return self.server

    def ferma(self) -> None:
        """Stop it (and its children)."""
        if self._in_corso is not None:
            self._in_corso.close()
            self._in_corso = None

    @property
    def in_corso(self) -> bool:
        """Whether it is serving (a test that failed may have left it stopped)."""
        return self._in_corso is not None


@pytest.fixture(scope="module")
def riavviabile(tmp_path_factory) -> Iterator[ServerRiavviabile]:
    server = ServerRiavviabile(tmp_path_factory.mktemp("riavvio"))
    try:
        server.avvia()
        crea_account(server.db_url, "anna")
        yield server
    finally:
        server.ferma()


@pytest.fixture
def redattrice(
    browser: Browser, riavviabile: ServerRiavviabile, contenuto
) -> Iterator[PaginaInModifica]:
    """Anna's page in edit mode (at desktop size: the behaviour does not depend on it)."""
    if not riavviabile.in_corso:
        riavviabile.avvia()
    contesto = browser.new_context(
        base_url=riavviabile.server.url, viewport=VIEWPORTS["desktop"], locale="it-IT"
    )
    pagina = contesto.new_page()
    errori = _errori_della_console(pagina)
    accedi(pagina, "anna", STAFF_PASSWORD)
    yield PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    contesto.close()
    assert errori == []


def _errori_della_console(pagina: Page) -> list[str]:
    """The page's console errors from now on, but the sockets refused while the server is
    down."""
    errori: list[str] = []

    def annota(messaggio) -> None:
        if messaggio.type == "error" and not RIFIUTATA.search(messaggio.text):
            errori.append(messaggio.text)

    pagina.on("console", annota)
    pagina.on("pageerror", lambda e: errori.append(str(e)))
    return errori


def _in_bozza(db_url: str, chiave: str) -> str:
    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            return session.exec(
                select(Sezione.testo).where(Sezione.pagina == BOZZA.nome, Sezione.chiave == chiave)
            ).one()
    finally:
        engine.dispose()


def _riavvia(riavviabile: ServerRiavviabile, page: Page) -> None:
    """Start the stopped server again on its port; the page reconnects by itself."""
    riavviabile.avvia()
    expect(page.get_by_text(INTERROTTA)).to_have_count(0, timeout=20_000)


def _ferma(riavviabile: ServerRiavviabile, page: Page) -> None:
    riavviabile.ferma()
    expect(page.get_by_text(INTERROTTA)).to_be_visible(timeout=20_000)


def test_typing_survives_a_restart_of_the_server(
    redattrice: PaginaInModifica, riavviabile: ServerRiavviabile
):
    page = redattrice.page
    page.get_by_role("button", name="Modifica vision").press("Enter")  # by keyboard
    testo = "Una vision scritta a metà, poi il server si riavvia."
    campo = redattrice.campo("Testo: vision")
    expect(campo).to_be_focused()
    campo.press("ControlOrMeta+a")
    page.keyboard.type(testo)

    _ferma(riavviabile, page)
    _riavvia(riavviabile, page)

    # Recognised again: the editor is open with her text, and says so.
    expect(redattrice.campo("Testo: vision")).to_have_value(testo, timeout=RIPRESA_S)
    expect(page.locator(".testo-ripreso")).to_have_text(RIPRESO)
    expect(redattrice.stato).to_be_visible()  # in edit mode
    assert violazioni_alle_due_misure(page) == {}  # the reopened editor and its notice
    redattrice.salva()
    expect(redattrice.annuncio).to_have_text("Testo della vision salvato.")
    assert _in_bozza(riavviabile.db_url, "vision") == testo


def test_a_save_while_the_server_is_down_is_refused_in_words_and_works_once_it_is_back(
    redattrice: PaginaInModifica, riavviabile: ServerRiavviabile, contenuto
):
    page = redattrice.page
    page.get_by_role("button", name="Modifica mission").click()
    campo = redattrice.campo("Testo: mission")
    testo = "Una mission salvata mentre il server è fermo."
    campo.fill(testo)

    _ferma(riavviabile, page)
    redattrice.salva()
    editor = page.locator("form.editor")
    expect(editor.get_by_role("alert")).to_contain_text(NON_SALVATO)
    expect(campo).to_have_value(testo)
    # The refusal and the connection notice, as she sees them, at phone and desktop width.
    assert violazioni_alle_due_misure(page) == {}
    _riavvia(riavviabile, page)

    expect(redattrice.campo("Testo: mission")).to_have_value(testo, timeout=RIPRESA_S)
    expect(page.locator(".testo-ripreso")).to_have_text(RIPRESO)
    assert _in_bozza(riavviabile.db_url, "mission") == contenuto["sezioni"]["mission"]
    redattrice.salva()
    expect(redattrice.annuncio).to_have_text("Testo della mission salvato.")
    expect(editor.get_by_text(NON_SALVATO)).to_have_count(0)
    assert _in_bozza(riavviabile.db_url, "mission") == testo


def test_a_start_without_prepare_never_serves_a_build_made_for_another_address(
    redattrice: PaginaInModifica, riavviabile: ServerRiavviabile, browser: Browser
):
    # A publish leaves, in the archive, a build whose page opens its socket at this port.
    page = redattrice.page
    page.get_by_role("button", name="Modifica vision").click()
    redattrice.campo("Testo: vision").fill("Vision pubblicata prima di cambiare porta.")
    redattrice.salva()
    page.get_by_role("button", name="Pubblica", exact=True).click()
    page.get_by_role("button", name="Pubblica ora").click()
    expect(redattrice.annuncio).to_contain_text("Pubblicat")
    engine = crea_engine(riavviabile.db_url)
    with Session(engine) as session:
        attendi_build(riavviabile.server, session)
    engine.dispose()
    vecchia = riavviabile.porta
    riavviabile.ferma()

    # The same checkout started on another port, without `serena prepare`.
    server = riavviabile.avvia(porta=porta_libera(), prepara=False)
    contesto = browser.new_context(base_url=server.url, viewport=VIEWPORTS["desktop"])
    nuova = contesto.new_page()
    errori = _errori_della_console(nuova)
    ricevuti: list[str] = []
    prese: list[str] = []

    def ricevi(risposta) -> None:
        if risposta.request.resource_type in ("document", "script"):
            with contextlib.suppress(Exception):
                ricevuti.append(risposta.text())

    nuova.on("response", ricevi)
    nuova.on("websocket", lambda ws: prese.append(ws.url))
    accedi(nuova, "anna", STAFF_PASSWORD)  # the page hydrates, and staff can log in
    expect(nuova.locator("#vision")).to_contain_text("Vision pubblicata prima di cambiare porta.")
    expect(nuova.get_by_text(INTERROTTA)).to_have_count(0)
    assert ricevuti, "no page or script was received"
    assert [t for t in ricevuti if f"localhost:{vecchia}" in t] == []
    assert prese, "the page opened no websocket"
    assert all(f"localhost:{riavviabile.porta}/" in url for url in prese), prese
    assert violazioni_alle_due_misure(nuova) == {}
    contesto.close()
    assert errori == []

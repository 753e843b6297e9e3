"""The builds on disk: each in a folder of its own under `SERENA_BUILD` (default `.build/`),
their hashed assets in `assets/`, shared by every build so pages already open keep loading
their chunks, the `corrente` file (replaced atomically) and the `attuale` link that say which
build is served, and the compressed copies (`.br`, `.gz`) of the files each build changed.
`build.py` makes the builds; `web/servizio.py` and `make prod`'s Caddy serve them.

A build's page opens its websocket at the address it was built for, so `corrente` records
that address too: a server started on another one (another port, in the same checkout,
without `serena prepare`) never serves it, and serves the build it made at start instead."""

import contextlib
import fcntl
import functools
import gzip
import hashlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import brotli

logger = logging.getLogger(__name__)

RADICE_PROGETTO = Path(__file__).resolve().parents[2]
INIZIALE = "iniziale"  # the startup build's folder, where a front server serves from disk
COMPRIMIBILI = re.compile(r"\.(js|css|html|json|svg|xml|txt|map|mjs)$")
MINIMO_COMPRIMIBILE = 256  # bytes; pages are always compressed
COPIE_COMPRESSE = (".br", ".gz")
RIPOSO_S = 30.0
"""How long a replaced build stays: a request that found one of its files before the switch
still opens it (granian opens a file after Starlette has found it)."""
NOME_BUILD = re.compile(r"\d{8,}-[0-9a-f]{8}")


def cartella() -> Path:
    """Where the builds are kept."""
    return Path(os.environ.get("SERENA_BUILD", RADICE_PROGETTO / ".build"))


def indirizzo_del_server() -> str:
    """The websocket address this process's pages open (Reflex's event URL, from its
    configuration): what a build it makes is for."""
    from reflex_base.constants import Endpoint

    return Endpoint.EVENT.get_url()


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


def _da_comprimere(file: Path) -> bool:
    if file.suffix in COPIE_COMPRESSE or not COMPRIMIBILI.search(file.name):
        return False
    return file.suffix == ".html" or file.stat().st_size >= MINIMO_COMPRIMIBILE


def comprimi_nuovo(file: Path) -> None:
    """Write the `.br` and `.gz` copies of `file` that are missing, at the quality of Reflex's
    build; each appears whole (written aside, then renamed)."""
    if not _da_comprimere(file):
        return
    dati = None
    for suffisso, comprimi_dati in (
        (".br", functools.partial(brotli.compress, quality=11)),
        (".gz", functools.partial(gzip.compress, compresslevel=9)),
    ):
        copia = file.with_name(file.name + suffisso)
        if copia.exists():
            continue
        dati = file.read_bytes() if dati is None else dati
        provvisoria = copia.with_name(f".{copia.name}-{uuid.uuid4().hex[:8]}")
        provvisoria.write_bytes(comprimi_dati(dati))
        os.replace(provvisoria, copia)


def comprimi_cartella(cartella: Path) -> None:
    """The missing `.br` and `.gz` copies of every file in `cartella`; a file with the same
    bytes as one done before (`404.html` and the SPA fallback, `accesso.html` and
    `accesso/index.html`) gets links to its copies."""
    fatti: dict[bytes, Path] = {}
    for file in sorted(p for p in cartella.rglob("*") if p.is_file()):
        if not _da_comprimere(file):
            continue
        impronta = hashlib.sha256(file.read_bytes()).digest()
        uguale = fatti.setdefault(impronta, file)
        if uguale != file:
            for suffisso in COPIE_COMPRESSE:
                copia = uguale.with_name(uguale.name + suffisso)
                if copia.exists() and not file.with_name(file.name + suffisso).exists():
                    collega(copia, file.with_name(file.name + suffisso))
        comprimi_nuovo(file)


def _comprimi(cartella: Path | None, assets: list[Path]) -> None:
    """The missing compressed copies of a build's pages and assets; a file that is gone
    meanwhile (a newer build replaced this one) is skipped."""
    with contextlib.suppress(FileNotFoundError):
        if cartella is not None:
            comprimi_cartella(cartella)
    for risorsa in assets:
        with contextlib.suppress(FileNotFoundError):
            comprimi_nuovo(risorsa)


def collega(sorgente: Path, destinazione: Path) -> None:
    """`destinazione` becomes `sorgente`'s file: a hard link, a copy across file systems."""
    try:
        os.link(sorgente, destinazione)
    except OSError:
        shutil.copy2(sorgente, destinazione)


class Archivio:
    """The builds on disk, and which one is current, for a server whose pages open their
    websocket at `indirizzo` (by default this process's: `indirizzo_del_server`)."""

    def __init__(self, radice: Path, indirizzo: str | None = None) -> None:
        self.radice = radice
        self.indirizzo = indirizzo_del_server() if indirizzo is None else indirizzo
        self.assets = radice / "assets"
        self._puntatore = radice / "corrente"
        self.attuale = radice / "attuale"  # a link to the current build's folder

    def corrente(self) -> tuple[int, Path] | None:
        """The current build's content counter and folder, or None (the startup build): also
        when the current build was made for another address than this archive's."""
        puntata = self._puntata()
        if puntata is None or puntata[2] != self.indirizzo:
            return None
        return puntata[0], puntata[1]

    def _puntata(self) -> tuple[int, Path, str] | None:
        """What `corrente` names, whatever its address: the counter, the folder, the address
        it was built for ("" if not recorded: a build made before addresses were)."""
        try:
            versione, nome, *indirizzo = self._puntatore.read_text(encoding="utf-8").split()
            return int(versione), self.radice / nome, " ".join(indirizzo)
        except (OSError, ValueError):
            return None

    def aggiungi(self, client: Path, versione: int, pubblicata_il: datetime | None = None) -> bool:
        """`metti`, then the compressed copies of its files.

        Returns:
            Whether it is now the current build.
        """
        corrente, comprimi_dopo = self.metti(client, versione, pubblicata_il)
        comprimi_dopo()
        return corrente

    def metti(
        self, client: Path, versione: int, pubblicata_il: datetime | None = None
    ) -> tuple[bool, Callable[[], None]]:
        """Keep the build in `client` (React Router's `build/client`; moved, not copied),
        made from content at counter `versione` or later and published at `pubblicata_il`
        (its sitemap's `<lastmod>`), for this archive's address, and make it current unless
        a newer one for that address already is.

        Returns:
            Whether it is now the current build, and what makes the compressed copies of the
            files it brought (until it runs they are served uncompressed: the same bytes).
        """
        nuovi = self._metti_assets(client)
        nome = f"{versione:08d}-{uuid.uuid4().hex[:8]}"
        cartella = self.radice / nome
        self._sposta(client, cartella)
        if pubblicata_il is not None:
            data_sitemap(cartella / "sitemap.xml", pubblicata_il)
        attuale = self._puntata()
        if attuale is not None and attuale[2] == self.indirizzo and attuale[0] > versione:
            shutil.rmtree(cartella)
            return False, functools.partial(_comprimi, None, nuovi)
        provvisorio = self._puntatore.with_name(f".corrente-{nome}")
        provvisorio.write_text(f"{versione} {nome} {self.indirizzo}\n", encoding="utf-8")
        os.replace(provvisorio, self._puntatore)
        self._punta(nome)
        if attuale is not None:
            with contextlib.suppress(FileNotFoundError):
                os.utime(attuale[1])  # replaced now: it rests from now on
        self._sgombra(nome)
        return True, functools.partial(_comprimi, cartella, nuovi)

    def _sgombra(self, corrente: str) -> None:
        """Remove the builds replaced more than `RIPOSO_S` ago (their assets stay in
        `assets/`)."""
        limite = time.time() - RIPOSO_S
        for cartella in self.radice.iterdir():
            if cartella.name == corrente or not NOME_BUILD.fullmatch(cartella.name):
                continue
            with contextlib.suppress(FileNotFoundError):
                if cartella.stat().st_mtime < limite:
                    shutil.rmtree(cartella, ignore_errors=True)

    def _sposta(self, client: Path, cartella: Path) -> None:
        """Move the build's pages to `cartella` (its assets are in `assets/` already)."""
        shutil.rmtree(client / "assets", ignore_errors=True)
        try:
            client.rename(cartella)
        except OSError:  # another file system
            shutil.copytree(client, cartella)

    def _punta(self, nome: str) -> None:
        collegamento = self.attuale.with_name(f".attuale-{nome}")
        collegamento.unlink(missing_ok=True)
        collegamento.symlink_to(nome)
        os.replace(collegamento, self.attuale)

    def _metti_assets(self, client: Path) -> list[Path]:
        """Put the build's assets in `assets/`: hashed names, so a name already there is the
        same file. The build's compressed copies come first, then the file.

        Returns:
            The build's assets in `assets/`, some maybe still without compressed copies.
        """
        self.assets.mkdir(parents=True, exist_ok=True)
        sorgente = client / "assets"
        if not sorgente.is_dir():
            return []
        messi = []
        for risorsa in sorted(sorgente.iterdir()):
            if risorsa.suffix in COPIE_COMPRESSE:
                continue
            destinazione = self.assets / risorsa.name
            for suffisso in COPIE_COMPRESSE:
                copia = risorsa.with_name(risorsa.name + suffisso)
                if copia.exists() and not destinazione.with_name(copia.name).exists():
                    collega(copia, destinazione.with_name(copia.name))
            if not destinazione.exists():
                collega(risorsa, destinazione)
            messi.append(destinazione)
        return messi

    def iniziale(self, client: Path) -> None:
        """Keep the startup build (made at start from the database; copied), for a front
        server that serves from here (`make prod`), and make it current."""
        self.radice.mkdir(parents=True, exist_ok=True)
        provvisoria = self.radice / f".iniziale-{uuid.uuid4().hex[:8]}"
        shutil.copytree(client, provvisoria)
        for risorsa in self._metti_assets(provvisoria):
            comprimi_nuovo(risorsa)
        shutil.rmtree(provvisoria / "assets")
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

"""HTTP details of serving the site: cache headers, a few security headers, robots.txt.

Every response, whatever its status, gets the security headers. Redirects point at a path
of this site, never at the Host header a client sent, and like errors and health checks
they are not stored by any cache.

Passed to `rx.App(api_transformer=...)`; in production's single-port mode it wraps the server
that sends the built pages and assets too.
"""

from pathlib import Path
from urllib.parse import urlsplit

from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serena_app.pubblicazione.archivio import Archivio
from serena_app.pubblicazione.build import ricostruzione
from serena_app.web.csp import INTESTAZIONE
from serena_app.web.sito import url_sito

IMMUTABILE = "public, max-age=31536000, immutable"  # /assets/* names carry a content hash
RIVALIDA = "no-cache"  # pages: always revalidated (ETag), so an edit shows at once
BREVE = "public, max-age=86400"  # other static files (favicon, share image)
MAI = "no-store"  # redirects, errors, health checks: answers about this moment only
SALUTE = ("/ping", "/_health")

SICUREZZA = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": INTESTAZIONE,  # each page adds its own for scripts (csp.py)
    "X-Frame-Options": "DENY",  # for browsers that know no frame-ancestors
}
# Only over HTTPS: browsers then refuse plain HTTP to this host for two years.
HSTS = "max-age=63072000; includeSubDomains"


def robots_txt() -> str:
    """robots.txt: everything may be crawled; the sitemap's address comes from configuration."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {url_sito()}/sitemap.xml\n"


def cache_control(percorso: str, stato: int, tipo: str) -> str:
    """The Cache-Control value for a response to `percorso` with status `stato` and content
    type `tipo`."""
    if stato >= 400 or (300 <= stato < 400 and stato != 304) or percorso in SALUTE:
        return MAI
    if percorso.startswith("/assets/"):
        return IMMUTABILE
    if tipo.startswith("text/html") or percorso in ("/", "/sitemap.xml", "/robots.txt"):
        return RIVALIDA
    return BREVE


def solo_percorso(indirizzo: str) -> str:
    """A redirect's target without scheme and host: `http://evil.example/accesso/` (built
    from a forged Host header) becomes `/accesso/`."""
    parti = urlsplit(indirizzo)
    percorso = "/" + parti.path.lstrip("/")  # "//evil.example" would leave the site
    return percorso + (f"?{parti.query}" if parti.query else "")


async def _rispondi_robots(send: Send) -> None:
    corpo = robots_txt().encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(corpo)).encode()),
                (b"cache-control", RIVALIDA.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": corpo})


class BuildCorrente:
    """Serves the pages of the newest complete build (`pubblicazione/build.py`) and the
    assets of every build; anything else is left to the app. Nothing waits for a build
    running meanwhile: its pages are served once it is complete and current."""

    def __init__(self, archivio: Archivio) -> None:
        self.archivio = archivio
        self._statici: dict[Path, PrecompressedStaticFiles] = {}

    def _di(self, cartella: Path, *, html: bool) -> PrecompressedStaticFiles:
        if cartella not in self._statici:
            self._statici[cartella] = PrecompressedStaticFiles(
                directory=cartella, html=html, encodings=["brotli", "gzip"]
            )
        return self._statici[cartella]

    async def risposta(self, scope: Scope):
        """The response from the current build for this request, or None."""
        percorso = scope["path"]
        if scope["method"] not in ("GET", "HEAD") or percorso in SALUTE:
            return None
        corrente = self.archivio.corrente()
        if corrente is None:
            return None
        # Every build's assets are in the archive's `assets/`; its pages in its own folder.
        assets = percorso.startswith("/assets/")
        statici = self._di(self.archivio.radice if assets else corrente[1], html=not assets)
        try:
            risposta = await statici.get_response(statici.get_path(scope), scope)
        except HTTPException:
            return None
        # With html=True a miss is the build's 404 page: the app may still answer it.
        return risposta if risposta.status_code != 404 else None


def intestazioni(app: ASGIApp) -> ASGIApp:
    """Wrap the server: add Cache-Control and security headers; answer /robots.txt; serve the
    build that follows the last publish."""
    build = BuildCorrente(ricostruzione().archivio)

    async def servi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        percorso = scope["path"]

        async def invia(messaggio: Message) -> None:
            if messaggio["type"] == "http.response.start":
                headers = MutableHeaders(scope=messaggio)
                stato = messaggio["status"]
                headers["Cache-Control"] = cache_control(
                    percorso, stato, headers.get("content-type", "")
                )
                if "location" in headers:
                    headers["Location"] = solo_percorso(headers["location"])
                for nome, valore in SICUREZZA.items():
                    headers.setdefault(nome, valore)
                if scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(messaggio)

        if percorso == "/robots.txt":
            await _rispondi_robots(invia)
            return
        if (risposta := await build.risposta(scope)) is not None:
            await risposta(scope, receive, invia)
            return
        await app(scope, receive, invia)

    return servi

"""The MDN HTTP Observatory's own scanner (npm `@mdn/mdn-http-observatory`): install it, run it
against a host name, read its verdict.

What the package's source (1.4.8) does, and so what this module does around it:

* Its command line is `node src/scan.js HOST`. It prints one JSON object, `{"scan": {"grade",
  "score", "testsPassed", "testsFailed", "responseHeaders", …}, "tests": {NAME: {"pass",
  "result", "scoreModifier", "expectation", …}}}`, or `{"error": "…"}` with exit status 1
  ("The site seems to be down." when neither address answers). Its `bin/wrapper.js` is not
  used: it points NODE_EXTRA_CA_CERTS at a Mozilla CA bundle, over ours.
* It fetches http://HOST/ and https://HOST/ (ports 80 and 443: the command line takes no
  port), follows up to 10 redirects, then asks for /robots.txt and sends a CORS preflight.
  Each session gives up after 10 s (ABORT_TIMEOUT), each request 9 s after it is sent
  (CLIENT_TIMEOUT).
* A certificate it cannot verify is no error: it fetches again without verifying, and then
  `redirection` and `strict-transport-security` fail (`redirection-invalid-cert`,
  `hsts-invalid-cert`), so the edge's CA is given through NODE_EXTRA_CA_CERTS.
* Its install step downloads Chromium's HSTS preload list into `conf/hsts-preload.json` (an
  object: host → `{"includeSubDomains", "mode", …}`), which those two tests read, and IANA's
  list of top-level domains into `conf/tld-list.json`; its dependency
  `node_extra_ca_certs_mozilla_bundle` downloads the Mozilla CA bundle. Installed with
  `--ignore-scripts`, none of that happens: the preload list is written empty (`{}`: no host
  is preloaded, the verdict rests on the headers the edge sends); the TLD list and the name
  checks (a known TLD, no IP address, a DNS answer) belong to its web API only, never to
  `scan.js`; the CA bundle is used by the wrapper only.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VERSIONE = "1.4.8"
CARTELLA = ROOT / ".bench" / "observatory"
PACCHETTO = CARTELLA / "node_modules" / "@mdn" / "mdn-http-observatory"
SCANSIONE = PACCHETTO / "src" / "scan.js"
PRECARICATI = PACCHETTO / "conf" / "hsts-preload.json"
# Its own timeouts are 10 s a session, two sessions at once, then two more requests.
TEMPO_MASSIMO_S = 120


@dataclass(frozen=True)
class Prova:
    """One of the scanner's tests, as it judged it."""

    superata: bool
    risultato: str  # the scanner's own word, e.g. "hsts-invalid-cert"
    punti: int  # what it adds to or takes from the score


@dataclass(frozen=True)
class Valutazione:
    """The scanner's verdict on a host."""

    voto: str  # "A+" … "F"
    punteggio: int
    prove: dict[str, Prova]

    @property
    def fallite(self) -> dict[str, str]:
        """The failed tests' names and their results."""
        return {nome: p.risultato for nome, p in self.prove.items() if not p.superata}


def _versione_installata() -> str | None:
    try:
        return json.loads((PACCHETTO / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def installa_osservatorio() -> None:
    """Install the pinned scanner into `.bench/observatory/` unless it is there, with an empty
    HSTS preload list in place of the one its skipped install step would download."""
    if _versione_installata() != VERSIONE:
        print(f"Installing the MDN HTTP Observatory {VERSIONE} into .bench/ ...", flush=True)
        CARTELLA.mkdir(parents=True, exist_ok=True)
        npm = [str(BIN / "npm"), "install", "--prefix", str(CARTELLA)]
        pacchetto = f"@mdn/mdn-http-observatory@{VERSIONE}"
        silenzio = ["--no-audit", "--no-fund", "--loglevel=error"]
        subprocess.run(
            [*npm, pacchetto, "--ignore-scripts", *silenzio],
            env=_ambiente(),
            check=True,
        )
    if not PRECARICATI.exists():
        PRECARICATI.write_text("{}\n", encoding="utf-8")


def _ambiente() -> dict[str, str]:
    """npm finds the venv's Node 24 first on PATH."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def leggi(uscita: str) -> Valutazione:
    """The verdict in the scanner's printed JSON.

    Raises:
        RuntimeError: With the scanner's own message, if it could not scan.
    """
    dati = json.loads(uscita)
    if "error" in dati:
        raise RuntimeError(f"the Observatory could not scan: {dati['error']}")
    return Valutazione(
        voto=dati["scan"]["grade"],
        punteggio=dati["scan"]["score"],
        prove={
            nome: Prova(
                superata=prova["pass"],
                risultato=prova["result"],
                punti=prova["scoreModifier"],
            )
            for nome, prova in dati["tests"].items()
        },
    )


def comando(host: str, *, ca: Path, prefisso: list[str] = []) -> list[str]:  # noqa: B006
    """The command line that scans `host` trusting the CA certificate `ca`, after `prefisso`
    (e.g. `["ip", "netns", "exec", "serena-cliente"]`). The variable is set by `env` after the
    prefix, so a prefix that starts afresh keeps it."""
    nodo = [str(BIN / "node"), str(SCANSIONE), host]
    return [*prefisso, "env", f"NODE_EXTRA_CA_CERTS={ca}", *nodo]


def valuta(host: str, *, ca: Path, prefisso: list[str] = []) -> Valutazione:  # noqa: B006
    """Scan `host` (on ports 80 and 443, as a name its resolver knows) and read the verdict.

    Args:
        host: The host name, as the certificate names it.
        ca: The root certificate that signed the edge's (Caddy's local CA: its
            `pki/authorities/local/root.crt`).
        prefisso: A command prefix, to run the scanner inside a network namespace.

    Raises:
        FileNotFoundError: If `ca` is missing (Node would only warn, and the verdict would be
            about an unverified certificate).
        RuntimeError: If the scanner fails or could not scan.
    """
    if not ca.is_file():
        raise FileNotFoundError(f"no CA certificate at {ca}")
    installa_osservatorio()
    fatto = subprocess.run(
        comando(host, ca=ca, prefisso=prefisso),
        capture_output=True,
        text=True,
        timeout=TEMPO_MASSIMO_S,
        check=False,
    )
    if fatto.returncode != 0 and not fatto.stdout.lstrip().startswith("{"):
        msg = f"the Observatory exited with {fatto.returncode} on {host}:\n{fatto.stderr[-4000:]}"
        raise RuntimeError(msg)
    return leggi(fatto.stdout)

"""The settings of a running `make prod`, in `var/produzione.env`.

`serena prod` writes the database and Redis addresses it runs with there (with their passwords:
the file is its owner's only), and removes the file when it stops. While the file is there,
every `serena` command run from the project folder (`create-staff`, `backup`, `audit`…) works
on the production database, and says so, unless `DATABASE_URL` names another.
"""

import os
import sys
from pathlib import Path


def var() -> Path:
    """`var/` of the project folder, the one `serena` runs from."""
    return Path.cwd() / "var"


def file() -> Path:
    """The settings file."""
    return var() / "produzione.env"


def scrivi(valori: dict[str, str]) -> None:
    """Record `valori` (readable by the owner only: the URLs may hold passwords)."""
    var().mkdir(parents=True, exist_ok=True)
    provvisorio = file().with_suffix(".tmp")
    provvisorio.unlink(missing_ok=True)
    # Created owner-only: not readable by others even for the moment before a chmod.
    descrittore = os.open(provvisorio, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descrittore, "w", encoding="utf-8") as uscita:
        uscita.write("".join(f"{k}={v}\n" for k, v in valori.items()))
    provvisorio.replace(file())


def leggi(percorso: Path | None = None) -> dict[str, str]:
    """The recorded settings (of `percorso`, default `file()`); empty when no `make prod`
    runs."""
    try:
        righe = (percorso or file()).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    return dict(riga.split("=", 1) for riga in righe if "=" in riga)


def rimuovi() -> None:
    """`make prod` stopped: `serena` goes back to the default database."""
    file().unlink(missing_ok=True)


def applica() -> None:
    """Use the running production's settings, unless the environment names a database."""
    valori = leggi()
    if not valori or os.environ.get("DATABASE_URL"):
        return
    os.environ.update(valori)
    print("Database di produzione (var/produzione.env).", file=sys.stderr)


# Several machines (`serena prod --role data|app|edge`): each host reads its part from its
# environment (on a real machine, /etc/serena/produzione.env; see deploy/).


def _elenco(nome: str) -> list[str]:
    return [v.strip() for v in os.environ.get(nome, "").split(",") if v.strip()]


def host_dati() -> str:
    """The data host's address, where PostgreSQL and Redis listen (`SERENA_DATA_HOST`)."""
    return os.environ.get("SERENA_DATA_HOST", "127.0.0.1")


def clienti_dati() -> tuple[str, ...]:
    """The networks of the app hosts, the only ones the data host lets in
    (`SERENA_DATA_CLIENTS`, e.g. `10.0.1.0/24`)."""
    return tuple(_elenco("SERENA_DATA_CLIENTS")) or ("127.0.0.1/32", "::1/128")


def bordo() -> list[str]:
    """The edges' addresses, as an app host sees them (`SERENA_EDGE`): what they say about
    the visitor is believed."""
    return _elenco("SERENA_EDGE")


def ospiti_app() -> list[str]:
    """The app hosts' `host:port`, as the edge reaches their Caddy (`SERENA_APP_HOSTS`)."""
    return _elenco("SERENA_APP_HOSTS")


def tls_interno() -> bool:
    """The edge's certificate from Caddy's own local CA (`SERENA_TLS=internal`: tests and
    private networks), else one Caddy obtains from Let's Encrypt."""
    return os.environ.get("SERENA_TLS") == "internal"


def sito() -> str:
    """The site's public address (`SERENA_SITE_URL`)."""
    return os.environ.get("SERENA_SITE_URL", "")


def ambiente() -> dict[str, str]:
    """This process's environment, for a child."""
    return dict(os.environ)

"""The edge of several machines: one Caddy, HTTPS, in front of the app hosts' Caddys.

`serena prod --role edge` reads the site's address (`SERENA_SITE_URL`, `https://…`), the app
hosts (`SERENA_APP_HOSTS`) and where the certificate comes from (`SERENA_TLS`), and runs Caddy
with the configuration of `caddy.caddyfile_bordo` on ports 443 and 80 (which only redirects).
It keeps no data: its `var/` holds the configuration and Caddy's certificates.
"""

from pathlib import Path

from serena_app.produzione import impostazioni
from serena_app.produzione.caddy import caddyfile_bordo
from serena_app.produzione.processi import Processo, verifica_porta

PORTE = (443, 80)


def processi(var: Path) -> list[Processo]:
    """Caddy, ready to start, once its ports are free and its settings complete."""
    sito, ospiti = impostazioni.sito(), impostazioni.ospiti_app()
    if not sito.startswith("https://") or not ospiti:
        msg = (
            "un edge ha bisogno di SERENA_SITE_URL (https://…) e di SERENA_APP_HOSTS "
            "(host:porta di ogni host dell'app, separati da virgole): vedi deploy/."
        )
        raise RuntimeError(msg)
    for porta in PORTE:
        verifica_porta(porta)
    config = var / "Caddyfile"
    testo = caddyfile_bordo(sito, ospiti, interno=impostazioni.tls_interno())
    config.write_text(testo, "utf-8")
    comando = ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"]
    # Caddy's own state (its certificates, its local CA) under var/, not in the home.
    propri = {"XDG_CONFIG_HOME": str(var / "caddy"), "XDG_DATA_HOME": str(var / "caddy")}
    return [Processo("Caddy (edge)", comando, {**impostazioni.ambiente(), **propri})]

"""HSTS over HTTPS only, from both servers: `make run`'s own and the front server of
`make prod` (whose configuration Caddy itself checks)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from serena_app.produzione.caddy import caddyfile, caddyfile_bordo
from serena_app.web.servizio import HSTS, intestazioni
from tests.support.asincrono import esegui

SEI_MESI_S = 15768000  # the Observatory's minimum


def test_hsts_lasts_at_least_six_months():
    assert int(re.search(r"max-age=(\d+)", HSTS).group(1)) >= SEI_MESI_S


@pytest.mark.parametrize(("schema", "atteso"), [("https", HSTS), ("http", None)])
def test_the_app_server_sends_hsts_only_over_https(schema, atteso):
    inviati = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def invia(messaggio):
        inviati.append(messaggio)

    scope = {"type": "http", "scheme": schema, "method": "POST", "path": "/_event", "headers": []}
    esegui(intestazioni(app)(scope, None, invia))
    ricevute = {k.decode().lower(): v.decode() for k, v in inviati[0]["headers"]}
    assert ricevute.get("strict-transport-security") == atteso


def _adatta(testo: str, tmp_path: Path) -> dict:
    """Caddy's own reading of the configuration (it fails on any error)."""
    file = tmp_path / "Caddyfile"
    file.write_text(testo, encoding="utf-8")
    caddy = shutil.which("caddy") or "/usr/bin/caddy"
    uscita = subprocess.run(
        [caddy, "adapt", "--config", str(file), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(uscita.stdout)


@pytest.mark.parametrize(
    ("indirizzo", "con_hsts"), [("https://www.example.org", True), ("http://:8080", False)]
)
def test_the_front_server_sends_hsts_only_for_an_https_site(tmp_path, indirizzo, con_hsts):
    testo = caddyfile(indirizzo, tmp_path / "build", ["127.0.0.1:8101", "127.0.0.1:8102"])
    config = json.dumps(_adatta(testo, tmp_path))
    assert ("Strict-Transport-Security" in config) is con_hsts
    assert "127.0.0.1:8101" in config and "127.0.0.1:8102" in config


ESEMPI = {
    # An app host's Caddy, as `serena prod --role app` writes it (two processes, one edge).
    "Caddyfile.app": lambda: caddyfile(
        "http://:8080",
        Path("/srv/serena/var/build"),
        ["127.0.0.1:8001", "127.0.0.1:8002"],
        fidati=["10.0.0.10"],
    ),
    # The edge's, as `serena prod --role edge` writes it (deploy/edge.env.example).
    "Caddyfile.edge": lambda: caddyfile_bordo(
        "https://www.example.org", ["10.0.0.11:8080", "10.0.0.12:8080"]
    ),
}


@pytest.mark.parametrize("nome", ESEMPI)
def test_the_deploy_caddyfiles_are_the_ones_the_code_makes(nome, tmp_path):
    """deploy/Caddyfile.* show what each role runs: the code's, with comments on top."""
    radice = Path(__file__).resolve().parents[2]
    scritto = (radice / "deploy" / nome).read_text(encoding="utf-8")
    atteso = ESEMPI[nome]()
    assert "\n".join(r for r in scritto.splitlines() if not r.startswith("#")) == atteso.rstrip(
        "\n"
    )
    _adatta(atteso, tmp_path)  # and Caddy reads it


def test_the_edge_sends_hsts_and_asks_each_app_host_whether_it_can_serve(tmp_path):
    config = json.dumps(_adatta(ESEMPI["Caddyfile.edge"](), tmp_path))
    assert "Strict-Transport-Security" in config
    assert '"uri": "/_health"' in config.replace('":"', '": "')

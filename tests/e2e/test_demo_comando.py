"""`serena demo`, the presenter's one command, run as a presenter runs it."""

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil

from serena_app.demo import presentatore
from tests.support.copia import copia_albero
from tests.support.registro_server import segui
from tests.support.server import BIN, START_TIMEOUT, ambiente_app, porta_libera


def _pagina(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as risposta:  # noqa: S310 (local server)
            return risposta.read().decode("utf-8")
    except OSError:
        return None


def test_serena_demo_prints_the_addresses_and_qr_code_serves_the_banner_and_cleans_up(
    tmp_path: Path,
):
    albero = tmp_path / "albero"
    copia_albero(albero)
    porta = porta_libera()
    uscita = tmp_path / "terminale.txt"
    env = {**ambiente_app(porta, "sqlite:///non-usato.db"), "TMPDIR": str(tmp_path)}
    env.pop("DATABASE_URL")  # the demo makes its own database
    with uscita.open("w") as terminale:
        processo = subprocess.Popen(
            [str(BIN / "serena"), "demo", "--port", str(porta)],
            cwd=albero,
            env=env,
            stdout=terminale,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with segui(uscita):
            fine = time.monotonic() + START_TIMEOUT
            html = None
            while html is None and time.monotonic() < fine and processo.poll() is None:
                html = _pagina(f"http://localhost:{porta}/")
                time.sleep(0.5)
            assert html is not None, uscita.read_text()[-3000:]
            assert "Modalità demo" in html
            assert "Prova la modalità modifica" in html
            testo = uscita.read_text()
            assert f"http://localhost:{porta}/" in testo
            assert "▀" in testo or "▄" in testo or "█" in testo  # the QR code, drawn in blocks
            # The presenter's one-time link: the key in the fragment, only its hash given to
            # the server (no process's command line or environment holds the key).
            link = re.search(rf"http://localhost:{porta}/demo/sala#chiave=(\S+)", testo)
            assert link is not None, testo[-2000:]
            chiave = link.group(1)
            assert _pagina(f"http://localhost:{porta}/demo/sala") is not None
            assert len(chiave) >= 43
            for figlio in psutil.Process(processo.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    assert chiave not in " ".join(figlio.cmdline())
                    ambiente = figlio.environ()
                    assert chiave not in "".join(ambiente.values())
                    assert ambiente.get(presentatore.VARIABILE) == presentatore.impronta(chiave)
            cartelle = list(tmp_path.glob("serena-demo-*"))
            assert len(cartelle) == 1
            assert (cartelle[0] / "demo.db").exists()
            assert not (albero / "serena.db").exists()  # the project's database is left alone
    finally:
        os.killpg(processo.pid, signal.SIGINT)
        processo.wait(timeout=30)
    assert list(tmp_path.glob("serena-demo-*")) == []

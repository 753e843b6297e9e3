"""`serena demo`: the site on a throwaway database, reachable from phones on the same network.

It makes a temporary folder, seeds a database in it from the content file, and starts the
production server on all interfaces with the demo turned on (`SERENA_DEMO` names the folder).
It prints the addresses, a QR code of the network address, and the presenter's one-time link
to `/demo/sala` (`presentatore.py`: the server gets only the key's hash). The folder goes when
it stops.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from serena_app.demo import presentatore, qr

PORTA = 3000


def indirizzi_di_rete() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the one of the default route first."""
    trovati: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route
            trovati.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            trovati.append(str(info[4][0]))
    except OSError:
        pass
    return [a for a in dict.fromkeys(trovati) if not a.startswith("127.")]


def ambiente(cartella: Path, porta: int, rete: list[str]) -> dict[str, str]:
    """The environment the demo server runs with."""
    locale = f"http://localhost:{porta}"
    indirizzi = [locale, f"http://127.0.0.1:{porta}"] + [f"http://{a}:{porta}" for a in rete]
    pubblico = indirizzi[2] if rete else locale
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{cartella / 'demo.db'}",
        "SERENA_DEMO": str(cartella),
        "SERENA_DEMO_INDIRIZZO": pubblico + "/",
        "SERENA_BUILD": str(cartella / "build"),
        "SERENA_ALLOWED_ORIGINS": ",".join(indirizzi),
        "SERENA_SITE_URL": pubblico,
    }


def presentazione(porta: int, rete: list[str], chiave: str = "") -> str:
    """What the terminal shows the presenter: the addresses, the QR code and, given the
    presenter's key, the one-time link to the presenter's view."""
    righe = [
        "",
        "Cooperativa Serena: modalità demo",
        f"  Su questo computer: http://localhost:{porta}/",
    ]
    righe += [f"  In rete:            http://{a}:{porta}/" for a in rete]
    if rete:
        righe += ["", "Inquadra il codice con il telefono (stessa rete Wi-Fi):", ""]
        righe.append(qr.per_terminale(f"http://{rete[0]}:{porta}/"))
    else:
        righe.append("  Nessuna rete trovata: la demo si apre solo da questo computer.")
    if chiave:
        righe += [
            "",
            "Per chi presenta (link da aprire una volta sola, su questo computer):",
            f"  {presentatore.link(porta, chiave)}",
            "",
        ]
    righe.append(
        "Ctrl+C per fermare la demo: le copie di prova e il database temporaneo spariscono."
    )
    return "\n".join(righe)


def avvia(porta: int = PORTA) -> int:
    """Seed a throwaway database and serve the demo until Ctrl+C; the exit code."""
    bin_dir = Path(sys.executable).parent
    cartella = Path(tempfile.mkdtemp(prefix="serena-demo-"))
    rete = indirizzi_di_rete()
    chiave, impronta = presentatore.nuova_chiave()
    env = {**ambiente(cartella, porta, rete), presentatore.VARIABILE: impronta}
    try:
        subprocess.run([str(bin_dir / "serena"), "prepare"], env=env, check=True)  # noqa: S603
        print(presentazione(porta, rete, chiave), flush=True)
        comando = [
            str(bin_dir / "reflex"),
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(porta),
            "--backend-host",
            "0.0.0.0",  # noqa: S104 (phones in the room must reach it)
        ]
        return subprocess.run(comando, env=env, check=False).returncode  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        shutil.rmtree(cartella, ignore_errors=True)

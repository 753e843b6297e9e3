"""Start-up times: the first build on a fresh clone, and a start on an already-built clone.

Usage: python scripts/avvio.py   (also part of `make bench`)
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.copia import copia_albero  # noqa: E402
from tests.support.server import avvia_app  # noqa: E402


def secondi_al_primo_200(albero: Path, lavoro: Path) -> float:
    """Seconds from `reflex run --env prod` to the first 200 on `/`, in `albero`."""
    inizio = time.monotonic()
    with avvia_app(lavoro, root=albero):
        return time.monotonic() - inizio


def misura() -> dict[str, float]:
    """Both start-up times, in seconds, on a copy of the tree without `.web` (a fresh clone)."""
    with tempfile.TemporaryDirectory() as cartella:
        albero, lavoro = Path(cartella) / "albero", Path(cartella) / "lavoro"
        lavoro.mkdir()
        copia_albero(albero, with_web=False)
        prima = secondi_al_primo_200(albero, lavoro)
        gia_costruito = secondi_al_primo_200(albero, lavoro)
    return {"clone nuovo (primo build)": prima, "clone già costruito": gia_costruito}


def stampa(tempi: dict[str, float]) -> None:
    """Print the start-up times."""
    print("\nStart-up: from the run command to the first 200 on /")
    for nome, secondi in tempi.items():
        print(f"  {nome:<28}{secondi:>6.1f} s")


if __name__ == "__main__":
    stampa(misura())

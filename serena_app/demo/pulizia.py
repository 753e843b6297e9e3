"""On a demo server, a background task ends idle sandboxes: their rows and their snapshots in
memory go; the browser that held one finds the button "Prova la modalità modifica" again."""

import asyncio
import logging

from serena_app import db
from serena_app.contenuto import istantanea
from serena_app.contenuto.pagina import Spazio
from serena_app.demo import modalita, sandbox

logger = logging.getLogger(__name__)


def intervallo_s() -> float:
    """How often to look: a quarter of the idle limit, at most once a minute."""
    return min(60.0, modalita.inattivita().total_seconds() / 4)


def pulisci() -> list[Spazio]:
    """End the idle sandboxes now; the ones ended."""
    with db.session() as session:
        chiusi = sandbox.chiudi_scadute(session=session)
    for spazio in chiusi:
        istantanea.dimentica(spazio.pubblicata, spazio.bozza)
    return chiusi


async def pulizia_periodica() -> None:
    """Run `pulisci` every `intervallo_s()` for as long as the server runs."""
    while True:
        await asyncio.sleep(intervallo_s())
        try:
            chiusi = await asyncio.to_thread(pulisci)
        except Exception:
            logger.exception("pulizia delle sandbox della demo non riuscita")
            continue
        if chiusi:
            logger.info("sandbox della demo chiuse per inattività: %d", len(chiusi))

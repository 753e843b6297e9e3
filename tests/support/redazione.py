"""Staff work done as the page does it, over a raw Socket.IO client: for tests that need a
publish or a save, not a browser (several machines, two machines)."""

import json
import time
from typing import Any

from sqlmodel import Session

from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import crea_sessione
from serena_app.db import crea_engine
from tests.support.cliente import ClienteGrezzo, evento
from tests.support.protocollo import REDAZIONE

PASSWORD = "una password lunga abbastanza"


def sessione_staff(db_url: str, nome: str = "redazione") -> str:
    """A responsabile's account and the secret of a live session, made in the database."""
    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            staff = crea_staff(
                session=session, nome_utente=nome, password=PASSWORD, ruolo=RESPONSABILE
            )
            return crea_sessione(session=session, staff=staff)
    finally:
        engine.dispose()


def contiene(testo: str):
    """A test for `ClienteGrezzo.attendi`: a message that carries `testo` anywhere."""
    return lambda messaggio: testo in json.dumps(messaggio, ensure_ascii=False)


async def in_modifica(staff: ClienteGrezzo) -> None:
    """Edit mode on, as "Modifica pagina" does."""
    await staff.scambia(f"{REDAZIONE}.alterna_modifica")


async def salva(staff: ClienteGrezzo, chiave: str, testo: str) -> list[dict[str, Any]]:
    """Open the section `chiave`'s editor and save `testo` as a draft; what came back."""
    await staff.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": chiave})
    return await staff.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})


async def pubblica(staff: ClienteGrezzo) -> float:
    """ "Pubblica", then "Pubblica ora"; when the second was sent (`time.perf_counter`)."""
    await staff.scambia(f"{REDAZIONE}.chiedi_pubblicazione")
    inizio = time.perf_counter()
    await staff.emetti(evento(f"{REDAZIONE}.pubblica"))
    await staff.barriera()
    return inizio

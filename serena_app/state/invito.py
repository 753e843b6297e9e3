"""The invitation page (`/accesso/invito/#CODICE`): the invited person chooses a password and
is logged in, as a login does (`AccessoState.accedi`). Used without a session: the code is
the credential, within the limits of `auth/inviti.py`."""

import reflex as rx
from sqlmodel import Session

from serena_app.auth import dispositivo, indirizzo, inviti
from serena_app.auth.inviti import InvitoNonValido
from serena_app.auth.limiti import LimiteRaggiunto
from serena_app.auth.password import PasswordNonValida
from serena_app.db import esegui
from serena_app.state.accesso import AccessoState

LINK_INCOMPLETO = "Il link è incompleto: aprilo per intero, come l’hai ricevuto."
DIVERSE = "Le due password non sono uguali: scrivile di nuovo."


def _accetta(*, session: Session, codice: str, password: str, client: str) -> tuple[str, str]:
    """Use the link; the session secret and a new device token for this browser."""
    nome, segreto = inviti.accetta(session=session, codice=codice, password=password, client=client)
    return segreto, dispositivo.emetti(session=session, nome_utente=nome)


class InvitoState(rx.State):
    """What the invitation page tells the person."""

    errore_invito: str = ""

    @rx.event
    async def accetta_invito(self, form_data: dict):
        """Set the password of the form's "codice" (read from the link by the page) to its
        "password" (typed twice), and log in; hashing runs off the loop."""
        campi = form_data if isinstance(form_data, dict) else {}
        codice, password, ripeti = (campi.get(c) for c in ("codice", "password", "ripeti"))
        if not all(isinstance(v, str) for v in (codice, password, ripeti)):
            self.errore_invito = "Scrivi la password due volte."
            return None
        if not codice:
            self.errore_invito = LINK_INCOMPLETO
            return None
        if password != ripeti:
            self.errore_invito = DIVERSE
            return None
        accesso = await self.get_state(AccessoState)
        presentati = accesso._dispositivi_presentati()
        try:
            segreto, nuovo = await esegui(
                _accetta,
                codice=codice,
                password=password,
                client=indirizzo.del_router(self.router),
            )
        except (InvitoNonValido, LimiteRaggiunto, PasswordNonValida) as rifiuto:
            self.errore_invito = str(rifiuto)
            return None
        accesso.token = segreto
        accesso.dispositivi = dispositivo.conserva(" ".join(presentati), nuovo)
        accesso.errore_accesso = ""
        accesso._appena_entrata = True
        self.errore_invito = ""
        return rx.redirect("/")

"""What was done with the accounts, for the audit log: each login, failed or refused login,
and change to an account adds one `Evento` (only ever added)."""

from datetime import datetime

from sqlmodel import Session

from serena_app.auth.sessioni import adesso
from serena_app.models import Evento

ACCESSO = "accesso"
ACCESSO_FALLITO = "accesso fallito"
ACCESSO_RIFIUTATO = "accesso rifiutato"  # a limit on failed attempts refused it
CREATO = "account creato"
DISABILITATO = "account disabilitato"
RIABILITATO = "account riabilitato"
NUOVA_PASSWORD = "password cambiata"  # noqa: S105 (an event name, not a password)


def registra_evento(
    session: Session,
    *,
    azione: str,
    nome_utente: str,
    client: str | None = None,
    ora: datetime | None = None,
) -> None:
    """Add one event to the caller's transaction (the caller commits)."""
    session.add(
        Evento(quando=ora or adesso(), nome_utente=nome_utente[:64], azione=azione, client=client)
    )

"""What was done with the accounts, for the audit log: each login, failed or refused login,
and change to an account adds one `Evento`.

The table is append-only (the database's triggers refuse any change or deletion), with two
exceptions the triggers allow and nothing else:

* Refused attempts are counted, not recorded one row each. A limit refuses at once and costs
  nothing, so a guesser can send thousands a minute: one row each grew the table by some
  4 GiB a day from one socket. The first refusal from an address opens a row, and every
  refusal from that address in the next `FINESTRA` adds 1 to its `volte`, in place (the only
  update the trigger allows: `volte` up by one, every other column the same). The row names
  the first name refused; later ones may be for other names. A counter on the row rather
  than a counter table of its own keeps the log one table, read in one place, whose other
  rows still cannot change.
* Login events hold visitors' addresses, which are personal data: they are kept
  `conservazione_giorni()` days (env `SERENA_CONSERVAZIONE_ACCESSI_GIORNI`, default 90) and
  then deleted by `pota`, which `serena prepare` runs and the app process runs daily
  (`potatura_periodica`). `serena prepare` writes the retention into `impostazione`, where the
  trigger reads it: only login rows older than that may be deleted. Changes to accounts are
  kept for good.
"""

import asyncio
import logging
import os
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from serena_app import db
from serena_app.auth.sessioni import adesso
from serena_app.db import transazione_bloccata
from serena_app.models import Evento, Impostazione

logger = logging.getLogger(__name__)

ACCESSO = "accesso"
ACCESSO_FALLITO = "accesso fallito"
ACCESSO_RIFIUTATO = "accesso rifiutato"  # a limit on failed attempts refused it
CREATO = "account creato"
DISABILITATO = "account disabilitato"
RIABILITATO = "account riabilitato"
NUOVA_PASSWORD = "password cambiata"  # noqa: S105 (an event name, not a password)
INVITATO = "invito creato"
REIMPOSTAZIONE = "link nuova password"  # a reset link made: the old password no longer works
INVITO_ACCETTATO = "invito accettato"  # a one-time link used: the person chose a password
RUOLO_CAMBIATO = "ruolo →"  # followed by the new role: "ruolo → redattore"
PASSWORD_PROPRIA = "password cambiata da sé"  # noqa: S105 (an event name)
ALTRE_SESSIONI_CHIUSE = "altre sessioni chiuse"  # "Esci da tutti gli altri dispositivi"
DUE_PASSAGGI_ATTIVATI = "due passaggi attivati"
DUE_PASSAGGI_DISATTIVATI = "due passaggi disattivati"
CODICE_RECUPERO_USATO = "codice recupero usato"
# A wrong code after a right password: someone knows the password. Kept for good, like an
# account's changes, so it is recorded without the address (which is personal data).
CODICE_ERRATO = "codice errato"
OBBLIGO_ATTIVATO = "due passaggi richiesti"  # for every responsabile
OBBLIGO_DISATTIVATO = "due passaggi facoltativi"
ACCESSI = (ACCESSO, ACCESSO_FALLITO, ACCESSO_RIFIUTATO)
"""The login actions: they hold a visitor's address, and are deleted after the retention."""

FINESTRA_RIFIUTI = timedelta(minutes=15)
"""A refusal row counts the refusals from its address for this long after its own time."""

CONSERVAZIONE = "conservazione_accessi_giorni"  # its name in `impostazione` (and the trigger)
CONSERVAZIONE_PREDEFINITA = 90
CONSERVAZIONE_MASSIMA = 3650
# Pruning leaves the rows this close to the limit: the trigger checks against the database's
# own clock, which may be a little behind this process's.
MARGINE = timedelta(minutes=5)
POTATURA_OGNI = timedelta(days=1)


class ConservazioneNonValida(ValueError):
    """`SERENA_CONSERVAZIONE_ACCESSI_GIORNI` is not a number of days; the message says so."""


def registra_evento(
    session: Session,
    *,
    azione: str,
    nome_utente: str,
    client: str | None = None,
    ora: datetime | None = None,
    account: bool = True,
    autore: str | None = None,
) -> None:
    """Add one event to the caller's transaction (the caller commits).

    Args:
        session: The caller's session.
        azione: What was done (one of the names above).
        nome_utente: The account's name, or the name a login attempt typed.
        client: The visitor's address, for logins.
        ora: When (now by default).
        account: False for a login attempt whose name is no account: the audit log shows
            it as such, never as an account's line.
        autore: The responsabile who changed the account from the "Persone" panel.
    """
    session.add(
        Evento(
            quando=ora or adesso(),
            nome_utente=nome_utente[:64],
            azione=azione,
            client=client,
            account=account,
            autore=autore,
        )
    )


def conta_rifiuto(
    *, session: Session, nome_utente: str, client: str, account: bool, ora: datetime | None = None
) -> None:
    """Count an attempt a limit refused: 1 more on the address's open refusal row, or a new
    row if it has none in the last `FINESTRA_RIFIUTI`. Commits.

    Args:
        session: A session with no unsaved changes.
        nome_utente: The name typed (kept only if this opens a row).
        client: The visitor's address.
        account: Whether that name is an account's.
        ora: The time of the attempt (tests pass it).
    """
    with transazione_bloccata(session, Evento):
        ora = ora or adesso()
        aperta = session.exec(
            select(Evento)
            .where(
                Evento.azione == ACCESSO_RIFIUTATO,
                Evento.client == client,
                col(Evento.quando) > ora - FINESTRA_RIFIUTI,
            )
            .order_by(col(Evento.quando).desc())
        ).first()
        if aperta is None:
            registra_evento(
                session,
                azione=ACCESSO_RIFIUTATO,
                nome_utente=nome_utente,
                client=client,
                ora=ora,
                account=account,
            )
        else:
            aperta.volte += 1
            session.add(aperta)


def conservazione_giorni(valore: str | None = None) -> int:
    """How many days login events are kept: `valore`, else the environment's setting.

    Raises:
        ConservazioneNonValida: Not a whole number from 1 to `CONSERVAZIONE_MASSIMA`.
    """
    testo = os.environ.get("SERENA_CONSERVAZIONE_ACCESSI_GIORNI", "") if valore is None else valore
    if not testo.strip():
        return CONSERVAZIONE_PREDEFINITA
    try:
        giorni = int(testo.strip())
    except ValueError:
        giorni = 0
    if not 1 <= giorni <= CONSERVAZIONE_MASSIMA:
        msg = (
            f"SERENA_CONSERVAZIONE_ACCESSI_GIORNI vale «{testo}»: deve essere un numero di "
            f"giorni da 1 a {CONSERVAZIONE_MASSIMA}."
        )
        raise ConservazioneNonValida(msg)
    return giorni


def imposta_conservazione(*, session: Session, giorni: int) -> None:
    """Write the retention where the trigger on `evento` reads it; commits."""
    valore = str(giorni)
    impostazione = session.get(Impostazione, CONSERVAZIONE) or Impostazione(
        nome=CONSERVAZIONE, valore=valore
    )
    impostazione.valore = valore
    session.add(impostazione)
    session.commit()


def pota(*, session: Session, ora: datetime | None = None) -> int:
    """Delete the login events older than the retention written in the database; commits.

    Returns:
        How many were deleted.
    """
    impostazione = session.get(Impostazione, CONSERVAZIONE)
    giorni = int(impostazione.valore) if impostazione else CONSERVAZIONE_PREDEFINITA
    limite = (ora or adesso()) - timedelta(days=giorni) - MARGINE
    cancellati = session.exec(
        delete(Evento).where(col(Evento.azione).in_(ACCESSI), col(Evento.quando) < limite)
    ).rowcount
    session.commit()
    return cancellati


def _pota_ora() -> int:
    with db.session() as session:
        return pota(session=session)


async def potatura_periodica(ogni: timedelta = POTATURA_OGNI) -> None:
    """Run `pota` now and then every `ogni`, for as long as the app process runs (a lifespan
    task of every app process: `make run`, `serena prod`, the demo)."""
    while True:
        try:
            cancellati = await asyncio.to_thread(_pota_ora)
        except Exception:
            logger.exception("cancellazione degli accessi scaduti non riuscita")
        else:
            if cancellati:
                logger.info("accessi più vecchi della conservazione cancellati: %d", cancellati)
        await asyncio.sleep(ogni.total_seconds())

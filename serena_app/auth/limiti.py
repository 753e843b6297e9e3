"""Limits on login attempts: they stop password guessing without letting strangers lock
anyone out.

Three limits, over the last 15 minutes (`FINESTRA`):

* per name and address: 5 failures for one username from one client address, then that
  pair is refused (`TROPPI_TENTATIVI`). Failures from elsewhere, or for other names, do not
  count: a stranger cannot keep anna out of her own office.
* per address: 30 failures across all names from one address, then that address is refused.
  Colleagues may share an address (an office router), so this is well above what mistyping
  reaches. Behind a reverse proxy the address must be the visitor's, not the proxy's
  (`auth/indirizzo.py`, env `SERENA_TRUSTED_PROXIES`), or this limit is shared by everyone.
* per name, from any address: past 10 failures, each further attempt for that name must wait
  after the latest one, 1 s doubling up to 30 s. This bounds a guesser with many addresses
  to about one try every 30 s, and is a delay, never a lock: whoever comes after the wait
  is checked. A guesser who keeps trying from many addresses can still keep the owner
  retrying, never for more than 30 s after the latest try.

The wait is a time recorded in the database, not a sleep: an attempt that comes too early is
refused at once with `attesa(secondi)`, holding no thread, connection or lock, and tests pass
the time (`ora`) instead of waiting. A sleeping worker would hold one of the few threads of
`asyncio.to_thread` per waiting attempt, so a burst of attempts could stall every login.

Only attempts that go on to a password check are recorded, each before its check, in a
locked transaction (`db.transazione_bloccata`): however many arrive together, they are
counted one after the other, and no limit lets through one check more than it allows. The
row stands for a failure until the check succeeds, which deletes it (`dimentica_tentativo`).
An attempt refused by a limit is not recorded: it checked nothing, and recording it would let
a guesser extend the refusal forever.
"""

import math
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from serena_app.auth.sessioni import adesso
from serena_app.db import transazione_bloccata
from serena_app.models import TentativoAccesso

FINESTRA = timedelta(minutes=15)
MAX_PER_NOME_E_CLIENT = 5
MAX_PER_CLIENT = 30
SOGLIA_ATTESA = 10
ATTESA_INIZIALE = timedelta(seconds=1)
ATTESA_MASSIMA = timedelta(seconds=30)

TROPPI_TENTATIVI = (
    "Troppi tentativi di accesso non riusciti. Per sicurezza l’accesso è sospeso: "
    "riprova tra 15 minuti."
)


def attesa(secondi: int) -> str:
    """The message for an attempt that came `secondi` seconds (rounded up) too early."""
    unita = "secondo" if secondi == 1 else "secondi"
    return (
        "Troppi tentativi di accesso non riusciti con questo nome utente: "
        f"riprova tra {secondi} {unita}."
    )


class LimiteRaggiunto(Exception):
    """The attempt was refused by a limit, before any check; the message is safe to show."""


def intervallo(falliti: int) -> timedelta:
    """How long after the latest failure a name with `falliti` recent failures must wait."""
    if falliti < SOGLIA_ATTESA:
        return timedelta(0)
    return min(ATTESA_INIZIALE * 2 ** (falliti - SOGLIA_ATTESA), ATTESA_MASSIMA)


def _conta(session: Session, *condizioni) -> tuple[int, datetime | None]:
    """How many recent attempts match, and the latest one's time."""
    return session.exec(
        select(func.count(), func.max(TentativoAccesso.quando)).where(*condizioni)
    ).one()


def _rifiuto(session: Session, nome_utente: str, client: str, ora: datetime) -> str | None:
    """The message refusing this attempt, or None if it may be checked."""
    recenti = col(TentativoAccesso.quando) > ora - FINESTRA
    stesso_nome = TentativoAccesso.nome_utente == nome_utente
    stesso_client = TentativoAccesso.client == client
    coppia, _ = _conta(session, recenti, stesso_nome, stesso_client)
    if coppia >= MAX_PER_NOME_E_CLIENT:
        return TROPPI_TENTATIVI
    dal_client, _ = _conta(session, recenti, stesso_client)
    if dal_client >= MAX_PER_CLIENT:
        return TROPPI_TENTATIVI
    del_nome, ultimo = _conta(session, recenti, stesso_nome)
    if ultimo is not None:
        manca = ultimo + intervallo(del_nome) - ora
        if manca > timedelta(0):
            return attesa(math.ceil(manca.total_seconds()))
    return None


def registra_tentativo(
    *, session: Session, nome_utente: str, client: str, ora: datetime | None = None
) -> int:
    """Record an attempt that may go on to a password check, or refuse it; commits.

    Counting and recording are one locked transaction, so simultaneous attempts are counted
    one after the other. Rows older than the window are deleted in the same transaction.

    Args:
        session: A session with no unsaved changes.
        nome_utente: The username typed, as it will be stored.
        client: The client's address, as it will be stored.
        ora: The time of the attempt (tests pass it); by default the time when the lock is
            held, so that an attempt that waited for the lock is not dated before earlier ones.

    Returns:
        The id of the recorded attempt: a failure unless `dimentica_tentativo` removes it.

    Raises:
        LimiteRaggiunto: A limit refuses the attempt; nothing was recorded.
    """
    with transazione_bloccata(session, TentativoAccesso):
        ora = ora or adesso()
        rifiuto = _rifiuto(session, nome_utente, client, ora)
        if rifiuto is None:
            tentativo = TentativoAccesso(nome_utente=nome_utente, client=client, quando=ora)
            session.add(tentativo)
            session.exec(
                delete(TentativoAccesso).where(col(TentativoAccesso.quando) < ora - FINESTRA)
            )
            session.flush()
            tentativo_id = tentativo.id
    if rifiuto is not None:
        raise LimiteRaggiunto(rifiuto)
    return tentativo_id


def dimentica_tentativo(*, session: Session, tentativo_id: int) -> None:
    """A login that succeeded: its attempt is no failure. Not committed: the caller commits it
    with the new session."""
    session.exec(delete(TentativoAccesso).where(TentativoAccesso.id == tentativo_id))

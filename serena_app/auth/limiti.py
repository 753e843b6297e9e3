"""Limits on login attempts: they stop password guessing without letting strangers lock
anyone out.

Three limits on untrusted attempts, over the last 15 minutes (`FINESTRA`):

* per name and address: 5 failures for one username from one client address, then that
  pair is refused (`TROPPI_TENTATIVI`). Failures from elsewhere, or for other names, do not
  count: a stranger cannot keep anna out of her own office.
* per address: 30 failures across all names from one address, then that address is refused.
  Colleagues may share an address (an office router), so this is well above what mistyping
  reaches. Behind a reverse proxy the address must be the visitor's, not the proxy's
  (`auth/indirizzo.py`, env `SERENA_TRUSTED_PROXIES`), or this limit is shared by everyone.
* per name, from any address: past 10 failures, each further attempt for that name must wait
  after the latest one, 1 s doubling up to 30 s. This bounds a guesser with many addresses
  to about one try every 30 s. It is a delay, never a lock, but a guesser who keeps trying
  from a few addresses keeps it at 30 s for as long as they like: alone, this limit would let
  them keep the owner out.

So a browser that logged in as a name is trusted for that name: it holds a device token
(`auth/dispositivo.py`, OWASP's "device cookies"), and its attempts for that name skip the
three limits above, with a limit of their own instead:

* per device token: 5 failures with one token, then the token is no longer honoured for the
  rest of the window, and its attempts are untrusted ones again. A guesser has no token (it
  is signed by the server and holds the name), so whatever they do to the name's limits, the
  owner's browser still gets in; a stolen token buys 5 guesses per window, no more.

The wait is a time recorded in the database, not a sleep: an attempt that comes too early is
refused at once with `attesa(secondi)`, holding no thread, connection or lock, and tests pass
the time (`ora`) instead of waiting. A sleeping worker would hold one of the few threads of
`asyncio.to_thread` per waiting attempt, so a burst of attempts could stall every login.

Only attempts that go on to a password check are recorded here, each before its check, in a
locked transaction (`db.transazione_bloccata`): however many arrive together, they are
counted one after the other, and no limit lets through one check more than it allows. The
row stands for a failure until the check succeeds, which deletes it (`dimentica_tentativo`);
a device token's failures are marked with it and count only against that token. An attempt
refused by a limit is not recorded here: it checked nothing, and recording it would let a
guesser extend the refusal forever (the audit log counts refusals: `eventi.conta_rifiuto`).
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
MAX_PER_DISPOSITIVO = 5
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


def _dispositivo_onorato(session: Session, dispositivo: str | None, ora: datetime) -> bool:
    """Whether the device token `dispositivo` (its nonce) is still under its own limit."""
    if dispositivo is None:
        return False
    recenti = col(TentativoAccesso.quando) > ora - FINESTRA
    falliti, _ = _conta(session, recenti, TentativoAccesso.dispositivo == dispositivo)
    return falliti < MAX_PER_DISPOSITIVO


def _rifiuto(session: Session, nome_utente: str, client: str, ora: datetime) -> str | None:
    """The message refusing this untrusted attempt, or None if it may be checked."""
    # A device token's failures count only against that token.
    recenti = (
        col(TentativoAccesso.quando) > ora - FINESTRA,
        col(TentativoAccesso.dispositivo).is_(None),
    )
    stesso_nome = TentativoAccesso.nome_utente == nome_utente
    stesso_client = TentativoAccesso.client == client
    coppia, _ = _conta(session, *recenti, stesso_nome, stesso_client)
    if coppia >= MAX_PER_NOME_E_CLIENT:
        return TROPPI_TENTATIVI
    dal_client, _ = _conta(session, *recenti, stesso_client)
    if dal_client >= MAX_PER_CLIENT:
        return TROPPI_TENTATIVI
    del_nome, ultimo = _conta(session, *recenti, stesso_nome)
    if ultimo is not None:
        manca = ultimo + intervallo(del_nome) - ora
        if manca > timedelta(0):
            return attesa(math.ceil(manca.total_seconds()))
    return None


def registra_tentativo(
    *,
    session: Session,
    nome_utente: str,
    client: str,
    ora: datetime | None = None,
    dispositivo: str | None = None,
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
        dispositivo: The nonce of a device token the caller checked is valid for this name
            (`dispositivo.riconosci`): under its own limit, the other limits do not apply.

    Returns:
        The id of the recorded attempt: a failure unless `dimentica_tentativo` removes it.

    Raises:
        LimiteRaggiunto: A limit refuses the attempt; nothing was recorded.
    """
    tentativo_id: int | None = None
    with transazione_bloccata(session, TentativoAccesso):
        ora = ora or adesso()
        if not _dispositivo_onorato(session, dispositivo, ora):
            dispositivo = None
        rifiuto = None if dispositivo else _rifiuto(session, nome_utente, client, ora)
        if rifiuto is None:
            tentativo = TentativoAccesso(
                nome_utente=nome_utente, client=client, quando=ora, dispositivo=dispositivo
            )
            session.add(tentativo)
            session.exec(
                delete(TentativoAccesso).where(col(TentativoAccesso.quando) < ora - FINESTRA)
            )
            session.flush()
            tentativo_id = tentativo.id
    if tentativo_id is None:  # a limit refused it: nothing recorded
        raise LimiteRaggiunto(rifiuto)
    return tentativo_id


def dimentica_tentativo(*, session: Session, tentativo_id: int) -> None:
    """A login that succeeded: its attempt is no failure. Not committed: the caller commits it
    with the new session."""
    session.exec(delete(TentativoAccesso).where(col(TentativoAccesso.id) == tentativo_id))

"""Login: checking credentials, with a limit on failed attempts per username and per client."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from serena_app.auth.password import HASH_FITTIZIO, verifica_password
from serena_app.auth.sessioni import adesso, crea_sessione
from serena_app.models import Staff, TentativoAccesso

MAX_TENTATIVI = 5
FINESTRA = timedelta(minutes=15)

CREDENZIALI_NON_VALIDE = "Nome utente o password non validi."
TROPPI_TENTATIVI = (
    "Troppi tentativi di accesso non riusciti. Per sicurezza l’accesso è sospeso: "
    "riprova tra 15 minuti."
)


class AccessoNegato(Exception):
    """Login refused; the message is safe to show (it never says which usernames exist)."""


def _troppi_tentativi(session: Session, nome_utente: str, client: str, ora: datetime) -> bool:
    dal = ora - FINESTRA
    for colonna, valore in (
        (TentativoAccesso.nome_utente, nome_utente),
        (TentativoAccesso.client, client),
    ):
        falliti = session.exec(
            select(func.count()).where(colonna == valore, col(TentativoAccesso.quando) > dal)
        ).one()
        if falliti >= MAX_TENTATIVI:
            return True
    return False


def _unicode_valido(testo: str) -> bool:
    """Whether `testo` is valid Unicode text (no lone surrogates), as a browser's form sends."""
    try:
        testo.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def accedi(
    *, session: Session, nome_utente: str, password: str, client: str, ora: datetime | None = None
) -> str:
    """Check credentials and open a session. Blocking (Argon2): run it off the event loop.

    Args:
        session: An open database session.
        nome_utente: The username typed.
        password: The password typed.
        client: Who is trying (the client's address), for the per-client limit.
        ora: The current time (tests pass it).

    Returns:
        The new session's secret.

    Raises:
        AccessoNegato: Wrong credentials, disabled account, or too many recent failures.
    """
    ora = ora or adesso()
    testo_valido = _unicode_valido(nome_utente) and _unicode_valido(password)
    # A name that is not valid text (a lone surrogate) is recorded escaped, as a failure.
    nome_utente = nome_utente.strip().encode("utf-8", "backslashreplace").decode()[:64]
    client = client[:64]
    if _troppi_tentativi(session, nome_utente, client, ora):
        raise AccessoNegato(TROPPI_TENTATIVI)
    staff = session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first()
    valida = testo_valido and verifica_password(
        staff.hash_password if staff else HASH_FITTIZIO, password
    )
    if staff is None or not valida or not staff.attivo:
        session.add(TentativoAccesso(nome_utente=nome_utente, client=client, quando=ora))
        session.exec(delete(TentativoAccesso).where(col(TentativoAccesso.quando) < ora - FINESTRA))
        session.commit()
        raise AccessoNegato(CREDENZIALI_NON_VALIDE)
    return crea_sessione(session=session, staff=staff, ora=ora)

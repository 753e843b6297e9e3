"""Login: checking credentials, within the limits on failed attempts of `limiti.py`."""

from datetime import datetime

from sqlmodel import Session, select

from serena_app.auth import eventi
from serena_app.auth.limiti import LimiteRaggiunto, dimentica_tentativo, registra_tentativo
from serena_app.auth.password import HASH_FITTIZIO, verifica_password
from serena_app.auth.sessioni import crea_sessione
from serena_app.models import Staff

CREDENZIALI_NON_VALIDE = "Nome utente o password non validi."


class AccessoNegato(Exception):
    """Login refused; the message is safe to show (it never says which usernames exist)."""


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

    The attempt is recorded as a failure before the password is checked, unless a limit
    refuses it first (then no check is made); a success deletes that record.

    Args:
        session: A database session with no unsaved changes.
        nome_utente: The username typed.
        password: The password typed.
        client: Who is trying (the client's address), for the limits.
        ora: The current time (tests pass it).

    Returns:
        The new session's secret.

    Raises:
        AccessoNegato: Wrong credentials, disabled account, or a limit on failed attempts.
    """
    testo_valido = _unicode_valido(nome_utente) and _unicode_valido(password)
    # A name that is not valid text (a lone surrogate) is recorded escaped, as a failure.
    nome_utente = nome_utente.strip().encode("utf-8", "backslashreplace").decode()[:64]
    client = client[:64]
    try:
        tentativo_id = registra_tentativo(
            session=session, nome_utente=nome_utente, client=client, ora=ora
        )
    except LimiteRaggiunto as limite:
        _evento(session, eventi.ACCESSO_RIFIUTATO, nome_utente, client, ora)
        raise AccessoNegato(str(limite)) from None
    staff = session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first()
    hash_salvato = staff.hash_password if staff else HASH_FITTIZIO
    attivo = staff is not None and staff.attivo
    session.commit()  # no connection is held during the check
    valida = testo_valido and verifica_password(hash_salvato, password)
    if not (valida and attivo):
        _evento(session, eventi.ACCESSO_FALLITO, nome_utente, client, ora)
        raise AccessoNegato(CREDENZIALI_NON_VALIDE)  # the recorded attempt stays: a failure
    dimentica_tentativo(session=session, tentativo_id=tentativo_id)
    eventi.registra_evento(
        session, azione=eventi.ACCESSO, nome_utente=nome_utente, client=client, ora=ora
    )
    return crea_sessione(session=session, staff=staff, ora=ora)  # commits the event too


def _evento(session: Session, azione: str, nome_utente: str, client: str, ora) -> None:
    eventi.registra_evento(session, azione=azione, nome_utente=nome_utente, client=client, ora=ora)
    session.commit()

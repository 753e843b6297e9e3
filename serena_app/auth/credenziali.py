"""Login: checking credentials, within the limits on failed attempts of `limiti.py`.

Every attempt is in the audit log (`eventi.py`): a failure under the name typed, marked as no
account when it is none; a refusal counted on its address's refusal row.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from serena_app.auth import dispositivo, eventi
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
    *,
    session: Session,
    nome_utente: str,
    password: str,
    client: str,
    ora: datetime | None = None,
    dispositivi: Sequence[str] = (),
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
        dispositivi: The device tokens the browser holds (`dispositivo.py`): one that is
            valid for this name lets the attempt past the limits a guesser can fill.

    Returns:
        The new session's secret.

    Raises:
        AccessoNegato: Wrong credentials, disabled account, or a limit on failed attempts.
    """
    testo_valido = _unicode_valido(nome_utente) and _unicode_valido(password)
    # A name that is not valid text (a lone surrogate) is recorded escaped, as a failure.
    nome_utente = nome_utente.strip().encode("utf-8", "backslashreplace").decode()[:64]
    client = client[:64]
    staff = session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first()
    hash_salvato = staff.hash_password if staff else HASH_FITTIZIO
    attivo = staff is not None and staff.attivo
    fidato = _dispositivo(session, dispositivi, nome_utente, ora) if staff else None
    session.commit()  # no connection is held during the check
    try:
        tentativo_id = registra_tentativo(
            session=session, nome_utente=nome_utente, client=client, ora=ora, dispositivo=fidato
        )
    except LimiteRaggiunto as limite:
        eventi.conta_rifiuto(
            session=session,
            nome_utente=nome_utente,
            client=client,
            account=staff is not None,
            ora=ora,
        )
        raise AccessoNegato(str(limite)) from None
    valida = testo_valido and verifica_password(hash_salvato, password)
    if staff is None or not (valida and attivo):
        eventi.registra_evento(
            session,
            azione=eventi.ACCESSO_FALLITO,
            nome_utente=nome_utente,
            client=client,
            ora=ora,
            account=staff is not None,
        )
        session.commit()
        raise AccessoNegato(CREDENZIALI_NON_VALIDE)  # the recorded attempt stays: a failure
    dimentica_tentativo(session=session, tentativo_id=tentativo_id)
    eventi.registra_evento(
        session, azione=eventi.ACCESSO, nome_utente=nome_utente, client=client, ora=ora
    )
    return crea_sessione(session=session, staff=staff, ora=ora)  # commits the event too


def _dispositivo(
    session: Session, dispositivi: Sequence[str], nome_utente: str, ora: datetime | None
) -> str | None:
    """The nonce of the first of the browser's tokens that is valid for `nome_utente`."""
    for token in list(dispositivi)[: dispositivo.MAX_PER_BROWSER]:
        nonce = dispositivo.riconosci(
            session=session, token=token, nome_utente=nome_utente, ora=ora
        )
        if nonce is not None:
            return nonce
    return None

"""Login: checking credentials, within the limits on failed attempts of `limiti.py`.

Every attempt is in the audit log (`eventi.py`): a failure under the name typed, marked as no
account when it is none; a refusal counted on its address's refusal row.
"""

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, select

from serena_app.auth import dispositivo, due_passaggi, eventi
from serena_app.auth.limiti import LimiteRaggiunto, dimentica_tentativo, registra_tentativo
from serena_app.auth.password import HASH_FITTIZIO, verifica_password
from serena_app.auth.sessioni import adesso, crea_sessione
from serena_app.db import id_salvato
from serena_app.models import Staff

CREDENZIALI_NON_VALIDE = "Nome utente o password non validi."
ATTESA_CODICE = timedelta(minutes=5)
"""How long after a right password the code may be typed (`InAttesaDelCodice`)."""
CODICE_SCADUTO = "Il tempo per scrivere il codice è scaduto: accedi di nuovo."


@dataclasses.dataclass(frozen=True)
class InAttesaDelCodice:
    """A right password for an account with two-step login: no session yet, until
    `conferma_codice`. Kept by the server only (the login state's private fields).

    `configura` is True when the account must first turn two-step login on (every responsabile
    must, `due_passaggi.deve_configurare`): the login shows the QR code of `segreto_nuovo`.
    """

    staff_id: int
    nome_utente: str
    scade: datetime
    configura: bool = False
    segreto_nuovo: str = ""


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
    descrizione: str | None = None,
) -> str | InAttesaDelCodice:
    """Check credentials and open a session, or ask for the second step. Blocking (Argon2):
    run it off the event loop.

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
        descrizione: The browser, in words ("Chrome su Android"), kept with the session.

    Returns:
        The new session's secret; for an account with two-step login (or one that must set
        it up), what the code step needs: no session exists until `conferma_codice`.

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
    if staff.totp_segreto is not None or due_passaggi.deve_configurare(
        session=session, staff=staff
    ):
        session.commit()  # the password was right: not a failure
        return InAttesaDelCodice(
            staff_id=id_salvato(staff),
            nome_utente=nome_utente,
            scade=(ora or adesso()) + ATTESA_CODICE,
            configura=staff.totp_segreto is None,
            segreto_nuovo=due_passaggi.nuovo_segreto() if staff.totp_segreto is None else "",
        )
    eventi.registra_evento(
        session, azione=eventi.ACCESSO, nome_utente=nome_utente, client=client, ora=ora
    )
    return crea_sessione(session=session, staff=staff, ora=ora, dispositivo=descrizione)


def conferma_codice(
    *,
    session: Session,
    attesa: InAttesaDelCodice,
    codice: str,
    client: str,
    ora: datetime | None = None,
    dispositivi: Sequence[str] = (),
    descrizione: str | None = None,
) -> tuple[str, list[str]]:
    """The second step: check the code (or a recovery code) and open the session.

    The attempt counts against the limits on failed logins exactly as a password does
    (`limiti.py`): recorded as a failure before the check, forgotten if the code is right.
    The code's time step (or the recovery code's deletion) and the new session are one
    transaction.

    Args:
        session: A database session with no unsaved changes.
        attesa: What the right password gave (`accedi`).
        codice: The code typed.
        client: The client's address, for the limits.
        ora: The current time (tests pass it).
        dispositivi: The browser's device tokens, as for `accedi`.
        descrizione: The browser, in words, kept with the session.

    Returns:
        The new session's secret, and the recovery codes to show once if this login turned
        two-step login on (`attesa.configura`), else none.

    Raises:
        AccessoNegato: The step expired, the code is wrong or used, or a limit refuses it.
    """
    ora = ora or adesso()
    if ora > attesa.scade:
        raise AccessoNegato(CODICE_SCADUTO)
    nome_utente = attesa.nome_utente
    fidato = _dispositivo(session, dispositivi, nome_utente, ora)
    session.commit()
    try:
        tentativo_id = registra_tentativo(
            session=session,
            nome_utente=nome_utente,
            client=client[:64],
            ora=ora,
            dispositivo=fidato,
        )
    except LimiteRaggiunto as limite:
        eventi.conta_rifiuto(
            session=session, nome_utente=nome_utente, client=client[:64], account=True, ora=ora
        )
        raise AccessoNegato(str(limite)) from None
    staff = session.get(Staff, attesa.staff_id)
    esito: str | None = None
    codici: list[str] = []
    if staff is not None and staff.attivo and testo_breve(codice):
        if attesa.configura:
            passo = due_passaggi.passo_del_codice(attesa.segreto_nuovo, codice, ora)
            if passo is not None and staff.totp_segreto is None:
                codici = due_passaggi.aggiungi(
                    session=session,
                    staff=staff,
                    segreto=attesa.segreto_nuovo,
                    passo=passo,
                    ora=ora,
                )
                esito = ""
        else:
            esito = due_passaggi.consuma(session=session, staff=staff, codice=codice, ora=ora)
    if staff is None or esito is None:
        session.rollback()
        eventi.registra_evento(
            session, azione=eventi.CODICE_ERRATO, nome_utente=nome_utente, ora=ora
        )
        session.commit()
        raise AccessoNegato(due_passaggi.CODICE_NON_VALIDO)  # the recorded attempt stays
    dimentica_tentativo(session=session, tentativo_id=tentativo_id)
    if esito:
        eventi.registra_evento(session, azione=esito, nome_utente=nome_utente, ora=ora)
    eventi.registra_evento(
        session, azione=eventi.ACCESSO, nome_utente=nome_utente, client=client[:64], ora=ora
    )
    segreto = crea_sessione(session=session, staff=staff, ora=ora, dispositivo=descrizione)
    return segreto, codici


def testo_breve(codice: object) -> bool:
    """Whether `codice` is text short enough to be a code (6 digits or a recovery code)."""
    return isinstance(codice, str) and 0 < len(codice) <= 40 and _unicode_valido(codice)


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

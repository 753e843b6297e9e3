"""One's own account: what "Il mio account" shows and does for the person logged in.

Every function takes the session secret the browser presented and finds the account from it
(the guard of `state/guardia.py` checked it already; these check again in their own database
session): nobody acts on another's account here. A demo sandbox's editor has no account to
manage.
"""

import dataclasses
from datetime import datetime

from sqlmodel import Session

from serena_app.auth import due_passaggi, eventi
from serena_app.auth.limiti import LimiteRaggiunto, dimentica_tentativo, registra_tentativo
from serena_app.auth.password import PasswordNonValida, hash_password, verifica_password
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import (
    adesso,
    hash_segreto,
    notifica_revoca,
    revoca_altre_sessioni,
    sessione_viva,
    sessioni_aperte,
)
from serena_app.db import id_salvato
from serena_app.models import Staff

PASSWORD_ATTUALE_ERRATA = "La password attuale non è giusta: nulla è cambiato."  # noqa: S105
NON_NELLA_DEMO = "Nella demo non c’è un account da gestire."
SERVE_IL_TUO = (
    "Per richiederla a tutti i responsabili, attiva prima la verifica in due passaggi sul "
    "tuo account."
)
PROVA_ERRATA = "Password o codice non giusti: la verifica in due passaggi resta attiva."


class ErroreAccount(ValueError):
    """What was asked cannot be done; the message says why, in Italian."""


@dataclasses.dataclass(frozen=True)
class Sessione:
    """One of the person's open sessions, as the panel lists it."""

    dispositivo: str
    ultimo_uso: datetime
    questa: bool


@dataclasses.dataclass(frozen=True)
class Account:
    """What "Il mio account" shows."""

    nome_utente: str
    ruolo: str
    due_passaggi: bool
    codici_rimasti: int
    obbligo: bool
    sessioni: list[Sessione]


def _mio(session: Session, segreto: str) -> Staff:
    viva = sessione_viva(session=session, token=segreto)
    if viva is None:
        raise ErroreAccount("La sessione è scaduta: accedi di nuovo.")
    staff, sessione = viva
    if sessione.sandbox is not None:
        raise ErroreAccount(NON_NELLA_DEMO)
    return staff


def il_mio_account(*, session: Session, segreto: str, ora: datetime | None = None) -> Account:
    """What the person whose session `segreto` names sees in "Il mio account"."""
    staff = _mio(session, segreto)
    questa = hash_segreto(segreto)
    staff_id = id_salvato(staff)
    return Account(
        nome_utente=staff.nome_utente,
        ruolo=staff.ruolo,
        due_passaggi=staff.totp_segreto is not None,
        codici_rimasti=due_passaggi.codici_rimasti(session=session, staff_id=staff_id),
        obbligo=due_passaggi.obbligatoria(session=session),
        sessioni=[
            Sessione(
                s.dispositivo or "Dispositivo sconosciuto", s.ultimo_uso, s.hash_token == questa
            )
            for s in sessioni_aperte(session=session, staff_id=staff_id, ora=ora or adesso())
        ],
    )


def _password_giusta(session: Session, staff: Staff, password: str, client: str) -> bool:
    """Whether `password` is the account's, counted like a login's (`limiti.py`): a stolen
    session cannot be used to guess the password faster than the login page allows.

    Raises:
        ErroreAccount: A limit refuses the attempt (nothing was checked).
    """
    tentativo = _tentativo(session, staff, client)
    if not verifica_password(staff.hash_password, password):
        return False  # the recorded attempt stays: a failure
    dimentica_tentativo(session=session, tentativo_id=tentativo)
    return True


def _tentativo(session: Session, staff: Staff, client: str) -> int:
    """Record an attempt at the account's password or code, as a login does (`limiti.py`);
    the caller forgets it on success.

    Raises:
        ErroreAccount: A limit refuses the attempt (nothing may be checked).
    """
    session.commit()
    try:
        return registra_tentativo(
            session=session, nome_utente=staff.nome_utente, client=client[:64]
        )
    except LimiteRaggiunto as limite:
        raise ErroreAccount(str(limite)) from None


def cambia_password(
    *, session: Session, segreto: str, attuale: str, nuova: str, client: str = ""
) -> None:
    """The person's own new password (checked against the policy, with their name); their other
    sessions end, this one stays. Blocking (Argon2): run it off the event loop.

    Raises:
        ErroreAccount: The current password is wrong (it counts against the login limits), or
            the new one is refused (why).
    """
    staff = _mio(session, segreto)
    if not _password_giusta(session, staff, attuale, client):
        raise ErroreAccount(PASSWORD_ATTUALE_ERRATA)
    try:
        staff.hash_password = hash_password(nuova, staff.nome_utente)
    except PasswordNonValida as rifiuto:
        raise ErroreAccount(str(rifiuto)) from None
    session.add(staff)
    revoca_altre_sessioni(session=session, staff_id=id_salvato(staff), token=segreto)
    eventi.registra_evento(session, azione=eventi.PASSWORD_PROPRIA, nome_utente=staff.nome_utente)
    session.commit()
    notifica_revoca()


def esci_dagli_altri(*, session: Session, segreto: str) -> int:
    """ "Esci da tutti gli altri dispositivi": every other session of the person ends at once;
    how many did."""
    staff = _mio(session, segreto)
    chiuse = revoca_altre_sessioni(session=session, staff_id=id_salvato(staff), token=segreto)
    eventi.registra_evento(
        session, azione=eventi.ALTRE_SESSIONI_CHIUSE, nome_utente=staff.nome_utente
    )
    session.commit()
    notifica_revoca()
    return chiuse


def attiva_due_passaggi(
    *, session: Session, segreto: str, nuovo: str, codice: str, ora: datetime | None = None
) -> list[str]:
    """Turn two-step login on with the secret `nuovo`, confirmed by one of its codes; the
    recovery codes to show once.

    Raises:
        ErroreAccount: The code is not right (or it is on already).
    """
    staff = _mio(session, segreto)
    if staff.totp_segreto is not None:
        raise ErroreAccount("La verifica in due passaggi è già attiva.")
    try:
        return due_passaggi.attiva(
            session=session, staff_id=id_salvato(staff), segreto=nuovo, codice=codice, ora=ora
        )
    except due_passaggi.CodiceNonValido as rifiuto:
        raise ErroreAccount(str(rifiuto)) from None


def disattiva_due_passaggi(
    *, session: Session, segreto: str, prova: str, client: str = "", ora: datetime | None = None
) -> None:
    """Turn two-step login off, given the current password or a code (a recovery code too).
    Blocking (Argon2): run it off the event loop.

    Raises:
        ErroreAccount: Neither the password nor a code; or it is required of a responsabile.
    """
    staff = _mio(session, segreto)
    if staff.totp_segreto is None:
        return
    if staff.ruolo == RESPONSABILE and due_passaggi.obbligatoria(session=session):
        raise ErroreAccount("È richiesta a tutti i responsabili: non si può disattivare.")
    ora = ora or adesso()
    tentativo = _tentativo(session, staff, client)  # before any check: codes are limited too
    if due_passaggi.consuma(session=session, staff=staff, codice=prova, ora=ora) is None:
        session.rollback()
        if not verifica_password(staff.hash_password, prova):
            raise ErroreAccount(PROVA_ERRATA)  # the recorded attempt stays: a failure
    dimentica_tentativo(session=session, tentativo_id=tentativo)
    due_passaggi.disattiva(session=session, staff_id=id_salvato(staff), ora=ora)


def richiedi_a_tutti(*, session: Session, segreto: str, richiesta: bool) -> None:
    """Require two-step login of every responsabile (or not). Whoever turns it on must use it
    already; responsabili without it lose their sessions and set it up at their next login.

    Raises:
        ErroreAccount: Turned on by someone without it.
    """
    staff = _mio(session, segreto)
    if richiesta and staff.totp_segreto is None:
        raise ErroreAccount(SERVE_IL_TUO)
    chiuse = due_passaggi.imposta_obbligo(
        session=session, richiesta=richiesta, nome_utente=staff.nome_utente
    )
    if chiuse:
        notifica_revoca()

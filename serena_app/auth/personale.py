"""Staff accounts: create, disable, enable, reset a password, list. Used by the `serena`
console command; each change is in the audit log (`eventi.py`)."""

from sqlmodel import Session, select

from serena_app.auth import eventi
from serena_app.auth.eventi import registra_evento
from serena_app.auth.password import hash_password
from serena_app.auth.ruoli import REDATTORE, RUOLI
from serena_app.auth.sessioni import revoca_sessioni_di
from serena_app.db import id_salvato
from serena_app.models import Staff

NOME_UTENTE_MAX = 64


class ErrorePersonale(ValueError):
    """A staff operation that cannot be done; the message says why, in Italian."""


def crea_staff(
    *, session: Session, nome_utente: str, password: str, ruolo: str = REDATTORE
) -> Staff:
    """Create an enabled staff account with `ruolo` (the password is checked against the
    policy)."""
    nome_utente = nome_utente.strip()
    if not nome_utente or len(nome_utente) > NOME_UTENTE_MAX or not nome_utente.isprintable():
        msg = f"Il nome utente deve avere da 1 a {NOME_UTENTE_MAX} caratteri stampabili."
        raise ErrorePersonale(msg)
    if session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first():
        msg = f"Esiste già un account «{nome_utente}»."
        raise ErrorePersonale(msg)
    if ruolo not in RUOLI:
        msg = f"Il ruolo deve essere uno di questi: {', '.join(RUOLI)}."
        raise ErrorePersonale(msg)
    staff = Staff(
        nome_utente=nome_utente, hash_password=hash_password(password, nome_utente), ruolo=ruolo
    )
    session.add(staff)
    registra_evento(session, azione=eventi.CREATO, nome_utente=nome_utente)
    session.commit()
    session.refresh(staff)
    return staff


def trova_staff(*, session: Session, nome_utente: str) -> Staff:
    """The account named `nome_utente`; `ErrorePersonale` if there is none."""
    staff = session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first()
    if staff is None:
        msg = f"Nessun account «{nome_utente}»."
        raise ErrorePersonale(msg)
    return staff


def disabilita_staff(*, session: Session, nome_utente: str) -> None:
    """Disable an account and end all its sessions at once (and the staff view of the tabs
    open on them, within a second: `state/revoca.py`)."""
    staff = trova_staff(session=session, nome_utente=nome_utente)
    staff.attivo = False
    session.add(staff)
    registra_evento(session, azione=eventi.DISABILITATO, nome_utente=nome_utente)
    session.commit()
    revoca_sessioni_di(session=session, staff_id=id_salvato(staff))


def abilita_staff(*, session: Session, nome_utente: str) -> bool:
    """Enable a disabled account again. Its old sessions stay ended: it must log in anew.

    Returns:
        False if the account was already enabled.
    """
    staff = trova_staff(session=session, nome_utente=nome_utente)
    if staff.attivo:
        return False
    staff.attivo = True
    session.add(staff)
    registra_evento(session, azione=eventi.RIABILITATO, nome_utente=nome_utente)
    session.commit()
    return True


def reimposta_password(*, session: Session, nome_utente: str, password: str) -> None:
    """Give an account a new password (checked against the policy) and end all its sessions,
    in one transaction: whoever knew the old password is logged out too."""
    staff = trova_staff(session=session, nome_utente=nome_utente)
    staff.hash_password = hash_password(password, nome_utente)
    session.add(staff)
    registra_evento(session, azione=eventi.NUOVA_PASSWORD, nome_utente=nome_utente)
    revoca_sessioni_di(session=session, staff_id=id_salvato(staff))  # commits both


def elenco_staff(*, session: Session) -> list[Staff]:
    """Every account, by username."""
    return list(session.exec(select(Staff).order_by(Staff.nome_utente)))

"""Staff accounts: create, disable, enable, change a role, reset a password, list. Used by the
`serena` console command and the "Persone" panel (`state/persone.py`); each change is in the
audit log (`eventi.py`), with the responsabile who made it from the panel."""

import dataclasses
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from serena_app.auth import eventi
from serena_app.auth.eventi import registra_evento
from serena_app.auth.password import hash_password
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE, RUOLI
from serena_app.auth.sessioni import (
    SCADENZA_ASSOLUTA,
    SCADENZA_INATTIVITA,
    adesso,
    revoca_sessioni_di,
)
from serena_app.db import id_salvato, transazione_bloccata
from serena_app.models import Evento, Invito, SessioneStaff, Staff

NOME_UTENTE_MAX = 64


class ErrorePersonale(ValueError):
    """A staff operation that cannot be done; the message says why, in Italian."""


def crea_staff(
    *, session: Session, nome_utente: str, password: str, ruolo: str = REDATTORE
) -> Staff:
    """Create an enabled staff account with `ruolo` (the password is checked against the
    policy); commits."""
    staff = nuovo_staff(session=session, nome_utente=nome_utente, password=password, ruolo=ruolo)
    registra_evento(session, azione=eventi.CREATO, nome_utente=staff.nome_utente)
    session.commit()
    session.refresh(staff)
    return staff


def nuovo_staff(*, session: Session, nome_utente: str, password: str, ruolo: str) -> Staff:
    """Add an enabled staff account with `ruolo` to the caller's transaction (the password is
    checked against the policy).

    Raises:
        ErrorePersonale: The name is not valid or taken, or the role is no role.
    """
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
    return staff


def trova_staff(*, session: Session, nome_utente: str) -> Staff:
    """The account named `nome_utente`; `ErrorePersonale` if there is none."""
    staff = session.exec(select(Staff).where(Staff.nome_utente == nome_utente)).first()
    if staff is None:
        msg = f"Nessun account «{nome_utente}»."
        raise ErrorePersonale(msg)
    return staff


def ultimo_responsabile(nome_utente: str) -> str:
    """Why the last active responsabile keeps their powers."""
    return (
        f"«{nome_utente}» è l’ultimo responsabile attivo: nessuno potrebbe più pubblicare né "
        "gestire le persone. Nomina prima un altro responsabile (chi ha un invito non ancora "
        "accettato non conta finché non sceglie la password). Nulla è cambiato."
    )


def _resta_un_responsabile(session: Session, staff: Staff) -> None:
    """Raise `ErrorePersonale` if `staff` is the only active responsabile who can log in. An
    account with a link not yet used (an invitation not accepted, a password reset not done,
    expired or not) has a password nobody knows: it does not count. Inside a transaction that
    locks `staff` (`transazione_bloccata`): two responsabili demoting each other at once are
    checked one after the other, and the second is refused."""
    if not (staff.attivo and staff.ruolo == RESPONSABILE):
        return
    senza_password = select(Invito.staff_id).where(col(Invito.usato).is_(None))
    altri = session.exec(
        select(func.count())
        .select_from(Staff)
        .where(
            Staff.attivo == True,  # noqa: E712
            Staff.ruolo == RESPONSABILE,
            Staff.id != staff.id,
            col(Staff.id).not_in(senza_password),
        )
    ).one()
    if altri == 0:
        raise ErrorePersonale(ultimo_responsabile(staff.nome_utente))


def disabilita_staff(
    *,
    session: Session,
    nome_utente: str,
    autore: str | None = None,
    almeno_un_responsabile: bool = False,
) -> None:
    """Disable an account and end all its sessions at once (and the staff view of the tabs
    open on them, within a second: `state/revoca.py`).

    Args:
        session: A session with no unsaved changes.
        nome_utente: The account.
        autore: The responsabile who does it from the "Persone" panel (the audit log).
        almeno_un_responsabile: Refuse to disable the last active responsabile (the panel
            always asks it; the terminal's administrator can make a new one).

    Raises:
        ErrorePersonale: No such account, or the last responsabile.
    """
    with transazione_bloccata(session, Staff):
        staff = trova_staff(session=session, nome_utente=nome_utente)
        if almeno_un_responsabile:
            _resta_un_responsabile(session, staff)
        staff.attivo = False
        session.add(staff)
        registra_evento(session, azione=eventi.DISABILITATO, nome_utente=nome_utente, autore=autore)
    revoca_sessioni_di(session=session, staff_id=id_salvato(staff))


def abilita_staff(*, session: Session, nome_utente: str, autore: str | None = None) -> bool:
    """Enable a disabled account again. Its old sessions stay ended: it must log in anew.

    Returns:
        False if the account was already enabled.
    """
    staff = trova_staff(session=session, nome_utente=nome_utente)
    if staff.attivo:
        return False
    staff.attivo = True
    session.add(staff)
    registra_evento(session, azione=eventi.RIABILITATO, nome_utente=nome_utente, autore=autore)
    session.commit()
    return True


def cambia_ruolo(*, session: Session, nome_utente: str, ruolo: str, autore: str) -> bool:
    """Give an account another role. Its sessions end (its open tabs are told within a
    second): the person logs in again and sees the buttons of the new role. The last active
    responsabile cannot be made a redattore (checked in the locked transaction).

    Returns:
        False if the account already had that role (nothing changed).

    Raises:
        ErrorePersonale: No such account or role, or the last responsabile.
    """
    if ruolo not in RUOLI:
        msg = f"Il ruolo deve essere uno di questi: {', '.join(RUOLI)}."
        raise ErrorePersonale(msg)
    with transazione_bloccata(session, Staff):
        staff = trova_staff(session=session, nome_utente=nome_utente)
        if staff.ruolo == ruolo:
            return False
        if ruolo != RESPONSABILE:
            _resta_un_responsabile(session, staff)
        staff.ruolo = ruolo
        session.add(staff)
        registra_evento(
            session,
            azione=f"{eventi.RUOLO_CAMBIATO} {ruolo}",
            nome_utente=nome_utente,
            autore=autore,
        )
    revoca_sessioni_di(session=session, staff_id=id_salvato(staff))
    return True


def reimposta_password(*, session: Session, nome_utente: str, password: str) -> None:
    """Give an account a new password (checked against the policy), end its unused one-time
    links and all its sessions, in one transaction: whoever knew the old password, or holds a
    reset link made before, is shut out too."""
    staff = trova_staff(session=session, nome_utente=nome_utente)
    staff.hash_password = hash_password(password, nome_utente)
    session.add(staff)
    chiudi_link(session, staff, adesso())
    registra_evento(session, azione=eventi.NUOVA_PASSWORD, nome_utente=nome_utente)
    revoca_sessioni_di(session=session, staff_id=id_salvato(staff))  # commits both


def chiudi_link(session: Session, staff: Staff, ora: datetime) -> None:
    """End `staff`'s unused one-time links (`inviti.py`), as used at `ora`, in the caller's
    transaction."""
    session.exec(
        update(Invito)
        .where(col(Invito.staff_id) == id_salvato(staff), col(Invito.usato).is_(None))
        .values(usato=ora)
    )


def elenco_staff(*, session: Session) -> list[Staff]:
    """Every account, by username."""
    return list(session.exec(select(Staff).order_by(Staff.nome_utente)))


@dataclasses.dataclass(frozen=True)
class Persona:
    """One account as the "Persone" panel lists it."""

    nome_utente: str
    ruolo: str
    attivo: bool
    ultimo_accesso: datetime | None
    sessioni_aperte: int


def persone(*, session: Session, ora: datetime | None = None) -> list[Persona]:
    """Every account, by username, with its last login (the audit log) and how many of its
    sessions are live now (a demo sandbox's are none of them)."""
    ora = ora or adesso()
    ultimi = dict(
        session.exec(
            select(Evento.nome_utente, func.max(Evento.quando))
            .where(Evento.azione == eventi.ACCESSO)
            .group_by(col(Evento.nome_utente))
        ).all()
    )
    aperte = dict(
        session.exec(
            select(SessioneStaff.staff_id, func.count())
            .where(
                SessioneStaff.revocata == False,  # noqa: E712
                col(SessioneStaff.sandbox).is_(None),
                col(SessioneStaff.ultimo_uso) >= ora - SCADENZA_INATTIVITA,
                col(SessioneStaff.creata) >= ora - SCADENZA_ASSOLUTA,
            )
            .group_by(col(SessioneStaff.staff_id))
        ).all()
    )
    return [
        Persona(
            nome_utente=staff.nome_utente,
            ruolo=staff.ruolo,
            attivo=staff.attivo,
            ultimo_accesso=ultimi.get(staff.nome_utente),
            sessioni_aperte=aperte.get(id_salvato(staff), 0) if staff.attivo else 0,
        )
        for staff in elenco_staff(session=session)
    ]

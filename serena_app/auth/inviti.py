"""One-time links that let a person choose their own password: an invitation to a new
account, or a password reset. There is no mail server: the responsabile who makes one copies
the link (or shows its QR code) to the person.

The link is `/accesso/invito#CODICE`. The code is in the fragment, which a browser never sends
in a request: no access log, proxy or Referer holds it. The page reads it and sends it over
the socket with the chosen password (`state/invito.py`).

* The code is `secrets.token_urlsafe(32)` (256 bits); the table holds only its SHA-256
  (`sessioni.hash_segreto`) and is searched by that hash.
* A link is valid for `VALIDITA` (72 hours) and once: using it, a newer link for the same
  person, a reset replacing it, or a password set from the terminal (`serena
  reset-password`) ends it.
* Trying codes is limited like logins (`limiti.registra_tentativo`), under the name
  `NOME_TENTATIVI`, which no account can have (it is not printable): 5 wrong codes from one
  address, then that address is refused for 15 minutes, even with a right code.
* Accepting is one locked transaction: the code checked again, marked used, the password set,
  the person's other sessions ended, a session opened and the event written together, so two
  tabs sending one code cannot both get in.
"""

import dataclasses
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select, update

from serena_app.auth import eventi
from serena_app.auth.eventi import registra_evento
from serena_app.auth.limiti import LimiteRaggiunto, dimentica_tentativo, registra_tentativo
from serena_app.auth.password import hash_password
from serena_app.auth.personale import chiudi_link, nuovo_staff, trova_staff
from serena_app.auth.sessioni import adesso, hash_segreto, notifica_revoca, nuova_sessione
from serena_app.db import id_salvato, transazione_bloccata
from serena_app.models import Invito, SessioneStaff, Staff
from serena_app.web.sito import PERCORSO_INVITO

VALIDITA = timedelta(hours=72)
INVITO = "invito"
REIMPOSTA = "reimposta"
NOME_TENTATIVI = "\tcodice di invito"
"""The name attempts at codes are counted under (`limiti.py`): a tab is not printable, so no
account can be called so (`personale.crea_staff`)."""

CODICE_NON_VALIDO = "Questo link non è valido: controlla di averlo copiato per intero."
CODICE_USATO = "Questo link è già stato usato: chiedi a un responsabile un nuovo link."
CODICE_SCADUTO = "Questo link è scaduto: chiedi a un responsabile un nuovo link."
ACCOUNT_DISATTIVATO = "Questo account è disattivato: chiedi a un responsabile."


class InvitoNonValido(Exception):
    """The code cannot be used; the message says why, in Italian, and is safe to show."""


@dataclasses.dataclass(frozen=True)
class Link:
    """A new one-time link: the code (shown once, never stored) and when it expires."""

    codice: str
    scade: datetime

    def indirizzo(self, sito: str) -> str:
        """The link's address on the site `sito` (no trailing slash)."""
        return f"{sito}{PERCORSO_INVITO}#{self.codice}"


def _utc(momento: datetime) -> datetime:
    return momento if momento.tzinfo else momento.replace(tzinfo=UTC)


def _nuovo_link(
    session: Session, staff: Staff, tipo: str, autore: str | None, ora: datetime
) -> Link:
    """Add a link for `staff` to the caller's transaction, ending any earlier unused one."""
    chiudi_link(session, staff, ora)
    codice = secrets.token_urlsafe(32)
    scade = ora + VALIDITA
    session.add(
        Invito(
            hash_codice=hash_segreto(codice),
            staff_id=id_salvato(staff),
            tipo=tipo,
            creato=ora,
            scade=scade,
            autore=autore,
        )
    )
    return Link(codice, scade)


def invita(
    *, session: Session, nome_utente: str, ruolo: str, autore: str, ora: datetime | None = None
) -> Link:
    """Make an account for `nome_utente` with `ruolo`, with no password anyone knows, and an
    invitation link to choose one; commits.

    Raises:
        ErrorePersonale: The name is not valid or taken, or the role is no role.
    """
    ora = ora or adesso()
    staff = nuovo_staff(
        session=session, nome_utente=nome_utente, password=secrets.token_urlsafe(32), ruolo=ruolo
    )
    session.flush()
    link = _nuovo_link(session, staff, INVITO, autore, ora)
    registra_evento(
        session, azione=eventi.INVITATO, nome_utente=staff.nome_utente, autore=autore, ora=ora
    )
    session.commit()
    return link


def reimposta(
    *, session: Session, nome_utente: str, autore: str, ora: datetime | None = None
) -> Link:
    """A password reset: the old password stops working and every session of the person ends
    at once (their open tabs are told); a new link lets them choose another. Commits.

    Raises:
        ErrorePersonale: No such account.
    """
    ora = ora or adesso()
    staff = trova_staff(session=session, nome_utente=nome_utente)
    staff.hash_password = hash_password(secrets.token_urlsafe(32))
    session.add(staff)
    link = _nuovo_link(session, staff, REIMPOSTA, autore, ora)
    session.exec(
        update(SessioneStaff)
        .where(col(SessioneStaff.staff_id) == id_salvato(staff))
        .values(revocata=True)
    )
    registra_evento(
        session, azione=eventi.REIMPOSTAZIONE, nome_utente=nome_utente, autore=autore, ora=ora
    )
    session.commit()
    notifica_revoca()
    return link


def _valido(invito: Invito | None, ora: datetime) -> Invito:
    if invito is None:
        raise InvitoNonValido(CODICE_NON_VALIDO)
    if invito.usato is not None:
        raise InvitoNonValido(CODICE_USATO)
    if ora > _utc(invito.scade):
        raise InvitoNonValido(CODICE_SCADUTO)
    return invito


def _cerca(session: Session, codice: object) -> Invito | None:
    if not isinstance(codice, str) or not 0 < len(codice) <= 128:
        return None
    return session.exec(select(Invito).where(Invito.hash_codice == hash_segreto(codice))).first()


def accetta(
    *, session: Session, codice: object, password: str, client: str, ora: datetime | None = None
) -> tuple[str, str]:
    """Use a link: set the person's password and open a session. Blocking (Argon2): run it
    off the event loop.

    The attempt is counted as a failed one before the code is looked up (`limiti.py`); only a
    code that can be used forgets it.

    Returns:
        The person's name and the new session's secret.

    Raises:
        LimiteRaggiunto: Too many wrong codes from this address.
        InvitoNonValido: An unknown, used or expired code, or a disabled account.
        PasswordNonValida: The password does not meet the policy; the link stays valid.
    """
    client = client[:64]
    try:
        tentativo = registra_tentativo(session=session, nome_utente=NOME_TENTATIVI, client=client)
    except LimiteRaggiunto:
        eventi.conta_rifiuto(
            session=session, nome_utente=NOME_TENTATIVI, client=client, account=False, ora=ora
        )
        raise
    momento = ora or adesso()
    invito = _valido(_cerca(session, codice), momento)
    staff = session.get(Staff, invito.staff_id)
    if staff is None or not staff.attivo:
        raise InvitoNonValido(ACCOUNT_DISATTIVATO)
    dimentica_tentativo(session=session, tentativo_id=tentativo)  # a real code: no guess
    session.commit()
    nuovo_hash = hash_password(password, staff.nome_utente)  # slow: outside the lock
    with transazione_bloccata(session, Invito, Staff, SessioneStaff):
        invito = _valido(_cerca(session, codice), momento)  # used meanwhile by another tab?
        staff = session.get(Staff, invito.staff_id)
        if staff is None or not staff.attivo:
            raise InvitoNonValido(ACCOUNT_DISATTIVATO)
        invito.usato = momento
        staff.hash_password = nuovo_hash
        session.add_all([invito, staff])
        registra_evento(
            session, azione=eventi.INVITO_ACCETTATO, nome_utente=staff.nome_utente, ora=momento
        )
        segreto = nuova_sessione(session=session, staff=staff, ora=momento)
        nome = staff.nome_utente
    return nome, segreto


def in_attesa(*, session: Session, ora: datetime | None = None) -> dict[int, datetime]:
    """The staff ids with an unused, unexpired link, and when it expires."""
    ora = ora or adesso()
    righe = session.exec(select(Invito).where(col(Invito.usato).is_(None)))
    return {r.staff_id: _utc(r.scade) for r in righe if _utc(r.scade) >= ora}

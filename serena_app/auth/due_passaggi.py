"""Two-step login (TOTP, RFC 6238): each person turns it on for their own account.

A code is checked with pyotp for the current 30 s time step and one step either side (a
phone's clock may drift), and is never accepted twice: the account keeps the last time step a
code was accepted for (`Staff.totp_ultimo_passo`), and a code counts only for a later step.
The step is moved by one conditional UPDATE in the caller's transaction (the login's), so two
logins racing with the same code cannot both win.

Recovery codes: ten, shown once when two-step login is turned on, each usable once (its row is
deleted when used). Each is 80 random bits (16 base32 characters), so the database keeps only
its SHA-256: a fast hash is enough for a secret that cannot be guessed, unlike a password,
and it lets a code be found by its hash.

The TOTP secret itself is stored in the database as it is (a login must compute the codes):
whoever holds a copy of the database, or a backup, can compute the codes (see the README).
"""

import hashlib
import hmac
import secrets
import string
from base64 import b32encode
from datetime import datetime, timedelta

from pyotp import random_base32
from pyotp.totp import TOTP
from sqlmodel import Session, col, delete, or_, select, update

from serena_app.auth import eventi
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import adesso
from serena_app.db import id_salvato
from serena_app.models import CodiceRecupero, Impostazione, SessioneStaff, Staff

EMITTENTE = "Cooperativa Serena"
PASSO_S = 30
QUANTI_CODICI = 10
OBBLIGO = "due_passaggi_responsabili"  # its name in `impostazione`: "1" if required
CODICE_NON_VALIDO = "Codice non valido: controlla l’app di autenticazione e riprova."


class CodiceNonValido(ValueError):
    """A code that is not right (or was already used); the message says so in Italian."""


def nuovo_segreto() -> str:
    """A new TOTP secret (base32, 160 bits)."""
    return random_base32(32)


def indirizzo_app(segreto: str, nome_utente: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTP(segreto).provisioning_uri(name=nome_utente, issuer_name=EMITTENTE)


def passo_di(ora: datetime) -> int:
    """The TOTP time step `ora` falls in."""
    return int(ora.timestamp()) // PASSO_S


def _normalizza(codice: str) -> str:
    return "".join(c for c in codice.upper() if c not in " -\t")


def passo_del_codice(segreto: str, codice: str, ora: datetime) -> int | None:
    """The time step (the current one, or one either side) whose code `codice` is, or None."""
    codice = _normalizza(codice)
    if len(codice) != 6 or not codice.isdigit():
        return None
    totp = TOTP(segreto, interval=PASSO_S)
    if not totp.verify(codice, for_time=ora, valid_window=1):
        return None
    for scarto in (0, -1, 1):  # which step it was, for the replay check
        if hmac.compare_digest(totp.at(ora + timedelta(seconds=scarto * PASSO_S)), codice):
            return passo_di(ora) + scarto
    return None


def hash_codice(codice: str) -> str:
    """What the database keeps of a recovery code (SHA-256 of its normalised text, in hex)."""
    return hashlib.sha256(_normalizza(codice).encode()).hexdigest()


def _codice_recupero() -> str:
    testo = b32encode(secrets.token_bytes(10)).decode()  # 80 bits, 16 characters
    return "-".join(testo[i : i + 4] for i in range(0, 16, 4))


def consuma(*, session: Session, staff: Staff, codice: str, ora: datetime) -> str | None:
    """Accept `codice` for `staff` once, in the caller's transaction (not committed).

    Returns:
        `eventi.CODICE_RECUPERO_USATO` for a recovery code (its row deleted), "" for a TOTP
        code (its time step recorded), None if it is not right or was already used.
    """
    if staff.totp_segreto is None or staff.id is None:
        return None
    passo = passo_del_codice(staff.totp_segreto, codice, ora)
    if passo is not None:
        spostato = session.exec(
            update(Staff)
            .where(
                col(Staff.id) == staff.id,
                or_(col(Staff.totp_ultimo_passo).is_(None), col(Staff.totp_ultimo_passo) < passo),
            )
            .values(totp_ultimo_passo=passo)
        ).rowcount
        return "" if spostato == 1 else None
    normalizzato = _normalizza(codice)
    if len(normalizzato) != 16 or any(
        c not in string.ascii_uppercase + "234567" for c in normalizzato
    ):
        return None
    usati = session.exec(
        delete(CodiceRecupero).where(
            col(CodiceRecupero.staff_id) == staff.id,
            col(CodiceRecupero.hash_codice) == hash_codice(normalizzato),
        )
    ).rowcount
    return eventi.CODICE_RECUPERO_USATO if usati == 1 else None


def attiva(
    *, session: Session, staff_id: int, segreto: str, codice: str, ora: datetime | None = None
) -> list[str]:
    """Turn two-step login on for `staff_id` with `segreto`, confirmed by one of its codes;
    commits.

    Returns:
        The ten recovery codes, to show once (the database keeps only their hashes).

    Raises:
        CodiceNonValido: The code is not one of `segreto`'s, now.
    """
    ora = ora or adesso()
    staff = session.get(Staff, staff_id)
    passo = passo_del_codice(segreto, codice, ora)
    if staff is None or passo is None:
        raise CodiceNonValido(CODICE_NON_VALIDO)
    codici = aggiungi(session=session, staff=staff, segreto=segreto, passo=passo, ora=ora)
    session.commit()
    return codici


def aggiungi(
    *, session: Session, staff: Staff, segreto: str, passo: int, ora: datetime
) -> list[str]:
    """Write `segreto` (confirmed by a code of time step `passo`) and ten new recovery codes
    into the caller's transaction; the codes."""
    staff.totp_segreto = segreto
    staff.totp_ultimo_passo = passo  # the confirming code cannot log in
    session.add(staff)
    session.exec(delete(CodiceRecupero).where(col(CodiceRecupero.staff_id) == staff.id))
    codici = [_codice_recupero() for _ in range(QUANTI_CODICI)]
    for testo in codici:
        session.add(CodiceRecupero(staff_id=id_salvato(staff), hash_codice=hash_codice(testo)))
    eventi.registra_evento(
        session, azione=eventi.DUE_PASSAGGI_ATTIVATI, nome_utente=staff.nome_utente, ora=ora
    )
    return codici


def disattiva(*, session: Session, staff_id: int, ora: datetime | None = None) -> None:
    """Turn two-step login off for `staff_id` (the caller checked who asks); commits."""
    staff = session.get(Staff, staff_id)
    if staff is None:
        return
    staff.totp_segreto = None
    staff.totp_ultimo_passo = None
    session.add(staff)
    session.exec(delete(CodiceRecupero).where(col(CodiceRecupero.staff_id) == staff_id))
    eventi.registra_evento(
        session, azione=eventi.DUE_PASSAGGI_DISATTIVATI, nome_utente=staff.nome_utente, ora=ora
    )
    session.commit()


def codici_rimasti(*, session: Session, staff_id: int) -> int:
    """How many unused recovery codes `staff_id` has."""
    return len(
        session.exec(select(CodiceRecupero.id).where(CodiceRecupero.staff_id == staff_id)).all()
    )


def obbligatoria(*, session: Session) -> bool:
    """Whether every responsabile must use two-step login."""
    riga = session.get(Impostazione, OBBLIGO)
    return riga is not None and riga.valore == "1"


def deve_configurare(*, session: Session, staff: Staff) -> bool:
    """Whether `staff` must turn two-step login on before getting staff powers."""
    return (
        staff.ruolo == RESPONSABILE and staff.totp_segreto is None and obbligatoria(session=session)
    )


def imposta_obbligo(
    *, session: Session, richiesta: bool, nome_utente: str, ora: datetime | None = None
) -> list[int]:
    """Require two-step login for every responsabile (or not); commits.

    When it becomes required, the sessions of responsabili without it end (they must set it
    up at their next login): the caller notifies the revocation.

    Returns:
        The ids of the accounts whose sessions were ended.
    """
    riga = session.get(Impostazione, OBBLIGO) or Impostazione(nome=OBBLIGO, valore="0")
    riga.valore = "1" if richiesta else "0"
    session.add(riga)
    senza: list[int] = []
    if richiesta:
        senza = [
            s.id
            for s in session.exec(
                select(Staff).where(Staff.ruolo == RESPONSABILE, col(Staff.totp_segreto).is_(None))
            )
            if s.id is not None
        ]
        if senza:
            session.exec(
                update(SessioneStaff)
                .where(col(SessioneStaff.staff_id).in_(senza))
                .values(revocata=True)
            )
    azione = eventi.OBBLIGO_ATTIVATO if richiesta else eventi.OBBLIGO_DISATTIVATO
    eventi.registra_evento(session, azione=azione, nome_utente=nome_utente, ora=ora)
    session.commit()
    return senza

"""Staff sessions: a random secret per login, stored hashed, with idle and absolute expiry.

A demo sandbox's session (`sandbox` set) lives only on a demo server, and only for the demo's
idle limit (`demo/modalita.py`).
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select, update

from serena_app.demo import modalita
from serena_app.models import SessioneStaff, Staff

SCADENZA_INATTIVITA = timedelta(hours=2)
SCADENZA_ASSOLUTA = timedelta(hours=12)


def adesso() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(momento: datetime) -> datetime:
    return momento if momento.tzinfo else momento.replace(tzinfo=UTC)


def crea_sessione(
    *, session: Session, staff: Staff, ora: datetime | None = None, sandbox: str | None = None
) -> str:
    """Open a new session for `staff` (in the demo sandbox `sandbox`, if given) and commit it.

    Returns:
        The secret for the browser (from `secrets.token_urlsafe(32)`); only its hash is stored.
    """
    token = nuova_sessione(session=session, staff=staff, ora=ora or adesso(), sandbox=sandbox)
    session.commit()
    return token


def nuova_sessione(
    *,
    session: Session,
    staff: Staff,
    ora: datetime,
    sandbox: str | None = None,
    client: str | None = None,
) -> str:
    """Add a session for `staff` to the caller's transaction; its secret for the browser."""
    token = secrets.token_urlsafe(32)
    session.add(
        SessioneStaff(
            hash_token=_hash(token),
            staff_id=staff.id,
            creata=ora,
            ultimo_uso=ora,
            sandbox=sandbox,
            client=client,
        )
    )
    return token


def sessione_viva(
    *, session: Session, token: str, ora: datetime | None = None
) -> tuple[Staff, SessioneStaff] | None:
    """The enabled staff member and the live session `token` names, or None.

    A session is live if it exists, was not revoked, was used within the idle limit and was
    opened within the absolute limit; a sandbox's session only on a demo server. Using it
    moves its idle deadline (committed, at most once per twentieth of the idle limit); a
    sandbox's moves only when the sandbox is written to (`demo/capienza.py`).
    """
    if not token:
        return None
    ora = ora or adesso()
    trovata = session.exec(
        select(SessioneStaff, Staff)
        .join(Staff)
        .where(SessioneStaff.hash_token == _hash(token), SessioneStaff.revocata == False)  # noqa: E712
    ).first()
    if trovata is None:
        return None
    sessione, staff = trovata
    if sessione.sandbox is not None and not modalita.attiva():
        return None
    inattivita = modalita.inattivita() if sessione.sandbox else SCADENZA_INATTIVITA
    if (
        not staff.attivo
        or ora - _utc(sessione.ultimo_uso) > inattivita
        or ora - _utc(sessione.creata) > SCADENZA_ASSOLUTA
    ):
        return None
    # The idle deadline moves at most once per twentieth of the idle limit: not every event
    # of an editing staff member is a database write.
    if sessione.sandbox is None and ora - _utc(sessione.ultimo_uso) > inattivita / 20:
        sessione.ultimo_uso = ora
        session.add(sessione)
        session.commit()
    return staff, sessione


def staff_della_sessione(
    *, session: Session, token: str, ora: datetime | None = None
) -> Staff | None:
    """The enabled staff member whose live session `token` names, or None (`sessione_viva`)."""
    viva = sessione_viva(session=session, token=token, ora=ora)
    return viva[0] if viva else None


def revoca_sessione(*, session: Session, token: str) -> None:
    """End the session `token` names (logout)."""
    session.exec(
        update(SessioneStaff).where(SessioneStaff.hash_token == _hash(token)).values(revocata=True)
    )
    session.commit()


def revoca_sessioni_di(*, session: Session, staff_id: int) -> None:
    """End every session of a staff member (when the account is disabled or its password
    reset); commits."""
    session.exec(
        update(SessioneStaff).where(SessioneStaff.staff_id == staff_id).values(revocata=True)
    )
    session.commit()

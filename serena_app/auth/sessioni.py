"""Staff sessions: a random secret per login, stored hashed, with idle and absolute expiry."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select, update

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


def crea_sessione(*, session: Session, staff: Staff, ora: datetime | None = None) -> str:
    """Open a new session for `staff` and commit it.

    Returns:
        The secret for the browser (from `secrets.token_urlsafe(32)`); only its hash is stored.
    """
    ora = ora or adesso()
    token = secrets.token_urlsafe(32)
    session.add(
        SessioneStaff(hash_token=_hash(token), staff_id=staff.id, creata=ora, ultimo_uso=ora)
    )
    session.commit()
    return token


def staff_della_sessione(
    *, session: Session, token: str, ora: datetime | None = None
) -> Staff | None:
    """The enabled staff member whose live session `token` names, or None.

    A session is live if it exists, was not revoked, was used within the idle limit and was
    opened within the absolute limit. Using it moves its idle deadline (committed).
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
    if (
        not staff.attivo
        or ora - _utc(sessione.ultimo_uso) > SCADENZA_INATTIVITA
        or ora - _utc(sessione.creata) > SCADENZA_ASSOLUTA
    ):
        return None
    sessione.ultimo_uso = ora
    session.add(sessione)
    session.commit()
    return staff


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

"""Staff sessions: a random secret per login, stored hashed, with idle and absolute expiry;
and the one server-side permission check, what a presented secret permits (`permesso`).

Reflex lets any browser call any event handler by name, so every handler that changes data is
wrapped in `richiede_staff` (`state/guardia.py`), which checks the secret the browser presented
here before the handler's body runs, or in the write's own database session.

A demo sandbox's session (`sandbox` set) lives only where the demo allows sandboxes, and only
for the demo's idle limit: `demo/modalita.py` says so through `regole_sandbox`; anywhere the
demo has not, a sandbox's session is refused.

A session that ends by revocation (logout, the account disabled, its password reset) is
notified on Redis when the app runs several processes (`CANALE_REVOCHE`): each process then
ends it at once in the tabs it holds open (`state/revoca.py`), instead of at its next check.
"""

import dataclasses
import hashlib
import logging
import secrets
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select, update

from serena_app import canali, db
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE, RUOLI
from serena_app.db import id_salvato
from serena_app.models import SessioneStaff, Staff

SCADENZA_INATTIVITA = timedelta(hours=2)
SCADENZA_ASSOLUTA = timedelta(hours=12)
CANALE_REVOCHE = "serena:sessioni-revocate"
ATTESA_REDIS_S = 1.0  # a logout or a `serena` command does not hang on a Redis that is away
logger = logging.getLogger(__name__)


def adesso() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def hash_segreto(token: str) -> str:
    """What the database stores of a session's secret (its SHA-256, in hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(momento: datetime) -> datetime:
    return momento if momento.tzinfo else momento.replace(tzinfo=UTC)


def crea_sessione(
    *,
    session: Session,
    staff: Staff,
    ora: datetime | None = None,
    sandbox: str | None = None,
    dispositivo: str | None = None,
) -> str:
    """Open a new session for `staff` (in the demo sandbox `sandbox`, if given) and commit it;
    `dispositivo` describes the browser ("Chrome su Android").

    Returns:
        The secret for the browser (from `secrets.token_urlsafe(32)`); only its hash is stored.
    """
    token = nuova_sessione(
        session=session, staff=staff, ora=ora or adesso(), sandbox=sandbox, dispositivo=dispositivo
    )
    session.commit()
    return token


def nuova_sessione(
    *,
    session: Session,
    staff: Staff,
    ora: datetime,
    sandbox: str | None = None,
    client: str | None = None,
    dispositivo: str | None = None,
) -> str:
    """Add a session for `staff` to the caller's transaction; its secret for the browser."""
    token = secrets.token_urlsafe(32)
    session.add(
        SessioneStaff(
            hash_token=hash_segreto(token),
            staff_id=id_salvato(staff),
            creata=ora,
            ultimo_uso=ora,
            sandbox=sandbox,
            client=client,
            dispositivo=(dispositivo or "")[:64] or None,
        )
    )
    return token


def _nessuna_sandbox() -> timedelta | None:
    return None


_inattivita_sandbox: Callable[[], timedelta | None] = _nessuna_sandbox


def regole_sandbox(inattivita: Callable[[], timedelta | None]) -> None:
    """How long a demo sandbox's session may stay idle on this server, asked at each check;
    None: no sandbox session lives here. Only the demo sets it (`demo/modalita.py`)."""
    global _inattivita_sandbox
    _inattivita_sandbox = inattivita


def _viva(sessione: SessioneStaff, staff: Staff, ora: datetime) -> bool:
    """Whether the unrevoked `sessione` of `staff` is live at `ora`."""
    inattivita = SCADENZA_INATTIVITA
    if sessione.sandbox is not None:
        limite = _inattivita_sandbox()
        if limite is None:
            return False
        inattivita = limite
    return (
        staff.attivo
        and ora - _utc(sessione.ultimo_uso) <= inattivita
        and ora - _utc(sessione.creata) <= SCADENZA_ASSOLUTA
    )


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
        .where(SessioneStaff.hash_token == hash_segreto(token), SessioneStaff.revocata == False)  # noqa: E712
    ).first()
    if trovata is None:
        return None
    sessione, staff = trovata
    if not _viva(sessione, staff, ora):
        return None
    # The idle deadline moves at most once per twentieth of the idle limit: not every event
    # of an editing staff member is a database write.
    if sessione.sandbox is None and ora - _utc(sessione.ultimo_uso) > SCADENZA_INATTIVITA / 20:
        sessione.ultimo_uso = ora
        session.add(sessione)
        session.commit()
    return staff, sessione


@dataclasses.dataclass(frozen=True)
class Permesso:
    """Who may edit, and where: the site's pages, or the demo sandbox of their session; and
    with which role (`ruoli.py`)."""

    nome_utente: str
    sandbox: str | None  # the published page of their demo sandbox; None: the site
    dal: datetime  # when the session began: undo reaches back to it, no further
    ruolo: str = REDATTORE


def puo(ruolo: str, richiesto: str) -> bool:
    """Whether someone with `ruolo` may do what needs `richiesto` (`ruoli.RUOLI`)."""
    return ruolo in RUOLI and RUOLI.index(ruolo) >= RUOLI.index(richiesto)


def permesso(*, session: Session, segreto: object) -> Permesso | None:
    """Who may edit with this session secret, and where, read in the caller's `session`; None
    without a live session (it must exist, not be expired or revoked, and its account must be
    enabled)."""
    if not isinstance(segreto, str) or not segreto:
        return None
    viva = sessione_viva(session=session, token=segreto)
    if viva is None:
        return None
    staff, sessione = viva
    # A demo sandbox's editor is a responsabile of that sandbox, and of nothing else.
    ruolo = RESPONSABILE if sessione.sandbox is not None else staff.ruolo
    return Permesso(staff.nome_utente, sessione.sandbox, sessione.creata, ruolo)


async def staff_autorizzato(token: object) -> Permesso | None:
    """`permesso` for this session secret, read off the event loop."""
    if not isinstance(token, str) or not token:
        return None
    return await db.esegui(permesso, segreto=token)


def sessioni_vive(
    *, session: Session, hash_segreti: Collection[str], ora: datetime | None = None
) -> set[str]:
    """Which of the sessions whose secrets hash to `hash_segreti` are live, as `sessione_viva`
    judges, in one query; watching them does not move their idle deadline (only use does)."""
    if not hash_segreti:
        return set()
    ora = ora or adesso()
    righe = session.exec(
        select(SessioneStaff, Staff)
        .join(Staff)
        .where(
            col(SessioneStaff.hash_token).in_(list(hash_segreti)),
            SessioneStaff.revocata == False,  # noqa: E712
        )
    )
    return {sessione.hash_token for sessione, staff in righe if _viva(sessione, staff, ora)}


def staff_della_sessione(
    *, session: Session, token: str, ora: datetime | None = None
) -> Staff | None:
    """The enabled staff member whose live session `token` names, or None (`sessione_viva`)."""
    viva = sessione_viva(session=session, token=token, ora=ora)
    return viva[0] if viva else None


def revoca_sessione(*, session: Session, token: str) -> None:
    """End the session `token` names (logout); the app processes are told."""
    session.exec(
        update(SessioneStaff)
        .where(col(SessioneStaff.hash_token) == hash_segreto(token))
        .values(revocata=True)
    )
    session.commit()
    notifica_revoca()


def revoca_sessioni_di(*, session: Session, staff_id: int) -> None:
    """End every session of a staff member (when the account is disabled or its password
    reset); commits, and the app processes are told."""
    session.exec(
        update(SessioneStaff).where(col(SessioneStaff.staff_id) == staff_id).values(revocata=True)
    )
    session.commit()
    notifica_revoca()


def notifica_revoca() -> None:
    """Tell every app process that sessions were revoked, on Redis when the app runs several
    (`REDIS_URL`; a `serena` command finds it in `var/produzione.env`). Without Redis there is
    one app process, whose periodic check sees it; if Redis does not answer, so do they all."""
    canali.invia(CANALE_REVOCHE, "1", cosa="revoca", attesa_s=ATTESA_REDIS_S)


def sessioni_aperte(
    *, session: Session, staff_id: int, ora: datetime | None = None
) -> list[SessioneStaff]:
    """The live sessions of `staff_id`, the most recently used first."""
    ora = ora or adesso()
    righe = session.exec(
        select(SessioneStaff, Staff)
        .join(Staff)
        .where(col(SessioneStaff.staff_id) == staff_id, SessioneStaff.revocata == False)  # noqa: E712
        .order_by(col(SessioneStaff.ultimo_uso).desc())
    )
    return [sessione for sessione, staff in righe if _viva(sessione, staff, ora)]


def revoca_altre_sessioni(*, session: Session, staff_id: int, token: str) -> int:
    """End every session of `staff_id` but the one `token` names, in the caller's transaction
    (the caller commits, then calls `notifica_revoca`); how many it ended."""
    return session.exec(
        update(SessioneStaff)
        .where(
            col(SessioneStaff.staff_id) == staff_id,
            col(SessioneStaff.hash_token) != hash_segreto(token),
            col(SessioneStaff.revocata).is_(False),
        )
        .values(revocata=True)
    ).rowcount

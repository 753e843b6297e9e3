"""Demo sandboxes in the database.

A sandbox is a private pair of pages (`pagina.Spazio`: "demo-…" published and "demo-…-bozza"
its working copy) seeded from the content file, and a session of the demo editor bound to it
(`SessioneStaff.sandbox`). Everything staff can do works on it unchanged, because every read
and write takes the page it works on. At most `modalita.sandbox_max()` are open at once; one
unused for `modalita.inattivita()` (only writes count as use), or whose session ended, is
deleted with its pages. One address holds at most `modalita.per_indirizzo()`, so one phone
cannot take the room's places. What one sandbox may hold is `demo/capienza.py`'s.
"""

import secrets
from datetime import datetime

from sqlmodel import Session, col, delete, func, or_, select, update

from serena_app import db
from serena_app.auth.sessioni import adesso, nuova_sessione
from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import Pagina, Spazio
from serena_app.contenuto.semina import scrivi
from serena_app.demo import capienza, modalita
from serena_app.demo.modalita import EDITOR
from serena_app.lingue import N_
from serena_app.models import (
    Revisione,
    SessioneStaff,
    Sezione,
    Staff,
    Tappa,
    Valore,
    VersionePagina,
)

"""The account every sandbox session belongs to; drafts are signed with it."""

NESSUNA_PASSWORD = "!"  # noqa: S105 (not an Argon2 hash: no password matches it)
PIENA = N_("La demo è al completo: riprova tra qualche minuto.")
TROPPE = N_("Da questo indirizzo sono già aperte troppe prove: riprova tra qualche minuto.")
TABELLE = (SessioneStaff, Staff, Sezione, Tappa, Valore, VersionePagina, Revisione)


class DemoPiena(Exception):
    """As many sandboxes as allowed are open, in all or from this address; the message says
    which."""


def _editor(session: Session) -> Staff:
    """The demo editor's account, made the first time; no password opens it."""
    editor = session.exec(select(Staff).where(Staff.nome_utente == EDITOR)).first()
    if editor is None:
        editor = Staff(nome_utente=EDITOR, hash_password=NESSUNA_PASSWORD)
        session.add(editor)
        session.flush()
    return editor


def _aperte(session: Session, ora: datetime, client: str | None = None) -> int:
    """How many sandboxes are open (from `client`, if given): their session live and used
    within the idle limit."""
    query = (
        select(func.count())
        .select_from(SessioneStaff)
        .where(
            col(SessioneStaff.sandbox).is_not(None),
            SessioneStaff.revocata == False,  # noqa: E712
            SessioneStaff.ultimo_uso >= ora - modalita.inattivita(),
        )
    )
    if client is not None:
        query = query.where(SessioneStaff.client == client)
    return session.exec(query).one()


def apri(*, session: Session, client: str, ora: datetime | None = None) -> str:
    """Open a sandbox seeded from the content file, its working copy made, with the demo
    editor's session in it, in one locked transaction; commits.

    Args:
        session: A session with no unsaved changes.
        client: The address of the browser asking.
        ora: The time now.

    Returns:
        The session secret for the browser.

    Raises:
        DemoPiena: As many sandboxes as allowed are open, in all or from `client`; nothing
            changed.
    """
    ora = ora or adesso()
    with db.transazione_bloccata(session, *TABELLE):
        if _aperte(session, ora) >= modalita.sandbox_max():
            raise DemoPiena(PIENA)
        if _aperte(session, ora, client) >= modalita.per_indirizzo():
            raise DemoPiena(TROPPE)
        pubblicata = Pagina(f"{capienza.PREFISSO}{secrets.token_hex(8)}")
        scrivi(session=session, pagina=pubblicata)
        bozze.crea_copia(session=session, spazio=Spazio.di(pubblicata))
        return nuova_sessione(
            session=session,
            staff=_editor(session),
            ora=ora,
            sandbox=pubblicata.nome,
            client=client[:64],
        )


def ripristina(*, session: Session, spazio: Spazio) -> None:
    """Put the sandbox back to the content file: published page, working copy and history (a
    sandbox full of changes has its room back, `demo/capienza.py`); commits.

    Each page's counter goes on rising, so every browser showing it takes the new content.
    """
    with db.transazione_bloccata(session, *TABELLE):
        session.exec(delete(Revisione).where(col(Revisione.spazio) == spazio.pubblicata.nome))
        scrivi(session=session, pagina=spazio.pubblicata)
    bozze.scarta(session=session, spazio=spazio)


def chiudi_scadute(*, session: Session, ora: datetime | None = None) -> list[Spazio]:
    """Delete every sandbox unused past the idle limit, or whose session ended, with its pages
    and its session, in one locked transaction; commits.

    Returns:
        The sandboxes deleted.
    """
    limite = (ora or adesso()) - modalita.inattivita()
    with db.transazione_bloccata(session, *TABELLE):
        scadute = session.exec(
            select(SessioneStaff).where(
                col(SessioneStaff.sandbox).is_not(None),
                or_(SessioneStaff.revocata == True, SessioneStaff.ultimo_uso < limite),  # noqa: E712
            )
        ).all()
        spazi = [Spazio.di(Pagina(s.sandbox)) for s in scadute if s.sandbox]
        nomi = [p.nome for spazio in spazi for p in (spazio.pubblicata, spazio.bozza)]
        for modello in (Sezione, Tappa, Valore):
            session.exec(delete(modello).where(col(modello.pagina).in_(nomi)))
        session.exec(delete(VersionePagina).where(col(VersionePagina.pagina).in_(nomi)))
        session.exec(delete(Revisione).where(col(Revisione.spazio).in_(nomi)))
        for sessione in scadute:
            session.delete(sessione)
    return spazi


def aperte(*, session: Session, ora: datetime | None = None) -> int:
    """How many sandboxes are open now: the phones counted on the presenter's view."""
    return _aperte(session, ora or adesso())


def chiudi_tutte(*, session: Session) -> list[Spazio]:
    """End every sandbox now ("Ripristina tutte le demo"): their sessions end, and their
    pages, history and sessions are deleted, in locked transactions; commits.

    Returns:
        The sandboxes deleted.
    """
    with db.transazione_bloccata(session, *TABELLE):
        session.exec(
            update(SessioneStaff)
            .where(col(SessioneStaff.sandbox).is_not(None))
            .values(revocata=True)
        )
    return chiudi_scadute(session=session)

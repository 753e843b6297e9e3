"""Data access: small keyword-only functions that take a session."""

from sqlmodel import Session, select

from serena_app.models import RevisionePagina, Sezione, Tappa, Valore


def leggi_sezioni(*, session: Session) -> dict[str, Sezione]:
    """All text sections, by key."""
    return {s.chiave: s for s in session.exec(select(Sezione))}


def leggi_tappe(*, session: Session) -> list[Tappa]:
    """The timeline's milestones in display order."""
    return list(session.exec(select(Tappa).order_by(Tappa.posizione, Tappa.id)))


def leggi_valori(*, session: Session) -> list[Valore]:
    """The values in display order."""
    return list(session.exec(select(Valore).order_by(Valore.posizione, Valore.id)))


def revisione_pagina(*, session: Session) -> int:
    """The content's revision number (0 for a database without content)."""
    riga = session.get(RevisionePagina, 1)
    return 0 if riga is None else riga.numero


def segna_modifica(*, session: Session) -> int:
    """Bump the revision as part of the caller's transaction; every content write calls it.

    Returns:
        The new revision number.
    """
    riga = session.get(RevisionePagina, 1) or RevisionePagina(id=1, numero=0)
    riga.numero += 1
    session.add(riga)
    return riga.numero

"""Data access: small keyword-only functions that take a session."""

from sqlmodel import Session, select

from serena_app.models import Sezione, Tappa, Valore


def leggi_sezioni(*, session: Session) -> dict[str, Sezione]:
    """All text sections, by key."""
    return {s.chiave: s for s in session.exec(select(Sezione))}


def leggi_tappe(*, session: Session) -> list[Tappa]:
    """The timeline's milestones in display order."""
    return list(session.exec(select(Tappa).order_by(Tappa.posizione, Tappa.id)))


def leggi_valori(*, session: Session) -> list[Valore]:
    """The values in display order."""
    return list(session.exec(select(Valore).order_by(Valore.posizione, Valore.id)))

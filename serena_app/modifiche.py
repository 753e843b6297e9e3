"""Writing the page's content: each function is one transaction with a version check.

A save carries the version the editor started from; `UPDATE ... WHERE id=? AND versione=?`
changes nothing if someone saved in between, and `Conflitto` then carries the newer text.
Every write bumps the page revision in the same transaction.
"""

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, func, select

from serena_app import repository
from serena_app.models import Sezione, Tappa, Valore


class NonTrovato(LookupError):
    """The item no longer exists (someone deleted it)."""


class Conflitto(Exception):
    """Someone else saved this item first; `attuale` is what is stored now."""

    def __init__(self, attuale: Sezione | Tappa | Valore):
        super().__init__("modificato da un’altra persona")
        self.attuale = attuale


class OrdineNonValido(ValueError):
    """A move that would put dated milestones out of year order."""


@dataclass(frozen=True)
class Posizione:
    """Where an item ended up: 1-based index out of a total."""

    numero: int
    totale: int


def _aggiorna(session: Session, modello, chiave, versione: int, **valori) -> None:
    colonna_chiave = Sezione.chiave if modello is Sezione else modello.id
    risultato = session.exec(
        update(modello)
        .where(colonna_chiave == chiave, modello.versione == versione)
        .values(versione=modello.versione + 1, **valori)
    )
    if risultato.rowcount != 1:
        session.rollback()
        attuale = session.get(modello, chiave)
        if attuale is None:
            raise NonTrovato(chiave)
        raise Conflitto(attuale)


def salva_sezione(*, session: Session, chiave: str, testo: str, versione: int) -> None:
    """Save a section's text if it is still at `versione`."""
    _aggiorna(session, Sezione, chiave, versione, testo=testo)
    repository.segna_modifica(session=session)
    session.commit()


def _ordinati(session: Session, modello) -> list:
    return list(session.exec(select(modello).order_by(modello.posizione, modello.id)))


def _numera(elementi: list) -> None:
    for posizione, elemento in enumerate(elementi):
        elemento.posizione = posizione


def in_ordine_di_anno(tappe: list[Tappa]) -> bool:
    """Whether the dated milestones appear in year order (undated ones may stand anywhere)."""
    anni = [t.anno for t in tappe if t.anno is not None]
    return anni == sorted(anni)


def _indice(elementi: list, elemento) -> int:
    # By identity: table models compare equal by their field values.
    return next(i for i, e in enumerate(elementi) if e is elemento)


def _ricolloca(tappe: list[Tappa], tappa: Tappa) -> None:
    """Move `tappa` to the nearest place that keeps the years in order."""
    if in_ordine_di_anno(tappe):
        return
    partenza = _indice(tappe, tappa)
    del tappe[partenza]
    posti = [i for i in range(len(tappe) + 1) if in_ordine_di_anno([*tappe[:i], tappa, *tappe[i:]])]
    tappe.insert(min(posti, key=lambda i: abs(i - partenza)), tappa)


def _posizione(elementi: list, elemento) -> Posizione:
    return Posizione(_indice(elementi, elemento) + 1, len(elementi))


def salva_tappa(
    *, session: Session, id: int, anno: int | None, titolo: str, testo: str, versione: int
) -> Posizione:
    """Save a milestone if still at `versione`; a new year moves it into year order."""
    _aggiorna(session, Tappa, id, versione, anno=anno, titolo=titolo, testo=testo)
    tappe = _ordinati(session, Tappa)
    tappa = next(t for t in tappe if t.id == id)
    _ricolloca(tappe, tappa)
    _numera(tappe)
    repository.segna_modifica(session=session)
    session.commit()
    return _posizione(tappe, tappa)


def aggiungi_tappa(*, session: Session, anno: int | None, titolo: str, testo: str) -> Posizione:
    """Add a milestone at the end of the timeline, or where its year puts it."""
    tappe = _ordinati(session, Tappa)
    tappa = Tappa(anno=anno, titolo=titolo, testo=testo, posizione=len(tappe))
    session.add(tappa)
    tappe.append(tappa)
    _ricolloca(tappe, tappa)
    _numera(tappe)
    repository.segna_modifica(session=session)
    session.commit()
    return _posizione(tappe, tappa)


def salva_valore(*, session: Session, id: int, titolo: str, testo: str, versione: int) -> None:
    """Save a value if it is still at `versione`."""
    _aggiorna(session, Valore, id, versione, titolo=titolo, testo=testo)
    repository.segna_modifica(session=session)
    session.commit()


def aggiungi_valore(*, session: Session, titolo: str, testo: str) -> Posizione:
    """Add a value at the end of the list."""
    totale = session.exec(select(func.count()).select_from(Valore)).one()
    session.add(Valore(titolo=titolo, testo=testo, posizione=totale))
    repository.segna_modifica(session=session)
    session.commit()
    return Posizione(totale + 1, totale + 1)


def elimina(*, session: Session, modello: type[Tappa] | type[Valore], id: int, versione: int):
    """Delete a milestone or value, unless someone changed it since `versione`."""
    elemento = session.get(modello, id)
    if elemento is None:
        raise NonTrovato(id)
    if elemento.versione != versione:
        raise Conflitto(elemento)
    session.delete(elemento)
    session.flush()
    _numera(_ordinati(session, modello))
    repository.segna_modifica(session=session)
    session.commit()


def sposta(*, session: Session, modello: type[Tappa] | type[Valore], id: int, di: int) -> Posizione:
    """Move a milestone or value one place up (`di=-1`) or down (`di=1`).

    Raises:
        NonTrovato: The item no longer exists.
        OrdineNonValido: The move would put dated milestones out of year order, or go
            past either end of the list.
    """
    elementi = _ordinati(session, modello)
    elemento = next((e for e in elementi if e.id == id), None)
    if elemento is None:
        raise NonTrovato(id)
    partenza = _indice(elementi, elemento)
    arrivo = partenza + di
    if di not in (-1, 1) or not 0 <= arrivo < len(elementi):
        raise OrdineNonValido("È già al limite dell’elenco.")
    elementi[partenza], elementi[arrivo] = elementi[arrivo], elementi[partenza]
    if modello is Tappa and not in_ordine_di_anno(elementi):
        raise OrdineNonValido("Le tappe con un anno restano in ordine cronologico.")
    _numera(elementi)
    repository.segna_modifica(session=session)
    session.commit()
    return _posizione(elementi, elemento)

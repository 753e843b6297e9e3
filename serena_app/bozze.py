"""Drafts: one working copy of the page, shared by every staff member, published at once.

The working copy is the page `BOZZA` in the same tables as the published one, so every read
and write of `pagina.py` works on it unchanged; draft writes pass `autore`, which marks the
item with who changed it and when. A milestone or value of the copy names the published row
it came from (`origine`; none for an item added in the draft).

* `apri` makes the copy, the first time a draft is written (or after a publish or discard it
  is kept as the copy of what is published).
* `differenze` lists what publishing would change, item by item.
* `pubblica` applies the copy to the published page in one locked transaction: published rows
  are updated in place (their ids stay), added items inserted, deleted ones removed. The copy
  then equals what is published again.
* `scarta` drops every change: the copy is made again from the published page.
"""

import dataclasses
from collections.abc import Sequence

from sqlmodel import Session, delete

from serena_app import db, pagina
from serena_app.models import Sezione, Tappa, Valore, VersionePagina
from serena_app.pagina import PUBBLICATA, Pagina
from serena_app.tipi import SEZIONE, SEZIONI, TAPPA, VALORE, Tipo

BOZZA = Pagina("bozza")
"""The working copy staff edit."""

ELENCHI: tuple[tuple[Tipo, type[Tappa] | type[Valore]], ...] = ((TAPPA, Tappa), (VALORE, Valore))
CAMPI_ELENCO = {TAPPA.nome: ("anno", "titolo", "testo"), VALORE.nome: ("titolo", "testo")}


@dataclasses.dataclass(frozen=True)
class Differenza:
    """One change publishing would make.

    Attributes:
        tipo: The kind's name ("sezione", "tappa", "valore").
        nome: How the item is named: the section's name, or the item's title.
        cosa: "modificata", "aggiunta", "eliminata" or "spostata".
    """

    tipo: str
    nome: str
    cosa: str


def _esiste(session: Session) -> bool:
    return session.get(VersionePagina, BOZZA.nome) is not None


def _copia(session: Session) -> None:
    """Fill the working copy with the published page (in the caller's locked transaction)."""
    for sezione in pagina.leggi_sezioni(session=session, pagina=PUBBLICATA).values():
        session.add(
            Sezione(
                pagina=BOZZA.nome,
                chiave=sezione.chiave,
                testo=sezione.testo,
                versione=sezione.versione,
            )
        )
    for tipo, modello in ELENCHI:
        for riga in pagina.leggi_elenco(session=session, pagina=PUBBLICATA, modello=modello):
            campi = {c: getattr(riga, c) for c in CAMPI_ELENCO[tipo.nome]}
            session.add(
                modello(
                    pagina=BOZZA.nome,
                    origine=riga.id,
                    posizione=riga.posizione,
                    versione=riga.versione,
                    **campi,
                )
            )
    session.flush()


def _svuota(session: Session) -> None:
    for modello in (Sezione, Tappa, Valore):
        session.exec(delete(modello).where(modello.pagina == BOZZA.nome))


def apri(*, session: Session) -> None:
    """Make the working copy if there is none yet; commits."""
    with db.transazione_bloccata(session, VersionePagina):
        if not _esiste(session):
            _copia(session)
            pagina.incrementa_versione(session=session, pagina=BOZZA)


def scarta(*, session: Session) -> int:
    """Drop every draft change: the copy is made again from the published page; commits.

    Returns:
        The working copy's new counter.
    """
    with db.transazione_bloccata(session, VersionePagina):
        _svuota(session)
        session.flush()
        _copia(session)
        numero = pagina.incrementa_versione(session=session, pagina=BOZZA)
    return numero


def differenze(*, session: Session) -> list[Differenza]:
    """What publishing would change, sections first, then milestones and values in order."""
    if not _esiste(session):
        return []
    elenco: list[Differenza] = []
    pubblicate = pagina.leggi_sezioni(session=session, pagina=PUBBLICATA)
    for chiave, sezione in pagina.leggi_sezioni(session=session, pagina=BOZZA).items():
        originale = pubblicate.get(chiave)
        if originale is None or originale.testo != sezione.testo:
            elenco.append(Differenza(SEZIONE.nome, SEZIONI.get(chiave, chiave), "modificata"))
    for tipo, modello in ELENCHI:
        elenco.extend(_differenze_elenco(session, tipo, modello))
    return elenco


def _differenze_elenco(session: Session, tipo: Tipo, modello) -> list[Differenza]:
    pubblicati = pagina.leggi_elenco(session=session, pagina=PUBBLICATA, modello=modello)
    copie = pagina.leggi_elenco(session=session, pagina=BOZZA, modello=modello)
    per_id = {r.id: r for r in pubblicati}
    ordine_pubblicato = [r.id for r in pubblicati if r.id in {c.origine for c in copie}]
    ordine_bozza = [c.origine for c in copie if c.origine in per_id]
    elenco = []
    for copia in copie:
        originale = per_id.get(copia.origine)
        if originale is None:
            elenco.append(Differenza(tipo.nome, copia.titolo, "aggiunta"))
        elif any(getattr(copia, c) != getattr(originale, c) for c in CAMPI_ELENCO[tipo.nome]):
            elenco.append(Differenza(tipo.nome, copia.titolo, "modificata"))
        elif ordine_pubblicato.index(originale.id) != ordine_bozza.index(originale.id):
            elenco.append(Differenza(tipo.nome, copia.titolo, "spostata"))
    rimasti = {c.origine for c in copie}
    elenco.extend(
        Differenza(tipo.nome, r.titolo, "eliminata") for r in pubblicati if r.id not in rimasti
    )
    return elenco


def pubblica(*, session: Session) -> int:
    """Publish the working copy in one locked transaction; commits (or changes nothing).

    Returns:
        The published page's new counter.
    """
    with db.transazione_bloccata(session, VersionePagina):
        pubblicate = pagina.leggi_sezioni(session=session, pagina=PUBBLICATA)
        for chiave, sezione in pagina.leggi_sezioni(session=session, pagina=BOZZA).items():
            originale = pubblicate.get(chiave)
            if originale is None:
                session.add(Sezione(pagina=PUBBLICATA.nome, chiave=chiave, testo=sezione.testo))
            elif originale.testo != sezione.testo:
                originale.testo, originale.versione = sezione.testo, originale.versione + 1
            sezione.autore = sezione.modificata = None
        for tipo, modello in ELENCHI:
            _pubblica_elenco(session, tipo, modello)
        pagina.incrementa_versione(session=session, pagina=BOZZA)
        numero = pagina.incrementa_versione(session=session, pagina=PUBBLICATA)
    return numero


def _pubblica_elenco(session: Session, tipo: Tipo, modello) -> None:
    pubblicati = {
        r.id: r for r in pagina.leggi_elenco(session=session, pagina=PUBBLICATA, modello=modello)
    }
    copie: Sequence = pagina.leggi_elenco(session=session, pagina=BOZZA, modello=modello)
    for posizione, copia in enumerate(copie):
        campi = {c: getattr(copia, c) for c in CAMPI_ELENCO[tipo.nome]}
        originale = pubblicati.pop(copia.origine, None) if copia.origine is not None else None
        if originale is None:
            originale = modello(pagina=PUBBLICATA.nome, posizione=posizione, **campi)
            session.add(originale)
            session.flush()  # gives the new published row its id
            copia.origine = originale.id
        elif any(getattr(originale, c) != v for c, v in campi.items()):
            for colonna, valore in campi.items():
                setattr(originale, colonna, valore)
            originale.versione += 1
        originale.posizione = posizione
        copia.autore = copia.modificata = None
    for eliminato in pubblicati.values():
        session.delete(eliminato)

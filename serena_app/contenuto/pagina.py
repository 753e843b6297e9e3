"""The page's content in the database: small keyword-only functions taking a session and a page.

A page reference says which page a row belongs to: the published page, its working copy, a
demo sandbox's pages, all in the same tables. Each write is one transaction with a version
check: a save carries the version the editor started from, `UPDATE … WHERE … AND versione = ?`
changes nothing if someone saved in between, and `Conflitto` then carries the newer text.
Every write bumps the page's counter and appends its revision to history (`registra`) in the
same transaction, and returns what it changed; `registra` first runs the checks others asked
for on every write (`controlla_ogni_scrittura`: the demo's caps on its sandboxes).

Each write first takes the write lock (`_blocca`), so the reads it decides on (the
list to re-number, the item to delete) cannot change before it commits; another writer waits
(SQLite's busy timeout) for the few milliseconds a write takes. Ordering costs O(n log n) and
copes with a list already out of year order (it puts it back in order).
"""

import dataclasses
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from serena_app import db
from serena_app.contenuto.tipi import (
    FONTE,
    SEZIONE,
    TAPPA,
    VALORE,
    Tipo,
    Voce,
    fonte,
    tipo_di,
)
from serena_app.contenuto.viste import ANNO, CIMA, FONDO
from serena_app.lingue import INGLESE, ITALIANO
from serena_app.models import (
    MODELLI,
    MODELLI_ELENCO,
    Revisione,
    Sezione,
    Tappa,
    Valore,
    VersionePagina,
)


@dataclasses.dataclass(frozen=True)
class Pagina:
    """Which page: its name in the `pagina` column of every content table."""

    nome: str


PUBBLICATA = Pagina("pubblicata")
"""The page visitors see."""

SUFFISSO_BOZZA = "-bozza"  # a demo sandbox's working copy: its published page's name + this

BOZZA = Pagina("bozza")
"""The working copy staff edit (see `bozze.py`)."""


@dataclasses.dataclass(frozen=True)
class Spazio:
    """A published page and its working copy: the site's, or a demo sandbox's."""

    pubblicata: Pagina
    bozza: Pagina

    @classmethod
    def di(cls, pubblicata: Pagina) -> "Spazio":
        """The pair of the published page `pubblicata`."""
        if pubblicata == PUBBLICATA:
            return SITO
        return cls(pubblicata, Pagina(pubblicata.nome + SUFFISSO_BOZZA))

    @classmethod
    def della_sessione(cls, sandbox: str | None) -> "Spazio":
        """Where a session edits: its demo sandbox (the name of its published page), or the
        site."""
        return cls.di(Pagina(sandbox)) if sandbox else SITO

    @classmethod
    def della_bozza(cls, bozza: Pagina) -> "Spazio | None":
        """The pair whose working copy is `bozza`; None if `bozza` is a published page."""
        if bozza == BOZZA:
            return SITO
        if bozza.nome.endswith(SUFFISSO_BOZZA):
            return cls(Pagina(bozza.nome.removesuffix(SUFFISSO_BOZZA)), bozza)
        return None


SITO = Spazio(PUBBLICATA, BOZZA)
"""The site's own pages: what visitors see and what staff edit."""


def pubblicata_di(pagina: Pagina) -> Pagina:
    """The published page of `pagina`'s pair: itself, or the page whose working copy it is."""
    spazio = Spazio.della_bozza(pagina)
    return pagina if spazio is None else spazio.pubblicata


Elemento = Sezione | Tappa | Valore
M = TypeVar("M", bound=Tappa | Valore)


class NonTrovato(LookupError):
    """The item no longer exists (someone deleted it)."""


class CopiaMancante(LookupError):
    """A write to a working copy that was never made (`bozze.apri` makes it)."""


class Conflitto(Exception):
    """Someone else saved this item first; `attuale` is what is stored now."""

    def __init__(self, attuale: Elemento):
        super().__init__("modificato da un’altra persona")
        self.attuale = attuale


class ElencoPieno(Exception):
    """The list already holds as many items as its kind allows (`Tipo.massimo`)."""


class OrdineNonValido(ValueError):
    """A move that would put dated milestones out of year order, or past an end of the list."""


@dataclasses.dataclass(frozen=True)
class Scrittura:
    """What a write changed.

    Attributes:
        versione_pagina: The page's counter after the write.
        elemento: The item as stored now (as it was, for a delete).
        elenco: For milestones and values, the whole list of that kind in display order
            after the write; None for a section.
    """

    versione_pagina: int
    elemento: Elemento
    elenco: Sequence[Tappa] | Sequence[Valore] | None = None

    @property
    def posizione(self) -> tuple[int, int]:
        """Where the item stands now: (1-based place, how many there are)."""
        elenco = self.elenco or ()
        elemento = self.elemento
        if isinstance(elemento, Sezione):  # sections form no list
            return 0, len(elenco)
        numero = next((i for i, e in enumerate(elenco, 1) if e.id == elemento.id), 0)
        return numero, len(elenco)


# Reads


def leggi_sezioni(*, session: Session, pagina: Pagina) -> dict[str, Sezione]:
    """All text sections of the page, by key."""
    righe = session.exec(select(Sezione).where(Sezione.pagina == pagina.nome))
    return {s.chiave: s for s in righe}


def leggi_elenco(*, session: Session, pagina: Pagina, modello: type[M]) -> list[M]:
    """The page's milestones or values in display order."""
    return list(
        session.exec(
            select(modello)
            .where(modello.pagina == pagina.nome)
            .order_by(col(modello.posizione), col(modello.id))
        )
    )


def leggi_elemento(*, session: Session, pagina: Pagina, voce: Voce) -> Elemento | None:
    """The stored item `voce` names on the page, or None if it does not exist there."""
    if voce.tipo == SEZIONE.nome:
        return session.get(Sezione, (pagina.nome, voce.chiave))
    elemento = session.get(MODELLI[voce.tipo], voce.id)
    return elemento if elemento is not None and elemento.pagina == pagina.nome else None


def contenuto_di(*, session: Session, pagina: Pagina, codici: bool = False) -> dict[str, Any]:
    """The page's texts as plain data: sections by key (their English in "sezioni_en"),
    milestones and values in order with their English (and their lasting `codice` if asked:
    history's snapshots keep it, exports do not)."""

    def dati(riga: Tappa | Valore, tipo: Tipo) -> dict[str, Any]:
        campi = {c: getattr(riga, c) for c in colonne(tipo)}
        return {**campi, "codice": riga.codice} if codici else campi

    sezioni = sorted(leggi_sezioni(session=session, pagina=pagina).items())
    return {
        "sezioni": {k: s.testo for k, s in sezioni},
        "sezioni_en": {k: {c: getattr(s, c) for c in colonne(SEZIONE)[1:]} for k, s in sezioni},
        "tappe": [
            dati(t, TAPPA) for t in leggi_elenco(session=session, pagina=pagina, modello=Tappa)
        ],
        "valori": [
            dati(v, VALORE) for v in leggi_elenco(session=session, pagina=pagina, modello=Valore)
        ],
    }


def quanti(*, session: Session, pagina: Pagina, tipo: Tipo) -> int:
    """How many milestones or values the page has."""
    modello = MODELLI[tipo.nome]
    return session.exec(
        select(func.count()).select_from(modello).where(modello.pagina == pagina.nome)
    ).one()


def versione_pagina(*, session: Session, pagina: Pagina) -> int:
    """The page's change counter (0 for a page without content)."""
    riga = session.get(VersionePagina, pagina.nome)
    return 0 if riga is None else riga.numero


def incrementa_versione(*, session: Session, pagina: Pagina, nuova: bool = False) -> int:
    """Add one to the page's counter in the caller's transaction, atomically.

    Args:
        nuova: A working copy being made (`bozze.crea_copia`): its counter starts now.

    Returns:
        The new number. Two concurrent writers never get the same one.

    Raises:
        CopiaMancante: `pagina` is a working copy never made; the caller rolls back.
    """
    numero = session.exec(
        update(VersionePagina)
        .where(col(VersionePagina.pagina) == pagina.nome)
        .values(numero=col(VersionePagina.numero) + 1)
        .returning(col(VersionePagina.numero))
    ).scalar_one_or_none()
    if numero is None:  # the page's first write: seeding, or a working copy being made
        if not nuova and Spazio.della_bozza(pagina) is not None:
            raise CopiaMancante(pagina)
        session.add(VersionePagina(pagina=pagina.nome, numero=1))
        session.flush()
        numero = 1
    return numero


# Writes


def _blocca(session: Session) -> None:
    """Start the write's transaction holding the write lock, before any read.

    On SQLite the database's single write lock; on PostgreSQL the page counters' table,
    which every write updates, so content writers queue behind each other.
    """
    db.blocca(session, VersionePagina)


def _ordinati(session: Session, pagina: Pagina, tipo: Tipo) -> list[Tappa | Valore]:
    return leggi_elenco(session=session, pagina=pagina, modello=MODELLI_ELENCO[tipo.nome])


def _numera(elementi: list) -> None:
    for posizione, elemento in enumerate(elementi):
        elemento.posizione = posizione


def in_ordine_di_anno(elementi: Sequence) -> bool:
    """Whether the dated milestones appear in year order (undated ones may stand anywhere;
    values have no year)."""
    anni = [a for e in elementi if (a := getattr(e, "anno", None)) is not None]
    return anni == sorted(anni)


def fermo(elenco: Sequence, indice: int, di: int) -> str:
    """Why the item at `indice` of `elenco` (a list in display order) cannot move one place
    up (`di=-1`) or down (`di=1`): `CIMA` or `FONDO` at an end of the list, `ANNO` if dated
    milestones would be out of year order; "" if it can. `sposta` refuses the same moves."""
    arrivo = indice + di
    if arrivo < 0:
        return CIMA
    if arrivo >= len(elenco):
        return FONDO
    # Swapping neighbours changes the order of these two only.
    if not in_ordine_di_anno([elenco[max(indice, arrivo)], elenco[min(indice, arrivo)]]):
        return ANNO
    return ""


def _indice(elementi: list, elemento) -> int:
    # By identity: table models compare equal by their field values.
    return next(i for i, e in enumerate(elementi) if e is elemento)


def _riordina_anni(elementi: list) -> None:
    """Put the dated milestones back in year order in the places dated ones hold; undated
    ones keep theirs. Only needed for data stored out of order before the rule held."""
    posti = [i for i, e in enumerate(elementi) if getattr(e, "anno", None) is not None]
    datati = sorted((elementi[i] for i in posti), key=lambda e: e.anno)
    for posto, elemento in zip(posti, datati, strict=True):
        elementi[posto] = elemento


def _ricolloca(elementi: list, elemento) -> None:
    """Move `elemento` (a new or re-dated milestone) to the nearest place that keeps the years
    in order; an undated one, or a value, stays where it is. O(n log n)."""
    anno = getattr(elemento, "anno", None)
    if anno is None or in_ordine_di_anno(elementi):
        return
    partenza = _indice(elementi, elemento)
    del elementi[partenza]
    _riordina_anni(elementi)
    # With the others in order, the places that fit run from just after the last earlier
    # year to just before the first later one.
    anni = [e.anno for e in elementi]
    primo = max((i + 1 for i, a in enumerate(anni) if a is not None and a < anno), default=0)
    ultimo = min((i for i, a in enumerate(anni) if a is not None and a > anno), default=len(anni))
    elementi.insert(min(max(partenza, primo), ultimo), elemento)


def colonne(tipo: Tipo) -> tuple[str, ...]:
    """The columns staff edit on an item of `tipo`, in every language, with the Italian its
    English was translated from (`traduzioni.py`)."""
    return (*(c.nome for c in tipo.campi_di_tutte), FONTE)


def campi_di(elemento: Elemento) -> dict[str, Any]:
    """An item's editable fields in every language (and, in a list, its place) as history
    keeps them."""
    campi = {c: getattr(elemento, c) for c in colonne(tipo_di(elemento))}
    if isinstance(elemento, Sezione):
        return campi
    return {**campi, "posizione": elemento.posizione}


def lingua_di(campi: dict) -> str | None:
    """The language of the texts a save's fields are ("titolo_en" → English); None for both
    (an item brought back whole)."""
    inglesi = any(n.endswith(f"_{INGLESE}") for n in campi if n != FONTE)
    italiani = any(not n.endswith(f"_{INGLESE}") for n in campi)
    if inglesi and italiani:
        return None
    return INGLESE if inglesi else ITALIANO


def chiave_di(elemento: Elemento) -> str:
    """The name history gives an item: a section's key, a milestone's or value's code."""
    return elemento.chiave if isinstance(elemento, Sezione) else elemento.codice


Controllo = Callable[[Session, Revisione, str], None]
"""A check of every write: the session holding the write lock, the write's revision (not yet
added; its `spazio` names the published page), the name of that page's working copy. It
raises to refuse the write."""
_controlli: list[tuple[str, Controllo]] = []


def controlla_ogni_scrittura(controllo: Controllo, *, prefisso: str) -> None:
    """Run `controllo` in the transaction of every write to a pair whose published page's
    name begins with `prefisso`, before its revision is added. Other writes never call it."""
    _controlli.append((prefisso, controllo))


def registra(
    session: Session,
    *,
    pagina: Pagina,
    tipo: str,
    chiave: str,
    azione: str,
    autore: str | None,
    prima: dict | None = None,
    dopo: dict | None = None,
    annulla: int | None = None,
    lingua: str | None = None,
) -> Revisione:
    """Add one revision to the caller's transaction (history is only ever added to).

    Args:
        pagina: The page written: the published page or its working copy; the revision
            belongs to the published page of that pair.
        lingua: The language of the texts a save changed (None: the item or page itself).

    Raises:
        Exception: What a check of `controlla_ogni_scrittura` raised (the demo's
            `LimiteRaggiunto`); the whole write is rolled back.
    """
    spazio = pubblicata_di(pagina).nome
    revisione = Revisione(
        spazio=spazio,
        tipo=tipo,
        chiave=chiave,
        azione=azione,
        autore=autore,
        quando=datetime.now(UTC),
        prima=None if prima is None else json.dumps(prima, ensure_ascii=False),
        dopo=None if dopo is None else json.dumps(dopo, ensure_ascii=False),
        annulla=annulla,
        lingua=lingua,
    )
    try:
        for prefisso, controllo in _controlli:
            if spazio.startswith(prefisso):
                controllo(session, revisione, spazio + SUFFISSO_BOZZA)
    except Exception:
        session.rollback()
        raise
    session.add(revisione)
    return revisione


def _storia(
    session: Session,
    pagina: Pagina,
    elemento: Elemento,
    azione: str,
    autore: str | None,
    prima: dict | None,
    dopo: dict | None,
    annulla: int | None = None,
    lingua: str | None = None,
) -> None:
    registra(
        session,
        pagina=pagina,
        tipo=tipo_di(elemento).nome,
        chiave=chiave_di(elemento),
        azione=azione,
        autore=autore,
        prima=prima,
        dopo=dopo,
        annulla=annulla,
        lingua=lingua,
    )


def _firmata(autore: str | None) -> dict:
    """The columns a draft write sets: who and when (nothing for a write without an author)."""
    return {} if autore is None else {"autore": autore, "modificata": datetime.now(UTC)}


def _fine(session: Session, pagina: Pagina, elemento: Elemento, elenco=None) -> Scrittura:
    """Bump the page's counter, commit, and say what changed."""
    scrittura = Scrittura(incrementa_versione(session=session, pagina=pagina), elemento, elenco)
    session.commit()
    return scrittura


def salva(
    *,
    session: Session,
    pagina: Pagina,
    voce: Voce,
    campi: dict,
    versione: int,
    autore: str | None = None,
    azione: str = "salvata",
    annulla: int | None = None,
) -> Scrittura:
    """Save an item's fields if it is still at `versione`; a new year moves a milestone into
    year order. History keeps the fields before and after, and their language (`azione`:
    "salvata", or "ripristinata" and "annullata" for a restore or an undo, which names the
    revision it reverses in `annulla`). An English save records the Italian it translates
    (`tipi.fonte`), unless `campi` bring their own (a restore).

    Raises:
        Conflitto: Someone saved it since `versione`.
        NonTrovato: It no longer exists.
    """
    _blocca(session)
    vecchio = leggi_elemento(session=session, pagina=pagina, voce=voce)
    prima = campi_di(vecchio) if vecchio is not None else None
    lingua = lingua_di(campi)
    if lingua == INGLESE and FONTE not in campi and vecchio is not None:
        campi = {**campi, FONTE: fonte(vecchio)}
    if vecchio is not None:
        session.expire(vecchio)  # the UPDATE below changes the row behind the ORM's back
    modello = MODELLI[voce.tipo]
    trovato = (
        (col(modello.pagina) == pagina.nome, col(modello.chiave) == voce.chiave)
        if issubclass(modello, Sezione)
        else (col(modello.pagina) == pagina.nome, col(modello.id) == voce.id)
    )
    risultato = session.exec(
        update(modello)
        .where(*trovato, col(modello.versione) == versione)
        .values(versione=col(modello.versione) + 1, **campi, **_firmata(autore))
    )
    if risultato.rowcount != 1:
        session.rollback()
        attuale = leggi_elemento(session=session, pagina=pagina, voce=voce)
        raise NonTrovato(voce) if attuale is None else Conflitto(attuale)
    if not voce.genere.in_elenco:
        elemento = leggi_elemento(session=session, pagina=pagina, voce=voce)
        if elemento is None:  # cannot be: the UPDATE above matched it, in this transaction
            raise NonTrovato(voce)
        elenco = None
    else:
        elenco = _ordinati(session, pagina, voce.genere)
        elemento = next(e for e in elenco if e.id == voce.id)
        _ricolloca(elenco, elemento)
        _numera(elenco)
    _storia(session, pagina, elemento, azione, autore, prima, campi_di(elemento), annulla, lingua)
    return _fine(session, pagina, elemento, elenco)


def aggiungi(
    *,
    session: Session,
    pagina: Pagina,
    tipo: Tipo,
    campi: dict,
    autore: str | None = None,
    codice: str | None = None,
    posizione: int | None = None,
    azione: str = "aggiunta",
    annulla: int | None = None,
) -> Scrittura:
    """Add a milestone or value at the end of its list (or at `posizione`), or where its year
    puts it. A restored or undeleted item gets its old `codice` back, so its history goes on.

    Raises:
        ElencoPieno: The list is full.
    """
    _blocca(session)
    elenco = _ordinati(session, pagina, tipo)
    if len(elenco) >= tipo.massimo:
        session.rollback()
        raise ElencoPieno(tipo)
    elemento = MODELLI_ELENCO[tipo.nome](
        pagina=pagina.nome, posizione=len(elenco), **campi, **_firmata(autore)
    )
    if codice:
        elemento.codice = codice
    session.add(elemento)
    elenco.insert(len(elenco) if posizione is None else max(0, posizione), elemento)
    _ricolloca(elenco, elemento)
    _numera(elenco)
    session.flush()  # gives the new row its id
    _storia(session, pagina, elemento, azione, autore, None, campi_di(elemento), annulla)
    return _fine(session, pagina, elemento, elenco)


def elimina(
    *,
    session: Session,
    pagina: Pagina,
    voce: Voce,
    versione: int,
    autore: str | None = None,
    azione: str = "eliminata",
    annulla: int | None = None,
) -> Scrittura:
    """Delete a milestone or value, unless someone changed it since `versione`; history keeps
    it, so it can come back."""
    _blocca(session)
    elemento = leggi_elemento(session=session, pagina=pagina, voce=voce)
    if elemento is None:
        raise NonTrovato(voce)
    if elemento.versione != versione:
        raise Conflitto(elemento)
    _storia(session, pagina, elemento, azione, autore, campi_di(elemento), None, annulla)
    session.delete(elemento)
    session.flush()
    elenco = _ordinati(session, pagina, voce.genere)
    _numera(elenco)
    return _fine(session, pagina, elemento, elenco)


def sposta(
    *,
    session: Session,
    pagina: Pagina,
    voce: Voce,
    di: int,
    autore: str | None = None,
    azione: str = "spostata",
    annulla: int | None = None,
) -> Scrittura:
    """Move a milestone or value one place up (`di=-1`) or down (`di=1`).

    Raises:
        NonTrovato: The item no longer exists.
        OrdineNonValido: The move would put dated milestones out of year order, or go
            past either end of the list.
    """
    _blocca(session)
    elenco = _ordinati(session, pagina, voce.genere)
    elemento = next((e for e in elenco if e.id == voce.id), None)
    if elemento is None:
        raise NonTrovato(voce)
    partenza = _indice(elenco, elemento)
    motivo = fermo(elenco, partenza, di) if di in (-1, 1) else FONDO
    if motivo == ANNO:
        raise OrdineNonValido("Le tappe con un anno restano in ordine cronologico.")
    if motivo:
        raise OrdineNonValido("È già al limite dell’elenco.")
    arrivo = partenza + di
    elenco[partenza], elenco[arrivo] = elenco[arrivo], elenco[partenza]
    for colonna, valore in _firmata(autore).items():
        setattr(elemento, colonna, valore)
    _numera(elenco)
    dopo = campi_di(elemento)
    _storia(
        session, pagina, elemento, azione, autore, {**dopo, "posizione": partenza}, dopo, annulla
    )
    return _fine(session, pagina, elemento, elenco)

"""A page as visitors see it, kept in memory per page: every visitor's state starts from it.

A page load costs no content query: one small query of the page's counter tells whether the
snapshot is still current. After a write, the snapshot takes in what the write returned,
without reading the page again.
"""

import dataclasses
import threading
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from serena_app import db
from serena_app.contenuto import bozze, traduzioni
from serena_app.contenuto.pagina import (
    PUBBLICATA,
    Pagina,
    Scrittura,
    Spazio,
    fermo,
    leggi_elenco,
    leggi_sezioni,
    versione_pagina,
)
from serena_app.contenuto.viste import TappaVista, ValoreVista
from serena_app.lingue import INGLESE, ITALIANO
from serena_app.models import Sezione, Tappa, Valore, VersionePagina


@dataclasses.dataclass(frozen=True)
class Istantanea:
    """Everything the visitor page shows that staff can edit, at one value of its counter, in
    each language: the English page shows an item's Italian where its English is missing
    (`lingue_en`, the `lingua` of each milestone and value, say which)."""

    pagina: Pagina
    sezioni: dict[str, list[str]]
    tappe: list[TappaVista]
    valori: list[ValoreVista]
    versione: int
    bozze: dict[str, str] = dataclasses.field(default_factory=dict)
    """On the working copy: the marker of each section with a draft, by key."""
    modifiche: list[str] = dataclasses.field(default_factory=list)
    """On the working copy: what publishing would change, one line each."""
    sezioni_en: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    lingue_en: dict[str, str] = dataclasses.field(default_factory=dict)
    """The language each section is shown in on the English page."""
    tappe_en: list[TappaVista] = dataclasses.field(default_factory=list)
    valori_en: list[ValoreVista] = dataclasses.field(default_factory=list)
    traduzioni: dict[str, str] = dataclasses.field(default_factory=dict)
    """On the working copy: each section whose English is missing or out of date, by key
    (milestones and values say it in their `traduzione`)."""


def paragrafi(testo: str) -> list[str]:
    """Split a text into its paragraphs (separated by a blank line)."""
    return [p.strip() for p in testo.split("\n\n") if p.strip()]


def _tappe(righe: Sequence[Tappa], lingua: str, bozza: bool) -> list[TappaVista]:
    viste = []
    for i, t in enumerate(righe):
        testi, mostrata = traduzioni.testi(t, lingua)
        viste.append(
            TappaVista(
                t.id or 0,
                i + 1,
                "" if t.anno is None else str(t.anno),
                testi["titolo"],
                testi["testo"],
                bozze.firma(t.autore, t.modificata),
                su=fermo(righe, i, -1),
                giu=fermo(righe, i, 1),
                lingua=mostrata,
                traduzione=traduzioni.stato(t) if bozza else "",
            )
        )
    return viste


def _valori(righe: Sequence[Valore], lingua: str, bozza: bool) -> list[ValoreVista]:
    viste = []
    for i, v in enumerate(righe):
        testi, mostrata = traduzioni.testi(v, lingua)
        viste.append(
            ValoreVista(
                v.id or 0,
                i + 1,
                testi["titolo"],
                testi["testo"],
                bozze.firma(v.autore, v.modificata),
                su=fermo(righe, i, -1),
                giu=fermo(righe, i, 1),
                lingua=mostrata,
                traduzione=traduzioni.stato(v) if bozza else "",
            )
        )
    return viste


def _sezioni(righe: Iterable[Sezione], bozza: bool) -> dict:
    """The sections' fields of a snapshot, in both languages."""
    campi: dict = {"sezioni": {}, "sezioni_en": {}, "lingue_en": {}, "bozze": {}}
    campi["traduzioni"] = {}
    for sezione in righe:
        chiave = sezione.chiave
        campi["sezioni"][chiave] = paragrafi(sezione.testo)
        testi, mostrata = traduzioni.testi(sezione, INGLESE)
        campi["sezioni_en"][chiave] = paragrafi(testi["testo"])
        campi["lingue_en"][chiave] = mostrata
        if firma := bozze.firma(sezione.autore, sezione.modificata):
            campi["bozze"][chiave] = firma
        if bozza and (stato := traduzioni.stato(sezione)):
            campi["traduzioni"][chiave] = stato
    return campi


def _elenchi(tappe: Sequence[Tappa] | None, valori: Sequence[Valore] | None, bozza: bool):
    """The lists' fields of a snapshot, in both languages (those given)."""
    campi: dict = {}
    if tappe is not None:
        campi["tappe"] = _tappe(tappe, ITALIANO, bozza)
        campi["tappe_en"] = _tappe(tappe, INGLESE, bozza)
    if valori is not None:
        campi["valori"] = _valori(valori, ITALIANO, bozza)
        campi["valori_en"] = _valori(valori, INGLESE, bozza)
    return campi


def leggi_istantanea(*, session: Session, pagina: Pagina) -> Istantanea:
    """Read a whole page from the database (the working copy with its markers and changes)."""
    sezioni = leggi_sezioni(session=session, pagina=pagina)
    spazio = Spazio.della_bozza(pagina)
    tappe = leggi_elenco(session=session, pagina=pagina, modello=Tappa)
    valori = leggi_elenco(session=session, pagina=pagina, modello=Valore)
    return Istantanea(
        pagina=pagina,
        versione=versione_pagina(session=session, pagina=pagina),
        modifiche=(
            [str(d) for d in bozze.differenze(session=session, spazio=spazio)] if spazio else []
        ),
        **_sezioni(sezioni.values(), spazio is not None),
        **_elenchi(tappe, valori, spazio is not None),
    )


def con_scrittura(istantanea: Istantanea, scrittura: Scrittura) -> Istantanea:
    """The snapshot with one write applied: the section's text, or the kind's whole list."""
    elemento = scrittura.elemento
    bozza = Spazio.della_bozza(istantanea.pagina) is not None
    cambiato: dict = {"versione": scrittura.versione_pagina}
    if isinstance(elemento, Sezione):
        for campo, valori in _sezioni([elemento], bozza).items():
            attuali = {**getattr(istantanea, campo)}
            attuali.pop(elemento.chiave, None)
            cambiato[campo] = {**attuali, **valori}
    elif isinstance(elemento, Tappa):  # then the list holds milestones only
        tappe = [t for t in scrittura.elenco or () if isinstance(t, Tappa)]
        cambiato.update(_elenchi(tappe, None, bozza))
    else:
        valori = [v for v in scrittura.elenco or () if isinstance(v, Valore)]
        cambiato.update(_elenchi(None, valori, bozza))
    return dataclasses.replace(istantanea, **cambiato)


_lock = threading.Lock()
_in_memoria: dict[Pagina, Istantanea] = {}


def in_memoria(pagina: Pagina = PUBBLICATA) -> Istantanea:
    """The snapshot this server holds of `pagina`, read from the database on first use."""
    with _lock:
        if pagina not in _in_memoria:
            with db.session() as session:
                _in_memoria[pagina] = leggi_istantanea(session=session, pagina=pagina)
        return _in_memoria[pagina]


def gia_letta(pagina: Pagina = PUBBLICATA) -> Istantanea | None:
    """The snapshot this server last read of `pagina`, without asking the database (it may
    be down for a moment); None if it has none."""
    with _lock:
        return _in_memoria.get(pagina)


def _versione(pagina: Pagina) -> int:
    """The page's counter, by the cheapest query (every page view asks it): no ORM session."""
    return contatori([pagina]).get(pagina.nome, 0)


def contatori(pagine: Iterable[Pagina]) -> dict[str, int]:
    """The counters of `pagine` by page name, in one small query (no ORM session)."""
    nomi = [p.nome for p in pagine]
    consulta = select(VersionePagina.pagina, VersionePagina.numero).where(
        col(VersionePagina.pagina).in_(nomi)
    )
    with db.engine(db.database_url()).connect() as connessione:
        return {nome: numero for nome, numero in connessione.execute(consulta)}


def aggiornata(pagina: Pagina = PUBBLICATA, *, session: Session | None = None) -> Istantanea:
    """The current page: the snapshot, read again first if the database has a newer one (in
    `session` if given, else in a connection and a session of its own)."""
    if session is None:
        versione = _versione(pagina)
    else:
        versione = versione_pagina(session=session, pagina=pagina)
    with _lock:
        attuale = _in_memoria.get(pagina)
        if attuale is not None and attuale.versione == versione:
            return attuale
    if session is not None:
        nuova = leggi_istantanea(session=session, pagina=pagina)
    else:
        with db.session() as propria:
            nuova = leggi_istantanea(session=propria, pagina=pagina)
    with _lock:
        attuale = _in_memoria.get(pagina)
        if attuale is None or attuale.versione <= nuova.versione:
            _in_memoria[pagina] = nuova
        return nuova


def dimentica(*pagine: Pagina) -> None:
    """Drop the snapshots of pages that no longer exist (an ended demo sandbox)."""
    with _lock:
        for pagina in pagine:
            _in_memoria.pop(pagina, None)


def dimentica_tutte() -> None:
    """Drop every snapshot: the database is another one (a test's fresh database, whose
    counters may repeat the last one's)."""
    with _lock:
        _in_memoria.clear()


def dopo(scrittura: Scrittura, pagina: Pagina, *, session: Session) -> Istantanea:
    """The snapshot after `scrittura`, read in the write's own `session`: applied in memory
    when it is the next change of the snapshot held (on a working copy, only its list of
    changes is read again: it depends on both pages); read again if other writes (another
    process) came in between."""
    with _lock:
        attuale = _in_memoria.get(pagina)
    if attuale is None or attuale.versione != scrittura.versione_pagina - 1:
        return aggiornata(pagina, session=session)
    nuova = con_scrittura(attuale, scrittura)
    if spazio := Spazio.della_bozza(pagina):
        modifiche = [str(d) for d in bozze.differenze(session=session, spazio=spazio)]
        nuova = dataclasses.replace(nuova, modifiche=modifiche)
    with _lock:
        if _in_memoria.get(pagina) is attuale:
            _in_memoria[pagina] = nuova
    return nuova

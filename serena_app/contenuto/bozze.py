"""Drafts: one working copy of the page, shared by every staff member, published at once.

The working copy is a page in the same tables as the published one (`BOZZA` for the site; a
demo sandbox has its own pair, see `pagina.Spazio`), so every read and write of `pagina.py`
works on it unchanged; draft writes pass `autore`, which marks the item with who changed it
and when. A milestone or value of the copy names the published row it came from (`origine`;
none for an item added in the draft).

* `crea_copia` makes the copy when its pair is made: the site's when it is seeded (`semina`), a
  sandbox's when it opens. After a publish or discard it is kept as the copy of what is
  published. `apri` makes a copy that is missing, or gives it the sections a newer version
  of the site added: at each start (`semina`), and before a publish, an import, a restore or
  an undo.
* `differenze` lists what publishing would change, item by item.
* `pubblica` applies the copy to the published page in one locked transaction: published rows
  are updated in place (their ids stay), added items inserted, deleted ones removed. The copy
  then equals what is published again.
* `scarta` drops every change: the copy is made again from the published page.

History (`revisione`) keeps each published page, and each working copy discarded, whole.
"""

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from serena_app import db
from serena_app.contenuto import pagina, traduzioni
from serena_app.contenuto.pagina import Spazio
from serena_app.contenuto.parole import testo_di
from serena_app.contenuto.tipi import FONTE, NOMI_LINGUE, SEZIONE, TAPPA, TIPI, VALORE, Tipo
from serena_app.lingue import INGLESE, tempo
from serena_app.models import MODELLI_ELENCO, Sezione, Tappa, Valore, VersionePagina

ELENCHI = (TAPPA, VALORE)
PAGINA = "pagina"  # history's kind for a whole page (a publish, a discard)


def firma(autore: str | None, quando: datetime | None) -> str:
    """The marker of an item with a draft, e.g. "Bozza di anna · 30 novembre, 19:03" (Italian
    time); "" for an item without one."""
    if not autore or quando is None:
        return ""
    return f"Bozza di {autore} · {tempo.giorno_e_ora(quando)}"


@dataclasses.dataclass(frozen=True)
class Differenza:
    """One change publishing would make.

    Attributes:
        tipo: The kind's name ("sezione", "tappa", "valore").
        nome: The section's key, or the item's title.
        cosa: "modificata", "aggiunta", "eliminata" or "spostata".
    """

    tipo: str
    nome: str
    cosa: str
    solo_inglese: bool = False  # a change of the English texts only

    def __str__(self) -> str:
        """E.g. "Tappa «La fondazione»: modificata", "Valore «Ascolto» in inglese:
        modificato", "Testo della mission: modificato" (the participle agrees with "Testo",
        or with the kind)."""
        radice = self.cosa[:-1]
        lingua = f" in {NOMI_LINGUE[INGLESE]}" if self.solo_inglese else ""
        if self.tipo == SEZIONE.nome:
            return f"{testo_di(self.nome)}{lingua}: {SEZIONE.participio(radice)}"
        genere = TIPI[self.tipo]
        return f"{self.tipo.capitalize()} «{self.nome}»{lingua}: {genere.participio(radice)}"


class BozzaCambiata(Exception):
    """The working copy changed since the staff member asked to publish or discard it."""


def _controlla(
    session: Session, spazio: Spazio, versione: int | None, elenco: Sequence[str] | None = None
) -> None:
    attuale = pagina.versione_pagina(session=session, pagina=spazio.bozza)
    if versione is not None and attuale != versione:
        raise BozzaCambiata
    if elenco is not None and [str(d) for d in differenze(session=session, spazio=spazio)] != list(
        elenco
    ):
        raise BozzaCambiata


_campi = pagina.colonne  # the columns a draft changes, in every language


def _cambiata(originale, copia, tipo: Tipo) -> Differenza | None:
    """How the copy of an item differs from the published one in its texts ("modificata",
    in English only or not), None if it does not (the source of its English alone is no
    change a visitor would see)."""
    cambiati = [
        c for c in _campi(tipo) if c != FONTE and getattr(copia, c) != getattr(originale, c)
    ]
    if not cambiati:
        return None
    nome = copia.chiave if isinstance(copia, Sezione) else copia.titolo
    solo_inglese = all(c.endswith(f"_{INGLESE}") for c in cambiati)
    return Differenza(tipo.nome, nome, "modificata", solo_inglese=solo_inglese)


def _esiste(session: Session, spazio: Spazio) -> bool:
    return session.get(VersionePagina, spazio.bozza.nome) is not None


def crea_copia(*, session: Session, spazio: Spazio) -> int:
    """Fill the working copy with the published page and bump its counter (made, for a copy
    made now), in the caller's locked transaction; returns the counter."""
    for sezione in pagina.leggi_sezioni(session=session, pagina=spazio.pubblicata).values():
        session.add(
            Sezione(
                pagina=spazio.bozza.nome,
                chiave=sezione.chiave,
                versione=sezione.versione,
                **{c: getattr(sezione, c) for c in _campi(SEZIONE)},
            )
        )
    for tipo in ELENCHI:
        modello = MODELLI_ELENCO[tipo.nome]
        for riga in pagina.leggi_elenco(session=session, pagina=spazio.pubblicata, modello=modello):
            campi = {c: getattr(riga, c) for c in _campi(tipo)}
            session.add(
                modello(
                    pagina=spazio.bozza.nome,
                    origine=riga.id,
                    codice=riga.codice,
                    posizione=riga.posizione,
                    versione=riga.versione,
                    **campi,
                )
            )
    session.flush()
    return pagina.incrementa_versione(session=session, pagina=spazio.bozza, nuova=True)


def _svuota(session: Session, spazio: Spazio) -> None:
    for modello in (Sezione, Tappa, Valore):
        session.exec(delete(modello).where(col(modello.pagina) == spazio.bozza.nome))


def _sezioni_mancanti(session: Session, spazio: Spazio) -> list[Sezione]:
    """The published page's sections the working copy lacks (a newer version of the site
    made them editable)."""
    copiate = set(session.exec(select(Sezione.chiave).where(Sezione.pagina == spazio.bozza.nome)))
    pubblicate = pagina.leggi_sezioni(session=session, pagina=spazio.pubblicata)
    return [s for k, s in pubblicate.items() if k not in copiate]


def apri(*, session: Session, spazio: Spazio) -> None:
    """Make the working copy if there is none, or give it the sections a newer version of the
    site added to the published page; commits. Only reads when there is nothing to do, as on
    almost every call."""
    if _esiste(session, spazio) and not _sezioni_mancanti(session, spazio):
        return
    with db.transazione_bloccata(session, VersionePagina):
        if not _esiste(session, spazio):
            crea_copia(session=session, spazio=spazio)
            return
        mancanti = _sezioni_mancanti(session, spazio)
        for sezione in mancanti:
            session.add(
                Sezione(
                    pagina=spazio.bozza.nome,
                    chiave=sezione.chiave,
                    **{c: getattr(sezione, c) for c in _campi(SEZIONE)},
                )
            )
        if mancanti:
            session.flush()
            pagina.incrementa_versione(session=session, pagina=spazio.bozza)


def scarta(
    *,
    session: Session,
    spazio: Spazio,
    versione: int | None = None,
    elenco: Sequence[str] | None = None,
    autore: str | None = None,
) -> int:
    """Drop every draft change: the copy is made again from the published page; commits.

    Args:
        session: A session with no unsaved changes.
        versione: The working copy's counter the staff member saw, if it must not have changed.
        elenco: The changes the staff member agreed to drop (as `pubblica` takes them).

    Returns:
        The working copy's new counter.

    Raises:
        BozzaCambiata: The counter is no longer `versione`, or the changes are no longer
            `elenco`; nothing changed.
    """
    with db.transazione_bloccata(session, VersionePagina):
        _controlla(session, spazio, versione, elenco)
        if _esiste(session, spazio):
            pagina.registra(
                session,
                pagina=spazio.pubblicata,
                tipo=PAGINA,
                chiave="",
                azione="scartata",
                autore=autore,
                prima=pagina.contenuto_di(session=session, pagina=spazio.bozza, codici=True),
            )
        _svuota(session, spazio)
        session.flush()
        numero = crea_copia(session=session, spazio=spazio)
    return numero


def carica(
    *,
    session: Session,
    spazio: Spazio,
    contenuto: dict[str, Any],
    autore: str,
    azione: str = "ripristinata",
) -> None:
    """Make `contenuto` (sections by key, milestones and values in order, as
    `pagina.contenuto_di` gives them) the working copy, in one locked transaction; commits.

    Each changed item is signed `autore`. Items are matched to the working copy's by their
    `codice` where `contenuto` has one, else by title, so they keep their history and
    "Pubblica" lists what changes. The working copy replaced stays in history, whole.
    """
    apri(session=session, spazio=spazio)
    ora = datetime.now(UTC)
    with db.transazione_bloccata(session, VersionePagina):
        pagina.registra(
            session,
            pagina=spazio.bozza,
            tipo=PAGINA,
            chiave="",
            azione=azione,
            autore=autore,
            prima=pagina.contenuto_di(session=session, pagina=spazio.bozza, codici=True),
            dopo=contenuto,
        )
        inglesi = contenuto.get("sezioni_en", {})
        for chiave, testo in contenuto["sezioni"].items():
            sezione = session.get(Sezione, (spazio.bozza.nome, chiave))
            # Content from before the English (an old export, an old publish) leaves it be.
            campi = {"testo": testo, **_solo_colonne(inglesi.get(chiave), SEZIONE)}
            if sezione is None:
                session.add(
                    Sezione(
                        pagina=spazio.bozza.nome,
                        chiave=chiave,
                        autore=autore,
                        modificata=ora,
                        **campi,
                    )
                )
            elif any(getattr(sezione, c) != v for c, v in campi.items()):
                for colonna, valore in campi.items():
                    setattr(sezione, colonna, valore)
                sezione.versione += 1
                sezione.autore, sezione.modificata = autore, ora
        for tipo in ELENCHI:
            modello = MODELLI_ELENCO[tipo.nome]
            esistenti = pagina.leggi_elenco(session=session, pagina=spazio.bozza, modello=modello)
            per_codice = {r.codice: r for r in esistenti}
            per_titolo = {r.titolo: r for r in esistenti}
            session.exec(delete(modello).where(col(modello.pagina) == spazio.bozza.nome))
            usati: set[str] = set()
            for posizione, dati in enumerate(contenuto[tipo.plurale]):
                campi = _solo_colonne(dati, tipo)
                uguale = per_codice.pop(dati.get("codice"), None) or per_titolo.pop(
                    dati["titolo"], None
                )
                if uguale is not None:  # one item of the copy matches one of `contenuto` only
                    per_codice.pop(uguale.codice, None)
                    per_titolo.pop(uguale.titolo, None)
                    # What `contenuto` does not hold (the English, in older content) stays.
                    campi = {**{c: getattr(uguale, c) for c in _campi(tipo)}, **campi}
                cambiato = uguale is None or any(getattr(uguale, c) != v for c, v in campi.items())
                session.add(
                    modello(
                        pagina=spazio.bozza.nome,
                        posizione=posizione,
                        origine=uguale.origine if uguale else None,
                        codice=_codice(uguale, dati.get("codice"), usati),
                        versione=(uguale.versione + 1) if uguale else 1,
                        autore=autore if cambiato or uguale is None else uguale.autore,
                        modificata=ora if cambiato or uguale is None else uguale.modificata,
                        **campi,
                    )
                )
        session.flush()
        pagina.incrementa_versione(session=session, pagina=spazio.bozza)


def _solo_colonne(dati: dict[str, Any] | None, tipo: Tipo) -> dict[str, Any]:
    """The columns of `tipo` that `dati` holds (an item's or a section's English)."""
    return {c: dati[c] for c in _campi(tipo) if dati and c in dati}


def _codice(uguale, proposto: str | None, usati: set[str]) -> str:
    """The code of an item `carica` writes: its match's, the one it came with (an item back
    from history), or a new one; never one already used on the page."""
    codice = uguale.codice if uguale else proposto
    if not codice or codice in usati:
        codice = uuid.uuid4().hex
    usati.add(codice)
    return codice


def differenze(*, session: Session, spazio: Spazio) -> list[Differenza]:
    """What publishing would change, sections first, then milestones and values in order."""
    if not _esiste(session, spazio):
        return []
    elenco: list[Differenza] = []
    pubblicate = pagina.leggi_sezioni(session=session, pagina=spazio.pubblicata)
    for chiave, sezione in pagina.leggi_sezioni(session=session, pagina=spazio.bozza).items():
        originale = pubblicate.get(chiave)
        if originale is None:
            elenco.append(Differenza(SEZIONE.nome, chiave, "modificata"))
        elif cambio := _cambiata(originale, sezione, SEZIONE):
            elenco.append(cambio)
    for tipo in ELENCHI:
        elenco.extend(_differenze_elenco(session, spazio, tipo))
    return elenco


def da_pubblicare(*, session: Session, spazio: Spazio) -> tuple[int, list[Differenza]]:
    """The working copy's counter and what publishing it would change, read together in one
    locked transaction: the list a confirmation shows, and the counter its publish checks.
    (Read one after the other, a draft saved in between would be published unlisted.)"""
    with db.transazione_bloccata(session, VersionePagina):
        versione = pagina.versione_pagina(session=session, pagina=spazio.bozza)
        return versione, differenze(session=session, spazio=spazio)


def da_tradurre(*, session: Session, spazio: Spazio) -> list[str]:
    """The working copy's items whose English is out of date or missing, one line each
    (`traduzioni.da_fare`): a confirmation lists them under the changes."""
    righe = [
        *pagina.leggi_sezioni(session=session, pagina=spazio.bozza).values(),
        *(
            riga
            for modello in (Tappa, Valore)
            for riga in pagina.leggi_elenco(session=session, pagina=spazio.bozza, modello=modello)
        ),
    ]
    return traduzioni.da_fare(righe)


def _differenze_elenco(session: Session, spazio: Spazio, tipo: Tipo) -> list[Differenza]:
    modello = MODELLI_ELENCO[tipo.nome]
    pubblicati = pagina.leggi_elenco(session=session, pagina=spazio.pubblicata, modello=modello)
    copie = pagina.leggi_elenco(session=session, pagina=spazio.bozza, modello=modello)
    per_id = {r.id: r for r in pubblicati}
    rimasti = {c.origine for c in copie}
    # Where each item kept in both stands among those kept, on each page: a move changes it.
    posto_pubblicato = {id_: n for n, id_ in enumerate(r.id for r in pubblicati if r.id in rimasti)}
    posto_bozza = {id_: n for n, id_ in enumerate(c.origine for c in copie if c.origine in per_id)}
    elenco = []
    for copia in copie:
        originale = per_id.get(copia.origine)
        if originale is None:
            elenco.append(Differenza(tipo.nome, copia.titolo, "aggiunta"))
        elif cambio := _cambiata(originale, copia, tipo):
            elenco.append(cambio)
        elif posto_pubblicato[originale.id] != posto_bozza[originale.id]:
            elenco.append(Differenza(tipo.nome, copia.titolo, "spostata"))
    elenco.extend(
        Differenza(tipo.nome, r.titolo, "eliminata") for r in pubblicati if r.id not in rimasti
    )
    return elenco


def pubblica(
    *,
    session: Session,
    spazio: Spazio,
    versione: int | None = None,
    elenco: Sequence[str] | None = None,
    autore: str | None = None,
    insieme: Callable[[Session], None] | None = None,
) -> int:
    """Publish the working copy in one locked transaction; commits (or changes nothing).

    Args:
        session: A session with no unsaved changes.
        versione: The working copy's counter the staff member saw, if it must not have changed.
        elenco: The changes the staff member confirmed (each `Differenza` as text, as
            `da_pubblicare` listed them), if exactly these must be published.
        autore: Who publishes; history keeps the published page with their name.
        insieme: Run in the same transaction, after the checks (a publication request
            decided, a scheduled publish's row marked done): whatever it raises leaves
            everything as it was.

    Returns:
        The published page's new counter.

    Raises:
        BozzaCambiata: The counter is no longer `versione`, or the changes are no longer
            `elenco`; nothing changed.
    """
    with db.transazione_bloccata(session, VersionePagina):
        _controlla(session, spazio, versione, elenco)
        if insieme is not None:
            insieme(session)
        pubblicate = pagina.leggi_sezioni(session=session, pagina=spazio.pubblicata)
        for chiave, sezione in pagina.leggi_sezioni(session=session, pagina=spazio.bozza).items():
            originale = pubblicate.get(chiave)
            campi = {c: getattr(sezione, c) for c in _campi(SEZIONE)}
            if originale is None:
                session.add(Sezione(pagina=spazio.pubblicata.nome, chiave=chiave, **campi))
            elif any(getattr(originale, c) != v for c, v in campi.items()):
                for colonna, valore in campi.items():
                    setattr(originale, colonna, valore)
                originale.versione += 1
            sezione.autore = sezione.modificata = None
        for tipo in ELENCHI:
            _pubblica_elenco(session, spazio, tipo)
        session.flush()
        pagina.registra(
            session,
            pagina=spazio.pubblicata,
            tipo=PAGINA,
            chiave="",
            azione="pubblicata",
            autore=autore,
            dopo=pagina.contenuto_di(session=session, pagina=spazio.pubblicata, codici=True),
        )
        pagina.incrementa_versione(session=session, pagina=spazio.bozza)
        numero = pagina.incrementa_versione(session=session, pagina=spazio.pubblicata)
    return numero


def _pubblica_elenco(session: Session, spazio: Spazio, tipo: Tipo) -> None:
    modello = MODELLI_ELENCO[tipo.nome]
    pubblicati = {
        r.id: r
        for r in pagina.leggi_elenco(session=session, pagina=spazio.pubblicata, modello=modello)
    }
    copie: Sequence = pagina.leggi_elenco(session=session, pagina=spazio.bozza, modello=modello)
    for posizione, copia in enumerate(copie):
        campi = {c: getattr(copia, c) for c in _campi(tipo)}
        originale = pubblicati.pop(copia.origine, None) if copia.origine is not None else None
        if originale is None:
            originale = modello(
                pagina=spazio.pubblicata.nome, posizione=posizione, codice=copia.codice, **campi
            )
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

"""History: every change to content is kept (`models.Revisione`, only ever added to), and any
older text can come back as a draft.

* `di` lists an item's revisions, newest first; `pubblicazioni` the page's publishes.
* `ripristina` brings back the text a revision kept (an item deleted since comes back too),
  as a draft of the working copy, to publish after review; `ripristina_pagina` makes the
  working copy the page as a publish left it.
* `differenza_parole` says what a revision changed, word by word.
* `annulla_ultima` undoes a staff member's latest change not yet undone, unless someone
  changed that item since: then it refuses, and says so.

Each of these is a write of `pagina.py` or `bozze.py`, so it is a revision itself: history is
never rewritten.
"""

import difflib
import json
import re
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.bozze import PAGINA, Spazio
from serena_app.contenuto.pagina import Elemento, NonTrovato, Scrittura, campi_di, leggi_elenco
from serena_app.contenuto.tipi import SEZIONE, TIPI, Voce
from serena_app.models import MODELLI_ELENCO, Revisione

ANNULLABILI = ("salvata", "aggiunta", "eliminata", "spostata", "ripristinata")
PASSI_ANNULLA = 50  # how far back "Annulla ultima modifica" looks
PAGINA_NON_ANNULLABILE = (
    "La tua ultima modifica è il ripristino di tutta la pagina, che non si annulla con un "
    "clic: per tornare indietro usa «Cronologia della pagina» o «Scarta bozze»."
)
CAMBIATA_DA_ALTRI = (
    "Nel frattempo un’altra persona ha cambiato questo elemento: la tua ultima modifica non si "
    "può annullare. Usa la cronologia per riprendere il testo."
)


PAROLE = re.compile(r"\s+|[^\s]+")
RISCRITTO = 0.4  # below this share of words in common, a text counts as rewritten


def differenza_parole(prima: str, dopo: str) -> list[tuple[str, str]]:
    """What changed from `prima` to `dopo`, word by word: ("uguale" | "tolto" | "aggiunto",
    text) pieces that, read in order without the "tolto" ones, give `dopo`. A text rewritten
    almost whole is shown as taken out and put in, not as a scatter of common words."""
    vecchie, nuove = PAROLE.findall(prima), PAROLE.findall(dopo)
    confronto = difflib.SequenceMatcher(a=vecchie, b=nuove, autojunk=False)
    if prima and dopo and confronto.ratio() < RISCRITTO:
        return [("tolto", prima), ("aggiunto", dopo)]
    pezzi: list[tuple[str, str]] = []
    for operazione, i1, i2, j1, j2 in confronto.get_opcodes():
        if operazione == "equal":
            pezzi.append(("uguale", "".join(vecchie[i1:i2])))
            continue
        if i2 > i1:
            pezzi.append(("tolto", "".join(vecchie[i1:i2])))
        if j2 > j1:
            pezzi.append(("aggiunto", "".join(nuove[j1:j2])))
    return pezzi


class NonAnnullabile(Exception):
    """The change cannot be undone; the message says why, in Italian."""


def di(*, session: Session, spazio: Spazio, chiave: str) -> list[Revisione]:
    """An item's revisions (by section key or item code), newest first."""
    return list(
        session.exec(
            select(Revisione)
            .where(Revisione.spazio == spazio.pubblicata.nome, Revisione.chiave == chiave)
            .order_by(col(Revisione.id).desc())
        )
    )


def pubblicazioni(*, session: Session, spazio: Spazio) -> list[Revisione]:
    """The page's publishes, newest first (each keeps the whole published page)."""
    return list(
        session.exec(
            select(Revisione)
            .where(
                Revisione.spazio == spazio.pubblicata.nome,
                Revisione.tipo == PAGINA,
                Revisione.azione == "pubblicata",
            )
            .order_by(col(Revisione.id).desc())
        )
    )


def _dati(testo: str | None) -> dict[str, Any] | None:
    return None if testo is None else json.loads(testo)


def _attuale(session: Session, spazio: Spazio, revisione: Revisione) -> Elemento | None:
    """The item `revisione` is about, as it stands in the working copy now (None: absent)."""
    if revisione.tipo == SEZIONE.nome:
        return pagina.leggi_elemento(
            session=session, pagina=spazio.bozza, voce=Voce(SEZIONE.nome, revisione.chiave)
        )
    modello = MODELLI_ELENCO[revisione.tipo]
    return next(
        (
            r
            for r in leggi_elenco(session=session, pagina=spazio.bozza, modello=modello)
            if r.codice == revisione.chiave
        ),
        None,
    )


def _voce(revisione: Revisione, elemento) -> Voce:
    if revisione.tipo == SEZIONE.nome:
        return Voce(SEZIONE.nome, revisione.chiave)
    return Voce(revisione.tipo, id=elemento.id)


def _campi(revisione: Revisione, dati: dict[str, Any]) -> dict[str, Any]:
    return {c.nome: dati[c.nome] for c in TIPI[revisione.tipo].campi if c.nome in dati}


def _metti(
    session: Session,
    spazio: Spazio,
    revisione: Revisione,
    dati: dict[str, Any],
    *,
    autore: str,
    azione: str,
    annulla: int | None = None,
) -> Scrittura:
    """Write `dati` (an item's fields as a revision kept them) into the working copy."""
    elemento = _attuale(session, spazio, revisione)
    campi = _campi(revisione, dati)
    if elemento is not None:
        return pagina.salva(
            session=session,
            pagina=spazio.bozza,
            voce=_voce(revisione, elemento),
            campi=campi,
            versione=elemento.versione,
            autore=autore,
            azione=azione,
            annulla=annulla,
        )
    return pagina.aggiungi(
        session=session,
        pagina=spazio.bozza,
        tipo=TIPI[revisione.tipo],
        campi=campi,
        autore=autore,
        codice=revisione.chiave,
        posizione=dati.get("posizione"),
        azione=azione,
        annulla=annulla,
    )


def _revisione(session: Session, spazio: Spazio, numero: int) -> Revisione:
    revisione = session.get(Revisione, numero)
    if revisione is None or revisione.spazio != spazio.pubblicata.nome:
        raise NonTrovato(Voce())
    return revisione


def ripristina(*, session: Session, spazio: Spazio, numero: int, autore: str) -> Scrittura:
    """Bring back, as a draft, the text revision `numero` kept: what it saved, or what it
    deleted. A revision of another page or space is not found.

    Raises:
        NonTrovato: No such revision here, or it is a whole page's (`ripristina_pagina`).
    """
    bozze.apri(session=session, spazio=spazio)
    revisione = _revisione(session, spazio, numero)
    dati = _dati(revisione.dopo) or _dati(revisione.prima)
    if revisione.tipo == PAGINA or dati is None:
        raise NonTrovato(Voce())
    return _metti(session, spazio, revisione, dati, autore=autore, azione="ripristinata")


def ripristina_pagina(*, session: Session, spazio: Spazio, numero: int, autore: str) -> int:
    """Make the working copy the page as the publish `numero` left it (as drafts, each item
    keeping its history); the number of changes publishing would now make."""
    bozze.apri(session=session, spazio=spazio)
    revisione = _revisione(session, spazio, numero)
    contenuto = _dati(revisione.dopo)
    if revisione.tipo != PAGINA or contenuto is None:
        raise NonTrovato(Voce())
    bozze.carica(session=session, spazio=spazio, contenuto=contenuto, autore=autore)
    return len(bozze.differenze(session=session, spazio=spazio))


def _annullate(session: Session, spazio: Spazio) -> set[int]:
    annullate = session.exec(
        select(Revisione.annulla).where(
            Revisione.spazio == spazio.pubblicata.nome, col(Revisione.annulla).is_not(None)
        )
    )
    return {numero for numero in annullate if numero is not None}


def ultima_annullabile(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> Revisione | None:
    """`autore`'s latest change to an item (made since `dal`, their session's start) that no
    undo has reversed yet."""
    annullate = _annullate(session, spazio)
    condizioni = [
        Revisione.spazio == spazio.pubblicata.nome,
        Revisione.autore == autore,
        col(Revisione.azione).in_(ANNULLABILI),
    ]
    if dal is not None:
        condizioni.append(Revisione.quando >= dal)
    candidate = session.exec(
        select(Revisione).where(*condizioni).order_by(col(Revisione.id).desc()).limit(PASSI_ANNULLA)
    )
    return next((r for r in candidate if r.id not in annullate), None)


def _uguale(elemento, dati: dict[str, Any] | None) -> bool:
    """Whether the item stands as `dati` says (None: it does not exist)."""
    if dati is None or elemento is None:
        return dati is None and elemento is None
    return campi_di(elemento) == dati


def annulla_ultima(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> Revisione:
    """Undo `autore`'s latest change since `dal` not yet undone; the revision undone.

    Raises:
        NonAnnullabile: Nothing to undo, or someone changed that item since.
    """
    bozze.apri(session=session, spazio=spazio)
    revisione = ultima_annullabile(session=session, spazio=spazio, autore=autore, dal=dal)
    if revisione is None:
        raise NonAnnullabile("Non ci sono modifiche tue da annullare.")
    if revisione.tipo == PAGINA:
        raise NonAnnullabile(PAGINA_NON_ANNULLABILE)
    prima, dopo = _dati(revisione.prima), _dati(revisione.dopo)
    elemento = _attuale(session, spazio, revisione)
    if not _uguale(elemento, dopo):
        raise NonAnnullabile(CAMBIATA_DA_ALTRI)
    if prima is None:  # it was added: undoing takes it away
        if elemento is None:  # cannot be: `_uguale` found the item the addition left (`dopo`)
            raise NonAnnullabile(CAMBIATA_DA_ALTRI)
        pagina.elimina(
            session=session,
            pagina=spazio.bozza,
            voce=_voce(revisione, elemento),
            versione=elemento.versione,
            autore=autore,
            azione="annullata",
            annulla=revisione.id,
        )
    elif revisione.azione == "spostata":
        if dopo is None:  # cannot be: a move keeps the item's place after it
            raise NonAnnullabile(CAMBIATA_DA_ALTRI)
        pagina.sposta(
            session=session,
            pagina=spazio.bozza,
            voce=_voce(revisione, elemento),
            di=1 if prima["posizione"] > dopo["posizione"] else -1,
            autore=autore,
            azione="annullata",
            annulla=revisione.id,
        )
    else:
        _metti(
            session,
            spazio,
            revisione,
            prima,
            autore=autore,
            azione="annullata",
            annulla=revisione.id,
        )
    return revisione

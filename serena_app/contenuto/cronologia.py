"""History: every change to content is kept (`models.Revisione`, only ever added to), and any
older text can come back as a draft.

* `di` lists an item's revisions, newest first, a page at a time; `pubblicazioni` the
  page's publishes.
* `ripristina` brings back the text a revision kept (an item deleted since comes back too),
  as a draft of the working copy, to publish after review; `ripristina_pagina` makes the
  working copy the page as a publish left it.
* `differenza_parole` says what a revision changed, word by word.
* `annulla_ultima` undoes a staff member's latest change not yet undone, unless someone
  changed that item since: then it refuses, and says so. It never reaches past a publish (or
  a discard): what is published is taken back by a restore from history, named as such;
  `puo_annullare` says whether there is anything to undo, `perche_non_annullabile` why not.

Each of these is a write of `pagina.py` or `bozze.py`, so it is a revision itself: history is
never rewritten.
"""

import difflib
import json
import re
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.bozze import PAGINA
from serena_app.contenuto.pagina import (
    Elemento,
    NonTrovato,
    Scrittura,
    Spazio,
    campi_di,
    leggi_elenco,
)
from serena_app.contenuto.tipi import FONTE, SEZIONE, TIPI, Voce
from serena_app.lingue import INGLESE, LINGUE
from serena_app.models import MODELLI_ELENCO, Revisione

ANNULLABILI = ("salvata", "aggiunta", "eliminata", "spostata", "ripristinata")
PASSI_ANNULLA = 50  # how far back "Annulla ultima modifica" looks
PAGINA_NON_ANNULLABILE = (
    "La tua ultima modifica è il ripristino di tutta la pagina, che non si annulla con un "
    "clic: per tornare indietro usa «Cronologia della pagina» o «Scarta bozze»."
)
NIENTE_DA_ANNULLARE = "Non ci sono modifiche tue da annullare."
GIA_PUBBLICATA = (
    "Non ci sono modifiche tue da annullare: quelle fatte prima dell’ultima pubblicazione sono "
    "già pubblicate e la pagina pubblica resta com’è. Per tornare a una versione precedente, "
    "aprine la cronologia e usa «Ripristina»."
)
CONFINI = ("pubblicata", "scartata")  # the page's actions undo does not reach past
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


class GiaAttuale(Exception):
    """The version to restore is the current text already: restoring would change nothing."""

    def __str__(self) -> str:
        return "Questa versione è già quella attuale: non c’è niente da ripristinare."


def condizioni_di(spazio: Spazio, chiave: str, lingua: str | None = None) -> list:
    """Which revisions are an item's history (by section key or item code): in `lingua`, its
    saves of that language's texts and what concerns the whole item (added, moved...)."""
    condizioni: list = [Revisione.spazio == spazio.pubblicata.nome, Revisione.chiave == chiave]
    if lingua is not None:
        condizioni.append(or_(col(Revisione.lingua) == lingua, col(Revisione.lingua).is_(None)))
    return condizioni


def condizioni_pubblicazioni(spazio: Spazio) -> list:
    """Which revisions are the page's publishes."""
    return [
        Revisione.spazio == spazio.pubblicata.nome,
        Revisione.chiave == "",
        Revisione.tipo == PAGINA,
        Revisione.azione == "pubblicata",
    ]


def _elenco(
    session: Session, condizioni: list, prima_di: int | None, quante: int | None
) -> list[Revisione]:
    query = select(Revisione).where(*condizioni)
    if prima_di is not None:
        query = query.where(col(Revisione.id) < prima_di)
    query = query.order_by(col(Revisione.id).desc())
    return list(session.exec(query if quante is None else query.limit(quante)))


def di(
    *,
    session: Session,
    spazio: Spazio,
    chiave: str,
    prima_di: int | None = None,
    quante: int | None = None,
    lingua: str | None = None,
) -> list[Revisione]:
    """An item's revisions (by section key or item code), newest first: all, or the `quante`
    older than revision `prima_di`; only those of `lingua` if given (`condizioni_di`)."""
    return _elenco(session, condizioni_di(spazio, chiave, lingua), prima_di, quante)


def pubblicazioni(
    *, session: Session, spazio: Spazio, prima_di: int | None = None, quante: int | None = None
) -> list[Revisione]:
    """The page's publishes, newest first (each keeps the whole published page): all, or the
    `quante` older than revision `prima_di`."""
    return _elenco(session, condizioni_pubblicazioni(spazio), prima_di, quante)


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
    """The fields of `dati` a restore or an undo of `revisione` writes: the texts of its
    language (an English one with the Italian it was translated from); every language's for
    a change of the item itself (added, deleted)."""
    tipo = TIPI[revisione.tipo]
    lingue = [revisione.lingua] if revisione.lingua else list(LINGUE)
    nomi = [c.nome for lingua in lingue for c in tipo.campi_in(lingua)]
    if INGLESE in lingue:
        nomi.append(FONTE)
    return {nome: dati[nome] for nome in nomi if nome in dati}


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


def da_ripristinare(revisione: Revisione) -> dict[str, Any] | None:
    """The fields "Ripristina" would bring back from an item's revision: what it saved, or
    what it deleted (None for a whole page's)."""
    dati = _dati(revisione.dopo) or _dati(revisione.prima)
    if revisione.tipo == PAGINA or dati is None:
        return None
    return _campi(revisione, dati)


def cambierebbe(revisione: Revisione, elemento: Elemento | None) -> bool:
    """Whether restoring `revisione` would change `elemento` (the item in the working copy
    now; None: it is not there, so restoring brings it back)."""
    dati = da_ripristinare(revisione)
    if dati is None:
        return False
    return elemento is None or any(
        getattr(elemento, nome) != v for nome, v in dati.items() if nome != FONTE
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
        GiaAttuale: The item stands as that revision left it; nothing is written.
    """
    bozze.apri(session=session, spazio=spazio)
    revisione = _revisione(session, spazio, numero)
    dati = _dati(revisione.dopo) or _dati(revisione.prima)
    if revisione.tipo == PAGINA or dati is None:
        raise NonTrovato(Voce())
    if not cambierebbe(revisione, _attuale(session, spazio, revisione)):
        raise GiaAttuale
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


def _confine(session: Session, spazio: Spazio) -> Revisione | None:
    """The latest publish or discard of the page: undo does not reach past it (what came
    before is on the public page now, or was dropped)."""
    return session.exec(
        select(Revisione)
        .where(
            Revisione.spazio == spazio.pubblicata.nome,
            Revisione.chiave == "",
            Revisione.tipo == PAGINA,
            col(Revisione.azione).in_(CONFINI),
        )
        .order_by(col(Revisione.id).desc())
        .limit(1)
    ).first()


def _annullate(session: Session, spazio: Spazio, dopo: int) -> set[int]:
    annullate = session.exec(
        select(Revisione.annulla).where(
            Revisione.spazio == spazio.pubblicata.nome,
            col(Revisione.id) > dopo,
            col(Revisione.annulla).is_not(None),
        )
    )
    return {numero for numero in annullate if numero is not None}


def _sue(spazio: Spazio, autore: str, dal: datetime | None) -> list:
    """Which revisions are `autore`'s changes to items since `dal` (their session's start)."""
    condizioni = [
        Revisione.spazio == spazio.pubblicata.nome,
        Revisione.autore == autore,
        col(Revisione.azione).in_(ANNULLABILI),
    ]
    if dal is not None:
        condizioni.append(Revisione.quando >= dal)
    return condizioni


def ultima_annullabile(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> Revisione | None:
    """`autore`'s latest change to an item (made since `dal`, their session's start, and since
    the page's last publish or discard) that no undo has reversed yet."""
    confine = _confine(session, spazio)
    dopo = confine.id if confine is not None and confine.id is not None else 0
    annullate = _annullate(session, spazio, dopo)
    candidate = session.exec(
        select(Revisione)
        .where(*_sue(spazio, autore, dal), col(Revisione.id) > dopo)
        .order_by(col(Revisione.id).desc())
        .limit(PASSI_ANNULLA)
    )
    return next((r for r in candidate if r.id not in annullate), None)


def puo_annullare(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> bool:
    """Whether "Annulla ultima modifica" has a change of `autore`'s to undo: one made since
    `dal` and since the last publish or discard, not undone yet, and not a whole page's
    restore (which it refuses, pointing to the page's history)."""
    return not perche_non_annullabile(session=session, spazio=spazio, autore=autore, dal=dal)


def perche_non_annullabile(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> str:
    """Why "Annulla ultima modifica" has nothing of `autore`'s to undo, in the words its
    refusal uses; "" when it has. Shown under the disabled button: when her changes are
    already published it says so and points to history (`GIA_PUBBLICATA`)."""
    revisione = ultima_annullabile(session=session, spazio=spazio, autore=autore, dal=dal)
    if revisione is None:
        return _perche_niente(session, spazio, autore, dal)
    return PAGINA_NON_ANNULLABILE if revisione.tipo == PAGINA else ""


def _perche_niente(session: Session, spazio: Spazio, autore: str, dal: datetime | None) -> str:
    """Why there is nothing to undo: `autore`'s changes are already published, or there are
    none (since their session began, or since the drafts were discarded)."""
    confine = _confine(session, spazio)
    if confine is None or confine.azione != "pubblicata":
        return NIENTE_DA_ANNULLARE
    prima = session.exec(
        select(Revisione.id)
        .where(*_sue(spazio, autore, dal), col(Revisione.id) < confine.id)
        .limit(1)
    ).first()
    return NIENTE_DA_ANNULLARE if prima is None else GIA_PUBBLICATA


def _uguale(elemento, dati: dict[str, Any] | None) -> bool:
    """Whether the item stands as `dati` says (None: it does not exist)."""
    if dati is None or elemento is None:
        return dati is None and elemento is None
    attuali = campi_di(elemento)  # a revision from before the English keeps fewer fields
    return all(attuali.get(nome) == valore for nome, valore in dati.items())


def annulla_ultima(
    *, session: Session, spazio: Spazio, autore: str, dal: datetime | None = None
) -> Revisione:
    """Undo `autore`'s latest change since `dal` not yet undone; the revision undone. A change
    already published is not undone: the public page and the working copy stay as they are.

    Raises:
        NonAnnullabile: Nothing to undo (none, or already published: the message says
            which), or someone changed that item since.
    """
    bozze.apri(session=session, spazio=spazio)
    revisione = ultima_annullabile(session=session, spazio=spazio, autore=autore, dal=dal)
    if revisione is None:
        raise NonAnnullabile(_perche_niente(session, spazio, autore, dal))
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

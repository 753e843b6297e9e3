"""History as the panels show it: each revision with its action and author in words, when
("3 minuti fa", and the exact Italian time), and its word diff (`cronologia.py` keeps and
restores revisions; this module only reads and words them)."""

import dataclasses
import json
from datetime import UTC, datetime

from sqlmodel import Session

from serena_app.contenuto import cronologia, pagina
from serena_app.contenuto.bozze import FUSO, MESI, Spazio
from serena_app.contenuto.tipi import SEZIONE, Voce, nome_voce
from serena_app.contenuto.viste import Pezzo, RevisioneVista
from serena_app.models import Revisione, Tappa, Valore

AZIONI = {
    "creata": "Testo di partenza",
    "salvata": "Salvata",
    "aggiunta": "Aggiunta",
    "eliminata": "Eliminata",
    "spostata": "Spostata",
    "ripristinata": "Ripristinata",
    "annullata": "Modifica annullata",
    "pubblicata": "Pubblicata",
}


def fa(quando: datetime, ora: datetime) -> str:
    """How long ago, in Italian: "adesso", "3 minuti fa", "2 ore fa", "ieri", "5 giorni fa"."""
    secondi = int((ora - quando).total_seconds())
    if secondi < 60:
        return "adesso"
    for unita, singolare, plurale in (
        (86400, "giorno", "giorni"),
        (3600, "ora", "ore"),
        (60, "minuto", "minuti"),
    ):
        if secondi >= unita:
            n = secondi // unita
            if unita == 86400 and n == 1:
                return "ieri"
            return f"{n} {singolare if n == 1 else plurale} fa"
    return "adesso"


def esatto(quando: datetime) -> str:
    ora = quando.astimezone(FUSO)
    return f"{ora.day} {MESI[ora.month - 1]} {ora.year}, {ora:%H:%M}"


def _utc(quando: datetime) -> datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=UTC)


def _testo(dati: dict | None) -> str:
    """What a diff compares: an item's fields as lines (the year, the title, the text)."""
    if not dati:
        return ""
    return "\n".join(str(dati[c]) for c in ("anno", "titolo", "testo") if dati.get(c) is not None)


def vista(revisione: Revisione, ora: datetime) -> RevisioneVista:
    prima, dopo = (json.loads(t) if t else None for t in (revisione.prima, revisione.dopo))
    if revisione.azione == "spostata" and prima and dopo:
        pezzi = [
            Pezzo(
                "uguale",
                f"Dalla posizione {prima['posizione'] + 1} alla {dopo['posizione'] + 1}.",
            )
        ]
    else:
        pezzi = [Pezzo(t, s) for t, s in cronologia.differenza_parole(_testo(prima), _testo(dopo))]
    quando = _utc(revisione.quando)
    return RevisioneVista(
        numero=revisione.id or 0,
        azione=AZIONI.get(revisione.azione, revisione.azione),
        autore=revisione.autore or "file dei contenuti",
        quando=fa(quando, ora),
        esatto=esatto(quando),
        iso=quando.isoformat(timespec="seconds"),
        pezzi=pezzi,
        ripristinabile=bool(revisione.dopo or revisione.prima),
    )


def nome_di(revisione: Revisione) -> str:
    """How announcements name a revision's item: "Testo della mission", "Valore «Ascolto»"."""
    dati = json.loads(revisione.dopo or revisione.prima or "{}")
    return nome_voce(Voce(revisione.tipo, revisione.chiave), dati.get("titolo", ""))


def _chiave(session: Session, spazio: Spazio, trovata: Voce) -> str | None:
    """History's name of an item of the working copy: a section's key, an item's code."""
    if trovata.tipo == SEZIONE.nome:
        return trovata.chiave
    elemento = pagina.leggi_elemento(session=session, pagina=spazio.bozza, voce=trovata)
    return elemento.codice if isinstance(elemento, Tappa | Valore) else None


def di(*, session: Session, spazio: Spazio, voce: Voce) -> list[RevisioneVista] | None:
    """The revisions of an item of the working copy, newest first; None if it is gone."""
    chiave = _chiave(session, spazio, voce)
    if chiave is None:
        return None
    ora = datetime.now(UTC)
    return [vista(r, ora) for r in cronologia.di(session=session, spazio=spazio, chiave=chiave)]


def pubblicazioni(*, session: Session, spazio: Spazio) -> list[RevisioneVista]:
    """The page's publishes, newest first (without a diff)."""
    ora = datetime.now(UTC)
    return [
        dataclasses.replace(vista(r, ora), pezzi=[])
        for r in cronologia.pubblicazioni(session=session, spazio=spazio)
    ]

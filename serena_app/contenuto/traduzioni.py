"""Whether an item's English is current: missing, out of date, or up to date.

Each row keeps, next to its English texts, the Italian they were translated from
(`fonte_en`: the Italian texts as JSON, written by every English save). When the Italian
changes afterwards, the two no longer match: the English is "da aggiornare", and what changed
in the Italian since is the word diff between that source and the Italian now. A text whose
English was never written is "mancante"; the English page then shows its Italian.
"""

import json

from serena_app.contenuto.parole import nome_voce
from serena_app.contenuto.tipi import FONTE, SEZIONE, Voce, colonna, italiano, tipo_di
from serena_app.lingue import INGLESE, ITALIANO

MANCANTE, DA_AGGIORNARE = "mancante", "da aggiornare"
STATI = {MANCANTE: "Traduzione mancante", DA_AGGIORNARE: "Traduzione da aggiornare"}
"""How staff read each state, next to the item."""


def fonte_di(elemento) -> dict[str, str]:
    """The Italian the item's English was translated from ({} if none is recorded)."""
    testo = getattr(elemento, FONTE, None)
    if not testo:
        return {}
    dati = json.loads(testo)
    return dati if isinstance(dati, dict) else {}


def inglese(elemento) -> dict[str, str | None]:
    """The item's English texts, by (Italian) field name; None where there is none."""
    return {
        c.nome: getattr(elemento, colonna(c.nome, INGLESE))
        for c in tipo_di(elemento).campi
        if c.tradotto
    }


def stato(elemento) -> str:
    """ "" (translated, current, or nothing to translate), `MANCANTE` or `DA_AGGIORNARE`."""
    sorgente, tradotti = italiano(elemento), inglese(elemento)
    if any(testo and not tradotti[nome] for nome, testo in sorgente.items()):
        return MANCANTE
    if not any(sorgente.values()):
        return ""
    return DA_AGGIORNARE if fonte_di(elemento) != sorgente else ""


def testi(elemento, lingua: str) -> tuple[dict[str, str], str]:
    """The item's texts as the page in `lingua` shows them, and their language: its English,
    or its Italian where the English is missing."""
    if lingua == INGLESE and stato(elemento) != MANCANTE:
        return {k: v or "" for k, v in inglese(elemento).items()}, INGLESE
    return italiano(elemento), ITALIANO


def da_fare(righe) -> list[str]:
    """The items among `righe` whose English is out of date or missing, one line each, as
    the publish confirmation lists them: "Testo della mission: traduzione da aggiornare"."""
    righe_ = []
    for elemento in righe:
        if not (quale := stato(elemento)):
            continue
        tipo = tipo_di(elemento)
        chiave = getattr(elemento, "chiave", "") if tipo.nome == SEZIONE.nome else ""
        nome = nome_voce(Voce(tipo.nome, chiave=chiave), getattr(elemento, "titolo", "") or "")
        righe_.append(f"{nome}: {STATI[quale].lower()}")
    return righe_

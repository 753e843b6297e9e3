"""`serena export` and `serena import`: all the content in one JSON file, and back as drafts.

The file (format "serena-contenuti", version 2) is meant to be read by people too:

    {
      "formato": "serena-contenuti",
      "versione": 2,
      "esportato": "2026-11-30T21:10:00+00:00",
      "pagine": {
        "pubblicata": {
          "sezioni": {"mission": "…", "vision": "…", …},     every key of tipi.SEZIONI
          "sezioni_en": {"mission": {"testo_en": "…", "fonte_en": {"testo": "…"}}, …},
          "tappe": [{"anno": 1986, "titolo": "…", "testo": "…",
                     "titolo_en": "…", "testo_en": "…", "fonte_en": {"titolo": "…", "testo": "…"}},
                    …],                                      anno may be null
          "valori": [{"titolo": "…", "testo": "…", "titolo_en": …, "testo_en": …, "fonte_en": …}, …]
        },
        "bozza": { … the same, the working copy with its drafts (only if there is one) … }
      }
    }

Every text has its English next to it (null: not translated, the English page shows the
Italian). `fonte_en` is the Italian that English was translated from (null if none is
recorded): it travels with the English so that the site importing the file knows, as the one
that exported it did, which translations are current and which are "da aggiornare"
(`contenuto/traduzioni.py`). Without it an import could only call every English current (a
stale one would pass for good) or every one stale (all of them to check again).

Version 1 (the same without the English, from before the English page) still imports: its
Italian becomes the working copy and each item keeps the English the site has for it (its
translation then shows as "da aggiornare" where the Italian changed).

An import first looks at the file without reading it: a regular file (never a FIFO, a device or
a folder) of at most 2 MB; it reads at most that much (a UTF-8 BOM is skipped), then checks
every field, Italian and English, with the rules of the edit forms (`tipi.py`, limits
from `tipi.py`) before it writes anything; the first problem is named by its place in the file
("pagine.pubblicata.tappe[3].titolo_en: …"). A valid file's published page becomes the working
copy, signed "importazione": staff review it and press "Pubblica".
"""

import json
import os
import stat
from collections.abc import Set
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO
from serena_app.contenuto.tipi import (
    FONTE,
    SEZIONE,
    SEZIONI,
    SEZIONI_FACOLTATIVE,
    TAPPA,
    VALORE,
    ErroreValidazione,
    Tipo,
    colonna,
)
from serena_app.lingue import INGLESE
from serena_app.models import VersionePagina

FORMATO = "serena-contenuti"
VERSIONE = 2
VERSIONI = (1, VERSIONE)
"""The versions an import reads: 1 has no English."""
MASSIMO_BYTE = 2_000_000  # the real page's content is below 100 KB
CIFRE_MASSIME = 20  # a year has 4; Python refuses to read an integer of more than 4,300
AUTORE = "importazione"


class FileNonValido(ValueError):
    """The file cannot be imported; the message names the first problem, in Italian."""


# Export


def esporta(*, session: Session) -> dict[str, Any]:
    """All the content: the published page, and the working copy if there is one."""
    pagine = {"pubblicata": _per_il_file(pagina.contenuto_di(session=session, pagina=PUBBLICATA))}
    if session.get(VersionePagina, BOZZA.nome) is not None:
        pagine["bozza"] = _per_il_file(pagina.contenuto_di(session=session, pagina=BOZZA))
    return {
        "formato": FORMATO,
        "versione": VERSIONE,
        "esportato": datetime.now(UTC).isoformat(timespec="seconds"),
        "pagine": pagine,
    }


def _per_il_file(contenuto: dict[str, Any]) -> dict[str, Any]:
    """A page's content as the file writes it: each English's source as an object, readable,
    rather than the JSON text the tables keep."""

    def leggibile(campi: dict[str, Any]) -> dict[str, Any]:
        return {**campi, FONTE: json.loads(campi[FONTE]) if campi[FONTE] else None}

    return {
        "sezioni": contenuto["sezioni"],
        "sezioni_en": {k: leggibile(v) for k, v in contenuto["sezioni_en"].items()},
        "tappe": [leggibile(t) for t in contenuto["tappe"]],
        "valori": [leggibile(v) for v in contenuto["valori"]],
    }


def in_json(contenuto: dict[str, Any]) -> str:
    """The file's text: indented, accented letters as they are."""
    return json.dumps(contenuto, ensure_ascii=False, indent=2) + "\n"


# Import: every check first


def _oggetto(
    valore: object, dove: str, chiavi: Set[str], facoltative: Set[str] = frozenset()
) -> dict[str, object]:
    if not isinstance(valore, dict):
        raise FileNonValido(f"{dove}: deve essere un oggetto {{…}}.")
    if sconosciute := sorted(set(valore) - chiavi - facoltative, key=str):
        raise FileNonValido(f"{dove}: campo sconosciuto «{str(sconosciute[0])[:40]}».")
    if mancanti := sorted(chiavi - set(valore)):
        raise FileNonValido(f"{dove}.{mancanti[0]}: manca.")
    return valore


def _campo(tipo: Tipo, nome: str, valore: object, dove: str, obbligatorio: bool = True):
    campo = tipo.campo(nome)
    try:
        return campo.pulisci(valore, obbligatorio=obbligatorio)
    except ErroreValidazione as errore:
        raise FileNonValido(f"{dove}: {errore}") from None


def _inglese(tipo: Tipo, campi: dict[str, object], dove: str) -> dict[str, Any]:
    """An item's English texts (null: none) and their Italian source, checked; the source back
    to the JSON text the tables keep (`tipi.fonte`)."""
    tradotti = [c.nome for c in tipo.campi if c.tradotto]
    inglese: dict[str, Any] = {}
    for nome in tradotti:
        qui = colonna(nome, INGLESE)
        valore = campi[qui]
        inglese[qui] = None if valore is None else _campo(tipo, qui, valore, f"{dove}.{qui}", False)
    fonte = campi[FONTE]
    if fonte is None:
        inglese[FONTE] = None
        return inglese
    testi = _oggetto(fonte, f"{dove}.{FONTE}", set(tradotti))
    pulita = {n: _campo(tipo, n, testi[n], f"{dove}.{FONTE}.{n}", False) for n in tradotti}
    inglese[FONTE] = json.dumps(pulita, ensure_ascii=False, sort_keys=True)
    return inglese


def _colonne_inglesi(tipo: Tipo) -> set[str]:
    """The keys an item's English takes in the file: "titolo_en", …, "fonte_en"."""
    return {c.nome for c in tipo.campi_in(INGLESE)} | {FONTE}


def _elenco(valore: object, dove: str, tipo: Tipo, versione: int) -> list[dict[str, Any]]:
    if not isinstance(valore, list):
        raise FileNonValido(f"{dove}: deve essere un elenco […].")
    if len(valore) > tipo.massimo:
        raise FileNonValido(f"{dove}: al massimo {tipo.massimo} {tipo.plurale}.")
    nomi = {c.nome for c in tipo.campi}
    inglesi = _colonne_inglesi(tipo) if versione > 1 else set()
    elementi = []
    for n, elemento in enumerate(valore):
        qui = f"{dove}[{n}]"
        campi = _oggetto(elemento, qui, nomi | inglesi)
        pulito = {c: _campo(tipo, c, campi[c], f"{qui}.{c}") for c in sorted(nomi)}
        if inglesi:
            pulito.update(_inglese(tipo, campi, qui))
        elementi.append(pulito)
    return elementi


def _sezioni_inglesi(valore: object, dove: str) -> dict[str, dict[str, Any]]:
    sezioni = _oggetto(valore, dove, set(SEZIONI))
    return {
        k: _inglese(
            SEZIONE, _oggetto(sezioni[k], f"{dove}.{k}", _colonne_inglesi(SEZIONE)), f"{dove}.{k}"
        )
        for k in sorted(SEZIONI)
    }


def _pagina_valida(valore: object, dove: str, versione: int) -> dict[str, Any]:
    parti = _oggetto(
        valore, dove, {"sezioni", "tappe", "valori"} | ({"sezioni_en"} if versione > 1 else set())
    )
    sezioni = _oggetto(parti["sezioni"], f"{dove}.sezioni", set(SEZIONI))
    testi = {
        k: _campo(SEZIONE, "testo", sezioni[k], f"{dove}.sezioni.{k}", k not in SEZIONI_FACOLTATIVE)
        for k in sorted(SEZIONI)
    }
    # A version 1 file has no English: `bozze.carica` then keeps the site's.
    inglesi = _sezioni_inglesi(parti["sezioni_en"], f"{dove}.sezioni_en") if versione > 1 else {}
    tappe = _elenco(parti["tappe"], f"{dove}.tappe", TAPPA, versione)
    anni = [t["anno"] for t in tappe if t["anno"] is not None]
    if anni != sorted(anni):
        raise FileNonValido(f"{dove}.tappe: le tappe con l’anno devono essere in ordine di anno.")
    valori = _elenco(parti["valori"], f"{dove}.valori", VALORE, versione)
    return {"sezioni": testi, "sezioni_en": inglesi, "tappe": tappe, "valori": valori}


def _numero_intero(cifre: str) -> int:
    if (quante := len(cifre.lstrip("-"))) > CIFRE_MASSIME:
        msg = (
            f"Il file contiene un numero troppo lungo ({quante} cifre; al massimo {CIFRE_MASSIME})."
        )
        raise FileNonValido(msg)
    return int(cifre)


def _costante(nome: str) -> None:
    raise FileNonValido(f"Il file contiene «{nome}», che non è un numero JSON.")


def leggi(dati: bytes) -> dict[str, Any]:
    """The published page of an export file, every field checked and cleaned.

    Raises:
        FileNonValido: The first problem, named by its place in the file.
    """
    if len(dati) > MASSIMO_BYTE:
        msg = f"Il file è troppo grande: al massimo {MASSIMO_BYTE // 1_000_000} MB."
        raise FileNonValido(msg)
    try:
        testo = dati.decode("utf-8-sig")  # the BOM some editors write first is skipped
    except UnicodeDecodeError as errore:
        msg = f"Il file non è testo UTF-8 (byte {errore.start})."
        raise FileNonValido(msg) from None
    try:
        radice = json.loads(testo, parse_int=_numero_intero, parse_constant=_costante)
    except FileNonValido:
        raise
    except json.JSONDecodeError as errore:
        msg = f"Il file non è JSON valido (riga {errore.lineno}, colonna {errore.colno})."
        raise FileNonValido(msg) from None
    except RecursionError:
        raise FileNonValido("Il file è annidato troppo in profondità.") from None
    except ValueError:
        raise FileNonValido("Il file contiene un numero che non si può leggere.") from None
    _oggetto(radice, "(file)", {"formato", "versione", "pagine"}, {"esportato"})
    if radice["formato"] != FORMATO:
        raise FileNonValido(f"formato: deve essere «{FORMATO}».")
    versione = radice["versione"]
    if type(versione) is not int or versione not in VERSIONI:
        elenco = ", ".join(map(str, VERSIONI[:-1])) + f" e {VERSIONI[-1]}"
        msg = f"versione: questo sito legge le versioni {elenco}."
        raise FileNonValido(msg)
    pagine = _oggetto(radice["pagine"], "pagine", {"pubblicata"}, {"bozza"})
    if "bozza" in pagine:
        _pagina_valida(pagine["bozza"], "pagine.bozza", versione)
    return _pagina_valida(pagine["pubblicata"], "pagine.pubblicata", versione)


def _non_normale(modo: int) -> str | None:
    """What a file that is not a regular one is, in words; None for a regular file."""
    if stat.S_ISREG(modo):
        return None
    if stat.S_ISDIR(modo):
        return "una cartella"
    if stat.S_ISFIFO(modo):
        return "una FIFO"
    if stat.S_ISCHR(modo) or stat.S_ISBLK(modo):
        return "un dispositivo"
    return "un file speciale"


def _controlla_file(modo: int, dimensione: int, percorso: Path) -> None:
    if tipo := _non_normale(modo):
        raise FileNonValido(f"{percorso} non è un file normale ({tipo}).")
    if dimensione > MASSIMO_BYTE:
        msg = f"Il file è troppo grande: al massimo {MASSIMO_BYTE // 1_000_000} MB."
        raise FileNonValido(msg)


def leggi_file(percorso: Path) -> dict[str, Any]:
    """`leggi` on the file at `percorso`, checked before it is read: a regular file of at
    most `MASSIMO_BYTE`, of which at most one byte more is ever read.

    Raises:
        FileNonValido: A FIFO, a device, a folder, a file too large, or the first problem in it.
        OSError: The file cannot be opened.
    """
    dati = percorso.stat()  # a device or a FIFO is not even opened
    _controlla_file(dati.st_mode, dati.st_size, percorso)
    # Opened without waiting (a FIFO put there meanwhile would block the open), then checked
    # again on what was opened.
    descrittore = os.open(percorso, os.O_RDONLY | os.O_NONBLOCK)
    try:
        dati = os.fstat(descrittore)
        _controlla_file(dati.st_mode, dati.st_size, percorso)
        pezzi: list[bytes] = []
        letti = 0
        while letti <= MASSIMO_BYTE and (pezzo := os.read(descrittore, MASSIMO_BYTE + 1 - letti)):
            pezzi.append(pezzo)
            letti += len(pezzo)
    finally:
        os.close(descrittore)
    return leggi(b"".join(pezzi))  # a file that grew past the limit is refused there


def importa(*, session: Session, contenuto: dict[str, Any]) -> int:
    """Make `contenuto` (from `leggi`) the working copy, signed "importazione"; commits.

    Returns:
        How many changes publishing would now make.
    """
    bozze.carica(
        session=session, spazio=SITO, contenuto=contenuto, autore=AUTORE, azione="importata"
    )
    return len(bozze.differenze(session=session, spazio=SITO))

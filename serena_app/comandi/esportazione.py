"""`serena export` and `serena import`: all the content in one JSON file, and back as drafts.

The file (format "serena-contenuti", version 1) is meant to be read by people too:

    {
      "formato": "serena-contenuti",
      "versione": 1,
      "esportato": "2026-11-30T21:10:00+00:00",
      "pagine": {
        "pubblicata": {
          "sezioni": {"mission": "…", "vision": "…", …},     every key of tipi.SEZIONI
          "tappe": [{"anno": 1986, "titolo": "…", "testo": "…"}, …],   anno may be null
          "valori": [{"titolo": "…", "testo": "…"}, …]
        },
        "bozza": { … the same, the working copy with its drafts (only if there is one) … }
      }
    }

An import first looks at the file without reading it: a regular file (never a FIFO, a device or
a folder) of at most 2 MB; it reads at most that much (a UTF-8 BOM is skipped), then checks
every field with the rules of the edit forms (`validazione.py`, limits from `tipi.py`) before
it writes anything; the first problem is named by its place in the file
("pagine.pubblicata.tappe[3].titolo: …"). A valid file's published page becomes the working
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
from serena_app.contenuto.bozze import BOZZA, SITO
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.tipi import SEZIONE, SEZIONI, SEZIONI_FACOLTATIVE, TAPPA, VALORE, Tipo
from serena_app.contenuto.validazione import ErroreValidazione
from serena_app.models import VersionePagina

FORMATO = "serena-contenuti"
VERSIONE = 1
MASSIMO_BYTE = 2_000_000  # the real page's content is below 100 KB
CIFRE_MASSIME = 20  # a year has 4; Python refuses to read an integer of more than 4,300
AUTORE = "importazione"


class FileNonValido(ValueError):
    """The file cannot be imported; the message names the first problem, in Italian."""


# Export


def esporta(*, session: Session) -> dict[str, Any]:
    """All the content: the published page, and the working copy if there is one."""
    pagine = {"pubblicata": pagina.contenuto_di(session=session, pagina=PUBBLICATA)}
    if session.get(VersionePagina, BOZZA.nome) is not None:
        pagine["bozza"] = pagina.contenuto_di(session=session, pagina=BOZZA)
    return {
        "formato": FORMATO,
        "versione": VERSIONE,
        "esportato": datetime.now(UTC).isoformat(timespec="seconds"),
        "pagine": pagine,
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


def _elenco(valore: object, dove: str, tipo: Tipo) -> list[dict[str, Any]]:
    if not isinstance(valore, list):
        raise FileNonValido(f"{dove}: deve essere un elenco […].")
    if len(valore) > tipo.massimo:
        raise FileNonValido(f"{dove}: al massimo {tipo.massimo} {tipo.plurale}.")
    nomi = {c.nome for c in tipo.campi}
    elementi = []
    for n, elemento in enumerate(valore):
        qui = f"{dove}[{n}]"
        campi = _oggetto(elemento, qui, nomi)
        elementi.append({c: _campo(tipo, c, campi[c], f"{qui}.{c}") for c in sorted(nomi)})
    return elementi


def _pagina_valida(valore: object, dove: str) -> dict[str, Any]:
    parti = _oggetto(valore, dove, {"sezioni", "tappe", "valori"})
    sezioni = _oggetto(parti["sezioni"], f"{dove}.sezioni", set(SEZIONI))
    testi = {
        k: _campo(SEZIONE, "testo", sezioni[k], f"{dove}.sezioni.{k}", k not in SEZIONI_FACOLTATIVE)
        for k in sorted(SEZIONI)
    }
    tappe = _elenco(parti["tappe"], f"{dove}.tappe", TAPPA)
    anni = [t["anno"] for t in tappe if t["anno"] is not None]
    if anni != sorted(anni):
        raise FileNonValido(f"{dove}.tappe: le tappe con l’anno devono essere in ordine di anno.")
    return {
        "sezioni": testi,
        "tappe": tappe,
        "valori": _elenco(parti["valori"], f"{dove}.valori", VALORE),
    }


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
    if type(radice["versione"]) is not int or radice["versione"] != VERSIONE:
        msg = f"versione: questo sito legge la versione {VERSIONE}."
        raise FileNonValido(msg)
    pagine = _oggetto(radice["pagine"], "pagine", {"pubblicata"}, {"bozza"})
    if "bozza" in pagine:
        _pagina_valida(pagine["bozza"], "pagine.bozza")
    return _pagina_valida(pagine["pubblicata"], "pagine.pubblicata")


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

"""Checks on what staff type: each returns the clean value, or raises with an Italian message.

The limits come from the field descriptions in `tipi.py`; this module knows only the rules.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Protocol

ANNO_MINIMO = 1900
# Control characters (C0, DEL, C1), except tab and newline which texts may hold.
_CONTROLLO = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters (bidi controls, zero-width), lone surrogates, line and paragraph
# separators: a visitor would see a reversed, hidden or broken text. Private-use and
# unassigned code points: each font draws them its own way, or not at all.
_NON_AMMESSE = {"Cf", "Cs", "Zl", "Zp", "Co", "Cn"}
NON_AMMESSI = "Il testo contiene caratteri non ammessi."
# Letters and symbols that draw nothing: Hangul fillers, the blank Braille pattern.
_RIEMPITIVI = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Python's `unicodedata` knows one Unicode version (14.0 in Python 3.11): the code points
# assigned since then are "unassigned" (Cn) to it. These blocks are where Unicode 15 to 17
# added emoji and scripts; their code points pass even when Python does not know them.
BLOCCHI_RECENTI = (
    (0x10EC0, 0x10EFF),  # Arabic Extended-C (15.0)
    (0x105C0, 0x105FF),  # Todhri (16.0)
    (0x10D40, 0x10D8F),  # Garay (16.0)
    (0x11380, 0x113FF),  # Tulu-Tigalari (16.0)
    (0x116D0, 0x116FF),  # Myanmar Extended-C (16.0)
    (0x11B00, 0x11B5F),  # Devanagari Extended-A (15.0)
    (0x11BC0, 0x11BFF),  # Sunuwar (16.0)
    (0x11F00, 0x11F5F),  # Kawi (15.0)
    (0x13460, 0x143FF),  # Egyptian Hieroglyphs Extended-A (16.0)
    (0x16100, 0x1613F),  # Gurung Khema (16.0)
    (0x16D40, 0x16D7F),  # Kirat Rai (16.0)
    (0x1CC00, 0x1CEBF),  # Symbols for Legacy Computing Supplement (16.0)
    (0x1D2C0, 0x1D2DF),  # Kaktovik Numerals (15.0)
    (0x1E030, 0x1E08F),  # Cyrillic Extended-D (15.0)
    (0x1E4D0, 0x1E4FF),  # Nag Mundari (15.0)
    (0x1E5D0, 0x1E5FF),  # Ol Onal (16.0)
    (0x1F000, 0x1FAFF),  # emoji and pictographs: new ones every year
    (0x2EBF0, 0x2EE5F),  # CJK Unified Ideographs Extension I (15.1)
    (0x31350, 0x323AF),  # CJK Unified Ideographs Extension H (15.0)
)
# Combining marks in a row on one base character: Italian needs one, other scripts two or
# three (Vietnamese, vocalised Arabic and Hebrew); a pile of them draws over the lines around.
MASSIMO_SEGNI = 4


def _recente(codice: int) -> bool:
    return (codice & 0xFFFE) != 0xFFFE and any(a <= codice <= b for a, b in BLOCCHI_RECENTI)


def _ammesso(carattere: str) -> bool:
    categoria = unicodedata.category(carattere)
    if categoria == "Cn":
        return _recente(ord(carattere))
    return categoria not in _NON_AMMESSE


def _segni_ammassati(testo: str) -> bool:
    """Whether more than `MASSIMO_SEGNI` combining marks follow one another."""
    di_fila = 0
    for carattere in testo:
        di_fila = di_fila + 1 if unicodedata.category(carattere)[0] == "M" else 0
        if di_fila > MASSIMO_SEGNI:
            return True
    return False


def _visibile(carattere: str) -> bool:
    """Whether the character draws something by itself (not a space, a mark on nothing, or a
    blank filler)."""
    return (
        not carattere.isspace()
        and unicodedata.category(carattere)[0] != "M"
        and carattere not in _RIEMPITIVI
    )


class ErroreValidazione(ValueError):
    """A field's value was refused; the message is shown next to the field."""


class ErroriModulo(ValueError):
    """One or more fields were refused; `errori` maps each field to its message."""

    def __init__(self, errori: dict[str, str]):
        super().__init__(", ".join(errori))
        self.errori = errori


def cifre(numero: int) -> str:
    """A count as Italian writes it, with a dot between thousands: 2.000, 12.500."""
    return f"{numero:,}".replace(",", ".")


def testo(valore: object, *, massimo: int, multilinea: bool, obbligatorio: bool = True) -> str:
    """A text: line breaks normalised, NFC, trimmed; no control, invisible, private-use or
    unassigned characters, nor more than `MASSIMO_SEGNI` marks in a row; a required one needs
    at least one visible character.

    Args:
        valore: What the browser sent.
        massimo: The most characters allowed.
        multilinea: Whether line breaks (and tabs) are allowed.
        obbligatorio: Whether it may be empty.
    """
    if not isinstance(valore, str):
        raise ErroreValidazione("Valore non valido.")
    if not all(map(_ammesso, valore)):
        raise ErroreValidazione(NON_AMMESSI)
    pulito = unicodedata.normalize("NFC", valore.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if _CONTROLLO.search(pulito) or (not multilinea and ("\n" in pulito or "\t" in pulito)):
        raise ErroreValidazione(NON_AMMESSI)
    if _segni_ammassati(pulito):
        raise ErroreValidazione(NON_AMMESSI)
    if obbligatorio and not any(map(_visibile, pulito)):
        raise ErroreValidazione("Questo campo è obbligatorio.")
    if len(pulito) > massimo:
        msg = f"Al massimo {cifre(massimo)} caratteri (ora sono {cifre(len(pulito))})."
        raise ErroreValidazione(msg)
    return pulito


def anno(valore: object, **_limiti: object) -> int | None:
    """An optional year between 1900 and the current year ("" means no year)."""
    if valore is None or (isinstance(valore, str) and not valore.strip()):
        return None
    if isinstance(valore, bool) or not isinstance(valore, str | int):
        raise ErroreValidazione("Valore non valido.")
    cifre = str(valore).strip()
    if not cifre.isdecimal() or not cifre.isascii() or len(cifre) > 4:
        raise ErroreValidazione("L’anno deve essere un numero di quattro cifre, ad esempio 1994.")
    numero = int(cifre)
    ultimo = date.today().year
    if not ANNO_MINIMO <= numero <= ultimo:
        msg = f"L’anno deve essere compreso tra {ANNO_MINIMO} e {ultimo}."
        raise ErroreValidazione(msg)
    return numero


NUMERO_NON_VALIDO = (
    "Richiesta non valida: il numero ricevuto non è accettabile. Ricarica la pagina e riprova."
)
MASSIMO_INTERO = 2**31 - 1  # the largest id or version the tables hold (32-bit integers)


def intero(valore: object, *, minimo: int = 1, massimo: int = MASSIMO_INTERO) -> int:
    """A whole number an event carries (an item's or a revision's id, a move): an int, or a
    string of ASCII digits with an optional minus sign, as a browser may send either, between
    `minimo` and `massimo`. The default range is an id's.

    Raises:
        ErroreValidazione: Anything else (a bool, a float, None, a number out of range, a
            string of 5,000 digits), with `NUMERO_NON_VALIDO`.
    """
    if type(valore) is str and 0 < len(valore) <= 12:
        cifre = valore.removeprefix("-")
        if cifre.isascii() and cifre.isdecimal():
            valore = int(valore)
    if type(valore) is not int or not minimo <= valore <= massimo:
        raise ErroreValidazione(NUMERO_NON_VALIDO)
    return valore


class _Campo(Protocol):
    nome: str

    def pulisci(self, valore: object, *, obbligatorio: bool = True) -> object: ...


def modulo(campi: Iterable[_Campo], dati: object, *, obbligatorio: bool = True) -> dict:
    """Check every field of an edit form.

    Args:
        campi: The fields of the item's kind (`tipi.Tipo.campi`).
        dati: The form as the browser sent it.
        obbligatorio: False for a section that may be left empty.

    Returns:
        The clean values, by field name.

    Raises:
        ErroriModulo: With a message for each refused field; nothing is to be saved.
    """
    if not isinstance(dati, dict):
        raise ErroriModulo({"testo": "Valore non valido."})
    puliti, errori = {}, {}
    for campo in campi:
        try:
            puliti[campo.nome] = campo.pulisci(dati.get(campo.nome), obbligatorio=obbligatorio)
        except ErroreValidazione as errore:
            errori[campo.nome] = str(errore)
    if errori:
        raise ErroriModulo(errori)
    return puliti

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
# separators: a visitor would see a reversed, hidden or broken text.
_INVISIBILI = {"Cf", "Cs", "Zl", "Zp"}
NON_AMMESSI = "Il testo contiene caratteri non ammessi."
# Letters and symbols that draw nothing: Hangul fillers, the blank Braille pattern.
_RIEMPITIVI = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def _ammesso(carattere: str) -> bool:
    return unicodedata.category(carattere) not in _INVISIBILI


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


def testo(valore: object, *, massimo: int, multilinea: bool, obbligatorio: bool = True) -> str:
    """A text: line breaks normalised, NFC, trimmed; no control characters; a required one
    needs at least one visible character.

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
    if obbligatorio and not any(map(_visibile, pulito)):
        raise ErroreValidazione("Questo campo è obbligatorio.")
    if len(pulito) > massimo:
        msg = f"Al massimo {massimo} caratteri (ora sono {len(pulito)})."
        raise ErroreValidazione(msg)
    return pulito


def anno(valore: object, **_limiti: object) -> int | None:
    """An optional year between 1900 and the current year ("" means no year)."""
    if valore is None or (isinstance(valore, str) and not valore.strip()):
        return None
    if isinstance(valore, bool) or not isinstance(valore, str | int):
        raise ErroreValidazione("Valore non valido.")
    cifre = str(valore).strip()
    if not cifre.isdecimal() or not cifre.isascii():
        raise ErroreValidazione("L’anno deve essere un numero di quattro cifre, ad esempio 1994.")
    numero = int(cifre)
    ultimo = date.today().year
    if not ANNO_MINIMO <= numero <= ultimo:
        msg = f"L’anno deve essere compreso tra {ANNO_MINIMO} e {ultimo}."
        raise ErroreValidazione(msg)
    return numero


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

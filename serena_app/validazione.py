"""Checks on what staff type: each returns the clean value, or raises with an Italian message."""

import re
import unicodedata
from datetime import date

from serena_app.models import SEZIONE_MAX, TESTO_MAX, TITOLO_MAX

ANNO_MINIMO = 1900
# Control characters (C0, DEL, C1), except tab and newline which texts may hold.
_CONTROLLO = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ErroreValidazione(ValueError):
    """A field's value was refused; the message is shown next to the field."""


def _testo(valore: object, *, massimo: int, a_capo: bool, obbligatorio: bool = True) -> str:
    if not isinstance(valore, str):
        raise ErroreValidazione("Valore non valido.")
    testo = unicodedata.normalize("NFC", valore.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if _CONTROLLO.search(testo) or (not a_capo and ("\n" in testo or "\t" in testo)):
        raise ErroreValidazione("Il testo contiene caratteri non ammessi.")
    if obbligatorio and not testo:
        raise ErroreValidazione("Questo campo è obbligatorio.")
    if len(testo) > massimo:
        msg = f"Al massimo {massimo} caratteri (ora sono {len(testo)})."
        raise ErroreValidazione(msg)
    return testo


def titolo(valore: object) -> str:
    """A short title: one line, required, at most 120 characters."""
    return _testo(valore, massimo=TITOLO_MAX, a_capo=False)


def testo(valore: object) -> str:
    """The text of a milestone or value: required, at most 2,000 characters."""
    return _testo(valore, massimo=TESTO_MAX, a_capo=True)


def testo_sezione(valore: object, *, obbligatorio: bool) -> str:
    """A section's running text; paragraphs are separated by a blank line."""
    return _testo(valore, massimo=SEZIONE_MAX, a_capo=True, obbligatorio=obbligatorio)


def anno(valore: object) -> int | None:
    """An optional year between 1900 and the current year ("" means no year)."""
    if valore is None or (isinstance(valore, str) and not valore.strip()):
        return None
    if isinstance(valore, bool) or not isinstance(valore, str | int):
        raise ErroreValidazione("Valore non valido.")
    testo_anno = str(valore).strip()
    if not testo_anno.isdecimal() or not testo_anno.isascii():
        raise ErroreValidazione("L’anno deve essere un numero di quattro cifre, ad esempio 1994.")
    numero = int(testo_anno)
    ultimo = date.today().year
    if not ANNO_MINIMO <= numero <= ultimo:
        msg = f"L’anno deve essere compreso tra {ANNO_MINIMO} e {ultimo}."
        raise ErroreValidazione(msg)
    return numero


class ErroriModulo(ValueError):
    """One or more fields were refused; `errori` maps each field to its message."""

    def __init__(self, errori: dict[str, str]):
        super().__init__(", ".join(errori))
        self.errori = errori


_CONTROLLI = {
    "sezione": {"testo": None},
    "tappa": {"anno": anno, "titolo": titolo, "testo": testo},
    "valore": {"titolo": titolo, "testo": testo},
}


def modulo(tipo: str, dati: object, *, obbligatorio: bool = True) -> dict:
    """Check every field of an edit form of `tipo` ("sezione", "tappa", "valore").

    Returns:
        The clean values, by field name.

    Raises:
        ErroriModulo: With a message for each refused field; nothing is to be saved.
    """
    if not isinstance(dati, dict):
        raise ErroriModulo({"testo": "Valore non valido."})
    valori, errori = {}, {}
    for campo, controllo in _CONTROLLI[tipo].items():
        try:
            if controllo is None:
                valori[campo] = testo_sezione(dati.get(campo), obbligatorio=obbligatorio)
            else:
                valori[campo] = controllo(dati.get(campo, "" if campo == "anno" else None))
        except ErroreValidazione as errore:
            errori[campo] = str(errore)
    if errori:
        raise ErroriModulo(errori)
    return valori

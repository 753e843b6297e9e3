"""The editable kinds of the page (section text, milestone, value) and the rules on what
staff type into them.

Each kind and each of its fields is written here once: its label, its limit, its check. The
tables' limits (`models.py`), the editors (`components/editor.py`), the import of a file
(`comandi/esportazione.py`) and every handler that takes a form read these descriptions.
Each check returns the clean value or raises with an Italian message. How the items are named
to staff is in `parole.py`.
"""

import dataclasses
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from serena_app.lingue import INGLESE, ITALIANO, LINGUE

# The rules on a text, a year and a number

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


def modulo(campi: Iterable["Campo"], dati: object, *, obbligatorio: bool = True) -> dict:
    """Check every field of an edit form.

    Args:
        campi: The fields of the item's kind (`Tipo.campi`).
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


# The kinds

NOMI_LINGUE = {ITALIANO: "italiano", INGLESE: "inglese"}
"""Each language as staff read it ("Testo in inglese")."""


def colonna(campo: str, lingua: str) -> str:
    """The column of field `campo` in `lingua`: "testo" in Italian, "testo_en" in English."""
    return campo if lingua == ITALIANO else f"{campo}_{lingua}"


def _in(campo: "Campo", lingua: str) -> str:
    """A field's label in another language: "Titolo breve" → "Titolo breve in inglese"."""
    return f"{campo.etichetta} in {NOMI_LINGUE[lingua]}"


@dataclasses.dataclass(frozen=True)
class Campo:
    """A field staff can edit: its name (column and form field), label, limit and check."""

    nome: str
    etichetta: str
    massimo: int
    multilinea: bool = False
    controllo: Callable[..., object] = testo
    """Called as `controllo(valore, massimo=…, multilinea=…, obbligatorio=…)`."""
    tradotto: bool = True
    """A text with an English version (a year is the same in every language)."""

    @property
    def contato(self) -> bool:
        """Whether its limit is a length, counted as she types (a text; a year is checked by
        its range)."""
        return self.controllo is testo

    def pulisci(self, valore: object, *, obbligatorio: bool = True) -> object:
        """The clean value (raises `ErroreValidazione` with the message)."""
        return self.controllo(
            valore, massimo=self.massimo, multilinea=self.multilinea, obbligatorio=obbligatorio
        )


@dataclasses.dataclass(frozen=True)
class Tipo:
    """An editable kind: its name, its fields, and its grammatical gender for the words."""

    nome: str
    plurale: str
    campi: tuple[Campo, ...]
    femminile: bool = False
    in_elenco: bool = True
    """Milestones and values form lists (add, move, delete); sections do not."""
    massimo: int = 0
    """How many a list may hold: a page that reads well, and writes that stay quick."""

    def campo(self, nome: str) -> Campo:
        """The field called `nome`."""
        return next(c for c in self.campi_di_tutte if c.nome == nome)

    def campi_in(self, lingua: str) -> tuple[Campo, ...]:
        """The fields edited on the page in `lingua`: all of them in Italian; in English,
        each text's English version ("titolo_en", labelled "Titolo in inglese")."""
        if lingua == ITALIANO:
            return self.campi
        return tuple(
            dataclasses.replace(c, nome=colonna(c.nome, lingua), etichetta=_in(c, lingua))
            for c in self.campi
            if c.tradotto
        )

    @property
    def campi_di_tutte(self) -> tuple[Campo, ...]:
        """Every field of every language (the columns of its table)."""
        return tuple(c for lingua in LINGUE for c in self.campi_in(lingua))

    def participio(self, radice: str) -> str:
        """ "salvat" → "salvata" for a milestone, "salvato" for a value."""
        return radice + ("a" if self.femminile else "o")

    @property
    def articolo(self) -> str:
        """ "la" or "il", as in "Eliminare la tappa «…»?"."""
        return "la" if self.femminile else "il"


SEZIONE = Tipo(
    nome="sezione",
    plurale="sezioni",
    campi=(Campo("testo", "Testo", 4000, multilinea=True),),
    in_elenco=False,
)
"""A block of running text; paragraphs are separated by a blank line. Announced as "Testo
della …" (masculine, like "Testo")."""

TAPPA = Tipo(
    nome="tappa",
    plurale="tappe",
    femminile=True,
    massimo=40,
    campi=(
        Campo("anno", "Anno (facoltativo)", 4, controllo=anno, tradotto=False),
        Campo("titolo", "Titolo", 120),
        Campo("testo", "Testo", 2000, multilinea=True),
    ),
)
"""A milestone of the history timeline; dated ones stay in year order."""

VALORE = Tipo(
    nome="valore",
    plurale="valori",
    massimo=30,
    campi=(Campo("titolo", "Titolo breve", 120), Campo("testo", "Testo", 2000, multilinea=True)),
)
"""One of the cooperative's values: a short title and the full sentence."""

TIPI = {t.nome: t for t in (SEZIONE, TAPPA, VALORE)}

SEZIONI = {
    "descrizione": "descrizione della pagina",
    "sottotitolo": "sottotitolo",
    "storia_intro": "introduzione della storia",
    "storia_testo": "storia completa",
    "mission": "mission",
    "vision": "vision",
    "valori_intro": "introduzione dei valori",
}
"""The sections staff can edit, by key, with their name in "Modifica …" buttons."""

SEZIONI_FACOLTATIVE = {"storia_intro"}
"""Sections that may be left empty."""


FONTE = f"fonte_{INGLESE}"
"""The column that keeps the Italian an item's English was translated from (as JSON)."""


def tipo_di(elemento) -> Tipo:
    """The kind of a row of the tables (a `Sezione`, `Tappa` or `Valore`)."""
    return TIPI[type(elemento).__name__.lower()]


def italiano(elemento) -> dict[str, str]:
    """The Italian of the item's translated texts, by field."""
    return {c.nome: getattr(elemento, c.nome) or "" for c in tipo_di(elemento).campi if c.tradotto}


def fonte(elemento) -> str:
    """What an English save of the item records as its source (`FONTE`): its Italian now."""
    return json.dumps(italiano(elemento), ensure_ascii=False, sort_keys=True)


@dataclasses.dataclass(frozen=True)
class Voce:
    """One item of the page: a section by its key, or a milestone or value by its id.

    `id` is 0 for a milestone or value that is not saved yet; `tipo` is "" for no item.
    `lingua` is the language its editor writes (the page it was opened on).
    """

    tipo: str = ""
    chiave: str = ""
    id: int = 0
    lingua: str = ITALIANO

    @property
    def genere(self) -> Tipo:
        """The description of this item's kind."""
        return TIPI[self.tipo]

    @property
    def nuova(self) -> bool:
        """Whether this is a milestone or value being added."""
        return self.tipo != SEZIONE.nome and self.id == 0

    @property
    def facoltativa(self) -> bool:
        """Whether its text may be left empty."""
        return self.chiave in SEZIONI_FACOLTATIVE

    @property
    def campi(self) -> tuple[Campo, ...]:
        """The fields its editor shows, in its language."""
        return self.genere.campi_in(self.lingua)


NESSUNA = Voce()


def voce(tipo: object, chiave: object) -> Voce | None:
    """The item an event names, or None if it names nothing editable.

    Args:
        tipo: "sezione", "tappa" or "valore", as sent by the browser.
        chiave: A section's key, or a milestone's or value's id (0 for a new one).
    """
    if tipo == SEZIONE.nome:
        if isinstance(chiave, str) and chiave in SEZIONI:
            return Voce(SEZIONE.nome, chiave=chiave)
        return None
    if isinstance(tipo, str) and tipo in TIPI and type(chiave) is int and 0 <= chiave < 2**31:
        return Voce(str(tipo), id=chiave)
    return None

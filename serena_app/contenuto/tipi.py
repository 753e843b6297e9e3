"""The editable kinds of the page: section text, milestone, value.

Each kind, each of its fields and the words used for it are written here once. The tables'
limits (`models.py`), validation (`validazione.py`), the editors (`components/editor.py`) and
the announcements (`state/redazione.py`) all read these descriptions.
"""

import dataclasses
from collections.abc import Callable

from serena_app.contenuto import validazione
from serena_app.lingue import INGLESE, ITALIANO, LINGUE

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
    controllo: Callable[..., object] = validazione.testo
    """Called as `controllo(valore, massimo=…, multilinea=…, obbligatorio=…)`."""
    tradotto: bool = True
    """A text with an English version (a year is the same in every language)."""

    @property
    def contato(self) -> bool:
        """Whether its limit is a length, counted as she types (a text; a year is checked by
        its range)."""
        return self.controllo is validazione.testo

    def pulisci(self, valore: object, *, obbligatorio: bool = True) -> object:
        """The clean value (raises `validazione.ErroreValidazione` with the message)."""
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
        Campo("anno", "Anno (facoltativo)", 4, controllo=validazione.anno, tradotto=False),
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

SEZIONI_MASCHILI = {"sottotitolo"}


def testo_di(chiave: str) -> str:
    """How announcements name a section's text: "Testo della mission", "Testo del
    sottotitolo"."""
    preposizione = "del" if chiave in SEZIONI_MASCHILI else "della"
    return f"Testo {preposizione} {SEZIONI.get(chiave, chiave)}"


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


def id_controllo(azione: str, voce: Voce) -> str:
    """The HTML id of an edit control: ("apri", tappa 3) → "apri-tappa-3", ("aggiungi", a new
    milestone) → "aggiungi-tappa". `components/editor.py` gives the controls these ids.

    The state moves keyboard focus back to these controls when an editor closes.
    """
    return id_in_elenco(azione, voce.tipo, voce.chiave or (str(voce.id) if voce.id else ""))


def id_in_elenco(azione: str, tipo: str, fine):
    """The same id from its parts; `fine` may be a Reflex string Var (a milestone's id inside
    `rx.foreach`), and then so is the result."""
    prefisso = f"{azione}-{tipo}"
    if isinstance(fine, str) and not fine:
        return prefisso
    return prefisso + "-" + fine


def modifiche(quante: int) -> str:
    """ "1 modifica", "3 modifiche"."""
    return "1 modifica" if quante == 1 else f"{quante} modifiche"


def nome_voce(voce: Voce, titolo: str) -> str:
    """How announcements name an item: "Testo della mission", "Tappa «Fondazione»"."""
    if voce.tipo == SEZIONE.nome:
        return testo_di(voce.chiave)
    return f"{voce.tipo.capitalize()} «{titolo}»"

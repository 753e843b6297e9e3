"""A milestone and a value as the page renders them: plain data, no database (the sections
import it)."""

import dataclasses

# Why an item cannot move one place (`pagina.fermo`), and how the edit controls say it.
CIMA, FONDO, ANNO = "cima", "fondo", "anno"
MOTIVI_FERMO = {
    CIMA: "È in cima all’elenco: non può salire.",
    FONDO: "È in fondo all’elenco: non può scendere.",
    ANNO: "Le tappe con un anno seguono l’ordine degli anni: cambia l’anno per spostarla.",
}


@dataclasses.dataclass(frozen=True)
class TappaVista:
    """A timeline milestone as rendered; `anno` is "" when it has no year, `numero` is 1-based."""

    id: int
    numero: int
    anno: str
    titolo: str
    testo: str
    bozza: str = ""  # on the working copy: "Bozza di anna · …" if it has a draft
    su: str = ""  # why it cannot move up (`CIMA`, `ANNO`); "" if it can
    giu: str = ""  # why it cannot move down (`FONDO`, `ANNO`); "" if it can
    lingua: str = "it"  # the language of `titolo` and `testo` (Italian where no English)
    traduzione: str = ""  # on the working copy: its English is "mancante", "da aggiornare"


@dataclasses.dataclass(frozen=True)
class ValoreVista:
    """A value as rendered; `numero` (1-based) gives its anchor, e.g. `#valori-3`."""

    id: int
    numero: int
    titolo: str
    testo: str
    bozza: str = ""  # on the working copy: "Bozza di anna · …" if it has a draft
    su: str = ""  # why it cannot move up (`CIMA`, `ANNO`); "" if it can
    giu: str = ""  # why it cannot move down (`FONDO`, `ANNO`); "" if it can
    lingua: str = "it"  # the language of `titolo` and `testo` (Italian where no English)
    traduzione: str = ""  # on the working copy: its English is "mancante", "da aggiornare"


@dataclasses.dataclass(frozen=True)
class PaginaInglese:
    """The English page's texts, one var (a browser's stored state keeps a record per var):
    each section's paragraphs and the language they are in (Italian where no English), the
    milestones and values, the page description."""

    sezioni: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    lingue: dict[str, str] = dataclasses.field(default_factory=dict)
    tappe: list[TappaVista] = dataclasses.field(default_factory=list)
    valori: list[ValoreVista] = dataclasses.field(default_factory=list)
    descrizione: str = ""


@dataclasses.dataclass(frozen=True)
class Pezzo:
    """A piece of a word diff: "uguale", "tolto" or "aggiunto"."""

    tipo: str
    testo: str


@dataclasses.dataclass(frozen=True)
class RevisioneVista:
    """A revision as the panel lists it: the version it would restore, shown as what changed
    (a long text folded to its changed sentences, with the whole version in `testo`)."""

    numero: int
    azione: str
    autore: str
    quando: str  # "3 minuti fa"
    esatto: str  # "30 novembre 2026, 21:03" (Italian time)
    iso: str
    pezzi: list[Pezzo]
    ripristinabile: bool  # restoring it would change the working copy
    momento: str = ""  # what names it, unique in its history: "delle 17:02 (2 di 3)"
    piegata: bool = False  # `pezzi` holds only the changed sentences of a long text
    testo: str = ""  # where folded: the whole version, for "Mostra tutto"
    lingua: str = "it"  # the language of `pezzi` and `testo` (the panel around is Italian)

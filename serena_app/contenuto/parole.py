"""How staff are told about the page's items: their names in announcements, counts, and the
HTML ids of their edit controls (where keyboard focus goes back)."""

from serena_app.contenuto.tipi import SEZIONE, SEZIONI, Voce

SEZIONI_MASCHILI = {"sottotitolo"}


def testo_di(chiave: str) -> str:
    """How announcements name a section's text: "Testo della mission", "Testo del
    sottotitolo"."""
    preposizione = "del" if chiave in SEZIONI_MASCHILI else "della"
    return f"Testo {preposizione} {SEZIONI.get(chiave, chiave)}"


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

"""The editor's operations on one item of the page, each in its own database session.

Blocking (SQLite): the state runs these off the event loop. Each returns the sentence that is
announced to screen readers once it succeeded.
"""

from dataclasses import dataclass

from serena_app import modifiche
from serena_app.db import sessione
from serena_app.etichette import SEZIONI_MODIFICABILI
from serena_app.models import Sezione, Tappa, Valore

MODELLI: dict[str, type[Tappa] | type[Valore]] = {"tappa": Tappa, "valore": Valore}


@dataclass(frozen=True)
class Bozza:
    """An item's fields as the editor opens them, and the version they come from."""

    campi: dict[str, str]
    versione: int


def campi_di(elemento: Sezione | Tappa | Valore) -> dict[str, str]:
    """An item's editable fields as text."""
    if isinstance(elemento, Sezione):
        return {"testo": elemento.testo}
    campi = {"titolo": elemento.titolo, "testo": elemento.testo}
    if isinstance(elemento, Tappa):
        campi["anno"] = "" if elemento.anno is None else str(elemento.anno)
    return campi


def leggi_bozza(tipo: str, ident: str | int) -> Bozza | None:
    """The stored fields of an item, or None if it does not exist."""
    with sessione() as session:
        elemento = session.get(Sezione if tipo == "sezione" else MODELLI[tipo], ident)
        return None if elemento is None else Bozza(campi_di(elemento), elemento.versione)


def _nome(tipo: str, ident: str | int, valori: dict) -> str:
    if tipo == "sezione":
        return f"Testo della {SEZIONI_MODIFICABILI[str(ident)]}"
    return f"{tipo.capitalize()} «{valori['titolo']}»"


def salva(tipo: str, ident: str | int, valori: dict, versione: int) -> str:
    """Save an item's fields if it is still at `versione` (raises `modifiche.Conflitto`)."""
    with sessione() as session:
        if tipo == "sezione":
            modifiche.salva_sezione(session=session, chiave=str(ident), versione=versione, **valori)
            return f"{_nome(tipo, ident, valori)} salvato."
        if tipo == "tappa":
            dove = modifiche.salva_tappa(
                session=session, id=int(ident), versione=versione, **valori
            )
            return (
                f"{_nome(tipo, ident, valori)} salvata, posizione {dove.numero} di {dove.totale}."
            )
        modifiche.salva_valore(session=session, id=int(ident), versione=versione, **valori)
        return f"{_nome(tipo, ident, valori)} salvato."


def aggiungi(tipo: str, valori: dict) -> str:
    """Add a milestone or a value."""
    with sessione() as session:
        if tipo == "tappa":
            dove = modifiche.aggiungi_tappa(session=session, **valori)
        else:
            dove = modifiche.aggiungi_valore(session=session, **valori)
    articolo = "aggiunta" if tipo == "tappa" else "aggiunto"
    return f"{_nome(tipo, 0, valori)} {articolo}, posizione {dove.numero} di {dove.totale}."


def elimina(tipo: str, ident: int, versione: int) -> str:
    """Delete a milestone or a value unless it changed since `versione`."""
    with sessione() as session:
        elemento = session.get(MODELLI[tipo], ident)
        titolo = elemento.titolo if elemento else ""
        modifiche.elimina(session=session, modello=MODELLI[tipo], id=ident, versione=versione)
    articolo = "eliminata" if tipo == "tappa" else "eliminato"
    return f"{_nome(tipo, ident, {'titolo': titolo})} {articolo}."


def sposta(tipo: str, ident: int, di: int) -> str:
    """Move a milestone or a value one place up or down."""
    with sessione() as session:
        dove = modifiche.sposta(session=session, modello=MODELLI[tipo], id=ident, di=di)
        titolo = session.get(MODELLI[tipo], ident).titolo
    articolo = "spostata" if tipo == "tappa" else "spostato"
    return (
        f"{_nome(tipo, ident, {'titolo': titolo})} {articolo} "
        f"in posizione {dove.numero} di {dove.totale}."
    )

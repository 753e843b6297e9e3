"""Writes the seed into a page: once into an empty database, or over a page's content to put
the seed back."""

from typing import Any

from sqlmodel import Session, delete, select

from serena_app.contenuto.pagina import (
    PUBBLICATA,
    Pagina,
    campi_di,
    chiave_di,
    incrementa_versione,
    registra,
)
from serena_app.contenuto.seme import CONTENUTO, testi_delle_sezioni
from serena_app.models import Sezione, Tappa, Valore


def _completa(session: Session, pagina: Pagina, contenuto: dict, chiavi: set[str]) -> None:
    """Add the sections a newer version of the site made editable to a page that has content."""
    mancanti = {k: t for k, t in testi_delle_sezioni(contenuto).items() if k not in chiavi}
    righe = [Sezione(pagina=pagina.nome, chiave=k, testo=t) for k, t in mancanti.items()]
    session.add_all(righe)
    if mancanti:
        session.flush()
        _nella_storia(session, pagina, righe)
        incrementa_versione(session=session, pagina=pagina)
        session.commit()


def semina(
    *,
    session: Session,
    pagina: Pagina = PUBBLICATA,
    contenuto: dict[str, Any] = CONTENUTO,
    sovrascrivi: bool = False,
) -> bool:
    """Write the seed content into a page, in one transaction.

    Args:
        session: An open session; committed when something was written.
        pagina: The page to write.
        contenuto: The parsed content file.
        sovrascrivi: Replace whatever the page holds; otherwise a page with content is left
            alone.

    Returns:
        True if the page has been seeded, False if it was left alone.
    """
    if not sovrascrivi:
        esistenti = session.exec(select(Sezione.chiave).where(Sezione.pagina == pagina.nome))
        if chiavi := set(esistenti):
            _completa(session, pagina, contenuto, chiavi)
            return False
    scrivi(session=session, pagina=pagina, contenuto=contenuto)
    session.commit()
    return True


def scrivi(*, session: Session, pagina: Pagina, contenuto: dict[str, Any] = CONTENUTO) -> None:
    """Replace whatever the page holds with `contenuto`, in the caller's transaction."""
    for modello in (Sezione, Tappa, Valore):
        session.exec(delete(modello).where(modello.pagina == pagina.nome))
    righe = [
        Sezione(pagina=pagina.nome, chiave=k, testo=t)
        for k, t in testi_delle_sezioni(contenuto).items()
    ]
    righe += [Tappa(pagina=pagina.nome, posizione=n, **t) for n, t in enumerate(contenuto["tappe"])]
    righe += [
        Valore(pagina=pagina.nome, posizione=n, **v) for n, v in enumerate(contenuto["valori"])
    ]
    session.add_all(righe)
    session.flush()
    _nella_storia(session, pagina, righe)
    incrementa_versione(session=session, pagina=pagina)


def _nella_storia(session: Session, pagina: Pagina, righe: list) -> None:
    """History starts with the content file's text, so that text can come back too."""
    for riga in righe:
        registra(
            session,
            pagina=pagina,
            tipo=type(riga).__name__.lower(),
            chiave=chiave_di(riga),
            azione="creata",
            autore=None,
            dopo=campi_di(riga),
        )

"""Writes the seed into a page: once into an empty database, or over a page's content to put
the seed back."""

from typing import Any

from sqlmodel import Session, col, delete, select

from serena_app.contenuto import bozze, tipi
from serena_app.contenuto.pagina import (
    BOZZA,
    PUBBLICATA,
    SITO,
    Pagina,
    campi_di,
    chiave_di,
    incrementa_versione,
    registra,
)
from serena_app.contenuto.seme import CONTENUTO, testi_delle_sezioni
from serena_app.contenuto.tipi import TAPPA, VALORE
from serena_app.lingue import INGLESE
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
    """Write the seed content into a page, in one transaction. For the site's page, its
    working copy is made too, or given the sections the seed added (`bozze.apri`).

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
            _apri_la_bozza(session, pagina)
            for tradurre in (pagina, BOZZA if pagina == PUBBLICATA else None):
                if tradurre is not None:
                    _traduci(session, tradurre, contenuto)
            return False
    scrivi(session=session, pagina=pagina, contenuto=contenuto)
    session.commit()
    _apri_la_bozza(session, pagina)
    return True


def _apri_la_bozza(session: Session, pagina: Pagina) -> None:
    if pagina == PUBBLICATA:
        bozze.apri(session=session, spazio=SITO)


def scrivi(*, session: Session, pagina: Pagina, contenuto: dict[str, Any] = CONTENUTO) -> None:
    """Replace whatever the page holds with `contenuto`, in the caller's transaction."""
    for modello in (Sezione, Tappa, Valore):
        session.exec(delete(modello).where(col(modello.pagina) == pagina.nome))
    inglesi = testi_delle_sezioni(contenuto, "_en")
    righe: list = [
        Sezione(pagina=pagina.nome, chiave=k, testo=t, testo_en=inglesi.get(k))
        for k, t in testi_delle_sezioni(contenuto).items()
    ]
    righe += [Tappa(pagina=pagina.nome, posizione=n, **t) for n, t in enumerate(contenuto["tappe"])]
    righe += [
        Valore(pagina=pagina.nome, posizione=n, **v) for n, v in enumerate(contenuto["valori"])
    ]
    for riga in righe:
        _tradotta(riga)
    session.add_all(righe)
    session.flush()
    _nella_storia(session, pagina, righe)
    incrementa_versione(session=session, pagina=pagina)


def _dal_seme(contenuto: dict) -> dict[tuple, dict[str, str]]:
    """The content file's English columns by its Italian: ("sezione", key, text) for a
    section, (kind, title, text) for a milestone or value."""
    inglesi = testi_delle_sezioni(contenuto, "_en")
    seme = {
        ("sezione", k, t): {"testo_en": inglesi[k]}
        for k, t in testi_delle_sezioni(contenuto).items()
        if k in inglesi
    }
    for tipo in (TAPPA, VALORE):
        for dati in contenuto[tipo.plurale]:
            if "testo_en" in dati:
                chiave = (tipo.nome, dati["titolo"], dati["testo"])
                seme[chiave] = {c: dati[c] for c in ("titolo_en", "testo_en")}
    return seme


def _traduci(session: Session, pagina: Pagina, contenuto: dict) -> None:
    """Give the content file's English to the page's items that still have the file's Italian
    and no English yet (a site from before the page had two languages); commits."""
    seme = _dal_seme(contenuto)
    righe: list = []
    for modello in (Sezione, Tappa, Valore):
        righe += session.exec(select(modello).where(modello.pagina == pagina.nome))
    tradotte = 0
    for riga in righe:
        tipo = tipi.tipo_di(riga).nome
        italiano = riga.chiave if isinstance(riga, Sezione) else riga.titolo
        inglese = seme.get((tipo, italiano, riga.testo))
        if riga.testo_en is not None or inglese is None:
            continue
        prima = campi_di(riga)
        for colonna, testo in inglese.items():
            setattr(riga, colonna, testo)
        _tradotta(riga)
        tradotte += 1
        registra(
            session,
            pagina=pagina,
            tipo=tipo,
            chiave=chiave_di(riga),
            azione="tradotta",
            autore=None,
            prima=prima,
            dopo=campi_di(riga),
            lingua=INGLESE,
        )
    if tradotte:
        incrementa_versione(session=session, pagina=pagina)
        session.commit()


def _tradotta(riga) -> None:
    """The content file's English was translated from its Italian: record that source."""
    if riga.testo_en is not None:
        riga.fonte_en = tipi.fonte(riga)


def _nella_storia(session: Session, pagina: Pagina, righe: list) -> None:
    """History starts with the content file's text, so that text can come back too."""
    for riga in righe:
        registra(
            session,
            pagina=pagina,
            tipo=tipi.tipo_di(riga).nome,
            chiave=chiave_di(riga),
            azione="creata",
            autore=None,
            dopo=campi_di(riga),
        )

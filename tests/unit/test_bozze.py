"""Drafts (`serena_app/contenuto/bozze.py`): the working copy changes nothing published until
"Pubblica", which applies every change in one transaction; "Scarta bozze" drops them all."""

import pytest
from sqlmodel import Session

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.bozze import Differenza
from serena_app.contenuto.istantanea import leggi_istantanea
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO
from serena_app.contenuto.tipi import SEZIONE, VALORE, Voce
from serena_app.models import Sezione, Tappa, Valore
from tests.factories import db_seminato, salva_mission

MISSION = Voce(SEZIONE.nome, chiave="mission")


@pytest.fixture
def db(session, contenuto) -> Session:
    db_seminato(session, contenuto)
    bozze.apri(session=session, spazio=SITO)
    return session


def _pagina(session: Session, quale: pagina.Pagina) -> tuple:
    """What a visitor of `quale` would see: sections, milestones, values (texts only)."""
    session.expire_all()
    foto = leggi_istantanea(session=session, pagina=quale)
    return (
        foto.sezioni,
        [(t.anno, t.titolo, t.testo) for t in foto.tappe],
        [(v.titolo, v.testo) for v in foto.valori],
    )


def _elenco(session: Session, modello, quale=BOZZA) -> list:
    session.expire_all()
    return pagina.leggi_elenco(session=session, pagina=quale, modello=modello)


def _voce(riga) -> Voce:
    return Voce(type(riga).__name__.lower(), id=riga.id)


def _modifica_tutto(session: Session) -> None:
    """A section, a milestone's title, a new value, a deleted milestone, a moved value."""
    versione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION).versione
    pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=MISSION,
        campi={"testo": "Mission in bozza."},
        versione=versione,
        autore="anna",
    )
    prima = _elenco(session, Tappa)[0]
    campi = {"anno": prima.anno, "titolo": "Fondazione, in bozza", "testo": prima.testo}
    pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=_voce(prima),
        campi=campi,
        versione=prima.versione,
        autore="anna",
    )
    pagina.aggiungi(
        session=session,
        pagina=BOZZA,
        tipo=VALORE,
        campi={"titolo": "Valore nuovo", "testo": "Aggiunto in bozza."},
        autore="bruno",
    )
    ultima = _elenco(session, Tappa)[-1]
    pagina.elimina(session=session, pagina=BOZZA, voce=_voce(ultima), versione=ultima.versione)
    terzo = _elenco(session, Valore)[2]
    pagina.sposta(session=session, pagina=BOZZA, voce=_voce(terzo), di=-1, autore="bruno")


def test_drafts_change_nothing_published_and_list_what_would_change(db):
    pubblicata = _pagina(db, PUBBLICATA)
    _modifica_tutto(db)
    assert _pagina(db, PUBBLICATA) == pubblicata
    assert _pagina(db, BOZZA) != pubblicata
    cambi = bozze.differenze(session=db, spazio=SITO)
    assert Differenza("sezione", "mission", "modificata") in cambi
    assert Differenza("tappa", "Fondazione, in bozza", "modificata") in cambi
    assert Differenza("valore", "Valore nuovo", "aggiunta") in cambi
    assert Differenza("tappa", "Cooperativa sociale di tipo A", "eliminata") in cambi
    assert {d.cosa for d in cambi if d.tipo == "valore"} == {"aggiunta", "spostata"}
    segnate = [t for t in _elenco(db, Tappa) if t.autore]
    assert [(t.titolo, t.autore) for t in segnate] == [("Fondazione, in bozza", "anna")]
    assert segnate[0].modificata is not None


def test_publishing_applies_every_draft_and_keeps_published_ids(db):
    ids = [t.id for t in _elenco(db, Tappa, PUBBLICATA)]
    _modifica_tutto(db)
    bozza = _pagina(db, BOZZA)
    prima = pagina.versione_pagina(session=db, pagina=PUBBLICATA)
    assert bozze.pubblica(session=db, spazio=SITO) == prima + 1
    assert _pagina(db, PUBBLICATA) == bozza
    assert _pagina(db, BOZZA) == bozza
    assert bozze.differenze(session=db, spazio=SITO) == []
    assert [t.id for t in _elenco(db, Tappa, PUBBLICATA)] == ids[:-1]  # the deleted one
    assert not any(r.autore for r in [*_elenco(db, Tappa), *_elenco(db, Valore)])


def test_a_publish_that_fails_midway_leaves_the_published_page_as_it_was(db, monkeypatch):
    pubblicata = _pagina(db, PUBBLICATA)
    _modifica_tutto(db)
    incrementa = pagina.incrementa_versione

    def guasto(*, session, pagina):
        if pagina == PUBBLICATA:  # the last step, after every row was written
            raise RuntimeError("disco pieno")
        return incrementa(session=session, pagina=pagina)

    monkeypatch.setattr(pagina, "incrementa_versione", guasto)
    with pytest.raises(RuntimeError):
        bozze.pubblica(session=db, spazio=SITO)
    monkeypatch.undo()
    assert _pagina(db, PUBBLICATA) == pubblicata
    assert len(bozze.differenze(session=db, spazio=SITO)) == 6


def test_discarding_drops_every_draft(db):
    pubblicata = _pagina(db, PUBBLICATA)
    _modifica_tutto(db)
    bozze.scarta(session=db, spazio=SITO)
    assert _pagina(db, BOZZA) == pubblicata
    assert _pagina(db, PUBBLICATA) == pubblicata
    assert bozze.differenze(session=db, spazio=SITO) == []


def test_two_staff_on_the_same_draft_the_stale_save_is_refused(engine, db):
    with Session(engine) as anna, Session(engine) as bruno:
        versione = pagina.leggi_elemento(session=anna, pagina=BOZZA, voce=MISSION).versione
        pagina.salva(
            session=anna,
            pagina=BOZZA,
            voce=MISSION,
            campi={"testo": "Di Anna."},
            versione=versione,
            autore="anna",
        )
        with pytest.raises(pagina.Conflitto) as conflitto:
            pagina.salva(
                session=bruno,
                pagina=BOZZA,
                voce=MISSION,
                campi={"testo": "Di Bruno."},
                versione=versione,
                autore="bruno",
            )
    assert conflitto.value.attuale.testo == "Di Anna."
    assert conflitto.value.attuale.autore == "anna"


def test_opening_the_draft_twice_makes_one_copy(db):
    bozze.apri(session=db, spazio=SITO)
    assert len(_elenco(db, Tappa)) == len(_elenco(db, Tappa, PUBBLICATA))
    assert len(_elenco(db, Valore)) == len(_elenco(db, Valore, PUBBLICATA))


def test_a_working_copy_made_before_a_section_was_editable_gets_it(db):
    db.delete(db.get(Sezione, (BOZZA.nome, "sottotitolo")))
    db.commit()
    bozze.apri(session=db, spazio=SITO)
    pubblicato = db.get(Sezione, (PUBBLICATA.nome, "sottotitolo")).testo
    assert db.get(Sezione, (BOZZA.nome, "sottotitolo")).testo == pubblicato
    assert bozze.differenze(session=db, spazio=SITO) == []


def test_a_draft_saved_after_the_list_was_shown_is_not_published_with_it(engine, db):
    """Anna is shown one change; Bruno saves the mission meanwhile, from his own session. Her
    publish of what she saw is refused and publishes nothing; the list read again has both
    changes, and publishing it publishes exactly those."""
    pubblicata = _pagina(db, PUBBLICATA)
    primo = _elenco(db, Valore)[0]
    campi = {"titolo": "Valore di Anna", "testo": primo.testo}
    pagina.salva(
        session=db,
        pagina=BOZZA,
        voce=_voce(primo),
        campi=campi,
        versione=primo.versione,
        autore="anna",
    )
    versione, elenco = bozze.da_pubblicare(session=db, spazio=SITO)
    visto = [str(d) for d in elenco]
    assert visto == ["Valore «Valore di Anna»: modificato"]
    with Session(engine) as bruno:
        salva_mission(bruno, "La mission di Bruno.", "bruno")
    for confermato in ({"versione": versione, "elenco": visto}, {"elenco": visto}):
        with pytest.raises(bozze.BozzaCambiata):
            bozze.pubblica(session=db, spazio=SITO, autore="anna", **confermato)
        assert _pagina(db, PUBBLICATA) == pubblicata
    versione, elenco = bozze.da_pubblicare(session=db, spazio=SITO)
    visto = [str(d) for d in elenco]
    assert visto == ["Testo della mission: modificato", "Valore «Valore di Anna»: modificato"]
    bozze.pubblica(session=db, spazio=SITO, versione=versione, elenco=visto, autore="anna")
    assert _pagina(db, PUBBLICATA) == _pagina(db, BOZZA)
    assert _pagina(db, PUBBLICATA)[0]["mission"] == ["La mission di Bruno."]
    assert bozze.differenze(session=db, spazio=SITO) == []

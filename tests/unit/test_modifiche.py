"""Writing content: version checks between two editors, ordering rules, one transaction each."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from serena_app import modifiche, repository
from serena_app.models import Sezione, Tappa, Valore
from tests.factories import db_seminato


@pytest.fixture
def db(session, contenuto) -> Session:
    return db_seminato(session, contenuto)


def _tappe(session: Session) -> list[Tappa]:
    session.expire_all()
    return list(session.exec(select(Tappa).order_by(Tappa.posizione)))


def test_two_editors_the_stale_save_is_refused_with_the_newer_text(engine, db):
    with Session(engine) as prima, Session(engine) as seconda:
        versione = prima.get(Sezione, "mission").versione
        assert seconda.get(Sezione, "mission").versione == versione
        modifiche.salva_sezione(
            session=prima, chiave="mission", testo="Di Anna.", versione=versione
        )
        with pytest.raises(modifiche.Conflitto) as conflitto:
            modifiche.salva_sezione(
                session=seconda, chiave="mission", testo="Di Bruno.", versione=versione
            )
    assert conflitto.value.attuale.testo == "Di Anna."
    db.expire_all()
    assert db.get(Sezione, "mission").testo == "Di Anna."


def test_every_save_bumps_the_page_revision(db):
    prima = repository.revisione_pagina(session=db)
    versione = db.get(Sezione, "vision").versione
    modifiche.salva_sezione(session=db, chiave="vision", testo="Nuova.", versione=versione)
    assert repository.revisione_pagina(session=db) == prima + 1
    assert db.get(Sezione, "vision").versione == versione + 1


def test_saving_a_deleted_item_says_so(db):
    tappa = _tappe(db)[1]
    modifiche.elimina(session=db, modello=Tappa, id=tappa.id, versione=tappa.versione)
    with pytest.raises(modifiche.NonTrovato):
        modifiche.salva_tappa(
            session=db, id=tappa.id, anno=None, titolo="T", testo="X", versione=tappa.versione
        )


def test_deleting_an_item_changed_meanwhile_is_refused(db):
    valore = db.exec(select(Valore)).first()
    modifiche.salva_valore(
        session=db, id=valore.id, titolo="Nuovo", testo="Testo.", versione=valore.versione
    )
    with pytest.raises(modifiche.Conflitto):
        modifiche.elimina(session=db, modello=Valore, id=valore.id, versione=valore.versione - 1)
    assert db.get(Valore, valore.id) is not None


def test_moves_that_break_year_order_are_refused(db):
    prima = _tappe(db)
    with pytest.raises(modifiche.OrdineNonValido, match="ordine cronologico"):
        # Moving 1986 below an undated milestone is fine; below 1994 is not.
        for _ in range(len(prima)):
            modifiche.sposta(session=db, modello=Tappa, id=prima[0].id, di=1)
    anni = [t.anno for t in _tappe(db) if t.anno is not None]
    assert anni == sorted(anni)


def test_moves_report_the_new_position_and_stop_at_the_ends(db):
    tappe = _tappe(db)
    dove = modifiche.sposta(session=db, modello=Tappa, id=tappe[2].id, di=-1)
    assert (dove.numero, dove.totale) == (2, len(tappe))
    assert [t.id for t in _tappe(db)][1] == tappe[2].id
    with pytest.raises(modifiche.OrdineNonValido, match="limite"):
        modifiche.sposta(session=db, modello=Tappa, id=tappe[0].id, di=-1)


def test_a_new_year_moves_the_milestone_into_year_order(db):
    tappe = _tappe(db)
    ultima = tappe[-1]  # 1994
    dove = modifiche.salva_tappa(
        session=db,
        id=ultima.id,
        anno=1980,
        titolo=ultima.titolo,
        testo=ultima.testo,
        versione=ultima.versione,
    )
    assert dove.numero == 1
    assert [t.anno for t in _tappe(db) if t.anno] == [1980, 1986]


def test_added_milestones_go_to_the_end_or_where_their_year_belongs(db):
    n = len(_tappe(db))
    senza_anno = modifiche.aggiungi_tappa(session=db, anno=None, titolo="Oggi", testo="Testo.")
    assert (senza_anno.numero, senza_anno.totale) == (n + 1, n + 1)
    con_anno = modifiche.aggiungi_tappa(session=db, anno=1990, titolo="1990", testo="Testo.")
    anni = [t.anno for t in _tappe(db) if t.anno is not None]
    assert anni == sorted(anni)
    assert con_anno.numero < n + 2


def test_added_values_go_to_the_end(db, contenuto):
    dove = modifiche.aggiungi_valore(session=db, titolo="Nuovo", testo="Testo.")
    assert dove.numero == len(contenuto["valori"]) + 1
    assert repository.leggi_valori(session=db)[-1].titolo == "Nuovo"


def test_concurrent_writers_wait_for_each_other_and_lose_nothing(engine, db):
    prima = repository.revisione_pagina(session=db)
    valori_prima = len(repository.leggi_valori(session=db))

    def scrivi(nome: str) -> None:
        for i in range(15):
            with Session(engine) as session:
                modifiche.aggiungi_valore(session=session, titolo=f"{nome} {i}", testo="Testo.")
                tappa = _tappe(session)[0]
                modifiche.sposta(session=session, modello=Tappa, id=tappa.id, di=1)

    with ThreadPoolExecutor(3) as esecutore:
        for futuro in [esecutore.submit(scrivi, n) for n in ("a", "b", "c")]:
            futuro.result(timeout=60)
    db.expire_all()
    assert len(repository.leggi_valori(session=db)) == valori_prima + 45
    assert repository.revisione_pagina(session=db) == prima + 90

"""Writing the page's content: version checks, ordering rules, one transaction each, a counter
that loses no increment, pages that do not touch each other, and writes that say what changed."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from serena_app.contenuto import pagina
from serena_app.contenuto.istantanea import con_scrittura, leggi_istantanea
from serena_app.contenuto.pagina import PUBBLICATA, Pagina
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE, Voce
from serena_app.contenuto.viste import ANNO, CIMA, FONDO
from serena_app.models import Tappa, Valore
from tests.factories import db_seminato

MISSION = Voce(SEZIONE.nome, chiave="mission")


@pytest.fixture
def db(session, contenuto) -> Session:
    return db_seminato(session, contenuto)


def _tappe(session: Session) -> list[Tappa]:
    session.expire_all()
    return pagina.leggi_elenco(session=session, pagina=PUBBLICATA, modello=Tappa)


def _voce(elemento: Tappa | Valore) -> Voce:
    return Voce(type(elemento).__name__.lower(), id=elemento.id)


def _salva_sezione(session: Session, voce: Voce, testo: str, versione: int):
    return pagina.salva(
        session=session, pagina=PUBBLICATA, voce=voce, campi={"testo": testo}, versione=versione
    )


def _sposta(session: Session, elemento: Tappa | Valore, di: int):
    return pagina.sposta(session=session, pagina=PUBBLICATA, voce=_voce(elemento), di=di)


def _versione(session: Session, voce: Voce) -> int:
    session.expire_all()
    return pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=voce).versione


def test_two_editors_the_stale_save_is_refused_with_the_newer_text(engine, db):
    with Session(engine) as prima, Session(engine) as seconda:
        versione = _versione(prima, MISSION)
        assert _versione(seconda, MISSION) == versione
        _salva_sezione(prima, MISSION, "Di Anna.", versione)
        with pytest.raises(pagina.Conflitto) as conflitto:
            _salva_sezione(seconda, MISSION, "Di Bruno.", versione)
    assert conflitto.value.attuale.testo == "Di Anna."
    db.expire_all()
    assert pagina.leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo == "Di Anna."


def test_every_save_bumps_the_page_counter_and_the_item_version(db):
    prima = pagina.versione_pagina(session=db, pagina=PUBBLICATA)
    vision = Voce(SEZIONE.nome, chiave="vision")
    versione = _versione(db, vision)
    scrittura = _salva_sezione(db, vision, "Nuova.", versione)
    assert pagina.versione_pagina(session=db, pagina=PUBBLICATA) == prima + 1
    assert scrittura.versione_pagina == prima + 1
    assert _versione(db, vision) == versione + 1


def test_saving_a_deleted_item_says_so(db):
    tappa = _tappe(db)[1]
    pagina.elimina(session=db, pagina=PUBBLICATA, voce=_voce(tappa), versione=tappa.versione)
    with pytest.raises(pagina.NonTrovato):
        pagina.salva(
            session=db,
            pagina=PUBBLICATA,
            voce=_voce(tappa),
            campi={"anno": None, "titolo": "T", "testo": "X"},
            versione=tappa.versione,
        )


def test_deleting_an_item_changed_meanwhile_is_refused(db):
    valore = db.exec(select(Valore)).first()
    voce, letta = _voce(valore), valore.versione
    pagina.salva(
        session=db,
        pagina=PUBBLICATA,
        voce=voce,
        campi={"titolo": "Nuovo", "testo": "T."},
        versione=letta,
    )
    with pytest.raises(pagina.Conflitto):
        pagina.elimina(session=db, pagina=PUBBLICATA, voce=voce, versione=letta)
    assert db.get(Valore, valore.id) is not None


def test_moves_that_break_year_order_are_refused(db):
    prima = _tappe(db)
    with pytest.raises(pagina.OrdineNonValido, match="ordine cronologico"):
        # Moving 1986 below an undated milestone is fine; below 1994 is not.
        for _ in range(len(prima)):
            _sposta(db, prima[0], 1)
    anni = [t.anno for t in _tappe(db) if t.anno is not None]
    assert anni == sorted(anni)


def test_moves_report_the_new_position_and_stop_at_the_ends(db):
    tappe = _tappe(db)
    dove = _sposta(db, tappe[2], -1)
    assert dove.posizione == (2, len(tappe))
    assert [t.id for t in _tappe(db)][1] == tappe[2].id
    with pytest.raises(pagina.OrdineNonValido, match="limite"):
        _sposta(db, tappe[0], -1)


def test_the_page_says_which_moves_would_be_refused_and_why(db):
    """The snapshot tells the edit controls which moves `sposta` refuses: the ends of each
    list, and dated milestones that would pass each other (1994 and 2000 here)."""
    pagina.aggiungi(
        session=db,
        pagina=PUBBLICATA,
        tipo=TAPPA,
        campi={"anno": 2000, "titolo": "Duemila", "testo": "T."},
    )
    vista = leggi_istantanea(session=db, pagina=PUBBLICATA)
    assert [(t.anno, t.su, t.giu) for t in vista.tappe] == [
        ("1986", CIMA, ""),
        ("", "", ""),
        ("", "", ""),
        ("", "", ""),
        ("1994", "", ANNO),
        ("2000", ANNO, FONDO),
    ]
    valori = vista.valori
    assert (valori[0].su, valori[-1].giu) == (CIMA, FONDO)
    assert {v.su for v in valori[1:]} | {v.giu for v in valori[:-1]} == {""}
    tappe = _tappe(db)
    for elemento, di in ((tappe[4], 1), (tappe[5], -1)):
        with pytest.raises(pagina.OrdineNonValido, match="ordine cronologico"):
            _sposta(db, elemento, di)
        db.rollback()  # a refused move leaves its write lock to roll back
    with pytest.raises(pagina.OrdineNonValido, match="limite"):
        _sposta(db, tappe[5], 1)


def test_a_new_year_moves_the_milestone_into_year_order(db):
    ultima = _tappe(db)[-1]  # 1994
    dove = pagina.salva(
        session=db,
        pagina=PUBBLICATA,
        voce=_voce(ultima),
        campi={"anno": 1980, "titolo": ultima.titolo, "testo": ultima.testo},
        versione=ultima.versione,
    )
    assert dove.posizione[0] == 1
    assert [t.anno for t in _tappe(db) if t.anno] == [1980, 1986]


def test_a_timeline_stored_out_of_order_is_mended_by_the_next_save(db):
    """Rows written before the rules held (years out of order, two rows at one place): a
    move, and a save of any milestone, still work, and the save puts the years back."""
    db.exec(text("UPDATE tappa SET anno = 2001 WHERE anno = 1986"))
    db.exec(text("UPDATE tappa SET posizione = 1 WHERE posizione = 2"))
    db.commit()
    tappe = _tappe(db)
    assert not pagina.in_ordine_di_anno(tappe)
    _sposta(db, tappe[2], -1)
    tappe = _tappe(db)
    dove = pagina.salva(
        session=db,
        pagina=PUBBLICATA,
        voce=_voce(tappe[1]),
        campi={"anno": 1990, "titolo": tappe[1].titolo, "testo": tappe[1].testo},
        versione=tappe[1].versione,
    )
    tappe = _tappe(db)
    assert pagina.in_ordine_di_anno(tappe)
    assert [t.anno for t in tappe if t.anno] == [1990, 1994, 2001]
    assert [t.posizione for t in tappe] == list(range(len(tappe)))
    assert dove.posizione == (1, len(tappe))


def test_added_milestones_go_to_the_end_or_where_their_year_belongs(db):
    n = len(_tappe(db))
    senza_anno = pagina.aggiungi(
        session=db,
        pagina=PUBBLICATA,
        tipo=TAPPA,
        campi={"anno": None, "titolo": "Oggi", "testo": "T."},
    )
    assert senza_anno.posizione == (n + 1, n + 1)
    con_anno = pagina.aggiungi(
        session=db,
        pagina=PUBBLICATA,
        tipo=TAPPA,
        campi={"anno": 1990, "titolo": "1990", "testo": "T."},
    )
    anni = [t.anno for t in _tappe(db) if t.anno is not None]
    assert anni == sorted(anni)
    assert con_anno.posizione[0] < n + 2


def test_added_values_go_to_the_end(db, contenuto):
    dove = pagina.aggiungi(
        session=db, pagina=PUBBLICATA, tipo=VALORE, campi={"titolo": "Nuovo", "testo": "Testo."}
    )
    assert dove.posizione == (len(contenuto["valori"]) + 1,) * 2
    valori = pagina.leggi_elenco(session=db, pagina=PUBBLICATA, modello=Valore)
    assert valori[-1].titolo == "Nuovo"


def test_what_a_write_returns_gives_the_same_page_as_reading_it_again(db):
    """The snapshot after a write is built from what the write returned, with no second full
    read: it must equal a fresh read, for every kind of write."""
    tappe = _tappe(db)
    valore = pagina.leggi_elenco(session=db, pagina=PUBBLICATA, modello=Valore)[0]
    scritture = [
        lambda: _salva_sezione(db, MISSION, "Nuova mission.", _versione(db, MISSION)),
        lambda: _sposta(db, tappe[2], -1),
        lambda: pagina.aggiungi(
            session=db,
            pagina=PUBBLICATA,
            tipo=TAPPA,
            campi={"anno": 1990, "titolo": "T", "testo": "X"},
        ),
        lambda: pagina.salva(
            session=db,
            pagina=PUBBLICATA,
            voce=_voce(valore),
            campi={"titolo": "Rinominato", "testo": "Y"},
            versione=valore.versione,
        ),
        lambda: pagina.elimina(
            session=db, pagina=PUBBLICATA, voce=_voce(tappe[0]), versione=tappe[0].versione
        ),
    ]
    attesa = leggi_istantanea(session=db, pagina=PUBBLICATA)
    for scrivi in scritture:
        attesa = con_scrittura(attesa, scrivi())
        db.expire_all()
        assert attesa == leggi_istantanea(session=db, pagina=PUBBLICATA)


def test_a_write_on_one_page_leaves_another_page_alone(engine, db, contenuto):
    altra = Pagina("prova")
    with Session(engine) as session:
        semina(session=session, pagina=altra, contenuto=contenuto)
    pubblicata_prima = leggi_istantanea(session=db, pagina=PUBBLICATA)
    sezione = pagina.leggi_sezioni(session=db, pagina=altra)["mission"]
    pagina.salva(
        session=db,
        pagina=altra,
        voce=MISSION,
        campi={"testo": "Solo qui."},
        versione=sezione.versione,
    )
    tappa_altrui = pagina.leggi_elenco(session=db, pagina=altra, modello=Tappa)[0]
    with pytest.raises(pagina.NonTrovato):  # an id of another page is not this page's item
        pagina.sposta(session=db, pagina=PUBBLICATA, voce=_voce(tappa_altrui), di=1)
    db.expire_all()
    assert leggi_istantanea(session=db, pagina=PUBBLICATA) == pubblicata_prima
    assert leggi_istantanea(session=db, pagina=altra).sezioni["mission"] == ["Solo qui."]


def test_concurrent_increments_of_the_page_counter_lose_nothing(engine, db):
    """Many writers bump the counter at once, each in its own transaction: every increment
    counts, and no two writers get the same number."""
    prima = pagina.versione_pagina(session=db, pagina=PUBBLICATA)
    scrittori, volte = 4, 25
    partenza = threading.Barrier(scrittori)

    def incrementa() -> list[int]:
        partenza.wait()
        numeri = []
        for _ in range(volte):
            with Session(engine) as session:
                numeri.append(pagina.incrementa_versione(session=session, pagina=PUBBLICATA))
                session.commit()
        return numeri

    with ThreadPoolExecutor(scrittori) as esecutore:
        futuri = [esecutore.submit(incrementa) for _ in range(scrittori)]
        numeri = [n for futuro in futuri for n in futuro.result(timeout=60)]
    db.expire_all()
    assert pagina.versione_pagina(session=db, pagina=PUBBLICATA) == prima + scrittori * volte
    assert sorted(numeri) == list(range(prima + 1, prima + scrittori * volte + 1))


def test_concurrent_writers_wait_for_each_other_and_lose_nothing(engine, db):
    prima = pagina.versione_pagina(session=db, pagina=PUBBLICATA)
    valori_prima = len(pagina.leggi_elenco(session=db, pagina=PUBBLICATA, modello=Valore))

    def scrivi(nome: str) -> None:
        for i in range(6):  # 18 more values: under the cap of 30
            with Session(engine) as session:
                pagina.aggiungi(
                    session=session,
                    pagina=PUBBLICATA,
                    tipo=VALORE,
                    campi={"titolo": f"{nome} {i}", "testo": "Testo."},
                )
                _sposta(session, _tappe(session)[0], 1)

    with ThreadPoolExecutor(3) as esecutore:
        for futuro in [esecutore.submit(scrivi, n) for n in ("a", "b", "c")]:
            futuro.result(timeout=60)
    db.expire_all()
    assert (
        len(pagina.leggi_elenco(session=db, pagina=PUBBLICATA, modello=Valore)) == valori_prima + 18
    )
    assert pagina.versione_pagina(session=db, pagina=PUBBLICATA) == prima + 36


@pytest.mark.parametrize("tipo", [TAPPA, VALORE], ids=lambda t: t.nome)
def test_a_full_list_refuses_one_more_and_changes_nothing(db, tipo):
    presenti = pagina.quanti(session=db, pagina=PUBBLICATA, tipo=tipo)
    campi = {"titolo": "Una in più", "testo": "Testo."} | ({"anno": None} if tipo is TAPPA else {})
    for _ in range(tipo.massimo - presenti):
        pagina.aggiungi(session=db, pagina=PUBBLICATA, tipo=tipo, campi=campi)
    versione = pagina.versione_pagina(session=db, pagina=PUBBLICATA)
    with pytest.raises(pagina.ElencoPieno):
        pagina.aggiungi(session=db, pagina=PUBBLICATA, tipo=tipo, campi=campi)
    assert pagina.quanti(session=db, pagina=PUBBLICATA, tipo=tipo) == tipo.massimo
    assert pagina.versione_pagina(session=db, pagina=PUBBLICATA) == versione

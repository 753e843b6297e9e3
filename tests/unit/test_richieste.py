"""Publication requests (`serena_app/pubblicazione/richieste.py`) on SQLite and PostgreSQL: a
request keeps the drafts as asked, one is open at a time, a decision is made once (even by two
responsabili at the same instant), and drafts changed after the request are noticed."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from serena_app.auth.ruoli import REDATTORE
from serena_app.comandi import audit
from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import PUBBLICATA, SITO, leggi_sezioni
from serena_app.models import RichiestaPubblicazione
from serena_app.pubblicazione import richieste
from tests.factories import db_seminato, salva_mission, staff_con_sessione

ATTESA = 30


@pytest.fixture
def db(session, contenuto) -> Session:
    seminato = db_seminato(session, contenuto)
    staff_con_sessione(seminato, "marco", ruolo=REDATTORE)
    staff_con_sessione(seminato, "anna")
    staff_con_sessione(seminato, "bruno")
    bozze.apri(session=seminato, spazio=SITO)
    return seminato


def _chiedi(session: Session, messaggio: str = "Pronta per il sito") -> richieste.Richiesta:
    return richieste.chiedi(session=session, spazio=SITO, autore="marco", messaggio=messaggio)


def test_a_request_keeps_the_drafts_as_asked(db):
    salva_mission(db, "Una mission nuova.", autore="marco")
    versione, differenze = bozze.da_pubblicare(session=db, spazio=SITO)

    richiesta = _chiedi(db)

    assert richiesta.richiedente == "marco"
    assert richiesta.messaggio == "Pronta per il sito"
    assert richiesta.versione == versione
    assert richiesta.elenco == [str(d) for d in differenze] == ["Testo della mission: modificato"]
    assert richieste.aperte(session=db, spazio=SITO) == [richiesta]
    # Asked, not published: visitors still read the old mission.
    assert leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo != "Una mission nuova."
    assert [r.azione for r in audit.righe(session=db, utente="marco")][-1] == (
        "chiede di pubblicare"
    )


def test_nothing_to_ask_and_a_second_open_request_are_refused(db):
    with pytest.raises(richieste.NienteDaChiedere):
        _chiedi(db)
    salva_mission(db, "Una mission nuova.", autore="marco")
    _chiedi(db)
    with pytest.raises(richieste.GiaAperta, match="marco"):
        richieste.chiedi(session=db, spazio=SITO, autore="anna", messaggio="")
    assert len(db.exec(select(RichiestaPubblicazione)).all()) == 1


def test_postponing_is_told_to_the_redattore_once_and_ends_the_request(db):
    salva_mission(db, "Una mission nuova.", autore="marco")
    richiesta = _chiedi(db)

    richieste.rimanda(
        session=db, spazio=SITO, autore="anna", id_richiesta=richiesta.id, nota="Manca la data"
    )

    assert richieste.aperte(session=db, spazio=SITO) == []
    (esito,) = richieste.esiti_da_vedere(session=db)
    assert esito.esito == "La tua richiesta è stata rimandata da anna: Manca la data"
    richieste.segna_visti(session=db, ids=[esito.id])
    assert richieste.esiti_da_vedere(session=db) == []
    with pytest.raises(richieste.GiaDecisa):
        richieste.rimanda(
            session=db, spazio=SITO, autore="bruno", id_richiesta=richiesta.id, nota=""
        )
    assert [(r.chi, r.azione) for r in audit.righe(session=db)][-2:] == [
        ("marco", "chiede di pubblicare"),
        ("anna", "rimanda la richiesta"),
    ]
    # A new request may be made once the old one is decided.
    assert _chiedi(db).id != richiesta.id


def test_publishing_a_request_publishes_what_was_asked_and_records_who(db):
    salva_mission(db, "Una mission nuova.", autore="marco")
    richiesta = _chiedi(db)

    bozze.pubblica(
        session=db,
        spazio=SITO,
        versione=richiesta.versione,
        elenco=richiesta.elenco,
        autore="anna",
        insieme=richieste.pubblicata(SITO, id_richiesta=richiesta.id, autore="anna"),
    )

    assert leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo == "Una mission nuova."
    (esito,) = richieste.esiti_da_vedere(session=db)
    assert esito.esito == "La tua richiesta è stata pubblicata da anna."
    assert ("anna", "pubblica la richiesta") in [(r.chi, r.azione) for r in audit.righe(session=db)]


def test_drafts_changed_after_the_request_are_noticed_and_nothing_is_published(db):
    salva_mission(db, "Una mission nuova.", autore="marco")
    richiesta = _chiedi(db)
    salva_mission(db, "Un’altra mission, scritta dopo.", autore="marco")

    versione, differenze = bozze.da_pubblicare(session=db, spazio=SITO)
    assert versione != richiesta.versione
    assert richieste.cambiate_da(richiesta.elenco, [str(d) for d in differenze]) == [
        "Le stesse voci sono state modificate di nuovo dopo la richiesta."
    ]
    with pytest.raises(bozze.BozzaCambiata):
        bozze.pubblica(
            session=db,
            spazio=SITO,
            versione=richiesta.versione,
            elenco=richiesta.elenco,
            autore="anna",
            insieme=richieste.pubblicata(SITO, id_richiesta=richiesta.id, autore="anna"),
        )
    assert leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo != "Una mission nuova."
    assert richieste.aperte(session=db, spazio=SITO) == [richiesta]
    assert richieste.cambiate_da(["A", "B"], ["B", "C"]) == [
        "Nuova: C",
        "Non più in bozza: A",
    ]


def _insieme(engine, *decisioni: Callable[[Session], object]) -> list[object]:
    """Run each decision in its own thread and session, released at the same instant; what
    each returned or raised."""
    via = threading.Barrier(len(decisioni))

    def esegui(decisione: Callable[[Session], object]) -> object:
        with Session(engine) as session:
            via.wait(ATTESA)
            try:
                return decisione(session)
            except (richieste.GiaDecisa, bozze.BozzaCambiata) as rifiuto:
                return rifiuto

    with ThreadPoolExecutor(len(decisioni)) as esecutore:
        futuri = [esecutore.submit(esegui, d) for d in decisioni]
        return [f.result(ATTESA) for f in futuri]


def _pubblica(richiesta: richieste.Richiesta, chi: str) -> Callable[[Session], object]:
    def pubblica(session: Session) -> object:
        return bozze.pubblica(
            session=session,
            spazio=SITO,
            versione=richiesta.versione,
            elenco=richiesta.elenco,
            autore=chi,
            insieme=richieste.pubblicata(SITO, id_richiesta=richiesta.id, autore=chi),
        )

    return pubblica


def _rimanda(richiesta: richieste.Richiesta, chi: str) -> Callable[[Session], object]:
    def rimanda(session: Session) -> object:
        return richieste.rimanda(
            session=session, spazio=SITO, autore=chi, id_richiesta=richiesta.id, nota="No"
        )

    return rimanda


def test_two_responsabili_deciding_at_the_same_instant_make_one_decision(engine, db):
    for giro in range(3):
        salva_mission(db, f"Mission, giro {giro}.", autore="marco")
        richiesta = _chiedi(db)
        seconda = _pubblica(richiesta, "bruno") if giro == 1 else _rimanda(richiesta, "bruno")

        esiti = _insieme(engine, _pubblica(richiesta, "anna"), seconda)

        rifiuti = [e for e in esiti if isinstance(e, Exception)]
        assert len(rifiuti) == 1, esiti
        db.expire_all()
        riga = db.get(RichiestaPubblicazione, richiesta.id)
        assert riga.stato in (richieste.PUBBLICATA, richieste.RIMANDATA)
        pubblicata = leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo
        # Published exactly when the decision says so, by the one who decided.
        assert (pubblicata == f"Mission, giro {giro}.") == (riga.stato == richieste.PUBBLICATA)
        assert riga.decisore in ("anna", "bruno")
        richieste.segna_visti(session=db, ids=[richiesta.id])

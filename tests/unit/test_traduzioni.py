"""The content layer in two languages, on SQLite and PostgreSQL: each English keeps the Italian
it was translated from, so staff see when it is missing or out of date; drafts, publish,
discard, history, undo and the seed handle each language on its own."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from serena_app.contenuto import bozze, cronologia, istantanea, pagina, seme, traduzioni
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO, Conflitto
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import NON_AMMESSI, SEZIONE, TAPPA, VALORE, ErroreValidazione, Voce
from serena_app.contenuto.traduzioni import DA_AGGIORNARE, MANCANTE
from serena_app.db import MIGRATIONS
from serena_app.lingue import INGLESE, ITALIANO
from serena_app.models import Revisione, Sezione, Tappa, Valore

MISSION, VISION = Voce(SEZIONE.nome, "mission"), Voce(SEZIONE.nome, "vision")
ATTESA = 30


@pytest.fixture
def sito(session):
    semina(session=session)
    bozze.apri(session=session, spazio=SITO)
    return session


def _leggi(session: Session, voce: Voce, quale=BOZZA):
    session.expire_all()
    return pagina.leggi_elemento(session=session, pagina=quale, voce=voce)


def _salva(session: Session, voce: Voce, autore: str = "anna", **campi):
    elemento = _leggi(session, voce)
    return pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=voce,
        campi=campi,
        versione=elemento.versione,
        autore=autore,
    )


def _tappa(session: Session, indice: int, quale=BOZZA) -> Tappa:
    session.expire_all()
    return pagina.leggi_elenco(session=session, pagina=quale, modello=Tappa)[indice]


def _voce(riga) -> Voce:
    return Voce(type(riga).__name__.lower(), id=riga.id)


def test_an_english_save_records_its_italian_source_and_is_current(sito):
    italiano = _leggi(sito, MISSION).testo
    _salva(sito, MISSION, testo_en="Our mission, in staff's words.")
    mission = _leggi(sito, MISSION)
    assert mission.testo_en == "Our mission, in staff's words."
    assert traduzioni.fonte_di(mission) == {"testo": italiano}
    assert traduzioni.stato(mission) == ""


def test_an_italian_save_makes_the_english_stale_until_it_is_saved_again(sito):
    _salva(sito, MISSION, testo_en="Our mission.")
    _salva(sito, MISSION, testo="Una mission riscritta in italiano.")
    mission = _leggi(sito, MISSION)
    assert traduzioni.stato(mission) == DA_AGGIORNARE
    assert mission.testo_en == "Our mission."  # still shown until it is brought up to date
    assert istantanea.leggi_istantanea(session=sito, pagina=BOZZA).traduzioni == {
        "mission": DA_AGGIORNARE
    }

    _salva(sito, MISSION, testo_en="Our mission, rewritten.")
    mission = _leggi(sito, MISSION)
    assert traduzioni.stato(mission) == ""
    assert traduzioni.fonte_di(mission) == {"testo": "Una mission riscritta in italiano."}
    assert istantanea.leggi_istantanea(session=sito, pagina=BOZZA).traduzioni == {}


def test_a_new_milestone_is_untranslated_and_the_english_page_shows_its_italian(sito):
    campi = {"anno": None, "titolo": "Una tappa nuova", "testo": "Scritta solo in italiano."}
    nuova = pagina.aggiungi(session=sito, pagina=BOZZA, tipo=TAPPA, campi=campi).elemento
    assert traduzioni.stato(nuova) == MANCANTE

    vista = istantanea.leggi_istantanea(session=sito, pagina=BOZZA)
    (inglese,) = [t for t in vista.tappe_en if t.id == nuova.id]
    assert (inglese.titolo, inglese.testo) == ("Una tappa nuova", "Scritta solo in italiano.")
    assert (inglese.lingua, inglese.traduzione) == (ITALIANO, MANCANTE)
    tradotte = [t for t in vista.tappe_en if t.id != nuova.id]
    assert tradotte and all(t.lingua == INGLESE and not t.traduzione for t in tradotte)


def test_publishing_copies_the_english(sito):
    tappa = _tappa(sito, 0)
    _salva(sito, _voce(tappa), titolo_en="The founding, revised", testo_en="How it began.")
    pubblicata = istantanea.leggi_istantanea(session=sito, pagina=PUBBLICATA).tappe_en[0]
    assert pubblicata.titolo != "The founding, revised"  # a draft until "Pubblica"

    bozze.pubblica(session=sito, spazio=SITO)
    pubblicata = istantanea.leggi_istantanea(session=sito, pagina=PUBBLICATA).tappe_en[0]
    assert (pubblicata.titolo, pubblicata.testo) == ("The founding, revised", "How it began.")
    assert pubblicata.lingua == INGLESE
    assert traduzioni.stato(_tappa(sito, 0, PUBBLICATA)) == ""


def test_discarding_drops_an_english_draft(sito):
    pubblicata = _leggi(sito, MISSION, PUBBLICATA)
    _salva(sito, MISSION, testo_en="A draft translation.")
    bozze.scarta(session=sito, spazio=SITO)
    mission = _leggi(sito, MISSION)
    assert (mission.testo_en, mission.fonte_en) == (pubblicata.testo_en, pubblicata.fonte_en)
    assert bozze.differenze(session=sito, spazio=SITO) == []


def test_the_list_of_changes_says_when_only_the_english_changed(sito):
    valore = pagina.leggi_elenco(session=sito, pagina=BOZZA, modello=Valore)[0]
    _salva(sito, MISSION, testo_en="Our mission, again.")
    _salva(sito, _voce(valore), testo_en="Listening, in other words.")
    _salva(sito, VISION, testo="Una vision nuova.")
    assert [str(d) for d in bozze.differenze(session=sito, spazio=SITO)] == [
        "Testo della mission in inglese: modificato",
        "Testo della vision: modificato",
        f"Valore «{valore.titolo}» in inglese: modificato",
    ]


def _ultima(session: Session, chiave: str) -> Revisione:
    return cronologia.di(session=session, spazio=SITO, chiave=chiave)[0]


def test_restoring_a_revision_brings_back_only_the_texts_of_its_language(sito):
    _salva(sito, MISSION, testo="Italiano uno.")
    italiano_uno = _ultima(sito, "mission")
    _salva(sito, MISSION, testo_en="English one.")
    inglese_uno = _ultima(sito, "mission")
    assert (italiano_uno.lingua, inglese_uno.lingua) == (ITALIANO, INGLESE)
    _salva(sito, MISSION, testo="Italiano due.")
    _salva(sito, MISSION, testo_en="English two.")

    cronologia.ripristina(session=sito, spazio=SITO, numero=inglese_uno.id, autore="bruno")
    mission = _leggi(sito, MISSION)
    assert (mission.testo, mission.testo_en) == ("Italiano due.", "English one.")
    # The English came back with the Italian it was translated from, older than the Italian.
    assert traduzioni.fonte_di(mission) == {"testo": "Italiano uno."}
    assert traduzioni.stato(mission) == DA_AGGIORNARE

    cronologia.ripristina(session=sito, spazio=SITO, numero=italiano_uno.id, autore="bruno")
    mission = _leggi(sito, MISSION)
    assert (mission.testo, mission.testo_en) == ("Italiano uno.", "English one.")
    assert traduzioni.stato(mission) == ""
    assert _ultima(sito, "mission").lingua == ITALIANO


def test_undo_of_an_english_save_brings_the_english_back_and_leaves_the_italian(sito):
    prima = _leggi(sito, MISSION)
    testo_en, fonte_en = prima.testo_en, prima.fonte_en
    _salva(sito, MISSION, testo="Un italiano di bruno.", autore="bruno")
    _salva(sito, MISSION, testo_en="Anna's English.")

    annullata = cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")
    assert annullata.lingua == INGLESE
    mission = _leggi(sito, MISSION)
    assert (mission.testo, mission.testo_en, mission.fonte_en) == (
        "Un italiano di bruno.",
        testo_en,
        fonte_en,
    )
    assert traduzioni.stato(mission) == DA_AGGIORNARE


def test_the_italian_and_the_english_saved_at_the_same_instant_one_conflicts_nothing_lost(
    engine, sito
):
    tappa = _tappa(sito, 1)
    voce, versione = _voce(tappa), tappa.versione
    scritture = {
        ITALIANO: {"titolo": "Titolo di anna", "testo": "Testo di anna."},
        INGLESE: {"titolo_en": "Bruno's title", "testo_en": "Bruno's text."},
    }
    via = threading.Barrier(len(scritture))

    def scrivi(campi: dict) -> Conflitto | None:
        with Session(engine) as session:
            via.wait(ATTESA)
            try:
                pagina.salva(
                    session=session, pagina=BOZZA, voce=voce, campi=campi, versione=versione
                )
            except Conflitto as conflitto:
                return conflitto
        return None

    with ThreadPoolExecutor(len(scritture)) as esecutore:
        futuri = {k: esecutore.submit(scrivi, c) for k, c in scritture.items()}
        esiti = {k: f.result(ATTESA) for k, f in futuri.items()}
    (perdente,) = [k for k, esito in esiti.items() if esito is not None]
    (vincente,) = [k for k in scritture if k != perdente]
    conflitto = esiti[perdente]
    assert conflitto.attuale.versione == versione + 1
    assert all(getattr(conflitto.attuale, c) == v for c, v in scritture[vincente].items())

    # The one who got the conflict saves again from what is stored now: both texts stay.
    sito.expire_all()  # as a handler's fresh session would
    pagina.salva(
        session=sito,
        pagina=BOZZA,
        voce=voce,
        campi=scritture[perdente],
        versione=conflitto.attuale.versione,
    )
    finale = _tappa(sito, 1)
    for campi in scritture.values():
        assert {c: getattr(finale, c) for c in campi} == campi
    # Whichever came first, the English was written against the Italian there was then.
    atteso = "" if perdente == INGLESE else DA_AGGIORNARE
    assert traduzioni.stato(finale) == atteso


def test_the_seed_translates_a_site_from_before_the_english_but_not_an_edited_text(sito, contenuto):
    """A site made before the page had two languages: every English None; staff had
    rewritten the Italian of the mission in the working copy."""
    for modello in (Sezione, Tappa, Valore):
        for riga in sito.exec(select(modello)):
            riga.testo_en = riga.fonte_en = None
            if modello is not Sezione:
                riga.titolo_en = None
    sito.get(Sezione, (BOZZA.nome, "mission")).testo = "Una mission scritta dallo staff."
    sito.commit()

    assert semina(session=sito) is False  # the content stays; only the English is added
    inglese = seme.testi_delle_sezioni(contenuto, "_en")
    for quale in (PUBBLICATA, BOZZA):
        vision = _leggi(sito, VISION, quale)
        assert (vision.testo_en, traduzioni.stato(vision)) == (inglese["vision"], "")
        tappa = _tappa(sito, 0, quale)
        prima_tappa = contenuto["tappe"][0]
        assert (tappa.titolo_en, tappa.testo_en) == (
            prima_tappa["titolo_en"],
            prima_tappa["testo_en"],
        )
        assert traduzioni.stato(tappa) == ""
    assert _leggi(sito, MISSION, PUBBLICATA).testo_en == inglese["mission"]
    mission = _leggi(sito, MISSION)
    assert (mission.testo_en, traduzioni.stato(mission)) == (None, MANCANTE)
    assert _ultima(sito, "vision").azione == "tradotta"


LIMITI = [(TAPPA, "titolo_en", 120), (VALORE, "testo_en", 2000), (SEZIONE, "testo_en", 4000)]


@pytest.mark.parametrize(("tipo", "nome", "massimo"), LIMITI, ids=[t.nome for t, _, _ in LIMITI])
def test_an_english_text_too_long_or_with_invisible_characters_is_refused(tipo, nome, massimo):
    campo = tipo.campo(nome)
    assert campo.pulisci("x" * massimo) == "x" * massimo
    with pytest.raises(ErroreValidazione, match=r"^Al massimo [\d.]+ caratteri"):
        campo.pulisci("x" * (massimo + 1000))
    for invisibile in ("\u202e", "\u200b", "\u2066", "\x00", "\ue000"):
        with pytest.raises(ErroreValidazione, match=NON_AMMESSI):
            campo.pulisci(f"Our{invisibile}mission")


def _colonne(engine: Engine, tabella: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(tabella)}


def _migra(engine: Engine, verso: str, passo) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        passo(cfg, verso)


def test_migration_0014_adds_the_english_and_comes_back_down_keeping_the_italian(engine, sito):
    italiano = {k: s.testo for k, s in pagina.leggi_sezioni(session=sito, pagina=BOZZA).items()}
    revisioni = len(sito.exec(select(Revisione)).all())
    sito.close()

    _migra(engine, "0013", command.downgrade)
    for tabella in ("sezione", "tappa", "valore"):
        assert not {"testo_en", "fonte_en"} & _colonne(engine, tabella)
    assert "lingua" not in _colonne(engine, "revisione")
    _migra(engine, "0014", command.upgrade)
    assert {"titolo_en", "testo_en", "fonte_en"} <= _colonne(engine, "tappa")
    assert "lingua" in _colonne(engine, "revisione")

    with Session(engine) as session:
        sezioni = pagina.leggi_sezioni(session=session, pagina=BOZZA)
        assert {k: s.testo for k, s in sezioni.items()} == italiano
        assert all(traduzioni.stato(s) == MANCANTE for s in sezioni.values() if s.testo)
        assert len(session.exec(select(Revisione)).all()) == revisioni

"""History: every change is kept and never rewritten; any older text comes back as a draft;
a staff member's changes can be undone, unless someone changed the item since."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from serena_app.contenuto import bozze, cronologia, pagina
from serena_app.contenuto.bozze import BOZZA, SITO
from serena_app.contenuto.cronologia import NonAnnullabile, differenza_parole
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, VALORE, Voce
from serena_app.models import Revisione, Valore
from tests.factories import salva_mission

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def sito(session):
    semina(session=session)
    bozze.apri(session=session, spazio=SITO)
    return session


def _mission(session, quale=BOZZA) -> str:
    session.expire_all()
    return pagina.leggi_elemento(session=session, pagina=quale, voce=MISSION).testo


def _valori(session, quale=BOZZA) -> list[Valore]:
    session.expire_all()
    return pagina.leggi_elenco(session=session, pagina=quale, modello=Valore)


def _voce(valore: Valore) -> Voce:
    return Voce(VALORE.nome, id=valore.id)


def test_every_change_is_kept_with_who_and_the_text_before_and_after(sito, contenuto):
    originale = contenuto["sezioni"]["mission"]
    salva_mission(sito, "Prima versione.")
    salva_mission(sito, "Seconda versione.", autore="bruno")
    storia = cronologia.di(session=sito, spazio=SITO, chiave="mission")
    assert [(r.autore, r.azione) for r in storia] == [
        ("bruno", "salvata"),
        ("anna", "salvata"),
        (None, "creata"),
    ]
    assert json.loads(storia[1].prima) == {"testo": originale}
    assert json.loads(storia[0].dopo) == {"testo": "Seconda versione."}

    bozze.pubblica(session=sito, spazio=SITO, autore="carla")
    (pubblicazione,) = cronologia.pubblicazioni(session=sito, spazio=SITO)
    assert pubblicazione.autore == "carla"
    assert json.loads(pubblicazione.dopo)["sezioni"]["mission"] == "Seconda versione."


def test_history_is_never_rewritten(sito):
    salva_mission(sito, "Una versione.")
    with pytest.raises(DBAPIError, match="la cronologia non si modifica"):
        sito.execute(text("UPDATE revisione SET dopo = 'falso'"))
    sito.rollback()
    with pytest.raises(DBAPIError, match="la cronologia non si cancella"):
        sito.execute(text("DELETE FROM revisione"))
    sito.rollback()
    assert len(cronologia.di(session=sito, spazio=SITO, chiave="mission")) == 2


def test_a_restore_brings_an_old_text_back_as_a_draft_and_is_a_revision_itself(sito, contenuto):
    originale = contenuto["sezioni"]["mission"]
    salva_mission(sito, "Una mission sbagliata.")
    bozze.pubblica(session=sito, spazio=SITO)
    storia = cronologia.di(session=sito, spazio=SITO, chiave="mission")
    assert storia[-1].azione == "creata"  # history starts with the content file's text

    cronologia.ripristina(session=sito, spazio=SITO, numero=storia[-1].id, autore="bruno")
    assert _mission(sito) == originale
    assert _mission(sito, PUBBLICATA) == "Una mission sbagliata."  # until "Pubblica"
    ultima = cronologia.di(session=sito, spazio=SITO, chiave="mission")[0]
    assert (ultima.azione, ultima.autore) == ("ripristinata", "bruno")
    assert json.loads(ultima.dopo) == {"testo": originale}
    bozze.pubblica(session=sito, spazio=SITO)
    assert _mission(sito, PUBBLICATA) == originale


def test_a_deleted_value_comes_back_with_its_history(sito):
    valore = _valori(sito)[2]
    codice, titolo = valore.codice, valore.titolo
    pagina.elimina(
        session=sito, pagina=BOZZA, voce=_voce(valore), versione=valore.versione, autore="anna"
    )
    bozze.pubblica(session=sito, spazio=SITO)
    assert titolo not in [v.titolo for v in _valori(sito, PUBBLICATA)]

    eliminazione = cronologia.di(session=sito, spazio=SITO, chiave=codice)[0]
    assert eliminazione.azione == "eliminata"
    cronologia.ripristina(session=sito, spazio=SITO, numero=eliminazione.id, autore="anna")
    tornato = next(v for v in _valori(sito) if v.titolo == titolo)
    assert tornato.codice == codice
    assert [v.titolo for v in _valori(sito)].index(titolo) == 2  # back in its place
    bozze.pubblica(session=sito, spazio=SITO)
    assert titolo in [v.titolo for v in _valori(sito, PUBBLICATA)]
    azioni = [r.azione for r in cronologia.di(session=sito, spazio=SITO, chiave=codice)]
    assert azioni == ["ripristinata", "eliminata", "creata"]


def test_the_whole_page_comes_back_as_the_first_publish_left_it(sito):
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    prima = pagina.contenuto_di(session=sito, pagina=PUBBLICATA)
    salva_mission(sito, "Cambiata dopo.")
    valore = _valori(sito)[0]
    pagina.elimina(session=sito, pagina=BOZZA, voce=_voce(valore), versione=valore.versione)
    bozze.pubblica(session=sito, spazio=SITO, autore="bruno")
    assert pagina.contenuto_di(session=sito, pagina=PUBBLICATA) != prima

    primo = cronologia.pubblicazioni(session=sito, spazio=SITO)[-1]
    cambi = cronologia.ripristina_pagina(session=sito, spazio=SITO, numero=primo.id, autore="carla")
    assert cambi == 2
    bozze.pubblica(session=sito, spazio=SITO, autore="carla")
    assert pagina.contenuto_di(session=sito, pagina=PUBBLICATA) == prima


def test_undo_reverses_a_save_an_add_a_delete_and_a_move(sito, contenuto):
    prima = pagina.contenuto_di(session=sito, pagina=BOZZA)
    salva_mission(sito, "Da annullare.")
    pagina.aggiungi(
        session=sito,
        pagina=BOZZA,
        tipo=VALORE,
        campi={"titolo": "Nuovo", "testo": "T."},
        autore="anna",
    )
    terzo = _valori(sito)[3]
    pagina.sposta(session=sito, pagina=BOZZA, voce=_voce(terzo), di=-1, autore="anna")
    primo = _valori(sito)[0]
    pagina.elimina(
        session=sito, pagina=BOZZA, voce=_voce(primo), versione=primo.versione, autore="anna"
    )
    assert pagina.contenuto_di(session=sito, pagina=BOZZA) != prima
    for azione in ("eliminata", "spostata", "aggiunta", "salvata"):
        assert cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna").azione == azione
    assert pagina.contenuto_di(session=sito, pagina=BOZZA) == prima
    with pytest.raises(NonAnnullabile, match="Non ci sono modifiche tue da annullare"):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")


def test_undo_goes_back_twenty_steps(sito, contenuto):
    for numero in range(1, 22):
        salva_mission(sito, f"Versione {numero}.")
    for _ in range(20):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")
    assert _mission(sito) == "Versione 1."


def test_undo_of_a_change_someone_else_changed_since_is_refused(sito):
    salva_mission(sito, "Di anna.")
    salva_mission(sito, "Di bruno, dopo.", autore="bruno")
    prima = len(sito.exec(select(Revisione)).all())
    with pytest.raises(NonAnnullabile, match="un’altra persona ha cambiato questo elemento"):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")
    assert _mission(sito) == "Di bruno, dopo."
    assert len(sito.exec(select(Revisione)).all()) == prima


def test_a_revision_of_a_demo_sandbox_cannot_be_restored_on_the_site(sito):
    altro = bozze.Spazio.di(pagina.Pagina("demo-x"))
    salva_mission(sito, "Del sito.")
    revisione = cronologia.di(session=sito, spazio=SITO, chiave="mission")[0]
    with pytest.raises(pagina.NonTrovato):
        cronologia.ripristina(session=sito, spazio=altro, numero=revisione.id, autore="demo")


def test_the_word_diff_reads_as_the_new_text_without_what_was_taken_out():
    pezzi = differenza_parole(
        "La cooperativa nasce nel 1986 a Ferrara.", "La cooperativa sociale nasce a Ferrara!"
    )
    assert "".join(t for tipo, t in pezzi if tipo != "tolto") == (
        "La cooperativa sociale nasce a Ferrara!"
    )
    assert "".join(t for tipo, t in pezzi if tipo != "aggiunto") == (
        "La cooperativa nasce nel 1986 a Ferrara."
    )
    assert any("sociale" in t for tipo, t in pezzi if tipo == "aggiunto")
    assert any("1986" in t for tipo, t in pezzi if tipo == "tolto")


def test_undo_reaches_back_to_the_start_of_the_session_and_no_further(sito):
    salva_mission(sito, "Di una sessione di ieri.")
    inizio = datetime.now(UTC)
    salva_mission(sito, "Di questa sessione.")
    cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna", dal=inizio)
    assert _mission(sito) == "Di una sessione di ieri."
    with pytest.raises(NonAnnullabile, match="Non ci sono modifiche tue da annullare"):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna", dal=inizio)

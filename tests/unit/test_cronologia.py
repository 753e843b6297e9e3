"""History: every change is kept and never rewritten; any older text comes back as a draft;
a staff member's changes can be undone, unless someone changed the item since."""

import dataclasses
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from serena_app.contenuto import bozze, cronologia, pagina, revisioni
from serena_app.contenuto.cronologia import NonAnnullabile, differenza_parole
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO, Spazio
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
    # History keeps every language's texts (and the Italian the English was translated
    # from); a save of the Italian changes only the Italian, and says so.
    inglese = contenuto["sezioni_en"]["mission"]
    prima, dopo = json.loads(storia[1].prima), json.loads(storia[0].dopo)
    assert (prima["testo"], prima["testo_en"]) == (originale, inglese)
    assert (dopo["testo"], dopo["testo_en"]) == ("Seconda versione.", inglese)
    assert [r.lingua for r in storia] == ["it", "it", None]

    bozze.pubblica(session=sito, spazio=SITO, autore="carla")
    (pubblicazione,) = cronologia.pubblicazioni(session=sito, spazio=SITO)
    assert pubblicazione.autore == "carla"
    assert json.loads(pubblicazione.dopo)["sezioni"]["mission"] == "Seconda versione."


def _salva_inglese(session, testo: str, autore: str = "anna") -> None:
    versione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION).versione
    pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=MISSION,
        campi={"testo_en": testo},
        versione=versione,
        autore=autore,
    )


def test_each_language_has_its_history_and_a_restore_brings_back_only_its_texts(sito, contenuto):
    _salva_inglese(sito, "The first English mission.")
    _salva_inglese(sito, "The wrong English mission.")
    salva_mission(sito, "Una mission nuova.")
    inglesi = cronologia.di(session=sito, spazio=SITO, chiave="mission", lingua="en")
    italiane = cronologia.di(session=sito, spazio=SITO, chiave="mission", lingua="it")
    assert [(r.azione, r.lingua) for r in inglesi] == [
        ("salvata", "en"),
        ("salvata", "en"),
        ("creata", None),
    ]
    assert [(r.azione, r.lingua) for r in italiane] == [("salvata", "it"), ("creata", None)]

    # The panel names the language, and its diff is of the English.
    vista = revisioni.vista(inglesi[0], datetime.now(UTC))
    assert vista.azione == "Salvata in inglese"
    assert ("aggiunto", "wrong") in [(p.tipo, p.testo.strip()) for p in vista.pezzi]

    # Restoring the first English: the English comes back, the new Italian stays.
    cronologia.ripristina(session=sito, spazio=SITO, numero=inglesi[1].id, autore="anna")
    sito.expire_all()
    mission = pagina.leggi_elemento(session=sito, pagina=BOZZA, voce=MISSION)
    assert (mission.testo, mission.testo_en) == ("Una mission nuova.", "The first English mission.")
    ultima = cronologia.di(session=sito, spazio=SITO, chiave="mission")[0]
    assert (ultima.azione, ultima.lingua) == ("ripristinata", "en")


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
    assert json.loads(ultima.dopo)["testo"] == originale
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
    altro = Spazio.di(pagina.Pagina("demo-x"))
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


def test_undo_right_after_restoring_a_whole_page_says_it_cannot_and_changes_nothing(sito):
    """A page restored from a publish is many changes at once: "Annulla ultima modifica" says
    so in words (it used to fail with an error) and leaves the working copy as it is."""
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    salva_mission(sito, "Cambiata dopo.", autore="carla")
    bozze.pubblica(session=sito, spazio=SITO, autore="carla")
    primo = cronologia.pubblicazioni(session=sito, spazio=SITO)[-1]
    cronologia.ripristina_pagina(session=sito, spazio=SITO, numero=primo.id, autore="carla")
    prima = pagina.contenuto_di(session=sito, pagina=BOZZA)
    with pytest.raises(NonAnnullabile) as rifiuto:
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="carla")
    assert str(rifiuto.value) == cronologia.PAGINA_NON_ANNULLABILE
    assert pagina.contenuto_di(session=sito, pagina=BOZZA) == prima


def test_undo_after_a_publish_changes_nothing_and_says_the_public_page_stays_as_it_is(sito):
    """A publish is the line undo does not cross: what is published is undone by a restore
    from history, and "Annulla ultima modifica" says so and changes nothing."""
    salva_mission(sito, "Pubblicata da anna.")
    assert cronologia.puo_annullare(session=sito, spazio=SITO, autore="anna")
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    assert not cronologia.puo_annullare(session=sito, spazio=SITO, autore="anna")
    revisioni = len(sito.exec(select(Revisione)).all())
    with pytest.raises(NonAnnullabile) as rifiuto:
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")
    assert str(rifiuto.value) == cronologia.GIA_PUBBLICATA
    assert "pagina pubblica resta com’è" in str(rifiuto.value)
    assert "Ripristina" in str(rifiuto.value)  # going further back is a restore, named so
    assert _mission(sito) == _mission(sito, PUBBLICATA) == "Pubblicata da anna."
    assert len(sito.exec(select(Revisione)).all()) == revisioni


def test_undo_after_a_publish_reverses_only_what_came_after_it(sito):
    salva_mission(sito, "Pubblicata.")
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    salva_mission(sito, "Bozza dopo la pubblicazione.")
    assert cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna").azione == "salvata"
    assert _mission(sito) == _mission(sito, PUBBLICATA) == "Pubblicata."
    assert not cronologia.puo_annullare(session=sito, spazio=SITO, autore="anna")
    with pytest.raises(NonAnnullabile, match="già pubblicat"):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")
    assert _mission(sito) == "Pubblicata."


def test_nothing_to_undo_after_discarding_the_drafts(sito):
    salva_mission(sito, "Scartata.")
    bozze.scarta(session=sito, spazio=SITO, autore="anna")
    assert not cronologia.puo_annullare(session=sito, spazio=SITO, autore="anna")
    with pytest.raises(NonAnnullabile, match="Non ci sono modifiche tue da annullare"):
        cronologia.annulla_ultima(session=sito, spazio=SITO, autore="anna")


def _storia(session, quante: int, *, passo=timedelta(seconds=1), inizio=None) -> list[int]:
    """`quante` saves of the mission, one `passo` after the other from `inizio` (default: just
    now, minus the whole span), as revisions straight in the table; their ids."""
    inizio = inizio or datetime.now(UTC) - passo * quante
    righe = []
    for numero in range(1, quante + 1):
        riga = Revisione(
            spazio=PUBBLICATA.nome,
            tipo=SEZIONE.nome,
            chiave="mission",
            azione="salvata",
            autore="anna",
            quando=inizio + passo * (numero - 1),
            prima=json.dumps({"testo": f"Versione {numero - 1}."}),
            dopo=json.dumps({"testo": f"Versione {numero}."}),
        )
        session.add(riga)
        righe.append(riga)
    session.commit()
    return [r.id for r in righe]


def test_history_shows_ten_entries_at_a_time_read_page_by_page(sito):
    salva_mission(sito, "Versione 0.")
    _storia(sito, 24)
    pagina_1 = revisioni.di(session=sito, spazio=SITO, voce=MISSION)
    assert len(pagina_1.voci) == 10 and pagina_1.altre
    pagina_2 = revisioni.di(
        session=sito, spazio=SITO, voce=MISSION, prima_di=pagina_1.voci[-1].numero
    )
    pagina_3 = revisioni.di(
        session=sito, spazio=SITO, voce=MISSION, prima_di=pagina_2.voci[-1].numero
    )
    assert len(pagina_2.voci) == 10 and pagina_2.altre
    assert len(pagina_3.voci) == 6 and not pagina_3.altre  # 24 + 1 saves and the seed text
    numeri = [v.numero for p in (pagina_1, pagina_2, pagina_3) for v in p.voci]
    assert numeri == sorted(set(numeri), reverse=True)


def test_a_thousand_revisions_read_as_one_small_page(sito):
    _storia(sito, 1000)
    inizio = time.perf_counter()
    elenco = revisioni.di(session=sito, spazio=SITO, voce=MISSION)
    durata = time.perf_counter() - inizio
    assert len(elenco.voci) == 10 and elenco.altre
    assert len(json.dumps(dataclasses.asdict(elenco))) < 8000  # what the state would hold
    assert durata < 5.0, durata  # a floor a noisy machine cannot break


def test_only_an_entry_that_would_change_the_text_offers_ripristina(sito):
    salva_mission(sito, "Prima.")
    salva_mission(sito, "Seconda.")
    voci = revisioni.di(session=sito, spazio=SITO, voce=MISSION).voci
    assert [v.ripristinabile for v in voci] == [False, True, True]  # the newest is the current
    salva_mission(sito, "Prima.")  # the same text again: two entries equal the current one
    voci = revisioni.di(session=sito, spazio=SITO, voce=MISSION).voci
    assert [v.ripristinabile for v in voci] == [False, True, False, True]


def test_restoring_the_version_that_is_current_changes_nothing_and_says_so(sito):
    salva_mission(sito, "Attuale.")
    (attuale, *_) = cronologia.di(session=sito, spazio=SITO, chiave="mission")
    revisioni_prima = len(sito.exec(select(Revisione)).all())
    with pytest.raises(cronologia.GiaAttuale, match="già quella attuale"):
        cronologia.ripristina(session=sito, spazio=SITO, numero=attuale.id, autore="anna")
    assert _mission(sito) == "Attuale."
    assert len(sito.exec(select(Revisione)).all()) == revisioni_prima


def test_each_entry_is_named_by_its_time_and_no_two_share_a_name(sito):
    ora = datetime(2026, 12, 5, 17, 30, tzinfo=UTC)  # 18:30 in Ferrara
    assert revisioni.momento(datetime(2026, 12, 5, 16, 2, tzinfo=UTC), ora) == "delle 17:02"
    assert revisioni.momento(datetime(2026, 12, 4, 16, 2, tzinfo=UTC), ora) == (
        "delle 17:02 di ieri"
    )
    assert revisioni.momento(datetime(2026, 12, 3, 16, 2, tzinfo=UTC), ora) == (
        "del 3 dicembre alle 17:02"
    )
    assert revisioni.momento(datetime(2025, 12, 3, 16, 2, tzinfo=UTC), ora) == (
        "del 3 dicembre 2025 alle 17:02"
    )
    oggi = datetime.now(UTC).replace(second=0, microsecond=0)
    _storia(sito, 3, passo=timedelta(seconds=10), inizio=oggi - timedelta(days=1, minutes=1))
    _storia(sito, 3, passo=timedelta(seconds=10), inizio=oggi - timedelta(minutes=1))
    voci = revisioni.di(session=sito, spazio=SITO, voce=MISSION).voci
    nomi = [v.momento for v in voci]
    assert len(set(nomi)) == len(nomi), nomi
    assert nomi[0].endswith("(3 di 3)") and nomi[2].endswith("(1 di 3)")
    assert nomi[3].endswith("(3 di 3)") and nomi[3] != nomi[0]  # a day earlier: another date


LUNGO = " ".join(f"Questa è la frase numero {n} della mission, sempre uguale." for n in range(12))


def test_a_long_text_shows_only_its_changed_sentence_and_the_whole_on_request(sito):
    salva_mission(sito, LUNGO)
    cambiato = LUNGO.replace("frase numero 7 della", "frase numero 7, riscritta, della")
    salva_mission(sito, cambiato)
    voce = revisioni.di(session=sito, spazio=SITO, voce=MISSION).voci[0]
    assert voce.piegata and voce.testo == cambiato
    mostrato = "".join(p.testo for p in voce.pezzi)
    assert "numero 7" in mostrato and "numero 3" not in mostrato
    assert "riscritta" in "".join(p.testo for p in voce.pezzi if p.tipo == "aggiunto")


def test_comparing_a_version_with_the_current_text_shows_the_words_taken_out_and_put_in(sito):
    salva_mission(sito, "La cooperativa nasce nel 1986 a Ferrara.")
    salva_mission(sito, "La cooperativa sociale nasce a Ferrara.")
    salva_mission(sito, "La cooperativa sociale nasce a Ferrara, con dieci soci.")
    voci = revisioni.di(session=sito, spazio=SITO, voce=MISSION).voci
    pezzi = revisioni.confronto(session=sito, spazio=SITO, voce=MISSION, numero=voci[2].numero)
    tolti = " ".join(p.testo for p in pezzi if p.tipo == "tolto")
    aggiunti = " ".join(p.testo for p in pezzi if p.tipo == "aggiunto")
    assert "1986" in tolti and "sociale" in aggiunti and "dieci soci" in aggiunti
    altra = revisioni.confronto(session=sito, spazio=SITO, voce=MISSION, numero=10**9)
    assert altra is None  # no such revision of this item


def test_the_page_history_offers_ripristina_only_for_a_publish_unlike_the_working_copy(sito):
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    salva_mission(sito, "Pubblicata dopo.")
    bozze.pubblica(session=sito, spazio=SITO, autore="anna")
    voci = revisioni.pubblicazioni(session=sito, spazio=SITO).voci
    assert [v.ripristinabile for v in voci] == [False, True]
    assert len({v.momento for v in voci}) == 2

"""Export and import: a round trip keeps every text in both languages, and whether each English
is current; a file from before the English still imports; a damaged or hostile file changes
nothing and its first problem is named."""

import json

import pytest
from sqlmodel import func, select

from serena_app.comandi import esportazione
from serena_app.comandi.esportazione import FileNonValido
from serena_app.contenuto import bozze, pagina, traduzioni
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, TAPPA, Voce
from serena_app.contenuto.traduzioni import DA_AGGIORNARE, MANCANTE
from serena_app.models import Sezione, Tappa, Valore

MISSION, VISION = Voce(SEZIONE.nome, "mission"), Voce(SEZIONE.nome, "vision")


@pytest.fixture
def sito(session):
    semina(session=session)
    return session


def _file(session) -> dict:
    return json.loads(esportazione.in_json(esportazione.esporta(session=session)))


def _righe(session) -> list:
    return [
        (s.pagina, s.chiave, s.testo, s.versione)
        for s in session.exec(select(Sezione).order_by(Sezione.pagina, Sezione.chiave))
    ]


def test_export_then_import_round_trips_to_identical_content(sito, contenuto):
    prima = _file(sito)
    assert prima["pagine"]["pubblicata"]["sezioni"]["mission"] == contenuto["sezioni"]["mission"]
    assert len(prima["pagine"]["pubblicata"]["tappe"]) == len(contenuto["tappe"])
    dati = json.dumps(prima, ensure_ascii=False).encode("utf-8")

    assert esportazione.importa(session=sito, contenuto=esportazione.leggi(dati)) == 0
    dopo = _file(sito)
    assert dopo["pagine"]["bozza"] == prima["pagine"]["pubblicata"]
    assert dopo["pagine"]["pubblicata"] == prima["pagine"]["pubblicata"]


def test_an_import_becomes_drafts_that_publish_as_they_are(sito):
    file = _file(sito)
    nuova = file["pagine"]["pubblicata"]
    nuova["sezioni"]["mission"] = "Una mission arrivata da un file."
    nuova["valori"][0]["testo"] = "Un valore cambiato nel file."
    del nuova["tappe"][-1]
    dati = json.dumps(file).encode("utf-8")

    assert esportazione.importa(session=sito, contenuto=esportazione.leggi(dati)) == 3
    voce = Voce(SEZIONE.nome, "mission")
    assert pagina.leggi_elemento(session=sito, pagina=PUBBLICATA, voce=voce).testo != (
        "Una mission arrivata da un file."
    )
    bozza = pagina.leggi_elemento(session=sito, pagina=BOZZA, voce=voce)
    assert bozza.autore == "importazione"
    bozze.pubblica(session=sito, spazio=SITO)
    assert _file(sito)["pagine"]["pubblicata"] == nuova


def _guasto(sito, modifica) -> bytes:
    file = _file(sito)
    modifica(file)
    return json.dumps(file).encode("utf-8")


def _dentro(file: dict) -> dict:
    return file["pagine"]["pubblicata"]


DANNI = {
    "versione sbagliata": (lambda f: f.update(versione=3), "versione: "),
    "versione come testo": (lambda f: f.update(versione="1"), "versione: "),
    "formato sbagliato": (lambda f: f.update(formato="wordpress"), "formato: "),
    "sezione mancante": (
        lambda f: _dentro(f)["sezioni"].pop("mission"),
        "pagine.pubblicata.sezioni.mission: manca.",
    ),
    "campo mancante": (
        lambda f: _dentro(f)["tappe"][2].pop("titolo"),
        "pagine.pubblicata.tappe[2].titolo: manca.",
    ),
    "campo sconosciuto": (
        lambda f: _dentro(f)["valori"][1].update(html="<script>"),
        "pagine.pubblicata.valori[1]: campo sconosciuto «html».",
    ),
    "testo troppo lungo": (
        lambda f: _dentro(f)["valori"][0].update(titolo="x" * 121),
        "pagine.pubblicata.valori[0].titolo: Al massimo 120 caratteri",
    ),
    "tipo sbagliato": (
        lambda f: _dentro(f)["tappe"][0].update(testo=["un", "elenco"]),
        "pagine.pubblicata.tappe[0].testo: Valore non valido.",
    ),
    "anno non valido": (
        lambda f: _dentro(f)["tappe"][0].update(anno=True),
        "pagine.pubblicata.tappe[0].anno: Valore non valido.",
    ),
    "caratteri invisibili": (
        lambda f: _dentro(f)["sezioni"].update(vision="Testo\u202econ controllo bidi"),
        "pagine.pubblicata.sezioni.vision: Il testo contiene caratteri non ammessi.",
    ),
    "troppi valori": (
        lambda f: _dentro(f).update(valori=[{"titolo": "V", "testo": "T"}] * 31),
        "pagine.pubblicata.valori: al massimo 30 valori.",
    ),
    "anni fuori ordine": (
        lambda f: _dentro(f)["tappe"].reverse(),
        "pagine.pubblicata.tappe: le tappe con l’anno devono essere in ordine di anno.",
    ),
    "pagine non oggetto": (lambda f: f.update(pagine=[1, 2]), "pagine: deve essere un oggetto"),
    "bozza guasta": (
        lambda f: f["pagine"].update(bozza={"sezioni": {}}),
        "pagine.bozza.sezioni_en: manca.",
    ),
    "inglese troppo lungo": (
        lambda f: _dentro(f)["tappe"][1].update(titolo_en="x" * 121),
        "pagine.pubblicata.tappe[1].titolo_en: Al massimo 120 caratteri",
    ),
    "inglese con caratteri invisibili": (
        lambda f: _dentro(f)["sezioni_en"]["mission"].update(testo_en="Our\u202emission"),
        "pagine.pubblicata.sezioni_en.mission.testo_en: Il testo contiene caratteri non ammessi.",
    ),
    "inglese non testo": (
        lambda f: _dentro(f)["valori"][0].update(testo_en=5),
        "pagine.pubblicata.valori[0].testo_en: Valore non valido.",
    ),
    "inglese mancante": (
        lambda f: _dentro(f)["tappe"][0].pop("testo_en"),
        "pagine.pubblicata.tappe[0].testo_en: manca.",
    ),
    "sezione inglese mancante": (
        lambda f: _dentro(f)["sezioni_en"].pop("vision"),
        "pagine.pubblicata.sezioni_en.vision: manca.",
    ),
    "fonte non oggetto": (
        lambda f: _dentro(f)["sezioni_en"]["vision"].update(fonte_en="La vision"),
        "pagine.pubblicata.sezioni_en.vision.fonte_en: deve essere un oggetto",
    ),
    "fonte con un campo in più": (
        lambda f: _dentro(f)["valori"][0]["fonte_en"].update(anno=1990),
        "pagine.pubblicata.valori[0].fonte_en: campo sconosciuto «anno».",
    ),
    "fonte troppo lunga": (
        lambda f: _dentro(f)["sezioni_en"]["mission"]["fonte_en"].update(testo="x" * 4001),
        "pagine.pubblicata.sezioni_en.mission.fonte_en.testo: Al massimo",
    ),
    "inglese in un file di versione 1": (
        lambda f: f.update(versione=1),
        "pagine.bozza: campo sconosciuto «sezioni_en».",
    ),
}


@pytest.mark.parametrize("danno", DANNI.values(), ids=DANNI)
def test_a_damaged_file_changes_nothing_and_names_the_first_problem(sito, danno):
    modifica, messaggio = danno
    dati = _guasto(sito, modifica)
    prima = _righe(sito)
    with pytest.raises(FileNonValido) as errore:
        esportazione.importa(session=sito, contenuto=esportazione.leggi(dati))
    assert str(errore.value).startswith(messaggio)
    assert _righe(sito) == prima


OSTILI = {
    "non UTF-8": (b'{"formato": "serena-contenuti\xff"}', "Il file non è testo UTF-8"),
    "non JSON": (b"<html>", "Il file non è JSON valido (riga 1, colonna 1)."),
    "annidato": (b"[" * 100_000 + b"]" * 100_000, "Il file è annidato troppo in profondità."),
    "enorme": (b" " * (esportazione.MASSIMO_BYTE + 1), "Il file è troppo grande"),
    "vuoto": (b"", "Il file non è JSON valido"),
    "un numero": (b"42", "(file): deve essere un oggetto"),
    "intero di 5000 cifre": (
        b'{"versione": ' + b"9" * 5000 + b"}",
        "Il file contiene un numero troppo lungo (5000 cifre; al massimo 20).",
    ),
    "Infinity": (b'{"versione": -Infinity}', "Il file contiene «-Infinity», che non è un numero"),
}


@pytest.mark.parametrize("file", OSTILI.values(), ids=OSTILI)
def test_a_hostile_file_is_refused_with_a_clear_message(sito, file):
    dati, messaggio = file
    prima = sito.exec(select(func.count()).select_from(Sezione)).one()
    with pytest.raises(FileNonValido) as errore:
        esportazione.leggi(dati)
    assert str(errore.value).startswith(messaggio)
    assert sito.exec(select(func.count()).select_from(Sezione)).one() == prima


def test_a_utf8_bom_before_the_file_is_skipped(sito):
    dati = esportazione.in_json(esportazione.esporta(session=sito)).encode("utf-8")
    assert esportazione.leggi(b"\xef\xbb\xbf" + dati) == esportazione.leggi(dati)


def _salva(session, voce: Voce, **campi) -> None:
    """A change of the published page; its working copy then equals it, as after a publish."""
    elemento = pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=voce)
    pagina.salva(
        session=session, pagina=PUBBLICATA, voce=voce, campi=campi, versione=elemento.versione
    )
    bozze.scarta(session=session, spazio=SITO)


def _stati(session, quale) -> dict:
    """Each item's English and whether it is current, by section key or Italian title."""
    righe = [*pagina.leggi_sezioni(session=session, pagina=quale).values()]
    for modello in (Tappa, Valore):
        righe += pagina.leggi_elenco(session=session, pagina=quale, modello=modello)
    return {
        getattr(r, "chiave", None) or r.titolo: (traduzioni.inglese(r), traduzioni.stato(r))
        for r in righe
    }


def test_both_languages_and_what_is_stale_travel_in_the_file(sito):
    _salva(sito, MISSION, testo_en="Our mission, as revised by staff.")
    _salva(sito, VISION, testo="Una vision riscritta dopo la traduzione.")
    tappa = pagina.leggi_elenco(session=sito, pagina=PUBBLICATA, modello=Tappa)[1]
    _salva(sito, Voce(TAPPA.nome, id=tappa.id), titolo_en=None, testo_en=None)
    attesi = _stati(sito, PUBBLICATA)
    assert attesi["mission"][1] == "" and attesi["vision"][1] == DA_AGGIORNARE
    assert attesi[tappa.titolo][1] == MANCANTE
    file = _file(sito)
    assert file["versione"] == 2
    mission = file["pagine"]["pubblicata"]["sezioni_en"]["mission"]
    assert mission["testo_en"] == "Our mission, as revised by staff."
    assert mission["fonte_en"] == {"testo": file["pagine"]["pubblicata"]["sezioni"]["mission"]}
    # The site loses its English (every translation gone, one made up), then imports the file.
    for modello in (Sezione, Tappa, Valore):
        for riga in sito.exec(select(modello)):
            riga.testo_en, riga.fonte_en = None, None
            if modello is not Sezione:
                riga.titolo_en = None
    sito.get(Sezione, (PUBBLICATA.nome, "mission")).testo_en = "A made-up mission."
    sito.commit()

    dati = json.dumps(file, ensure_ascii=False).encode("utf-8")
    esportazione.importa(session=sito, contenuto=esportazione.leggi(dati))
    assert _stati(sito, BOZZA) == attesi
    bozze.pubblica(session=sito, spazio=SITO)
    assert _stati(sito, PUBBLICATA) == attesi
    assert _file(sito)["pagine"]["pubblicata"] == file["pagine"]["pubblicata"]


def _versione_1(file: dict) -> dict:
    """An export as the site wrote it before the English page."""
    for parte in file["pagine"].values():
        del parte["sezioni_en"]
        for elemento in parte["tappe"] + parte["valori"]:
            for chiave in ("titolo_en", "testo_en", "fonte_en"):
                del elemento[chiave]
    return {**file, "versione": 1}


def test_a_file_from_before_the_english_imports_and_keeps_the_sites_english(sito):
    file = _versione_1(_file(sito))
    file["pagine"]["pubblicata"]["sezioni"]["mission"] = "Una mission arrivata da un file vecchio."
    _salva(sito, VISION, testo_en="The vision as staff translated it.")
    prima = _stati(sito, PUBBLICATA)

    dati = json.dumps(file, ensure_ascii=False).encode("utf-8")
    assert esportazione.importa(session=sito, contenuto=esportazione.leggi(dati)) == 1
    dopo = _stati(sito, BOZZA)
    assert dopo["mission"] == (prima["mission"][0], DA_AGGIORNARE)  # its English, now stale
    assert dopo["vision"] == (prima["vision"][0], "")
    assert {k: v for k, v in dopo.items() if k != "mission"} == {
        k: v for k, v in prima.items() if k != "mission"
    }

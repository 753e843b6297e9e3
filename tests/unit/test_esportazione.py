"""Export and import: a round trip keeps every text; a damaged or hostile file changes nothing
and its first problem is named."""

import json

import pytest
from sqlmodel import func, select

from serena_app.comandi import esportazione
from serena_app.comandi.esportazione import FileNonValido
from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.bozze import BOZZA, SITO
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.models import Sezione


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
    "versione sbagliata": (lambda f: f.update(versione=2), "versione: "),
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
        "pagine.bozza.tappe: manca.",
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

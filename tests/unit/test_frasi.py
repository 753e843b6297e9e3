"""Every Italian sentence the app builds from an item's kind agrees with it: "Tappa «…»
modificata", "Valore «…» modificato", "Salvata come bozza" under a milestone, "Testo della
mission: modificato" (the participle follows "Testo"), "la tappa", "il valore", "una /
un’altra", "uno / un altro", "1 modifica"; what "Esci" says of one draft left or of several."""

import json
import re

import pytest

from serena_app.contenuto.bozze import Differenza
from serena_app.contenuto.pagina import Scrittura
from serena_app.contenuto.parole import modifiche
from serena_app.contenuto.tipi import SEZIONE, TAPPA, TIPI, VALORE, Voce
from serena_app.models import Sezione, Tappa, Valore
from serena_app.sections import barra_staff
from serena_app.state.redazione import _annuncio, esito_di, pieno

PARTICIPIO = re.compile(
    r"\b(?:salvat|aggiunt|eliminat|spostat|modificat|ripristinat)([aoie])\b", re.IGNORECASE
)
# The ending each kind's sentences must use: a section's sentences speak of its "Testo".
DESINENZA = {SEZIONE.nome: "o", TAPPA.nome: "a", VALORE.nome: "o"}
RADICI = ("salvat", "aggiunt", "eliminat", "spostat")
COSE = ("modificata", "aggiunta", "eliminata", "spostata")


def _elemento(tipo: str):
    if tipo == SEZIONE.nome:
        return Sezione(id=1, pagina="p", chiave="mission", testo="…")
    modello = Tappa if tipo == TAPPA.nome else Valore
    return modello(id=1, pagina="p", titolo="Ascolto", testo="…", posizione=0)


def _voce(tipo: str) -> Voce:
    return Voce(tipo, chiave="mission") if tipo == SEZIONE.nome else Voce(tipo, id=1)


def _frasi(tipo: str) -> list[str]:
    elemento = _elemento(tipo)
    scrittura = Scrittura(1, elemento, None if tipo == SEZIONE.nome else [elemento])
    frasi = [_annuncio(_voce(tipo), radice, scrittura) for radice in RADICI]
    nome = "mission" if tipo == SEZIONE.nome else "Ascolto"
    frasi += [str(Differenza(tipo, nome, cosa)) for cosa in COSE]
    frasi += [esito_di(_voce(tipo), radice, scrittura)[1] for radice in (*RADICI, "ripristinat")]
    return frasi


@pytest.mark.parametrize("tipo", list(TIPI))
def test_every_participle_agrees_with_the_kind(tipo):
    frasi = _frasi(tipo)
    for frase in frasi:
        desinenze = PARTICIPIO.findall(frase)
        assert desinenze, frase
        assert set(desinenze) == {DESINENZA[tipo]}, frase


def test_the_publish_list_names_a_value_in_the_masculine_and_a_milestone_in_the_feminine():
    assert str(Differenza("valore", "Ascolto", "modificata")) == "Valore «Ascolto»: modificato"
    assert str(Differenza("tappa", "1986", "aggiunta")) == "Tappa «1986»: aggiunta"
    assert str(Differenza("sezione", "vision", "modificata")) == "Testo della vision: modificato"
    assert str(Differenza("sezione", "sottotitolo", "spostata")) == (
        "Testo del sottotitolo: spostato"
    )


def test_articles_and_pronouns_follow_the_kind():
    assert f"Eliminare {TAPPA.articolo} {TAPPA.nome}" == "Eliminare la tappa"
    assert f"Eliminare {VALORE.articolo} {VALORE.nome}" == "Eliminare il valore"
    assert pieno(TAPPA).endswith("per aggiungerne una, eliminane prima un’altra.")
    assert pieno(VALORE).endswith("per aggiungerne uno, eliminane prima un altro.")


def test_counts_agree_in_number():
    assert modifiche(1) == "1 modifica"
    assert modifiche(2) == "2 modifiche"


def _congedi() -> dict[str, str]:
    """What "Esci" says of the drafts left, as the page's script holds it: the sentence for
    one draft and the one for several (the count itself is filled in by the browser)."""
    js = str(barra_staff._congedo())
    frasi = [json.loads(f'"{s}"') for s in re.findall(r'"((?:[^"\\]|\\.)*)"', js)]
    una = [f for f in frasi if f.startswith(" 1 modifica")]
    piu = [f for f in frasi if " modifiche " in f]
    assert len(una) == 1 and len(piu) == 1, frasi
    return {"una": una[0], "più": piu[0]}


def test_what_esci_leaves_in_draft_agrees_in_number():
    congedi = _congedi()
    assert congedi["una"] == (
        " 1 modifica resta in bozza, non pubblicata: la ritrovi quando rientri."
    )
    assert (
        congedi["più"] == " modifiche restano in bozza, non pubblicate: le ritrovi quando rientri."
    )
    for parola in ("restano", "pubblicate", "le ritrovi"):
        assert parola not in congedi["una"]
    for parola in ("resta ", "pubblicata", "la ritrovi"):
        assert parola not in congedi["più"]

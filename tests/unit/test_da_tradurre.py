"""Which translations a working copy still needs: out of date once the Italian changes after
the English was saved, missing where there is none, current again once the English is saved."""

import pytest

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import BOZZA, SITO
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, Voce
from tests.factories import salva_mission

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def sito(session):
    semina(session=session)
    bozze.apri(session=session, spazio=SITO)
    return session


def _salva(session, campi: dict) -> None:
    versione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION).versione
    pagina.salva(
        session=session, pagina=BOZZA, voce=MISSION, campi=campi, versione=versione, autore="anna"
    )


def test_a_changed_italian_leaves_its_english_to_update_until_it_is_saved(sito):
    assert bozze.da_tradurre(session=sito, spazio=SITO) == []  # the seed is translated
    salva_mission(sito, "Una mission nuova.")
    assert bozze.da_tradurre(session=sito, spazio=SITO) == [
        "Testo della mission: traduzione da aggiornare"
    ]
    _salva(sito, {"testo_en": "A new mission."})
    assert bozze.da_tradurre(session=sito, spazio=SITO) == []


def test_an_english_left_empty_is_missing(sito):
    _salva(sito, {"testo_en": None})
    assert bozze.da_tradurre(session=sito, spazio=SITO) == [
        "Testo della mission: traduzione mancante"
    ]

"""The counting rules and the indices of the writing help (`serena_app/leggibilita/`), on
texts whose counts were made by hand (the sums are written out in each test)."""

import pytest

from serena_app.leggibilita import conteggi
from serena_app.leggibilita.figure import per_editore
from serena_app.leggibilita.indici import FASCE, Misura, misura, tempo_di_lettura
from serena_app.leggibilita.suggerimenti import (
    maiuscole,
    ripete_intestazione,
    spazi_doppi,
    suggerimenti,
)
from serena_app.lingue import INGLESE, ITALIANO


def test_the_seeds_first_value_is_one_sentence_of_52_words_gulpease_28_difficile(contenuto):
    testo = contenuto["valori"][0]["testo"]
    m = misura(testo)
    # 52 words; letters word by word: Assicurare 10, pari 4, opportunità 11, a 1, tutti 5, i 1,
    # lavoratori 10, e 1, a 1, tutti 5, gli 3, utenti 6, indipendentemente 17, da 2, età 3,
    # origine 7, nazionale 9, territoriale 12, o 1, sociale 7, etnia 5, religione 9,
    # disabilità 10, orientamento 12, sessuale 8, responsabilità 14, familiari 9, stato 5,
    # civile 6, appartenenza 12, sindacale 9, opinione 8, politica 8, o 1, da 2, qualsiasi 9,
    # altra 5, condizione 10, nella 5, convinzione 11, che 3, il 2, loro 4, apporto 7,
    # rappresenti 11, un 2, valore 6, per 3, il 2, progresso 9, dell’impresa 11,
    # cooperativa 11 = 345.
    assert (m.frasi, m.parole, m.lettere) == (1, 52, 345)
    # 89 + (300 × 1 − 10 × 345) / 52 = 89 − 60.58 = 28.42
    assert m.indice == 28
    assert m.fascia is not None and m.fascia.nome == "difficile"
    assert [f.parole for f in m.lunghe] == [52]


def test_abbreviations_do_not_end_a_sentence_unless_ecc_comes_before_a_capital():
    testo = "Servono guanti, mascherine ecc. Poi, p. es. per gli anziani, il sig. Bianchi aiuta."
    frasi = conteggi.frasi(testo)
    assert [f.testo for f in frasi] == [
        "Servono guanti, mascherine ecc.",
        "Poi, p. es. per gli anziani, il sig. Bianchi aiuta.",
    ]
    m = misura(testo)
    # Servono 7, guanti 6, mascherine 10, ecc 3 | Poi 3, p 1, es 2, per 3, gli 3, anziani 7,
    # il 2, sig 3, Bianchi 7, aiuta 5: 14 words, 62 letters.
    assert (m.frasi, m.parole, m.lettere) == (2, 14, 62)
    assert m.indice == 88  # 89 + (600 − 620) / 14 = 87.57
    assert len(conteggi.frasi("Li trovi in fondo, ecc.\n\nPoi si parte")) == 2  # a paragraph


def test_numbers_are_words_without_letters_and_their_stops_and_colons_end_nothing():
    testo = (
        "Nel 1986 la cooperativa contava 12 soci lavoratori; nel 1994 erano diventati "
        "3,5 volte tanti."
    )
    m = misura(testo)
    # Nel 3, la 2, cooperativa 11, contava 7, soci 4, lavoratori 10 (1986 and 12: no letters)
    # | nel 3, erano 5, diventati 9, volte 5, tanti 5 (1994 and 3,5: none): 15 words, 64.
    assert (m.frasi, m.parole, m.lettere) == (2, 15, 64)
    assert m.indice == 86  # 89 + (600 − 640) / 15 = 86.33
    assert len(conteggi.frasi("Alle 17:30 sono 1.000 persone")) == 1


def test_an_apostrophe_joins_two_words_into_one():
    for apostrofo in ("'", "’"):
        m = misura(f"L{apostrofo}assistenza dell{apostrofo}anziano è un dovere.")
        # L'assistenza 11, dell'anziano 11, è 1, un 2, dovere 6 = 31 letters in 5 words.
        assert (m.frasi, m.parole, m.lettere) == (1, 5, 31)
        assert m.indice == 87  # 89 + (300 − 310) / 5


def test_an_empty_text_has_no_index_and_says_so():
    for vuoto in ("", "   \n\n  ", " – … "):
        m = misura(vuoto)
        assert (m.frasi, m.parole, m.indice, m.fascia) == (0, 0, None, None)
        assert per_editore(m, []).indice == ""
        assert per_editore(m, []).lettura == "Ancora nessun testo da misurare."


@pytest.mark.parametrize(
    ("testo", "frasi"),
    [
        ("La fondazione", ["La fondazione"]),  # a title: the end of the text ends it
        ("Davvero?! Sì...", ["Davvero?!", "Sì..."]),
        ("Ore 17:30: fine", ["Ore 17:30:", "fine"]),
        ("Disse «basta.» Poi andò", ["Disse «basta.»", "Poi andò"]),
        ("Prima riga\n\nSeconda riga", ["Prima riga", "Seconda riga"]),
        ("Una riga\nche continua.", ["Una riga che continua."]),
        ("Di tipo A. Poi", ["Di tipo A.", "Poi"]),
        ("Arrivano. … E poi", ["Arrivano.", "E poi"]),  # a lone ellipsis is no sentence
    ],
)
def test_where_sentences_end(testo, frasi):
    assert [f.testo for f in conteggi.frasi(testo)] == frasi


def test_gulpease_bands_and_rounding_halves_up():
    def gulpease(frasi, parole, lettere):
        return Misura(ITALIANO, frasi, parole, lettere)

    casi = {
        (1, 10, 39): (80, "facile"),  # 89 + (300 − 390) / 10 = 80
        (1, 10, 40): (79, "comprensibile"),
        (1, 10, 59): (60, "comprensibile"),
        (1, 10, 60): (59, "impegnativo"),
        (1, 10, 79): (40, "impegnativo"),
        (1, 10, 80): (39, "difficile"),
        (1, 20, 51): (79, "comprensibile"),  # 78.5: half up, not to even
        (1, 1, 1): (100, "facile"),  # 379: kept within the scale
        (1, 10, 200): (0, "difficile"),  # −81
    }
    for conti, (indice, fascia) in casi.items():
        m = gulpease(*conti)
        assert (m.indice, m.fascia.nome if m.fascia else None) == (indice, fascia), conti
    assert [f.minimo for f in FASCE[ITALIANO]] == [80, 60, 40, 0]


def test_english_uses_flesch_reading_ease_with_its_syllables():
    assert [conteggi.sillabe(p) for p in ("care", "people", "worked", "homes", "table")] == [
        1,
        2,
        1,
        1,
        2,
    ]
    m = misura("The cat sat on the mat.", INGLESE)
    # 6 words, 6 syllables, 1 sentence: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.1
    assert (m.parole, m.sillabe, m.indice) == (6, 6, 116)
    assert m.fascia is not None and m.fascia.nome == "molto facile"
    m = misura("We care for older people every day.", INGLESE)
    # We 1, care 1, for 1, older 2, people 2, every 3, day 1 = 11:
    # 206.835 − 1.015 × 7 − 84.6 × 11 / 7 = 66.8
    assert (m.parole, m.sillabe, m.indice, m.fascia.nome) == (7, 11, 67, "standard")
    assert [f.testo for f in conteggi.frasi("Ask e.g. Dr. Smith. Then go.", INGLESE)] == [
        "Ask e.g. Dr. Smith.",
        "Then go.",
    ]


def test_reading_time_at_the_languages_published_speed():
    assert misura(" ".join(["parola"] * 188)).secondi == 60  # IReST: Italian 188 a minute
    assert misura(" ".join(["word"] * 228), INGLESE).secondi == 60  # English 228
    assert tempo_di_lettura(17) == "circa 15 secondi"
    assert tempo_di_lettura(3) == "meno di 5 secondi"
    assert tempo_di_lettura(60) == "circa 1 minuto"
    assert tempo_di_lettura(150) == "circa 3 minuti"  # 2.5: halves up


def test_long_sentences_are_those_over_25_words():
    venticinque = " ".join(["casa"] * 25) + "."
    ventisei = " ".join(["casa"] * 26) + "."
    assert misura(venticinque).lunghe == ()
    assert [f.parole for f in misura(f"{venticinque} {ventisei}").lunghe] == [26]


def test_plain_language_hints():
    assert maiuscole("Grazie al supporto della CISL.") == []  # an acronym
    assert maiuscole("È IMPORTANTE: leggete.") == ["IMPORTANTE"]
    assert maiuscole("Per favore NON DIMENTICATE.") == ["NON", "DIMENTICATE"]
    assert spazi_doppi("avere  legami forti e   rapporti\n\ncon") == ["avere", "e"]
    assert ripete_intestazione("I valori", "I nostri valori")
    assert ripete_intestazione("Storia", "La nostra storia")
    assert not ripete_intestazione("La fondazione", "La nostra storia")
    etichette = {"titolo": "Titolo breve", "testo": "Testo"}
    detti = suggerimenti(
        {"titolo": "I VALORI", "testo": "Siamo  qui."},
        etichette,
        intestazione="I nostri valori",
    )
    assert len(detti) == 3
    assert detti[0].startswith("Titolo breve: parole in maiuscolo («VALORI»).")  # not "I"
    assert detti[1] == "Testo: 1 spazio doppio (dopo «Siamo»). Basta uno spazio."
    assert "ripete quello della sezione («I nostri valori»)" in detti[2]


@pytest.mark.parametrize(
    ("caratteri", "detto"), [(49, True), (50, False), (160, False), (161, True)]
)
def test_a_page_description_outside_50_to_160_characters_is_said(caratteri, detto):
    detti = suggerimenti({"testo": "a" * caratteri}, {"testo": "Testo"}, descrizione=True)
    assert bool(detti) is detto
    if detto:
        assert detti[0].startswith(f"La descrizione ha {caratteri} caratteri")


def test_the_seeds_vision_has_its_double_space_found(contenuto):
    assert spazi_doppi(contenuto["sezioni"]["vision"]) == ["avere"]

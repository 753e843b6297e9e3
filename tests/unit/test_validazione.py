"""Every editable field: what is refused, with which message, and what is cleaned."""

from datetime import date

import pytest

from serena_app import validazione
from serena_app.tipi import SEZIONE, TAPPA, VALORE
from serena_app.validazione import ErroreValidazione, ErroriModulo

pulisci_titolo = TAPPA.campo("titolo").pulisci
pulisci_testo = TAPPA.campo("testo").pulisci


@pytest.mark.parametrize("controllo", [pulisci_titolo, pulisci_testo])
@pytest.mark.parametrize("vuoto", ["", "   ", "\n\n"])
def test_required_fields_refuse_empty_text(controllo, vuoto):
    with pytest.raises(ErroreValidazione, match="obbligatorio"):
        controllo(vuoto)


@pytest.mark.parametrize(
    ("controllo", "massimo"),
    [(pulisci_titolo, 120), (pulisci_testo, 2000), (SEZIONE.campo("testo").pulisci, 4000)],
)
def test_length_limits(controllo, massimo):
    assert controllo("a" * massimo) == "a" * massimo
    with pytest.raises(ErroreValidazione, match=f"Al massimo {massimo} caratteri"):
        controllo("a" * (massimo + 1))


@pytest.mark.parametrize("carattere", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u009f"])
def test_control_characters_are_refused(carattere):
    with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
        pulisci_testo(f"Testo{carattere}con controllo")


def test_titles_are_one_line_texts_may_have_paragraphs():
    with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
        pulisci_titolo("Due\nrighe")
    assert pulisci_testo("Uno.\r\n\r\nDue.") == "Uno.\n\nDue."


def test_markup_is_kept_as_plain_text():
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    assert pulisci_testo(payload) == payload


@pytest.mark.parametrize("non_testo", [None, 3, ["a"], {"a": 1}, True])
def test_non_text_payloads_are_refused(non_testo):
    with pytest.raises(ErroreValidazione):
        pulisci_testo(non_testo)


def test_year_is_optional_and_bounded():
    oggi = date.today().year
    assert validazione.anno("") is None
    assert validazione.anno(" 1994 ") == 1994
    assert validazione.anno(str(oggi)) == oggi
    for fuori in ("1899", str(oggi + 1), "0"):
        with pytest.raises(ErroreValidazione, match="compreso tra 1900"):
            validazione.anno(fuori)
    for non_numero in ("19a4", "-1994", "١٩٩٤", "1994.0"):
        with pytest.raises(ErroreValidazione, match="quattro cifre"):
            validazione.anno(non_numero)


def test_a_form_reports_every_refused_field_at_once():
    with pytest.raises(ErroriModulo) as errori:
        validazione.modulo(TAPPA.campi, {"anno": "1800", "titolo": "", "testo": "Va bene."})
    assert set(errori.value.errori) == {"anno", "titolo"}


def test_optional_sections_may_be_empty():
    assert validazione.modulo(SEZIONE.campi, {"testo": ""}, obbligatorio=False) == {"testo": ""}
    with pytest.raises(ErroriModulo):
        validazione.modulo(SEZIONE.campi, {"testo": ""})


def test_a_form_that_is_not_a_dict_is_refused():
    with pytest.raises(ErroriModulo):
        validazione.modulo(VALORE.campi, ["titolo", "testo"])


@pytest.mark.parametrize(
    "invisibile",
    ["\u202e", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2028", "\u2029", "\ud800", "\udfff"],
    ids=["RLO", "LRI", "ZWSP", "RLM", "BOM", "LS", "PS", "surrogato-alto", "surrogato-basso"],
)
def test_invisible_format_characters_and_lone_surrogates_are_refused(invisibile):
    """Bidi controls would show visitors a reversed text; zero-width characters hide what a
    text says; a lone surrogate is not text at all. Each gets the field's message."""
    for controllo in (pulisci_titolo, pulisci_testo):
        with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
            controllo(f"Trasparenza{invisibile}e correttezza")


def test_a_required_field_needs_a_visible_character():
    with pytest.raises(ErroreValidazione):
        pulisci_titolo("\u200b\u200b\u200b")
    with pytest.raises(ErroreValidazione, match="obbligatorio"):
        pulisci_titolo("\u3000\u00a0 ")  # ideographic and no-break spaces only
    for vuoto in ("\u3164\u3164", "\u2800", "\u0301\u0308", "\u115f\u1160\uffa0"):
        with pytest.raises(ErroreValidazione, match="obbligatorio"):
            pulisci_titolo(vuoto)  # blank fillers, marks on nothing
    assert pulisci_titolo("e\u0301") == "\u00e9"  # a mark on a letter is fine


def test_ordinary_italian_text_and_emoji_still_pass():
    assert (
        pulisci_testo("Perché è così: «qualità» – 100% 😀") == "Perché è così: «qualità» – 100% 😀"
    )

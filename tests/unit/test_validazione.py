"""Every editable field: what is refused, with which message, and what is cleaned."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serena_app.contenuto import tipi
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE, ErroreValidazione, ErroriModulo, voce
from serena_app.state.redazione import voce_richiesta

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
    oltre = massimo + 1
    limite = f"{massimo:,}".replace(",", ".")  # Italian thousands: "2.000"
    with pytest.raises(ErroreValidazione) as errore:
        controllo("a" * oltre)
    assert str(errore.value) == (
        f"Al massimo {limite} caratteri (ora sono {f'{oltre:,}'.replace(',', '.')})."
    )


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
    assert tipi.anno("") is None
    assert tipi.anno(" 1994 ") == 1994
    assert tipi.anno(str(oggi)) == oggi
    for fuori in ("1899", str(oggi + 1), "0"):
        with pytest.raises(ErroreValidazione, match="compreso tra 1900"):
            tipi.anno(fuori)
    for non_numero in ("19a4", "-1994", "١٩٩٤", "1994.0", "9" * 5000, 2**63):
        with pytest.raises(ErroreValidazione, match="quattro cifre"):
            tipi.anno(non_numero)


def test_a_form_reports_every_refused_field_at_once():
    with pytest.raises(ErroriModulo) as errori:
        tipi.modulo(TAPPA.campi, {"anno": "1800", "titolo": "", "testo": "Va bene."})
    assert set(errori.value.errori) == {"anno", "titolo"}


def test_optional_sections_may_be_empty():
    assert tipi.modulo(SEZIONE.campi, {"testo": ""}, obbligatorio=False) == {"testo": ""}
    with pytest.raises(ErroriModulo):
        tipi.modulo(SEZIONE.campi, {"testo": ""})


def test_a_form_that_is_not_a_dict_is_refused():
    with pytest.raises(ErroriModulo):
        tipi.modulo(VALORE.campi, ["titolo", "testo"])


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


ZALGO = "e" + "\u0301\u0308\u0323" * 35  # 105 marks stacked on one letter


@pytest.mark.parametrize(
    "testo",
    [
        f"Trasparenza {ZALGO}",
        "Titolo x\u0300\u0301\u0302\u0303\u0304",  # five marks on one letter
        "\u1cbc\u3164",  # unassigned, then a Hangul filler: draws nothing
        "Missione \U000f0000",  # private use (plane 15)
        "Missione \ue000",  # private use (BMP)
        "Missione \U0010fffd",  # private use (plane 16)
        "Missione \u0378",  # unassigned, in the Greek block
        "Missione \ufdd0",  # a noncharacter
        "Missione \U0001ffff",  # a noncharacter beyond the BMP
    ],
    ids=[
        "zalgo",
        "cinque-segni",
        "non-assegnato-e-riempitivo",
        "uso-privato-piano-15",
        "uso-privato-bmp",
        "uso-privato-piano-16",
        "non-assegnato-greco",
        "non-carattere",
        "non-carattere-smp",
    ],
)
def test_unassigned_private_use_and_stacked_marks_are_refused(testo):
    """Text that draws nothing, draws what each font decides, or piles marks over the lines
    around it: refused in titles and texts with the field's message."""
    for controllo in (pulisci_titolo, pulisci_testo):
        with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
            controllo(testo)


@pytest.mark.parametrize(
    "riempitivo", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u3164\u115f\u1160\uffa0"]
)
def test_hangul_fillers_alone_are_no_title(riempitivo):
    with pytest.raises(ErroreValidazione, match="obbligatorio"):
        pulisci_titolo(riempitivo)
    with pytest.raises(ErroreValidazione, match="obbligatorio"):
        pulisci_titolo(f" {riempitivo} ")


PASSANO = {
    "accenti": "Perché è così, già più",
    "emoji": "Grazie 🙂",
    "pelle": "Infermiera 👩🏽",
    "tastiera": "Numero 1\ufe0f\u20e3",  # keycap: a variation selector and an enclosing mark
    "arabo": "تعاونية اجتماعية",
    "arabo-vocalizzato": "مُحَمَّدٌ",  # shadda and vowels: at most two marks in a row
    "devanagari": "सहकारी संस्था क्षत्रिय",
    "vietnamita": "Hợp tác xã",
    "ebraico-puntato": "שָׁלוֹם",
    "quattro-segni": "a\u0300\u0301\u0302\u0303",
    "emoji-unicode-15": "Scossa \U0001fae8 e cuore \U0001fa77",  # newer than Python's data
}


@pytest.mark.parametrize("testo", PASSANO.values(), ids=PASSANO)
def test_scripts_emoji_and_a_few_marks_still_pass(testo):
    """Italian, other scripts with their marks, emoji (also those newer than the Unicode
    version Python's `unicodedata` knows)."""
    for controllo in (pulisci_titolo, pulisci_testo):
        assert controllo(testo) == unicodedata.normalize("NFC", testo)


def test_an_emoji_zwj_sequence_is_refused_as_before():
    """U+200D (zero-width joiner) is a format character, refused like every other (a hidden
    joiner could also hide text): "👩🏽‍⚕️" is refused, as it always was."""
    with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
        pulisci_testo("Infermiera 👩🏽\u200d⚕\ufe0f")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Cn", "Co"]), min_size=1, max_size=3))
def test_no_unassigned_or_private_use_character_passes(intruso):
    """Any code point this Python's Unicode data calls unassigned or private-use, outside the
    blocks where Unicode added emoji and scripts since that version."""
    recente = lambda c: any(a <= ord(c) <= b for a, b in tipi.BLOCCHI_RECENTI)  # noqa: E731
    intruso = "".join(c for c in intruso if not recente(c)) or "\U000f0000"
    with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
        pulisci_testo(f"Missione {intruso}")


@settings(max_examples=300, deadline=None)
@given(
    st.characters(categories=["L"]),
    st.lists(st.characters(categories=["Mn", "Me"]), min_size=5, max_size=120),
)
def test_five_or_more_marks_on_one_letter_are_refused(lettera, segni):
    testo = unicodedata.normalize("NFC", lettera + "".join(segni))
    corsa = sum(1 for c in testo if unicodedata.category(c)[0] == "M")
    if corsa <= 4:  # composition absorbed some marks: what is left is an ordinary letter
        return
    with pytest.raises(ErroreValidazione, match="caratteri non ammessi"):
        pulisci_testo(f"Parola {lettera}{''.join(segni)}")


@pytest.mark.parametrize("numero", [1, "1", 2**31 - 1, str(2**31 - 1), "42"])
def test_an_id_is_a_whole_number_or_its_digits(numero):
    assert tipi.intero(numero) == int(numero)


@pytest.mark.parametrize(
    "fuori",
    [0, -1, 2**31, 2**63, "9" * 5000, "1e3", " 1", "١", "", 1.0, 1e308, True, False, None, [1]],
)
def test_an_id_out_of_range_or_not_a_whole_number_is_refused(fuori):
    with pytest.raises(ErroreValidazione, match="Richiesta non valida"):
        tipi.intero(fuori)


def test_a_move_is_minus_one_to_one():
    mosse = [tipi.intero(d, minimo=-1, massimo=1) for d in (-1, "-1", 1, "1")]
    assert mosse == [-1, -1, 1, 1]
    for fuori in (2, -2, "+1"):
        with pytest.raises(ErroreValidazione):
            tipi.intero(fuori, minimo=-1, massimo=1)


@pytest.mark.parametrize(
    "tipo", [{"a": 1}, ["tappa"], None, 3], ids=["dict", "list", "None", "int"]
)
def test_an_item_named_with_a_kind_that_is_no_string_is_no_item(tipo):
    """Any JSON can come as an event's kind: a dict or a list (unhashable) names nothing, and
    raises nothing (the fuzz test found the dict)."""
    assert voce_richiesta(tipo, 1) is None
    assert voce(tipo, 1) is None

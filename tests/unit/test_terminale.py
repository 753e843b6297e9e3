"""`terminale.sicuro`: what a terminal would obey or hide is shown as an escape, never raw, and
ordinary text (accents, quotes, emoji) is left as it is."""

import unicodedata

import pytest

from serena_app.comandi.terminale import sicuro

ESCAPE = {
    "ESC (clears the screen)": ("\x1b[2J", "\\x1b[2J"),
    "OSC title ended by BEL": ("\x1b]0;titolo\x07", "\\x1b]0;titolo\\x07"),
    "CR and LF (forge a line)": ("anna\r\n2026-12-05 10:00:00  admin", "anna\\x0d\\x0a2026-12-05"),
    "tab": ("a\tb", "a\\x09b"),
    "C1 CSI": ("\x9b2J", "\\x9b2J"),
    "right-to-left override U+202E": ("abc\u202efdp.exe", "abc\\u202efdp.exe"),
    "zero-width space U+200B": ("ad\u200bmin", "ad\\u200bmin"),
    "Hangul filler U+3164": ("admin\u3164", "admin\\u3164"),
    "private use U+F0000": ("x\U000f0000", "x\\U000f0000"),
    "line separator U+2028": ("a\u2028b", "a\\u2028b"),
    "no-break space U+00A0": ("a\u00a0b", "a\\xa0b"),
    "unassigned U+0378": ("a\u0378", "a\\u0378"),
    "backslash": ("C:\\x1b", "C:\\\\x1b"),
}


@pytest.mark.parametrize(("testo", "atteso"), ESCAPE.values(), ids=ESCAPE)
def test_what_a_terminal_obeys_or_hides_is_escaped(testo, atteso):
    mostrato = sicuro(testo)
    assert atteso in mostrato
    assert all(c == " " or unicodedata.category(c)[0] in "LMNPS" for c in mostrato)


def test_a_faked_escape_cannot_pass_for_a_real_one():
    """A name typed as the six characters `\\x1b` and one holding ESC print differently."""
    assert sicuro("\\x1b") != sicuro("\x1b")


def test_ordinary_text_is_left_as_it_is():
    testo = "Cooperativa «Serena» – l’anno 1986: caffè, 😀, 한국어, ü, 100%"
    assert sicuro(testo) == testo


def test_anything_printable_is_accepted():
    assert sicuro(None) == "None"
    assert sicuro(42) == "42"

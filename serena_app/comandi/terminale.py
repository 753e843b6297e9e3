"""Stored text, made safe to print on a terminal.

Anything a visitor or a file could have typed (a failed login's user name, a backup's path, an
imported text) may hold control characters that a terminal obeys: a newline that forges a line
of `serena audit`, ESC sequences that clear the screen or set the window's title, bidi controls
that reverse what follows, invisible characters that hide part of a name. Every `serena`
command prints such text through `sicuro`, which shows each of them as an escape (`\\x1b`,
`\\u202e`), never raw.
"""

import unicodedata

# Control (C0, DEL, C1), format (bidi controls, zero-width), surrogate, private-use and
# unassigned code points, line and paragraph separators, and every space but the plain one.
_CATEGORIE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
# Letters that draw nothing: Hangul fillers, the blank Braille pattern.
_RIEMPITIVI = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def _escape(carattere: str) -> str:
    codice = ord(carattere)
    if codice <= 0xFF:
        return f"\\x{codice:02x}"
    if codice <= 0xFFFF:
        return f"\\u{codice:04x}"
    return f"\\U{codice:08x}"


def _da_mostrare(carattere: str) -> bool:
    if carattere == " ":
        return True
    return carattere not in _RIEMPITIVI and unicodedata.category(carattere) not in _CATEGORIE


def sicuro(testo: object) -> str:
    """`testo` as a terminal may print it: every control, bidi, invisible, private-use or
    unassigned character escaped, and the backslash too (so an escape can't be faked)."""
    return "".join(
        c if _da_mostrare(c) and c != "\\" else ("\\\\" if c == "\\" else _escape(c))
        for c in str(testo)
    )

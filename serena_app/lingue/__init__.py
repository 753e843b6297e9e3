"""The page's two languages: Italian at `/`, English at `/en/`.

The visitor page is compiled once per language (`pages/index.py`): while a page is built,
`in_lingua` says which, and `_` / `ngettext` give each visitor string in it from the gettext
catalogs under `locales/` (`messages.po`, extracted with `pybabel extract`, compiled to
`messages.mo` by `make install`). The strings in the code are the Italian ones, so Italian
needs no catalog. The staff interface stays Italian: its strings are not marked.

The page's own texts (sections, milestones, values) are content, not catalog strings: each
item keeps its English next to its Italian (`models.py`, `contenuto/traduzioni.py`).
"""

import contextlib
import contextvars
import functools
from collections.abc import Iterator
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

ITALIANO, INGLESE = "it", "en"
LINGUE = (ITALIANO, INGLESE)
"""Every language of the page; the first is the site's own (`/`, and `x-default`)."""

LINGUA_STAFF = ITALIANO
"""The staff interface's language on every page: each staff-only container says so with
`lang`, so that on `/en/` a screen reader reads it with an Italian voice."""

CATALOGHI = Path(__file__).with_name("locales")
DOMINIO = "messages"
NOMI = {ITALIANO: "Italiano", INGLESE: "English"}
"""Each language named in itself, as the language switch shows it."""

_corrente: contextvars.ContextVar[str] = contextvars.ContextVar("lingua", default=ITALIANO)


def lingua() -> str:
    """The language of the page being built now (Italian outside `in_lingua`)."""
    return _corrente.get()


@contextlib.contextmanager
def in_lingua(codice: str) -> Iterator[None]:
    """Build components in language `codice` inside the block."""
    if codice not in LINGUE:
        msg = f"unknown language {codice!r}"
        raise ValueError(msg)
    token = _corrente.set(codice)
    try:
        yield
    finally:
        _corrente.reset(token)


@functools.cache
def traduzioni(codice: str) -> NullTranslations:
    """The compiled catalog of language `codice` (none for Italian, the code's own)."""
    if codice == ITALIANO:
        return NullTranslations()
    trovate = Translations.load(str(CATALOGHI), [codice], DOMINIO)
    if not isinstance(trovate, Translations):
        msg = f"no compiled catalog for {codice!r} under {CATALOGHI}: run `make install`"
        raise RuntimeError(msg)
    return trovate


def _(messaggio: str) -> str:
    """`messaggio` (Italian) in the language of the page being built."""
    return traduzioni(lingua()).gettext(messaggio)


def N_(messaggio: str) -> str:
    """Mark `messaggio` for the catalog where it is defined (a constant, a server's notice);
    it is translated where it is shown, by `tradotto`."""
    return messaggio


def tradotto(messaggio: str, codice: str) -> str:
    """`messaggio` (Italian, marked with `_` or `N_`) in language `codice`: for a notice the
    server sends to one page, in that page's language (`del_percorso`)."""
    with in_lingua(codice):
        return _(messaggio)


def ngettext(singolare: str, plurale: str, numero: int) -> str:
    """The singular or plural form for `numero`, by the plural rules of the page's language."""
    return traduzioni(lingua()).ngettext(singolare, plurale, numero)


def locale() -> Locale:
    """Babel's locale of the page being built (dates and numbers)."""
    return Locale.parse(lingua())


def percorso(codice: str) -> str:
    """The address of the page in language `codice`: "/" or "/en/"."""
    return "/" if codice == ITALIANO else f"/{codice}/"


def del_percorso(percorso_pagina: str) -> str:
    """The language of a page by its route ("/en", "/en/" → English; anything else Italian)."""
    primo = percorso_pagina.strip("/").split("/", 1)[0]
    return primo if primo in LINGUE[1:] else ITALIANO

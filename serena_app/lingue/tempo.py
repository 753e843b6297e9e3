"""Dates, times and durations as people read them, in Rome's time, through Babel (the CLDR's
month and day names and plural forms): "6 dicembre, 02:10", "domenica 6 dicembre 2026",
"3 minuti fa". The staff interface reads them in Italian; a visitor's page would pass its
language."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta

from serena_app.lingue import ITALIANO

FUSO = ZoneInfo("Europe/Rome")


def a_roma(quando: datetime) -> datetime:
    """`quando` (a naive one is UTC, as the database keeps them) in Rome's time."""
    return (quando if quando.tzinfo else quando.replace(tzinfo=UTC)).astimezone(FUSO)


def giorno_e_ora(quando: datetime, lingua: str = ITALIANO) -> str:
    """ "6 dicembre, 02:10"."""
    return format_datetime(a_roma(quando), "d MMMM, HH:mm", locale=lingua)


def data_e_ora(quando: datetime, lingua: str = ITALIANO) -> str:
    """ "6 dicembre 2026, 02:10"."""
    return format_datetime(a_roma(quando), "d MMMM y, HH:mm", locale=lingua)


def giorno(quale: date, lingua: str = ITALIANO, *, anno: bool = True) -> str:
    """ "6 dicembre 2026" (without `anno`: "6 dicembre")."""
    return format_date(quale, "d MMMM y" if anno else "d MMMM", locale=lingua)


def giorno_della_settimana(quale: date, lingua: str = ITALIANO) -> str:
    """ "domenica 6 dicembre 2026"."""
    return format_date(quale, "EEEE d MMMM y", locale=lingua)


def fa(quantita: int, unita: str, lingua: str = ITALIANO) -> str:
    """ "3 minuti fa" for (3, "minute"); `unita` is Babel's: "minute", "hour", "day"."""
    secondi = {"minute": 60, "hour": 3600, "day": 86400}[unita]
    durata = timedelta(seconds=-quantita * secondi)
    return format_timedelta(
        durata, granularity=unita, threshold=1, add_direction=True, locale=lingua
    )

"""Scheduled publishes: the moment typed in Rome's time, and the rows that hold them.

A responsabile picks a date and a time in Europe/Rome; the row (`models.Programmata`) holds
the moment in UTC. Across the daylight-saving changes: a time that does not exist (the night
clocks go forward, 02:00–02:59 on the last Sunday of March) is refused; a time that happens
twice (02:00–02:59 on the last Sunday of October) is taken the first time, in summer time
("ora legale"), and the confirmation says so.

Each step on a row is one conditional UPDATE whose rowcount says who won, on SQLite and
PostgreSQL alike: an app process claims a due row (`prendi`, from "attesa", or from an
"in_corso" claim older than `PRESA_SCADE`, whose process died), and only the claimer may
close it (`chiudi`, `chiudi_nella_pubblicazione`); a cancel (`annulla`) wins only over a row
still waiting. The loop that claims and runs them is `programmatore.py`.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from serena_app.lingue import tempo
from serena_app.lingue.tempo import FUSO
from serena_app.models import Programmata

ATTESA, IN_CORSO, FATTA, VUOTA, FALLITA, ANNULLATA = (
    "attesa",
    "in_corso",
    "fatta",
    "vuota",
    "fallita",
    "annullata",
)
FINITE = (FATTA, VUOTA, FALLITA)
PRESA_SCADE = timedelta(minutes=2)
"""A claim this old whose row is not finished was made by a process that died: taken again."""
ANTICIPO_MASSIMO = timedelta(days=366)
MOSTRATE_DOPO = timedelta(days=2)  # a finished one stays in the staff bar's list this long
NIENTE = "niente da pubblicare"
FIRMA = " (programmata)"  # history signs a scheduled publish "anna (programmata)"

MANCANTE = "Scegli la data e l’ora della pubblicazione."
MALFORMATA = (
    "Data o ora non valida: scrivi la data come 31/12/2026 e l’ora come 17:00 (ore e minuti)."
)
PASSATA = "Questo momento è già passato: scegli una data e un’ora future."
TROPPO_AVANTI = "Si può programmare una pubblicazione al massimo un anno prima."
NON_TROVATA = "Questa pubblicazione programmata non è più in attesa: niente da annullare."


class OrarioNonValido(ValueError):
    """The date and time typed cannot be scheduled; the message says why, in Italian."""


class PresaPersa(Exception):
    """This process's claim on a row was taken over (its lease ran out): it must not run."""


def _data(testo: str) -> date:
    testo = testo.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", testo):
        anno, mese, giorno = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", testo):
        giorno, mese, anno = m.groups()
    else:
        raise OrarioNonValido(MALFORMATA)
    try:
        return date(int(anno), int(mese), int(giorno))
    except ValueError:
        raise OrarioNonValido(MALFORMATA) from None


def _ora(testo: str) -> time:
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?", testo.strip())
    if m is None:
        raise OrarioNonValido(MALFORMATA)
    try:
        return time(int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError:
        raise OrarioNonValido(MALFORMATA) from None


def _ambigua(locale: datetime) -> bool:
    """Whether this wall-clock time in Rome happens twice (the night clocks go back)."""
    prima, seconda = locale.replace(fold=0), locale.replace(fold=1)
    return prima.utcoffset() != seconda.utcoffset()


def _in_parole_giorno(giorno: date) -> str:
    return tempo.giorno_della_settimana(giorno)


def orario(data: object, ora: object, *, adesso: datetime) -> datetime:
    """The moment `data` and `ora` name in Rome, in UTC, if it may be scheduled at `adesso`.

    Args:
        data: "2027-03-28" (a date field) or "28/03/2027".
        ora: "17:00" or "17:00:30".
        adesso: The current time (aware).

    Raises:
        OrarioNonValido: Missing, malformed, nonexistent in Rome, past, or over a year ahead.
    """
    if not isinstance(data, str) or not isinstance(ora, str) or not data.strip() or not ora.strip():
        raise OrarioNonValido(MANCANTE)
    if len(data) > 20 or len(ora) > 20:
        raise OrarioNonValido(MALFORMATA)
    giorno, alle = _data(data), _ora(ora)
    locale = datetime.combine(giorno, alle, tzinfo=FUSO)  # fold=0: the first, in summer time
    quando = locale.astimezone(UTC)
    if quando.astimezone(FUSO).replace(tzinfo=None) != locale.replace(tzinfo=None):
        raise OrarioNonValido(
            f"Il {tempo.giorno(giorno)} alle {alle:%H:%M} non "
            "esiste in Italia: quella notte gli orologi passano dalle 02:00 alle 03:00 (inizia "
            "l’ora legale). Scegli un altro orario."
        )
    if quando <= adesso:
        raise OrarioNonValido(PASSATA)
    if quando > adesso + ANTICIPO_MASSIMO:
        raise OrarioNonValido(TROPPO_AVANTI)
    return quando


def in_parole(quando: datetime) -> str:
    """`quando` in Rome's time, in words: "domenica 6 dicembre 2026 alle 17:00"; seconds when
    not zero; "ora legale" or "ora solare" after a time that happens twice that night."""
    locale = (quando if quando.tzinfo else quando.replace(tzinfo=UTC)).astimezone(FUSO)
    alle = f"{locale:%H:%M:%S}" if locale.second else f"{locale:%H:%M}"
    testo = f"{_in_parole_giorno(locale.date())} alle {alle}"
    if _ambigua(locale.replace(tzinfo=None).replace(tzinfo=FUSO)):
        testo += " ora legale" if locale.dst() else " ora solare"
    return testo


def programma(*, session: Session, quando: datetime, autore: str, adesso: datetime) -> Programmata:
    """Schedule a publish of the site's drafts at `quando` (UTC), by `autore`. Commits."""
    riga = Programmata(quando=quando, autore=autore, creata=adesso, stato=ATTESA)
    session.add(riga)
    session.commit()
    session.refresh(riga)
    return riga


def annulla(*, session: Session, id_: int, chi: str, adesso: datetime) -> bool:
    """Cancel scheduled publish `id_` if it is still waiting (a run that claimed it first
    wins). Commits.

    Returns:
        Whether this cancel won.
    """
    esito = session.exec(
        update(Programmata)
        .where(col(Programmata.id) == id_, col(Programmata.stato) == ATTESA)
        .values(stato=ANNULLATA, annullata_da=chi, finita=adesso)
    )
    session.commit()
    return esito.rowcount == 1


def da_mostrare(*, session: Session, adesso: datetime) -> list[Programmata]:
    """What the staff bar lists: every publish still to run, soonest first, then those that
    ended in the last `MOSTRATE_DOPO` (not the cancelled ones), latest first."""
    attese = session.exec(
        select(Programmata)
        .where(col(Programmata.stato).in_([ATTESA, IN_CORSO]))
        .order_by(col(Programmata.quando), col(Programmata.id))
    ).all()
    finite = session.exec(
        select(Programmata)
        .where(
            col(Programmata.stato).in_(FINITE),
            col(Programmata.quando) >= adesso - MOSTRATE_DOPO,
        )
        .order_by(col(Programmata.quando).desc(), col(Programmata.id).desc())
        .limit(10)
    ).all()
    return [*attese, *finite]


def dovute(*, session: Session, adesso: datetime) -> list[int]:
    """The rows to run now: waiting and due, or claimed longer ago than `PRESA_SCADE` and not
    finished (on the index on stato and quando)."""
    return [
        id_
        for id_ in session.exec(
            select(Programmata.id)
            .where(
                col(Programmata.quando) <= adesso,
                or_(
                    col(Programmata.stato) == ATTESA,
                    (col(Programmata.stato) == IN_CORSO)
                    & (col(Programmata.presa_il) < adesso - PRESA_SCADE),
                ),
            )
            .order_by(col(Programmata.quando), col(Programmata.id))
        )
        if id_ is not None
    ]


def prendi(*, session: Session, id_: int, processo: str, adesso: datetime) -> bool:
    """Claim row `id_` for app process `processo`, if it is due and waiting or its claim has
    expired: one UPDATE, so of several processes exactly one gets it. Commits.

    Returns:
        Whether this process claimed it.
    """
    esito = session.exec(
        update(Programmata)
        .where(
            col(Programmata.id) == id_,
            col(Programmata.quando) <= adesso,
            or_(
                col(Programmata.stato) == ATTESA,
                (col(Programmata.stato) == IN_CORSO)
                & (col(Programmata.presa_il) < adesso - PRESA_SCADE),
            ),
        )
        .values(stato=IN_CORSO, presa_da=processo, presa_il=adesso)
    )
    session.commit()
    return esito.rowcount == 1


def _chiusura(id_: int, processo: str, stato: str, esito: str, adesso: datetime):
    return (
        update(Programmata)
        .where(
            col(Programmata.id) == id_,
            col(Programmata.stato) == IN_CORSO,
            col(Programmata.presa_da) == processo,
        )
        .values(stato=stato, esito=esito[:255], finita=adesso)
    )


def chiudi_nella_pubblicazione(
    session: Session, *, id_: int, processo: str, esito: str, adesso: datetime
) -> None:
    """Mark row `id_` done inside the publish's own transaction (the publish commits it): the
    publish and its row's end are one commit, so a process that dies between them leaves
    neither, and the row is run again after the lease.

    Raises:
        PresaPersa: Another process holds the claim now: the publish is rolled back.
    """
    if session.exec(_chiusura(id_, processo, FATTA, esito, adesso)).rowcount != 1:
        raise PresaPersa


def chiudi(
    *, session: Session, id_: int, processo: str, stato: str, esito: str, adesso: datetime
) -> bool:
    """End row `id_` as `stato` ("vuota", "fallita") with `esito`, if `processo` still holds
    it. Commits."""
    risultato = session.exec(_chiusura(id_, processo, stato, esito, adesso))
    session.commit()
    return risultato.rowcount == 1


def riga(*, session: Session, id_: int) -> Programmata | None:
    """Row `id_` as it is now."""
    return session.get(Programmata, id_)


def annota(*, session: Session, id_: int, esito: str) -> None:
    """Say on done row `id_` what its publish did ("pubblicate 3 modifiche"). Commits."""
    session.exec(
        update(Programmata)
        .where(col(Programmata.id) == id_, col(Programmata.stato) == FATTA)
        .values(esito=esito[:255])
    )
    session.commit()


def in_elenco(riga: Programmata) -> dict[str, str]:
    """One line of the list, in words: when (Rome), who, and how it ended."""
    quando = in_parole(riga.quando)
    chi = f"programmata da {riga.autore}"
    if riga.stato == ATTESA:
        testo = f"{quando.capitalize()} · {chi}"
    elif riga.stato == IN_CORSO:
        testo = f"{quando.capitalize()} · {chi} · in corso"
    elif riga.stato == FATTA:
        testo = f"{quando.capitalize()}: {riga.esito or 'pubblicata'} · {chi}"
    elif riga.stato == VUOTA:
        testo = f"{quando.capitalize()}: {NIENTE} · {chi}"
    elif riga.stato == FALLITA:
        testo = f"{quando.capitalize()}: non riuscita: {riga.esito} · {chi}"
    else:
        testo = f"{quando.capitalize()}: annullata da {riga.annullata_da}"
    return {
        "id": str(riga.id),
        "testo": testo,
        "stato": riga.stato,
        "annullabile": "1" if riga.stato == ATTESA else "",
    }

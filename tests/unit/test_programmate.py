"""Scheduled publishes (`pubblicazione/programmate.py`, `programmatore.py`) on SQLite and
PostgreSQL, with a fixed clock: Rome's time across the daylight-saving changes, one claim
among processes, a claim that survives a restart or whose process died, nothing to publish
and a failing publish recorded. The served HTML and the push are stood in for here (the e2e
test runs the real ones)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from serena_app.comandi import audit
from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import PUBBLICATA, SITO
from serena_app.models import Programmata, Revisione
from serena_app.pubblicazione import programmate, pubblica
from serena_app.pubblicazione.programmate import (
    ANNULLATA,
    FALLITA,
    FATTA,
    IN_CORSO,
    PRESA_SCADE,
    VUOTA,
    OrarioNonValido,
)
from serena_app.pubblicazione.programmatore import Programmatore
from tests.factories import MISSION, db_seminato, salva_mission
from tests.support.asincrono import esegui

ADESSO = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)  # 17:00 in Rome
ORA_LEGALE_FINE = "2027-10-31"
ORA_LEGALE_INIZIO = "2027-03-28"


# Rome's time


def test_a_time_that_does_not_exist_in_rome_is_refused_in_words():
    with pytest.raises(OrarioNonValido, match="non esiste in Italia") as errore:
        programmate.orario(ORA_LEGALE_INIZIO, "02:30", adesso=ADESSO)
    assert "28 marzo 2027 alle 02:30" in str(errore.value)


def test_every_minute_of_the_spring_night_but_the_missing_hour_is_accepted():
    for minuti in range(0, 24 * 60):
        ora = f"{minuti // 60:02d}:{minuti % 60:02d}"
        if 120 <= minuti < 180:
            with pytest.raises(OrarioNonValido):
                programmate.orario(ORA_LEGALE_INIZIO, ora, adesso=ADESSO)
            continue
        quando = programmate.orario(ORA_LEGALE_INIZIO, ora, adesso=ADESSO)
        assert programmate.in_parole(quando).endswith(f"alle {ora}")


def test_a_time_that_happens_twice_is_the_first_in_summer_time_and_says_so():
    quando = programmate.orario(ORA_LEGALE_FINE, "02:30", adesso=ADESSO)
    assert quando == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST, UTC+2
    assert programmate.in_parole(quando) == "domenica 31 ottobre 2027 alle 02:30 ora legale"
    # The same wall time an hour later (winter time) reads "ora solare".
    assert programmate.in_parole(quando + timedelta(hours=1)).endswith("alle 02:30 ora solare")
    # Outside the repeated hour, no note.
    dopo = programmate.orario(ORA_LEGALE_FINE, "03:00", adesso=ADESSO)
    assert dopo == datetime(2027, 10, 31, 2, 0, tzinfo=UTC)
    assert programmate.in_parole(dopo) == "domenica 31 ottobre 2027 alle 03:00"


def test_ordinary_times_both_formats_and_seconds():
    assert programmate.orario("2026-12-06", "17:05", adesso=ADESSO) == datetime(
        2026, 12, 6, 16, 5, tzinfo=UTC
    )
    assert programmate.orario("06/12/2026", "17.05:30", adesso=ADESSO) == datetime(
        2026, 12, 6, 16, 5, 30, tzinfo=UTC
    )
    assert programmate.orario("2027-07-01", "12:00", adesso=ADESSO) == datetime(
        2027, 7, 1, 10, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("data", "ora", "parole"),
    [
        ("", "17:00", "Scegli la data"),
        ("2026-12-06", "", "Scegli la data"),
        (None, "17:00", "Scegli la data"),
        ({"a": 1}, "17:00", "Scegli la data"),
        ("2026-02-30", "17:00", "non valida"),
        ("domani", "17:00", "non valida"),
        ("2026-12-06", "25:00", "non valida"),
        ("2026-12-06", "17", "non valida"),
        ("2026-12-06" * 5, "17:00", "non valida"),
        ("2026-12-06", "16:59", "già passato"),
        ("2026-12-06", "17:00", "già passato"),
        ("2025-01-01", "10:00", "già passato"),
        ("2028-01-01", "10:00", "al massimo un anno"),
    ],
)
def test_bad_input_gets_an_italian_message(data, ora, parole):
    with pytest.raises(OrarioNonValido, match=parole):
        programmate.orario(data, ora, adesso=ADESSO)


# Claims and runs, on the database


@pytest.fixture
def pubblicazioni(engine, contenuto, monkeypatch) -> list[int]:
    """The app's database is `engine`'s, seeded; a publish's build and push are recorded instead."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    fatte: list[int] = []

    class Ricostruzione:
        def richiedi(self, versione, avviso=None):
            fatte.append(versione)

    async def notifica(esito, escluso):
        return None

    monkeypatch.setattr(pubblica, "ricostruzione", Ricostruzione)
    monkeypatch.setattr(pubblica, "_notifica", notifica)
    with Session(engine) as session:
        db_seminato(session, contenuto)
        bozze.apri(session=session, spazio=SITO)
    return fatte


def _programma(engine, quando=ADESSO + timedelta(minutes=5), autore="anna") -> int:
    with Session(engine) as session:
        return programmate.programma(
            session=session, quando=quando, autore=autore, adesso=ADESSO
        ).id


def _riga(engine, id_: int) -> Programmata:
    with Session(engine) as session:
        return session.get(Programmata, id_)


def _pubblicazioni(engine) -> list[Revisione]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Revisione).where(
                    Revisione.azione == "pubblicata", Revisione.spazio == PUBBLICATA.nome
                )
            ).all()
        )


def _mission(engine) -> str:
    with Session(engine) as session:
        return pagina.leggi_elemento(session=session, pagina=PUBBLICATA, voce=MISSION).testo


def _orologio(momento: datetime):
    return lambda: momento


def test_it_publishes_the_drafts_as_they_are_when_it_runs_once(engine, pubblicazioni):
    id_ = _programma(engine)
    with Session(engine) as session:
        salva_mission(session, "La mission scritta prima di programmare.")
    avvisi: list[str] = []

    async def avviso(testo: str) -> None:
        avvisi.append(testo)

    prima = Programmatore(orologio=_orologio(ADESSO + timedelta(minutes=4)), avviso=avviso)
    assert esegui(prima.esegui_dovute()) == []  # not due yet
    with Session(engine) as session:  # changed after scheduling: this is what goes out
        salva_mission(session, "La mission scritta dopo aver programmato.", autore="bruno")
    alle = ADESSO + timedelta(minutes=5)
    assert esegui(Programmatore(orologio=_orologio(alle), avviso=avviso).esegui_dovute()) == [id_]
    assert _mission(engine) == "La mission scritta dopo aver programmato."
    assert [r.autore for r in _pubblicazioni(engine)] == ["anna (programmata)"]
    riga = _riga(engine, id_)
    assert (riga.stato, riga.esito) == (FATTA, "pubblicata 1 modifica")
    assert len(pubblicazioni) == 1  # the served HTML was asked for once
    assert avvisi == [
        "Pubblicazione programmata di domenica 6 dicembre 2026 alle 17:05: pubblicata 1 modifica."
    ]
    # A "restart": a new runner over the same database runs it no more.
    dopo = Programmatore(orologio=_orologio(alle + timedelta(hours=1)))
    assert esegui(dopo.esegui_dovute()) == []
    assert len(_pubblicazioni(engine)) == 1


def test_a_row_claimed_before_a_restart_is_run_by_the_new_process_after_the_lease(
    engine, pubblicazioni
):
    id_ = _programma(engine)
    with Session(engine) as session:
        salva_mission(session, "Testo in attesa della pubblicazione programmata.")
    alle = ADESSO + timedelta(minutes=5)
    with Session(engine) as session:  # a process claimed it, then died
        assert programmate.prendi(session=session, id_=id_, processo="morto", adesso=alle)
    presto = Programmatore(orologio=_orologio(alle + PRESA_SCADE - timedelta(seconds=1)))
    assert esegui(presto.esegui_dovute()) == []
    assert _riga(engine, id_).stato == IN_CORSO
    assert _pubblicazioni(engine) == []
    tardi = Programmatore(orologio=_orologio(alle + PRESA_SCADE + timedelta(seconds=1)))
    assert esegui(tardi.esegui_dovute()) == [id_]
    assert _riga(engine, id_).stato == FATTA
    assert _mission(engine) == "Testo in attesa della pubblicazione programmata."
    assert len(_pubblicazioni(engine)) == 1


def test_a_process_whose_claim_was_taken_over_publishes_nothing(engine, pubblicazioni):
    """The lease ran out while a slow process still held it: another took it; the slow one's
    publish is rolled back with its row's end (they are one commit)."""
    id_ = _programma(engine)
    with Session(engine) as session:
        salva_mission(session, "Una bozza.")
    alle = ADESSO + timedelta(minutes=5)
    lento = Programmatore(orologio=_orologio(alle))
    with Session(engine) as session:
        assert programmate.prendi(session=session, id_=id_, processo=lento.processo, adesso=alle)
        assert programmate.prendi(
            session=session, id_=id_, processo="altro", adesso=alle + 2 * PRESA_SCADE
        )
    esegui(lento._esegui(id_, alle))
    assert _pubblicazioni(engine) == []
    assert (_riga(engine, id_).stato, _riga(engine, id_).presa_da) == (IN_CORSO, "altro")


def test_two_claimers_at_once_one_wins(engine, pubblicazioni):
    """Threads, each with its own connection, claim the same due row at the same moment."""
    alle = ADESSO + timedelta(minutes=5)
    for _ in range(3):
        id_ = _programma(engine)
        via = threading.Barrier(4)
        vinte: list[str] = []

        def prova(
            nome: str, id_: int = id_, via: threading.Barrier = via, vinte: list[str] = vinte
        ) -> None:
            with Session(engine) as session:
                via.wait()
                if programmate.prendi(session=session, id_=id_, processo=nome, adesso=alle):
                    vinte.append(nome)

        fili = [threading.Thread(target=prova, args=(f"p{n}",)) for n in range(4)]
        for filo in fili:
            filo.start()
        for filo in fili:
            filo.join(timeout=30)
        assert len(vinte) == 1
        assert _riga(engine, id_).presa_da == vinte[0]


def test_a_cancel_racing_the_run_exactly_one_wins(engine, pubblicazioni):
    alle = ADESSO + timedelta(minutes=5)
    primo, secondo = _programma(engine), _programma(engine)
    with Session(engine) as session:
        assert programmate.prendi(session=session, id_=primo, processo="p", adesso=alle)
        assert not programmate.annulla(session=session, id_=primo, chi="bruno", adesso=alle)
        assert programmate.annulla(session=session, id_=secondo, chi="bruno", adesso=alle)
        assert not programmate.prendi(session=session, id_=secondo, processo="p", adesso=alle)
    riga = _riga(engine, secondo)
    assert (riga.stato, riga.annullata_da) == (ANNULLATA, "bruno")
    assert _riga(engine, primo).stato == IN_CORSO


def test_nothing_to_publish_is_recorded_and_said(engine, pubblicazioni):
    id_ = _programma(engine)
    avvisi: list[str] = []

    async def avviso(testo: str) -> None:
        avvisi.append(testo)

    programmatore = Programmatore(orologio=_orologio(ADESSO + timedelta(minutes=6)), avviso=avviso)
    assert esegui(programmatore.esegui_dovute()) == [id_]
    riga = _riga(engine, id_)
    assert (riga.stato, riga.esito) == (VUOTA, "niente da pubblicare")
    assert avvisi == [
        "Pubblicazione programmata di domenica 6 dicembre 2026 alle 17:05: niente da pubblicare."
    ]
    assert _pubblicazioni(engine) == []
    with Session(engine) as session:
        mostrate = programmate.da_mostrare(session=session, adesso=ADESSO + timedelta(hours=1))
    assert [m.id for m in mostrate] == [id_]
    assert programmate.in_elenco(mostrate[0])["testo"] == (
        "Domenica 6 dicembre 2026 alle 17:05: niente da pubblicare · programmata da anna"
    )


def test_a_failing_publish_is_recorded_with_its_reason(engine, pubblicazioni, monkeypatch):
    id_ = _programma(engine)
    prima = _mission(engine)
    with Session(engine) as session:
        salva_mission(session, "Una bozza che non uscirà.")

    def guasto(**_argomenti):
        raise RuntimeError("disco pieno")

    monkeypatch.setattr(bozze, "pubblica", guasto)
    programmatore = Programmatore(orologio=_orologio(ADESSO + timedelta(minutes=5)))
    assert esegui(programmatore.esegui_dovute()) == [id_]
    riga = _riga(engine, id_)
    assert (riga.stato, riga.esito) == (FALLITA, "disco pieno")
    assert programmate.in_elenco(riga) == {
        "id": str(id_),
        "testo": "Domenica 6 dicembre 2026 alle 17:05: non riuscita: disco pieno · "
        "programmata da anna",
        "stato": FALLITA,
        "annullabile": "",
    }
    assert _mission(engine) == prima
    # It is not tried again by itself.
    assert esegui(programmatore.esegui_dovute()) == []


def test_the_audit_log_tells_scheduled_cancelled_and_run(engine, pubblicazioni):
    fatta, annullata = _programma(engine), _programma(engine, autore="bruno")
    with Session(engine) as session:
        salva_mission(session, "Una bozza da pubblicare.")
        assert programmate.annulla(session=session, id_=annullata, chi="carla", adesso=ADESSO)
    esegui(Programmatore(orologio=_orologio(ADESSO + timedelta(minutes=5))).esegui_dovute())
    vuota = _programma(engine, quando=ADESSO + timedelta(minutes=10))
    esegui(Programmatore(orologio=_orologio(ADESSO + timedelta(minutes=10))).esegui_dovute())
    with Session(engine) as session:
        righe = [str(r) for r in audit.righe(session=session)]
        di_carla = [str(r) for r in audit.righe(session=session, utente="carla")]
    per = "per domenica 6 dicembre 2026 alle 17:05"
    attese = [
        f"anna               programmata          pubblicazione n. {fatta} {per}",
        f"bruno              programmata          pubblicazione n. {annullata} {per}",
        f"carla              programmata annullata pubblicazione n. {annullata} {per}",
        f"anna               programmata eseguita pubblicazione n. {fatta} {per}: "
        "pubblicata 1 modifica",
        f"anna               programmata: niente  pubblicazione n. {vuota} per domenica 6 "
        "dicembre 2026 alle 17:10: niente da pubblicare",
    ]
    for attesa in attese:
        assert any(r.endswith(attesa) for r in righe), (attesa, righe)
    assert any("anna (programmata)" in r and "pubblicata" in r for r in righe)
    assert len(di_carla) == 1

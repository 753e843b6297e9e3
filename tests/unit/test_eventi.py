"""The audit log cannot be grown without bound: refused logins are counted on one row per
address, login events are deleted after the retention (and nothing else is), by `serena
prepare` and by the app process every day."""

import asyncio
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from serena_app.auth import eventi
from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE, AccessoNegato, accedi
from serena_app.auth.limiti import TROPPI_TENTATIVI
from serena_app.auth.personale import crea_staff
from serena_app.auth.sessioni import adesso
from serena_app.comandi import audit
from serena_app.comandi.cli import main
from serena_app.db import crea_engine
from serena_app.models import Evento, TentativoAccesso
from tests.factories import PASSWORD
from tests.support.asincrono import esegui
from tests.support.server import ROOT

RIFIUTATI = 3000


def _righe(session, tabella) -> int:
    return session.exec(select(func.count()).select_from(tabella)).one()


def test_three_thousand_refused_logins_add_a_handful_of_rows(session):
    """One address fails 5 times for anna, then sends 3,000 more attempts within 15 s, as one
    socket did: they are refused, and the log grows by one row that counts them."""
    crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    prima = _righe(session, Evento)
    ora = adesso()
    for _ in range(5):
        with pytest.raises(AccessoNegato, match=CREDENZIALI_NON_VALIDE):
            accedi(session=session, nome_utente="anna", password="x", client="10.6.6.6", ora=ora)
    for numero in range(RIFIUTATI):
        istante = ora + timedelta(milliseconds=5 * numero)
        with pytest.raises(AccessoNegato) as rifiuto:
            accedi(
                session=session, nome_utente="anna", password="x", client="10.6.6.6", ora=istante
            )
        assert str(rifiuto.value) == TROPPI_TENTATIVI
    aggiunte = _righe(session, Evento) - prima
    print(f"{RIFIUTATI} rifiuti: {aggiunte} righe in evento")  # the figure, with -s
    assert aggiunte == 6  # five failures, one row of refusals
    assert _righe(session, TentativoAccesso) == 5
    (riga,) = [v for v in audit.righe(session=session) if v.azione == eventi.ACCESSO_RIFIUTATO]
    assert riga.cosa.startswith(f"da 10.6.6.6, {RIFIUTATI} tentativi in 15 minuti")


def _evento(session, azione: str, giorni: float, **campi) -> int:
    riga = Evento(
        quando=adesso() - timedelta(days=giorni),
        nome_utente="anna",
        azione=azione,
        client="10.0.0.1",
        **campi,
    )
    session.add(riga)
    session.commit()
    return riga.id


def _cancella(session, evento_id: int) -> None:
    session.execute(text("DELETE FROM evento WHERE id = :id"), {"id": evento_id})
    session.commit()


def test_only_login_events_older_than_the_retention_can_be_deleted(session):
    """On SQLite and PostgreSQL the triggers let through a deletion of a login event older
    than the retention (90 days by default), and refuse a recent one or an account change of
    any age; they let a refusal row count one more, and refuse any other change."""
    vecchio = _evento(session, eventi.ACCESSO_FALLITO, 91)
    recente = _evento(session, eventi.ACCESSO, 89)
    account = _evento(session, eventi.CREATO, 400)
    rifiuti = _evento(session, eventi.ACCESSO_RIFIUTATO, 1)
    _cancella(session, vecchio)
    for evento_id in (recente, account):
        with pytest.raises(DBAPIError, match="il registro non si cancella"):
            _cancella(session, evento_id)
        session.rollback()
    session.execute(text("UPDATE evento SET volte = volte + 1 WHERE id = :id"), {"id": rifiuti})
    session.commit()
    for modifica in (
        "volte = volte + 2",
        "volte = volte + 1, nome_utente = 'bruno'",
        "volte = volte + 1, client = NULL",
        "account = NOT account",
    ):
        with pytest.raises(DBAPIError, match="il registro non si modifica"):
            session.execute(text(f"UPDATE evento SET {modifica} WHERE id = :id"), {"id": rifiuti})  # noqa: S608
        session.rollback()
    with pytest.raises(DBAPIError, match="il registro non si modifica"):
        session.execute(text("UPDATE evento SET volte = volte + 1 WHERE id = :id"), {"id": recente})
    session.rollback()
    eventi.imposta_conservazione(session=session, giorni=30)  # the trigger follows the setting
    _cancella(session, recente)
    assert session.get(Evento, rifiuti).volte == 2


def test_pruning_deletes_old_login_events_and_keeps_the_rest(session):
    tenuti = {
        _evento(session, eventi.ACCESSO, 80),
        _evento(session, eventi.CREATO, 200),
        _evento(session, eventi.NUOVA_PASSWORD, 200),
    }
    for azione in eventi.ACCESSI:
        _evento(session, azione, 95)
    assert eventi.pota(session=session) == 3
    assert set(session.exec(select(Evento.id)).all()) == tenuti


def test_prepare_prunes_with_the_configured_retention(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SERENA_CONSERVAZIONE_ACCESSI_GIORNI", "30")
    assert main(["prepare"]) == 0
    engine = crea_engine(url)
    with Session(engine) as session:
        vecchio = _evento(session, eventi.ACCESSO, 31)
        recente = _evento(session, eventi.ACCESSO, 29)
    assert main(["prepare"]) == 0
    with Session(engine) as session:
        assert session.get(Evento, vecchio) is None
        assert session.get(Evento, recente) is not None
    monkeypatch.setenv("SERENA_CONSERVAZIONE_ACCESSI_GIORNI", "tre mesi")
    capsys.readouterr()
    assert main(["prepare"]) == 1
    assert "deve essere un numero di giorni" in capsys.readouterr().err
    engine.dispose()


def test_the_app_process_prunes_at_start_and_then_daily(tmp_path, monkeypatch):
    """The app registers the pruning as a lifespan task (so `make run`, each process of
    `serena prod` and the demo run it); the task prunes at once, then waits a day."""
    codice = (
        "from serena_app.serena_app import app; "
        "print([getattr(t, '__name__', '') for t in app.get_lifespan_tasks()])"
    )
    compiti = subprocess.run(
        [sys.executable, "-c", codice], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "potatura_periodica" in compiti
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["prepare"]) == 0
    engine = crea_engine(url)
    with Session(engine) as session:
        vecchio = _evento(session, eventi.ACCESSO_FALLITO, 100)

    async def un_giro() -> None:
        compito = asyncio.create_task(eventi.potatura_periodica())
        try:
            for _ in range(200):  # bounded: at most 10 s
                with Session(engine) as session:
                    if session.get(Evento, vecchio) is None:
                        return
                await asyncio.sleep(0.05)
            pytest.fail("the old login event is still there")
        finally:
            compito.cancel()

    esegui(un_giro())
    engine.dispose()

"""Guessing a password over the event websocket: simultaneous logins cannot get past the limit.

All raw clients come from 127.0.0.1, so "another address is not affected" is checked in
`tests/unit/test_limiti_accesso.py`; here the real app answers a burst from one address.
"""

import asyncio

import aiohttp
from sqlalchemy import Engine, text

from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE
from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from tests.security.conftest import PASSWORD, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO

SCHEDE = 40


def _tentativi(db: Engine, nome_utente: str) -> int:
    with db.connect() as connessione:
        return connessione.execute(
            text("SELECT count(*) FROM tentativoaccesso WHERE nome_utente = :nome"),
            {"nome": nome_utente},
        ).scalar_one()


def test_forty_simultaneous_wrong_logins_get_at_most_five_password_checks(
    server, db, ciclo, credenziali
):
    """40 tabs send a wrong password for one staff name at the same moment: 5 are
    checked (recorded as failures in the database, answered "non validi"), every other tab
    is told to wait, and then even the right password is refused from this address. The
    server logs no traceback and keeps answering."""
    staff = credenziali("valida")
    inizio_log = len(server.log_text())
    accedi = f"{ACCESSO}.accedi"

    async def raffica() -> tuple[list[str], str]:
        async with aiohttp.ClientSession() as http:
            schede = [ClienteGrezzo(server.url, http=http) for _ in range(SCHEDE)]
            try:
                await asyncio.gather(*(scheda.connetti(attesa=60) for scheda in schede))
                sbagliati = {"nome_utente": staff.nome_utente, "password": "non è la password"}
                risposte = await asyncio.gather(
                    *(
                        scheda.scambia(accedi, {"form_data": sbagliati}, attesa=60)
                        for scheda in schede
                    )
                )
            finally:
                await asyncio.gather(*(scheda.chiudi() for scheda in schede))
            async with ClienteGrezzo(server.url, http=http) as proprietaria:
                await proprietaria.connetti()
                giusti = {"nome_utente": staff.nome_utente, "password": PASSWORD}
                dopo = await proprietaria.scambia(accedi, {"form_data": giusti})
        messaggi = [vista(risposta)[ACCESSO]["errore_accesso"] for risposta in risposte]
        return messaggi, vista(dopo)[ACCESSO]["errore_accesso"]

    try:
        messaggi, con_la_password_giusta = ciclo.run(raffica())
        controllati = _tentativi(db, staff.nome_utente)
        assert controllati == MAX_PER_NOME_E_CLIENT  # never more, whatever the timing
        assert messaggi.count(CREDENZIALI_NON_VALIDE) == controllati
        assert messaggi.count(TROPPI_TENTATIVI) == SCHEDE - controllati
        assert con_la_password_giusta == TROPPI_TENTATIVI
        assert _tentativi(db, staff.nome_utente) == controllati  # refusals are not recorded
    finally:
        with db.begin() as connessione:  # the other tests log in from 127.0.0.1 too
            connessione.execute(
                text("DELETE FROM tentativoaccesso WHERE nome_utente = :nome"),
                {"nome": staff.nome_utente},
            )
    assert "Traceback" not in server.log_text()[inizio_log:]
    verifica_che_risponda(server, ciclo)


def test_a_made_up_x_forwarded_for_does_not_dodge_the_limits(server, db, ciclo, credenziali):
    """Each wrong login comes on a socket whose handshake claims another client address in
    `X-Forwarded-For` (and `X-Real-IP`). No proxy is trusted here, so every attempt counts
    against 127.0.0.1: after five, even the right password is refused from it."""
    staff = credenziali("valida")
    accedi = f"{ACCESSO}.accedi"
    sbagliati = {"nome_utente": staff.nome_utente, "password": "non è la password"}

    async def prova() -> tuple[list[str], str]:
        messaggi = []
        for n in range(MAX_PER_NOME_E_CLIENT + 3):
            finto = {"X-Forwarded-For": f"203.0.113.{n + 1}", "X-Real-IP": f"198.51.100.{n + 1}"}
            async with ClienteGrezzo(server.url) as scheda:
                await scheda.connetti(intestazioni=finto)
                risposta = await scheda.scambia(accedi, {"form_data": sbagliati})
                messaggi.append(vista(risposta)[ACCESSO]["errore_accesso"])
        async with ClienteGrezzo(server.url) as proprietaria:
            await proprietaria.connetti(intestazioni={"X-Forwarded-For": "192.0.2.250"})
            giusti = {"nome_utente": staff.nome_utente, "password": PASSWORD}
            dopo = await proprietaria.scambia(accedi, {"form_data": giusti})
        return messaggi, vista(dopo)[ACCESSO]["errore_accesso"]

    messaggi, dopo = ciclo.run(prova())
    assert messaggi[:MAX_PER_NOME_E_CLIENT] == [CREDENZIALI_NON_VALIDE] * MAX_PER_NOME_E_CLIENT
    assert all(m.startswith(TROPPI_TENTATIVI[:20]) for m in messaggi[MAX_PER_NOME_E_CLIENT:])
    assert dopo.startswith(TROPPI_TENTATIVI[:20])
    with db.connect() as connessione:
        indirizzi = (
            connessione.execute(
                text("SELECT DISTINCT client FROM tentativoaccesso WHERE nome_utente = :nome"),
                {"nome": staff.nome_utente},
            )
            .scalars()
            .all()
        )
    assert indirizzi == ["127.0.0.1"]
    verifica_che_risponda(server, ciclo)

"""Guessing a password over the event websocket: simultaneous logins cannot get past the
limit, refusals do not grow the audit log, a forged name cannot forge a line of `serena audit`,
and a guesser who fills the limits does not keep out the browser that logged in before.

All raw clients come from 127.0.0.1, so "another address is not affected" is checked in
`tests/unit/test_limiti_accesso.py`; here the real app answers a burst from one address.
"""

import asyncio
import os
import subprocess
import unicodedata

import aiohttp
from sqlalchemy import Engine, text

from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE
from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.comandi.audit import NON_ACCOUNT
from tests.security.conftest import PASSWORD, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, evento, vista
from tests.support.protocollo import ACCESSO, VAR_DISPOSITIVI
from tests.support.server import BIN, ROOT

ACCEDI = f"{ACCESSO}.accedi"

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


def _dimentica_i_tentativi(db: Engine, nome_utente: str) -> None:
    """The other tests log in from 127.0.0.1 too: the failures for this name go."""
    with db.begin() as connessione:
        connessione.execute(
            text("DELETE FROM tentativoaccesso WHERE nome_utente = :nome"), {"nome": nome_utente}
        )


def _eventi(db: Engine) -> int:
    with db.connect() as connessione:
        return connessione.execute(text("SELECT count(*) FROM evento")).scalar_one()


def _errore(messaggi: list[dict]) -> str:
    return vista(messaggi).get(ACCESSO, {}).get("errore_accesso", "")


def test_hundreds_of_refused_logins_on_one_socket_add_one_row(server, db, ciclo, credenziali):
    """One socket fails 5 times for a staff name, then sends 400 more attempts without
    waiting: all refused, and the audit log grows by the 5 failures and one row counting the
    refusals (today: one row each, some 780 KiB per 3,000)."""
    staff = credenziali("valida")
    sbagliati = {"form_data": {"nome_utente": staff.nome_utente, "password": "non è la password"}}
    prima = _eventi(db)

    async def raffica() -> list[dict]:
        async with ClienteGrezzo(server.url) as scheda:
            await scheda.connetti()
            for _ in range(MAX_PER_NOME_E_CLIENT):
                assert _errore(await scheda.scambia(ACCEDI, sbagliati)) == CREDENZIALI_NON_VALIDE
            for _ in range(400):
                await scheda.emetti(evento(ACCEDI, sbagliati))
            return await scheda.barriera(attesa=120)

    try:
        ciclo.run(raffica())
        aggiunte = _eventi(db) - prima
        assert aggiunte <= MAX_PER_NOME_E_CLIENT + 1
        with db.connect() as connessione:
            contati = connessione.execute(
                text("SELECT sum(volte) FROM evento WHERE azione = 'accesso rifiutato'")
            ).scalar_one()
        assert contati >= 400
    finally:
        _dimentica_i_tentativi(db, staff.nome_utente)
    verifica_che_risponda(server, ciclo)


FALSO = "x\n2026-12-01 09:00:00  finta account creato\x1b[2J\x1b]0;preso\x07\u202eatad"


def test_a_forged_login_name_cannot_forge_a_line_of_serena_audit(server, ciclo):
    """A visitor logs in with a name that holds a newline, ESC sequences (clear the screen,
    set the terminal's title) and a bidi control. `serena audit`, run as staff would, prints
    one line for it, every such character escaped, marked as no account."""

    async def prova() -> str:
        async with ClienteGrezzo(server.url) as scheda:
            await scheda.connetti()
            modulo = {"form_data": {"nome_utente": FALSO, "password": "x"}}
            return _errore(await scheda.scambia(ACCEDI, modulo))

    assert ciclo.run(prova()) == CREDENZIALI_NON_VALIDE
    uscita = subprocess.run(
        [str(BIN / "serena"), "audit"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": server.db_url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert {c for c in uscita if c != "\n" and unicodedata.category(c) in {"Cc", "Cf"}} == set()
    righe = uscita.splitlines()
    assert not any(riga.startswith("2026-12-01 09:00:00") for riga in righe)
    assert not any(riga.split()[2:5] == ["finta", "account", "creato"] for riga in righe)
    (falsa,) = [riga for riga in righe if "\\x0a2026-12-01" in riga]
    assert NON_ACCOUNT in falsa and "\\x1b]0;preso\\x07" in falsa


def test_a_guesser_filling_the_limits_does_not_keep_out_the_owners_browser(
    server, db, ciclo, credenziali
):
    """The owner logged in once from this browser, which keeps the device token it got. A
    guesser then closes the name to this address. The owner's browser, presenting its token
    as the page does, gets in; a browser without it, with a forged one, or a socket that
    reuses the owner's tab without presenting the token, is refused."""
    staff = credenziali("valida")
    giusti = {"form_data": {"nome_utente": staff.nome_utente, "password": PASSWORD}}
    sbagliati = {"form_data": {"nome_utente": staff.nome_utente, "password": "non è la password"}}

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as scheda:
            await scheda.connetti()
            stati = vista(await scheda.scambia(ACCEDI, giusti))
        gettone = stati[ACCESSO]["dispositivi"]
        assert stati[ACCESSO]["token"] and gettone
        async with ClienteGrezzo(server.url) as indovino:
            await indovino.connetti()
            for _ in range(MAX_PER_NOME_E_CLIENT):
                await indovino.scambia(ACCEDI, sbagliati)
            assert _errore(await indovino.scambia(ACCEDI, giusti)) == TROPPI_TENTATIVI
        falso = gettone[:-3] + ("AAA" if not gettone.endswith("AAA") else "BBB")
        for presentato in (None, falso):
            async with ClienteGrezzo(server.url) as altro:
                extra = {VAR_DISPOSITIVI: presentato} if presentato else None
                await altro.connetti(vars_extra=extra)
                assert _errore(await altro.scambia(ACCEDI, giusti)) == TROPPI_TENTATIVI
        async with ClienteGrezzo(server.url, token_client=scheda.token_client) as intruso:
            await intruso.connetti(idrata=False)
            assert _errore(await intruso.scambia(ACCEDI, giusti)) == TROPPI_TENTATIVI
        async with ClienteGrezzo(server.url) as proprietaria:
            await proprietaria.connetti(vars_extra={VAR_DISPOSITIVI: gettone})
            stati = vista(await proprietaria.scambia(ACCEDI, giusti))
            assert stati[ACCESSO].get("errore_accesso", "") == ""
            assert stati[ACCESSO]["token"]

    try:
        ciclo.run(prova())
    finally:
        _dimentica_i_tentativi(db, staff.nome_utente)
    verifica_che_risponda(server, ciclo)

"""Another user of the machine that runs `make prod` (the tests run it as `nobody`): it can
reach every local port, but none of the services lets it in, none of their secrets is in a
file or a command line it can read, and an app process reached directly does not take its
word for the visitor's address."""

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE
from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.db import crea_engine
from tests.e2e.conftest import STAFF_PASSWORD, crea_account
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.produzione import Produzione, come_altro_utente, processi
from tests.support.protocollo import ACCESSO


def _rifiutato(fatto) -> str:
    """What a refused client printed (it must have failed)."""
    assert fatto.returncode != 0, fatto.stdout
    return fatto.stderr


@pytest.mark.parametrize("ruolo", ["serena", "postgres"])
def test_another_local_user_cannot_log_in_to_postgresql(produzione: Produzione, ruolo: str):
    postgres = produzione.postgres()
    for host in ("127.0.0.1", str(postgres.cartella)):  # over TCP, and over its Unix socket
        fatto = come_altro_utente(
            "psql", "-w", "-h", host, "-p", str(postgres.porta), "-U", ruolo, "-d", "serena",
            "-c", "SELECT 1",
        )  # fmt: skip
        errore = _rifiutato(fatto)
        assert any(
            motivo in errore
            for motivo in ("no password supplied", "no pg_hba.conf entry", "Permission denied")
        ), errore


def test_the_app_role_is_no_superuser_and_owns_only_its_schema(produzione: Produzione):
    engine = crea_engine(produzione.db_url)
    try:
        with engine.connect() as connessione:
            poteri = connessione.execute(
                text(
                    "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls"
                    " FROM pg_roles WHERE rolname = current_user"
                )
            ).one()
            database = connessione.execute(
                text(
                    "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database"
                    " WHERE datname = current_database()"
                )
            ).scalar_one()
            schemi = connessione.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspowner = current_user::regrole")
            ).scalars()
            schemi = sorted(schemi)
            tabelle = connessione.execute(
                text("SELECT DISTINCT schemaname FROM pg_tables WHERE tableowner = current_user")
            ).scalars()
            tabelle = sorted(tabelle)
    finally:
        engine.dispose()
    assert tuple(poteri) == (False,) * 5
    assert database is False
    assert schemi == ["serena"]
    assert tabelle == ["serena"]


def test_another_local_user_gets_nothing_from_redis(produzione: Produzione):
    for comando in (["PING"], ["KEYS", "*"]):
        fatto = come_altro_utente(
            "redis-cli", "-h", "127.0.0.1", "-p", str(produzione.porta_redis()), *comando
        )
        assert "NOAUTH" in fatto.stdout + fatto.stderr, fatto.stdout


def test_no_file_command_line_or_log_shows_a_secret_to_another_local_user(
    produzione: Produzione,
):
    segreti = produzione.segreti()
    assert all(segreti.values()), segreti  # each service has one
    leggibili = []
    for cartella, _, nomi in os.walk(produzione.var):
        for nome in nomi:
            percorso = Path(cartella) / nome
            if percorso.is_symlink() or not percorso.is_file():
                continue
            contenuto = percorso.read_bytes()
            if not any(s.encode() in contenuto for s in segreti.values()):
                continue
            if come_altro_utente("cat", str(percorso)).returncode == 0:
                leggibili.append(str(percorso.relative_to(produzione.radice)))
    assert leggibili == []
    for pid, riga in processi():
        assert not any(s in riga for s in segreti.values()), f"process {pid}: {riga[:80]}"
    assert not any(s in produzione.log_text() for s in segreti.values())


def test_a_made_up_x_forwarded_for_sent_straight_to_an_app_process_is_ignored(
    produzione: Produzione, ciclo
):
    """Local code that skips the front server and talks to an app process's own port, each
    socket claiming another visitor's address: every attempt counts against the address it
    really came from, so the limit stops it as it stops anyone."""
    nome = "diretto"
    crea_account(produzione.db_url, nome)
    porta = produzione.porte_app()[0]
    accedi = f"{ACCESSO}.accedi"
    sbagliati = {"nome_utente": nome, "password": "non è la password"}

    async def prova() -> tuple[list[str], str]:
        messaggi = []
        for n in range(MAX_PER_NOME_E_CLIENT + 2):
            finto = {"Origin": produzione.url, "X-Forwarded-For": f"203.0.113.{n + 1}"}
            async with ClienteGrezzo(f"http://127.0.0.1:{porta}") as scheda:
                await scheda.connetti(intestazioni=finto)
                risposta = await scheda.scambia(accedi, {"form_data": sbagliati})
                messaggi.append(vista(risposta)[ACCESSO]["errore_accesso"])
        async with ClienteGrezzo(f"http://127.0.0.1:{porta}") as proprietaria:
            await proprietaria.connetti(
                intestazioni={"Origin": produzione.url, "X-Forwarded-For": "192.0.2.250"}
            )
            giusti = {"nome_utente": nome, "password": STAFF_PASSWORD}
            dopo = await proprietaria.scambia(accedi, {"form_data": giusti})
        return messaggi, vista(dopo)[ACCESSO]["errore_accesso"]

    engine = crea_engine(produzione.db_url)
    try:
        messaggi, dopo = ciclo.run(prova())
        with engine.connect() as connessione:
            indirizzi = connessione.execute(
                text("SELECT DISTINCT client FROM tentativoaccesso WHERE nome_utente = :nome"),
                {"nome": nome},
            ).scalars()
            indirizzi = list(indirizzi)
    finally:
        with engine.begin() as connessione:  # the other tests log in from 127.0.0.1 too
            connessione.execute(
                text("DELETE FROM tentativoaccesso WHERE nome_utente = :nome"), {"nome": nome}
            )
        engine.dispose()
    assert messaggi[:MAX_PER_NOME_E_CLIENT] == [CREDENZIALI_NON_VALIDE] * MAX_PER_NOME_E_CLIENT
    assert all(m.startswith(TROPPI_TENTATIVI[:20]) for m in messaggi[MAX_PER_NOME_E_CLIENT:])
    assert dopo.startswith(TROPPI_TENTATIVI[:20])
    assert indirizzi == ["127.0.0.1"]


def test_the_front_servers_secret_never_reaches_the_page(produzione: Produzione, ciclo):
    segreto = produzione.segreti()["front server"]
    assert segreto

    async def idrata() -> list[dict]:
        async with ClienteGrezzo(produzione.url) as cliente:
            return await cliente.connetti()

    assert segreto not in json.dumps(ciclo.run(idrata()))

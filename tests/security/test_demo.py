"""The live demo's events over the raw websocket. On a server started as `make run` does (not
a demo) they open no sandbox and change nothing, and a sandbox session forged straight into
the database gives no edit powers there. On a demo server, a flood of "Prova" from one address
opens only that address's share of the places."""

import asyncio
import secrets

from sqlalchemy import Engine, text
from sqlmodel import func, select

from serena_app.auth.sessioni import adesso, nuova_sessione
from serena_app.db import session as sessione_db
from serena_app.demo.sandbox import TROPPE
from serena_app.models import SessioneStaff, Staff
from tests.security.attacco import tenta_tutto
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.demo import PER_INDIRIZZO, chiudi_sandbox
from tests.support.protocollo import ACCESSO, DEMO, STAFF

EVENTI_DEMO = ("prova", "ripristina", "torna_alla_sandbox")


def _sandbox_nel_db(db: Engine) -> int:
    with db.connect() as connessione:
        return connessione.execute(
            text("SELECT count(*) FROM sezione WHERE pagina LIKE 'demo-%'")
        ).scalar_one()


def test_demo_events_open_no_sandbox_on_a_production_server(server, db, ciclo):
    prima = righe(db, ("sezione", "tappa", "valore", "versionepagina", "sessionestaff", "staff"))

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for nome in EVENTI_DEMO:
                stati = vista(await cliente.scambia(f"{DEMO}.{nome}", {}))
                assert stati.get(ACCESSO, {}).get("token", "") == ""
                assert stati.get(ACCESSO, {}).get("nome_staff", "") == ""
                assert stati.get(STAFF, {}).get("modifica_attiva") is not True
            stati = vista(
                await cliente.scambia(
                    f"{DEMO}.setvar", {"var_name": "errore_demo", "value": "<b>HACK</b>"}
                )
            )
            assert stati.get(DEMO, {}).get("errore_demo") != "<b>HACK</b>"

    ciclo.run(attacco())
    dopo = righe(db, ("sezione", "tappa", "valore", "versionepagina", "sessionestaff", "staff"))
    assert dopo == prima
    assert _sandbox_nel_db(db) == 0
    verifica_che_risponda(server, ciclo)


def test_a_forged_sandbox_session_gives_no_powers_on_a_production_server(server, db, ciclo):
    """A sandbox session row in a production database (as a copied demo database would hold):
    the server is no demo, so the secret counts for nothing, and nothing changes."""
    with sessione_db(server.db_url) as session:
        editor = Staff(nome_utente=f"demo-{secrets.token_hex(3)}", hash_password="!")
        session.add(editor)
        session.flush()
        segreto = nuova_sessione(session=session, staff=editor, ora=adesso(), sandbox="demo-falsa")
        session.commit()
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(segreto=segreto))
            assert stati[ACCESSO]["nome_staff"] == ""
            await tenta_tutto(cliente, prima, segreto=segreto)
            await cliente.presenta_segreto(segreto)
            stati = vista(await cliente.scambia(f"{DEMO}.ripristina", {}))
            assert stati.get(STAFF, {}).get("modifica_attiva") is not True

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def _sandbox_aperte(db_url: str) -> int:
    with sessione_db(db_url) as session:
        return session.exec(
            select(func.count())
            .select_from(SessioneStaff)
            .where(SessioneStaff.sandbox.is_not(None), SessioneStaff.revocata == False)  # noqa: E712
        ).one()


def test_a_flood_of_prova_from_one_address_opens_only_its_share(demo, ciclo):
    """Twelve sockets from one address press "Prova" at the same instant, without hydrating."""
    chiudi_sandbox(demo.db_url)

    async def prova(cliente: ClienteGrezzo) -> dict:
        await cliente.connetti(idrata=False)
        return vista(await cliente.scambia(f"{DEMO}.prova", {}))

    async def attacco() -> list[dict]:
        clienti = [ClienteGrezzo(demo.url) for _ in range(12)]
        try:
            return await asyncio.gather(*(prova(c) for c in clienti))
        finally:
            await asyncio.gather(*(c.chiudi() for c in clienti))

    risposte = ciclo.run(attacco())
    aperte = [r for r in risposte if r.get(ACCESSO, {}).get("token")]
    rifiutate = [r for r in risposte if r.get(DEMO, {}).get("errore_demo") == TROPPE]
    assert len(aperte) == PER_INDIRIZZO
    assert len(rifiutate) == 12 - PER_INDIRIZZO
    assert _sandbox_aperte(demo.db_url) == PER_INDIRIZZO
    verifica_che_risponda(demo, ciclo)

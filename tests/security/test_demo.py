"""The live demo's events on a server started as `make run` does (not a demo): over the raw
websocket they open no sandbox and change nothing, and a sandbox session forged straight into
the database gives no edit powers there."""

import secrets

from sqlalchemy import Engine, text

from serena_app.auth.sessioni import adesso, nuova_sessione
from serena_app.db import session as sessione_db
from serena_app.models import Staff
from tests.security.attacco import tenta_tutto
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
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

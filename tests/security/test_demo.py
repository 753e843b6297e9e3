"""The live demo's events over the raw websocket. On a server started as `make run` does (not
a demo) they open no sandbox and change nothing, and a sandbox session forged straight into
the database gives no edit powers there. On a demo server, a flood of "Prova" from one address
opens only that address's share of the places; a flood of saves fills one sandbox no further
than its caps, at its allowed pace; a sandbox only looked at ends when idle."""

import asyncio
import hashlib
import secrets
import time

import pytest
from sqlalchemy import Engine, text
from sqlmodel import func, select

from serena_app.auth.sessioni import adesso, nuova_sessione
from serena_app.contenuto.pagina import Pagina, Spazio
from serena_app.db import session as sessione_db
from serena_app.demo import modalita
from serena_app.demo.capienza import PIENA, TROPPO_RAPIDE
from serena_app.demo.sandbox import TROPPE
from serena_app.models import Revisione, SessioneStaff, Sezione, Staff
from tests.security.attacco import SETVAR_SENZA_SETTER, tenta_tutto
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, evento, vista
from tests.support.demo import (
    INATTIVITA_S,
    PER_INDIRIZZO,
    REVISIONI_MAX,
    SCRITTURE_MAX,
    chiudi_sandbox,
    occupa,
    sandbox_aperte,
)
from tests.support.protocollo import ACCESSO, DEMO, REDAZIONE, STAFF

EVENTI_DEMO = ("prova", "ripristina", "torna_alla_sandbox")


def _sandbox_nel_db(db: Engine) -> int:
    with db.connect() as connessione:
        return connessione.execute(
            text("SELECT count(*) FROM sezione WHERE pagina LIKE 'demo-%'")
        ).scalar_one()


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
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


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
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
    assert sandbox_aperte(demo.db_url) == PER_INDIRIZZO
    verifica_che_risponda(demo, ciclo)


MISSIONE = {"tipo": "sezione", "chiave": "mission"}
TESTO = "Una mission riscritta da chi prova a riempire la demo. " * 28  # about 1.5 KB


def _spazio_del_segreto(db_url: str, segreto: str) -> Spazio:
    """The sandbox the session `segreto` names (looked up by the hash the table keeps)."""
    with sessione_db(db_url) as session:
        nome = session.exec(
            select(SessioneStaff.sandbox).where(
                SessioneStaff.hash_token == hashlib.sha256(segreto.encode()).hexdigest()
            )
        ).one()
    return Spazio.di(Pagina(nome))


def _occupa(db_url: str, spazio: Spazio) -> tuple[int, int]:
    with sessione_db(db_url) as session:
        return occupa(session, spazio)


def _scritture(db_url: str, spazio: Spazio) -> list:
    """When each change someone made to the sandbox was stored (its seed's not included)."""
    with sessione_db(db_url) as session:
        return list(
            session.exec(
                select(Revisione.quando)
                .where(Revisione.spazio == spazio.pubblicata.nome, Revisione.autore.is_not(None))
                .order_by(Revisione.quando)
            )
        )


def _testi_del_sito(db_url: str) -> list[tuple[str, str, str]]:
    with sessione_db(db_url) as session:
        righe_sito = session.exec(
            select(Sezione).where(Sezione.pagina.not_like("demo-%")).order_by(Sezione.pagina)
        )
        return sorted((r.pagina, r.chiave, r.testo) for r in righe_sito)


def _avvisi(messaggi: list[dict]) -> list[str]:
    """The staff bar's warnings the server sent, one per message that set one."""
    return [a for m in messaggi if (a := vista([m]).get(STAFF, {}).get("avviso"))]


async def _prova(cliente: ClienteGrezzo) -> str:
    """Connect, press "Prova la modalità modifica"; the sandbox's secret."""
    await cliente.connetti()
    segreto = vista(await cliente.scambia(f"{DEMO}.prova", {}))[ACCESSO]["token"]
    assert segreto
    return segreto


async def _salva(cliente: ClienteGrezzo, testo: str) -> list[dict]:
    """Open the mission's editor and save `testo`, waiting for both; the answers."""
    messaggi = await cliente.scambia(f"{REDAZIONE}.apri", MISSIONE)
    return messaggi + await cliente.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})


def test_a_flood_of_saves_fills_a_sandbox_no_further_than_its_caps(demo, ciclo):
    """One phone sends 300 saves (each after opening the mission's editor) without waiting,
    then goes on saving until its sandbox is full. The sandbox never holds more than its caps
    nor takes more than its pace; every refused save is told why and changes nothing; the
    phone next to it saves as usual, and the site's page is untouched."""
    chiudi_sandbox(demo.db_url)
    sito = _testi_del_sito(demo.db_url)
    misure: dict[str, float] = {}

    async def attacco() -> tuple[Spazio, Spazio]:
        async with ClienteGrezzo(demo.url) as attaccante, ClienteGrezzo(demo.url) as vicino:
            mia = _spazio_del_segreto(demo.db_url, await _prova(attaccante))
            sua = _spazio_del_segreto(demo.db_url, await _prova(vicino))
            revisioni_prima, byte_prima = _occupa(demo.db_url, mia)

            inizio = time.perf_counter()
            for numero in range(300):
                await attaccante.emetti(evento(f"{REDAZIONE}.apri", MISSIONE))
                salva = evento(f"{REDAZIONE}.salva", {"form_data": {"testo": f"{numero} {TESTO}"}})
                await attaccante.emetti(salva)
            avvisi = _avvisi(await attaccante.barriera(attesa=300))
            misure["durata_s"] = time.perf_counter() - inizio
            revisioni, byte = _occupa(demo.db_url, mia)
            accettate = revisioni - revisioni_prima
            misure.update(accettate=accettate, byte=byte - byte_prima)
            assert 0 < accettate < 300
            assert len(avvisi) == 300 - accettate
            assert set(avvisi) <= {TROPPO_RAPIDE, PIENA}
            assert TROPPO_RAPIDE in avvisi
            misure["rifiutate_troppo_rapide"] = avvisi.count(TROPPO_RAPIDE)

            # The phone next to it is not slowed down by it.
            stati = vista(await _salva(vicino, "La mission del telefono accanto."))
            assert stati[STAFF]["annuncio"] == "Testo della mission salvato."
            assert not stati[STAFF].get("avviso")

            # Going on at the pace allowed, the attacker fills its sandbox, and no further.
            scadenza = time.monotonic() + 120
            ultimi: list[str] = []
            while PIENA not in ultimi and time.monotonic() < scadenza:
                ultimi = _avvisi(await _salva(attaccante, f"ancora {TESTO}"))
                if TROPPO_RAPIDE in ultimi:
                    await asyncio.sleep(1)
            assert PIENA in ultimi
            pieno = _occupa(demo.db_url, mia)
            assert _avvisi(await _salva(attaccante, "Un’ultima volta.")) == [PIENA]
            assert _occupa(demo.db_url, mia) == pieno
            misure["revisioni_piena"], misure["byte_piena"] = pieno
            return mia, sua

    mia, sua = ciclo.run(attacco(), timeout=600)
    revisioni, byte = _occupa(demo.db_url, mia)
    assert revisioni == REVISIONI_MAX
    assert byte <= modalita.BYTE_MAX
    # At no moment did the sandbox take more changes than its pace allows.
    quando = _scritture(demo.db_url, mia)
    finestra = modalita.FINESTRA_SCRITTURE
    assert max(sum(1 for q in quando if t - finestra < q <= t) for t in quando) <= SCRITTURE_MAX
    # The phone next to it holds its own seed and its one save; the site's page is as it was.
    assert len(_scritture(demo.db_url, sua)) == 1
    assert _occupa(demo.db_url, sua)[0] < REVISIONI_MAX
    assert _testi_del_sito(demo.db_url) == sito
    print(f"flood of 300 saves: {misure}")
    verifica_che_risponda(demo, ciclo)


def test_a_sandbox_only_looked_at_ends_when_idle(demo, ciclo):
    """A phone that keeps its sandbox's editor busy with reads (opening an editor, over and
    over) but never changes anything does not keep the sandbox: past the idle limit the
    server removes it, and the tab is left without edit powers."""
    chiudi_sandbox(demo.db_url)

    def righe_della_sandbox(spazio: Spazio) -> int:
        with sessione_db(demo.db_url) as session:
            return session.exec(
                select(func.count())
                .select_from(Sezione)
                .where(Sezione.pagina.in_([spazio.pubblicata.nome, spazio.bozza.nome]))
            ).one()

    async def guarda() -> tuple[float, int, dict]:
        async with ClienteGrezzo(demo.url) as cliente:
            spazio = _spazio_del_segreto(demo.db_url, await _prova(cliente))
            inizio = time.monotonic()
            while righe_della_sandbox(spazio) and time.monotonic() < inizio + INATTIVITA_S + 40:
                await cliente.scambia(f"{REDAZIONE}.apri", MISSIONE)
                await asyncio.sleep(0.5)
            durata = time.monotonic() - inizio
            rimaste = righe_della_sandbox(spazio)
            await cliente.scambia(f"{REDAZIONE}.apri", MISSIONE)
            return durata, rimaste, cliente.stato

    durata, rimaste, stato = ciclo.run(guarda())
    assert rimaste == 0
    # The tab has no edit powers left: the secret forgotten, edit mode off.
    assert stato[ACCESSO]["token"] == ""
    assert stato[STAFF]["modifica_attiva"] is False
    print(f"a sandbox only looked at was removed {durata:.1f} s after it opened")
    verifica_che_risponda(demo, ciclo)

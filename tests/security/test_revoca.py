"""A revoked staff session ends in the tabs already open on it, within a second, on every app
process: the account disabled, its password reset, "Esci" in another tab of the same browser,
idle expiry. The tab leaves edit mode, shows the published page, forgets the staff name, the
open editor's text and the secret, says why, and receives no later draft; a still-valid staff
tab does.

Under `make prod` the colleague saving the drafts and the tab that logs out are on another
app process than the revoked tab, and `serena` commands run as processes of their own.
"""

import asyncio
import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from serena_app.auth.sessioni import adesso, hash_segreto
from serena_app.contenuto.istantanea import paragrafi
from serena_app.db import session as sessione_db
from serena_app.models import SessioneStaff
from serena_app.state.staff import SESSIONE_SCADUTA, SESSIONE_TERMINATA
from tests.factories import ripristina_contenuto
from tests.security.conftest import PASSWORD, Credenziali, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo
from tests.support.produzione import Produzione, processo_di
from tests.support.protocollo import ACCESSO, CONTENUTO, REDAZIONE, STAFF
from tests.support.server import BIN, ROOT

ENTRO_S = 1.0  # from the revocation to the revoked tab's notice
COMANDO_S = 120.0  # a `serena` command's run, at most
TENTATIVI = 40  # new sockets opened at most to land on a given app process
MISSION = {"tipo": "sezione", "chiave": "mission"}
AVVISI_DI_FINE = (SESSIONE_TERMINATA, SESSIONE_SCADUTA)


def _contiene(messaggio: dict, testo: str) -> bool:
    return testo in json.dumps(messaggio, ensure_ascii=False)


def _avvisata(messaggio: dict) -> bool:
    """Whether `messaggio` tells the tab its session ended: the revocation watcher's notice,
    or the guard's, when the tab's own event (a page load's follow-up) found it first."""
    return any(_contiene(messaggio, avviso) for avviso in AVVISI_DI_FINE)


def _processo(server, scheda: ClienteGrezzo) -> str | None:
    """The app process holding `scheda`'s socket (None with one process)."""
    if not isinstance(server, Produzione):
        return None
    return processo_di(server.redis_url, scheda.token_nuovo or scheda.token_client)


async def _scheda(
    server, segreto: str, *, sul: str | None = None, non_sul: str | None = None
) -> ClienteGrezzo:
    """A tab hydrated with `segreto` whose socket is on process `sul` (if given), not on
    `non_sul` (if given); with one process, any tab. The front server sends each new socket to
    the process with fewer connections, so the tabs that land elsewhere stay open meanwhile."""
    altrove: list[ClienteGrezzo] = []
    try:
        for _ in range(TENTATIVI):
            scheda = ClienteGrezzo(server.url)
            await scheda.connetti(segreto=segreto)
            processo = _processo(server, scheda)
            if processo is None or (sul in (None, processo) and processo != non_sul):
                return scheda
            altrove.append(scheda)
    finally:
        for scheda in altrove:
            await scheda.chiudi()
    msg = f"no socket landed on process {sul} / off process {non_sul}"
    raise AssertionError(msg)


def _serena(server, *argomenti: str, stdin: str | None = None) -> None:
    """Run a `serena` command as an administrator does: a process of its own, from the project
    folder (its code), on the server's database; under `make prod` the folder's settings name
    the database and Redis."""
    env = {"PATH": f"{BIN}:/usr/bin:/bin"}
    if isinstance(server, Produzione):
        cartella = server.radice
    else:
        cartella, env["DATABASE_URL"] = ROOT, server.db_url
    subprocess.run(
        [sys.executable, "-m", "serena_app.comandi.cli", *argomenti],
        cwd=cartella,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=COMANDO_S,
    )


def _rendi_inattiva(db, segreto: str) -> None:
    """Move the session's last use back beyond the idle limit, as three idle hours would."""
    with Session(db) as session:
        session.exec(
            update(SessioneStaff)
            .where(SessioneStaff.hash_token == hash_segreto(segreto))
            .values(ultimo_uso=adesso() - timedelta(hours=3))
        )
        session.commit()


def _revocata_alle(db, segreto: str, fine: float) -> float:
    """When the session was seen revoked in the database (polled until `fine`)."""
    while time.perf_counter() < fine:
        with Session(db) as session:
            sessione = session.exec(
                select(SessioneStaff).where(SessioneStaff.hash_token == hash_segreto(segreto))
            ).one()
            if sessione.revocata:
                return time.perf_counter()
        time.sleep(0.02)
    msg = "the session was never revoked"
    raise AssertionError(msg)


async def _revoca(modo: str, server, db, anna: Credenziali, processo: str | None) -> float:
    """End Anna's session the way `modo` says; returns once it has ended, with when it ended
    (`time.perf_counter()`; for a `serena` command, when the database says so)."""
    if modo in ("disable-staff", "reset-password"):
        argomenti = [modo, anna.nome_utente] + (["--password-stdin"] * (modo != "disable-staff"))
        comando = asyncio.create_task(
            asyncio.to_thread(_serena, server, *argomenti, stdin=f"nuova {PASSWORD}\n")
        )
        fine = time.perf_counter() + COMANDO_S
        revocata_alle = await asyncio.to_thread(_revocata_alle, db, anna.token, fine)
        await comando
        return revocata_alle
    if modo == "esci":  # in another tab of her browser, on another process if there is one
        altra = await _scheda(server, anna.token, non_sul=processo)
        try:
            await altra.scambia(f"{ACCESSO}.esci")
        finally:
            await altra.chiudi()
    else:
        await asyncio.to_thread(_rendi_inattiva, db, anna.token)
    return time.perf_counter()


@pytest.mark.parametrize("modo", ["disable-staff", "reset-password", "esci", "inattivita"])
def test_a_revoked_staff_tab_gets_no_later_draft_and_leaves_edit_mode_within_a_second(
    server, ciclo, credenziali, db, contenuto, modo
):
    """Anna's tab is in edit mode on the working copy, the mission's editor open, and receives
    Bruno's draft (the control). Her session is revoked; Bruno saves another draft at once.
    Carla's tab, in edit mode on Anna's process, receives it (the control); Anna's does not,
    and within a second it shows the published page, out of edit mode, without her name, the
    editor's text or the secret, and tells her the session ended. Nor does a later draft
    reach it."""
    anna, bruno, carla = credenziali("valida"), credenziali("valida"), credenziali("valida")
    prima, dopo = f"Bozza-prima-della-revoca-{modo}", f"Bozza-dopo-la-revoca-{modo}"

    async def prova() -> None:
        revocata = await _scheda(server, anna.token)
        processo = _processo(server, revocata)
        valida = await _scheda(server, carla.token, sul=processo)
        collega = await _scheda(server, bruno.token, non_sul=processo)
        try:
            for scheda in (revocata, valida, collega):
                await scheda.scambia(f"{REDAZIONE}.alterna_modifica")
            await revocata.scambia(f"{REDAZIONE}.apri", MISSION)
            await collega.scambia(f"{REDAZIONE}.apri", MISSION)
            await collega.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": prima}})
            await revocata.attendi(lambda messaggio: _contiene(messaggio, prima))  # control
            assert revocata.stato[REDAZIONE]["campi"]  # control: her editor is open

            revocata_alle = await _revoca(modo, server, db, anna, processo)
            await collega.scambia(f"{REDAZIONE}.apri", MISSION)
            await collega.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": dopo}})
            await valida.attendi(lambda messaggio: _contiene(messaggio, dopo))  # control

            ricevuti = await revocata.attendi(lambda m: _avvisata(m) or _contiene(m, dopo))
            assert not any(_contiene(m, dopo) for m in ricevuti), "the revoked tab got the draft"
            ritardo = revocata.arrivo - revocata_alle
            print(f"\n{modo}: notice in the revoked tab {ritardo:.2f} s after the revocation")
            assert ritardo <= ENTRO_S
            stato = revocata.stato
            assert stato[STAFF]["avviso"] in AVVISI_DI_FINE
            assert stato[STAFF]["modifica_attiva"] is False
            assert stato[REDAZIONE]["campi"] == {}
            assert stato[ACCESSO]["token"] == ""
            assert stato[ACCESSO]["nome_staff"] == ""
            assert stato[STAFF]["bozze"] == {}  # the working copy's markers, staff-only
            assert stato[CONTENUTO]["sezioni"]["mission"] == paragrafi(
                contenuto["sezioni"]["mission"]
            )

            await collega.scambia(f"{REDAZIONE}.apri", MISSION)
            await collega.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": dopo + "-2"}})
            await valida.attendi(lambda messaggio: _contiene(messaggio, dopo + "-2"))  # control
            assert not any(_contiene(m, dopo) for m in await revocata.barriera())
        finally:
            for scheda in (revocata, valida, collega):
                await scheda.chiudi()

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


@pytest.mark.parametrize("modo", ["disable-staff", "reset-password", "esci", "inattivita"])
def test_every_tab_of_a_revoked_session_is_told_within_a_second_with_no_draft_saved(
    server, ciclo, credenziali, db, modo
):
    """Nobody saves anything: Anna's two tabs, one in edit mode and one only showing the staff
    bar, both lose the staff view and are told within a second of the revocation."""
    anna = credenziali("valida")

    async def prova() -> None:
        in_modifica = await _scheda(server, anna.token)
        processo = _processo(server, in_modifica)
        in_lettura = await _scheda(server, anna.token, sul=processo)
        try:
            await in_modifica.scambia(f"{REDAZIONE}.alterna_modifica")
            assert in_lettura.stato[ACCESSO]["nome_staff"] == anna.nome_utente  # control
            revocata_alle = await _revoca(modo, server, db, anna, processo)
            for scheda in (in_modifica, in_lettura):
                await scheda.attendi(_avvisata)
                print(f"\n{modo}: notice {scheda.arrivo - revocata_alle:.2f} s after")
                assert scheda.arrivo - revocata_alle <= ENTRO_S
                assert scheda.stato[STAFF]["modifica_attiva"] is False
                assert scheda.stato[ACCESSO]["nome_staff"] == ""
                assert scheda.stato[ACCESSO]["token"] == ""
        finally:
            for scheda in (in_modifica, in_lettura):
                await scheda.chiudi()

    ciclo.run(prova())
    verifica_che_risponda(server, ciclo)

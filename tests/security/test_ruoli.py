"""A redattore's live session, over a raw socket, sends every handler only a responsabile may
run: each is refused in words, and no table changes (the redattore can still edit: the
control)."""

from datetime import date, timedelta

import pytest
from sqlmodel import SQLModel

import serena_app.models  # noqa: F401  (every table, for the "nothing changed" check)
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE, SOLO_RESPONSABILE
from serena_app.db import session as sessione_db
from tests.factories import ripristina_contenuto
from tests.security.attacco import HACK, MISSION
from tests.security.conftest import righe, verifica_che_risponda
from tests.state.test_inventario import SOLO_RESPONSABILI, stato_del_gestore
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO, REDAZIONE, STAFF

CHE_CAMBIANO_A_OGNI_EVENTO = {"sessionestaff"}  # a session's last use
"""Tables a refused event may still touch."""


def argomenti(revisione: int, bersaglio: str) -> dict[str, dict]:
    """What each responsabile-only handler is sent, aimed at rows that exist (`bersaglio`:
    another person's account)."""
    domani = date.today() + timedelta(days=1)
    return {
        "PersoneState.apri_persone": {},
        "PersoneState.invita": {"form_data": {"nome": "intrusa", "ruolo": RESPONSABILE}},
        "PersoneState.chiedi": {"nome": bersaglio, "azione": "disattiva"},
        "PersoneState.annulla_conferma": {},
        "PersoneState.disattiva": {"nome": bersaglio},
        "PersoneState.riattiva": {"nome": bersaglio},
        "PersoneState.cambia_ruolo": {"nome": bersaglio, "ruolo": REDATTORE},
        "PersoneState.reimposta": {"nome": bersaglio},
        "AccountState.richiedi_a_tutti": {"richiesta": True},
        "RichiesteState.apri_richieste": {},
        "RichiesteState.pubblica": {},
        "RichiesteState.rimanda": {"form_data": {"nota": HACK}},
        "ProgrammateState.carica_programmate": {},
        "ProgrammateState.apri_programmazione": {},
        "ProgrammateState.programma": {"form_data": {"data": f"{domani:%Y-%m-%d}", "ora": "10:00"}},
        "ProgrammateState.annulla_programmata": {"id_": 1},
        "RedazioneState.chiedi_pubblicazione": {},
        "RedazioneState.pubblica": {},
        "RedazioneState.chiedi_scarto": {},
        "RedazioneState.scarta": {},
        "CronologiaState.ripristina_pagina": {"numero": revisione},
        "DemoState.ripristina": {},
    }


def _tabelle() -> tuple[str, ...]:
    return tuple(sorted(set(SQLModel.metadata.tables) - CHE_CAMBIANO_A_OGNI_EVENTO))


def test_every_responsabile_only_handler_is_attacked():
    assert set(argomenti(1, "anna")) == set(SOLO_RESPONSABILI)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_redattore_s_socket_sends_every_responsabile_only_handler_and_nothing_changes(
    server, db, ciclo, credenziali, contenuto
):
    redattore, responsabile = credenziali("redattore"), credenziali("valida")

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(segreto=redattore.token))
            assert stati[ACCESSO]["nome_staff"] == redattore.nome_utente
            # The control: a redattore does edit the working copy.
            for nome, payload in [
                ("alterna_modifica", {}),
                ("apri", {"tipo": "sezione", "chiave": "mission"}),
                ("salva", {"form_data": {"testo": HACK}}),
            ]:
                await cliente.presenta_segreto(redattore.token)
                stati = vista(await cliente.scambia(f"{REDAZIONE}.{nome}", payload))
            assert stati[REDAZIONE]["aperto"] != MISSION  # saved and closed
            prima = righe(db, _tabelle())
            assert any(r["testo"] == HACK for r in prima["sezione"])
            revisione = prima["revisione"][-1]["id"]
            for gestore, payload in argomenti(revisione, responsabile.nome_utente).items():
                await cliente.presenta_segreto(redattore.token)
                messaggi = await cliente.scambia(
                    f"{stato_del_gestore(gestore)}.{gestore.split('.')[1]}", payload
                )
                stati = vista(messaggi)
                if not gestore.startswith("DemoState."):  # not a demo server: nothing at all
                    assert stati[STAFF]["avviso"] == SOLO_RESPONSABILE, (gestore, messaggi)
                assert stati.get(STAFF, {}).get("modifica_attiva") is not False, gestore
                assert stati.get(REDAZIONE, {}).get("conferma", "") == "", gestore
            assert righe(db, _tabelle()) == prima

    try:
        ciclo.run(attacco())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_control_a_responsabile_s_socket_opens_the_publish_confirmation(
    server, db, ciclo, credenziali, contenuto
):
    responsabile = credenziali("valida")

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=responsabile.token)
            for nome, payload in [
                ("alterna_modifica", {}),
                ("apri", {"tipo": "sezione", "chiave": "mission"}),
                ("salva", {"form_data": {"testo": HACK}}),
                ("chiedi_pubblicazione", {}),
            ]:
                await cliente.presenta_segreto(responsabile.token)
                stati = vista(await cliente.scambia(f"{REDAZIONE}.{nome}", payload))
            assert stati[REDAZIONE]["conferma"] == "pubblica"

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)

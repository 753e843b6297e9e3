"""Attacks on "Il mio account" and on two-step login, over raw sockets: a visitor's socket
sends every new handler and nothing changes; a redattore cannot require two-step login; a
TOTP code is refused the second time; the code step cannot be skipped (no session exists
between the password and the code, whatever events come meanwhile); and "Esci da tutti gli
altri dispositivi" ends the other device's powers within a second."""

import json
import time
from datetime import timedelta

import pyotp
from sqlalchemy import Engine
from sqlmodel import Session, select

from serena_app.auth import due_passaggi
from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import SOLO_RESPONSABILE
from serena_app.auth.sessioni import adesso, crea_sessione
from serena_app.models import SessioneStaff, Staff
from serena_app.state.account import AccountState
from serena_app.state.staff import SESSIONE_TERMINATA, StaffState
from tests.security.conftest import PASSWORD, righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO, STAFF

ACCOUNT = AccountState.get_full_name()
TABELLE = ("staff", "sessionestaff", "codicerecupero", "impostazione")
ENTRO_S = 1.0  # from the request to the other device's notice (as tests/security/test_revoca.py)
NUOVI = [
    (f"{ACCOUNT}.apri_account", {}),
    (f"{ACCOUNT}.cambia_password", {"form_data": {"attuale": PASSWORD, "nuova": "x" * 20}}),
    (f"{ACCOUNT}.esci_dagli_altri", {}),
    (f"{ACCOUNT}.avvia_due_passaggi", {}),
    (f"{ACCOUNT}.conferma_due_passaggi", {"form_data": {"codice": "123456"}}),
    (f"{ACCOUNT}.disattiva_due_passaggi", {"form_data": {"prova": PASSWORD}}),
    (f"{ACCOUNT}.richiedi_a_tutti", {"richiesta": True}),
    (f"{ACCOUNT}.chiudi_account", {}),
    (f"{ACCESSO}.conferma_codice", {"form_data": {"codice": "123456"}}),
    (f"{ACCESSO}.annulla_codice", {}),
]


def test_every_new_handler_is_covered():
    nomi = {nome.rsplit(".", 1)[1] for nome, _ in NUOVI if nome.startswith(ACCOUNT)}
    assert nomi == set(AccountState.event_handlers) - set(StaffState.event_handlers)


def test_a_visitor_socket_sends_every_new_handler_and_nothing_changes(server, db, ciclo):
    prima = righe(db, TABELLE)

    async def attacco() -> dict:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for nome, payload in NUOVI:
                await cliente.scambia(nome, payload)
            return cliente.stato

    stato = ciclo.run(attacco())
    assert stato[ACCESSO]["nome_staff"] == ""
    assert not stato.get(ACCOUNT, {}).get("qr_nuovo")
    assert righe(db, TABELLE) == prima
    verifica_che_risponda(server, ciclo)


def test_a_redattore_cannot_require_two_step_login(server, db, ciclo, credenziali):
    redattore = credenziali("redattore")
    prima = righe(db, TABELLE)

    async def attacco() -> dict:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=redattore.token)
            await cliente.scambia(f"{ACCOUNT}.richiedi_a_tutti", {"richiesta": True})
            return cliente.stato

    stato = ciclo.run(attacco())
    assert stato[STAFF]["avviso"] == SOLO_RESPONSABILE
    assert righe(db, TABELLE) == prima


def _con_due_passaggi(db: Engine, nome: str) -> str:
    """An account with two-step login on (confirmed five minutes ago); its TOTP secret."""
    with Session(db) as session:
        staff = crea_staff(session=session, nome_utente=nome, password=PASSWORD)
        segreto = due_passaggi.nuovo_segreto()
        prima = adesso() - timedelta(minutes=5)
        due_passaggi.attiva(
            session=session,
            staff_id=staff.id,
            segreto=segreto,
            codice=pyotp.TOTP(segreto).at(prima),
            ora=prima,
        )
        return segreto


def _sessioni(db: Engine, nome: str) -> int:
    with Session(db) as session:
        staff = session.exec(select(Staff).where(Staff.nome_utente == nome)).one()
        return len(
            session.exec(select(SessioneStaff).where(SessioneStaff.staff_id == staff.id)).all()
        )


async def _password(cliente: ClienteGrezzo, nome: str) -> dict:
    await cliente.connetti()
    credenziali = {"nome_utente": nome, "password": PASSWORD}
    return vista(await cliente.scambia(f"{ACCESSO}.accedi", {"form_data": credenziali}))


def test_a_totp_code_replayed_over_a_raw_socket_is_refused(server, db, ciclo):
    segreto = _con_due_passaggi(db, "attacchi-replay")

    async def due_accessi() -> tuple[dict, dict]:
        codice = pyotp.TOTP(segreto).now()
        risultati = []
        for _ in range(2):
            async with ClienteGrezzo(server.url) as cliente:
                assert (await _password(cliente, "attacchi-replay"))[ACCESSO]["codice_richiesto"]
                await cliente.scambia(
                    f"{ACCESSO}.conferma_codice", {"form_data": {"codice": codice}}
                )
                risultati.append(dict(cliente.stato[ACCESSO]))
        return risultati[0], risultati[1]

    primo, secondo = ciclo.run(due_accessi())
    assert primo["token"]
    assert not secondo.get("token")
    assert secondo["errore_accesso"] == due_passaggi.CODICE_NON_VALIDO
    assert _sessioni(db, "attacchi-replay") == 1


def test_the_code_step_cannot_be_skipped(server, db, ciclo):
    """After the right password, the events a logged-in tab sends get no staff powers and
    open no session: nothing exists until the code."""
    _con_due_passaggi(db, "attacchi-salto")
    prima = righe(db, ("staff", "codicerecupero", "impostazione"))

    async def salto() -> dict:
        async with ClienteGrezzo(server.url) as cliente:
            assert (await _password(cliente, "attacchi-salto"))[ACCESSO]["codice_richiesto"]
            for nome, payload in [(f"{ACCESSO}.verifica", {}), *NUOVI[:-2]]:
                await cliente.scambia(nome, payload)
            # The code from another socket with the same client token is no use either.
            altra = ClienteGrezzo(server.url, token_client=cliente.token_client)
            try:
                await altra.connetti()
                await altra.scambia(f"{ACCESSO}.conferma_codice", {"form_data": {"codice": "1"}})
            finally:
                await altra.chiudi()
            return cliente.stato

    stato = ciclo.run(salto())
    assert stato[ACCESSO]["nome_staff"] == ""
    assert not stato[ACCESSO].get("token")
    assert _sessioni(db, "attacchi-salto") == 0
    assert righe(db, ("staff", "codicerecupero", "impostazione")) == prima


def test_other_devices_end_within_a_second_this_one_stays(server, db, ciclo):
    """ "Esci da tutti gli altri dispositivi" from one tab: the other device's open tab gets the
    notice within a second and loses its powers; the tab that asked keeps them."""
    with Session(db) as session:
        staff = crea_staff(session=session, nome_utente="attacchi-altri", password=PASSWORD)
        questa = crea_sessione(session=session, staff=staff)
        altra = crea_sessione(session=session, staff=staff)

    async def prova() -> tuple[float, dict]:
        async with (
            ClienteGrezzo(server.url) as qui,
            ClienteGrezzo(server.url) as altrove,
        ):
            await qui.connetti(segreto=questa)
            await altrove.connetti(segreto=altra)
            assert altrove.stato[ACCESSO]["nome_staff"] == "attacchi-altri"  # control
            chiesto_alle = time.perf_counter()
            await qui.scambia(f"{ACCOUNT}.esci_dagli_altri")
            await altrove.attendi(lambda m: SESSIONE_TERMINATA in json.dumps(m, ensure_ascii=False))
            ritardo = altrove.arrivo - chiesto_alle
            assert altrove.stato[ACCESSO]["nome_staff"] == ""
            await qui.scambia(f"{ACCOUNT}.apri_account")
            return ritardo, qui.stato

    ritardo, stato = ciclo.run(prova())
    print(f"\nother device's notice {ritardo:.2f} s after the request")
    assert ritardo <= ENTRO_S
    assert stato[ACCESSO]["nome_staff"] == "attacchi-altri"
    assert [s["questa"] for s in stato[ACCOUNT]["sessioni"]] == ["1"]

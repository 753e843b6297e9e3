"""Scheduled publishes attacked over a raw Socket.IO client: a visitor's socket (no session)
and a live redattore's send every handler of `ProgrammateState`; no row is scheduled, none is
cancelled, and neither is told what is scheduled. The control: a responsabile's socket does
schedule and cancel."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from serena_app.auth.ruoli import SOLO_RESPONSABILE
from serena_app.auth.sessioni import adesso
from serena_app.db import id_salvato
from serena_app.lingue.tempo import FUSO
from serena_app.pubblicazione import programmate
from serena_app.state.programmate import ProgrammateState
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO, REDAZIONE, STAFF

PROGRAMMATE = ProgrammateState.get_full_name()
TABELLA = ("programmata",)


def _domani() -> dict[str, str]:
    """A date and a time (Rome) a day ahead, as the dialog's fields send them."""
    locale = (adesso() + timedelta(days=1)).astimezone(FUSO)
    return {"data": f"{locale:%Y-%m-%d}", "ora": f"{locale:%H:%M}"}


def _eventi(id_: int) -> list[tuple[str, dict]]:
    """Every handler of ProgrammateState, aimed at row `id_`, with good and bad payloads."""
    return [
        ("carica_programmate", {}),
        ("apri_programmazione", {}),
        ("programma", {"form_data": _domani()}),
        ("programma", {"form_data": {"data": "2027-03-28", "ora": "02:30"}}),
        ("annulla_programmata", {"id_": id_}),
        ("annulla_programmata", {"id_": str(id_)}),
        ("chiudi_programmazione", {}),
    ]


@pytest.fixture
def in_attesa(db: Engine) -> Iterator[int]:
    """A publish scheduled by a responsabile, a week ahead: what the attacks aim to cancel."""
    with Session(db) as session:
        riga = programmate.programma(
            session=session,
            quando=adesso() + timedelta(days=7),
            autore="responsabile-vera",
            adesso=adesso(),
        )
    yield id_salvato(riga)
    with db.begin() as connessione:
        connessione.execute(text("DELETE FROM programmata"))


async def _tenta(cliente: ClienteGrezzo, id_: int, segreto: str | None) -> list[dict]:
    ricevuti = []
    for nome, payload in _eventi(id_):
        if segreto is not None:
            await cliente.presenta_segreto(segreto)
        ricevuti += await cliente.scambia(f"{PROGRAMMATE}.{nome}", payload)
    return ricevuti


def _nulla_degli_elenchi(ricevuti: list[dict]) -> None:
    stati = vista(ricevuti)
    assert not stati.get(PROGRAMMATE, {}).get("voci")
    assert "responsabile-vera" not in str(ricevuti)


def test_a_visitor_socket_schedules_and_cancels_nothing(server, db, ciclo, in_attesa):
    prima = righe(db, TABELLA)

    async def attacco() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            return await _tenta(cliente, in_attesa, None)

    ricevuti = ciclo.run(attacco())
    assert righe(db, TABELLA) == prima
    _nulla_degli_elenchi(ricevuti)
    verifica_che_risponda(server, ciclo)


def test_a_redattore_socket_schedules_and_cancels_nothing(
    server, db, ciclo, credenziali, in_attesa
):
    redattore = credenziali("redattore")
    prima = righe(db, TABELLA)

    async def attacco() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(segreto=redattore.token))
            assert stati[ACCESSO]["nome_staff"] == redattore.nome_utente
            await cliente.presenta_segreto(redattore.token)
            stati = vista(await cliente.scambia(f"{REDAZIONE}.alterna_modifica", {}))
            assert stati[STAFF]["modifica_attiva"] is True  # a redattore may edit
            ricevuti = await _tenta(cliente, in_attesa, redattore.token)
            assert vista(ricevuti)[STAFF]["avviso"] == SOLO_RESPONSABILE
            return ricevuti

    ricevuti = ciclo.run(attacco())
    assert righe(db, TABELLA) == prima
    _nulla_degli_elenchi(ricevuti)
    verifica_che_risponda(server, ciclo)


def test_control_a_responsabile_socket_does_schedule_and_cancel(
    server, db, ciclo, credenziali, in_attesa
):
    """The same events from a responsabile change the table, so the checks above can fail."""
    responsabile = credenziali("valida")

    async def programma_e_annulla() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=responsabile.token)
            await cliente.presenta_segreto(responsabile.token)
            await cliente.scambia(f"{REDAZIONE}.alterna_modifica", {})
            return await _tenta(cliente, in_attesa, responsabile.token)

    ricevuti = ciclo.run(programma_e_annulla())
    dopo = {r["id"]: r for r in righe(db, TABELLA)["programmata"]}
    assert dopo[in_attesa]["stato"] == programmate.ANNULLATA
    assert dopo[in_attesa]["annullata_da"] == responsabile.nome_utente
    nuove = [r for i, r in dopo.items() if i != in_attesa]
    assert [(r["stato"], r["autore"]) for r in nuove] == [
        (programmate.ATTESA, responsabile.nome_utente)
    ]
    testi = str(ricevuti)
    assert "non esiste in Italia" in testi  # the spring night's missing time, refused
    assert "Pubblicazione programmata per " in testi
    assert "programmata da responsabile-vera" in testi  # the list, which the others never got
    verifica_che_risponda(server, ciclo)

"""The "Persone" panel's handlers over a raw socket: a visitor and a redattore send every one
of them, aimed at real accounts, and nothing changes; guessing invitation codes is limited per
address (after 5 wrong codes even the right one is refused); a used invitation is refused."""

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from serena_app.auth import inviti, ruoli
from serena_app.auth.inviti import CODICE_USATO, NOME_TENTATIVI
from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.auth.ruoli import REDATTORE
from serena_app.state.invito import InvitoState
from serena_app.state.persone import PersoneState
from serena_app.state.staff import SESSIONE_SCADUTA
from tests.security.conftest import Credenziali, righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import STAFF

PERSONE = PersoneState.get_full_name()
INVITO = InvitoState.get_full_name()
ACCETTA = f"{INVITO}.accetta_invito"
SCELTA = "la password che sceglie chi entra"
TABELLE = ("staff", "invito", "evento")


def _mosse(bersaglio: str) -> list[tuple[str, dict]]:
    """Every handler of the panel, aimed at the account `bersaglio`."""
    return [
        ("apri_persone", {}),
        ("invita", {"form_data": {"nome": "intrusa", "ruolo": ruoli.RESPONSABILE}}),
        ("chiedi", {"nome": bersaglio, "azione": "disattiva"}),
        ("annulla_conferma", {}),
        ("disattiva", {"nome": bersaglio}),
        ("riattiva", {"nome": bersaglio}),
        ("cambia_ruolo", {"nome": bersaglio, "ruolo": ruoli.REDATTORE}),
        ("reimposta", {"nome": bersaglio}),
    ]


def test_the_inventory_names_every_handler_of_the_panel():
    gestori = {n for n in PersoneState.event_handlers if n not in ("setvar", "set_is_hydrated")}
    assert gestori == {nome for nome, _ in _mosse("x")}


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("chi", ["visitatore", "redattore"])
def test_a_visitor_or_a_redattore_changes_nobody(
    server, db: Engine, ciclo, credenziali: Callable[[str], Credenziali], chi: str
):
    bersaglio = credenziali("valida")  # a responsabile, live
    segreto = credenziali("redattore").token if chi == "redattore" else None
    atteso = ruoli.SOLO_RESPONSABILE if segreto else SESSIONE_SCADUTA
    prima = righe(db, TABELLE)

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=segreto)
            for nome, payload in _mosse(bersaglio.nome_utente):
                if segreto:
                    await cliente.presenta_segreto(segreto)
                messaggi = await cliente.scambia(f"{PERSONE}.{nome}", payload)
                stati = vista(messaggi)
                assert stati.get(STAFF, {}).get("avviso") == atteso, (nome, messaggi)
                assert not stati.get(PERSONE, {}).get("persone"), (nome, messaggi)
                assert not stati.get(PERSONE, {}).get("link"), (nome, messaggi)

    ciclo.run(prova())
    assert righe(db, TABELLE) == prima
    verifica_che_risponda(server, ciclo)


def _invita(db: Engine, nome: str) -> inviti.Link:
    with Session(db) as session:
        return inviti.invita(session=session, nome_utente=nome, ruolo=REDATTORE, autore="prova")


def _accetta(cliente: ClienteGrezzo, codice: str) -> Callable:
    modulo = {"codice": codice, "password": SCELTA, "ripeti": SCELTA}
    return cliente.scambia(ACCETTA, {"form_data": modulo})


def _errore(messaggi: list[dict]) -> str | None:
    return vista(messaggi).get(INVITO, {}).get("errore_invito")


def _dimentica_i_tentativi(db: Engine) -> None:
    """The raw clients all come from 127.0.0.1, as other tests' do (the fuzz test sends codes
    too): its count of wrong codes starts, and ends, at zero."""
    with db.begin() as connessione:
        connessione.execute(
            text("DELETE FROM tentativoaccesso WHERE nome_utente = :n"), {"n": NOME_TENTATIVI}
        )


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_guessing_codes_is_limited_and_a_used_link_is_refused(server, db: Engine, ciclo):
    _dimentica_i_tentativi(db)
    link = _invita(db, "invitata-indovina")
    altro = _invita(db, "invitata-una-volta")

    async def prova() -> tuple[list[str | None], str | None, str | None, str | None]:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            # A right code is used once; the second time it is refused.
            usato = _errore(await _accetta(cliente, altro.codice))
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            di_nuovo = _errore(await _accetta(cliente, altro.codice))
            sbagliati = [
                _errore(await _accetta(cliente, f"{link.codice[:-4]}zzz{i}"))
                for i in range(MAX_PER_NOME_E_CLIENT - 1)
            ]
            giusto = _errore(await _accetta(cliente, link.codice))
            return sbagliati, usato, di_nuovo, giusto

    try:
        sbagliati, usato, di_nuovo, giusto = ciclo.run(prova())
    finally:
        _dimentica_i_tentativi(db)
    assert usato in ("", None)  # accepted: logged in
    assert di_nuovo == CODICE_USATO
    assert all(s == inviti.CODICE_NON_VALIDO for s in sbagliati), sbagliati
    assert giusto == TROPPI_TENTATIVI
    with db.connect() as connessione:
        usati = connessione.execute(
            text(
                "SELECT s.nome_utente, i.usato IS NOT NULL FROM invito i JOIN staff s "
                "ON s.id = i.staff_id WHERE s.nome_utente LIKE 'invitata-%' ORDER BY 1"
            )
        ).all()
    assert [tuple(r) for r in usati] == [("invitata-indovina", False), ("invitata-una-volta", True)]
    verifica_che_risponda(server, ciclo)

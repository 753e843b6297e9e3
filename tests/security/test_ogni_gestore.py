"""A visitor's raw socket (no session) sends every guarded handler of every state of the app,
found by walking the states (so a handler added later is attacked too), with arguments that
bind and aim at rows that exist: no table changes, and each is refused."""

import inspect
import typing

import pytest
from sqlmodel import SQLModel

import serena_app.models  # noqa: F401  (every table, for the "nothing changed" check)
from tests.security.attacco import HACK, rifiutato
from tests.security.conftest import righe, verifica_che_risponda
from tests.state.test_inventario import _gestori, stato_del_gestore
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import STAFF

CHE_CAMBIANO_A_OGNI_EVENTO = {"sessionestaff"}  # a session's last use


def _guardati() -> list[tuple[str, typing.Callable]]:
    return [(nome, g.fn) for nome, g in _gestori() if getattr(g.fn, "richiede_staff", False)]


def _valore(parametro: str, tipo: object, esistenti: dict) -> object:
    """A value a page could send for `parametro`, aimed at a row that exists."""
    per_nome = {
        "nome": esistenti["nome"],
        "azione": "disattiva",
        "ruolo": "redattore",
        "tipo": "tappa",
        "chiave": esistenti["tappa"],
        "numero": esistenti["revisione"],
        "di": -1,
        "form_data": {
            "testo": HACK,
            "titolo": HACK,
            "anno": "2001",
            "messaggio": HACK,
            "nome": HACK,
            "nota": HACK,
            "nome_utente": HACK,
            "ruolo": "responsabile",
            "password": HACK * 4,
            "codice": "123456",
            "data": "2030-01-01",
            "ora": "10:00",
        },
    }
    if parametro in per_nome:
        return per_nome[parametro]
    tipi = typing.get_args(tipo) or (tipo,)
    if int in tipi:
        return esistenti["staff"]
    if bool in tipi:
        return True
    if dict in tipi or any(typing.get_origin(t) is dict for t in tipi):
        return {}
    return str(esistenti["staff"])


def argomenti(fn: typing.Callable, esistenti: dict) -> dict[str, object]:
    tipi = typing.get_type_hints(inspect.unwrap(fn))
    parametri = list(inspect.signature(inspect.unwrap(fn)).parameters)[1:]  # after self
    return {p: _valore(p, tipi.get(p, str), esistenti) for p in parametri}


def test_the_walk_finds_the_guarded_handlers_and_their_arguments_bind():
    esistenti = {"tappa": 1, "revisione": 1, "staff": 1, "nome": "anna"}
    guardati = _guardati()
    assert {"RedazioneState.salva", "RedazioneState.pubblica"} <= {n for n, _ in guardati}
    for _, fn in guardati:
        inspect.signature(inspect.unwrap(fn)).bind(None, **argomenti(fn, esistenti))


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_visitor_s_socket_sends_every_guarded_handler_and_nothing_changes(server, db, ciclo):
    tabelle = tuple(sorted(set(SQLModel.metadata.tables) - CHE_CAMBIANO_A_OGNI_EVENTO))
    prima = righe(db, tabelle)
    esistenti = {
        "tappa": prima["tappa"][-1]["id"],
        "revisione": prima["revisione"][-1]["id"] if prima["revisione"] else 1,
        "staff": prima["staff"][-1]["id"] if prima["staff"] else 1,
        "nome": prima["staff"][-1]["nome_utente"] if prima["staff"] else "anna",
    }

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for nome, fn in _guardati():
                stato, gestore = stato_del_gestore(nome), nome.split(".")[1]
                messaggi = await cliente.scambia(f"{stato}.{gestore}", argomenti(fn, esistenti))
                if getattr(fn, "solo_in_demo", False):  # on a server that is no demo:
                    assert STAFF not in vista(messaggi), (nome, messaggi)  # nothing at all
                else:
                    assert rifiutato(messaggi), (nome, messaggi)

    ciclo.run(attacco())
    assert righe(db, tabelle) == prima
    verifica_che_risponda(server, ciclo)

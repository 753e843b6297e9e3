"""The phones counted on the presenter's view, on the real module (no server): a count read
in the background before "Ripristina tutte le demo" committed must not overwrite the count
the reset took after its commit. It did: the view said 2 phones after every sandbox ended,
until the next read (`tests/security/test_sala.py` saw it once in a CI run)."""

import asyncio

from serena_app.state import sala
from tests.support.asincrono import esegui

PRIMA_DEL_RIPRISTINO, DOPO = 2, 0


def test_a_count_read_before_a_reset_does_not_overwrite_the_reset_s_own(monkeypatch):
    conteggio = sala._Conteggio()
    letture: list[int] = []

    async def scena() -> int | None:
        committato = asyncio.Event()

        async def conta(_funzione, **_argomenti) -> int:
            if not letture:  # the background read, begun before the reset committed
                letture.append(PRIMA_DEL_RIPRISTINO)
                await committato.wait()
                return PRIMA_DEL_RIPRISTINO
            letture.append(DOPO)
            return DOPO

        monkeypatch.setattr(sala, "esegui", conta)
        conteggio.leggi()
        await asyncio.sleep(0)  # the read is in the database's thread
        conteggio.imposta(DOPO)  # the reset's handler, after its commit
        committato.set()
        assert conteggio._lettura is not None
        await conteggio._lettura
        return conteggio.valore

    assert esegui(scena()) == DOPO
    assert letture[0] == PRIMA_DEL_RIPRISTINO  # control: the stale read did run and end last


def test_control_a_read_with_no_newer_count_is_kept(monkeypatch):
    conteggio = sala._Conteggio()

    async def conta(_funzione, **_argomenti) -> int:
        return 3

    async def scena() -> int | None:
        monkeypatch.setattr(sala, "esegui", conta)
        conteggio.leggi()
        assert conteggio._lettura is not None
        await conteggio._lettura
        return conteggio.valore

    assert esegui(scena()) == 3
    assert conteggio.cambiato is True

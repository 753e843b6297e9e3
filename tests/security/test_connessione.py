"""Staff powers belong to the socket on which the session secret was presented.

Reflex keeps a tab's state under its client token, the UUID in the websocket URL
(`/_event/?token=…`), which any reverse proxy writes to its access log. A socket that
presents a staff tab's client token, after the tab closed or while it is open, and skips the
page's hydration (the only place a page sends its stored secret) must get none of that tab's
powers; the staff member's own reconnect, which sends the secret again, keeps them.
"""

import asyncio

import pytest

from tests.security.attacco import SETVAR_SENZA_SETTER, tenta_tutto
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.produzione import Produzione, processo_di
from tests.support.protocollo import ACCESSO, REDAZIONE, STAFF

ALTERNA = f"{REDAZIONE}.alterna_modifica"


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
@pytest.mark.parametrize("scheda", ["chiusa", "aperta"])
def test_a_staff_tabs_client_token_without_the_secret_gives_no_staff_powers(
    server, db, ciclo, credenziali, scheda
):
    """The intruder reuses the client token and never hydrates: `verifica` names nobody,
    every data-changing event is refused, and the session's idle limit is not extended."""
    staff = credenziali("valida")

    async def attacco() -> dict[str, list[dict]]:
        vittima = ClienteGrezzo(server.url)
        stati = vista(await vittima.connetti(segreto=staff.token))
        assert stati[ACCESSO]["nome_staff"] == staff.nome_utente
        assert vista(await vittima.scambia(ALTERNA)) != {}
        prima = righe(db)  # after edit mode made the working copy, if this run had none
        if scheda == "chiusa":
            await vittima.chiudi()
        sessioni = righe(db, ("sessionestaff",))
        async with ClienteGrezzo(server.url, token_client=vittima.token_client) as intruso:
            await intruso.connetti(idrata=False)
            stati = vista(await intruso.scambia(f"{ACCESSO}.verifica"))
            if intruso.token_nuovo is None:  # the closed tab's own state: its name goes
                assert stati.get(ACCESSO, {}).get("nome_staff") == "", stati
            else:  # the tab is open: a fresh state, in which nobody was ever named
                assert stati.get(ACCESSO, {}).get("nome_staff", "") == "", stati
            await tenta_tutto(intruso, prima)
        assert righe(db, ("sessionestaff",)) == sessioni
        await vittima.chiudi()
        return prima

    prima = ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_the_staff_members_own_reconnect_keeps_the_powers(server, db, ciclo, credenziali):
    """Control: the same client token reconnecting with the secret from local storage, as the
    page does after a dropped connection, is staff again at once."""
    staff = credenziali("valida")

    async def riconnessione() -> None:
        async with ClienteGrezzo(server.url) as scheda:
            await scheda.connetti(segreto=staff.token)
        await _disconnessione_vista(server, scheda.token_client)
        async with ClienteGrezzo(server.url, token_client=scheda.token_client) as ritorno:
            stati = vista(await ritorno.connetti(segreto=staff.token))
            assert ritorno.token_nuovo is None  # the same state, under the same client token
            assert stati[ACCESSO]["nome_staff"] == staff.nome_utente
            stati = vista(await ritorno.scambia(ALTERNA))
            assert stati[STAFF]["modifica_attiva"] is True

    ciclo.run(riconnessione())


async def _disconnessione_vista(server, token_client: str) -> None:
    """Under `make prod`, wait (at most 5 s) until the process that held the closed socket has
    released its client token in Redis, as it has long done when a real page reconnects: a
    reconnect that reached another process first would be told the token is still in use, and
    be given a new one."""
    if not isinstance(server, Produzione):
        return
    for _ in range(100):
        if processo_di(server.redis_url, token_client) is None:
            return
        await asyncio.sleep(0.05)

"""Drafts never reach a visitor: not in any message a visitor's socket receives, not in the
served HTML, not to a socket that reuses a staff tab's client token without its secret.

Each test has its control: the staff member's own sockets do receive the draft, so the
searches for its text could find it.
"""

import json

import httpx

from serena_app.db import session as sessione_db
from tests.factories import ripristina_contenuto
from tests.security.conftest import verifica_che_risponda
from tests.support.cliente import ATTESA, ClienteGrezzo, vista
from tests.support.protocollo import CONTENUTO, CRONOLOGIA, REDAZIONE

SEGRETO = "Testo-di-bozza-riservato"


def _contiene(messaggi: list[dict], testo: str) -> bool:
    return testo in json.dumps(messaggi, ensure_ascii=False)


async def _scrivi_bozza(staff: ClienteGrezzo, testo: str) -> list[dict]:
    """In edit mode, save `testo` as the mission's draft; the messages the staff tab got."""
    messaggi = await staff.scambia(f"{REDAZIONE}.alterna_modifica")
    messaggi += await staff.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
    messaggi += await staff.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})
    return messaggi


def test_a_visitor_receives_nothing_of_a_draft(server, ciclo, credenziali, contenuto):
    """A visitor's socket open while staff save a draft, and a new one after, receive no
    message with the draft's text; neither does `GET /`."""
    staff = credenziali("valida")

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as visitatore, ClienteGrezzo(server.url) as redattore:
            ricevuti = await visitatore.connetti()
            await redattore.connetti(segreto=staff.token)
            assert _contiene(await _scrivi_bozza(redattore, SEGRETO), SEGRETO)  # control
            ricevuti += await visitatore.barriera()
            ricevuti += await visitatore.scambia(f"{CONTENUTO}.aggiorna")
            assert not _contiene(ricevuti, SEGRETO)
            async with ClienteGrezzo(server.url) as nuovo:
                assert not _contiene(await nuovo.connetti(), SEGRETO)

    try:
        ciclo.run(prova())
        assert SEGRETO not in httpx.get(f"{server.url}/", timeout=ATTESA).text
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


def test_a_staff_tabs_client_token_without_the_secret_gets_no_draft(
    server, ciclo, credenziali, contenuto
):
    """A staff tab in edit mode, with a draft and the draft's editor open, closes; a socket
    presenting its client token without the secret (or with a made-up one), hydrating or
    not, receives neither the draft nor the staff name. The staff member's own reconnect,
    with the secret, gets the working copy and the open editor back."""
    staff = credenziali("valida")

    async def prova() -> None:
        scheda = ClienteGrezzo(server.url)
        await scheda.connetti(segreto=staff.token)
        await _scrivi_bozza(scheda, SEGRETO)
        await scheda.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
        await scheda.chiudi()

        async def intrusione(segreto: str | None) -> None:
            async with ClienteGrezzo(server.url, token_client=scheda.token_client) as intruso:
                ricevuti = await intruso.connetti(segreto=segreto)
                ricevuti += await intruso.scambia(f"{CONTENUTO}.aggiorna")
                assert intruso.token_nuovo is None  # the staff tab's own state
                assert not _contiene(ricevuti, SEGRETO)
                assert not _contiene(ricevuti, staff.nome_utente)

        await intrusione(None)
        async with ClienteGrezzo(server.url, token_client=scheda.token_client) as intruso:
            await intruso.connetti(idrata=False)
            ricevuti = await intruso.scambia(f"{CONTENUTO}.aggiorna")
            ricevuti += await intruso.scambia(f"{REDAZIONE}.annulla")
            assert not _contiene(ricevuti, SEGRETO)
        async with ClienteGrezzo(server.url, token_client=scheda.token_client) as ritorno:
            stati = vista(await ritorno.connetti(segreto=staff.token))  # control
            assert SEGRETO in stati[CONTENUTO]["sezioni"]["mission"][0]
            assert stati[REDAZIONE]["campi"] == {"testo": SEGRETO}
        await intrusione("un-segreto-inventato")

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


def test_a_socket_that_reuses_a_staff_token_without_hydrating_gets_no_later_draft(
    server, ciclo, credenziali, contenuto
):
    """Right after a staff tab in edit mode closes, a socket takes over its client token and
    skips hydration; another staff member then saves a new draft. Neither the live push nor
    the page's `aggiorna` brings it to that socket."""
    anna, bruno = credenziali("valida"), credenziali("valida")
    nuovo = "Bozza-successiva-riservata"

    async def prova() -> None:
        scheda = ClienteGrezzo(server.url)
        await scheda.connetti(segreto=anna.token)
        await _scrivi_bozza(scheda, SEGRETO)
        await scheda.chiudi()
        async with (
            ClienteGrezzo(server.url, token_client=scheda.token_client) as intruso,
            ClienteGrezzo(server.url) as altro,
            ClienteGrezzo(server.url) as controllo,
        ):
            await intruso.connetti(idrata=False)
            assert intruso.token_nuovo is None  # the staff tab's own state
            await controllo.connetti(segreto=anna.token)
            await controllo.scambia(f"{REDAZIONE}.alterna_modifica")
            await altro.connetti(segreto=bruno.token)
            await _scrivi_bozza(altro, nuovo)
            # The push reaches a staff tab showing the working copy (the control)…
            await controllo.attendi(lambda messaggio: _contiene([messaggio], nuovo))
            ricevuti = await intruso.barriera()
            ricevuti += await intruso.scambia(f"{CONTENUTO}.aggiorna")
            assert not _contiene(ricevuti, nuovo)  # … and not the socket without the secret
            assert not _contiene(ricevuti, SEGRETO)

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


def test_history_reaches_only_the_staff_tab_that_opened_it(server, ciclo, credenziali, contenuto):
    """A staff tab saves two drafts and opens the mission's history: its revisions (the older
    draft, the author) reach that tab only; a visitor's open socket and a socket reusing the
    tab's client token without the secret receive none of it."""
    staff = credenziali("valida")
    vecchia = "Versione-vecchia-della-cronologia"

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as visitatore:
            ricevuti = await visitatore.connetti()
            scheda = ClienteGrezzo(server.url)
            await scheda.connetti(segreto=staff.token)
            await _scrivi_bozza(scheda, vecchia)
            await scheda.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
            await scheda.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": SEGRETO}})
            storia = await scheda.scambia(
                f"{CRONOLOGIA}.apri_cronologia", {"tipo": "sezione", "chiave": "mission"}
            )
            assert _contiene(storia, vecchia)  # control: the history holds the older draft
            await scheda.chiudi()
            ricevuti += await visitatore.scambia(f"{CONTENUTO}.aggiorna")
            assert not _contiene(ricevuti, vecchia)
            async with ClienteGrezzo(server.url, token_client=scheda.token_client) as intruso:
                rubati = await intruso.connetti()
                rubati += await intruso.scambia(f"{CONTENUTO}.aggiorna")
                assert not _contiene(rubati, vecchia)
                assert not vista(rubati).get(CRONOLOGIA, {}).get("revisioni")

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)

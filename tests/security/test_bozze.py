"""Drafts never reach a visitor: not in any message a visitor's socket receives, not in the
served HTML, not to a socket that reuses a staff tab's client token without its secret.

Each test has its control: the staff member's own sockets do receive the draft, so the
searches for its text could find it.
"""

import json

import httpx

from serena_app.contenuto.pagina import BOZZA, PUBBLICATA
from serena_app.db import session as sessione_db
from serena_app.state.redazione import BOZZE_CAMBIATE
from tests.factories import ripristina_contenuto
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ATTESA, ClienteGrezzo, evento, riprendi_scheda, vista
from tests.support.protocollo import CONTENUTO, CRONOLOGIA, REDAZIONE, STAFF

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
            # The staff tab's own state: `riprendi_scheda` waits until the server keeps
            # the token.
            intruso, ricevuti = await riprendi_scheda(
                server.url, scheda.token_client, segreto=segreto
            )
            async with intruso:
                ricevuti += await intruso.scambia(f"{CONTENUTO}.aggiorna")
                assert not _contiene(ricevuti, SEGRETO)
                assert not _contiene(ricevuti, staff.nome_utente)

        await intrusione(None)
        intruso, _ = await riprendi_scheda(server.url, scheda.token_client, idrata=False)
        async with intruso:
            ricevuti = await intruso.scambia(f"{CONTENUTO}.aggiorna")
            ricevuti += await intruso.scambia(f"{REDAZIONE}.annulla")
            assert not _contiene(ricevuti, SEGRETO)
        ritorno, ricevuti = await riprendi_scheda(
            server.url, scheda.token_client, segreto=staff.token
        )
        async with ritorno:
            stati = vista(ricevuti)  # control
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
        # The staff tab's own state: `riprendi_scheda` waits until the server keeps the token.
        intruso, _ = await riprendi_scheda(server.url, scheda.token_client, idrata=False)
        async with (
            intruso,
            ClienteGrezzo(server.url) as altro,
            ClienteGrezzo(server.url) as controllo,
        ):
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


def _pubblicata(db) -> tuple:
    """The published page's texts: sections, values (titles and texts)."""
    stato = righe(db, ("sezione", "valore"))
    return (
        {r["chiave"]: r["testo"] for r in stato["sezione"] if r["pagina"] == PUBBLICATA.nome},
        [(r["titolo"], r["testo"]) for r in stato["valore"] if r["pagina"] == PUBBLICATA.nome],
    )


def test_a_draft_saved_after_the_list_was_shown_is_not_published_with_it(
    server, db, ciclo, credenziali, contenuto
):
    """Anna saves a value's draft and asks to publish: one change is listed. Bruno saves the
    mission meanwhile. Anna's "Pubblica ora" publishes nothing, says "Nel frattempo…" and
    lists both changes; confirmed again, exactly those two go out. Then a draft saved right
    before she asks: the list she is shown is what goes out, and what she is told."""
    anna, bruno = credenziali("valida"), credenziali("valida")
    prima = _pubblicata(db)

    async def salva(scheda: ClienteGrezzo, voce: dict, campi: dict) -> None:
        await scheda.scambia(f"{REDAZIONE}.apri", voce)
        stati = vista(await scheda.scambia(f"{REDAZIONE}.salva", {"form_data": campi}))
        assert "salvat" in stati[STAFF]["annuncio"], stati

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as a, ClienteGrezzo(server.url) as b:
            await a.connetti(segreto=anna.token)
            await b.connetti(segreto=bruno.token)
            await a.scambia(f"{REDAZIONE}.alterna_modifica")
            await b.scambia(f"{REDAZIONE}.alterna_modifica")
            valori = [r for r in righe(db)["valore"] if r["pagina"] == BOZZA.nome]
            valore = {"tipo": "valore", "chiave": valori[0]["id"]}
            await salva(a, valore, {"titolo": "Valore di Anna", "testo": valori[0]["testo"]})
            await a.scambia(f"{REDAZIONE}.chiedi_pubblicazione")
            assert a.stato[REDAZIONE]["conferma"] == "pubblica"
            assert a.stato[REDAZIONE]["elenco"] == ["Valore «Valore di Anna»: modificato"]

            mission = {"tipo": "sezione", "chiave": "mission"}
            await salva(b, mission, {"testo": "La mission di Bruno."})
            await a.scambia(f"{REDAZIONE}.pubblica")
            assert a.stato[STAFF]["avviso"] == BOZZE_CAMBIATE
            assert a.stato[STAFF]["avviso"].startswith("Nel frattempo")
            assert _pubblicata(db) == prima
            assert a.stato[REDAZIONE]["conferma"] == "pubblica"
            assert a.stato[REDAZIONE]["elenco"] == [
                "Testo della mission: modificato",
                "Valore «Valore di Anna»: modificato",
            ]
            await a.scambia(f"{REDAZIONE}.pubblica")
            assert a.stato[STAFF]["annuncio"] == "Pubblicate 2 modifiche."
            sezioni, elenco = _pubblicata(db)
            assert sezioni["mission"] == "La mission di Bruno."
            assert elenco[0][0] == "Valore di Anna"

            # Bruno saves, and Anna asks and confirms at once, before his push reaches her.
            await salva(b, mission, {"testo": "Di nuovo Bruno."})
            await a.emetti(evento(f"{REDAZIONE}.chiedi_pubblicazione"))
            await a.emetti(evento(f"{REDAZIONE}.pubblica"))
            mostrati = [
                elenco
                for messaggio in await a.barriera()
                if (elenco := vista([messaggio]).get(REDAZIONE, {}).get("elenco"))
            ]
            assert mostrati == [["Testo della mission: modificato"]]
            assert a.stato[STAFF]["annuncio"] == "Pubblicata 1 modifica."
            assert _pubblicata(db)[0]["mission"] == "Di nuovo Bruno."

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    # While the publishes' build runs, the page is the previous build's, served at once.
    assert httpx.get(f"{server.url}/", timeout=10).status_code == 200
    verifica_che_risponda(server, ciclo)

"""The presenter's view of a demo (`/demo/sala`) over the raw websocket: only the browser that
presented the terminal's one-time link may end every sandbox, the room's feed reaches only
it, and a room saving as fast as it may gives it a bounded number of messages. On a server
that is no demo the address is a missing page and its events do nothing."""

import asyncio
import time
import urllib.error
import urllib.request

import pytest
from sqlmodel import func, select

from serena_app.db import session as sessione_db
from serena_app.demo.presentatore import GIA_USATO
from serena_app.models import Sezione
from serena_app.state.sala import INTERVALLO_S
from tests.security.conftest import verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, evento, riprendi_scheda, vista
from tests.support.demo import PER_INDIRIZZO, chiave_sala, chiudi_sandbox, sandbox_aperte
from tests.support.protocollo import ACCESSO, DEMO, REDAZIONE, SALA, VAR_SEGRETO_SALA

MISSIONE = {"tipo": "sezione", "chiave": "mission"}
TESTO_DEL_TELEFONO = "Parole che solo questo telefono ha scritto"
RIGHE_DELLA_CRONACA = ("modificato la mission", "aperto una prova")


def _sandbox_vive(db_url: str) -> set[str]:
    """The sandboxes with their pages still in the database (their published pages' names)."""
    with sessione_db(db_url) as session:
        return set(
            session.exec(
                select(func.distinct(Sezione.pagina)).where(
                    Sezione.pagina.like("demo-%"), Sezione.pagina.not_like("%-bozza")
                )
            ).all()
        )


async def _telefono(url: str) -> ClienteGrezzo:
    """A phone that pressed "Prova la modalità modifica"."""
    telefono = ClienteGrezzo(url)
    await telefono.connetti()
    assert vista(await telefono.scambia(f"{DEMO}.prova", {}))[ACCESSO]["token"]
    return telefono


async def _presenta(cliente: ClienteGrezzo, chiave: str) -> dict:
    """Send the page's first event with the link's fragment; the presenter's view after it."""
    await cliente.scambia(f"{SALA}.entra", {"frammento": f"#chiave={chiave}"})
    return cliente.stato.get(SALA, {})


async def _ripristina_tutte(cliente: ClienteGrezzo) -> dict:
    await cliente.scambia(f"{SALA}.ripristina_tutte", {})
    return cliente.stato.get(SALA, {})


def test_only_the_presenter_s_link_ends_every_sandbox_and_only_once(demo, ciclo):
    chiudi_sandbox(demo.db_url)
    chiave = chiave_sala(demo)
    # Earlier tests' sandboxes, ended above, go when the server next cleans up: not counted.
    prima = _sandbox_vive(demo.db_url)

    async def scena() -> None:
        telefoni = [await _telefono(demo.url) for _ in range(2)]
        assert len(_sandbox_vive(demo.db_url) - prima) == 2

        # A visitor's socket, and a phone's, send the reset: nothing ends.
        async with ClienteGrezzo(demo.url) as visitatore:
            await visitatore.connetti()
            assert not (await _ripristina_tutte(visitatore)).get("presentatore")
        assert not (await _ripristina_tutte(telefoni[0])).get("presentatore")
        assert len(_sandbox_vive(demo.db_url) - prima) == 2

        # The presenter opens the link: it becomes the presenter, with a secret of its own.
        presentatore = ClienteGrezzo(demo.url)
        await presentatore.connetti()
        vista_sala = await _presenta(presentatore, chiave)
        assert vista_sala["presentatore"] is True
        segreto = vista_sala["segreto"]
        assert segreto and segreto != chiave
        token_scheda = presentatore.token_client

        # A second browser opens the same link: told so, no powers, nothing ends.
        async with ClienteGrezzo(demo.url) as secondo:
            await secondo.connetti()
            vista_secondo = await _presenta(secondo, chiave)
            assert vista_secondo["messaggio"] == GIA_USATO
            assert not vista_secondo.get("presentatore")
            assert not vista_secondo.get("segreto")
            assert not (await _ripristina_tutte(secondo)).get("presentatore")
        assert len(_sandbox_vive(demo.db_url) - prima) == 2

        # A socket that takes over the presenter tab's client token without its secret.
        await presentatore.chiudi()
        intruso, _ = await riprendi_scheda(demo.url, token_scheda)
        await intruso.scambia(f"{SALA}.ripristina_tutte", {})
        await intruso.scambia(f"{SALA}.entra", {"frammento": ""})
        assert not intruso.stato.get(SALA, {}).get("presentatore")
        assert len(_sandbox_vive(demo.db_url) - prima) == 2
        await intruso.chiudi()

        # The presenter's tab reloads (its secret from local storage): the power is still its.
        ritorno, _ = await riprendi_scheda(
            demo.url, token_scheda, vars_extra={VAR_SEGRETO_SALA: segreto}
        )
        await ritorno.scambia(f"{SALA}.entra", {"frammento": ""})
        assert ritorno.stato[SALA]["presentatore"] is True
        assert ritorno.stato[SALA]["telefoni"] == 2
        dopo = await _ripristina_tutte(ritorno)
        assert dopo["telefoni"] == 0
        assert _sandbox_vive(demo.db_url) == set()
        assert sandbox_aperte(demo.db_url) == 0
        await ritorno.chiudi()

        # Each phone's tab is back on the site's page: no secret, edit mode off.
        for telefono in telefoni:
            await telefono.barriera()
            assert telefono.stato[ACCESSO]["token"] == ""
            await telefono.chiudi()

    ciclo.run(scena())
    verifica_che_risponda(demo, ciclo)


def test_the_feed_reaches_only_the_presenter_and_a_flood_is_bounded(demo, ciclo):
    """The presenter, a visitor and as many phones as one address may hold; the phones save
    as fast as they can. The presenter is told what they do, without their texts, in a few
    messages a second; no phone and no visitor receives a word of it."""
    chiudi_sandbox(demo.db_url)
    chiave = chiave_sala(demo)
    arrivi: list[tuple[float, dict]] = []

    def al_presentatore(messaggio: dict, arrivo: float) -> None:
        if SALA in vista([messaggio]):
            arrivi.append((arrivo, vista([messaggio])[SALA]))

    async def scena() -> tuple[list[dict], list[dict], dict]:
        presentatore = ClienteGrezzo(demo.url, al_messaggio=al_presentatore)
        await presentatore.connetti()
        assert (await _presenta(presentatore, chiave))["presentatore"] is True
        altri: list[dict] = []
        visitatore = ClienteGrezzo(demo.url, al_messaggio=lambda m, _: altri.append(m))
        await visitatore.connetti()
        telefoni = []
        for _ in range(PER_INDIRIZZO):
            telefono = ClienteGrezzo(demo.url, al_messaggio=lambda m, _: altri.append(m))
            await telefono.connetti()
            await telefono.scambia(f"{DEMO}.prova", {})
            telefoni.append(telefono)
        arrivi.clear()
        inizio = time.perf_counter()
        for numero in range(15):
            for telefono in telefoni:
                await telefono.emetti(evento(f"{REDAZIONE}.apri", MISSIONE))
                testo = f"{TESTO_DEL_TELEFONO} {numero}"
                await telefono.emetti(evento(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}}))
        for telefono in telefoni:
            await telefono.barriera(attesa=120)
        fine = time.perf_counter()
        await asyncio.sleep(2 * INTERVALLO_S + 0.5)  # the last push
        messaggi = [m for t, m in arrivi if t >= inizio]
        per_secondo = [sum(1 for t, _ in arrivi if s <= t < s + 1) for s in (t for t, _ in arrivi)]
        print(
            f"flood of {15 * len(telefoni)} saves in {fine - inizio:.1f} s: "
            f"{len(messaggi)} messages to the presenter, at most {max(per_secondo)} in 1 s"
        )
        # One push per INTERVALLO_S at most (arrivals jitter: one more in a second).
        durata = arrivi[-1][0] - arrivi[0][0]
        assert len(arrivi) <= durata / INTERVALLO_S + 2
        assert max(per_secondo) <= int(1 / INTERVALLO_S) + 2
        for cliente in [presentatore, visitatore, *telefoni]:
            await cliente.chiudi()
        return messaggi, altri, presentatore.stato[SALA]

    messaggi, altri, finale = ciclo.run(scena())
    righe = [r for m in messaggi for r in m.get("righe", [])]
    assert "Un telefono ha modificato la mission" in righe or (
        f"{PER_INDIRIZZO} telefoni hanno modificato la mission" in righe
    )
    assert all(len(m.get("righe", [])) <= 8 for m in messaggi)
    assert not any(TESTO_DEL_TELEFONO in r for r in righe)
    assert finale["telefoni"] == PER_INDIRIZZO
    # Phones and the visitor: the presenter's view only as every page starts it (hydration),
    # never a count or a line of the feed.
    for m in altri:
        sala = vista([m]).get(SALA, {})
        assert not sala.get("righe") and not sala.get("telefoni") and not sala.get("presentatore")
    assert not any(frase in str(m) for m in altri for frase in RIGHE_DELLA_CRONACA)
    verifica_che_risponda(demo, ciclo)


def test_the_presenter_s_view_is_a_missing_page_on_a_server_that_is_no_demo(server, db, ciclo):
    """On `make run` and on `make prod` (through its front server)."""
    with pytest.raises(urllib.error.HTTPError) as risposta:
        urllib.request.urlopen(server.url + "/demo/sala")  # noqa: S310 (local test server)
    assert risposta.value.code == 404
    html = risposta.value.read().decode("utf-8")  # the missing page's (drawn by its script)
    for demo_data in ("telefoni su", "Ripristina tutte le demo", "Codice QR", "La sala"):
        assert demo_data not in html

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.scambia(f"{SALA}.entra", {"frammento": "#chiave=qualunque"})
            await cliente.scambia(f"{SALA}.ripristina_tutte", {})
            # The view as every page starts it (hydration): the events changed nothing.
            sala = cliente.stato.get(SALA, {})
            assert not sala.get("presentatore") and not sala.get("segreto")
            assert not sala.get("messaggio") and not sala.get("righe")

    ciclo.run(attacco())
    verifica_che_risponda(server, ciclo)

"""The English page's editing, attacked over raw sockets: a form carrying the other language's
fields saves nothing, a visitor's socket edits nothing on `/en/`, and the working copy's
translation markers (missing, out of date) never reach a visitor."""

import json
from typing import Any

from serena_app.contenuto.pagina import BOZZA
from serena_app.contenuto.traduzioni import DA_AGGIORNARE
from serena_app.db import session as sessione_db
from serena_app.state.redazione import ALTRA_LINGUA, STRUTTURA_IN_ITALIANO
from tests.factories import ripristina_contenuto
from tests.security.attacco import HACK, rifiutato
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import CONTENUTO, REDAZIONE, STAFF

INGLESE = "/en/"


class ClienteInglese(ClienteGrezzo):
    """A tab of the English page: every event it sends comes from `/en/` (its hydration, in
    the CONNECT packet, from `/`; the next event moves it), unless `inglese` is set to False
    (then from `/`, as the same tab back on the Italian page)."""

    inglese = True

    async def emetti(self, dati: Any) -> None:
        router = dati.get("router_data") if isinstance(dati, dict) else None
        if self.inglese and isinstance(router, dict) and isinstance(router.get("asPath"), str):
            percorso = {"pathname": INGLESE, "asPath": INGLESE + router["asPath"].lstrip("/")}
            dati = {**dati, "router_data": {**router, **percorso}}
        await super().emetti(dati)


def _contiene(messaggi: list[dict], testo: str) -> bool:
    return testo in json.dumps(messaggi, ensure_ascii=False)


def test_a_form_with_the_other_languages_fields_saves_nothing(server, db, ciclo, credenziali):
    """An Italian editor's save carrying "testo_en", an English editor's carrying "anno" (a
    milestone's year, which English editors do not have): refused in words, nothing saved;
    and "aggiungi" sent from /en/ opens no editor."""
    staff = credenziali("valida")
    prima: dict = {}

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as italiana, ClienteInglese(server.url) as inglese:
            await italiana.connetti(segreto=staff.token)
            await italiana.scambia(f"{REDAZIONE}.alterna_modifica")  # the working copy is made
            prima.update(righe(db))
            tappa = next(t["id"] for t in prima["tappa"] if t["pagina"] == BOZZA.nome)
            await italiana.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
            messaggi = await italiana.scambia(
                f"{REDAZIONE}.salva", {"form_data": {"testo": HACK, "testo_en": HACK}}
            )
            assert vista(messaggi)[STAFF]["avviso"] == ALTRA_LINGUA

            await inglese.connetti(segreto=staff.token)
            await inglese.scambia(f"{REDAZIONE}.alterna_modifica")
            aperta = vista(
                await inglese.scambia(f"{REDAZIONE}.apri", {"tipo": "tappa", "chiave": tappa})
            )[REDAZIONE]
            assert set(aperta["campi"]) == {"titolo_en", "testo_en"}  # control: English
            messaggi = await inglese.scambia(
                f"{REDAZIONE}.salva",
                {"form_data": {"anno": "1900", "titolo_en": HACK, "testo_en": HACK}},
            )
            assert vista(messaggi)[STAFF]["avviso"] == ALTRA_LINGUA
            # Items are added on the Italian page: from /en/ no editor opens.
            stati = vista(await inglese.scambia(f"{REDAZIONE}.aggiungi", {"tipo": "tappa"}))
            assert stati[STAFF]["avviso"] == STRUTTURA_IN_ITALIANO
            assert stati[REDAZIONE]["aperto"]["tipo"] == ""

    ciclo.run(prova())
    dopo = righe(db)
    assert dopo["tappa"] == prima["tappa"]
    assert dopo["sezione"] == prima["sezione"]
    assert dopo["revisione"] == prima["revisione"]
    verifica_che_risponda(server, ciclo)


def test_a_move_or_delete_sent_from_the_english_page_changes_nothing(
    server, db, ciclo, credenziali, contenuto
):
    """Milestones and values are moved and deleted on the Italian page (as they are added):
    "sposta", "chiedi_eliminazione" and "elimina" sent from /en/ are refused in words, and no
    row changes, not even when the deletion was asked on `/` and confirmed from `/en/`."""
    staff = credenziali("valida")
    prima: dict = {}

    async def prova() -> None:
        async with ClienteInglese(server.url) as inglese:
            await inglese.connetti(segreto=staff.token)
            await inglese.scambia(f"{REDAZIONE}.alterna_modifica")  # the working copy is made
            prima.update(righe(db))
            valore = next(v["id"] for v in prima["valore"] if v["pagina"] == BOZZA.nome)
            stati = vista(
                await inglese.scambia(
                    f"{REDAZIONE}.sposta", {"tipo": "valore", "chiave": valore, "di": 1}
                )
            )
            assert stati[STAFF]["avviso"] == STRUTTURA_IN_ITALIANO
            stati = vista(
                await inglese.scambia(
                    f"{REDAZIONE}.chiedi_eliminazione", {"tipo": "valore", "chiave": valore}
                )
            )
            assert stati[STAFF]["avviso"] == STRUTTURA_IN_ITALIANO
            assert stati.get(REDAZIONE, {}).get("da_eliminare", {}).get("tipo", "") == ""
            # The same tab asks on the Italian page (allowed: the confirmation opens), then
            # confirms from the English one.
            inglese.inglese = False
            chiesta = vista(
                await inglese.scambia(
                    f"{REDAZIONE}.chiedi_eliminazione", {"tipo": "valore", "chiave": valore}
                )
            )
            assert chiesta[REDAZIONE]["da_eliminare"]["tipo"] == "valore"  # control
            inglese.inglese = True
            stati = vista(await inglese.scambia(f"{REDAZIONE}.elimina"))
            assert stati[STAFF]["avviso"] == STRUTTURA_IN_ITALIANO

    try:
        ciclo.run(prova())
        dopo = righe(db)
        assert dopo["valore"] == prima["valore"]
        assert dopo["tappa"] == prima["tappa"]
        assert dopo["revisione"] == prima["revisione"]
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


def test_a_visitor_on_the_english_page_edits_nothing(server, db, ciclo):
    """No session: opening and saving an item's English from `/en/` is refused."""
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteInglese(server.url) as visitatore:
            await visitatore.connetti()
            for nome, payload in [
                ("alterna_modifica", {}),
                ("apri", {"tipo": "sezione", "chiave": "mission"}),
                ("salva", {"form_data": {"testo_en": HACK}}),
                ("riprendi", {}),
            ]:
                messaggi = await visitatore.scambia(f"{REDAZIONE}.{nome}", payload)
                assert rifiutato(messaggi), f"{nome} was not refused: {messaggi}"

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_a_visitor_never_gets_the_translation_markers(server, db, ciclo, credenziali, contenuto):
    """Staff change the Italian mission: in their working copy its English is out of date (the
    control), while a visitor's socket on `/en/` (and on `/`) gets no marker of it."""
    staff = credenziali("valida")

    async def prova() -> None:
        async with ClienteInglese(server.url) as visitatore, ClienteGrezzo(server.url) as italiano:
            ricevuti = await visitatore.connetti() + await italiano.connetti()
            async with ClienteGrezzo(server.url) as italiana:
                await italiana.connetti(segreto=staff.token)
                await italiana.scambia(f"{REDAZIONE}.alterna_modifica")
                await italiana.scambia(
                    f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"}
                )
                salvata = vista(
                    await italiana.scambia(
                        f"{REDAZIONE}.salva", {"form_data": {"testo": "Una mission nuova."}}
                    )
                )
            assert salvata[STAFF]["traduzioni"] == {"mission": DA_AGGIORNARE}  # control
            assert salvata[STAFF]["da_aggiornare"] >= 1
            ricevuti += await visitatore.barriera() + await italiano.barriera()
            ricevuti += await visitatore.scambia(f"{CONTENUTO}.aggiorna")
            async with ClienteInglese(server.url) as nuovo:
                ricevuti += await nuovo.connetti() + await nuovo.barriera()
            assert not _contiene(ricevuti, DA_AGGIORNARE)
            assert not _contiene(ricevuti, "Una mission nuova.")

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)

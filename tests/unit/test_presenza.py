"""Presence in edit mode without a server: the names shown, the entries in process memory
and on a real Redis (expiry, the heartbeat that never creates, one entry per tab), and what
one tab may see of the others (its space only, never itself or its own account)."""

import asyncio
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio

from serena_app.presenza import nomi, schede, voci
from serena_app.presenza.voci import InMemoria, Presenza, SuRedis, Vista
from serena_app.produzione.redis_proprio import Redis
from serena_app.produzione.servizi import porta_libera
from tests.support.asincrono import esegui

DURATA = 0.4  # a short life, so that expiry is seen quickly


@pytest.mark.parametrize(
    ("nome_utente", "nome", "iniziali", "breve"),
    [
        ("anna.rossi", "Anna Rossi", "AR", "Anna"),
        ("bruno", "Bruno", "B", "Bruno"),
        ("maria_luisa-de santis", "Maria Luisa De Santis", "MS", "Maria"),
        ("élodie.ñúñez", "Élodie Ñúñez", "ÉÑ", "Élodie"),
        ("e\u0301lodie", "E\u0301lodie".replace("E\u0301", "É"), "É", "Élodie"),
        ("anna\u200b.\u200brossi", "Anna Rossi", "AR", "Anna"),  # a zero-width space
        ("..", "..", "?", ".."),
        ("ß.straße", "ß Straße", "ßS", "ß"),  # "ß".upper() is two letters: kept as it is
        ("李.小龙", "李 小龙", "李小", "李"),
    ],
)
def test_names_and_initials_come_from_the_account_name(nome_utente, nome, iniziali, breve):
    assert nomi.nome_completo(nome_utente) == nome
    assert nomi.iniziali(nome_utente) == iniziali
    assert nomi.nome_breve(nome_utente) == breve


def test_a_long_account_name_gives_a_short_name():
    assert len(nomi.parti(".".join(["a"] * 60))) == nomi.MAX_PARTI
    assert len(nomi.iniziali(".".join(["a"] * 60))) == 2


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    server = Redis(Path(tmp_path_factory.mktemp("redis-presenza")), porta_libera())
    url = server.avvia()
    try:
        yield url
    finally:
        server.ferma()


@pytest.fixture(params=["memoria", "redis"])
def deposito(request) -> Iterator[object]:
    if request.param == "memoria":
        yield lambda: InMemoria(DURATA)
        return
    url = request.getfixturevalue("redis_url")
    redis.Redis.from_url(url).flushdb()
    # One client per `esegui` (each runs its own event loop).
    yield lambda: SuRedis(redis.asyncio.Redis.from_url(url), DURATA)


ANNA = Presenza("scheda-a", "pubblicata", "anna.rossi", "apri-sezione-mission", "la mission")
ANNA_2 = Presenza("scheda-a2", "pubblicata", "anna.rossi")
BRUNO = Presenza("scheda-b", "pubblicata", "bruno")
DEMO_1 = Presenza("telefono-1", "demo-abc", "demo", "apri-sezione-mission", "la mission")
DEMO_2 = Presenza("telefono-2", "demo-def", "demo")


def test_an_entry_is_written_read_and_removed(deposito):
    async def prova():
        negozio = deposito()
        await negozio.scrivi(ANNA)
        await negozio.scrivi(BRUNO)
        prima = sorted(await negozio.tutte(), key=lambda p: p.scheda)
        await negozio.togli(ANNA.spazio, ANNA.scheda)
        return prima, await negozio.tutte()

    prima, dopo = esegui(prova())
    assert prima == [ANNA, BRUNO]
    assert dopo == [BRUNO]


def test_an_entry_nobody_extends_expires(deposito):
    async def prova():
        negozio = deposito()
        await negozio.scrivi(ANNA)
        fine = time.monotonic() + 5
        while await negozio.tutte() and time.monotonic() < fine:
            await asyncio.sleep(0.05)
        return time.monotonic() - (fine - 5), await negozio.tutte()

    trascorso, rimaste = esegui(prova())
    assert rimaste == []
    assert DURATA * 0.9 <= trascorso < DURATA + 1


def test_the_heartbeat_extends_an_entry_and_never_creates_one(deposito):
    async def prova():
        negozio = deposito()
        creata = await negozio.prolunga(BRUNO.spazio, BRUNO.scheda)
        altro_spazio = await negozio.prolunga("demo-abc", ANNA.scheda)
        await negozio.scrivi(ANNA)
        vive = []
        for _ in range(6):  # three lives long, beating twice a life
            await asyncio.sleep(DURATA / 2)
            vive.append(await negozio.prolunga(ANNA.spazio, ANNA.scheda))
        return creata, altro_spazio, vive, await negozio.tutte()

    creata, altro_spazio, vive, rimaste = esegui(prova())
    assert not creata and not altro_spazio
    assert all(vive)
    assert rimaste == [ANNA]


def test_one_entry_per_tab_whatever_it_writes(deposito):
    async def prova():
        negozio = deposito()
        for i in range(300):
            await negozio.scrivi(dataclasses.replace(ANNA, voce=f"apri-tappa-{i}"))
        return await negozio.tutte()

    rimaste = esegui(prova())
    assert [p.voce for p in rimaste] == ["apri-tappa-299"]


def test_a_tab_sees_others_of_its_space_never_itself_or_its_own_account():
    tutte = [ANNA, ANNA_2, BRUNO, DEMO_1, DEMO_2]
    di_bruno = voci.vista(tutte, scheda=BRUNO.scheda, spazio="pubblicata", nome_utente="bruno")
    assert di_bruno.persone == (("AR", "Anna Rossi"),)
    assert di_bruno.aperti == (("apri-sezione-mission", "Anna sta modificando…"),)
    di_anna = voci.vista(tutte, scheda=ANNA_2.scheda, spazio="pubblicata", nome_utente="anna.rossi")
    assert di_anna.persone == (("B", "Bruno"),)
    assert di_anna.aperti == ()  # her other tab's editor is her own
    # Every demo phone is the account "demo" in its own sandbox: none sees another.
    for telefono in (DEMO_1, DEMO_2):
        vista = voci.vista(
            tutte, scheda=telefono.scheda, spazio=telefono.spazio, nome_utente="demo"
        )
        assert vista == Vista()
    da_un_altro = voci.vista(tutte, scheda="x", spazio="demo-abc", nome_utente="altro")
    assert da_un_altro.persone == (("D", "Demo"),)


def test_two_people_on_one_item():
    tutte = [ANNA, dataclasses.replace(BRUNO, voce=ANNA.voce, cosa=ANNA.cosa)]
    vista = voci.vista(tutte, scheda="c", spazio="pubblicata", nome_utente="carla")
    assert vista.aperti == (("apri-sezione-mission", "Anna e Bruno stanno modificando…"),)


def test_one_sentence_per_change_of_who_is_present():
    vuota = Vista()
    entra = voci.vista([ANNA_2], scheda="b", spazio="pubblicata", nome_utente="bruno")
    apre = voci.vista([ANNA], scheda="b", spazio="pubblicata", nome_utente="bruno")
    assert voci.annuncio(vuota, entra) == "Anna Rossi è in modifica."
    assert voci.annuncio(entra, apre) == "Anna Rossi ha aperto la mission."
    assert voci.annuncio(apre, entra) == "Anna Rossi ha chiuso la mission."
    assert voci.annuncio(apre, vuota) == "Anna Rossi ha lasciato la modifica."
    assert voci.annuncio(apre, apre) == ""


def test_items_are_named_for_the_question():
    assert voci.descrivi("sezione", "mission") == ("la mission", True)
    assert voci.descrivi("sezione", "sottotitolo") == ("il sottotitolo", False)
    assert voci.descrivi("sezione", "storia_intro") == ("l’introduzione della storia", True)
    assert voci.descrivi("tappa", "") == ("una tappa", True)
    assert voci.descrivi("valore", "") == ("un valore", False)


def test_the_process_writes_one_entry_per_tab_however_many_notes(monkeypatch):
    negozio = InMemoria()
    monkeypatch.setattr(schede, "deposito", lambda: negozio)
    monkeypatch.setattr(schede, "IN_MODIFICA", {})
    monkeypatch.setattr(schede, "_da_scrivere", {})
    for i in range(500):
        schede.segna(dataclasses.replace(ANNA, voce=f"apri-tappa-{i}"))
        schede.chiudi_voce(ANNA.scheda)
    schede.chiudi_voce(BRUNO.scheda)  # no entry: none is created
    assert len(schede._da_scrivere) == 1
    esegui(schede.scrivi_in_attesa())
    assert esegui(negozio.tutte()) == [dataclasses.replace(ANNA, voce="", cosa="")]
    schede.togli(ANNA.scheda)
    esegui(schede.scrivi_in_attesa())
    assert esegui(negozio.tutte()) == []


def test_a_tab_that_moves_to_another_space_keeps_one_entry(monkeypatch):
    negozio = InMemoria()
    monkeypatch.setattr(schede, "deposito", lambda: negozio)
    monkeypatch.setattr(schede, "IN_MODIFICA", {})
    monkeypatch.setattr(schede, "_da_scrivere", {})
    schede.segna(ANNA)
    esegui(schede.scrivi_in_attesa())
    altrove = dataclasses.replace(ANNA, spazio="demo-abc")
    schede.segna(altrove)
    esegui(schede.scrivi_in_attesa())
    assert esegui(negozio.tutte()) == [altrove]

"""Demo sandboxes: only a demo server has them; each is private, capped, reset and ended."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from serena_app import bozze, pagina
from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.sessioni import adesso, sessione_viva
from serena_app.bozze import Spazio
from serena_app.content import semina
from serena_app.demo import avvio, modalita, qr, sandbox
from serena_app.models import SessioneStaff, Sezione, Tappa, Valore, VersionePagina
from serena_app.pagina import PUBBLICATA, Pagina
from serena_app.tipi import SEZIONE, Voce

MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture
def demo(monkeypatch, tmp_path, session):
    """This process as a demo server: the database (see the `engine` fixture) in the folder
    `SERENA_DEMO` names, the site's page seeded."""
    monkeypatch.setenv("SERENA_DEMO", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    semina(session=session)
    return session


def _apri(session, client: str = "192.168.1.10") -> str:
    """Open a sandbox as the phone at `client` asks for one."""
    return sandbox.apri(session=session, client=client)


def _spazio(session, token: str) -> Spazio:
    _, sessione = sessione_viva(session=session, token=token)
    return Spazio.di(Pagina(sessione.sandbox))


def _mission(session, quale: Pagina) -> str:
    return pagina.leggi_elemento(session=session, pagina=quale, voce=MISSION).testo


def _righe(session, spazio: Spazio) -> int:
    nomi = [spazio.pubblicata.nome, spazio.bozza.nome]
    totale = 0
    for modello in (Sezione, Tappa, Valore):
        totale += session.exec(
            select(func.count()).select_from(modello).where(modello.pagina.in_(nomi))
        ).one()
    return totale


def test_only_the_demo_command_s_folder_makes_a_demo(monkeypatch, tmp_path):
    monkeypatch.delenv("SERENA_DEMO", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    assert not modalita.attiva()
    monkeypatch.setenv("SERENA_DEMO", str(tmp_path))
    assert modalita.attiva()
    # A production database elsewhere: the variable alone does not make a demo.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path.parent / 'serena.db'}")
    assert not modalita.attiva()
    monkeypatch.setenv("DATABASE_URL", "postgresql://serena@localhost/serena")
    assert not modalita.attiva()


def test_a_sandbox_is_seeded_and_its_session_edits_there(demo, contenuto):
    token = _apri(demo)
    spazio = _spazio(demo, token)
    assert spazio.pubblicata.nome.startswith("demo-")
    assert _mission(demo, spazio.pubblicata) == contenuto["sezioni"]["mission"]


def test_what_a_sandbox_publishes_stays_in_it(demo, contenuto):
    mia, altra = (_spazio(demo, _apri(demo)) for _ in range(2))
    bozze.apri(session=demo, spazio=mia)
    elemento = pagina.leggi_elemento(session=demo, pagina=mia.bozza, voce=MISSION)
    pagina.salva(
        session=demo,
        pagina=mia.bozza,
        voce=MISSION,
        campi={"testo": "Solo mia."},
        versione=elemento.versione,
        autore=sandbox.EDITOR,
    )
    bozze.pubblica(session=demo, spazio=mia)
    assert _mission(demo, mia.pubblicata) == "Solo mia."
    assert _mission(demo, altra.pubblicata) == contenuto["sezioni"]["mission"]
    assert _mission(demo, PUBBLICATA) == contenuto["sezioni"]["mission"]
    assert bozze.differenze(session=demo, spazio=bozze.SITO) == []


def test_reset_puts_the_sandbox_back_to_the_seed(demo, contenuto):
    spazio = _spazio(demo, _apri(demo))
    bozze.apri(session=demo, spazio=spazio)
    ultima = pagina.leggi_elenco(session=demo, pagina=spazio.bozza, modello=Valore)[-1]
    voce = Voce("valore", id=ultima.id)
    pagina.elimina(session=demo, pagina=spazio.bozza, voce=voce, versione=ultima.versione)
    bozze.pubblica(session=demo, spazio=spazio)
    prima = pagina.versione_pagina(session=demo, pagina=spazio.pubblicata)
    sandbox.ripristina(session=demo, spazio=spazio)
    for quale in (spazio.pubblicata, spazio.bozza):
        valori = pagina.leggi_elenco(session=demo, pagina=quale, modello=Valore)
        assert [v.titolo for v in valori] == [v["titolo"] for v in contenuto["valori"]]
    # The counter goes on rising: a browser showing the sandbox takes the reset.
    assert pagina.versione_pagina(session=demo, pagina=spazio.pubblicata) > prima


def test_past_the_cap_the_next_visitor_is_told_and_nothing_is_made(demo, monkeypatch):
    monkeypatch.setenv("SERENA_DEMO_SANDBOX_MAX", "3")
    for _ in range(3):
        _apri(demo)
    righe = demo.exec(select(func.count()).select_from(Sezione)).one()
    with pytest.raises(sandbox.DemoPiena) as piena:
        _apri(demo)
    assert str(piena.value) == "La demo è al completo: riprova tra qualche minuto."
    assert demo.exec(select(func.count()).select_from(Sezione)).one() == righe
    assert demo.exec(select(func.count()).select_from(SessioneStaff)).one() == 3


def test_one_address_cannot_take_the_room_s_places(demo, monkeypatch):
    monkeypatch.setenv("SERENA_DEMO_SANDBOX_PER_INDIRIZZO", "2")
    for _ in range(2):
        _apri(demo, "192.168.1.10")
    with pytest.raises(sandbox.DemoPiena) as troppe:
        _apri(demo, "192.168.1.10")
    assert str(troppe.value) == (
        "Da questo indirizzo sono già aperte troppe prove: riprova tra qualche minuto."
    )
    _apri(demo, "192.168.1.11")  # another phone still gets one
    assert demo.exec(select(func.count()).select_from(SessioneStaff)).one() == 3


def test_an_idle_sandbox_ends_with_its_pages_and_frees_a_place(demo, monkeypatch):
    monkeypatch.setenv("SERENA_DEMO_SANDBOX_MAX", "1")
    monkeypatch.setenv("SERENA_DEMO_INATTIVITA_S", "60")
    token = _apri(demo)
    spazio = _spazio(demo, token)
    bozze.apri(session=demo, spazio=spazio)
    assert sandbox.chiudi_scadute(session=demo, ora=adesso() + timedelta(seconds=30)) == []
    assert _righe(demo, spazio) > 0
    with pytest.raises(sandbox.DemoPiena):
        _apri(demo)

    fra_due_minuti = adesso() + timedelta(seconds=120)
    assert sandbox.chiudi_scadute(session=demo, ora=fra_due_minuti) == [spazio]
    assert _righe(demo, spazio) == 0
    assert demo.get(VersionePagina, spazio.pubblicata.nome) is None
    assert sessione_viva(session=demo, token=token) is None
    assert _mission(demo, PUBBLICATA)  # the site's page is untouched
    _apri(demo)  # the place is free again


def test_a_sandbox_session_counts_only_on_a_demo_server(demo, monkeypatch):
    token = _apri(demo)
    assert sessione_viva(session=demo, token=token) is not None
    monkeypatch.delenv("SERENA_DEMO")
    assert sessione_viva(session=demo, token=token) is None


def test_no_password_logs_in_as_the_demo_editor(demo):
    _apri(demo)
    for tentativo in ("", "!", "demo", "password"):
        with pytest.raises(AccessoNegato):
            accedi(session=demo, nome_utente=sandbox.EDITOR, password=tentativo, client="1.2.3.4")


def test_the_terminal_shows_every_address_and_a_qr_code_of_the_network_one():
    testo = avvio.presentazione(3000, ["192.168.1.20", "10.0.0.5"])
    assert "http://localhost:3000/" in testo
    assert "http://192.168.1.20:3000/" in testo
    assert "http://10.0.0.5:3000/" in testo
    assert qr.per_terminale("http://192.168.1.20:3000/") in testo
    assert "Nessuna rete" in avvio.presentazione(3000, [])


def test_the_demo_server_s_settings_let_phones_in_and_name_the_address(tmp_path):
    env = avvio.ambiente(tmp_path, 3000, ["192.168.1.20"])
    assert env["SERENA_DEMO"] == str(tmp_path)
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'demo.db'}"
    assert "http://192.168.1.20:3000" in env["SERENA_ALLOWED_ORIGINS"].split(",")
    assert env["SERENA_DEMO_INDIRIZZO"] == "http://192.168.1.20:3000/"

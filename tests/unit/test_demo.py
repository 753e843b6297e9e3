"""Demo sandboxes: only a demo server has them; each is private, capped, reset and ended."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from serena_app.auth import sessioni
from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import adesso, sessione_viva
from serena_app.contenuto import bozze, istantanea, pagina, seme
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO, Pagina, Spazio
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE, Voce
from serena_app.demo import capienza, comando, modalita, qr, sandbox
from serena_app.demo.modalita import EDITOR
from serena_app.lingue import INGLESE
from serena_app.models import (
    MODELLI,
    Revisione,
    SessioneStaff,
    Sezione,
    Staff,
    Tappa,
    Valore,
    VersionePagina,
)
from tests.factories import salva_mission
from tests.support.demo import occupa

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


def _fotografia(session, spazio: Spazio) -> tuple:
    """Everything a refused write must leave as it was: the sandbox's size, its pages' text
    and counters, and its session's idle deadline."""
    session.expire_all()
    ultimo_uso = session.exec(
        select(SessioneStaff.ultimo_uso).where(SessioneStaff.sandbox == spazio.pubblicata.nome)
    ).one()
    return (
        occupa(session, spazio),
        pagina.contenuto_di(session=session, pagina=spazio.bozza),
        pagina.contenuto_di(session=session, pagina=spazio.pubblicata),
        pagina.versione_pagina(session=session, pagina=spazio.bozza),
        pagina.versione_pagina(session=session, pagina=spazio.pubblicata),
        ultimo_uso,
    )


def test_the_demo_s_write_limits_have_defaults_and_come_from_the_environment(monkeypatch):
    for nome in ("REVISIONI_MAX", "BYTE_MAX", "SCRITTURE_MAX"):
        monkeypatch.delenv(f"SERENA_DEMO_{nome}", raising=False)
    assert (modalita.revisioni_max(), modalita.byte_max(), modalita.scritture_max()) == (
        500,
        2 * 1024 * 1024,
        20,
    )
    monkeypatch.setenv("SERENA_DEMO_REVISIONI_MAX", "40")
    monkeypatch.setenv("SERENA_DEMO_BYTE_MAX", "100000")
    monkeypatch.setenv("SERENA_DEMO_SCRITTURE_MAX", "5")
    assert (modalita.revisioni_max(), modalita.byte_max(), modalita.scritture_max()) == (
        40,
        100_000,
        5,
    )


def test_past_its_revision_cap_a_sandbox_refuses_every_write_and_changes_nothing(demo, monkeypatch):
    monkeypatch.setenv("SERENA_DEMO_REVISIONI_MAX", "30")
    spazio = _spazio(demo, _apri(demo))
    altra = _spazio(demo, _apri(demo, "192.168.1.11"))
    iniziali, _ = occupa(demo, spazio)  # the seed: one revision per item
    salvate = 0
    with pytest.raises(capienza.LimiteRaggiunto) as piena:
        for numero in range(100):
            salva_mission(demo, f"Prova numero {numero}.", modalita.EDITOR, spazio)
            salvate += 1
    assert str(piena.value).startswith("Questa prova ha raggiunto il limite di modifiche: ")
    assert occupa(demo, spazio)[0] == 30
    assert salvate == 30 - iniziali
    prima = _fotografia(demo, spazio)
    with pytest.raises(capienza.LimiteRaggiunto):
        salva_mission(demo, "Ancora una.", modalita.EDITOR, spazio)
    with pytest.raises(capienza.LimiteRaggiunto):  # a publish is a write like any other
        bozze.pubblica(session=demo, spazio=spazio, autore=modalita.EDITOR)
    assert _fotografia(demo, spazio) == prima
    assert _mission(demo, spazio.bozza) == f"Prova numero {salvate - 1}."
    # Another sandbox, and the site, write as before.
    salva_mission(demo, "La mia prova.", modalita.EDITOR, altra)
    assert _mission(demo, altra.bozza) == "La mia prova."
    salva_mission(demo, "Il sito.", modalita.EDITOR, SITO)
    assert _mission(demo, BOZZA) == "Il sito."


def test_past_its_size_cap_a_sandbox_refuses_the_write_and_changes_nothing(demo, monkeypatch):
    spazio = _spazio(demo, _apri(demo))
    _, iniziali = occupa(demo, spazio)
    monkeypatch.setenv("SERENA_DEMO_BYTE_MAX", str(iniziali + 30_000))
    lungo = "è" * 3000  # 6000 bytes: each save keeps the text before and after
    salvate = 0
    with pytest.raises(capienza.LimiteRaggiunto) as piena:
        for numero in range(20):
            salva_mission(demo, f"{numero} {lungo}", modalita.EDITOR, spazio)
            salvate += 1
    assert str(piena.value) == capienza.PIENA
    assert 0 < salvate < 20
    assert occupa(demo, spazio)[1] <= iniziali + 30_000
    # The app counts the bytes as Python does, on SQLite and PostgreSQL alike.
    pagine = (spazio.pubblicata.nome, spazio.bozza.nome)
    assert capienza.occupati(session=demo, pagine=pagine) == occupa(demo, spazio)
    prima = _fotografia(demo, spazio)
    with pytest.raises(capienza.LimiteRaggiunto):
        salva_mission(demo, f"di nuovo {lungo}", modalita.EDITOR, spazio)
    assert _fotografia(demo, spazio) == prima


def test_a_sandbox_written_too_fast_is_refused_until_the_window_passes(demo, monkeypatch):
    monkeypatch.setenv("SERENA_DEMO_SCRITTURE_MAX", "3")
    spazio = _spazio(demo, _apri(demo))
    altra = _spazio(demo, _apri(demo, "192.168.1.11"))
    for numero in range(3):
        salva_mission(demo, f"Veloce {numero}.", modalita.EDITOR, spazio)
    prima = _fotografia(demo, spazio)
    with pytest.raises(capienza.LimiteRaggiunto) as troppe:
        salva_mission(demo, "Troppo veloce.", modalita.EDITOR, spazio)
    assert str(troppe.value) == (
        "Troppe modifiche in pochi secondi: l’ultima non è stata salvata. "
        "Riprova tra qualche secondo."
    )
    assert _fotografia(demo, spazio) == prima
    salva_mission(demo, "Con calma.", modalita.EDITOR, altra)  # the pace is each sandbox's own

    # The same write ten seconds on is let through (the window holds no change of it).
    def scrittura(ora):
        return Revisione(
            spazio=spazio.pubblicata.nome,
            tipo=SEZIONE.nome,
            chiave="mission",
            azione="salvata",
            autore=modalita.EDITOR,
            quando=ora,
            dopo='{"testo": "Dopo."}',
        )

    with pytest.raises(capienza.LimiteRaggiunto):
        capienza.ammetti(demo, scrittura(adesso()), bozza=spazio.bozza.nome)
    dopo_la_finestra = adesso() + modalita.FINESTRA_SCRITTURE
    capienza.ammetti(demo, scrittura(dopo_la_finestra), bozza=spazio.bozza.nome)
    demo.rollback()


def _tutte_insieme(engine, spazio: Spazio, quante: int) -> list[str]:
    """Saves of `quante` milestones and values of the sandbox, each in a thread and a session
    of its own, released at the same instant; each one's outcome ("salvata" or the refusal's
    message)."""
    with Session(engine) as session:
        bozze.apri(session=session, spazio=spazio)
        elementi = [
            (tipo, elemento)
            for tipo in (TAPPA, VALORE)
            for elemento in pagina.leggi_elenco(
                session=session, pagina=spazio.bozza, modello=MODELLI[tipo.nome]
            )
        ][:quante]
    assert len(elementi) == quante
    via = threading.Barrier(quante)

    def salva(tipo_ed_elemento) -> str:
        tipo, elemento = tipo_ed_elemento
        with Session(engine) as session:
            via.wait(30)
            try:
                pagina.salva(
                    session=session,
                    pagina=spazio.bozza,
                    voce=Voce(tipo.nome, id=elemento.id),
                    campi={"testo": f"{elemento.testo} (cambiato)"},
                    versione=elemento.versione,
                    autore=modalita.EDITOR,
                )
            except capienza.LimiteRaggiunto as rifiuto:
                return str(rifiuto)
            return "salvata"

    with ThreadPoolExecutor(quante) as esecutore:
        return list(esecutore.map(salva, elementi, timeout=60))


def test_saves_sent_at_once_cannot_overshoot_the_caps(demo, engine, monkeypatch):
    """Each write counts what its sandbox holds after taking the write lock, in its own
    transaction: ten saves at the same instant take exactly the room left."""
    spazio = _spazio(demo, _apri(demo))
    iniziali, _ = occupa(demo, spazio)
    monkeypatch.setenv("SERENA_DEMO_REVISIONI_MAX", str(iniziali + 3))
    esiti = _tutte_insieme(engine, spazio, 10)
    assert Counter(esiti) == {"salvata": 3, capienza.PIENA: 7}
    assert occupa(demo, spazio)[0] == iniziali + 3

    monkeypatch.delenv("SERENA_DEMO_REVISIONI_MAX")
    monkeypatch.setenv("SERENA_DEMO_SCRITTURE_MAX", "4")
    altra = _spazio(demo, _apri(demo, "192.168.1.11"))
    esiti = _tutte_insieme(engine, altra, 10)
    assert Counter(esiti) == {"salvata": 4, capienza.TROPPO_RAPIDE: 6}
    assert occupa(demo, altra)[0] == iniziali + 4


def test_ripristina_demo_gives_a_full_sandbox_its_room_back(demo, monkeypatch, contenuto):
    monkeypatch.setenv("SERENA_DEMO_REVISIONI_MAX", "30")
    spazio = _spazio(demo, _apri(demo))
    with pytest.raises(capienza.LimiteRaggiunto):
        for numero in range(100):
            salva_mission(demo, f"Prova numero {numero}.", modalita.EDITOR, spazio)
    sandbox.ripristina(session=demo, spazio=spazio)
    assert occupa(demo, spazio)[0] < 30
    assert _mission(demo, spazio.bozza) == contenuto["sezioni"]["mission"]
    salva_mission(demo, "Si ricomincia.", modalita.EDITOR, spazio)
    assert _mission(demo, spazio.bozza) == "Si ricomincia."


def test_only_writes_keep_a_sandbox_alive(demo):
    """Every event checks its session; only a change moves a sandbox's idle deadline."""
    aperte = adesso() - timedelta(minutes=50)
    guardata = sandbox.apri(session=demo, client="192.168.1.10", ora=aperte)
    scritta = sandbox.apri(session=demo, client="192.168.1.11", ora=aperte)
    spazio_guardata = _spazio(demo, guardata)
    assert sessione_viva(session=demo, token=guardata, ora=adesso()) is not None
    salva_mission(demo, "Ancora qui.", modalita.EDITOR, _spazio(demo, scritta))

    fra_un_quarto_d_ora = adesso() + timedelta(minutes=15)
    assert sandbox.chiudi_scadute(session=demo, ora=fra_un_quarto_d_ora) == [spazio_guardata]
    assert sessione_viva(session=demo, token=scritta) is not None


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
        autore=modalita.EDITOR,
    )
    bozze.pubblica(session=demo, spazio=mia)
    assert _mission(demo, mia.pubblicata) == "Solo mia."
    assert _mission(demo, altra.pubblicata) == contenuto["sezioni"]["mission"]
    assert _mission(demo, PUBBLICATA) == contenuto["sezioni"]["mission"]
    assert bozze.differenze(session=demo, spazio=SITO) == []


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
            accedi(session=demo, nome_utente=modalita.EDITOR, password=tentativo, client="1.2.3.4")


def test_the_terminal_shows_every_address_and_a_qr_code_of_the_network_one():
    testo = comando.presentazione(3000, ["192.168.1.20", "10.0.0.5"])
    assert "http://localhost:3000/" in testo
    assert "http://192.168.1.20:3000/" in testo
    assert "http://10.0.0.5:3000/" in testo
    assert qr.per_terminale("http://192.168.1.20:3000/") in testo
    assert "Nessuna rete" in comando.presentazione(3000, [])


def test_the_demo_server_s_settings_let_phones_in_and_name_the_address(tmp_path):
    env = comando.ambiente(tmp_path, 3000, ["192.168.1.20"])
    assert env["SERENA_DEMO"] == str(tmp_path)
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'demo.db'}"
    assert "http://192.168.1.20:3000" in env["SERENA_ALLOWED_ORIGINS"].split(",")
    assert env["SERENA_DEMO_INDIRIZZO"] == "http://192.168.1.20:3000/"


def test_a_sandbox_s_editor_is_a_responsabile_of_that_sandbox_only(demo):
    """The demo editor's account is a redattore: only its sandbox session makes it a
    responsabile, and that session edits its sandbox and nothing else."""
    token = _apri(demo)
    permesso = sessioni.permesso(session=demo, segreto=token)
    assert permesso is not None
    assert permesso.ruolo == RESPONSABILE
    assert Spazio.della_sessione(permesso.sandbox) == _spazio(demo, token) != SITO
    editor = demo.exec(select(Staff).where(Staff.nome_utente == EDITOR)).one()
    assert editor.ruolo == REDATTORE


def test_a_sandbox_has_both_languages_and_a_reset_brings_the_english_back(demo, contenuto):
    spazio = _spazio(demo, _apri(demo))
    bozze.apri(session=demo, spazio=spazio)
    sezioni_en = seme.testi_delle_sezioni(contenuto, "_en")
    for quale in (spazio.pubblicata, spazio.bozza):
        vista = istantanea.leggi_istantanea(session=demo, pagina=quale)
        assert vista.sezioni_en["mission"] == istantanea.paragrafi(sezioni_en["mission"])
        assert set(vista.lingue_en.values()) == {INGLESE}
        assert [(t.titolo, t.lingua) for t in vista.tappe_en] == [
            (t["titolo_en"], INGLESE) for t in contenuto["tappe"]
        ]
        assert [(v.titolo, v.lingua) for v in vista.valori_en] == [
            (v["titolo_en"], INGLESE) for v in contenuto["valori"]
        ]
        assert vista.traduzioni == {}  # every translation current: nothing to bring up to date
    elemento = pagina.leggi_elemento(session=demo, pagina=spazio.bozza, voce=MISSION)
    pagina.salva(
        session=demo,
        pagina=spazio.bozza,
        voce=MISSION,
        campi={"testo_en": "A visitor's English."},
        versione=elemento.versione,
        autore=modalita.EDITOR,
    )
    bozze.pubblica(session=demo, spazio=spazio)
    assert _mission_en(demo, PUBBLICATA) == sezioni_en["mission"]  # the site's stays

    sandbox.ripristina(session=demo, spazio=spazio)
    for quale in (spazio.pubblicata, spazio.bozza):
        assert _mission_en(demo, quale) == sezioni_en["mission"]


def _mission_en(session, quale: Pagina) -> str | None:
    session.expire_all()
    return pagina.leggi_elemento(session=session, pagina=quale, voce=MISSION).testo_en

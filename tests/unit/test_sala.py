"""The presenter's view of a demo, without a server: the feed's facts as the database commits
them, its wording and coalescing, and the presenter's one-time key."""

import pytest

from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import SITO
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.demo import capienza, comando, cronaca, modalita, presentatore, sandbox
from serena_app.demo.cronaca import APERTA, RIAPERTA, Fatto, riassumi
from tests.factories import salva_mission
from tests.unit.test_demo import _spazio

MISSION = Voce(SEZIONE.nome, "mission")
TESTO = "Un testo che solo questo telefono ha scritto"


@pytest.fixture
def demo(monkeypatch, tmp_path, session):
    """This process as a demo server, its sessions heard by the feed, which starts empty."""
    monkeypatch.setenv("SERENA_DEMO", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    semina(session=session)
    cronaca.CRONACA.preleva()
    cronaca.installa()
    yield session
    cronaca.disinstalla()
    cronaca.CRONACA.preleva()


def test_each_committed_sandbox_change_becomes_a_fact_without_its_text(demo):
    spazio = _spazio(demo, sandbox.apri(session=demo, client="192.168.1.10"))
    nome = spazio.pubblicata.nome
    assert cronaca.CRONACA.preleva() == [Fatto(nome, APERTA)]

    salva_mission(demo, TESTO, modalita.EDITOR, spazio)
    fatti = cronaca.CRONACA.preleva()
    assert Fatto(nome, "salvata", "mission") in fatti
    assert TESTO not in repr(fatti)
    assert riassumi(fatti)[-1] == "Un telefono ha modificato la mission"

    bozze.pubblica(session=demo, spazio=spazio, autore=modalita.EDITOR)
    assert riassumi(cronaca.CRONACA.preleva()) == ["Un telefono ha pubblicato"]

    sandbox.ripristina(session=demo, spazio=spazio)
    assert riassumi(cronaca.CRONACA.preleva()) == ["Un telefono ha ripristinato la sua prova"]


def test_a_refused_write_and_the_site_s_own_writes_give_no_fact(demo, monkeypatch):
    spazio = _spazio(demo, sandbox.apri(session=demo, client="192.168.1.10"))
    cronaca.CRONACA.preleva()
    monkeypatch.setattr(modalita, "scritture_max", lambda: 0)
    with pytest.raises(capienza.LimiteRaggiunto):
        salva_mission(demo, TESTO, modalita.EDITOR, spazio)
    demo.rollback()
    salva_mission(demo, "Un testo del sito", modalita.EDITOR, SITO)
    assert cronaca.CRONACA.preleva() == []


def test_the_feed_counts_phones_not_saves_and_says_a_few_lines_at_most():
    fatti = [Fatto(f"demo-{n}", "salvata", "valore") for n in range(3)]
    fatti += [Fatto("demo-0", "salvata", "valore")]  # the same phone again
    assert riassumi(fatti) == ["3 telefoni hanno modificato un valore"]
    assert riassumi([Fatto("demo-1", "salvata", "tappa")]) == [
        "Un telefono ha modificato una tappa"
    ]
    assert riassumi([Fatto("demo-1", APERTA), Fatto("demo-2", APERTA)]) == [
        "2 telefoni hanno aperto una prova"
    ]
    assert riassumi([Fatto("demo-1", RIAPERTA)]) == ["Un telefono ha ripristinato la sua prova"]
    # A room going fast: many kinds of change at once make at most RIGHE_PER_VOLTA lines.
    molti = [
        Fatto(f"demo-{n}", azione, oggetto)
        for n in range(50)
        for azione, oggetto in (("salvata", "valore"), ("aggiunta", "tappa"), ("pubblicata", ""))
    ]
    righe = riassumi(molti)
    assert len(righe) == cronaca.RIGHE_PER_VOLTA
    assert righe == [
        "50 telefoni hanno modificato un valore",
        "50 telefoni hanno fatto altre modifiche",
    ]


def test_the_feed_keeps_the_newest_lines_first():
    righe: list[str] = []
    for n in range(20):
        righe = cronaca.con_le_nuove(righe, [f"riga {n}"])
    assert righe == [f"riga {n}" for n in range(19, 19 - cronaca.RIGHE_MOSTRATE, -1)]


def test_the_presenter_key_works_once_and_the_server_holds_only_its_hash():
    chiave, impronta = presentatore.nuova_chiave()
    assert len(chiave) >= 43  # 256 bits in URL-safe base64
    assert chiave not in impronta
    assert impronta == presentatore.impronta(chiave)
    registro = presentatore.Presentatore(impronta)
    assert registro.presenta(chiave[:-1] + ("A" if chiave[-1] != "A" else "B")) is None
    segreto = registro.presenta(chiave)
    assert segreto and segreto != chiave
    assert registro.riconosce(segreto)
    assert registro.presenta(chiave) is None  # spent
    assert not registro.riconosce(chiave)
    assert not registro.riconosce("")
    assert presentatore.Presentatore("").presenta(chiave) is None  # no key given: none works


def test_the_key_travels_in_the_address_fragment():
    chiave, _ = presentatore.nuova_chiave()
    link = presentatore.link(3000, chiave)
    assert link == f"http://localhost:3000/demo/sala#chiave={chiave}"
    assert presentatore.chiave_del_frammento(link[link.index("#") :]) == chiave
    assert presentatore.chiave_del_frammento("") == ""
    assert presentatore.chiave_del_frammento("#altro=1") == ""


def test_the_terminal_prints_the_presenter_link_and_gives_the_server_only_the_hash(
    tmp_path, monkeypatch
):
    chiave, _ = presentatore.nuova_chiave()
    testo = comando.presentazione(3000, ["192.168.1.20"], chiave)
    assert presentatore.link(3000, chiave) in testo
    visti: dict[str, dict] = {}

    def finto_run(argomenti, env, check=False):
        visti["env"] = env

        class Esito:
            returncode = 0

        return Esito()

    monkeypatch.setattr(comando.subprocess, "run", finto_run)
    monkeypatch.setattr(comando.tempfile, "mkdtemp", lambda prefix: str(tmp_path / "d"))
    comando.avvia(3999)
    ambiente = visti["env"]
    impronta = ambiente[presentatore.VARIABILE]
    assert len(impronta) == 64
    assert not any(chiave in v for v in ambiente.values() if v != impronta)

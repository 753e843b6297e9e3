"""A demo sandbox's session is a responsabile of its sandbox only: every handler a responsabile
may run, sent from a sandbox's session on the real state classes, leaves the site's rows as
they were (every table) and shows the sandbox nothing of the site (its staff, their drafts,
requests and scheduled publishes). `DemoState.ripristina` is left out: it resets the
sandbox itself, which is its purpose (`tests/unit/test_demo.py`)."""

from datetime import timedelta

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel

import serena_app.models  # noqa: F401  (every table, for the "nothing changed" check)
from serena_app.auth import due_passaggi, inviti, sessioni
from serena_app.auth.personale import disabilita_staff
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import adesso
from serena_app.contenuto.pagina import SITO
from serena_app.demo import sandbox
from serena_app.models import Programmata
from serena_app.pubblicazione import programmate, richieste
from serena_app.state import persone
from serena_app.state.accesso import AccessoState
from serena_app.state.persone import PersoneState
from serena_app.state.programmate import SOLO_SITO, ProgrammateState
from serena_app.state.staff import StaffState
from tests.factories import db_seminato, salva_mission, staff_con_sessione
from tests.security.conftest import righe
from tests.security.test_ruoli import argomenti
from tests.state.test_inventario import SOLO_RESPONSABILI, stato_del_gestore
from tests.support.asincrono import esegui

RESPONSABILE_DEL_SITO = "ottavia"
REDATTRICE_DEL_SITO = "carla"
INVITATA = "ginevra"
DISATTIVATA = "dora"
BOZZA_DEL_SITO = "Bozza riservata del sito, non ancora pubblicata"
MESSAGGIO_DEL_SITO = "Richiesta riservata del sito"
DEL_SITO = (
    RESPONSABILE_DEL_SITO,
    REDATTRICE_DEL_SITO,
    INVITATA,
    DISATTIVATA,
    BOZZA_DEL_SITO,
    MESSAGGIO_DEL_SITO,
)
"""What only the site's staff may see: none of it may reach a sandbox's tab."""
pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
"""A demo server's database is SQLite only (`demo/modalita.py`)."""
GESTORI = sorted(set(SOLO_RESPONSABILI) - {"DemoState.ripristina"})
ANCHE = {
    "AccountState.richiedi_a_tutti": {"richiesta": False},
    "PersoneState.cambia_ruolo": {"nome": REDATTRICE_DEL_SITO, "ruolo": RESPONSABILE},
    "PersoneState.riattiva": {"nome": DISATTIVATA},
}
"""The other payload that would change the site as it is set up here (the security test's
payload, `argomenti`, is sent too)."""
CASI = [(g, None) for g in GESTORI] + sorted(ANCHE.items())


@pytest.fixture
def demo(monkeypatch, tmp_path, engine, session, contenuto) -> Session:
    """This process as a demo server (SQLite only, as a demo is), with a site that has staff,
    a draft, an open publication request, a scheduled publish and a pending invitation."""
    monkeypatch.setenv("SERENA_DEMO", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    db_seminato(session, contenuto)
    staff_con_sessione(session, RESPONSABILE_DEL_SITO)
    staff_con_sessione(session, REDATTRICE_DEL_SITO, ruolo=REDATTORE)
    salva_mission(session, BOZZA_DEL_SITO, autore=REDATTRICE_DEL_SITO)
    richieste.chiedi(
        session=session, spazio=SITO, autore=REDATTRICE_DEL_SITO, messaggio=MESSAGGIO_DEL_SITO
    )
    ora = adesso()
    programmate.programma(
        session=session, quando=ora + timedelta(days=3), autore=RESPONSABILE_DEL_SITO, adesso=ora
    )
    inviti.invita(
        session=session, nome_utente=INVITATA, ruolo=RESPONSABILE, autore=RESPONSABILE_DEL_SITO
    )
    staff_con_sessione(session, DISATTIVATA, ruolo=REDATTORE)
    disabilita_staff(session=session, nome_utente=DISATTIVATA, autore=RESPONSABILE_DEL_SITO)
    due_passaggi.imposta_obbligo(
        session=session, richiesta=True, nome_utente=RESPONSABILE_DEL_SITO
    )  # "richiedi_a_tutti" with False would turn it off
    session.commit()
    return session


def _del_sito(engine, sandbox_nome: str) -> dict[str, list[dict]]:
    """Every row of every table except the sandbox's own (its pages, session, revisions)."""
    tabelle = tuple(sorted(t for t in SQLModel.metadata.tables if inspect(engine).has_table(t)))
    return {
        tabella: [
            riga
            for riga in tutte
            if not any(isinstance(v, str) and v.startswith(sandbox_nome) for v in riga.values())
        ]
        for tabella, tutte in righe(engine, tabelle).items()
    }


def _scheda(token: str) -> State:
    """The states of one tab whose socket presented `token`, in edit mode."""
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-1"})
    radice.get_substate(AccessoState.get_full_name().split(".")).token = token
    radice.get_substate(StaffState.get_full_name().split(".")).modifica_attiva = True
    return radice


@pytest.mark.parametrize(
    ("gestore", "payload"), CASI, ids=[g + ("-anche" if p else "") for g, p in CASI]
)
def test_a_sandbox_s_session_acts_on_nothing_of_the_site_and_sees_none_of_it(
    demo, engine, gestore, payload
):
    token = sandbox.apri(session=demo, client="192.168.1.10")
    sandbox_nome = sessioni.permesso(session=demo, segreto=token).sandbox
    revisione = 1
    nome_stato, nome = stato_del_gestore(gestore), gestore.split(".")[1]  # imports every state
    prima = _del_sito(engine, sandbox_nome)
    radice = _scheda(token)  # in edit mode, so that a handler that needs it runs its body
    stato = radice.get_substate(nome_stato.split("."))
    payload = payload or argomenti(revisione, RESPONSABILE_DEL_SITO)[gestore]
    esegui(type(stato).event_handlers[nome].fn(stato, **payload))
    assert _del_sito(engine, sandbox_nome) == prima
    mostrato = repr(radice.dict())
    assert [testo for testo in DEL_SITO if testo in mostrato] == []


PROGRAMMATE = {
    "carica_programmate": (),
    "annulla_programmata": (1,),
    "apri_programmazione": (),
    "programma": ({"data": "2099-01-01", "ora": "10:00"},),
}


@pytest.mark.parametrize("nome", sorted(PROGRAMMATE))
def test_a_sandbox_is_told_the_scheduled_publishes_are_the_site_s(demo, nome):
    """The list, the dialog, "Programma" and "Annulla" answer a sandbox in words, with the
    dialog and the list closed; the site's publish still waits, and no other is made."""
    token = sandbox.apri(session=demo, client="192.168.1.10")
    stato = _scheda(token).get_substate(ProgrammateState.get_full_name().split("."))
    stato.dialogo = True  # as if it were open: it closes
    esegui(ProgrammateState.event_handlers[nome].fn(stato, *PROGRAMMATE[nome]))
    assert (stato.avviso, stato.voci, stato.annuncio, stato.dialogo) == (SOLO_SITO, [], "", False)
    demo.expire_all()
    assert demo.get(Programmata, 1).stato == "attesa"
    assert demo.get(Programmata, 2) is None


PERSONE = {
    "apri_persone": (),
    "invita": ({"nome": "intrusa", "ruolo": RESPONSABILE},),
    "chiedi": (REDATTRICE_DEL_SITO, "disattiva"),
    "disattiva": (REDATTRICE_DEL_SITO,),
    "riattiva": (DISATTIVATA,),
    "cambia_ruolo": (REDATTRICE_DEL_SITO, RESPONSABILE),
    "reimposta": (REDATTRICE_DEL_SITO,),
}


@pytest.mark.parametrize("nome", sorted(PERSONE))
def test_a_sandbox_is_told_it_manages_nobody(demo, nome):
    """Every action of "Persone" answers a sandbox in the panel's own words, and opens,
    asks and links nothing."""
    token = sandbox.apri(session=demo, client="192.168.1.10")
    stato = _scheda(token).get_substate(PersoneState.get_full_name().split("."))
    esegui(PersoneState.event_handlers[nome].fn(stato, *PERSONE[nome]))
    assert stato.avviso == persone.SOLO_SITO
    assert (stato.aperto, stato.persone, stato.conferma, stato.link) == (False, [], "", "")

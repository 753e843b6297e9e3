"""`StaffState.puo_annullare`, the server's word on whether "Annulla ultima modifica" has a
change of hers to undo (what the button's disabled state binds to), on the real state classes:
true after a save, false once it is published; an undo sent anyway is refused in words and
changes neither page."""

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session

from serena_app.contenuto import bozze
from serena_app.contenuto.cronologia import GIA_PUBBLICATA
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, SITO, leggi_elemento
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.state.accesso import AccessoState
from serena_app.state.cronologia import CronologiaState
from serena_app.state.redazione import RedazioneState
from tests.factories import db_seminato, staff_con_sessione
from tests.support.asincrono import esegui

MISSION = Voce(SEZIONE.nome, chiave="mission")


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Session:
    """The app's database for these states: a fresh seeded database."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    return db_seminato(session, contenuto)


def _scheda(segreto: str) -> tuple[RedazioneState, CronologiaState]:
    """The editors and the history of one tab whose socket presented `segreto`."""
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-1"})
    radice.get_substate(AccessoState.get_full_name().split(".")).token = segreto
    redazione = radice.get_substate(RedazioneState.get_full_name().split("."))
    cronologia = radice.get_substate(CronologiaState.get_full_name().split("."))
    return redazione, cronologia


def _mission(db: Session, pagina) -> str:
    db.expire_all()
    return leggi_elemento(session=db, pagina=pagina, voce=MISSION).testo


def test_puo_annullare_is_true_after_a_save_and_false_once_it_is_published(db):
    redazione, cronologia = _scheda(staff_con_sessione(db))
    esegui(RedazioneState.event_handlers["alterna_modifica"].fn(redazione))
    assert redazione.puo_annullare is False  # nothing of hers yet
    esegui(RedazioneState.event_handlers["apri"].fn(redazione, "sezione", "mission"))
    esegui(RedazioneState.event_handlers["salva"].fn(redazione, {"testo": "Pubblicata."}))
    assert redazione.puo_annullare is True

    bozze.pubblica(session=db, spazio=SITO, autore="bruno")  # from another tab, or a command
    esegui(RedazioneState.event_handlers["apri"].fn(redazione, "sezione", "mission"))
    assert redazione.puo_annullare is False
    esegui(CronologiaState.event_handlers["annulla_ultima"].fn(cronologia))
    assert cronologia.avviso == GIA_PUBBLICATA
    assert _mission(db, BOZZA) == _mission(db, PUBBLICATA) == "Pubblicata."

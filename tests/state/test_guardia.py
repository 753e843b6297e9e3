"""The guard on the real state classes, instantiated directly (no server, no browser): without
a live staff session a handler's body never runs, and neither the published page nor the
working copy (the page "bozza" the handlers write) changes; with one, it does run, and writes
the working copy only."""

import importlib
import pkgutil

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base import constants
from sqlmodel import Session, col, delete, select

import serena_app.state
from serena_app.auth.ruoli import REDATTORE, SOLO_RESPONSABILE
from serena_app.auth.sessioni import revoca_sessione
from serena_app.contenuto.bozze import apri, da_pubblicare
from serena_app.contenuto.cronologia import GIA_PUBBLICATA
from serena_app.contenuto.pagina import (
    BOZZA,
    PUBBLICATA,
    SITO,
    Pagina,
    leggi_elemento,
    leggi_elenco,
    leggi_sezioni,
)
from serena_app.contenuto.tipi import NESSUNA, SEZIONE, Voce
from serena_app.models import Sezione, Tappa, Valore, VersionePagina
from serena_app.pubblicazione import pubblica as pubblica_modulo
from serena_app.state import redazione as redazione_modulo
from serena_app.state.accesso import AccessoState
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import SESSIONE_SCADUTA
from tests.factories import db_seminato, salva_mission, staff_con_sessione
from tests.support.asincrono import esegui
from tests.support.salti import (
    conta_salti_e_sessioni,
    moduli_attraversati,
    moduli_fino_alla_scrittura,
)

MISSION = Voce(SEZIONE.nome, chiave="mission")
TAPPA_IN_BOZZA = "<una tappa della bozza>"  # stand for ids known once the working copy is made
VALORE_IN_BOZZA = "<il secondo valore della bozza>"
CHIAMATE = [
    ("alterna_modifica", ()),
    ("apri", ("sezione", "mission")),
    ("aggiungi", ("tappa",)),
    ("salva", ({"testo": "scritto senza sessione"},)),
    ("sposta", ("valore", VALORE_IN_BOZZA, -1)),
    ("chiedi_eliminazione", ("tappa", TAPPA_IN_BOZZA)),
    ("elimina", ()),
    ("alterna_anteprima", ()),
    ("chiedi_pubblicazione", ()),
    ("pubblica", ()),
    ("chiedi_scarto", ()),
    ("scarta", ()),
    ("riprendi", ()),
]


@pytest.fixture
def db(session, contenuto, engine, monkeypatch) -> Session:
    """The app's database for these states: a fresh seeded SQLite file."""
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    return db_seminato(session, contenuto)


def _righe(db: Session, pagina: Pagina) -> dict[str, list[dict]]:
    """Every row of `pagina` (sections, milestones, values), every column."""
    db.expire_all()
    return {
        modello.__name__: sorted(
            (
                riga.model_dump()
                for riga in db.exec(select(modello).where(modello.pagina == pagina.nome))
            ),
            key=repr,
        )
        for modello in (Sezione, Tappa, Valore)
    }


def _chiama(stato, nome: str, *argomenti):
    """Run one handler of RedazioneState on `stato`, as Reflex would."""
    return esegui(RedazioneState.event_handlers[nome].fn(stato, *argomenti))


def _stati(token: str) -> tuple[AccessoState, RedazioneState]:
    """The states of one tab whose socket presented `token`."""
    radice = State(_reflex_internal_init=True)
    radice.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-1"})
    accesso = radice.get_substate(AccessoState.get_full_name().split("."))
    redazione = radice.get_substate(RedazioneState.get_full_name().split("."))
    accesso.token = token
    return accesso, redazione


@pytest.mark.parametrize(("nome", "argomenti"), CHIAMATE, ids=[n for n, _ in CHIAMATE])
@pytest.mark.parametrize("token", ["", "un-segreto-inventato"], ids=["senza", "inventato"])
def test_without_a_live_session_the_body_never_runs(db, nome, argomenti, token):
    apri(session=db, spazio=SITO)
    salva_mission(db, "una bozza da pubblicare")  # "pubblica" and "scarta" would change a page
    tappa = leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)[0]
    valore = leggi_elenco(session=db, pagina=BOZZA, modello=Valore)[1]
    ids = {TAPPA_IN_BOZZA: tappa.id, VALORE_IN_BOZZA: valore.id}
    argomenti = tuple(ids.get(a, a) if isinstance(a, str) else a for a in argomenti)
    _, redazione = _stati(token)
    redazione.modifica_attiva = True
    # As if an editor and a confirmation were open on the working copy: "salva" would write,
    # "elimina" would delete.
    redazione.aperto = MISSION
    redazione._versione = leggi_elemento(session=db, pagina=BOZZA, voce=MISSION).versione
    redazione.da_eliminare = Voce("tappa", id=tappa.id)
    redazione._versione_da_eliminare = tappa.versione
    # And "pubblica" or "scarta" its confirmation, listing the mission's draft.
    versione, differenze = da_pubblicare(session=db, spazio=SITO)
    redazione.conferma = nome if nome in ("pubblica", "scarta") else ""
    redazione._versione_bozza, redazione.elenco = versione, [str(d) for d in differenze]
    prima = {k: s.testo for k, s in leggi_sezioni(session=db, pagina=PUBBLICATA).items()}
    pubblicata, bozza = _righe(db, PUBBLICATA), _righe(db, BOZZA)
    _chiama(redazione, nome, *argomenti)
    assert redazione.modifica_attiva is False
    assert redazione.avviso == SESSIONE_SCADUTA
    db.expire_all()
    assert {k: s.testo for k, s in leggi_sezioni(session=db, pagina=PUBBLICATA).items()} == prima
    assert _righe(db, PUBBLICATA) == pubblicata
    assert _righe(db, BOZZA) == bozza


def test_a_redattore_cannot_publish_or_discard_and_is_told_why(db, contenuto):
    """A redattore's live session, with a publish confirmation as if open: "pubblica" and
    "scarta" change no page and say why; edit mode stays on."""
    apri(session=db, spazio=SITO)
    salva_mission(db, "una bozza della redattrice")
    versione, differenze = da_pubblicare(session=db, spazio=SITO)
    pubblicata, bozza = _righe(db, PUBBLICATA), _righe(db, BOZZA)
    _, redazione = _stati(staff_con_sessione(db, "carla", ruolo=REDATTORE))
    for nome in ("chiedi_pubblicazione", "pubblica", "chiedi_scarto", "scarta"):
        redazione.modifica_attiva = True
        redazione.conferma = nome if nome in ("pubblica", "scarta") else ""
        redazione._versione_bozza, redazione.elenco = versione, [str(d) for d in differenze]
        redazione.avviso = ""
        _chiama(redazione, nome)
        assert redazione.avviso == SOLO_RESPONSABILE, nome
        assert redazione.modifica_attiva is True
    assert _righe(db, PUBBLICATA) == pubblicata
    assert _righe(db, BOZZA) == bozza


def test_control_with_a_live_session_the_body_runs(db, contenuto):
    """The same call with a live session does open the editor, so the refusals above are not
    vacuous."""
    _, redazione = _stati(staff_con_sessione(db))
    assert redazione.aperto == NESSUNA
    _chiama(redazione, "apri", "sezione", "mission")
    assert redazione.avviso == ""
    assert redazione.aperto == MISSION
    assert redazione.campi == {"testo": contenuto["sezioni"]["mission"]}


def test_an_editor_the_server_forgot_comes_back_to_the_same_person_only(db, contenuto):
    """A tab whose state the server lost (a restart) says which editor it had open: the same
    person gets it again, in edit mode; anything else (another person's, no such item, a
    malformed name) changes nothing."""
    apri(session=db, spazio=SITO)
    tappa = leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)[0]
    _, redazione = _stati(staff_con_sessione(db))
    for altro in (
        "bruno:sezione:mission:0",
        "anna:sezione:nessuna:0",
        f"anna:tappa::{tappa.id}x",
        "anna:tappa::-1",
        "anna:sezione:mission",
        "sezione:mission:0",
        "",
    ):
        redazione.editor_aperto = altro
        _chiama(redazione, "riprendi")
        assert (redazione.modifica_attiva, redazione.aperto, redazione.avviso) == (
            False,
            NESSUNA,
            "",
        ), altro
    redazione.editor_aperto = "anna:sezione:mission:0"
    _chiama(redazione, "riprendi")
    assert redazione.modifica_attiva is True
    assert redazione.aperto == MISSION
    assert redazione.campi == {"testo": contenuto["sezioni"]["mission"]}
    _chiama(redazione, "alterna_modifica")  # left on purpose: nothing comes back by itself
    redazione.editor_aperto = f"anna:tappa::{tappa.id}"
    _chiama(redazione, "riprendi")
    assert (redazione.modifica_attiva, redazione.aperto) == (True, Voce("tappa", id=tappa.id))
    assert redazione.campi["titolo"] == tappa.titolo
    _chiama(redazione, "alterna_modifica")
    redazione.editor_aperto = "anna:tappa::0"  # a milestone being added
    _chiama(redazione, "riprendi")
    assert (redazione.modifica_attiva, redazione.aperto) == (True, Voce("tappa"))


def test_a_live_secret_set_on_another_socket_does_not_count(db):
    """The same state reached through another socket (a reused client token) holds a live
    secret that socket never presented: the body does not run."""
    _, redazione = _stati(staff_con_sessione(db))
    redazione.router = RouterData.from_router_data({constants.RouteVar.SESSION_ID: "socket-2"})
    _chiama(redazione, "apri", "sezione", "mission")
    assert redazione.avviso == SESSIONE_SCADUTA
    assert redazione.aperto == NESSUNA


def test_a_save_is_one_thread_hop_and_one_database_session_guard_included(db, monkeypatch):
    """ "Salva" checks the staff session, writes the draft and reads the working copy after it
    in one thread hop and one database session; the change is then pushed once."""
    _, redazione = _stati(staff_con_sessione(db))
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "apri", "sezione", "mission")
    spinte = []
    salti, sessioni = conta_salti_e_sessioni(monkeypatch)
    monkeypatch.setattr(redazione_modulo, "diffondi", lambda nuova, **_: spinte.append(nuova))
    _chiama(redazione, "salva", {"testo": "Scritta con un solo salto."})
    assert redazione.annuncio == "Testo della mission salvato."
    assert (len(salti), len(sessioni)) == (1, 1)
    assert [s.sezioni["mission"] for s in spinte] == [["Scritta con un solo salto."]]
    db.expire_all()
    bozza = leggi_sezioni(session=db, pagina=BOZZA)["mission"]
    assert (bozza.testo, bozza.autore) == ("Scritta con un solo salto.", "anna")


def test_a_publish_from_the_bar_is_two_thread_hops_and_two_database_sessions(db, monkeypatch):
    """ "Pubblica" checks the staff session (one hop, one session), then publishes and reads
    both pages and why undo has nothing of hers now in one more: no third round to read
    undo's reason. The disabled undo says her change is published; the site is built and
    notified once."""
    _, redazione = _stati(staff_con_sessione(db))
    for nome, argomenti in (
        ("alterna_modifica", ()),
        ("apri", ("sezione", "mission")),
        ("salva", ({"testo": "Pubblicata con due salti."},)),
        ("chiedi_pubblicazione", ()),
    ):
        _chiama(redazione, nome, *argomenti)
    assert (redazione.conferma, redazione.puo_annullare) == ("pubblica", True)  # control
    costruite, notificate = [], []

    class Ricostruzione:
        def richiedi(self, versione, avviso=None):
            costruite.append(versione)

    async def notifica(esito, escluso):
        notificate.append(esito.pubblicata.versione)

    monkeypatch.setattr(pubblica_modulo, "ricostruzione", Ricostruzione)
    monkeypatch.setattr(pubblica_modulo, "_notifica", notifica)
    salti, sessioni = conta_salti_e_sessioni(monkeypatch)
    _chiama(redazione, "pubblica")
    assert redazione.annuncio == "Pubblicata 1 modifica."
    assert (len(salti), len(sessioni)) == (2, 2)
    assert (redazione.puo_annullare, redazione.perche_non_annullare) == (False, GIA_PUBBLICATA)
    assert costruite == notificate != []
    db.expire_all()
    assert leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo == (
        "Pubblicata con due salti."
    )


# The project's modules whose code a "Salva" and a "Pubblica" from the bar run (the README
# names them), counted by tracing every call: a ceiling, so that the path grows only on purpose.
# The button (`components/editor.py`) and the tables (`models.py`) are not calls and are not
# in the count. The push to the other tabs (`state/diffusione.py`) is counted when it runs
# before the block ends. A save's path to the database alone has its own count below.
MODULI_SALVA = 22
MODULI_PUBBLICA = 24


def test_the_modules_a_save_and_a_publish_run_stay_within_their_count(db):
    for modulo in pkgutil.iter_modules(serena_app.state.__path__):  # every state, as in the app
        importlib.import_module(f"serena_app.state.{modulo.name}")
    _, redazione = _stati(staff_con_sessione(db))
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "apri", "sezione", "mission")
    with moduli_attraversati() as salva:
        _chiama(redazione, "salva", {"testo": "Scritta con il percorso contato."})
    assert redazione.annuncio == "Testo della mission salvato."  # control: it ran whole
    _chiama(redazione, "chiedi_pubblicazione")
    with moduli_attraversati() as pubblica:
        _chiama(redazione, "pubblica")
    assert redazione.annuncio == "Pubblicata 1 modifica."
    print(f"\nSalva: {len(salva)} modules {sorted(salva)}")
    print(f"Pubblica: {len(pubblica)} modules {sorted(pubblica)}")
    assert {
        "serena_app.state.guardia",
        "serena_app.state.staff",
        "serena_app.db",
        "serena_app.contenuto.bozze",
    } <= salva
    assert len(salva) <= MODULI_SALVA, sorted(salva)
    assert "serena_app.pubblicazione.pubblica" in pubblica
    assert len(pubblica) <= MODULI_PUBBLICA, sorted(pubblica)


# "Salva" from the button to the database: the modules whose code runs from the handler's first
# line until the draft is committed, the guard's check included: the handler, the guard, the
# session check, the kinds with their checks, the page's writes, the database helper. The
# button (`components/editor.py`) and the tables (`models.py`) are not calls: two more to read.
SALVA_FINO_AL_DATABASE = 6
SALVATAGGI = {
    "sezione": ("/", ("sezione", "mission"), {"testo": "Scritta per contare il percorso."}),
    "tappa": ("/", ("tappa", 0), {"anno": "1990", "titolo": "Contata", "testo": "Una tappa."}),
    "inglese": ("/en/", ("sezione", "mission"), {"testo_en": "Written to count the path."}),
}


@pytest.mark.parametrize(("percorso", "voce", "modulo"), SALVATAGGI.values(), ids=SALVATAGGI)
def test_a_save_reaches_the_database_through_six_modules_guard_included(db, percorso, voce, modulo):
    """The same for a section's text, a milestone (in year order among the others) and a
    text's English, which records the Italian it translates."""
    _, redazione = _stati(staff_con_sessione(db))
    redazione.router = RouterData.from_router_data(
        {constants.RouteVar.SESSION_ID: "socket-1", constants.RouteVar.ORIGIN: percorso}
    )
    _chiama(redazione, "alterna_modifica")
    if voce[0] == "tappa":
        voce = ("tappa", leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)[1].id)
    _chiama(redazione, "apri", *voce)
    assert redazione.aperto != NESSUNA  # control: the editor opened
    with moduli_fino_alla_scrittura() as moduli:
        _chiama(redazione, "salva", modulo)
    assert redazione.aperto == NESSUNA and not redazione.avviso  # control: it wrote
    print(f"\nSalva → database: {len(moduli)} modules {sorted(moduli)}")
    assert {"serena_app.state.guardia", "serena_app.db"} <= moduli  # the guard, the write
    assert len(moduli) <= SALVA_FINO_AL_DATABASE, sorted(moduli)


def test_a_save_into_a_lost_working_copy_lands_in_the_copy_made_again(db):
    """A database whose working copy is gone (filled by other means than the site's start):
    the write finds no copy, is rolled back, and runs again once the copy is made anew from
    the published page. The copy then holds the whole page and the new milestone, not the
    new milestone alone, which a publish would have taken for every other one deleted."""
    _, redazione = _stati(staff_con_sessione(db))
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "aggiungi", "tappa")
    for modello in (Sezione, Tappa, Valore):
        db.exec(delete(modello).where(col(modello.pagina) == BOZZA.nome))
    db.delete(db.get(VersionePagina, BOZZA.nome))
    db.commit()
    nuova = {"anno": "", "titolo": "Una tappa nuova", "testo": "Scritta in una copia rifatta."}
    _chiama(redazione, "salva", nuova)
    db.expire_all()
    pubblicate = leggi_elenco(session=db, pagina=PUBBLICATA, modello=Tappa)
    n = len(pubblicate) + 1  # the milestones the editor is told of: the whole page's and hers
    assert redazione.annuncio == f"Tappa «Una tappa nuova» aggiunta, posizione {n} di {n}."
    in_bozza = leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)
    assert sorted(t.titolo for t in in_bozza) == sorted(
        [t.titolo for t in pubblicate] + ["Una tappa nuova"]
    )
    assert (
        leggi_sezioni(session=db, pagina=BOZZA).keys()
        == leggi_sezioni(session=db, pagina=PUBBLICATA).keys()
    )


def test_a_refused_save_writes_nothing_and_ends_the_staff_view(db):
    """The same save whose session ended meanwhile: the check in the write's own session
    refuses it before anything is written, and the tab leaves the staff view for good, as
    when the revocation watcher finds it first (it forgets the secret and the name, so no
    staff button is left that can only be refused)."""
    segreto = staff_con_sessione(db)
    accesso, redazione = _stati(segreto)
    esegui(accesso._verifica())  # the page load: the staff bar shows her name
    assert accesso.nome_staff  # control
    _chiama(redazione, "alterna_modifica")
    _chiama(redazione, "apri", "sezione", "mission")
    revoca_sessione(session=db, token=segreto)
    prima = leggi_sezioni(session=db, pagina=BOZZA)["mission"].testo
    _chiama(redazione, "salva", {"testo": "Scritta dopo la fine della sessione."})
    assert redazione.modifica_attiva is False
    assert redazione.avviso == SESSIONE_SCADUTA
    assert (accesso.token, accesso.nome_staff) == ("", "")
    db.expire_all()
    assert leggi_sezioni(session=db, pagina=BOZZA)["mission"].testo == prima


def test_control_with_a_live_session_a_save_writes_the_working_copy_only(db, contenuto):
    """The refused "salva" above would have written: with a live session it changes the
    mission in the working copy, and no row of the published page."""
    _, redazione = _stati(staff_con_sessione(db))
    _chiama(redazione, "apri", "sezione", "mission")
    pubblicata, bozza = _righe(db, PUBBLICATA), _righe(db, BOZZA)
    _chiama(redazione, "salva", {"testo": "scritto con una sessione valida"})
    assert redazione.avviso == ""
    assert redazione.errori == {}
    assert _righe(db, PUBBLICATA) == pubblicata
    assert _righe(db, BOZZA) != bozza
    db.expire_all()
    assert leggi_sezioni(session=db, pagina=BOZZA)["mission"].testo == (
        "scritto con una sessione valida"
    )
    assert (
        leggi_sezioni(session=db, pagina=PUBBLICATA)["mission"].testo
        == (contenuto["sezioni"]["mission"])
    )

"""Every event handler any browser can call: those that change data must check the session.

Reflex lets a client call any handler by name, with any payload. This test walks every State
class of the app, so a new handler fails here until it is either wrapped in `richiede_staff`
or listed below as changing no data, with the reason.
"""

import importlib
import inspect
import pkgutil
import typing

import pytest
import reflex as rx

import serena_app.state
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.state.guardia import richiede_staff, solo_sito, verifica_nella_scrittura
from serena_app.state.staff import StaffState

SENZA_DATI = {
    "ContenutoState.aggiorna": "reloads this browser's copy of the published page",
    "AccessoState.verifica": "reads the presented session; clears only this browser's flags",
    "AccessoState.accedi": "the login itself, within the limits of auth/limiti.py",
    "AccessoState.esci": "revokes only the session this browser presents",
    "RedazioneState.annulla": "closes this browser's open editor; writes nothing",
    "RedazioneState.chiudi_avviso": "hides this browser's warning; writes nothing",
    "DemoState.prova": "opens a demo sandbox, like a login: demo servers only, within the cap",
    "DemoState.torna_alla_sandbox": "shows this browser its own sandbox; writes nothing",
    "SalaState.entra": "the presenter's one-time key is the credential (only its hash on the "
    "server, 256 bits, spent once): demo servers only (state/sala.py)",
    "SalaState.ripristina_tutte": "ends every demo sandbox: only for the presenter's secret, "
    "checked on the server, on the socket that presented it; demo servers only",
    "CronologiaState.chiudi_cronologia": "closes this browser's history panel; writes nothing",
    "InvitoState.accetta_invito": "an invitation's code is the credential: hashed lookup, "
    "single use in one locked transaction, wrong codes limited per address (auth/inviti.py)",
    "ProgrammateState.chiudi_programmazione": "closes this tab's schedule dialog; writes nothing",
    "AccessoState.conferma_codice": "the login's second step, within the limits of auth/limiti.py",
    "AccessoState.annulla_codice": "forgets this browser's pending login step; writes nothing",
    "AccountState.chiudi_account": "closes this browser's account panel; writes nothing",
    "RichiesteState.annulla_richiesta": "closes this browser's request dialog; sends nothing",
    "RichiesteState.chiudi_esito": "hides this browser's request outcome; writes nothing",
    "RichiesteState.chiudi_richieste": "closes this browser's requests panel; decides nothing",
    "PresenzaState.batti": "the heartbeat: only extends the presence entry a guarded handler "
    "wrote for this very tab, on the socket that presented its secret (never creates one)",
    "PresenzaState.annulla_domanda": "closes this browser's question before opening; opens nothing",
    "LeggibilitaState.chiudi_pagina": "closes this browser's readability summary; writes nothing",
}
BUILTIN = {"setvar", "set_is_hydrated"}
SOLO_RESPONSABILI = {
    "RedazioneState.chiedi_pubblicazione": "opens the publish confirmation",
    "RedazioneState.pubblica": "publishes the drafts",
    "RedazioneState.chiedi_scarto": "opens the discard confirmation",
    "RedazioneState.scarta": "discards the drafts",
    "CronologiaState.ripristina_pagina": "restores a published version",
    "DemoState.ripristina": "resets a demo sandbox (its editor is its responsabile)",
    "PersoneState.apri_persone": "opens the list of accounts",
    "PersoneState.invita": "makes an account and its invitation link",
    "PersoneState.chiedi": "asks before disabling, changing a role or resetting a password",
    "PersoneState.annulla_conferma": "closes that question",
    "PersoneState.disattiva": "disables an account",
    "PersoneState.riattiva": "enables an account",
    "PersoneState.cambia_ruolo": "changes an account's role",
    "PersoneState.reimposta": "resets an account's password with a new link",
    "ProgrammateState.carica_programmate": "lists the scheduled publishes (names, times)",
    "ProgrammateState.apri_programmazione": "opens the schedule dialog",
    "ProgrammateState.programma": "schedules a publish",
    "ProgrammateState.annulla_programmata": "cancels a scheduled publish",
    "AccountState.richiedi_a_tutti": "requires two-step login of every responsabile",
    "RichiesteState.apri_richieste": "shows the open publication request",
    "RichiesteState.pubblica": "publishes a publication request",
    "RichiesteState.rimanda": "postpones a publication request",
}
"""Every guarded handler that only a responsabile may run; every other guarded handler is
for any staff role (a redattore upwards)."""


def _stati_dell_app() -> list[type[rx.State]]:
    for modulo in pkgutil.iter_modules(serena_app.state.__path__):
        importlib.import_module(f"serena_app.state.{modulo.name}")
    trovati, da_visitare = [], [rx.State]
    while da_visitare:
        classe = da_visitare.pop()
        da_visitare.extend(classe.get_substates())
        if classe.__module__.startswith("serena_app."):
            trovati.append(classe)
    return trovati


def stato_del_gestore(gestore: str) -> str:
    """The full state name a client sends for "State.handler"."""
    nome_stato = gestore.split(".")[0]
    return next(s for s in _stati_dell_app() if s.__name__ == nome_stato).get_full_name()


def _gestori():
    for stato in _stati_dell_app():
        for nome, gestore in stato.event_handlers.items():
            if nome not in BUILTIN:
                yield f"{stato.__name__}.{nome}", gestore


def parametri_numerici() -> list[tuple[type[rx.State], str, str]]:
    """(state, handler, parameter) for every parameter of an app handler that takes a number
    (annotated `int`, or a union with `int`: an id, a revision, a move)."""
    trovati = []
    for stato in _stati_dell_app():
        for nome, gestore in stato.event_handlers.items():
            if nome in BUILTIN:
                continue
            tipi = typing.get_type_hints(inspect.unwrap(gestore.fn))
            for parametro, tipo in tipi.items():
                if parametro != "return" and (tipo is int or int in typing.get_args(tipo)):
                    trovati.append((stato, nome, parametro))
    return trovati


def test_the_walk_finds_the_app_states():
    nomi = {s.__name__ for s in _stati_dell_app()}
    assert {"ContenutoState", "AccessoState", "StaffState", "RedazioneState"} <= nomi


def test_every_data_changing_handler_checks_the_session():
    senza_controllo = [
        nome
        for nome, gestore in _gestori()
        if not getattr(gestore.fn, "richiede_staff", False) and nome not in SENZA_DATI
    ]
    assert senza_controllo == []


def test_every_guarded_handler_needs_the_role_listed_for_it():
    """A new guarded handler is for a redattore unless it is listed above; a handler listed
    as responsabile-only without the mark (or marked without being listed) fails here."""
    ruoli = {
        nome: gestore.fn.ruolo
        for nome, gestore in _gestori()
        if getattr(gestore.fn, "richiede_staff", False)
    }
    attesi = {nome: RESPONSABILE if nome in SOLO_RESPONSABILI else REDATTORE for nome in ruoli}
    assert ruoli == attesi
    assert set(SOLO_RESPONSABILI) <= set(ruoli)


def test_guarded_handlers_belong_to_staff_states():
    """The guard reads the login state through `StaffState`: on any other state it could not
    refuse properly."""
    fuori_posto = [
        f"{stato.__name__}.{nome}"
        for stato in _stati_dell_app()
        for nome, gestore in stato.event_handlers.items()
        if getattr(gestore.fn, "richiede_staff", False) and not issubclass(stato, StaffState)
    ]
    assert fuori_posto == []


def test_the_read_only_list_names_only_existing_handlers():
    esistenti = {nome for nome, _ in _gestori()}
    assert set(SENZA_DATI) <= esistenti


def test_no_state_var_has_a_setter_a_client_could_call():
    con_setter = [
        f"{stato.__name__}.{var}"
        for stato in _stati_dell_app()
        for var in stato.base_vars
        if hasattr(stato, f"set_{var}")
    ]
    assert con_setter == []


def test_every_demo_handler_runs_only_on_a_demo_server():
    senza = [
        nome
        for nome, gestore in _gestori()
        if nome.startswith(("DemoState.", "SalaState."))
        and not getattr(gestore.fn, "solo_in_demo", False)
    ]
    assert senza == []
    assert any(nome.startswith("DemoState.") for nome, _ in _gestori())


def test_every_number_a_handler_takes_is_checked():
    """A handler that takes a number refuses one out of range with a message
    (`numeri_controllati`); the walk finds ids, revisions and moves."""
    numerici = parametri_numerici()
    assert {(p, n) for _, n, p in numerici} >= {
        ("chiave", "apri"),
        ("di", "sposta"),
        ("numero", "ripristina"),
        ("numero", "ripristina_pagina"),
    }
    senza = [
        f"{stato.__name__}.{nome}"
        for stato, nome, _ in numerici
        if not getattr(stato.event_handlers[nome].fn, "numeri_controllati", False)
    ]
    assert senza == []


def test_the_site_only_marker_is_refused_where_it_would_come_too_late():
    """Under a handler whose check is inside its write, the place would be known after the
    body ran; above the guard, nobody would read it: both fail at import."""

    async def scrive(self):
        return None

    async def legge(self):
        return None

    with pytest.raises(TypeError, match="verifica_nella_scrittura"):
        richiede_staff(solo_sito("Solo sul sito.")(verifica_nella_scrittura(scrive)))
    with pytest.raises(TypeError, match="goes under richiede_staff"):
        solo_sito("Solo sul sito.")(richiede_staff(legge))
    assert richiede_staff(solo_sito("Solo sul sito.")(legge)).solo_sito == "Solo sul sito."

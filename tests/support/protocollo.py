"""Names on Reflex 0.10's Socket.IO wire, computed from the app's classes.

Shared by the raw client (`tests/support/cliente.py`), the attack tests (`tests/security`) and
the load generator (`scripts/carico.py`), which all talk to the server as the page's
`state.js` does.
"""

import json
import re

from reflex.state import FrontendEventExceptionState, State
from reflex_base.constants import CompileVars, Endpoint
from reflex_base.constants.state import FIELD_MARKER

from serena_app.pubblicazione import stato_iniziale
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState
from serena_app.state.cronologia import CronologiaState
from serena_app.state.demo import DemoState
from serena_app.state.presenza import PresenzaState
from serena_app.state.redazione import RedazioneState
from serena_app.state.sala import SalaState
from serena_app.state.staff import StaffState

PERCORSO = str(Endpoint.EVENT)  # "/_event": the Engine.IO path and the Socket.IO namespace
RADICE = State.get_full_name()
CONTENUTO = ContenutoState.get_full_name()
STAFF = StaffState.get_full_name()  # edit mode, announcements, notices
REDAZIONE = RedazioneState.get_full_name()  # the editors (a substate of STAFF)
ACCESSO = AccessoState.get_full_name()
IDRATAZIONE = f"{RADICE}.{CompileVars.HYDRATE_AND_LOAD}"
AGGIORNA = f"{CONTENUTO}.aggiorna"  # the page's read-only on_load event
# Reflex's built-in browser-error report (`window.onerror` in state.js); any socket can send it.
ERRORE_FRONTEND = f"{FrontendEventExceptionState.get_full_name()}.handle_frontend_exception"
VAR_SEGRETO = f"{ACCESSO}.token{FIELD_MARKER}"  # the key the page sends the session secret under
VAR_DISPOSITIVI = f"{ACCESSO}.dispositivi{FIELD_MARKER}"  # and its device tokens under
NOME_SEGRETO = AccessoState.get_fields()["token"].default.name  # "serena_sessione" (storage)
DEMO = DemoState.get_full_name()  # the live demo's banner (its events: demo servers only)
SALA = SalaState.get_full_name()  # the presenter's view of a demo (`/demo/sala`)
VAR_SEGRETO_SALA = f"{SALA}.segreto{FIELD_MARKER}"  # the presenter secret, from local storage
CRONOLOGIA = CronologiaState.get_full_name()  # history panels and undo (a substate of STAFF)
PRESENZA = PresenzaState.get_full_name()  # who else is in edit mode (a substate of STAFF)
STATO_INIZIALE = re.compile(rf'<template id="{stato_iniziale.ID}">(.*?)</template>', re.DOTALL)


def stato_della_pagina(html: str) -> dict | None:
    """The compiled state a served page holds (`{"stato": …, "hashes": […]}`); None if none."""
    trovato = STATO_INIZIALE.search(html)
    return json.loads(trovato.group(1)) if trovato else None


def hashes_della_pagina(html: str) -> list[str] | None:
    """The hashes of the compiled state that a served page holds, which its script sends with
    the hydrate event; None if the page holds none."""
    stato = stato_della_pagina(html)
    return stato["hashes"] if stato else None

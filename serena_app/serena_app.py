"""The Reflex app: database preparation, head tags and page registration."""

import reflex as rx

from serena_app.content import CONTENUTO
from serena_app.head import head_components
from serena_app.pages.accesso import accesso
from serena_app.pages.index import index
from serena_app.startup import prepara_database
from serena_app.state.contenuto import ContenutoState
from serena_app.state.sessione import SessioneState

prepara_database()

app = rx.App(html_lang="it", head_components=head_components(), style={})
app.add_page(
    index,
    route="/",
    title=f"{CONTENUTO['nome']} – Chi siamo",
    description=CONTENUTO["descrizione"],
    on_load=[ContenutoState.aggiorna, SessioneState.verifica],
)
app.add_page(
    accesso,
    route="/accesso",
    title=f"Area riservata – {CONTENUTO['nome']}",
    description=f"Accesso del personale di {CONTENUTO['nome']}.",
    on_load=SessioneState.verifica,
)

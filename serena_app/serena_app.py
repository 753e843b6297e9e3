"""The Reflex app: head tags, serving headers, page registration, error handling and logs.

Importing it touches no database: `serena prepare` migrates and seeds before the server
starts (`make run` does both). It makes every log line of the process one line
(`registro/log.py`) and bounds browser-error reports (`segnalazioni.py`).
"""

import logging

import reflex as rx
from reflex_base.event import EventSpec

from serena_app.auth.eventi import potatura_periodica
from serena_app.auth.indirizzo import proxy_fidati, solo_dal_front_server
from serena_app.components.connessione import avviso_connessione
from serena_app.contenuto.seme import CONTENUTO
from serena_app.demo import cronaca, modalita
from serena_app.demo.pulizia import pulizia_periodica
from serena_app.lingue import _, in_lingua, percorso
from serena_app.pages import non_trovata
from serena_app.pages.area_riservata import area_riservata
from serena_app.pages.index import in_ogni_lingua
from serena_app.pages.invito import invito
from serena_app.pages.sala import sala
from serena_app.produzione.processi import lega_i_figli
from serena_app.pubblicazione.notifica import ascolta_sempre
from serena_app.registro import log
from serena_app.registro.segnalazioni import FiltroSegnalazioni, registra_errore_frontend
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState, della_pagina
from serena_app.state.demo import DemoState
from serena_app.state.interfaccia import errore_imprevisto
from serena_app.state.presenza import sorveglia_presenza
from serena_app.state.programmate import sorveglia as sorveglia_programmate
from serena_app.state.revoca import sorveglia_sessioni
from serena_app.state.sala import sorveglia_sala
from serena_app.state.visita import installa as visite_senza_stato
from serena_app.web.connessione import solo_intestazioni_utili
from serena_app.web.head import head_components, lingua_del_documento
from serena_app.web.seo import meta_condivisione, url_immagine
from serena_app.web.servizio import intestazioni
from serena_app.web.sito import PERCORSO_ACCESSO, PERCORSO_INVITO
from serena_app.web.stati import attendono_redis

log.installa()
lega_i_figli()  # under `serena prod`, granian's worker dies with this process
proxy_fidati()  # a misspelt SERENA_TRUSTED_PROXIES stops the server at start, not at a login
logger = logging.getLogger(__name__)


def registra_errore(exception: Exception) -> EventSpec | None:
    """Log a handler's unexpected error and tell the person on the page. An event whose
    payload had the wrong shape (no page sends one) is one short line, and its socket is
    told nothing."""
    if log.evento_malformato(exception):
        log.registra_evento_malformato(exception)
        return None
    logger.error("errore in un gestore di eventi", exc_info=exception)
    return errore_imprevisto.push(True)


NOME = CONTENUTO["nome"]
TITOLO_ACCESSO = f"Area riservata – {CONTENUTO['nome']}"
DESCRIZIONE_ACCESSO = f"Accesso del personale di {CONTENUTO['nome']}."

app = rx.App(
    # `<html lang>` follows the address: "en" on /en/, prerendered and after hydration.
    html_custom_attrs={"lang": lingua_del_documento()},
    head_components=head_components(),
    # The front server's check is outermost: what it removes, nothing inside sees. A
    # websocket's state keeps only the handshake headers the app reads.
    api_transformer=[solo_intestazioni_utili, intestazioni, solo_dal_front_server],
    reset_style=False,  # assets/serena.css sets the few base styles it needs
    backend_exception_handler=registra_errore,
    frontend_exception_handler=registra_errore_frontend,
    # No toast library: its empty region is labelled in English ("Notifications alt+T") and
    # the app shows its own Italian notices (`components/connessione.py`).
    toaster=None,
)
attendono_redis(app)  # a Redis restart is a short wait for the open tabs
app.add_middleware(FiltroSegnalazioni())
app.register_lifespan_task(potatura_periodica)  # old login events go, in every app process
if modalita.attiva():
    app.register_lifespan_task(pulizia_periodica)
    cronaca.installa()  # what the sandboxes commit, for the presenter's view
    app.register_lifespan_task(sorveglia_sala)
else:
    visite_senza_stato(app)  # a reader's page view makes no state (a demo's readers get one)
app.register_lifespan_task(sorveglia_sessioni)  # a session that ends ends in its open tabs
app.register_lifespan_task(ascolta_sempre)  # every change reaches this process's browsers
app.register_lifespan_task(sorveglia_programmate)  # scheduled publishes, once among processes
app.register_lifespan_task(sorveglia_presenza)  # who else is in edit mode, live
app.app_wraps[(5, "Overlay")] = lambda stateful: avviso_connessione() if stateful else None
for lingua, pagina in in_ogni_lingua().items():
    with in_lingua(lingua):
        titolo, descrizione = _("{nome} – Chi siamo").format(nome=NOME), della_pagina("descrizione")
        app.add_page(
            pagina,
            route=percorso(lingua),
            title=titolo,
            description=descrizione,
            image=url_immagine(),
            meta=meta_condivisione(titolo, descrizione, percorso(lingua), tradotta=True),
            context={"sitemap": {"loc": percorso(lingua)}},  # "/en/", its canonical address
            on_load=[ContenutoState.aggiorna]  # which also checks the staff session
            + ([DemoState.torna_alla_sandbox] if modalita.attiva() else []),
        )
app.add_page(
    area_riservata,
    route="/accesso",
    title=TITOLO_ACCESSO,
    description=DESCRIZIONE_ACCESSO,
    image=url_immagine(),
    meta=meta_condivisione(TITOLO_ACCESSO, DESCRIZIONE_ACCESSO, PERCORSO_ACCESSO),
    context={"sitemap": None},  # the staff login is no content for search engines
    on_load=AccessoState.verifica,
)
app.add_page(
    non_trovata.non_trovata,
    route="404",
    title=non_trovata.titolo(),
    description=non_trovata.titolo(),
    context={"sitemap": None},
    meta=[{"name": "robots", "content": "noindex"}],
)
app.add_page(
    invito,
    route=PERCORSO_INVITO,
    title=TITOLO_ACCESSO,
    description=DESCRIZIONE_ACCESSO,
    context={"sitemap": None},
    meta=[{"name": "robots", "content": "noindex"}],
)
if modalita.attiva():
    # The presenter's view: compiled only into a demo server's build, so any other server
    # answers its address with the missing page.
    app.add_page(
        sala,
        route="/demo/sala",
        title=f"La sala della demo – {NOME}",
        description="La vista di chi presenta la demo.",
        context={"sitemap": None},
        meta=[{"name": "robots", "content": "noindex"}],
    )

"""Publication requests over raw sockets: a visitor's socket sends every request handler, a
redattore's every deciding one; nothing changes, and a visitor never receives a request's
message or a name while one is open."""

import inspect
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, delete

from serena_app.auth.ruoli import SOLO_RESPONSABILE
from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import SITO
from serena_app.contenuto.tipi import NON_AMMESSI
from serena_app.models import RichiestaPubblicazione
from serena_app.pubblicazione import richieste
from serena_app.state.richieste import RichiesteState
from serena_app.state.staff import SESSIONE_SCADUTA
from tests.factories import ripristina_contenuto, salva_mission
from tests.security.conftest import righe, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import REDAZIONE, STAFF

RICHIESTE = RichiesteState.get_full_name()
TABELLE = ("sezione", "tappa", "valore", "versionepagina", "revisione", "richiestapubblicazione")
MESSAGGIO = "Messaggio-riservato-della-richiesta"
HACK = "HACK"
GUARDATI = sorted(
    nome
    for nome, gestore in RichiesteState.event_handlers.items()
    if getattr(gestore.fn, "richiede_staff", False)
)
DECISIONI = ("apri_richieste", "pubblica", "rimanda")  # a responsabile's only
SEQUENZA = [
    ("carica", {}),
    ("chiedi", {}),
    ("invia", {"form_data": {"messaggio": HACK}}),
    ("apri_richieste", {}),
    ("pubblica", {}),
    ("rimanda", {"form_data": {"nota": HACK}}),
]


@pytest.fixture
def richiesta(db: Engine, credenziali, contenuto) -> Iterator[tuple[str, int]]:
    """A redattore's draft and their open request with `MESSAGGIO`: (their name, its id)."""
    redattore = credenziali("redattore").nome_utente
    with Session(db) as session:
        bozze.apri(session=session, spazio=SITO)
        salva_mission(session, "Mission proposta.", autore=redattore)
        aperta = richieste.chiedi(
            session=session, spazio=SITO, autore=redattore, messaggio=MESSAGGIO
        )
    yield redattore, aperta.id
    with Session(db) as session:
        session.exec(delete(RichiestaPubblicazione))
        session.commit()
        ripristina_contenuto(session, contenuto)


def _contiene(messaggi: list[dict], testo: str) -> bool:
    return testo in json.dumps(messaggi, ensure_ascii=False)


def test_the_sequences_cover_every_request_handler():
    assert {nome for nome, _ in SEQUENZA} == set(GUARDATI)
    marcati = {n for n in GUARDATI if RichiesteState.event_handlers[n].fn.ruolo != "redattore"}
    assert marcati == set(DECISIONI)
    for nome, payload in SEQUENZA:
        inspect.signature(RichiesteState.event_handlers[nome].fn).bind(None, **payload)


def test_a_visitor_sends_every_request_handler_and_gets_nothing_of_a_request(
    server, db, ciclo, credenziali, richiesta
):
    redattore, _ = richiesta
    anna = credenziali("valida")
    prima = righe(db, TABELLE)

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as visitatore, ClienteGrezzo(server.url) as capo:
            ricevuti = await visitatore.connetti()
            for nome, payload in SEQUENZA:
                await visitatore.scambia(f"{REDAZIONE}.chiudi_avviso")
                messaggi = await visitatore.scambia(f"{RICHIESTE}.{nome}", payload)
                assert vista(messaggi).get(STAFF, {}).get("avviso") == SESSIONE_SCADUTA, nome
                ricevuti += messaggi
            # Control: a responsabile's socket does receive the request.
            await capo.connetti(segreto=anna.token)
            stati = vista(await capo.scambia(f"{RICHIESTE}.apri_richieste"))
            assert stati[RICHIESTE]["richiesta_messaggio"] == MESSAGGIO
            assert stati[RICHIESTE]["richiesta_chi"] == redattore
            ricevuti += await visitatore.barriera()
            assert not _contiene(ricevuti, MESSAGGIO)
            assert not _contiene(ricevuti, redattore)
            assert not _contiene(ricevuti, anna.nome_utente)

    ciclo.run(prova())
    assert righe(db, TABELLE) == prima
    verifica_che_risponda(server, ciclo)


def test_a_redattore_cannot_see_or_decide_a_request(server, db, ciclo, credenziali, richiesta):
    altro = credenziali("redattore")
    prima = righe(db, TABELLE)

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=altro.token)
            for nome, payload in SEQUENZA:
                if nome not in DECISIONI:
                    continue
                await cliente.scambia(f"{REDAZIONE}.chiudi_avviso")
                messaggi = await cliente.scambia(f"{RICHIESTE}.{nome}", payload)
                assert vista(messaggi)[STAFF]["avviso"] == SOLO_RESPONSABILE, nome
                assert not _contiene(messaggi, MESSAGGIO)

    ciclo.run(prova())
    assert righe(db, TABELLE) == prima
    verifica_che_risponda(server, ciclo)


@pytest.mark.parametrize(
    "messaggio",
    ["Va bene\u202e così", "zero\u200bwidth", "\ud800", "x" * 501],
    ids=["bidi", "zero-width", "surrogato", "troppo-lungo"],
)
def test_a_request_message_with_invisible_or_broken_text_is_refused_in_italian(
    server, db, ciclo, credenziali, contenuto, messaggio
):
    """The message is checked like any text: a bidi control, a zero-width character, a lone
    surrogate or one character too many get the rule's Italian message, and no request."""
    redattore = credenziali("redattore")
    with Session(db) as session:
        bozze.apri(session=session, spazio=SITO)
        salva_mission(session, "Mission proposta.", autore=redattore.nome_utente)
    prima = righe(db, TABELLE)

    async def prova() -> str:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=redattore.token)
            await cliente.scambia(f"{REDAZIONE}.alterna_modifica")
            await cliente.scambia(f"{RICHIESTE}.chiedi")
            messaggi = await cliente.scambia(
                f"{RICHIESTE}.invia", {"form_data": {"messaggio": messaggio}}
            )
            return vista(messaggi)[RICHIESTE]["errore_messaggio"]

    try:
        errore = ciclo.run(prova())
        assert errore in (NON_AMMESSI, "Al massimo 500 caratteri (ora sono 501).")
        assert righe(db, TABELLE) == prima
    finally:
        with Session(db) as session:
            ripristina_contenuto(session, contenuto)

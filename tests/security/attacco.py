"""What every attack tries: the data-changing events, aimed at real rows, and how a refusal
looks on the wire."""

from serena_app.state.cronologia import CronologiaState
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import SESSIONE_SCADUTA
from tests.support.cliente import ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO, CRONOLOGIA, REDAZIONE, STAFF

HACK = "HACK"

PROTETTI = sorted(
    nome
    for nome, gestore in RedazioneState.event_handlers.items()
    if getattr(gestore.fn, "richiede_staff", False)
)
"""Every handler of RedazioneState that `richiede_staff` guards."""

PROTETTI_CRONOLOGIA = sorted(
    nome
    for nome, gestore in CronologiaState.event_handlers.items()
    if getattr(gestore.fn, "richiede_staff", False)
)
"""Every handler of CronologiaState (history, undo) that `richiede_staff` guards."""

NESSUNA = {"tipo": "", "chiave": "", "id": 0, "lingua": "it"}
"""No item open, as the browser receives it."""
MISSION = {"tipo": "sezione", "chiave": "mission", "id": 0, "lingua": "it"}

SETVAR = [
    (STAFF, "modifica_attiva", True),
    (REDAZIONE, "aperto", MISSION),
    (REDAZIONE, "da_eliminare", {"tipo": "tappa", "chiave": "", "id": 1}),
    (REDAZIONE, "_versione", 1),
    (REDAZIONE, "_versione_da_eliminare", 1),
    (ACCESSO, "nome_staff", "admin"),
    (ACCESSO, "token", "un segreto qualsiasi"),
]
"""Vars an attacker would like to set directly (state, var, value)."""

# The errors the attacks make the server log (for `@pytest.mark.errori_attesi`), each one
# logged with its traceback: a client can make the server write them at will.
SETVAR_SENZA_SETTER = r"reflex/state\.py\S*, line \d+, in setvar\n"
"""A `setvar` of a var with no setter (every var: the app's handlers are all explicit), or
whose name is no string, failing in Reflex's `setvar`."""
ORIGINE_RIFIUTATA = r"ERROR engineio\.server: \S+ is not an accepted origin"
"""A socket opened from another site (logged once per process, then at INFO)."""
PACCHETTO_MALFORMATO = (
    r"ERROR engineio\.server: message async handler error(?s:.*)reflex/app\.py\S*, line \d+, "
    r"in on_event\n"
)
"""An event whose `router_data` or name is of the wrong type, failing in Reflex's `on_event`
before any handler."""
URL_MALFORMATA = r"in _url_from_router_data\n(?s:.*)TypeError: can only concatenate str"
"""An event whose `router_data` holds a pathname or headers of the wrong type."""


def sequenza(salvate: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Every data-changing event, in an editor's order, aimed at rows that exist.

    Args:
        salvate: The content rows (from `righe`), to aim at real milestones and values.

    Returns:
        (handler name, keyword arguments) pairs.
    """
    tappa, valore = salvate["tappa"][-1]["id"], salvate["valore"][-1]["id"]
    return [
        ("alterna_modifica", {}),
        ("apri", {"tipo": "sezione", "chiave": "mission"}),
        ("salva", {"form_data": {"testo": HACK}}),
        ("apri", {"tipo": "tappa", "chiave": tappa}),
        ("salva", {"form_data": {"anno": "2001", "titolo": HACK, "testo": HACK}}),
        ("aggiungi", {"tipo": "tappa"}),
        ("salva", {"form_data": {"anno": "", "titolo": HACK, "testo": HACK}}),
        ("aggiungi", {"tipo": "valore"}),
        ("salva", {"form_data": {"titolo": HACK, "testo": HACK}}),
        ("sposta", {"tipo": "tappa", "chiave": tappa, "di": -1}),
        ("sposta", {"tipo": "valore", "chiave": valore, "di": -1}),
        ("chiedi_eliminazione", {"tipo": "tappa", "chiave": tappa}),
        ("elimina", {}),
        ("chiedi_eliminazione", {"tipo": "valore", "chiave": valore}),
        ("elimina", {}),
        ("usa_la_loro", {}),
        ("alterna_anteprima", {}),
        ("chiedi_pubblicazione", {}),
        ("pubblica", {}),
        ("chiedi_scarto", {}),
        ("scarta", {}),
        ("riprendi", {}),  # the editor a tab says it had open (its session storage)
    ]


def sequenza_cronologia(salvate: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Every guarded history event, aimed at rows and revisions that exist."""
    valore = salvate["valore"][-1]["id"]
    revisione = salvate["revisione"][-1]["id"] if salvate.get("revisione") else 1
    return [
        ("apri_cronologia", {"tipo": "sezione", "chiave": "mission"}),
        ("apri_cronologia", {"tipo": "valore", "chiave": valore}),
        ("ripristina", {"numero": revisione}),
        ("apri_pubblicazioni", {}),
        ("ripristina_pagina", {"numero": revisione}),
        ("annulla_ultima", {}),
        ("mostra_precedenti", {}),
        ("confronta", {"numero": revisione}),
    ]


def rifiutato(messaggi: list[dict]) -> bool:
    """Whether the answers are `richiede_staff`'s refusal: edit mode off, "session expired",
    and no editor or confirmation opened."""
    stati = vista(messaggi)
    staff, redazione = stati.get(STAFF, {}), stati.get(REDAZIONE, {})
    return (
        staff.get("avviso") == SESSIONE_SCADUTA
        and staff.get("modifica_attiva") is False
        and redazione.get("aperto", NESSUNA) == NESSUNA
        and redazione.get("da_eliminare", NESSUNA) == NESSUNA
    )


async def tenta_tutto(cliente: ClienteGrezzo, salvate: dict, *, segreto: str | None = None) -> None:
    """Try to set protected vars, then send every data-changing event; each must be refused.

    Args:
        cliente: A connected client.
        salvate: The content rows, to aim at real items.
        segreto: A session secret to send again before each event (as the page does), so
            that the server holds it whenever a handler runs; None for no session.
    """
    for stato, variabile, valore in SETVAR:
        messaggi = await cliente.scambia(
            f"{stato}.setvar", {"var_name": variabile, "value": valore}
        )
        assert vista(messaggi).get(stato, {}).get(variabile) != valore, messaggi
    for nome, payload in sequenza(salvate):
        if segreto is not None:
            await cliente.presenta_segreto(segreto)
        messaggi = await cliente.scambia(f"{REDAZIONE}.{nome}", payload)
        assert rifiutato(messaggi), f"{nome}({payload}) was not refused: {messaggi}"
    for nome, payload in sequenza_cronologia(salvate):
        if segreto is not None:
            await cliente.presenta_segreto(segreto)
        messaggi = await cliente.scambia(f"{CRONOLOGIA}.{nome}", payload)
        assert rifiutato(messaggi), f"{nome}({payload}) was not refused: {messaggi}"
        assert not vista(messaggi).get(CRONOLOGIA, {}).get("revisioni"), messaggi
        assert not vista(messaggi).get(CRONOLOGIA, {}).get("pubblicazioni"), messaggi
        assert not vista(messaggi).get(CRONOLOGIA, {}).get("confronto"), messaggi

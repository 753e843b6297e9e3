"""Publication requests: a redattore asks, a responsabile publishes or postpones.

A request keeps the drafts as they were asked for: the working copy's counter and its changes
one line each (`bozze.da_pubblicare`). At most one request of a space is open at a time: the
site has one working copy, which a publish applies whole, so a second request would list the
same drafts again and whichever was decided second would always find them changed. Who asks
while one is open is told whose it is (the drafts they added meanwhile go with it: the
responsabile is shown what changed since it was asked).

Publishing a request is the one publish use case (`pubblica.pubblica`) with the counter and
changes shown to the responsabile; the decision is written in the publish's own transaction,
and only if the request is still open (`UPDATE … WHERE stato = 'aperta'`), so two responsabili
deciding at the same instant make one decision. A postponement is that same conditional
update, with a note.

Every change is notified (`CANALE`, heard by every app process: `state/richieste.py` brings
its open staff tabs up to date). The audit log reads the requests (`comandi/audit.py`).
"""

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from serena_app import db
from serena_app.auth.sessioni import adesso
from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import Spazio
from serena_app.models import MESSAGGIO_MAX, RichiestaPubblicazione
from serena_app.pubblicazione import notifica
from serena_app.pubblicazione.pubblica import Avviso, Esito
from serena_app.pubblicazione.pubblica import pubblica as pubblica_le_bozze

CANALE = "serena:richieste"
MESSAGGIO_MASSIMO = MESSAGGIO_MAX  # the longest message or note (characters)
APERTA, PUBBLICATA, RIMANDATA = "aperta", "pubblicata", "rimandata"
_ascoltatore: list[Callable[[], None]] = []


class GiaAperta(Exception):
    """Another request of the same space is waiting."""

    def __init__(self, richiedente: str) -> None:
        super().__init__(richiedente)
        self.richiedente = richiedente

    def __str__(self) -> str:
        return (
            f"È già in attesa una richiesta di pubblicazione di {self.richiedente}: "
            "il responsabile vedrà anche le tue modifiche. Nulla è cambiato."
        )


class GiaDecisa(Exception):
    """The request was decided meanwhile (or never existed)."""

    def __str__(self) -> str:
        return "Questa richiesta è già stata decisa da un’altra persona: nulla è cambiato."


class NienteDaChiedere(Exception):
    """The working copy holds no change."""

    def __str__(self) -> str:
        return "Non ci sono modifiche in bozza: niente da chiedere di pubblicare."


@dataclasses.dataclass(frozen=True)
class Richiesta:
    """A request as the staff bar shows it."""

    id: int
    richiedente: str
    creata: datetime
    messaggio: str
    versione: int
    elenco: list[str]
    stato: str = APERTA
    decisore: str = ""
    nota: str = ""

    @classmethod
    def da_riga(cls, riga: RichiestaPubblicazione) -> "Richiesta":
        """The request stored in `riga`."""
        return cls(
            id=riga.id or 0,
            richiedente=riga.richiedente,
            creata=riga.creata,
            messaggio=riga.messaggio,
            versione=riga.versione,
            elenco=json.loads(riga.elenco),
            stato=riga.stato,
            decisore=riga.decisore or "",
            nota=riga.nota,
        )

    @property
    def esito(self) -> str:
        """What the redattore is told of the decision."""
        if self.stato == PUBBLICATA:
            return f"La tua richiesta è stata pubblicata da {self.decisore}."
        if self.stato == RIMANDATA:
            nota = f": {self.nota}" if self.nota else "."
            return f"La tua richiesta è stata rimandata da {self.decisore}{nota}"
        return ""


def chiedi(*, session: Session, spazio: Spazio, autore: str, messaggio: str) -> Richiesta:
    """Open a request for the drafts of `spazio` as they are now, signed `autore`.

    Args:
        messaggio: Already checked (`tipi.testo`).

    Raises:
        NienteDaChiedere: There is no draft.
        GiaAperta: Another request of the space is open.
    """
    versione, differenze = bozze.da_pubblicare(session=session, spazio=spazio)
    if not differenze:
        raise NienteDaChiedere
    riga = RichiestaPubblicazione(
        spazio=spazio.pubblicata.nome,
        richiedente=autore,
        creata=adesso(),
        messaggio=messaggio,
        versione=versione,
        elenco=json.dumps([str(d) for d in differenze]),
    )
    try:
        with db.transazione_bloccata(session, RichiestaPubblicazione):
            session.add(riga)
            session.flush()
    except IntegrityError:
        aperta = _aperta(session, spazio)
        raise GiaAperta(aperta.richiedente if aperta else "un’altra persona") from None
    session.refresh(riga)
    return Richiesta.da_riga(riga)


def _aperta(session: Session, spazio: Spazio) -> RichiestaPubblicazione | None:
    return session.exec(
        select(RichiestaPubblicazione).where(
            RichiestaPubblicazione.spazio == spazio.pubblicata.nome,
            RichiestaPubblicazione.stato == APERTA,
        )
    ).first()


def aperte(*, session: Session, spazio: Spazio, **_: object) -> list[Richiesta]:
    """The open requests of `spazio` (one at most), oldest first."""
    righe = session.exec(
        select(RichiestaPubblicazione)
        .where(
            RichiestaPubblicazione.spazio == spazio.pubblicata.nome,
            RichiestaPubblicazione.stato == APERTA,
        )
        .order_by(col(RichiestaPubblicazione.id))
    )
    return [Richiesta.da_riga(r) for r in righe]


def leggi(*, session: Session, id_richiesta: int, spazio: Spazio, **_: object) -> Richiesta:
    """The request `id_richiesta` of `spazio`, if it is still open.

    Raises:
        GiaDecisa: It is not (or it does not exist).
    """
    riga = session.get(RichiestaPubblicazione, id_richiesta)
    if riga is None or riga.spazio != spazio.pubblicata.nome or riga.stato != APERTA:
        raise GiaDecisa
    return Richiesta.da_riga(riga)


def _decidi(
    session: Session, id_richiesta: int, spazio: Spazio, stato: str, autore: str, nota: str
) -> None:
    """Write the decision in the caller's transaction, if the request is still open."""
    risultato = session.exec(
        update(RichiestaPubblicazione)
        .where(
            col(RichiestaPubblicazione.id) == id_richiesta,
            col(RichiestaPubblicazione.spazio) == spazio.pubblicata.nome,
            col(RichiestaPubblicazione.stato) == APERTA,
        )
        .values(stato=stato, decisore=autore, decisa=adesso(), nota=nota)
    )
    if risultato.rowcount != 1:
        raise GiaDecisa


def rimanda(*, session: Session, spazio: Spazio, autore: str, id_richiesta: int, nota: str) -> None:
    """Postpone the open request `id_richiesta`, with `nota` for the redattore; commits.

    Raises:
        GiaDecisa: It was decided meanwhile; nothing changed.
    """
    with db.transazione_bloccata(session, RichiestaPubblicazione):
        _decidi(session, id_richiesta, spazio, RIMANDATA, autore, nota)


def esiti_da_vedere(*, session: Session, **_: object) -> list[Richiesta]:
    """The decided requests of the site whose redattore has not been shown the outcome."""
    righe = session.exec(
        select(RichiestaPubblicazione)
        .where(
            RichiestaPubblicazione.stato != APERTA,
            col(RichiestaPubblicazione.esito_visto).is_(False),
        )
        .order_by(col(RichiestaPubblicazione.id))
    )
    return [Richiesta.da_riga(r) for r in righe]


def segna_visti(*, session: Session, ids: list[int], **_: object) -> None:
    """The outcomes of requests `ids` have been shown to their redattore; commits."""
    if ids:
        with db.transazione_bloccata(session, RichiestaPubblicazione):
            session.exec(
                update(RichiestaPubblicazione)
                .where(col(RichiestaPubblicazione.id).in_(ids))
                .values(esito_visto=True)
            )


def pubblicata(spazio: Spazio, *, id_richiesta: int, autore: str) -> Callable[[Session], None]:
    """The decision "published by `autore`" of request `id_richiesta`, to run in the publish's
    own transaction (`bozze.pubblica`'s `insieme`): it raises `GiaDecisa`, and so publishes
    nothing, if the request was decided meanwhile."""

    def decidi(session: Session) -> None:
        _decidi(session, id_richiesta, spazio, PUBBLICATA, autore, "")

    return decidi


def cambiate_da(chiesto: list[str], ora: list[str]) -> list[str]:
    """What changed in the drafts since a request listed `chiesto`, one line each: each change
    added or gone, or, if the lines are the same, that the same items were edited again."""
    righe = [f"Nuova: {m}" for m in ora if m not in chiesto]
    righe += [f"Non più in bozza: {m}" for m in chiesto if m not in ora]
    return righe or ["Le stesse voci sono state modificate di nuovo dopo la richiesta."]


async def pubblica(
    spazio: Spazio,
    *,
    richiesta: int,
    versione: int,
    elenco: list[str],
    autore: str,
    dal: datetime | None = None,
    escluso: str = "",
    avviso: Avviso | None = None,
) -> Esito:
    """Publish request `richiesta` with the drafts the responsabile was shown (`versione`,
    `elenco`), and mark it published by `autore` in the same transaction; then notify it.
    `dal`, `escluso` and `avviso` as for `pubblica.pubblica`.

    Raises:
        bozze.BozzaCambiata: The drafts are no longer those; nothing changed.
        GiaDecisa: The request was decided meanwhile; nothing changed.
    """

    esito = await pubblica_le_bozze(
        spazio,
        versione=versione,
        elenco=elenco,
        autore=autore,
        dal=dal,
        escluso=escluso,
        avviso=avviso,
        insieme=pubblicata(spazio, id_richiesta=richiesta, autore=autore),
    )
    await notifica_cambio()
    return esito


def al_cambiamento(funzione: Callable[[], None]) -> None:
    """Call `funzione` in this process whenever a request is made or decided here, and when one
    is notified from another process (the caller registers it on `CANALE` too)."""
    _ascoltatore.append(funzione)


async def notifica_cambio() -> None:
    """Tell every app process that a request was made or decided: on Redis when the app runs
    several (`REDIS_URL`); this process hears it there too, or at once if nobody listens."""
    if not await notifica.invia_su(CANALE, "1"):
        for funzione in _ascoltatore:
            funzione()

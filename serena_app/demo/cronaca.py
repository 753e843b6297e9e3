"""What the room does, for the presenter's view (`/demo/sala`): facts without names or texts.

The one place that sees each committed change of a sandbox is the database session: two
SQLAlchemy hooks (`installa`, demo servers only) note, at each flush, the sandbox revisions
and the sandbox sessions being added (kind, item, action: never a text, never who), and hand
them over when the transaction commits (a write refused and rolled back hands nothing). They
go into this process's `CRONACA` (the demo runs one process), which the presenter's push
(`state/sala.py`) drains a few times a second at most, coalesced by `riassumi`: one line per
action and item, counting the phones, at most `RIGHE_PER_VOLTA` lines each time.
"""

import asyncio
import dataclasses
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from serena_app.contenuto.bozze import PAGINA
from serena_app.demo.capienza import in_sandbox
from serena_app.models import Revisione, SessioneStaff

RIGHE_PER_VOLTA = 2  # feed lines at most per push
RIGHE_MOSTRATE = 8  # the newest lines the presenter's page keeps
_RACCOLTI = "serena_cronaca"  # the key in `Session.info`

APERTA = "aperta"  # a phone opened a sandbox
RIAPERTA = "riaperta"  # a phone put its sandbox back to the content file ("Ripristina demo")
_SEMINATA = "creata"  # the seed's revisions, written without an author

OGGETTI = {
    "valore": "un valore",
    "tappa": "una tappa",
    "mission": "la mission",
    "vision": "la vision",
    "storia_intro": "l’introduzione della storia",
    "storia_testo": "il testo della storia",
    "valori_intro": "l’introduzione dei valori",
    PAGINA: "la pagina",
}
# (one phone, several phones): what each action says, "{oggetto}" the item.
FRASI = {
    APERTA: ("Un telefono ha aperto una prova", "{n} telefoni hanno aperto una prova"),
    RIAPERTA: (
        "Un telefono ha ripristinato la sua prova",
        "{n} telefoni hanno ripristinato la loro prova",
    ),
    "pubblicata": ("Un telefono ha pubblicato", "{n} telefoni hanno pubblicato"),
    "scartata": (
        "Un telefono ha scartato le sue modifiche",
        "{n} telefoni hanno scartato le loro modifiche",
    ),
    "salvata": ("Un telefono ha modificato {oggetto}", "{n} telefoni hanno modificato {oggetto}"),
    "aggiunta": ("Un telefono ha aggiunto {oggetto}", "{n} telefoni hanno aggiunto {oggetto}"),
    "eliminata": ("Un telefono ha eliminato {oggetto}", "{n} telefoni hanno eliminato {oggetto}"),
    "spostata": ("Un telefono ha spostato {oggetto}", "{n} telefoni hanno spostato {oggetto}"),
    "annullata": (
        "Un telefono ha annullato una modifica",
        "{n} telefoni hanno annullato una modifica",
    ),
    "ripristinata": (
        "Un telefono ha ripreso una versione precedente",
        "{n} telefoni hanno ripreso una versione precedente",
    ),
}
ALTRO = ("Un telefono ha fatto altre modifiche", "{n} telefoni hanno fatto altre modifiche")


@dataclasses.dataclass(frozen=True)
class Fatto:
    """One thing a sandbox did: which sandbox (to count phones; never shown), the action, and
    the kind of item or the section's key."""

    sandbox: str
    azione: str
    oggetto: str = ""


def _frase(azione: str, oggetto: str, telefoni: int) -> str:
    uno, molti = FRASI.get(azione, ALTRO)
    modello = uno if telefoni == 1 else molti
    return modello.format(n=telefoni, oggetto=OGGETTI.get(oggetto, "una sezione"))


def riassumi(fatti: list[Fatto], massimo: int = RIGHE_PER_VOLTA) -> list[str]:
    """The feed lines for `fatti`, newest last: one per action and item, counting the phones
    (a phone that saved twice counts once); past `massimo` lines, the rest in one line."""
    gruppi: dict[tuple[str, str], set[str]] = {}
    for fatto in fatti:
        gruppi.setdefault((fatto.azione, fatto.oggetto), set()).add(fatto.sandbox)
    chiavi = list(gruppi)
    if len(chiavi) <= massimo:
        return [_frase(a, o, len(gruppi[(a, o)])) for a, o in chiavi]
    righe = [_frase(a, o, len(gruppi[(a, o)])) for a, o in chiavi[: massimo - 1]]
    resto = set().union(*(gruppi[c] for c in chiavi[massimo - 1 :]))
    uno, molti = ALTRO
    righe.append(uno if len(resto) == 1 else molti.format(n=len(resto)))
    return righe


def con_le_nuove(righe: list[str], nuove: list[str], n: int = RIGHE_MOSTRATE) -> list[str]:
    """The feed as shown, newest first: `nuove` (newest last) on top of `righe`, `n` at most."""
    return (list(reversed(nuove)) + righe)[:n]


class Cronaca:
    """The facts committed and not yet shown, handed from the database's threads to the
    presenter's push on the event loop."""

    def __init__(self) -> None:
        self._fatti: list[Fatto] = []
        self._lock = threading.Lock()
        self._ciclo: asyncio.AbstractEventLoop | None = None
        self.sveglia = asyncio.Event()

    def collega(self, ciclo: asyncio.AbstractEventLoop) -> None:
        """Wake `sveglia` on `ciclo` whenever facts arrive (the push's loop)."""
        self._ciclo = ciclo
        self.sveglia = asyncio.Event()

    def aggiungi(self, fatti: list[Fatto]) -> None:
        """Add facts (from any thread)."""
        if not fatti:
            return
        with self._lock:
            self._fatti.extend(fatti)
        if self._ciclo is not None and not self._ciclo.is_closed():
            self._ciclo.call_soon_threadsafe(self.sveglia.set)

    def preleva(self) -> list[Fatto]:
        """The facts added since the last call, oldest first."""
        with self._lock:
            fatti, self._fatti = self._fatti, []
        return fatti


CRONACA = Cronaca()


def fatti_del_commit(raccolti: list[tuple]) -> list[Fatto]:
    """The facts of one transaction, from what the flushes noted: ("sessione", sandbox) for a
    sandbox session added, ("revisione", spazio, tipo, chiave, azione, autore) for a revision.

    A sandbox's seed is written without an author: with its new session it is a sandbox
    opened, alone it is a sandbox put back to the content file. A revision with an author is
    what a phone did; the item is its kind, or the section's key (a fixed name, not a text).
    """
    aperte = {r[1] for r in raccolti if r[0] == "sessione"}
    fatti = [Fatto(s, APERTA) for s in sorted(aperte)]
    riaperte: set[str] = set()
    for voce in raccolti:
        if voce[0] != "revisione":
            continue
        _, spazio, tipo, chiave, azione, autore = voce
        if autore is None:
            if azione == _SEMINATA and spazio not in aperte and spazio not in riaperte:
                riaperte.add(spazio)
                fatti.append(Fatto(spazio, RIAPERTA))
            continue
        fatti.append(Fatto(spazio, azione, chiave if tipo == "sezione" else tipo))
    return fatti


def _dopo_il_flush(session: Session, _contesto) -> None:
    noti = []
    for oggetto in session.new:
        if isinstance(oggetto, Revisione) and in_sandbox(oggetto.spazio):
            noti.append(
                (
                    "revisione",
                    oggetto.spazio,
                    oggetto.tipo,
                    oggetto.chiave,
                    oggetto.azione,
                    oggetto.autore,
                )
            )
        elif isinstance(oggetto, SessioneStaff) and oggetto.sandbox:
            noti.append(("sessione", oggetto.sandbox))
    if noti:
        session.info.setdefault(_RACCOLTI, []).extend(noti)


def _dopo_il_commit(session: Session) -> None:
    if raccolti := session.info.pop(_RACCOLTI, None):
        CRONACA.aggiungi(fatti_del_commit(raccolti))


def _dopo_il_rollback(session: Session) -> None:
    session.info.pop(_RACCOLTI, None)


def installa() -> None:
    """Listen to every database session of this process (a demo server's)."""
    if not event.contains(Session, "after_flush", _dopo_il_flush):
        event.listen(Session, "after_flush", _dopo_il_flush)
        event.listen(Session, "after_commit", _dopo_il_commit)
        event.listen(Session, "after_rollback", _dopo_il_rollback)


def disinstalla() -> None:
    """Stop listening (the tests')."""
    if event.contains(Session, "after_flush", _dopo_il_flush):
        event.remove(Session, "after_flush", _dopo_il_flush)
        event.remove(Session, "after_commit", _dopo_il_commit)
        event.remove(Session, "after_rollback", _dopo_il_rollback)

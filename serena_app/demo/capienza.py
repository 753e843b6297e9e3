"""How much one demo sandbox may hold and how fast it may change, checked by each write.

Every change to content adds one revision (`pagina.registra`), in the write's own transaction,
after the write lock is taken. For a sandbox, `ammetti` counts there what the sandbox already
holds and what it wrote in the last seconds, so two saves at once cannot both slip under a cap:

* at most `modalita.revisioni_max()` revisions, and `modalita.byte_max()` bytes of text (its
  revisions' and both its pages'), seed included: past either, "Questa prova ha raggiunto il
  limite di modifiche" until "Ripristina demo" starts the sandbox again;
* at most `modalita.scritture_max()` changes in any `modalita.FINESTRA_SCRITTURE`.

A refused write is rolled back whole. An admitted one moves the sandbox's idle deadline: a
sandbox lives on as long as it is written to, not merely looked at (`auth/sessioni.py`).
"""

from sqlalchemy import Integer, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, func, select

from serena_app.contenuto import pagina
from serena_app.demo import modalita
from serena_app.models import Revisione, SessioneStaff, Sezione, Tappa, Valore

PREFISSO = "demo-"
"""How a sandbox's published page is named: "demo-" and a random part (`sandbox.apri`)."""

PIENA = (
    "Questa prova ha raggiunto il limite di modifiche: l’ultima non è stata salvata. "
    "Premi «Ripristina demo» per ricominciare da capo."
)
TROPPO_RAPIDE = (
    "Troppe modifiche in pochi secondi: l’ultima non è stata salvata. Riprova tra qualche secondo."
)


class LimiteRaggiunto(Exception):
    """A sandbox's write refused: it holds as much as it may, or it is written too fast; the
    message says which, in Italian."""


class _Byte(FunctionElement):
    """The UTF-8 size of a text column (0 for NULL), on SQLite and PostgreSQL alike."""

    type = Integer()
    inherit_cache = True


@compiles(_Byte)
def _byte_predefinito(elemento, compilatore, **argomenti) -> str:
    return f"coalesce(octet_length({compilatore.process(elemento.clauses, **argomenti)}), 0)"


@compiles(_Byte, "sqlite")
def _byte_sqlite(elemento, compilatore, **argomenti) -> str:
    # SQLite's length() counts characters, except on a BLOB (octet_length needs 3.43).
    colonna = compilatore.process(elemento.clauses, **argomenti)
    return f"coalesce(length(CAST({colonna} AS BLOB)), 0)"


def in_sandbox(spazio: str) -> bool:
    """Whether `spazio` (a published page's name) is a demo sandbox's."""
    return spazio.startswith(PREFISSO)


def occupati(*, session: Session, pagine: tuple[str, str]) -> tuple[int, int]:
    """What a sandbox holds: its revisions, and the bytes of their text and of its pages' text.

    Args:
        pagine: The names of its published page (which its revisions name) and its working
            copy.
    """
    revisioni, byte = session.exec(
        select(func.count(), func.sum(_Byte(Revisione.prima) + _Byte(Revisione.dopo))).where(
            Revisione.spazio == pagine[0]
        )
    ).one()
    testi = [
        select(func.sum(_Byte(Sezione.testo))).where(col(Sezione.pagina).in_(pagine)),
        *(
            select(func.sum(_Byte(modello.titolo) + _Byte(modello.testo))).where(
                col(modello.pagina).in_(pagine)
            )
            for modello in (Tappa, Valore)
        ),
    ]
    return revisioni, (byte or 0) + sum(session.exec(query).one() or 0 for query in testi)


def _recenti(session: Session, revisione: Revisione) -> int:
    """The changes someone made to the sandbox in the window ending at `revisione`'s time (a
    seed or a reset writes without an author: not counted)."""
    inizio = revisione.quando - modalita.FINESTRA_SCRITTURE
    return session.exec(
        select(func.count()).where(
            Revisione.spazio == revisione.spazio,
            col(Revisione.autore).is_not(None),
            Revisione.quando > inizio,
        )
    ).one()


def ammetti(session: Session, revisione: Revisione, *, bozza: str) -> None:
    """Admit a sandbox's `revisione` (not yet added) into the caller's locked transaction, or
    refuse it. The write must leave the sandbox within its caps and its pace; then its idle
    deadline moves to the revision's time. Writes outside a sandbox never call it (it is
    registered for the sandboxes' prefix only, below).

    Args:
        session: The session of the write, holding the write lock.
        revisione: The write's revision; its `spazio` names the sandbox's published page.
        bozza: The name of the sandbox's working copy.

    Raises:
        LimiteRaggiunto: The sandbox is full (`PIENA`) or writes too fast (`TROPPO_RAPIDE`);
            the caller rolls its transaction back.
    """
    revisioni, byte = occupati(session=session, pagine=(revisione.spazio, bozza))
    nuovi = sum(len((testo or "").encode()) for testo in (revisione.prima, revisione.dopo))
    if revisioni + 1 > modalita.revisioni_max() or byte + nuovi > modalita.byte_max():
        raise LimiteRaggiunto(PIENA)
    if revisione.autore is not None and _recenti(session, revisione) >= modalita.scritture_max():
        raise LimiteRaggiunto(TROPPO_RAPIDE)
    session.exec(
        update(SessioneStaff)
        .where(col(SessioneStaff.sandbox) == revisione.spazio)
        .values(ultimo_uso=revisione.quando)
    )


pagina.controlla_ogni_scrittura(
    lambda session, revisione, bozza: ammetti(session, revisione, bozza=bozza), prefisso=PREFISSO
)

"""A demo server as `serena demo` starts it, for the tests: from a copy of the tree (its build
must not replace the main test server's), with a short idle limit and small caps."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session, func, select, update

from serena_app.contenuto.pagina import Spazio
from serena_app.db import crea_engine
from serena_app.db import session as sessione_db
from serena_app.demo import presentatore
from serena_app.models import Revisione, SessioneStaff, Sezione, Tappa, Valore
from tests.support.copia import copia_albero
from tests.support.server import Server, avvia_app, porta_libera

INATTIVITA_S = 20  # the idle limit: the server looks for idle sandboxes every 5 s
SANDBOX_MAX = 5
PER_INDIRIZZO = 4  # every test browser and raw client comes from 127.0.0.1
REVISIONI_MAX = 60  # a new sandbox holds 22 (its seed): room for 38 changes
SCRITTURE_MAX = 20  # changes per sandbox in any 10 s, as by default


@contextmanager
def server_demo(
    cartella: Path,
    *,
    sandbox_max: int = SANDBOX_MAX,
    per_indirizzo: int = PER_INDIRIZZO,
    inattivita_s: int = INATTIVITA_S,
    revisioni_max: int = REVISIONI_MAX,
) -> Iterator[Server]:
    """Copy the tree into `cartella` and serve the demo from it, on a free port, with these
    limits (the benchmark raises them)."""
    albero = cartella / "albero"
    copia_albero(albero)
    porta = porta_libera()
    ambiente = {
        "SERENA_DEMO": str(cartella),
        "SERENA_DEMO_INDIRIZZO": f"http://localhost:{porta}/",
        "SERENA_DEMO_INATTIVITA_S": str(inattivita_s),
        "SERENA_DEMO_SANDBOX_MAX": str(sandbox_max),
        "SERENA_DEMO_SANDBOX_PER_INDIRIZZO": str(per_indirizzo),
        "SERENA_DEMO_REVISIONI_MAX": str(revisioni_max),
        "SERENA_DEMO_SCRITTURE_MAX": str(SCRITTURE_MAX),
        **chiavi_sala(f"http://localhost:{porta}"),
    }
    with avvia_app(cartella, root=albero, extra_env=ambiente, port=porta) as server:
        yield server


def chiudi_sandbox(db_url: str) -> None:
    """End every sandbox's session, so a test starts with all places free (the server
    removes their rows within seconds)."""
    engine = crea_engine(db_url)
    with Session(engine) as session:
        session.exec(update(SessioneStaff).values(revocata=True))
        session.commit()
    engine.dispose()


def occupa(session: Session, spazio: Spazio) -> tuple[int, int]:
    """What a sandbox holds: its revisions, and the UTF-8 bytes of their text and of its two
    pages' text (counted here, in Python, not as the app counts them)."""
    session.expire_all()
    revisioni = session.exec(
        select(Revisione).where(Revisione.spazio == spazio.pubblicata.nome)
    ).all()
    byte = sum(len((r.prima or "").encode()) + len((r.dopo or "").encode()) for r in revisioni)
    nomi = [spazio.pubblicata.nome, spazio.bozza.nome]
    for modello in (Sezione, Tappa, Valore):
        for riga in session.exec(select(modello).where(modello.pagina.in_(nomi))):
            byte += sum(len(getattr(riga, c, "").encode()) for c in ("titolo", "testo"))
    return len(revisioni), byte


CHIAVI_SALA = 12  # presenter keys each test demo server accepts, each once
_chiavi: dict[str, list[str]] = {}


def chiavi_sala(url: str) -> dict[str, str]:
    """New presenter keys for the demo server at `url`: the environment that gives it their
    hashes (`demo/presentatore.py`); `chiave_sala` hands them out."""
    chiavi = [presentatore.nuova_chiave() for _ in range(CHIAVI_SALA)]
    _chiavi[url] = [chiave for chiave, _ in chiavi]
    return {presentatore.VARIABILE: ",".join(impronta for _, impronta in chiavi)}


def chiave_sala(demo: Server) -> str:
    """An unspent presenter key of `demo`, as `serena demo` prints one in its link."""
    return _chiavi[demo.url].pop()


def sandbox_aperte(db_url: str) -> int:
    """How many sandbox sessions are open (not revoked) on the demo's database."""
    with sessione_db(db_url) as session:
        return session.exec(
            select(func.count())
            .select_from(SessioneStaff)
            .where(SessioneStaff.sandbox.is_not(None), SessioneStaff.revocata == False)  # noqa: E712
        ).one()

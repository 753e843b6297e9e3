"""Small factories for tests: a seeded database, a staff account with a session, a draft of
the mission."""

from sqlmodel import Session

from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import crea_sessione
from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import PUBBLICATA, SITO, Spazio
from serena_app.contenuto.seme import testi_delle_sezioni
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE, Voce

PASSWORD = "una-password-lunga-abbastanza"
MISSION = Voce(SEZIONE.nome, "mission")


def staff_con_sessione(
    session: Session, nome_utente: str = "anna", ruolo: str = RESPONSABILE, **kwargs
) -> str:
    """Create a staff account (a responsabile unless told) and open a session for it; returns
    the session secret."""
    staff = crea_staff(session=session, nome_utente=nome_utente, password=PASSWORD, ruolo=ruolo)
    return crea_sessione(session=session, staff=staff, **kwargs)


def db_seminato(session: Session, contenuto: dict) -> Session:
    """Fill the published page with the content file."""
    semina(session=session, contenuto=contenuto)
    return session


def come_il_seme(session: Session, contenuto: dict) -> bool:
    """Whether the published page holds exactly the content file's texts."""
    atteso = {
        "sezioni": dict(sorted(testi_delle_sezioni(contenuto).items())),
        "tappe": [{c.nome: t.get(c.nome) for c in TAPPA.campi} for t in contenuto["tappe"]],
        "valori": [{c.nome: v.get(c.nome) for c in VALORE.campi} for v in contenuto["valori"]],
    }
    return pagina.contenuto_di(session=session, pagina=PUBBLICATA) == atteso


def ripristina_contenuto(session: Session, contenuto: dict) -> None:
    """Put the content file back over the published page if it changed, and drop every draft
    (one way for every test).

    The counters of the pages that changed go up, so a running server sees the change, reads
    them again and, for the published page, builds the HTML it serves again.
    """
    if not come_il_seme(session, contenuto):
        semina(session=session, contenuto=contenuto, sovrascrivi=True)
    bozze.scarta(session=session, spazio=SITO)


def salva_mission(
    session: Session, testo: str, autore: str = "anna", spazio: Spazio = SITO
) -> None:
    """Save `testo` as the mission's draft in `spazio`'s working copy (made if need be), from
    its current version, signed by `autore`, as an editor's "Salva" does."""
    bozze.apri(session=session, spazio=spazio)
    versione = pagina.leggi_elemento(session=session, pagina=spazio.bozza, voce=MISSION).versione
    pagina.salva(
        session=session,
        pagina=spazio.bozza,
        voce=MISSION,
        campi={"testo": testo},
        versione=versione,
        autore=autore,
    )

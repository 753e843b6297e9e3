"""`serena audit`: who did what and when, oldest first.

It reads two append-only tables: `evento` (logins, failed and refused logins, account
changes) and `revisione` (every change to the site's content and every publish; a demo
sandbox's are left out).
"""

import dataclasses
import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from serena_app.bozze import FUSO, PAGINA
from serena_app.models import Evento, Revisione
from serena_app.pagina import PUBBLICATA
from serena_app.tipi import SEZIONE, testo_di


@dataclasses.dataclass(frozen=True)
class Voce:
    """One line of the audit log."""

    quando: datetime
    chi: str
    azione: str
    cosa: str

    def __str__(self) -> str:
        ora = self.quando.astimezone(FUSO)
        return f"{ora:%Y-%m-%d %H:%M:%S}  {self.chi:<16} {self.azione:<20} {self.cosa}".rstrip()


def _utc(quando: datetime) -> datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=UTC)


def _cosa(revisione: Revisione) -> str:
    if revisione.tipo == PAGINA:
        return "la pagina" if revisione.azione == "pubblicata" else "le bozze della pagina"
    if revisione.tipo == SEZIONE.nome:
        return testo_di(revisione.chiave)
    dati = json.loads(revisione.dopo or revisione.prima or "{}")
    return f"{revisione.tipo} «{dati.get('titolo', '')}»"


def voci(*, session: Session, dal: datetime | None = None, utente: str | None = None) -> list[Voce]:
    """The audit log from `dal` on, of `utente` only if given, oldest first."""
    eventi = select(Evento)
    revisioni = select(Revisione).where(Revisione.spazio == PUBBLICATA.nome)
    if dal is not None:
        eventi = eventi.where(Evento.quando >= dal)
        revisioni = revisioni.where(Revisione.quando >= dal)
    if utente is not None:
        eventi = eventi.where(Evento.nome_utente == utente)
        revisioni = revisioni.where(Revisione.autore == utente)
    elenco = [
        Voce(_utc(e.quando), e.nome_utente, e.azione, f"da {e.client}" if e.client else "")
        for e in session.exec(eventi.order_by(col(Evento.id)))
    ]
    elenco += [
        Voce(_utc(r.quando), r.autore or "(file dei contenuti)", r.azione, _cosa(r))
        for r in session.exec(revisioni.order_by(col(Revisione.id)))
    ]
    return sorted(elenco, key=lambda v: v.quando)

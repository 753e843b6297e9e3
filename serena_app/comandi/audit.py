"""`serena audit`: who did what and when, oldest first.

It reads two append-only tables: `evento` (logins, failed and refused logins, account
changes) and `revisione` (every change to the site's content and every publish; a demo
sandbox's are left out); the scheduled publishes (`programmata`): each one scheduled (who,
for when), cancelled (who) and run (what it did: published N changes, nothing to publish, or
failed and why), rescheduling being cancelling and scheduling again; and the publication
requests (`richiestapubblicazione`: each request gives who asked, and who published or
postponed it), which keep their decision on their own row.

Anything in a line may come from a visitor (a failed login's name is whatever was typed), so
every field is printed through `terminale.sicuro`: a newline, an ESC sequence, a bidi or
invisible character shows as an escape, never raw, and one event is always one line. A login
attempt with a name that is no account says so in place of the name (`NON_ACCOUNT`), and shows
the name typed, quoted, after it: it never looks like an account's line.
"""

import dataclasses
import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from serena_app.auth import eventi as azioni
from serena_app.comandi.terminale import sicuro
from serena_app.contenuto.bozze import PAGINA
from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.contenuto.parole import testo_di
from serena_app.contenuto.tipi import NOMI_LINGUE, SEZIONE
from serena_app.lingue.tempo import FUSO
from serena_app.models import Evento, Programmata, Revisione, RichiestaPubblicazione
from serena_app.pubblicazione import programmate

NON_ACCOUNT = "(non è un account)"


@dataclasses.dataclass(frozen=True)
class Riga:
    """One line of the audit log."""

    quando: datetime
    chi: str
    azione: str
    cosa: str

    def __str__(self) -> str:
        ora = sicuro(f"{self.quando.astimezone(FUSO):%Y-%m-%d %H:%M:%S}")
        chi, azione, cosa = sicuro(self.chi), sicuro(self.azione), sicuro(self.cosa)
        return f"{ora}  {chi:<18} {azione:<20} {cosa}".rstrip()


def _utc(quando: datetime) -> datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=UTC)


def _cosa(revisione: Revisione) -> str:
    """What a revision changed, with the language of the texts a save changed: "Testo della
    mission (in inglese)"."""
    cosa = _oggetto(revisione)
    if revisione.lingua in NOMI_LINGUE:
        return f"{cosa} (in {NOMI_LINGUE[revisione.lingua]})"
    return cosa


def _oggetto(revisione: Revisione) -> str:
    if revisione.tipo == PAGINA:
        return "la pagina" if revisione.azione == "pubblicata" else "le bozze della pagina"
    if revisione.tipo == SEZIONE.nome:
        return testo_di(revisione.chiave)
    dati = json.loads(revisione.dopo or revisione.prima or "{}")
    return f"{revisione.tipo} «{dati.get('titolo', '')}»"


def _riga(evento: Evento) -> Riga:
    cosa = f"da {evento.client}" if evento.client else ""
    if evento.autore:
        cosa = f"da parte di {evento.autore}"
    if evento.azione == azioni.ACCESSO_RIFIUTATO and evento.volte > 1:
        minuti = int(azioni.FINESTRA_RIFIUTI.total_seconds() // 60)
        cosa += f", {evento.volte} tentativi in {minuti} minuti (il primo con questo nome)"
    if evento.account:
        return Riga(_utc(evento.quando), evento.nome_utente, evento.azione, cosa)
    cosa = f"«{evento.nome_utente}» {cosa}".rstrip()
    return Riga(_utc(evento.quando), NON_ACCOUNT, evento.azione, cosa)


CHIESTA = "chiede di pubblicare"
DECISIONI = {"pubblicata": "pubblica la richiesta", "rimandata": "rimanda la richiesta"}


def _richiesta(richiesta: RichiestaPubblicazione) -> list[Riga]:
    """A request's lines: who asked, and who decided (with the note of a postponement)."""
    quante = len(json.loads(richiesta.elenco))
    elenco = [
        Riga(
            _utc(richiesta.creata),
            richiesta.richiedente,
            CHIESTA,
            f"richiesta {richiesta.id}: {quante} modific{'a' if quante == 1 else 'he'}",
        )
    ]
    if richiesta.decisa is not None and richiesta.decisore:
        nota = f", «{richiesta.nota}»" if richiesta.nota else ""
        cosa = f"richiesta {richiesta.id} di {richiesta.richiedente}{nota}"
        azione = DECISIONI.get(richiesta.stato, richiesta.stato)
        elenco.append(Riga(_utc(richiesta.decisa), richiesta.decisore, azione, cosa))
    return elenco


def righe(
    *, session: Session, dal: datetime | None = None, utente: str | None = None
) -> list[Riga]:
    """The audit log from `dal` on, of `utente` only if given, oldest first."""
    eventi = select(Evento)
    revisioni = select(Revisione).where(Revisione.spazio == PUBBLICATA.nome)
    if dal is not None:
        eventi = eventi.where(Evento.quando >= dal)
        revisioni = revisioni.where(Revisione.quando >= dal)
    if utente is not None:
        eventi = eventi.where(Evento.nome_utente == utente)
        revisioni = revisioni.where(Revisione.autore == utente)
    elenco = [_riga(e) for e in session.exec(eventi.order_by(col(Evento.id)))]
    elenco += [
        Riga(_utc(r.quando), r.autore or "(file dei contenuti)", r.azione, _cosa(r))
        for r in session.exec(revisioni.order_by(col(Revisione.id)))
    ]
    elenco += [
        r
        for p in session.exec(select(Programmata).order_by(col(Programmata.id)))
        for r in _programmata(p)
        if (dal is None or r.quando >= _utc(dal)) and (utente is None or r.chi == utente)
    ]
    domande = select(RichiestaPubblicazione).where(RichiestaPubblicazione.spazio == PUBBLICATA.nome)
    for richiesta in session.exec(domande.order_by(col(RichiestaPubblicazione.id))):
        elenco += [
            r
            for r in _richiesta(richiesta)
            if (dal is None or r.quando >= _utc(dal)) and (utente is None or r.chi == utente)
        ]
    return sorted(elenco, key=lambda v: v.quando)


ESEGUITA = {
    programmate.FATTA: "programmata eseguita",
    programmate.VUOTA: "programmata: niente",
    programmate.FALLITA: "programmata fallita",
}


def _programmata(riga: Programmata) -> list[Riga]:
    """A scheduled publish's lines: scheduled, and then cancelled or run."""
    per = f"pubblicazione n. {riga.id} per {programmate.in_parole(riga.quando)}"
    righe_ = [Riga(_utc(riga.creata), riga.autore, "programmata", per)]
    if riga.finita is None:
        return righe_
    if riga.stato == programmate.ANNULLATA:
        righe_.append(
            Riga(_utc(riga.finita), riga.annullata_da or "", "programmata annullata", per)
        )
    elif riga.stato in ESEGUITA:
        cosa = riga.esito if riga.stato != programmate.FALLITA else f"non riuscita: {riga.esito}"
        righe_.append(Riga(_utc(riga.finita), riga.autore, ESEGUITA[riga.stato], f"{per}: {cosa}"))
    return righe_

"""The "Persone" panel, for responsabili only: the accounts, inviting a person, and
disabling, enabling, changing the role of and resetting the password of an account.

Each action is one use case of `auth/personale.py` or `auth/inviti.py`, run off the event
loop with the guard's name as its author; the destructive ones (Disattiva, Cambia ruolo,
Reimposta password) ask first. A demo sandbox's editor, a responsabile of its sandbox only,
manages nobody.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from serena_app.auth import inviti, personale
from serena_app.auth.personale import ErrorePersonale
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE, RUOLI
from serena_app.db import esegui
from serena_app.demo import qr
from serena_app.state.guardia import richiede_staff, solo_responsabile, solo_sito
from serena_app.state.staff import StaffState
from serena_app.web.sito import url_sito

ROMA = ZoneInfo("Europe/Rome")
SOLO_SITO = "Nella demo non si gestiscono le persone: nulla è cambiato."
AZIONI = ("disattiva", "ruolo", "reimposta")
"""The actions that ask first."""
PANNELLO = "pannello-persone"
NOME_INVITO = "nome-invito"
ESITO = "esito-persona"  # the last result, under its row: focus goes there after an action


def _ora(momento: datetime | None) -> str:
    if momento is None:
        return "mai"
    if momento.tzinfo is None:  # SQLite gives back UTC without its zone
        momento = momento.replace(tzinfo=UTC)
    return momento.astimezone(ROMA).strftime("%d/%m/%Y %H:%M")


def _riga(persona: personale.Persona, in_attesa: dict[int, datetime], staff_id: int) -> dict:
    if not persona.attivo:
        stato = "disattivata"
    elif staff_id in in_attesa:
        stato = "link in attesa, valido fino al " + _ora(in_attesa[staff_id])
    else:
        stato = "attiva"
    return {
        "nome": persona.nome_utente,
        "ruolo": persona.ruolo,
        "altro_ruolo": REDATTORE if persona.ruolo == RESPONSABILE else RESPONSABILE,
        "attivo": "sì" if persona.attivo else "",
        "stato": stato,
        "ultimo": _ora(persona.ultimo_accesso),
        "sessioni": str(persona.sessioni_aperte),
    }


def _elenco(*, session: Session) -> list[dict]:
    """The panel's rows, read now."""
    attesa = inviti.in_attesa(session=session)
    ids = {s.nome_utente: s.id for s in personale.elenco_staff(session=session)}
    return [_riga(p, attesa, ids[p.nome_utente]) for p in personale.persone(session=session)]


class PersoneState(StaffState):
    """What the "Persone" panel shows this responsabile's tab."""

    aperto: bool = False
    persone: list[dict[str, str]] = []
    conferma: str = ""  # "nome:azione" waiting for its confirmation
    esito_per: str = ""  # whose row the last result is said under
    esito: str = ""
    errore_invito: str = ""
    link: str = ""  # the last link made, to copy (shown to this tab only, until closed)
    link_per: str = ""
    qr_link: str = ""

    def _nascondi_vista(self) -> None:
        self.aperto, self.persone, self.link, self.qr_link, self.conferma = (
            False,
            [],
            "",
            "",
            "",
        )

    async def _aggiorna(self) -> None:
        self.persone = await esegui(_elenco)

    def _dici(self, nome: str, testo: str) -> None:
        self.esito_per, self.esito = nome, testo
        self.annuncio = testo
        self.conferma = ""
        self._metti_a_fuoco(ESITO)

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def apri_persone(self):
        """Open (or close) the panel, with the accounts as they are now."""
        if self.aperto:
            self.aperto, self.link, self.qr_link, self.conferma = False, "", "", ""
            return
        await self._aggiorna()
        self.aperto, self.esito, self.esito_per = True, "", ""
        self._metti_a_fuoco(PANNELLO)

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def invita(self, form_data: dict):
        """Make an account with the form's "nome" and "ruolo" and show its invitation link."""
        nome = form_data.get("nome") if isinstance(form_data, dict) else None
        ruolo = form_data.get("ruolo") if isinstance(form_data, dict) else None
        if not isinstance(nome, str) or not nome.strip() or ruolo not in RUOLI:
            self.errore_invito = "Scrivi il nome della persona e scegli il ruolo."
            return
        try:
            link = await esegui(inviti.invita, nome_utente=nome, ruolo=ruolo, autore=self._autore)
        except ErrorePersonale as errore:
            self.errore_invito = str(errore)
            return
        self.errore_invito = ""
        nome = nome.strip()
        self._mostra_link(nome, link)
        self._dici(nome, f"Invito per «{nome}» ({ruolo}) creato: copia il link e daglielo.")
        await self._aggiorna()

    def _mostra_link(self, nome: str, link: inviti.Link) -> None:
        self.link = link.indirizzo(url_sito())
        self.qr_link = qr.immagine(self.link)
        self.link_per = nome

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def chiedi(self, nome: str, azione: str):
        """Ask before a destructive action on `nome`'s account."""
        if isinstance(nome, str) and azione in AZIONI:
            self.conferma = f"{nome}:{azione}"

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def annulla_conferma(self):
        """Close the question: nothing is done."""
        self.conferma = ""

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def disattiva(self, nome: str):
        """Disable `nome`'s account: their open tabs lose staff powers within a second."""
        await self._esegui(
            nome,
            f"«{nome}» è disattivata/o: le sue sessioni sono chiuse.",
            personale.disabilita_staff,
            almeno_un_responsabile=True,
        )

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def riattiva(self, nome: str):
        """Enable `nome`'s account again; they log in anew."""
        await self._esegui(
            nome, f"«{nome}» è di nuovo attiva/o: può accedere.", personale.abilita_staff
        )

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def cambia_ruolo(self, nome: str, ruolo: str):
        """Give `nome` the role `ruolo`; their sessions end, and they log in with it."""
        await self._esegui(
            nome,
            f"«{nome}» ora è {ruolo}: le sue sessioni sono chiuse, accederà con il nuovo ruolo.",
            personale.cambia_ruolo,
            ruolo=ruolo,
        )

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def reimposta(self, nome: str):
        """A new one-time link for `nome`; their password and sessions end at once."""
        link = await self._esegui(
            nome,
            f"Nuovo link per «{nome}»: la vecchia password non vale più e le sue sessioni sono "
            "chiuse. Copia il link e daglielo.",
            inviti.reimposta,
        )
        if link is not None:
            self._mostra_link(nome, link)

    async def _esegui(self, nome: object, fatto: str, operazione, **argomenti):
        """Run `operazione` on `nome`'s account and say the result under its row (the
        handlers that call it are `solo_sito`)."""
        if not isinstance(nome, str):
            return None
        if "ruolo" in argomenti and argomenti["ruolo"] not in RUOLI:
            return None
        try:
            risultato = await esegui(operazione, nome_utente=nome, autore=self._autore, **argomenti)
        except ErrorePersonale as errore:
            self._dici(nome, str(errore))
            return None
        self._dici(nome, fatto)
        await self._aggiorna()
        return risultato

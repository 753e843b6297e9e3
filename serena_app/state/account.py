""" "Il mio account", opened from the staff bar: one's own password, open sessions and
two-step login. Each handler is guarded (`richiede_staff`) and acts only on the account of the
session this tab presented (`auth/account.py`)."""

from datetime import datetime

import reflex as rx

from serena_app.auth import account, due_passaggi, indirizzo
from serena_app.auth.account import Account, ErroreAccount
from serena_app.db import esegui
from serena_app.demo import qr
from serena_app.lingue import tempo
from serena_app.state.accesso import AccessoState
from serena_app.state.guardia import richiede_staff, segreto, solo_responsabile
from serena_app.state.staff import StaffState

PANNELLO = "il-mio-account"  # the panel's id; focus goes to it when it opens


class AccountState(StaffState):
    """What the panel shows; emptied whenever the tab's staff view is hidden."""

    aperto: bool = False
    sessioni: list[dict[str, str]] = []  # "dispositivo", "quando", "questa" ("1" or "")
    due_passaggi_attivi: bool = False
    codici_rimasti: int = 0
    obbligo: bool = False
    esito: str = ""  # what the last action did (role="status")
    errore: str = ""  # why the last action was refused (role="alert")
    # Setting two-step login up: the QR code and the secret as text, until confirmed; then
    # the recovery codes, shown once.
    qr_nuovo: str = ""
    segreto_nuovo: str = ""
    codici_nuovi: list[str] = []

    def _nascondi_vista(self) -> None:
        self.aperto = False
        self.sessioni = []
        self.qr_nuovo = ""
        self.segreto_nuovo = ""
        self.codici_nuovi = []
        self.esito = ""
        self.errore = ""

    def _ripristina_vista(self) -> None:
        """The panel stays closed: it is opened again by hand."""

    async def _segreto(self) -> str:
        return segreto(await self.get_state(AccessoState))

    async def _mostra(self) -> None:
        """Read the account again and show it."""
        dati: Account = await esegui(account.il_mio_account, segreto=await self._segreto())
        self.sessioni = [
            {
                "dispositivo": s.dispositivo,
                "quando": _quando(s.ultimo_uso),
                "questa": "1" if s.questa else "",
            }
            for s in dati.sessioni
        ]
        self.due_passaggi_attivi = dati.due_passaggi
        self.codici_rimasti = dati.codici_rimasti
        self.obbligo = dati.obbligo

    async def _esegui(self, funzione, esito: str, **argomenti):
        """Run an action of `auth/account.py`; say `esito` or why it was refused."""
        self.esito = ""
        self.errore = ""
        try:
            risultato = await esegui(funzione, segreto=await self._segreto(), **argomenti)
        except ErroreAccount as rifiuto:
            self.errore = str(rifiuto)
            return None
        self.esito = esito
        await self._mostra()
        return risultato

    @rx.event
    @richiede_staff
    async def apri_account(self) -> None:
        """Open the panel with the account as it is now (reads only)."""
        self.esito = ""
        self.errore = ""
        self.codici_nuovi = []
        try:
            await self._mostra()
        except ErroreAccount as rifiuto:
            self.errore = str(rifiuto)
        self.aperto = True
        self._metti_a_fuoco(PANNELLO)

    @rx.event
    def chiudi_account(self) -> None:
        """Close the panel (this tab only)."""
        self._nascondi_vista()

    @rx.event
    @richiede_staff
    async def cambia_password(self, form_data: dict) -> None:
        """The form's "attuale" and "nuova": the person's own new password."""
        attuale, nuova = _testi(form_data, "attuale", "nuova")
        if attuale is None or nuova is None:
            self.errore = "Scrivi la password attuale e quella nuova."
            return
        await self._esegui(
            account.cambia_password,
            "Password cambiata. Gli altri dispositivi sono stati disconnessi.",
            attuale=attuale,
            nuova=nuova,
            client=indirizzo.del_router(self.router),
        )

    @rx.event
    @richiede_staff
    async def esci_dagli_altri(self) -> None:
        """ "Esci da tutti gli altri dispositivi": their sessions end at once."""
        await self._esegui(account.esci_dagli_altri, "Sei uscita/o da tutti gli altri dispositivi.")

    @rx.event
    @richiede_staff
    async def avvia_due_passaggi(self) -> None:
        """Show a new secret as a QR code and as text, to be confirmed by a code (nothing is
        stored until then)."""
        accesso = await self.get_state(AccessoState)
        self.esito = ""
        self.errore = ""
        self.segreto_nuovo = due_passaggi.nuovo_segreto()
        indirizzo = due_passaggi.indirizzo_app(self.segreto_nuovo, accesso.nome_staff)
        self.qr_nuovo = qr.immagine(indirizzo)
        self._metti_a_fuoco("segreto-due-passaggi")

    @rx.event
    @richiede_staff
    async def conferma_due_passaggi(self, form_data: dict) -> None:
        """The form's "codice", from the app: two-step login is on; the recovery codes once."""
        (codice,) = _testi(form_data, "codice")
        if not self.segreto_nuovo:
            self.errore = "Premi prima «Attiva la verifica in due passaggi»."
            return
        if codice is None:
            self.errore = "Scrivi il codice che mostra l’app."
            return
        codici = await self._esegui(
            account.attiva_due_passaggi,
            "Verifica in due passaggi attiva.",
            nuovo=self.segreto_nuovo,
            codice=codice,
        )
        if codici:
            self.codici_nuovi = codici
            self.qr_nuovo = ""
            self.segreto_nuovo = ""
            self._metti_a_fuoco("codici-recupero")

    @rx.event
    @richiede_staff
    async def disattiva_due_passaggi(self, form_data: dict) -> None:
        """The form's "prova" (the password, or a code): two-step login is off."""
        (prova,) = _testi(form_data, "prova")
        if prova is None:
            self.errore = "Scrivi la password o un codice."
            return
        await self._esegui(
            account.disattiva_due_passaggi,
            "Verifica in due passaggi disattivata.",
            prova=prova,
            client=indirizzo.del_router(self.router),
        )

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def richiedi_a_tutti(self, richiesta: bool) -> None:
        """Require two-step login of every responsabile, or not."""
        if not isinstance(richiesta, bool):
            self.errore = "Scelta non valida."
            return
        await self._esegui(
            account.richiedi_a_tutti,
            "Verifica in due passaggi richiesta a tutti i responsabili."
            if richiesta
            else "Verifica in due passaggi non più richiesta.",
            richiesta=richiesta,
        )


def _quando(momento: datetime) -> str:
    """ "6 dicembre, 02:10" (Italian time)."""
    return tempo.giorno_e_ora(momento)


def _testi(form_data: object, *nomi: str) -> tuple[str | None, ...]:
    """The form's fields `nomi`, each a non-empty text of at most 1024 characters, or None."""
    if not isinstance(form_data, dict):
        return tuple(None for _ in nomi)
    valori = []
    for nome in nomi:
        valore = form_data.get(nome)
        ok = isinstance(valore, str) and 0 < len(valore) <= 1024
        valori.append(valore if ok else None)
    return tuple(valori)

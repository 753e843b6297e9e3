"""The login state of this browser: the session secret, who is logged in, login and logout."""

import reflex as rx
from sqlmodel import Session

from serena_app.auth import dispositivo, due_passaggi, indirizzo
from serena_app.auth.credenziali import (
    AccessoNegato,
    InAttesaDelCodice,
    accedi,
    conferma_codice,
)
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import (
    adesso,
    revoca_sessione,
    staff_autorizzato,
    staff_della_sessione,
)
from serena_app.db import esegui
from serena_app.demo import qr
from serena_app.state import guardia, schede_staff
from serena_app.state.interfaccia import BARRA_STAFF


def _accedi(
    *,
    session: Session,
    nome_utente: str,
    password: str,
    client: str,
    dispositivi: list[str],
    descrizione: str,
) -> tuple[str, str] | InAttesaDelCodice:
    """Log in; the session secret and a new device token for this browser, or the code step."""
    segreto = accedi(
        session=session,
        nome_utente=nome_utente,
        password=password,
        client=client,
        dispositivi=dispositivi,
        descrizione=descrizione,
    )
    if isinstance(segreto, InAttesaDelCodice):
        return segreto
    return segreto, _nuovo_dispositivo(session, segreto)


def _nuovo_dispositivo(session: Session, segreto: str) -> str:
    staff = staff_della_sessione(session=session, token=segreto)
    return dispositivo.emetti(session=session, nome_utente=staff.nome_utente)


def _conferma(
    *,
    session: Session,
    attesa: InAttesaDelCodice,
    codice: str,
    client: str,
    dispositivi: list[str],
    descrizione: str,
) -> tuple[str, str, list[str]]:
    """The code step; the session secret, a new device token and any new recovery codes."""
    segreto, codici = conferma_codice(
        session=session,
        attesa=attesa,
        codice=codice,
        client=client,
        dispositivi=dispositivi,
        descrizione=descrizione,
    )
    return segreto, _nuovo_dispositivo(session, segreto), codici


class AccessoState(rx.State):
    """Holds the browser's session secret; who is logged in is checked against the database.

    Reflex keeps this state under the tab's client token, the UUID in the websocket URL, which
    reverse proxies log. So the secret counts only on the socket that presented it: whenever
    `token` is set (the page's hydration and navigations send it from local storage, a login
    sets it) the socket's id is noted beside it, and `guardia.segreto` gives the secret to that
    socket only. Another socket reusing the client token without sending the secret gets
    nothing, and the powers end with the connection; the page's own reconnect sends the secret
    again.

    What only staff may see (the working copy, an open editor's text, the staff name) is hidden
    whenever the secret is cleared, as hydration does first, and shown again only when the
    same secret is set, as hydration does next if the page sent it: all before the state is
    sent to the socket. States that hold such things implement `_nascondi_vista()` and
    `_ripristina_vista()`.
    """

    # The secret from `secrets.token_urlsafe(32)`; the database stores only its hash. Kept in
    # the browser's local storage, not a cookie: it is never sent in HTTP headers, so it cannot
    # end up in request logs, and no other site's request can carry it.
    token: str = rx.LocalStorage("", name="serena_sessione")
    # The browser's device tokens (`auth/dispositivo.py`), space-separated: one per name that
    # logged in here. In local storage for the same reasons as the secret, and, like it,
    # honoured only from the socket that presented them (`_dispositivi_presentati`).
    dispositivi: str = rx.LocalStorage("", name="serena_dispositivi")
    errore_accesso: str = ""
    # The logged-in staff member's username and role, "" for a visitor. No setter: no browser
    # sets them. The role only chooses which buttons the bar shows: every handler checks it.
    nome_staff: str = ""
    ruolo_staff: str = ""
    _connessione: str = ""  # the socket that set `token`
    _connessione_dispositivi: str = ""  # the socket that set `dispositivi`
    _nascosta_per: str = ""  # the secret whose staff view is hidden
    _nome_nascosto: str = ""
    _ruolo_nascosto: str = ""
    _appena_entrata: bool = False  # from a login until the page shows the staff bar
    # Two-step login: after a right password, what the code step needs, on the server only
    # (no session exists yet), for the socket that sent the password.
    _in_attesa: InAttesaDelCodice | None = None
    _attesa_per: str = ""
    codice_richiesto: bool = False  # the form asks for the code now
    # When the account must first turn two-step login on: the QR code and the secret as text
    # (that is the setup), then the recovery codes, shown once.
    qr_configura: str = ""
    segreto_configura: str = ""
    codici_recupero: list[str] = []

    def __setattr__(self, nome: str, valore) -> None:
        if nome in ("token", "dispositivi") and not valore and not getattr(self, nome):
            return  # nothing changes: a visitor's state stays untouched, so it is never stored
        vecchio = self.__dict__.get(nome) if nome == "token" else None
        super().__setattr__(nome, valore)
        if nome == "dispositivi":
            super().__setattr__("_connessione_dispositivi", self.router.session.session_id)
        if nome != "token":
            return
        super().__setattr__("_connessione", self.router.session.session_id)
        if vecchio and not valore:
            super().__setattr__("_nascosta_per", vecchio)
            self._vista_staff("_nascondi_vista")
        elif valore and self._nascosta_per:
            # Only the same secret brings the view back; any other forgets it for good.
            if valore == self._nascosta_per:
                self._vista_staff("_ripristina_vista")
            super().__setattr__("_nascosta_per", "")

    def _vista_staff(self, azione: str) -> None:
        """Run `azione` on every state of this tab that holds what only staff may see."""
        radice = self.parent_state
        da_visitare = list(radice.substates.values()) if radice is not None else []
        while da_visitare:
            stato = da_visitare.pop()
            da_visitare.extend(stato.substates.values())
            if hasattr(type(stato), azione):
                getattr(stato, azione)()

    def _nascondi_vista(self) -> None:
        self._nome_nascosto, self.nome_staff = self.nome_staff, ""
        self._ruolo_nascosto, self.ruolo_staff = self.ruolo_staff, ""

    def _ripristina_vista(self) -> None:
        self.nome_staff, self._nome_nascosto = self._nome_nascosto, ""
        self.ruolo_staff, self._ruolo_nascosto = self._ruolo_nascosto, ""

    def _dispositivi_presentati(self) -> list[str]:
        """The device tokens, if the socket of the event being handled presented them."""
        if self._connessione_dispositivi != self.router.session.session_id:
            return []
        return self.dispositivi.split()

    @rx.event
    async def verifica(self) -> None:
        """On page load: show the staff bar only for a live session presented on this socket."""
        await self._verifica()

    async def _verifica(self) -> None:
        segreto = guardia.segreto(self)
        staff = await staff_autorizzato(segreto) if segreto else None
        schede_staff.ricorda(self.router.session.client_token, segreto, staff)  # revoca.py
        if (nome := staff.nome_utente if staff else "") != self.nome_staff:
            self.nome_staff = nome
        if (ruolo := staff.ruolo if staff else "") != self.ruolo_staff:
            self.ruolo_staff = ruolo
        if staff is None and self.token:
            self.token = ""
        if staff is not None and self._appena_entrata:
            self._appena_entrata = False
            from serena_app.state.staff import StaffState  # it builds on this state

            # Right after the login, keyboard focus starts on the staff bar, drawn by this event.
            (await self.get_state(StaffState))._metti_a_fuoco(BARRA_STAFF)

    @rx.event
    async def accedi(self, form_data: dict):
        """Log in with the form's "nome_utente" and "password"; hashing runs off the loop.

        The browser's device tokens go with the attempt, and a success gives it a new one for
        that name (`auth/dispositivo.py`).
        """
        nome_utente = form_data.get("nome_utente") if isinstance(form_data, dict) else None
        password = form_data.get("password") if isinstance(form_data, dict) else None
        if not isinstance(nome_utente, str) or not isinstance(password, str):
            self.errore_accesso = "Scrivi nome utente e password."
            return None
        client = indirizzo.del_router(self.router)
        presentati = self._dispositivi_presentati()
        self._dimentica_attesa()
        try:
            esito = await esegui(
                _accedi,
                nome_utente=nome_utente,
                password=password,
                client=client,
                dispositivi=presentati,
                descrizione=self._descrizione(),
            )
        except AccessoNegato as rifiuto:
            self.errore_accesso = str(rifiuto)
            return None
        self.errore_accesso = ""
        if isinstance(esito, InAttesaDelCodice):
            self._in_attesa = esito
            self._attesa_per = self.router.session.session_id
            self.codice_richiesto = True
            if esito.configura:
                indirizzo_app = due_passaggi.indirizzo_app(esito.segreto_nuovo, esito.nome_utente)
                self.qr_configura = qr.immagine(indirizzo_app)
                self.segreto_configura = esito.segreto_nuovo
            return None
        token, nuovo = esito
        return self._entrata(token, nuovo, presentati)

    def _descrizione(self) -> str:
        """This browser in a few words (the handshake keeps only them: `web/connessione.py`)."""
        return (self.router.headers.user_agent or "")[:64]

    def _dimentica_attesa(self) -> None:
        self._in_attesa = None
        self._attesa_per = ""
        self.codice_richiesto = False
        self.qr_configura = ""
        self.segreto_configura = ""

    @rx.event
    async def conferma_codice(self, form_data: dict):
        """The second step of login: the form's "codice" (from the app, or a recovery code),
        for the password this socket sent; the limits count it like a password."""
        codice = form_data.get("codice") if isinstance(form_data, dict) else None
        attesa = self._in_attesa
        if attesa is None or self._attesa_per != self.router.session.session_id:
            self._dimentica_attesa()
            self.errore_accesso = "Scrivi prima nome utente e password."
            return None
        if not isinstance(codice, str) or not codice.strip():
            self.errore_accesso = "Scrivi il codice."
            return None
        presentati = self._dispositivi_presentati()
        try:
            token, nuovo, codici = await esegui(
                _conferma,
                attesa=attesa,
                codice=codice,
                client=indirizzo.del_router(self.router),
                dispositivi=presentati,
                descrizione=self._descrizione(),
            )
        except AccessoNegato as rifiuto:
            self.errore_accesso = str(rifiuto)
            if attesa.scade < adesso():
                self._dimentica_attesa()
            return None
        self._dimentica_attesa()
        if codici:  # shown once, on this page, before going on
            self.codici_recupero = codici
            self.token = token
            self.dispositivi = dispositivo.conserva(" ".join(presentati), nuovo)
            self.errore_accesso = ""
            await self._verifica()
            return None
        return self._entrata(token, nuovo, presentati)

    @rx.event
    def annulla_codice(self) -> None:
        """Back to the password form: the pending step is forgotten."""
        self._dimentica_attesa()
        self.errore_accesso = ""

    def _entrata(self, token: str, nuovo: str, presentati: list[str]):
        """Logged in: keep the secret and the device token, and go to the page."""
        self.token = token
        self.dispositivi = dispositivo.conserva(" ".join(presentati), nuovo)
        self.errore_accesso = ""
        self._appena_entrata = True
        return rx.redirect("/")

    @rx.event
    async def esci(self):
        """Log out: the session ends in the database at once."""
        if segreto := guardia.segreto(self):
            await esegui(revoca_sessione, token=segreto)
        self.token = ""
        self.nome_staff = ""
        self.ruolo_staff = ""
        self._nascosta_per = ""  # that view never comes back
        self.codici_recupero = []


responsabile = AccessoState.ruolo_staff == RESPONSABILE
"""Whether this page shows a responsabile's buttons (the server checks each one again)."""

con_codici_recupero = AccessoState.codici_recupero.length() > 0
"""Whether the login page shows the recovery codes just made (once)."""

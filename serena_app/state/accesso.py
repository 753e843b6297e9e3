"""The login state of this browser: the session secret, who is logged in, login and logout."""

import reflex as rx
from sqlmodel import Session

from serena_app.auth import dispositivo, indirizzo
from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.permessi import staff_autorizzato
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import revoca_sessione, staff_della_sessione
from serena_app.db import esegui
from serena_app.state import schede_staff
from serena_app.state.interfaccia import BARRA_STAFF


def _accedi(
    *, session: Session, nome_utente: str, password: str, client: str, dispositivi: list[str]
) -> tuple[str, str]:
    """Log in; the session secret and a new device token for this browser."""
    segreto = accedi(
        session=session,
        nome_utente=nome_utente,
        password=password,
        client=client,
        dispositivi=dispositivi,
    )
    staff = staff_della_sessione(session=session, token=segreto)
    return segreto, dispositivo.emetti(session=session, nome_utente=staff.nome_utente)


class AccessoState(rx.State):
    """Holds the browser's session secret; who is logged in is checked against the database.

    Reflex keeps this state under the tab's client token, the UUID in the websocket URL, which
    reverse proxies log. So the secret counts only on the socket that presented it: whenever
    `token` is set (the page's hydration and navigations send it from local storage, a login
    sets it) the socket's id is noted beside it, and `_segreto()` gives the secret to that socket
    only. Another socket reusing the client token without sending the secret gets nothing, and
    the powers end with the connection; the page's own reconnect sends the secret again.

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

    def _segreto(self) -> str:
        """The session secret, if the socket of the event being handled presented it."""
        return self.token if self._presentato_da(self.router.session.session_id) else ""

    def _dispositivi_presentati(self) -> list[str]:
        """The device tokens, if the socket of the event being handled presented them."""
        if self._connessione_dispositivi != self.router.session.session_id:
            return []
        return self.dispositivi.split()

    def _presentato_da(self, socket: str | None) -> bool:
        """Whether the socket `socket` presented this tab's secret (a push in the background
        asks it of the socket the client token is connected on now)."""
        return bool(self.token) and bool(self._connessione) and self._connessione == socket

    @rx.event
    async def verifica(self) -> None:
        """On page load: show the staff bar only for a live session presented on this socket."""
        await self._verifica()

    async def _verifica(self) -> None:
        segreto = self._segreto()
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
        try:
            token, nuovo = await esegui(
                _accedi,
                nome_utente=nome_utente,
                password=password,
                client=client,
                dispositivi=presentati,
            )
        except AccessoNegato as rifiuto:
            self.errore_accesso = str(rifiuto)
            return None
        self.token = token
        self.dispositivi = dispositivo.conserva(" ".join(presentati), nuovo)
        self.errore_accesso = ""
        self._appena_entrata = True
        return rx.redirect("/")

    @rx.event
    async def esci(self):
        """Log out: the session ends in the database at once."""
        if segreto := self._segreto():
            await esegui(revoca_sessione, token=segreto)
        self.token = ""
        self.nome_staff = ""
        self.ruolo_staff = ""
        self._nascosta_per = ""  # that view never comes back


responsabile = AccessoState.ruolo_staff == RESPONSABILE
"""Whether this page shows a responsabile's buttons (the server checks each one again)."""

"""The login state of this browser: the session secret, who is logged in, login and logout."""

import asyncio

import reflex as rx

from serena_app import db
from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.permessi import staff_autorizzato
from serena_app.auth.sessioni import revoca_sessione


def _accedi_sincrono(nome_utente: str, password: str, client: str) -> str:
    with db.session() as session:
        return accedi(session=session, nome_utente=nome_utente, password=password, client=client)


def _esci_sincrono(token: str) -> None:
    with db.session() as session:
        revoca_sessione(session=session, token=token)


class AccessoState(rx.State):
    """Holds the browser's session secret; who is logged in is checked against the database."""

    # The secret from `secrets.token_urlsafe(32)`; the database stores only its hash. Kept in
    # the browser's local storage, not a cookie: it is never sent in HTTP headers, so it cannot
    # end up in request logs, and no other site's request can carry it.
    token: str = rx.LocalStorage("", name="serena_sessione")
    errore_accesso: str = ""
    _nome_staff: str = ""

    @rx.var
    def nome_staff(self) -> str:
        """The logged-in staff member's username, "" for a visitor."""
        return self._nome_staff

    @rx.event
    async def verifica(self) -> None:
        """On page load: show the staff bar only for a live session."""
        if not self.token:
            self._nome_staff = ""
            return
        staff = await staff_autorizzato(self.token)
        self._nome_staff = staff.nome_utente if staff else ""
        if staff is None:
            self.token = ""

    @rx.event
    async def accedi(self, form_data: dict):
        """Log in with the form's "nome_utente" and "password"; hashing runs off the loop."""
        nome_utente = form_data.get("nome_utente") if isinstance(form_data, dict) else None
        password = form_data.get("password") if isinstance(form_data, dict) else None
        if not isinstance(nome_utente, str) or not isinstance(password, str):
            self.errore_accesso = "Scrivi nome utente e password."
            return None
        client = self.router.session.client_ip or "sconosciuto"
        try:
            token = await asyncio.to_thread(_accedi_sincrono, nome_utente, password, client)
        except AccessoNegato as rifiuto:
            self.errore_accesso = str(rifiuto)
            return None
        self.token = token
        self.errore_accesso = ""
        return rx.redirect("/")

    @rx.event
    async def esci(self):
        """Log out: the session ends in the database at once."""
        if self.token:
            await asyncio.to_thread(_esci_sincrono, self.token)
        self.token = ""
        self._nome_staff = ""

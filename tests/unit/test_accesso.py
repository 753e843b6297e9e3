"""Login: one message for every wrong case, and a limit on failed attempts."""

from datetime import timedelta

import pytest

from serena_app.auth.credenziali import (
    FINESTRA,
    MAX_TENTATIVI,
    TROPPI_TENTATIVI,
    AccessoNegato,
    accedi,
)
from serena_app.auth.personale import crea_staff, disabilita_staff
from serena_app.auth.sessioni import adesso, staff_della_sessione
from tests.factories import PASSWORD


@pytest.fixture
def anna(session):
    return crea_staff(session=session, nome_utente="anna", password=PASSWORD)


def _rifiuto(session, **kwargs) -> str:
    argomenti = {"nome_utente": "anna", "password": PASSWORD, "client": "10.0.0.1", **kwargs}
    with pytest.raises(AccessoNegato) as rifiuto:
        accedi(session=session, **argomenti)
    return str(rifiuto.value)


def test_right_credentials_open_a_session(session, anna):
    token = accedi(session=session, nome_utente="anna", password=PASSWORD, client="10.0.0.1")
    assert staff_della_sessione(session=session, token=token).id == anna.id


def test_every_wrong_case_gets_the_same_message(session, anna):
    wrong_password = _rifiuto(session, password="password-sbagliata")
    unknown_user = _rifiuto(session, nome_utente="nessuno")
    disabilita_staff(session=session, nome_utente="anna")
    disabled = _rifiuto(session)
    assert wrong_password == unknown_user == disabled == "Nome utente o password non validi."


def test_five_failures_for_a_username_lock_it_for_everyone(session, anna):
    for i in range(MAX_TENTATIVI):
        _rifiuto(session, password="sbagliata", client=f"10.0.0.{i}")
    assert _rifiuto(session, client="10.9.9.9") == TROPPI_TENTATIVI  # even the right password


def test_five_failures_from_a_client_lock_that_client(session, anna):
    for i in range(MAX_TENTATIVI):
        _rifiuto(session, nome_utente=f"utente{i}", password="sbagliata")
    assert _rifiuto(session) == TROPPI_TENTATIVI
    token = accedi(session=session, nome_utente="anna", password=PASSWORD, client="10.0.0.2")
    assert token  # another client is not affected


def test_the_lock_ends_after_the_window(session, anna):
    inizio = adesso()
    for _ in range(MAX_TENTATIVI):
        _rifiuto(session, password="sbagliata", ora=inizio)
    assert _rifiuto(session, ora=inizio + timedelta(minutes=1)) == TROPPI_TENTATIVI
    dopo = inizio + FINESTRA + timedelta(seconds=1)
    assert accedi(session=session, nome_utente="anna", password=PASSWORD, client="1", ora=dopo)


def test_a_lone_surrogate_is_a_wrong_credential_and_counts(session, anna):
    """Not valid Unicode text, in the password or the username: the usual message, and the
    attempt counts towards the limit like any other failure."""
    assert _rifiuto(session, password="password\ud800") == "Nome utente o password non validi."
    assert _rifiuto(session, nome_utente="anna\udfff") == "Nome utente o password non validi."
    for _ in range(MAX_TENTATIVI - 2):
        _rifiuto(session, password="\ud800" * 20)
    assert _rifiuto(session) == TROPPI_TENTATIVI

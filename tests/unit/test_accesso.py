"""Login: one message for every wrong case; failed attempts count (limits in detail:
`test_limiti_accesso.py`)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE, AccessoNegato, accedi
from serena_app.auth.limiti import FINESTRA, MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.auth.personale import crea_staff, disabilita_staff
from serena_app.auth.sessioni import adesso, staff_della_sessione
from serena_app.models import TentativoAccesso
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


def test_the_lock_ends_after_the_window(session, anna):
    inizio = adesso()
    for _ in range(MAX_PER_NOME_E_CLIENT):
        _rifiuto(session, password="sbagliata", ora=inizio)
    assert _rifiuto(session, ora=inizio + timedelta(minutes=1)) == TROPPI_TENTATIVI
    dopo = inizio + FINESTRA + timedelta(seconds=1)
    assert accedi(
        session=session, nome_utente="anna", password=PASSWORD, client="10.0.0.1", ora=dopo
    )


def test_a_lone_surrogate_is_a_wrong_credential_and_counts(session, anna):
    """Not valid Unicode text, in the password or the username: the usual message, no
    traceback, and the attempt is recorded like any other failure (the name escaped)."""
    assert _rifiuto(session, password="password\ud800") == CREDENZIALI_NON_VALIDE
    assert _rifiuto(session, nome_utente="anna\udfff") == CREDENZIALI_NON_VALIDE
    registrati = session.exec(select(TentativoAccesso.nome_utente)).all()
    assert sorted(registrati) == ["anna", "anna\\udfff"]
    for _ in range(MAX_PER_NOME_E_CLIENT - 1):
        _rifiuto(session, password="\ud800" * 20)
    assert _rifiuto(session) == TROPPI_TENTATIVI  # five failures for anna from this address

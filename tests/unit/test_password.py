"""Password hashing (Argon2id) and the password policy."""

import pytest

from serena_app.auth.password import (
    LUNGHEZZA_MASSIMA,
    PUNTEGGIO_MINIMO,
    PasswordNonValida,
    controlla_password,
    hash_password,
    verifica_password,
)
from serena_app.auth.personale import crea_staff, reimposta_password
from tests.e2e.conftest import STAFF_PASSWORD
from tests.factories import PASSWORD
from tests.security.conftest import PASSWORD as PASSWORD_ATTACCHI


def test_short_passwords_are_refused_with_a_reason():
    with pytest.raises(PasswordNonValida, match="almeno 12 caratteri"):
        hash_password("a" * 11)


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("dodici-caratteri")
    assert hashed.startswith("$argon2id$")
    assert "dodici-caratteri" not in hashed
    assert verifica_password(hashed, "dodici-caratteri")
    assert not verifica_password(hashed, "dodici-caratterI")


def test_long_passwords_are_not_truncated():
    lunga = "tazza volante nel giardino blu " * 7
    hashed = hash_password(lunga)
    assert verifica_password(hashed, lunga)
    assert not verifica_password(hashed, lunga[:72])
    assert not verifica_password(hashed, lunga + "y")


def test_overlong_passwords_are_refused_not_cut():
    with pytest.raises(PasswordNonValida, match="al massimo"):
        hash_password("x" * (LUNGHEZZA_MASSIMA + 1))
    assert not verifica_password(hash_password(PASSWORD), "x" * (LUNGHEZZA_MASSIMA + 1))


def test_a_broken_hash_never_verifies():
    assert not verifica_password("non-un-hash", "qualsiasi-password")


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "password1234", "qwertyuiopasdf", "iloveyouiloveyou"],
)
def test_passwords_zxcvbn_rates_weak_are_refused_in_italian_with_a_hint(password):
    assert PUNTEGGIO_MINIMO == 3  # zxcvbn's scores 0, 1 and 2 are refused
    with pytest.raises(PasswordNonValida) as rifiuto:
        controlla_password(password, "anna")
    messaggio = str(rifiuto.value)
    assert "troppo facile da indovinare" in messaggio
    assert "frase di quattro o più parole" in messaggio  # a hint a person can follow
    assert not any(parola in messaggio for parola in ("Repeats", "Sequences", "common", "Add"))


def test_a_password_containing_the_user_name_is_refused_whatever_the_case():
    with pytest.raises(PasswordNonValida, match="non deve contenere il nome utente"):
        hash_password("la-mia-password-ANNA-segreta", "anna")
    # The same password is fine for another account.
    assert verifica_password(
        hash_password("la-mia-password-ANNA-segreta", "bruno"), "la-mia-password-ANNA-segreta"
    )


def test_a_long_phrase_is_accepted():
    controlla_password("tazza volante nel giardino blu", "anna")


@pytest.mark.parametrize("password", [PASSWORD, STAFF_PASSWORD, PASSWORD_ATTACCHI])
def test_the_test_suites_passwords_meet_the_policy(password):
    controlla_password(password, "anna")


def test_accounts_are_checked_against_their_own_name(session):
    """`create-staff` and `reset-password` (through `personale.py`) pass the account's name."""
    with pytest.raises(PasswordNonValida, match="nome utente"):
        crea_staff(session=session, nome_utente="Ginevra", password="ginevra-al-mare-blu")
    crea_staff(session=session, nome_utente="ginevra", password=PASSWORD)
    with pytest.raises(PasswordNonValida, match="nome utente"):
        reimposta_password(session=session, nome_utente="ginevra", password="sono GINEVRA e basta")

"""Password hashing (Argon2id) and the password policy."""

import pytest

from serena_app.auth.password import (
    LUNGHEZZA_MASSIMA,
    PasswordNonValida,
    hash_password,
    verifica_password,
)


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
    lunga = "x" * 200
    hashed = hash_password(lunga)
    assert verifica_password(hashed, lunga)
    assert not verifica_password(hashed, lunga[:72])
    assert not verifica_password(hashed, lunga + "y")


def test_overlong_passwords_are_refused_not_cut():
    with pytest.raises(PasswordNonValida, match="al massimo"):
        hash_password("x" * (LUNGHEZZA_MASSIMA + 1))
    assert not verifica_password(hash_password("x" * 20), "x" * (LUNGHEZZA_MASSIMA + 1))


def test_a_broken_hash_never_verifies():
    assert not verifica_password("non-un-hash", "qualsiasi-password")

"""Password hashing with Argon2id (argon2-cffi), and the password policy."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

LUNGHEZZA_MINIMA = 12
LUNGHEZZA_MASSIMA = 1024  # Argon2 hashes the whole password; the cap only bounds the work.

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# A valid hash to verify against when the username does not exist, so that a failed login
# takes the same time whether or not the account exists.
HASH_FITTIZIO = _hasher.hash("password-che-nessuno-usa")


class PasswordNonValida(ValueError):
    """The password does not meet the policy; the message says why, in Italian."""


def controlla_password(password: str, nome_utente: str = "") -> None:
    """Raise `PasswordNonValida` unless the password meets the policy (for the account
    `nome_utente`, if given)."""
    if len(password) < LUNGHEZZA_MINIMA:
        msg = f"La password deve avere almeno {LUNGHEZZA_MINIMA} caratteri."
        raise PasswordNonValida(msg)
    if len(password) > LUNGHEZZA_MASSIMA:
        msg = f"La password può avere al massimo {LUNGHEZZA_MASSIMA} caratteri."
        raise PasswordNonValida(msg)


def hash_password(password: str, nome_utente: str = "") -> str:
    """The Argon2id hash of a password that meets the policy (for the account `nome_utente`,
    if given)."""
    controlla_password(password, nome_utente)
    return _hasher.hash(password)


def verifica_password(hash_salvato: str, password: str) -> bool:
    """Whether `password` matches `hash_salvato`; never raises for a wrong password."""
    if len(password) > LUNGHEZZA_MASSIMA:
        return False
    try:
        return _hasher.verify(hash_salvato, password)
    except (VerificationError, InvalidHashError):
        return False

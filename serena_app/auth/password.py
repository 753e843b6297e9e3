"""Password hashing with Argon2id (argon2-cffi), and the password policy.

The policy: at least 12 characters, not containing the account's name (in any case), and not
one that zxcvbn rates weak: a score below 3 of 4 (`PUNTEGGIO_MINIMO`; 3 is "safely
unguessable: moderate protection from an offline attack"). zxcvbn's own advice is English,
so the refusal says why in Italian words of our own, with a hint a person can follow.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

LUNGHEZZA_MINIMA = 12
LUNGHEZZA_MASSIMA = 1024  # Argon2 hashes the whole password; the cap only bounds the work.
PUNTEGGIO_MINIMO = 3  # zxcvbn's score, 0 to 4: a lower one is refused
VALUTATI = 72  # zxcvbn rates at most this many characters (its own limit): the first ones

CONSIGLIO = (
    "Prova una frase di quattro o più parole che non stanno di solito insieme, "
    "per esempio «tazza volante nel giardino blu»."
)
# zxcvbn's warning, by the words it starts with, told in Italian.
_PERCHE = {
    "Repeats": "Le ripetizioni (come «aaa» o «abcabc») sono facili da indovinare.",
    "Sequences": "Le sequenze (come «abc» o «6543») sono facili da indovinare.",
    "Recent years": "Gli anni e le date sono facili da indovinare.",
    "Dates": "Gli anni e le date sono facili da indovinare.",
    "Straight rows": "Le file di tasti vicini (come «qwerty») sono facili da indovinare.",
    "Short keyboard": "Le file di tasti vicini (come «qwerty») sono facili da indovinare.",
    "This is a top": "È una delle password più usate al mondo.",
    "This is a very common": "È una delle password più usate al mondo.",
    "This is similar": "Somiglia a una password molto usata.",
    "A word by itself": "Una parola sola è facile da indovinare.",
    "Names and surnames": "Nomi e cognomi sono facili da indovinare.",
    "Common names": "Nomi e cognomi sono facili da indovinare.",
}
_PERCHE_GENERICO = "È una password facile da indovinare."

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# A valid hash to verify against when the username does not exist, so that a failed login
# takes the same time whether or not the account exists.
HASH_FITTIZIO = _hasher.hash("password-che-nessuno-usa")


class PasswordNonValida(ValueError):
    """The password does not meet the policy; the message says why, in Italian."""


def _perche(avviso: str) -> str:
    """zxcvbn's English warning `avviso`, said in Italian."""
    for inizio, frase in _PERCHE.items():
        if avviso.startswith(inizio):
            return frase
    return _PERCHE_GENERICO


def controlla_password(password: str, nome_utente: str = "") -> None:
    """Raise `PasswordNonValida` unless the password meets the policy (for the account
    `nome_utente`, if given): the message says why and how to choose a better one."""
    if len(password) < LUNGHEZZA_MINIMA:
        msg = f"La password deve avere almeno {LUNGHEZZA_MINIMA} caratteri."
        raise PasswordNonValida(msg)
    if len(password) > LUNGHEZZA_MASSIMA:
        msg = f"La password può avere al massimo {LUNGHEZZA_MASSIMA} caratteri."
        raise PasswordNonValida(msg)
    nome = nome_utente.strip().casefold()
    if nome and nome in password.casefold():
        msg = f"La password non deve contenere il nome utente. {CONSIGLIO}"
        raise PasswordNonValida(msg)
    valutazione = zxcvbn(password[:VALUTATI], user_inputs=[nome] if nome else [])
    if valutazione["score"] < PUNTEGGIO_MINIMO:
        perche = _perche(valutazione["feedback"]["warning"] or "")
        msg = f"Questa password è troppo facile da indovinare. {perche} {CONSIGLIO}"
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

"""How a person in edit mode is shown: a name and initials derived from `nome_utente`.

Accounts have only a `nome_utente` ("anna.rossi"), printable characters only
(`auth/personale.py`). Its parts (split on dots, underscores, hyphens and spaces) give the
name shown ("Anna Rossi") and the initials ("AR"; one part: "A").
"""

import re
import unicodedata

SEPARATORI = re.compile(r"[._\-\s]+")
MAX_PARTI = 6  # a name shown is a few words, whatever the account's name holds


def parti(nome_utente: str) -> list[str]:
    """The parts of a `nome_utente`, in NFC, without empty ones or invisible characters."""
    testo = unicodedata.normalize("NFC", nome_utente)
    testo = "".join(c for c in testo if unicodedata.category(c)[0] not in "CZ" or c == " ")
    return [p for p in SEPARATORI.split(testo) if p][:MAX_PARTI]


def _prima_lettera(parte: str) -> str:
    """The first character of `parte` with the combining marks that follow it."""
    fine = 1
    while fine < len(parte) and unicodedata.combining(parte[fine]):
        fine += 1
    return parte[:fine]


def _maiuscola(parte: str) -> str:
    prima = _prima_lettera(parte)
    maiuscola = prima.upper()
    return (maiuscola if len(maiuscola) == len(prima) else prima) + parte[len(prima) :]


def nome_completo(nome_utente: str) -> str:
    """ "anna.rossi" → "Anna Rossi"; a name with nothing visible stays as it is."""
    trovate = parti(nome_utente)
    return " ".join(_maiuscola(p) for p in trovate) if trovate else nome_utente


def nome_breve(nome_utente: str) -> str:
    """ "anna.rossi" → "Anna": how "Anna sta modificando…" names her."""
    trovate = parti(nome_utente)
    return _maiuscola(trovate[0]) if trovate else nome_utente


def iniziali(nome_utente: str) -> str:
    """ "anna.rossi" → "AR", "bruno" → "B": the first and the last part's first letter."""
    trovate = parti(nome_utente)
    if not trovate:
        return "?"
    scelte = trovate[:1] if len(trovate) == 1 else [trovate[0], trovate[-1]]
    return "".join(_maiuscola(_prima_lettera(p)) for p in scelte)

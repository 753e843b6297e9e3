"""Who presents the demo: only the terminal that started it can hand the presenter's powers.

`serena demo` makes a random key (256 bits) at start, gives the server only its SHA-256
(`SERENA_DEMO_CHIAVE_SHA256`) and prints a one-time link for the presenter, with the key in
the address's fragment, so that it never reaches a request log (`comando.presentazione`).
The presenter's page sends the fragment as an event's payload; the first one to present the
key spends it and gets a presenter secret, kept in that browser's local storage like a staff
secret, so a reload keeps the powers. The server keeps only the secrets' hashes, in this
process's memory (a demo runs one process, and a new `serena demo` makes a new key). The
variable may name several hashes, comma-separated, each spent on its own (the tests start one
server for many presenters).

A wrong key cannot be guessed: 256 random bits, compared in constant time.
"""

import hashlib
import hmac
import os
import secrets
import threading

VARIABILE = "SERENA_DEMO_CHIAVE_SHA256"
PERCORSO = "/demo/sala"
GIA_USATO = (
    "Questo link è già stato usato, oppure non è valido: le demo le può ripristinare solo chi "
    "ha aperto il link stampato dal terminale che ha avviato la demo. Per averne uno nuovo, "
    "riavvia «serena demo»."
)


def impronta(testo: str) -> str:
    """The SHA-256 of `testo`, in hex: what the server keeps of a key or a secret."""
    return hashlib.sha256(testo.encode()).hexdigest()


def nuova_chiave() -> tuple[str, str]:
    """A new presenter key and its hash: the terminal keeps the first, the server the second."""
    chiave = secrets.token_urlsafe(32)
    return chiave, impronta(chiave)


def link(porta: int, chiave: str) -> str:
    """The presenter's one-time link on this computer, the key in the fragment."""
    return f"http://localhost:{porta}{PERCORSO}#chiave={chiave}"


def chiave_del_frammento(frammento: str) -> str:
    """The key in an address's fragment ("#chiave=…"), "" if there is none."""
    for parte in frammento.lstrip("#").split("&"):
        nome, _, valore = parte.partition("=")
        if nome == "chiave":
            return valore[:100]
    return ""


class Presentatore:
    """The keys' hashes, which are spent, and the secrets they gave (their hashes)."""

    def __init__(self, impronte_chiavi: str) -> None:
        self._impronte = [i.strip() for i in impronte_chiavi.split(",") if i.strip()]
        self._spese: set[str] = set()
        self._segreti: set[str] = set()
        self._lock = threading.Lock()

    def presenta(self, chiave: str) -> str | None:
        """Spend the key: a new presenter secret, or None if the key is wrong or spent."""
        if not chiave:
            return None
        data = impronta(chiave)
        giusta = next((i for i in self._impronte if hmac.compare_digest(data, i)), None)
        with self._lock:
            if giusta is None or giusta in self._spese:
                return None
            self._spese.add(giusta)
            segreto = secrets.token_urlsafe(32)
            self._segreti.add(impronta(segreto))
            return segreto

    def riconosce(self, segreto: str) -> bool:
        """Whether `segreto` is a presenter secret this key gave."""
        return bool(segreto) and impronta(segreto) in self._segreti


_del_processo: Presentatore | None = None


def del_processo() -> Presentatore:
    """This process's presenter, from the key's hash in the environment (none: no key works)."""
    global _del_processo
    if _del_processo is None:
        _del_processo = Presentatore(os.environ.get(VARIABILE, ""))
    return _del_processo

"""A counter of events per key in fixed time windows, with bounded memory."""

import enum
from collections import OrderedDict
from dataclasses import dataclass


class Esito(enum.Enum):
    """What to do with one event."""

    AMMESSO = "ammesso"
    PRIMO_SCARTATO = "primo scartato"  # the first over the limit in this window: say so once
    SCARTATO = "scartato"


@dataclass
class _Finestra:
    inizio: float
    conteggio: int = 0


class Limitatore:
    """At most `massimo` events per key in each window of `durata` seconds.

    A key's window starts at its first event and lasts `durata`; the next event after it
    starts a new one. Keys whose window has ended are forgotten, and at most `chiavi` keys are
    kept: past that, the keys with the oldest windows are forgotten first (they start again
    from zero). Not thread-safe: use it from one thread (the event loop).
    """

    def __init__(self, massimo: int, durata: float, chiavi: int = 10_000) -> None:
        self.massimo = massimo
        self.durata = durata
        self.chiavi = chiavi
        # Ordered by window start: a key goes to the end when its window (re)starts.
        self._finestre: OrderedDict[str, _Finestra] = OrderedDict()

    def __len__(self) -> int:
        """How many keys are remembered."""
        return len(self._finestre)

    def conta(self, chiave: str, ora: float) -> Esito:
        """Count one event of `chiave` at time `ora` (seconds, monotonic) and judge it."""
        self._dimentica(ora, nuova=chiave not in self._finestre)
        finestra = self._finestre.get(chiave)
        if finestra is None:
            finestra = self._finestre[chiave] = _Finestra(inizio=ora)
        finestra.conteggio += 1
        if finestra.conteggio <= self.massimo:
            return Esito.AMMESSO
        if finestra.conteggio == self.massimo + 1:
            return Esito.PRIMO_SCARTATO
        return Esito.SCARTATO

    def _dimentica(self, ora: float, *, nuova: bool) -> None:
        """Forget ended windows, and make room for a new key if `nuova`."""
        while self._finestre:
            prima = next(iter(self._finestre.values()))
            finita = ora - prima.inizio >= self.durata
            piena = nuova and len(self._finestre) >= self.chiavi
            if not (finita or piena):
                return
            self._finestre.popitem(last=False)

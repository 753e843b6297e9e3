"""The entries of presence: one per staff tab in edit mode, each expiring on its own.

An entry says which space a tab edits (the site, or a demo sandbox: the name of its published
page), whose account it is, and the item its editor has open (the edit button's id, e.g.
"apri-sezione-mission", with how announcements name it), or none. It lives `DURATA_S`
unless the tab's heartbeat extends it. Two stores, the same interface:

* `InMemoria` (one app process, `make run`): a dict by tab.
* `SuRedis` (several processes, `REDIS_URL`): one key per tab,
  `serena:presenza:<spazio>:<client token>` → small JSON, written with `SET … PX`; the
  heartbeat's `PEXPIRE` only extends a key that exists, it never creates one.

Never a table: an entry nobody extends is gone after `DURATA_S`.
"""

import dataclasses
import json
import time
from typing import Protocol

from serena_app.contenuto.parole import SEZIONI_MASCHILI, id_controllo
from serena_app.contenuto.tipi import SEZIONE, SEZIONI, TIPI, Voce
from serena_app.presenza import nomi

DURATA_S = 3.5  # an entry's life without a heartbeat (the browser beats every 1.5 s)
PREFISSO = "serena:presenza:"
LOTTO_SCAN = 500


@dataclasses.dataclass(frozen=True)
class Presenza:
    """One staff tab in edit mode."""

    scheda: str  # the tab's client token
    spazio: str  # where it edits: the published page's name of the site or its sandbox
    nome_utente: str
    voce: str = ""  # the edit button's id of the item its editor has open; "" for none
    cosa: str = ""  # how announcements name that item: "il testo della mission"


def chiave(spazio: str, scheda: str) -> str:
    """The Redis key of a tab's entry."""
    return f"{PREFISSO}{spazio}:{scheda}"


class Deposito(Protocol):
    """Where this deployment keeps the entries."""

    async def scrivi(self, presenza: Presenza) -> None: ...
    async def prolunga(self, spazio: str, scheda: str) -> bool: ...
    async def togli(self, spazio: str, scheda: str) -> None: ...
    async def tutte(self) -> list[Presenza]: ...


class InMemoria:
    """The entries of the one app process, in a dict by tab."""

    def __init__(self, durata_s: float = DURATA_S) -> None:
        self.durata_s = durata_s
        self._voci: dict[str, tuple[Presenza, float]] = {}

    async def scrivi(self, presenza: Presenza) -> None:
        """Write (or replace) the tab's entry, alive for `durata_s`."""
        self._voci[presenza.scheda] = (presenza, time.monotonic() + self.durata_s)

    async def prolunga(self, spazio: str, scheda: str) -> bool:
        """Extend the tab's entry, if it has one in `spazio`; never create one."""
        trovata = self._voci.get(scheda)
        if trovata is None or trovata[0].spazio != spazio or trovata[1] <= time.monotonic():
            return False
        self._voci[scheda] = (trovata[0], time.monotonic() + self.durata_s)
        return True

    async def togli(self, spazio: str, scheda: str) -> None:
        """Remove the tab's entry in `spazio`."""
        trovata = self._voci.get(scheda)
        if trovata is not None and trovata[0].spazio == spazio:
            del self._voci[scheda]

    async def tutte(self) -> list[Presenza]:
        """The live entries; the expired ones are dropped."""
        ora = time.monotonic()
        for scheda in [s for s, (_, scade) in self._voci.items() if scade <= ora]:
            del self._voci[scheda]
        return [p for p, _ in self._voci.values()]

    def dimensione(self) -> int:
        """How many entries are kept (expired ones included, until the next look)."""
        return len(self._voci)


class SuRedis:
    """The entries of every app process, one Redis key per tab with a TTL."""

    def __init__(self, client, durata_s: float = DURATA_S) -> None:
        self.client = client
        self.durata_ms = int(durata_s * 1000)

    async def scrivi(self, presenza: Presenza) -> None:
        """Write (or replace) the tab's key, alive for the entry's life."""
        valore = json.dumps({"n": presenza.nome_utente, "v": presenza.voce, "c": presenza.cosa})
        await self.client.set(chiave(presenza.spazio, presenza.scheda), valore, px=self.durata_ms)

    async def prolunga(self, spazio: str, scheda: str) -> bool:
        """Extend the tab's key, if it exists (`PEXPIRE` never creates one)."""
        return bool(await self.client.pexpire(chiave(spazio, scheda), self.durata_ms))

    async def togli(self, spazio: str, scheda: str) -> None:
        """Remove the tab's key."""
        await self.client.delete(chiave(spazio, scheda))

    async def tutte(self) -> list[Presenza]:
        """Every live entry: one SCAN of the presence keys, one MGET."""
        chiavi = [k async for k in self.client.scan_iter(match=PREFISSO + "*", count=LOTTO_SCAN)]
        if not chiavi:
            return []
        trovate = []
        for nome, valore in zip(chiavi, await self.client.mget(chiavi), strict=True):
            if valore is None:
                continue  # expired between the two
            nome = nome.decode() if isinstance(nome, bytes) else nome
            spazio, _, scheda = nome.removeprefix(PREFISSO).rpartition(":")
            try:
                dati = json.loads(valore)
                trovate.append(Presenza(scheda, spazio, dati["n"], dati["v"], dati.get("c", "")))
            except (ValueError, KeyError, TypeError):
                continue
        return trovate


@dataclasses.dataclass(frozen=True)
class Vista:
    """What one tab in edit mode sees of the others."""

    persone: tuple[tuple[str, str], ...] = ()  # (initials, full name), by name
    aperti: tuple[tuple[str, str], ...] = ()  # (edit button's id, "Anna sta modificando…")
    chi: tuple[tuple[str, str, str], ...] = ()  # (full name, item's id, how it is named)


def vista(presenze: list[Presenza], *, scheda: str, spazio: str, nome_utente: str) -> Vista:
    """What tab `scheda` of `nome_utente`, editing `spazio`, sees: the other accounts in edit
    mode in the same space, and the items they have open; never itself, never its own
    account's other tabs, never another space."""
    altre = sorted(
        (p for p in presenze if p.spazio == spazio and p.nome_utente != nome_utente),
        key=lambda p: (p.nome_utente, p.voce),
    )
    persone: dict[str, tuple[str, str]] = {}
    aperti: dict[str, list[str]] = {}
    chi = set()
    for p in altre:
        persone[p.nome_utente] = (nomi.iniziali(p.nome_utente), nomi.nome_completo(p.nome_utente))
        if p.voce:
            aperti.setdefault(p.voce, [])
            if (breve := nomi.nome_breve(p.nome_utente)) not in aperti[p.voce]:
                aperti[p.voce].append(breve)
        chi.add((nomi.nome_completo(p.nome_utente), p.voce, p.cosa))
    return Vista(
        persone=tuple(sorted(persone.values(), key=lambda x: x[1])),
        aperti=tuple(
            (voce, " e ".join(chi_) + (" sta" if len(chi_) == 1 else " stanno") + " modificando…")
            for voce, chi_ in sorted(aperti.items())
        ),
        chi=tuple(sorted(chi)),
    )


def annuncio(prima: Vista, dopo: Vista) -> str:
    """One sentence for a screen reader about what changed between two views of a tab ("Anna
    Rossi ha aperto il testo della mission."); "" when nothing it says changed."""
    frasi = []
    nomi_prima = {n for _, n in prima.persone}
    nomi_dopo = {n for _, n in dopo.persone}
    frasi += [f"{n} è in modifica" for n in sorted(nomi_dopo - nomi_prima)]
    frasi += [f"{n} ha lasciato la modifica" for n in sorted(nomi_prima - nomi_dopo)]
    aperte_prima = {(n, v, c) for n, v, c in prima.chi if v}
    aperte_dopo = {(n, v, c) for n, v, c in dopo.chi if v}
    frasi += [f"{n} ha aperto {c}" for n, _, c in sorted(aperte_dopo - aperte_prima)]
    frasi += [
        f"{n} ha chiuso {c}"
        for n, _, c in sorted(aperte_prima - aperte_dopo)
        if n in nomi_dopo  # who left says it all
    ]
    return "; ".join(frasi) + "." if frasi else ""


def descrivi(tipo: str, chiave: str) -> tuple[str, bool]:
    """How the question and announcements name an item, and whether the name is feminine:
    ("la mission", True), ("il sottotitolo", False), ("una tappa", True)."""
    if tipo == SEZIONE.nome:
        nome = SEZIONI.get(chiave, chiave)
        femminile = chiave not in SEZIONI_MASCHILI
        if nome[:1] in "aeiou":
            return f"l’{nome}", femminile
        return f"{'la' if femminile else 'il'} {nome}", femminile
    genere = TIPI[tipo]
    return f"{'una' if genere.femminile else 'un'} {genere.nome}", genere.femminile


def id_voce(voce: Voce) -> str:
    """The id of an item's edit button, which its marker and the question refer to."""
    return id_controllo("apri", voce)

"""Hosts on one machine: network namespaces made by the tests, joined by two bridges, removed
afterwards (every process in them killed first), even when a test fails.

    fronte (10.231.N.0/24): the tests' own address .1 (browser, httpx), the edge .10,
                            app hosts .11 and .12
    dati (10.232.N.0/24):   the data host .5, app hosts .11 and .12; no address of this machine

Each host has only its own addresses on those bridges: no route anywhere else. `N` comes from
the test process's id, so two runs on one machine do not meet. Needs root (`ip netns`).
"""

import contextlib
import ipaddress
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ATTESA_S = 10.0
NETNS_ETC = Path("/etc/netns")  # `ip netns exec` puts NETNS_ETC/<name>/hosts over /etc/hosts


def ip(*argomenti: str) -> None:
    subprocess.run(["ip", *argomenti], check=True, capture_output=True, text=True)


@dataclass
class Ospite:
    """A host: a network namespace, its addresses on each network, its interfaces there."""

    nome: str
    indirizzi: dict[str, str]  # network → address
    interfacce: dict[str, str] = field(default_factory=dict)  # network → interface in the host

    def comando(self, *argomenti: str) -> list[str]:
        """`argomenti` run inside the host."""
        return ["ip", "netns", "exec", self.nome, *argomenti]

    def esegui(self, *argomenti: str, **opzioni) -> subprocess.CompletedProcess:
        opzioni = {"check": True, "text": True, **opzioni}
        return subprocess.run(self.comando(*argomenti), **opzioni)

    def avvia(self, argomenti: list[str], **opzioni) -> subprocess.Popen:
        """Start `argomenti` inside the host (the Popen is that very process: `ip netns exec`
        replaces itself with it)."""
        return subprocess.Popen(self.comando(*argomenti), start_new_session=True, **opzioni)

    def pid(self) -> list[int]:
        """Every process running in the host now."""
        uscita = subprocess.run(
            ["ip", "netns", "pids", self.nome],
            check=False,
            capture_output=True,
            text=True,
        ).stdout
        return [int(p) for p in uscita.split()]

    def uccidi_tutto(self) -> None:
        """`kill -9` every process in the host, as if the machine lost power; wait until
        none is left."""
        fine = time.monotonic() + ATTESA_S
        while pid := self.pid():
            for numero in pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(numero, signal.SIGKILL)
            if time.monotonic() > fine:
                msg = f"processes left in {self.nome}: {pid}"
                raise TimeoutError(msg)
            time.sleep(0.05)

    def collegamento(self, rete: str, *, attivo: bool) -> None:
        """Bring the host's link to `rete` down (its cable pulled) or up again."""
        ip("-n", self.nome, "link", "set", self.interfacce[rete], "up" if attivo else "down")

    def nomi(self, **nomi: str) -> None:
        """Host names seen inside the host (`/etc/netns/<host>/hosts`)."""
        cartella = NETNS_ETC / self.nome
        cartella.mkdir(parents=True, exist_ok=True)
        righe = ["127.0.0.1 localhost", *(f"{a} {n}" for n, a in nomi.items())]
        (cartella / "hosts").write_text("\n".join(righe) + "\n", encoding="utf-8")

    def contatore_ricevuti(self, rete: str) -> int:
        """Packets the host received on its link to `rete` so far."""
        percorso = f"/sys/class/net/{self.interfacce[rete]}/statistics/rx_packets"
        return int(self.esegui("cat", percorso, capture_output=True).stdout)


@dataclass
class Rete:
    """The hosts and the two bridges."""

    ospiti: dict[str, Ospite]
    ponti: dict[str, str]  # network → bridge in this machine
    nostro: str  # this machine's address on `fronte`


RETI = {
    "fronte": ipaddress.ip_network("10.231.0.0/16"),
    "dati": ipaddress.ip_network("10.232.0.0/16"),
}
HOSTS = {
    "bordo": {"fronte": 10},
    "dati": {"dati": 5},
    "a": {"fronte": 11, "dati": 11},
    "b": {"fronte": 12, "dati": 12},
}


def _indirizzo(rete: str, n: int, ultimo: int) -> str:
    return str(RETI[rete].network_address + n * 256 + ultimo)


@contextlib.contextmanager
def rete() -> Iterator[Rete]:
    """Make the hosts of `HOSTS` and remove them at the end, whatever happened."""
    n = os.getpid() % 250 + 1
    prefisso = f"sr{n}"
    ponti = {nome: f"{prefisso}{nome[0]}" for nome in RETI}  # e.g. sr17f, sr17d
    ospiti: dict[str, Ospite] = {}
    cavi: list[str] = []  # this machine's ends of the hosts' links
    try:
        for ponte in ponti.values():
            ip("link", "add", ponte, "type", "bridge")
            ip("link", "set", ponte, "up")
        nostro = _indirizzo("fronte", n, 1)
        ip("addr", "add", f"{nostro}/24", "dev", ponti["fronte"])
        for nome, ultimi in HOSTS.items():
            ospite = Ospite(f"{prefisso}-{nome}", {})
            ospiti[nome] = ospite
            ip("netns", "add", ospite.nome)
            ip("-n", ospite.nome, "link", "set", "lo", "up")
            for nome_rete, ultimo in ultimi.items():
                esterna, interna = f"{prefisso}{nome}{nome_rete[0]}", nome_rete
                ip("link", "add", esterna, "type", "veth", "peer", "name", interna, "netns",
                   ospite.nome)  # fmt: skip
                cavi.append(esterna)
                ip("link", "set", esterna, "master", ponti[nome_rete], "up")
                indirizzo = _indirizzo(nome_rete, n, ultimo)
                ip("-n", ospite.nome, "addr", "add", f"{indirizzo}/24", "dev", interna)
                ip("-n", ospite.nome, "link", "set", interna, "up")
                ospite.indirizzi[nome_rete] = indirizzo
                ospite.interfacce[nome_rete] = interna
        yield Rete(ospiti, ponti, nostro)
    finally:
        # Every process first, the app hosts before the data host, while the links are up:
        # their connections close cleanly instead of holding the namespaces for minutes.
        for ospite in sorted(ospiti.values(), key=lambda o: "dati" in o.nome):
            with contextlib.suppress(TimeoutError):
                ospite.uccidi_tutto()
        for cavo in cavi:  # both ends go, even one in a namespace the kernel still holds
            subprocess.run(["ip", "link", "del", cavo], check=False, capture_output=True)
        for ospite in ospiti.values():
            subprocess.run(["ip", "netns", "del", ospite.nome], check=False, capture_output=True)
            shutil.rmtree(NETNS_ETC / ospite.nome, ignore_errors=True)
        for ponte in ponti.values():
            subprocess.run(["ip", "link", "del", ponte], check=False, capture_output=True)

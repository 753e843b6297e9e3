"""Login limits stop guessing without letting strangers lock anyone out.

The numbers are the policy, written out: 5 failures per name from one address, 30 per address
across names, and past 10 failures per name (from anywhere) a wait that doubles from 1 s up to
30 s; a browser holding a device token for the name skips those, with 5 failures per token.
Password checks are counted by wrapping the real `verifica_password`.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from serena_app.auth import credenziali, dispositivo
from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE, AccessoNegato, accedi
from serena_app.auth.limiti import MAX_PER_DISPOSITIVO, MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.auth.personale import crea_staff
from serena_app.auth.sessioni import adesso, staff_della_sessione
from serena_app.models import TentativoAccesso
from tests.factories import PASSWORD


@pytest.fixture
def anna(session):
    return crea_staff(session=session, nome_utente="anna", password=PASSWORD)


@pytest.fixture
def bruno(session):
    return crea_staff(session=session, nome_utente="bruno", password=PASSWORD)


@pytest.fixture
def verifiche(monkeypatch) -> list[str]:
    """Every real password check, as it happens (the hash checked against)."""
    fatte: list[str] = []
    vera = credenziali.verifica_password

    def contata(hash_salvato: str, password: str) -> bool:
        fatte.append(hash_salvato)
        return vera(hash_salvato, password)

    monkeypatch.setattr(credenziali, "verifica_password", contata)
    return fatte


def _rifiuto(session, **kwargs) -> str:
    argomenti = {"nome_utente": "anna", "password": PASSWORD, "client": "10.0.0.1", **kwargs}
    with pytest.raises(AccessoNegato) as rifiuto:
        accedi(session=session, **argomenti)
    return str(rifiuto.value)


def _entra(session, staff, **kwargs) -> None:
    argomenti = {"nome_utente": staff.nome_utente, "password": PASSWORD, **kwargs}
    token = accedi(session=session, **argomenti)
    assert staff_della_sessione(session=session, token=token).id == staff.id


def _attesa(secondi: int) -> str:
    unita = "secondo" if secondi == 1 else "secondi"
    return (
        "Troppi tentativi di accesso non riusciti con questo nome utente: "
        f"riprova tra {secondi} {unita}."
    )


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(session, anna):
    """Someone guessing anna's password from address A cannot keep anna out at address B."""
    for _ in range(5):
        assert _rifiuto(session, password="sbagliata", client="10.0.0.1") == CREDENZIALI_NON_VALIDE
    assert _rifiuto(session, client="10.0.0.1") == TROPPI_TENTATIVI
    _entra(session, anna, client="10.0.0.2")


def test_made_up_names_from_a_shared_address_do_not_lock_out_colleagues(session, anna, bruno):
    """Behind one office router (or a reverse proxy) everyone shares an address: five made-up
    names from it do not stop a real staff member logging in from it."""
    for i in range(5):
        assert (
            _rifiuto(session, nome_utente=f"inventato{i}", password="x") == CREDENZIALI_NON_VALIDE
        )
    _entra(session, bruno, client="10.0.0.1")
    _entra(session, anna, client="10.0.0.1")


def test_five_failures_for_one_name_from_one_address_are_refused_there(
    session, anna, bruno, verifiche
):
    """The limit is per name and address: four failures for anna plus four for other names
    from the same address still let anna in; a fifth failure for anna closes that pair, with
    no password check, while bruno still gets in from there."""
    for i in range(4):
        _rifiuto(session, nome_utente=f"inventato{i}", password="x")
        _rifiuto(session, password="sbagliata")
    _entra(session, anna, client="10.0.0.1")
    _rifiuto(session, password="sbagliata")
    controllate = len(verifiche)
    assert _rifiuto(session) == TROPPI_TENTATIVI  # even the right password
    assert len(verifiche) == controllate
    _entra(session, bruno, client="10.0.0.1")


def test_an_address_gets_thirty_failures_across_names_then_is_refused(session, bruno, verifiche):
    """One address guessing many names: 30 failures are checked, then every name is refused
    from that address (without a password check), and other addresses are unaffected."""
    for i in range(30):
        assert _rifiuto(session, nome_utente=f"nome{i}", password="x") == CREDENZIALI_NON_VALIDE
    assert len(verifiche) == 30
    assert _rifiuto(session, nome_utente="bruno") == TROPPI_TENTATIVI
    assert len(verifiche) == 30
    _entra(session, bruno, client="10.0.0.2")


def test_past_ten_failures_a_name_waits_longer_each_time_up_to_thirty_seconds(
    session, anna, verifiche
):
    """Ten failures for anna from ten addresses, then each further attempt must wait after the
    last failure: 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s at most. An attempt inside the wait is
    refused with the wait in the message and no password check, even with the right
    password; after the wait the right password gets in: a delay, never a lock."""
    ora = adesso()
    for i in range(10):
        assert _rifiuto(session, password="sbagliata", client=f"10.1.0.{i}", ora=ora) == (
            CREDENZIALI_NON_VALIDE
        )
    for passo, secondi in enumerate([1, 2, 4, 8, 16, 30, 30]):
        controllate = len(verifiche)
        assert _rifiuto(session, client="10.9.9.9", ora=ora) == _attesa(secondi)
        appena_prima = ora + timedelta(seconds=secondi) - timedelta(milliseconds=1)
        assert _rifiuto(session, client="10.9.9.9", ora=appena_prima) == _attesa(1)
        assert len(verifiche) == controllate
        ora += timedelta(seconds=secondi)
        messaggio = _rifiuto(session, password="sbagliata", client=f"10.2.0.{passo}", ora=ora)
        assert messaggio == CREDENZIALI_NON_VALIDE
        assert len(verifiche) == controllate + 1
    _entra(session, anna, client="10.9.9.9", ora=ora + timedelta(seconds=30))


def test_a_success_does_not_count_as_a_failure(session, anna):
    """Ten logins in a row, then four wrong passwords: the right one still gets in."""
    for _ in range(10):
        _entra(session, anna, client="10.0.0.1")
    for _ in range(4):
        _rifiuto(session, password="sbagliata")
    _entra(session, anna, client="10.0.0.1")


def test_forty_simultaneous_attempts_get_at_most_five_password_checks(engine, anna, verifiche):
    """40 threads, each with its own database session on the same SQLite file, try a wrong
    password for anna from one address at once: exactly 5 are checked, 35 refused."""
    insieme = threading.Barrier(40)

    def prova(_numero: int) -> str:
        with Session(engine) as session:
            insieme.wait()
            return _rifiuto(session, password="sbagliata", client="10.0.0.1")

    with ThreadPoolExecutor(max_workers=40) as pool:
        esiti = list(pool.map(prova, range(40)))
    assert len(verifiche) == 5
    assert esiti.count(CREDENZIALI_NON_VALIDE) == 5
    assert esiti.count(TROPPI_TENTATIVI) == 35
    with Session(engine) as session:
        registrati = session.exec(
            select(func.count()).where(TentativoAccesso.nome_utente == "anna")
        ).one()
    assert registrati == 5


def _ferma_il_nome(session, ora: datetime) -> datetime:
    """An attacker with many addresses (one of them anna's office, 10.0.0.1) fails for anna
    the moment each wait ends, until her name waits 30 s and her office address is closed
    to her name; the time of the last failure."""
    for _ in range(MAX_PER_NOME_E_CLIENT):
        _rifiuto(session, password="sbagliata", client="10.0.0.1", ora=ora)
    for i, secondi in enumerate([0] * 5 + [1, 2, 4, 8, 16, 30]):
        ora += timedelta(seconds=secondi)
        messaggio = _rifiuto(session, password="sbagliata", client=f"10.7.0.{i}", ora=ora)
        assert messaggio == CREDENZIALI_NON_VALIDE
    assert _rifiuto(session, client="10.9.9.9", ora=ora) == _attesa(30)
    return ora


def test_an_attacker_holding_the_names_wait_does_not_keep_the_owners_browser_out(
    session, anna, bruno
):
    """The owner's browser logged in before and holds a device token: while an attacker keeps
    anna's name waiting from many addresses (and from her office), her browser still gets in,
    from the office or from anywhere. Without the token, she is kept waiting."""
    ora = adesso()
    gettone = dispositivo.emetti(session=session, nome_utente="anna", ora=ora)
    ora = _ferma_il_nome(session, ora)
    assert _rifiuto(session, client="10.0.0.1", ora=ora) == TROPPI_TENTATIVI  # the control
    for client in ("10.0.0.1", "10.9.9.9"):
        _entra(session, anna, client=client, ora=ora, dispositivi=[gettone])
    # A browser holding other names' tokens too presents them all: the right one counts.
    altro = dispositivo.emetti(session=session, nome_utente="bruno", ora=ora)
    _entra(session, anna, client="10.0.0.1", ora=ora, dispositivi=[altro, "rotto", gettone])


def test_a_forged_expired_or_foreign_device_token_is_ignored(session, anna, bruno, verifiche):
    """Tokens that are not a live token of this server for this name are ignored: the attempt
    waits like any other, with no password check."""
    ora = adesso()
    buono = dispositivo.emetti(session=session, nome_utente="anna", ora=ora)
    corpo, _, firma = buono.rpartition(".")
    _, nome, nonce, scadenza = corpo.split(".")
    altra_firma = ("A" if firma[0] != "A" else "B") + firma[1:]
    lontano = str(int(scadenza) + 10**6)
    falsi = [
        f"{corpo}.{altra_firma}",  # the signature changed
        f"d1.{nome}.{nonce}.{lontano}.{firma}",  # the expiry moved on
        dispositivo.emetti(session=session, nome_utente="bruno", ora=ora),  # another name's
        dispositivo.emetti(session=session, nome_utente="anna", ora=ora - timedelta(days=31)),
        "",
        "d1....",
        "x" * 5000,
    ]
    ora = _ferma_il_nome(session, ora)
    controllate = len(verifiche)
    for falso in falsi:
        assert _rifiuto(session, client="10.9.9.9", ora=ora, dispositivi=[falso]) == _attesa(30)
    assert len(verifiche) == controllate


def test_a_device_tokens_own_failures_are_limited(session, anna, verifiche):
    """A stolen device token buys 5 password checks in the window, then it is ignored: the
    sixth attempt waits like anyone's, even with the right password."""
    ora = adesso()
    gettone = dispositivo.emetti(session=session, nome_utente="anna", ora=ora)
    ora = _ferma_il_nome(session, ora)
    controllate = len(verifiche)
    for _ in range(MAX_PER_DISPOSITIVO):
        messaggio = _rifiuto(
            session, password="sbagliata", client="10.9.9.9", ora=ora, dispositivi=[gettone]
        )
        assert messaggio == CREDENZIALI_NON_VALIDE
    assert len(verifiche) == controllate + MAX_PER_DISPOSITIVO
    assert _rifiuto(session, client="10.9.9.9", ora=ora, dispositivi=[gettone]) == _attesa(30)
    assert len(verifiche) == controllate + MAX_PER_DISPOSITIVO
    # The token's failures did not count against the name: past its wait, anna gets in.
    _entra(session, anna, client="10.9.9.9", ora=ora + timedelta(seconds=30))

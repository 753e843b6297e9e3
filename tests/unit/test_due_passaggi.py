"""Two-step login (TOTP): codes checked with a fixed clock (the time is passed in, no sleeps),
±1 step accepted, ±2 refused, no code accepted twice, recovery codes once each, wrong codes
filling the login limits like wrong passwords, and the requirement for responsabili."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlmodel import select

from serena_app.auth import account, due_passaggi, eventi
from serena_app.auth.credenziali import (
    AccessoNegato,
    InAttesaDelCodice,
    accedi,
    conferma_codice,
)
from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT
from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import sessioni_aperte, staff_della_sessione
from serena_app.comandi import audit
from serena_app.models import CodiceRecupero, Evento, SessioneStaff, Staff
from serena_app.web.connessione import descrivi_browser
from tests.factories import PASSWORD


def _a_meta_di_un_passo() -> datetime:
    """A fixed moment for the module: 15 s into the 30 s time step before this one. Near the
    real time, since sessions opened at it are checked against the clock for idle expiry."""
    adesso = datetime.now(UTC).replace(microsecond=0)
    return adesso - timedelta(seconds=adesso.second % 30 + 15)


ORA = _a_meta_di_un_passo()
PASSO = timedelta(seconds=30)
CLIENT = "10.0.0.1"
NUOVA = "tazza volante nel giardino blu"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def anna(session):
    """anna, with two-step login on (confirmed at ORA); her recovery codes."""
    staff = crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    segreto = due_passaggi.nuovo_segreto()
    codici = due_passaggi.attiva(
        session=session,
        staff_id=staff.id,
        segreto=segreto,
        codice=pyotp.TOTP(segreto).at(ORA - 10 * PASSO),
        ora=ORA - 10 * PASSO,
    )
    return segreto, codici


def _attesa(session, ora=ORA) -> InAttesaDelCodice:
    esito = accedi(session=session, nome_utente="anna", password=PASSWORD, client=CLIENT, ora=ora)
    assert isinstance(esito, InAttesaDelCodice)  # no session after the password alone
    return esito


def _entra(session, codice, ora=ORA) -> str:
    segreto, _ = conferma_codice(
        session=session, attesa=_attesa(session, ora), codice=codice, client=CLIENT, ora=ora
    )
    return segreto


def _rifiuto(session, codice, ora=ORA) -> str:
    with pytest.raises(AccessoNegato) as rifiuto:
        _entra(session, codice, ora)
    return str(rifiuto.value)


def test_the_password_alone_opens_no_session(session, anna):
    _attesa(session)
    assert session.exec(select(SessioneStaff)).all() == []


def test_the_right_code_opens_a_session(session, anna):
    segreto, _ = anna
    token = _entra(session, pyotp.TOTP(segreto).at(ORA))
    assert staff_della_sessione(session=session, token=token, ora=ORA).nome_utente == "anna"


@pytest.mark.parametrize("scarto", [-1, 1])
def test_one_step_of_clock_drift_is_accepted(session, anna, scarto):
    segreto, _ = anna
    assert _entra(session, pyotp.TOTP(segreto).at(ORA + scarto * PASSO))


@pytest.mark.parametrize("scarto", [-2, 2])
def test_two_steps_of_drift_are_refused_in_italian(session, anna, scarto):
    segreto, _ = anna
    assert _rifiuto(session, pyotp.TOTP(segreto).at(ORA + scarto * PASSO)) == (
        due_passaggi.CODICE_NON_VALIDO
    )
    assert "Codice non valido" in due_passaggi.CODICE_NON_VALIDO


def test_a_code_is_never_accepted_twice(session, anna):
    segreto, _ = anna
    codice = pyotp.TOTP(segreto).at(ORA)
    _entra(session, codice)
    assert _rifiuto(session, codice, ORA + timedelta(seconds=5)) == due_passaggi.CODICE_NON_VALIDO
    # Nor an older step's code, still inside the drift window.
    vecchio = pyotp.TOTP(segreto).at(ORA - PASSO)
    assert _rifiuto(session, vecchio, ORA + timedelta(seconds=6)) == due_passaggi.CODICE_NON_VALIDO
    # The next step's code is fine.
    assert _entra(session, pyotp.TOTP(segreto).at(ORA + PASSO), ORA + PASSO)


def test_a_recovery_code_works_once_and_is_stored_hashed(session, anna):
    _, codici = anna
    assert len(codici) == 10
    assert len(set(codici)) == 10
    salvati = session.exec(select(CodiceRecupero.hash_codice)).all()
    assert not set(codici) & set(salvati)
    assert _entra(session, codici[3].lower().replace("-", " "))  # as a person may type it
    assert _rifiuto(session, codici[3]) == due_passaggi.CODICE_NON_VALIDO
    assert due_passaggi.codici_rimasti(session=session, staff_id=1) == 9
    azioni = session.exec(select(Evento.azione)).all()
    assert eventi.CODICE_RECUPERO_USATO in azioni
    assert eventi.CODICE_ERRATO in azioni


def test_wrong_codes_fill_the_login_limit_like_wrong_passwords(session, anna):
    for _ in range(MAX_PER_NOME_E_CLIENT):
        assert _rifiuto(session, "000000") == due_passaggi.CODICE_NON_VALIDO
    # Now even the right password is refused before any check, and so is the right code.
    with pytest.raises(AccessoNegato, match="Troppi tentativi"):
        accedi(session=session, nome_utente="anna", password=PASSWORD, client=CLIENT, ora=ORA)


def test_a_wrong_code_after_waiting_too_long_is_refused(session, anna):
    segreto, _ = anna
    attesa = _attesa(session)
    tardi = attesa.scade + timedelta(seconds=1)
    with pytest.raises(AccessoNegato, match="scaduto"):
        conferma_codice(
            session=session,
            attesa=attesa,
            codice=pyotp.TOTP(segreto).at(tardi),
            client=CLIENT,
            ora=tardi,
        )


def test_turning_it_off_lets_the_password_alone_in_again(session, anna):
    due_passaggi.disattiva(session=session, staff_id=1, ora=ORA)
    token = accedi(session=session, nome_utente="anna", password=PASSWORD, client=CLIENT, ora=ORA)
    assert isinstance(token, str)
    assert session.exec(select(CodiceRecupero)).all() == []


def test_required_for_responsabili_a_responsabile_sets_it_up_before_any_session(session):
    bruno = crea_staff(session=session, nome_utente="bruno", password=PASSWORD, ruolo=RESPONSABILE)
    vecchio = accedi(session=session, nome_utente="bruno", password=PASSWORD, client=CLIENT)
    assert isinstance(vecchio, str)
    assert due_passaggi.imposta_obbligo(
        session=session, richiesta=True, nome_utente="carla", ora=ORA
    ) == [bruno.id]
    assert staff_della_sessione(session=session, token=vecchio) is None  # ended
    attesa = accedi(session=session, nome_utente="bruno", password=PASSWORD, client=CLIENT, ora=ORA)
    assert isinstance(attesa, InAttesaDelCodice)
    assert attesa.configura
    assert "Cooperativa%20Serena" in due_passaggi.indirizzo_app(attesa.segreto_nuovo, "bruno")
    _, codici = conferma_codice(
        session=session,
        attesa=attesa,
        codice=pyotp.TOTP(attesa.segreto_nuovo).at(ORA),
        client=CLIENT,
        ora=ORA,
    )
    assert len(codici) == 10
    assert session.get(Staff, bruno.id).totp_segreto == attesa.segreto_nuovo
    assert [s.staff_id for s in sessioni_aperte(session=session, staff_id=bruno.id, ora=ORA)] == [
        bruno.id
    ]
    assert {eventi.OBBLIGO_ATTIVATO, eventi.DUE_PASSAGGI_ATTIVATI} <= set(
        session.exec(select(Evento.azione)).all()
    )


def test_own_account_password_and_other_devices(session):
    """Changing one's own password (the policy's message if refused) and "Esci da tutti gli
    altri dispositivi" end the other sessions, not this one; each is in `serena audit`."""
    crea_staff(session=session, nome_utente="dario", password=PASSWORD)
    entra = {"session": session, "nome_utente": "dario", "client": CLIENT}
    questa = accedi(**entra, password=PASSWORD, descrizione=descrivi_browser(CHROME_ANDROID))
    altra = accedi(**entra, password=PASSWORD)
    with pytest.raises(account.ErroreAccount, match="contenere il nome utente"):
        account.cambia_password(
            session=session, segreto=questa, attuale=PASSWORD, nuova="il-mio-nome-è-DARIO"
        )
    with pytest.raises(account.ErroreAccount, match="attuale non è giusta"):
        account.cambia_password(session=session, segreto=questa, attuale="x" * 12, nuova=NUOVA)
    assert staff_della_sessione(session=session, token=altra) is not None  # nothing changed
    vista = account.il_mio_account(session=session, segreto=questa)
    assert [(s.dispositivo, s.questa) for s in vista.sessioni] == [
        ("Dispositivo sconosciuto", False),
        ("Chrome su Android", True),
    ] or sorted((s.dispositivo, s.questa) for s in vista.sessioni) == [
        ("Chrome su Android", True),
        ("Dispositivo sconosciuto", False),
    ]
    account.cambia_password(session=session, segreto=questa, attuale=PASSWORD, nuova=NUOVA)
    assert staff_della_sessione(session=session, token=altra) is None
    assert staff_della_sessione(session=session, token=questa) is not None
    terza = accedi(**entra, password=NUOVA)
    assert account.esci_dagli_altri(session=session, segreto=questa) == 1
    assert staff_della_sessione(session=session, token=terza) is None
    assert staff_della_sessione(session=session, token=questa) is not None
    righe = [str(r) for r in audit.righe(session=session, utente="dario")]
    assert any(eventi.PASSWORD_PROPRIA in r for r in righe)
    assert any(eventi.ALTRE_SESSIONI_CHIUSE in r for r in righe)


def test_turning_it_off_needs_the_password_or_a_code(session, anna):
    anna_token = conferma_codice(
        session=session,
        attesa=_attesa(session),
        codice=pyotp.TOTP(anna[0]).at(ORA),
        client=CLIENT,
        ora=ORA,
    )[0]
    with pytest.raises(account.ErroreAccount, match="resta attiva"):
        account.disattiva_due_passaggi(session=session, segreto=anna_token, prova="000000")
    account.disattiva_due_passaggi(session=session, segreto=anna_token, prova=PASSWORD)
    assert session.get(Staff, 1).totp_segreto is None
    righe = [str(r) for r in audit.righe(session=session, utente="anna")]
    assert any(eventi.DUE_PASSAGGI_DISATTIVATI in r for r in righe)


@pytest.mark.parametrize(
    ("user_agent", "parole"),
    [
        (CHROME_ANDROID, "Chrome su Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari su iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox su Windows",
        ),
        ("", "Dispositivo sconosciuto"),
    ],
)
def test_a_device_in_a_few_italian_words(user_agent, parole):
    assert descrivi_browser(user_agent) == parole


def test_a_wrong_current_password_counts_like_a_wrong_login(session):
    """A stolen session cannot guess the password faster than the login page allows."""
    crea_staff(session=session, nome_utente="elena", password=PASSWORD)
    segreto = accedi(session=session, nome_utente="elena", password=PASSWORD, client=CLIENT)
    for _ in range(MAX_PER_NOME_E_CLIENT):
        with pytest.raises(account.ErroreAccount, match="attuale non è giusta"):
            account.cambia_password(
                session=session, segreto=segreto, attuale="x" * 12, nuova=NUOVA, client=CLIENT
            )
    with pytest.raises(account.ErroreAccount, match="Troppi tentativi"):
        account.cambia_password(
            session=session, segreto=segreto, attuale=PASSWORD, nuova=NUOVA, client=CLIENT
        )
    with pytest.raises(AccessoNegato, match="Troppi tentativi"):
        accedi(session=session, nome_utente="elena", password=PASSWORD, client=CLIENT)


def test_guessing_codes_to_turn_two_step_login_off_stops_at_the_login_limit(session, anna):
    """A stolen session cannot guess codes to turn two-step login off: past the login limit
    even the right code is refused, and it stays on."""
    totp, _ = anna
    segreto = _entra(session, pyotp.TOTP(totp).at(ORA))
    for numero in range(MAX_PER_NOME_E_CLIENT):
        with pytest.raises(account.ErroreAccount, match="non giusti"):
            account.disattiva_due_passaggi(
                session=session, segreto=segreto, prova=f"{numero:06d}", client=CLIENT, ora=ORA
            )
    with pytest.raises(account.ErroreAccount, match="Troppi tentativi"):
        account.disattiva_due_passaggi(
            session=session,
            segreto=segreto,
            prova=pyotp.TOTP(totp).at(ORA + PASSO),
            client=CLIENT,
            ora=ORA + PASSO,
        )
    session.expire_all()
    assert session.exec(select(Staff).where(Staff.nome_utente == "anna")).one().totp_segreto

"""People from the "Persone" panel, on the data layer (SQLite and PostgreSQL): invitation links
expire and work once, their codes are stored hashed, the last active responsabile keeps the
role (even when two demote each other at once), and every change is in the audit log."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from serena_app.auth import inviti
from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.inviti import InvitoNonValido
from serena_app.auth.limiti import LimiteRaggiunto
from serena_app.auth.password import PasswordNonValida
from serena_app.auth.personale import (
    ErrorePersonale,
    cambia_ruolo,
    disabilita_staff,
    persone,
    reimposta_password,
    trova_staff,
)
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import adesso, staff_della_sessione
from serena_app.comandi.audit import righe
from serena_app.models import Invito
from tests.factories import PASSWORD, staff_con_sessione

SCELTA = "ombrelli viola sul tetto di marzo"
ALTRA = "gatti arancioni sotto il portico"


def _invita(session: Session, ora=None) -> inviti.Link:
    staff_con_sessione(session, "anna")
    return inviti.invita(
        session=session, nome_utente="marta", ruolo=REDATTORE, autore="anna", ora=ora
    )


def test_an_invitation_sets_the_password_logs_in_and_works_once(session):
    link = _invita(session)
    nome, segreto = inviti.accetta(
        session=session, codice=link.codice, password=SCELTA, client="10.0.0.1"
    )
    assert nome == "marta"
    staff = staff_della_sessione(session=session, token=segreto)
    assert (staff.nome_utente, staff.ruolo) == ("marta", REDATTORE)
    assert accedi(session=session, nome_utente="marta", password=SCELTA, client="10.0.0.1")
    with pytest.raises(InvitoNonValido, match="già stato usato"):
        inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="10.0.0.1")


def test_an_invitation_expires_after_72_hours(session):
    ora = adesso()
    link = _invita(session, ora)
    with pytest.raises(InvitoNonValido, match="scaduto"):
        inviti.accetta(
            session=session,
            codice=link.codice,
            password=SCELTA,
            client="10.0.0.1",
            ora=ora + timedelta(hours=72, seconds=1),
        )
    inviti.accetta(
        session=session,
        codice=link.codice,
        password=SCELTA,
        client="10.0.0.1",
        ora=ora + timedelta(hours=71, minutes=59),
    )


def test_an_invited_account_has_no_password_anyone_knows_until_accepted(session):
    link = _invita(session)
    with pytest.raises(AccessoNegato):
        accedi(session=session, nome_utente="marta", password=link.codice, client="10.0.0.1")


def test_a_weak_password_keeps_the_link_valid(session):
    link = _invita(session)
    with pytest.raises(PasswordNonValida):
        inviti.accetta(session=session, codice=link.codice, password="corta", client="1")
    inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="1")


def test_the_code_is_stored_only_as_its_sha256(session):
    link = _invita(session)
    salvati = session.exec(select(Invito)).all()
    assert len(salvati) == 1
    assert len(link.codice) >= 43  # 32 random bytes, 256 bits
    testo = repr(salvati[0].model_dump())
    assert link.codice not in testo
    assert salvati[0].hash_codice == inviti.hash_segreto(link.codice)


def test_wrong_codes_are_limited_per_address_even_the_right_one_after(session):
    link = _invita(session)
    for i in range(5):
        with pytest.raises(InvitoNonValido, match="non è valido"):
            inviti.accetta(session=session, codice=f"sbagliato{i}", password=SCELTA, client="6")
    with pytest.raises(LimiteRaggiunto):
        inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="6")
    # Another address is not held back by this one's guesses.
    inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="7")


def test_a_reset_ends_the_sessions_and_the_old_password_and_the_old_link(session):
    staff_con_sessione(session, "anna")
    segreto = staff_con_sessione(session, "marta", ruolo=REDATTORE)
    primo = inviti.reimposta(session=session, nome_utente="marta", autore="anna")
    assert staff_della_sessione(session=session, token=segreto) is None
    with pytest.raises(AccessoNegato):
        accedi(session=session, nome_utente="marta", password=PASSWORD, client="1")
    secondo = inviti.reimposta(session=session, nome_utente="marta", autore="anna")
    with pytest.raises(InvitoNonValido, match="già stato usato"):
        inviti.accetta(session=session, codice=primo.codice, password=SCELTA, client="1")
    inviti.accetta(session=session, codice=secondo.codice, password=SCELTA, client="1")
    assert accedi(session=session, nome_utente="marta", password=SCELTA, client="1")


def test_a_password_set_from_the_terminal_ends_the_pending_link(session):
    """`serena reset-password` after a reset link was made in the panel: whoever holds the
    link can no longer choose the password (the person was given one by hand)."""
    staff_con_sessione(session, "anna")
    staff_con_sessione(session, "marta", ruolo=REDATTORE)
    link = inviti.reimposta(session=session, nome_utente="marta", autore="anna")
    reimposta_password(session=session, nome_utente="marta", password=SCELTA)
    with pytest.raises(InvitoNonValido, match="già stato usato"):
        inviti.accetta(session=session, codice=link.codice, password=ALTRA, client="1")
    assert accedi(session=session, nome_utente="marta", password=SCELTA, client="1")
    assert inviti.in_attesa(session=session) == {}  # the panel shows no link waiting


def test_a_disabled_account_cannot_use_its_link(session):
    link = _invita(session)
    disabilita_staff(session=session, nome_utente="marta", autore="anna")
    with pytest.raises(InvitoNonValido, match="disattivato"):
        inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="1")


def _anna_non_puo_lasciare(session, motivo: str) -> None:
    """Anna can neither disable herself nor step down to redattore: both are refused with
    `motivo`, and she stays an active responsabile."""
    for prova in (
        lambda: disabilita_staff(
            session=session, nome_utente="anna", autore="anna", almeno_un_responsabile=True
        ),
        lambda: cambia_ruolo(session=session, nome_utente="anna", ruolo=REDATTORE, autore="anna"),
    ):
        with pytest.raises(ErrorePersonale, match=motivo):
            prova()
    anna = trova_staff(session=session, nome_utente="anna")
    assert (anna.attivo, anna.ruolo) == (True, RESPONSABILE)


def test_the_last_responsabile_cannot_be_disabled_or_demoted(session):
    staff_con_sessione(session, "anna")
    staff_con_sessione(session, "marta", ruolo=REDATTORE)
    _anna_non_puo_lasciare(session, "ultimo responsabile attivo")
    # With a second responsabile, either may go.
    assert cambia_ruolo(session=session, nome_utente="marta", ruolo=RESPONSABILE, autore="anna")
    assert cambia_ruolo(session=session, nome_utente="anna", ruolo=REDATTORE, autore="marta")


def test_an_invited_responsabile_who_has_not_accepted_does_not_count(session):
    """Until an invitee (or a person whose password was reset) chooses a password, nobody can
    log in as them: the last responsabile who can keeps the role, and is told why."""
    staff_con_sessione(session, "anna")
    link = inviti.invita(session=session, nome_utente="bruno", ruolo=RESPONSABILE, autore="anna")
    _anna_non_puo_lasciare(session, "invito non ancora accettato")
    # Once bruno has chosen a password, anna may step down; after a reset, bruno is again
    # someone nobody can log in as, so he may not.
    inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="10.0.0.1")
    assert cambia_ruolo(session=session, nome_utente="anna", ruolo=REDATTORE, autore="anna")
    assert cambia_ruolo(session=session, nome_utente="anna", ruolo=RESPONSABILE, autore="bruno")
    inviti.reimposta(session=session, nome_utente="bruno", autore="anna")
    with pytest.raises(ErrorePersonale, match="ultimo responsabile attivo"):
        cambia_ruolo(session=session, nome_utente="anna", ruolo=REDATTORE, autore="anna")


def test_a_role_change_ends_the_persons_sessions(session):
    staff_con_sessione(session, "anna")
    segreto = staff_con_sessione(session, "marta", ruolo=REDATTORE)
    assert cambia_ruolo(session=session, nome_utente="marta", ruolo=RESPONSABILE, autore="anna")
    assert staff_della_sessione(session=session, token=segreto) is None
    assert not cambia_ruolo(
        session=session, nome_utente="marta", ruolo=RESPONSABILE, autore="anna"
    )  # already so: nothing changes
    with pytest.raises(ErrorePersonale, match="ruolo deve essere"):
        cambia_ruolo(session=session, nome_utente="marta", ruolo="capo", autore="anna")


def test_two_responsabili_demoting_each_other_at_once_leave_one(engine):
    with Session(engine) as session:
        staff_con_sessione(session, "anna")
        staff_con_sessione(session, "bruno")
    insieme = threading.Barrier(2)

    def togli(nome: str, autore: str) -> str:
        with Session(engine) as session:
            insieme.wait(timeout=10)
            try:
                cambia_ruolo(session=session, nome_utente=nome, ruolo=REDATTORE, autore=autore)
            except ErrorePersonale:
                return "rifiutato"
            return "fatto"

    for _ in range(5):
        with ThreadPoolExecutor(2) as esecutore:
            esiti = list(esecutore.map(togli, ["anna", "bruno"], ["bruno", "anna"]))
        assert sorted(esiti) == ["fatto", "rifiutato"]
        with Session(engine) as session:
            elenco = persone(session=session)
            assert [p.ruolo for p in elenco].count(RESPONSABILE) == 1
            for p in elenco:  # both responsabili again, for the next round
                cambia_ruolo(
                    session=session, nome_utente=p.nome_utente, ruolo=RESPONSABILE, autore="x"
                )


def test_the_list_shows_role_state_last_login_and_open_sessions(session):
    staff_con_sessione(session, "anna")
    accedi(session=session, nome_utente="anna", password=PASSWORD, client="1")
    _ = inviti.invita(session=session, nome_utente="marta", ruolo=REDATTORE, autore="anna")
    anna, marta = persone(session=session)
    assert (anna.nome_utente, anna.ruolo, anna.attivo, anna.sessioni_aperte) == (
        "anna",
        RESPONSABILE,
        True,
        2,
    )
    assert anna.ultimo_accesso is not None
    assert (marta.ruolo, marta.ultimo_accesso, marta.sessioni_aperte) == (REDATTORE, None, 0)


def test_every_change_is_in_the_audit_log_with_who_made_it(session):
    link = _invita(session)
    inviti.accetta(session=session, codice=link.codice, password=SCELTA, client="1")
    cambia_ruolo(session=session, nome_utente="marta", ruolo=RESPONSABILE, autore="anna")
    inviti.reimposta(session=session, nome_utente="marta", autore="anna")
    disabilita_staff(session=session, nome_utente="marta", autore="anna")
    from serena_app.auth.personale import abilita_staff

    abilita_staff(session=session, nome_utente="marta", autore="anna")
    di_marta = [str(r) for r in righe(session=session, utente="marta")]
    attese = [
        ("invito creato", "da parte di anna"),
        ("invito accettato", ""),
        ("ruolo → responsabile", "da parte di anna"),
        ("link nuova password", "da parte di anna"),
        ("account disabilitato", "da parte di anna"),
        ("account riabilitato", "da parte di anna"),
    ]
    assert len(di_marta) == len(attese), di_marta
    for riga, (azione, chi) in zip(di_marta, attese, strict=True):
        assert azione in riga and chi in riga, riga

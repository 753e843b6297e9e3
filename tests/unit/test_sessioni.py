"""Staff sessions: random secrets stored hashed, rotation, idle and absolute expiry, revocation."""

from datetime import timedelta

from sqlalchemy import event
from sqlmodel import select

from serena_app.auth.personale import crea_staff, disabilita_staff
from serena_app.auth.sessioni import (
    SCADENZA_ASSOLUTA,
    SCADENZA_INATTIVITA,
    adesso,
    crea_sessione,
    hash_segreto,
    revoca_sessione,
    sessioni_vive,
    staff_della_sessione,
)
from serena_app.models import SessioneStaff
from tests.factories import PASSWORD, staff_con_sessione


def test_a_session_names_its_staff_member_and_only_its_hash_is_stored(session):
    token = staff_con_sessione(session)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert staff_della_sessione(session=session, token=token).nome_utente == "anna"
    salvate = session.exec(select(SessioneStaff)).all()
    assert [s.hash_token for s in salvate] != [token]
    assert token not in salvate[0].hash_token


def test_each_login_gets_a_new_secret(session):
    staff = crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    primo = crea_sessione(session=session, staff=staff)
    secondo = crea_sessione(session=session, staff=staff)
    assert primo != secondo


def test_unknown_or_empty_tokens_name_nobody(session):
    staff_con_sessione(session)
    assert staff_della_sessione(session=session, token="inventato") is None
    assert staff_della_sessione(session=session, token="") is None


def test_idle_sessions_expire(session):
    inizio = adesso()
    token = staff_con_sessione(session, ora=inizio)
    quasi = inizio + SCADENZA_INATTIVITA - timedelta(seconds=1)
    assert staff_della_sessione(session=session, token=token, ora=quasi) is not None
    troppo_tardi = quasi + SCADENZA_INATTIVITA + timedelta(seconds=2)
    assert staff_della_sessione(session=session, token=token, ora=troppo_tardi) is None


def test_sessions_expire_after_the_absolute_limit_even_when_used(session):
    inizio = adesso()
    token = staff_con_sessione(session, ora=inizio)
    ora = inizio
    while ora < inizio + SCADENZA_ASSOLUTA - timedelta(hours=1):
        ora += timedelta(hours=1)
        assert staff_della_sessione(session=session, token=token, ora=ora) is not None
    ora = inizio + SCADENZA_ASSOLUTA + timedelta(seconds=1)
    assert staff_della_sessione(session=session, token=token, ora=ora) is None


def test_logout_revokes_the_session(session):
    token = staff_con_sessione(session)
    revoca_sessione(session=session, token=token)
    assert staff_della_sessione(session=session, token=token) is None


def test_disabling_an_account_ends_its_sessions(session):
    token = staff_con_sessione(session)
    disabilita_staff(session=session, nome_utente="anna")
    assert staff_della_sessione(session=session, token=token) is None


def test_the_live_sessions_among_many_are_found_in_one_query_without_moving_their_deadline(
    session, engine
):
    """The periodic check of open tabs (`state/revoca.py`): of a live session, a logged-out
    one, an idle one, one of a disabled account and an unknown hash, only the live one is
    live, in one query; and watching does not count as use."""
    inizio = adesso() - SCADENZA_INATTIVITA / 2
    viva = staff_con_sessione(session, "anna", ora=inizio)
    uscita = staff_con_sessione(session, "bruno")
    revoca_sessione(session=session, token=uscita)
    inattiva = staff_con_sessione(session, "carla", ora=adesso() - SCADENZA_INATTIVITA * 2)
    disabilitata = staff_con_sessione(session, "dario")
    disabilita_staff(session=session, nome_utente="dario")
    segreti = [viva, uscita, inattiva, disabilitata, "inventato"]
    query = []
    event.listen(engine, "before_cursor_execute", lambda *a: query.append(a[2]))
    vive = sessioni_vive(session=session, hash_segreti={hash_segreto(s) for s in segreti})
    assert vive == {hash_segreto(viva)}
    assert len(query) == 1
    sessione = session.exec(
        select(SessioneStaff).where(SessioneStaff.hash_token == hash_segreto(viva))
    ).one()
    session.refresh(sessione)
    assert abs(sessione.ultimo_uso.replace(tzinfo=None) - inizio.replace(tzinfo=None)) < timedelta(
        seconds=1
    )

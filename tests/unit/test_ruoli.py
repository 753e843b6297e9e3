"""The two roles: what each may do, and that accounts from before roles keep their powers
(a demo sandbox's editor: tests/unit/test_demo.py)."""

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from serena_app.auth import sessioni
from serena_app.auth.personale import ErrorePersonale, crea_staff
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE, RUOLI
from serena_app.auth.sessioni import crea_sessione, puo
from serena_app.db import MIGRATIONS, crea_engine
from tests.factories import PASSWORD


def test_a_responsabile_may_do_everything_a_redattore_does_and_not_the_reverse():
    assert puo(REDATTORE, REDATTORE) and puo(RESPONSABILE, REDATTORE)
    assert puo(RESPONSABILE, RESPONSABILE)
    assert not puo(REDATTORE, RESPONSABILE)
    assert not puo("", REDATTORE) and not puo("amministratore", REDATTORE)


def test_an_account_has_the_role_it_was_made_with_and_no_other(session):
    assert crea_staff(session=session, nome_utente="anna", password=PASSWORD).ruolo == REDATTORE
    bruno = crea_staff(session=session, nome_utente="bruno", password=PASSWORD, ruolo=RESPONSABILE)
    assert bruno.ruolo == RESPONSABILE
    with pytest.raises(ErrorePersonale, match="Il ruolo deve essere uno di questi"):
        crea_staff(session=session, nome_utente="carla", password=PASSWORD, ruolo="admin")


def test_a_session_carries_its_accounts_role(session):
    for nome, ruolo in zip(("anna", "bruno"), RUOLI, strict=True):
        staff = crea_staff(session=session, nome_utente=nome, password=PASSWORD, ruolo=ruolo)
        segreto = crea_sessione(session=session, staff=staff)
        permesso = sessioni.permesso(session=session, segreto=segreto)
        assert permesso is not None and permesso.ruolo == ruolo and permesso.sandbox is None


def test_accounts_from_before_roles_become_responsabili_and_new_ones_redattori(tmp_path):
    engine = crea_engine(f"sqlite:///{tmp_path / 'vecchio.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0008")
        connection.execute(
            text("INSERT INTO staff (nome_utente, hash_password, attivo) VALUES ('anna', 'x', 1)")
        )
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0009")
        connection.execute(
            text("INSERT INTO staff (nome_utente, hash_password, attivo) VALUES ('bruno', 'x', 1)")
        )
    with engine.connect() as connection:
        assert connection.execute(
            text("SELECT nome_utente, ruolo FROM staff ORDER BY id")
        ).all() == [
            ("anna", RESPONSABILE),
            ("bruno", REDATTORE),
        ]
    engine.dispose()

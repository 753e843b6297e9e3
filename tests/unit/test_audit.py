"""`serena audit`: logins, failed and refused logins, account changes, content changes and
publishes, with who and when; filters by day and by user; the log is never rewritten."""

import io
import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from serena_app.auth.credenziali import AccessoNegato, accedi
from serena_app.auth.personale import (
    abilita_staff,
    crea_staff,
    disabilita_staff,
    reimposta_password,
)
from serena_app.auth.sessioni import adesso
from serena_app.comandi import audit
from serena_app.comandi.cli import main
from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import BOZZA, SITO
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, Voce
from tests.factories import PASSWORD

NUOVA = "una nuova password lunga"


def _righe(session, **filtri) -> list[tuple[str, str, str]]:
    return [(v.chi, v.azione, v.cosa) for v in audit.righe(session=session, **filtri)]


def test_the_log_says_who_did_what(session):
    semina(session=session)
    crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    accedi(session=session, nome_utente="anna", password=PASSWORD, client="10.0.0.7")
    with pytest.raises(AccessoNegato):
        accedi(session=session, nome_utente="anna", password="sbagliata!!!", client="10.0.0.8")
    for _ in range(5):
        with pytest.raises(AccessoNegato):
            accedi(session=session, nome_utente="bruno", password="sbagliata!!!", client="10.0.0.9")
    reimposta_password(session=session, nome_utente="anna", password=NUOVA)
    disabilita_staff(session=session, nome_utente="anna")
    abilita_staff(session=session, nome_utente="anna")
    bozze.apri(session=session, spazio=SITO)
    mission = Voce(SEZIONE.nome, "mission")
    versione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=mission).versione
    pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=mission,
        campi={"testo": "Nuova."},
        versione=versione,
        autore="anna",
    )
    pagina.salva(
        session=session,
        pagina=BOZZA,
        voce=mission,
        campi={"testo_en": "New."},
        versione=versione + 1,
        autore="anna",
    )
    bozze.pubblica(session=session, spazio=SITO, autore="anna")

    righe = _righe(session, utente="anna")
    assert righe == [
        ("anna", "account creato", ""),
        ("anna", "accesso", "da 10.0.0.7"),
        ("anna", "accesso fallito", "da 10.0.0.8"),
        ("anna", "password cambiata", ""),
        ("anna", "account disabilitato", ""),
        ("anna", "account riabilitato", ""),
        ("anna", "salvata", "Testo della mission (in italiano)"),
        ("anna", "salvata", "Testo della mission (in inglese)"),
        ("anna", "pubblicata", "la pagina"),
    ]
    bruno = _righe(session, utente="bruno")  # no account: said so, the name typed quoted
    assert bruno == [(audit.NON_ACCOUNT, "accesso fallito", "«bruno» da 10.0.0.9")] * 5
    # The sixth try is refused by the limits (tests/unit/test_limiti_accesso.py): logged too.
    with pytest.raises(AccessoNegato):
        accedi(session=session, nome_utente="bruno", password="sbagliata!!!", client="10.0.0.9")
    assert _righe(session, utente="bruno")[-1] == (
        audit.NON_ACCOUNT,
        "accesso rifiutato",
        "«bruno» da 10.0.0.9",
    )
    assert _righe(session, dal=adesso() + timedelta(minutes=1)) == []


FALSO = "x\n2026-12-01 09:00:00  anna account creato\x1b[2J\x1b]0;preso\x07\u202eatad"
"""A user name that forges a line, clears the screen, sets the terminal's title, and
reverses what follows (64 characters at most: the login keeps no more)."""


def _controlli(testo: str) -> set[str]:
    """The characters of `testo` a terminal would obey or hide, but line ends."""
    return {c for c in testo if c != "\n" and unicodedata.category(c) in {"Cc", "Cf"}}


def test_a_forged_login_name_prints_as_one_marked_line_with_nothing_raw(
    engine, session, monkeypatch, capsys
):
    """A failed login whose name holds a newline, ESC sequences and a bidi control: `serena
    audit` prints it on one line, every such character escaped, marked as no account."""
    assert len(FALSO) <= 64
    crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    with pytest.raises(AccessoNegato):
        accedi(session=session, nome_utente=FALSO, password="sbagliata!!!", client="10.0.0.66")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["audit"]) == 0
    uscita = capsys.readouterr().out
    assert _controlli(uscita) == set()
    righe = [riga for riga in uscita.splitlines() if "(file dei contenuti)" not in riga]
    assert len(righe) == 2  # the account created, the failed login: nothing forged
    assert [riga.split()[2:5] for riga in righe].count(["anna", "account", "creato"]) == 1
    assert not any(riga.startswith("2026-12-01") for riga in righe)
    fallito = righe[1]
    assert fallito.split()[2:7] == ["(non", "è", "un", "account)", "accesso"]
    assert "\\x0a2026-12-01" in fallito and "\\x1b[2J" in fallito and "\\u202e" in fallito


def test_the_log_is_never_rewritten(session):
    crea_staff(session=session, nome_utente="anna", password=PASSWORD)
    with pytest.raises(DBAPIError, match="il registro non si modifica"):
        session.execute(text("UPDATE evento SET nome_utente = 'qualcun altro'"))
    session.rollback()
    with pytest.raises(DBAPIError, match="il registro non si cancella"):
        session.execute(text("DELETE FROM evento"))
    session.rollback()


def test_serena_audit_prints_a_line_each_and_filters(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serena.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main(["create-staff", "anna", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["audit", "--user", "anna"]) == 0
    (riga,) = capsys.readouterr().out.splitlines()
    assert riga.split()[2:] == ["anna", "account", "creato"]
    assert main(["audit", "--user", "nessuno"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["audit", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        main(["audit", "--since", "ieri"])
    assert "non è una data AAAA-MM-GG" in capsys.readouterr().err

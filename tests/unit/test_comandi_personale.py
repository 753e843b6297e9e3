"""The staff commands of `serena`: create an account with a role, list them, reset a password,
enable a disabled account. Each runs on the database of `DATABASE_URL` (a fresh SQLite file
here), as an administrator would."""

import io
from pathlib import Path

import pytest

from serena_app import db
from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE, AccessoNegato, accedi
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import staff_della_sessione
from serena_app.comandi.cli import main
from tests.factories import PASSWORD

NUOVA = "una nuova password lunga"


@pytest.fixture
def url(tmp_path: Path, monkeypatch) -> str:
    """The database the commands use, with the account "anna" (password `PASSWORD`)."""
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    _scrivi_stdin(monkeypatch, PASSWORD)
    assert main(["create-staff", "anna", "--password-stdin"]) == 0
    return url


def _scrivi_stdin(monkeypatch, riga: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{riga}\n"))


def _rispondi(monkeypatch, *risposte: str) -> None:
    """Type `risposte` at the password prompts, in order."""
    in_coda = list(risposte)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": in_coda.pop(0))


def _accedi(url: str, password: str) -> str:
    """Log in as anna (the secret of the new session), or the refusal's message."""
    with db.session(url) as session:
        try:
            return accedi(session=session, nome_utente="anna", password=password, client="1")
        except AccessoNegato as rifiuto:
            return str(rifiuto)


def _viva(url: str, token: str) -> bool:
    with db.session(url) as session:
        return staff_della_sessione(session=session, token=token) is not None


def test_reset_password_asks_twice_changes_it_and_ends_every_session(url, monkeypatch, capsys):
    prima = _accedi(url, PASSWORD)
    _rispondi(monkeypatch, NUOVA, NUOVA)
    assert main(["reset-password", "anna"]) == 0
    assert capsys.readouterr().out.endswith(
        "Password di «anna» cambiata; le sue sessioni sono chiuse.\n"
    )
    assert not _viva(url, prima)
    assert _accedi(url, PASSWORD) == CREDENZIALI_NON_VALIDE
    assert _viva(url, _accedi(url, NUOVA))


def test_reset_password_reads_stdin_like_create_staff(url, monkeypatch):
    _scrivi_stdin(monkeypatch, NUOVA)
    assert main(["reset-password", "anna", "--password-stdin"]) == 0
    assert _viva(url, _accedi(url, NUOVA))


@pytest.mark.parametrize(
    ("risposte", "messaggio"),
    [
        ((NUOVA, NUOVA + "!"), "Le due password non coincidono."),
        (("corta", "corta"), "La password deve avere almeno 12 caratteri."),
    ],
)
def test_reset_password_refused_changes_nothing(url, monkeypatch, capsys, risposte, messaggio):
    """A mismatch or a password outside the policy: exit 1 with the reason, the old password
    and the open session still work."""
    aperta = _accedi(url, PASSWORD)
    capsys.readouterr()
    _rispondi(monkeypatch, *risposte)
    assert main(["reset-password", "anna"]) == 1
    assert capsys.readouterr().err == f"{messaggio}\n"
    assert _viva(url, aperta)
    assert _viva(url, _accedi(url, PASSWORD))


def test_enable_staff_lets_a_disabled_account_log_in_again(url, capsys):
    vecchia = _accedi(url, PASSWORD)
    assert main(["disable-staff", "anna"]) == 0
    assert _accedi(url, PASSWORD) == CREDENZIALI_NON_VALIDE
    capsys.readouterr()
    assert main(["enable-staff", "anna"]) == 0
    assert capsys.readouterr().out.endswith("Account «anna» riabilitato: può accedere di nuovo.\n")
    assert _viva(url, _accedi(url, PASSWORD))
    assert not _viva(url, vecchia)  # sessions ended by disable-staff stay ended
    assert main(["enable-staff", "anna"]) == 0
    assert capsys.readouterr().out.endswith("L’account «anna» è già attivo.\n")


@pytest.mark.parametrize("comando", ["reset-password", "enable-staff"])
def test_an_unknown_username_exits_with_an_error_before_asking_anything(
    url, monkeypatch, capsys, comando
):
    def nessuna_domanda(_prompt=""):
        pytest.fail("asked for a password for an account that does not exist")

    monkeypatch.setattr("getpass.getpass", nessuna_domanda)
    capsys.readouterr()
    assert main([comando, "nessuno"]) == 1
    assert capsys.readouterr().err == "Nessun account «nessuno».\n"


def _ruoli(capsys) -> dict[str, str]:
    """`list-staff`'s lines, as name -> role."""
    capsys.readouterr()
    assert main(["list-staff"]) == 0
    righe = capsys.readouterr().out.splitlines()
    return {nome: ruolo for nome, ruolo, _stato in (r.split("\t") for r in righe)}


def test_create_staff_makes_a_responsabile_unless_told_and_list_staff_shows_the_role(
    url, monkeypatch, capsys
):
    """anna (the fixture) was made with no --ruolo: a responsabile, as the README says."""
    _scrivi_stdin(monkeypatch, NUOVA)
    assert main(["create-staff", "marta", "--ruolo", "redattore", "--password-stdin"]) == 0
    assert capsys.readouterr().out.endswith("Account «marta» creato (redattore).\n")
    assert _ruoli(capsys) == {"anna": RESPONSABILE, "marta": REDATTORE}


def test_create_staff_refuses_a_role_that_does_not_exist(url, monkeypatch, capsys):
    _scrivi_stdin(monkeypatch, NUOVA)
    capsys.readouterr()
    with pytest.raises(SystemExit) as uscita:
        main(["create-staff", "intrusa", "--ruolo", "admin", "--password-stdin"])
    assert uscita.value.code == 2
    errore = capsys.readouterr().err
    assert "errore: argomento --ruolo: scelta non valida: 'admin'" in errore  # in Italian
    assert errore.startswith("uso: serena create-staff")
    assert REDATTORE in errore
    assert RESPONSABILE in errore
    assert _ruoli(capsys) == {"anna": RESPONSABILE}


@pytest.mark.parametrize(
    ("argomenti", "detto"),
    [
        ([], "serena: errore: mancano questi argomenti: comando"),
        (["nessuno"], "serena: errore: argomento comando: scelta non valida: 'nessuno'"),
        (["list-staff", "--tutto"], "serena: errore: argomenti non riconosciuti: --tutto"),
        (["demo", "--port", "tremila"], "serena demo: errore: argomento --port: valore non valido"),
    ],
)
def test_a_mistyped_command_is_told_in_italian(capsys, argomenti, detto):
    with pytest.raises(SystemExit) as uscita:
        main(argomenti)
    assert uscita.value.code == 2
    errore = capsys.readouterr().err
    assert errore.startswith("uso: serena")
    assert detto in errore

"""What `serena` prints from stored or typed text (user names, paths, a file's content) reaches
the terminal escaped: no control, bidi or invisible character raw, and no line that a name or a
path could forge."""

import io
import json
import unicodedata
from pathlib import Path

import pytest

from serena_app import db
from serena_app.comandi.cli import main
from serena_app.models import Staff
from tests.factories import PASSWORD

FORGIATA = "\n2026-12-05 10:00:00  admin  account creato"
OSTILI = {
    "riga forgiata": f"anna{FORGIATA}",
    "schermo cancellato": "\x1b[2J",
    "titolo della finestra": "\x1b]0;titolo\x07",
    "testo rovesciato": "anna\u202egnp.exe",
    "riempitivo invisibile": "anna\u3164",
}
INVISIBILI = {"\u3164"}


def _pulito(testo: str) -> None:
    """No character a terminal obeys or hides, but the newline ending each line and the tab
    of list-staff; no line that starts like a forged one."""
    crudi = [
        c
        for c in testo
        if c not in "\n\t"
        and (unicodedata.category(c) in {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"} or c in INVISIBILI)
    ]
    assert not crudi, testo
    assert not any(riga.startswith("2026-12-05") for riga in testo.splitlines()), testo


@pytest.fixture
def url(tmp_path: Path, monkeypatch) -> str:
    """The database the commands use, holding an account for each hostile name (as an older
    version, or a restored file, may have stored it)."""
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["prepare"]) == 0
    with db.session(url) as session:
        for nome in OSTILI.values():
            session.add(Staff(nome_utente=nome, hash_password="x"))
        session.commit()
    return url


def test_list_staff_shows_stored_names_escaped_one_account_a_line(url, capsys):
    capsys.readouterr()
    assert main(["list-staff"]) == 0
    uscita = capsys.readouterr().out
    _pulito(uscita)
    assert len(uscita.splitlines()) == len(OSTILI)
    assert "anna\\x0a2026-12-05 10:00:00  admin  account creato\tredattore\tattivo\n" in uscita
    assert "\\x1b]0;titolo\\x07\tredattore\tattivo\n" in uscita
    assert "anna\\u202egnp.exe\tredattore\tattivo\n" in uscita


@pytest.mark.parametrize("nome", OSTILI.values(), ids=OSTILI)
def test_a_user_name_a_staff_command_quotes_is_escaped(url, capsys, monkeypatch, nome):
    capsys.readouterr()
    assert main(["enable-staff", nome]) == 0  # "already active", quoting it
    assert main(["disable-staff", f"{nome}!"]) == 1  # "no such account", quoting it
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    main(["create-staff", f"{nome}2", "--password-stdin"])  # refused or created, quoting it
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main(["reset-password", nome, "--password-stdin"]) == 0
    assert main(["disable-staff", nome]) == 0
    uscita = capsys.readouterr()
    _pulito(uscita.out + uscita.err)


@pytest.mark.parametrize("ostile", OSTILI.values(), ids=OSTILI)
def test_a_path_or_a_files_content_in_a_message_is_escaped(url, tmp_path, capsys, ostile):
    cartella = tmp_path / f"cartella{ostile}"
    cartella.mkdir()
    file = cartella / f"contenuti{ostile}.json"
    capsys.readouterr()

    assert main(["export", str(file)]) == 0
    assert main(["import", str(cartella / f"manca{ostile}.json")]) == 1
    dati = json.loads(file.read_text(encoding="utf-8"))
    dati["pagine"]["pubblicata"][ostile] = "un campo in più"
    file.write_text(json.dumps(dati), encoding="utf-8")
    assert main(["import", str(file)]) == 1  # the unknown key, quoted
    file.write_bytes(b'{"formato": "serena-contenuti", "versione": 1, "x\\u001b[2J": 1}')
    assert main(["import", str(file)]) == 1
    assert main(["backup", str(cartella / f"copie{ostile}")]) == 0
    copia = next((cartella / f"copie{ostile}").glob("serena-*.db"))
    assert main(["restore", str(copia)]) == 0
    assert main(["restore", str(cartella / f"manca{ostile}.db")]) == 1
    assert main(["restore", str(file)]) == 1  # not a database
    uscita = capsys.readouterr()
    _pulito(uscita.out + uscita.err)
    assert "\\x1b" in uscita.out + uscita.err or "\\u" in uscita.out + uscita.err


@pytest.mark.parametrize(
    "argomenti",
    [
        ["list-staff", OSTILI["riga forgiata"]],
        ["audit", "--since", OSTILI["titolo della finestra"]],
    ],
    ids=["argomento in più", "data non valida"],
)
def test_a_command_line_error_quoting_what_was_typed_is_escaped(url, capsys, argomenti):
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(argomenti)
    _pulito(capsys.readouterr().err)

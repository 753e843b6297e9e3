"""The check that fails a test during which a server logged an error
(`tests/support/registro_server.py`), on log files written as the servers write them."""

from pathlib import Path

import pytest

from tests.support import registro_server
from tests.support.registro_server import nuovi_errori, segui

ERRORE_DI_UN_GESTORE = """\
2026-12-05 19:14:06,591 ERROR serena_app.serena_app: errore in un gestore di eventi
Traceback (most recent call last):
  File "/reflex/state.py", line 225, in setvar
    getattr(self, constants.SETTER_PREFIX + var_name)(value)
AttributeError: 'StaffState' object has no attribute 'set_modifica_attiva'
2026-12-05 19:14:06,600 INFO serena_app.pubblicazione.build: pagina servita aggiornata
"""


@pytest.fixture(autouse=True)
def _solo_questi_log(monkeypatch):
    """The logs of this module only: the servers running in the same pytest run are left to
    the real check."""
    monkeypatch.setattr(registro_server, "_seguiti", {})
    monkeypatch.setattr(registro_server, "_in_sospeso", [])


@pytest.fixture
def log(tmp_path: Path):
    """A followed log, as a server helper follows its server's; nothing of it is left for the
    test's own check."""
    file = tmp_path / "server.log"
    file.write_text("Database pronto, riempito dal file dei contenuti.\n", "utf-8")
    with segui(file):
        yield file
        nuovi_errori([".*"])


def _scrivi(log: Path, testo: str) -> None:
    with log.open("a", encoding="utf-8") as file:
        file.write(testo)


def test_an_error_with_its_traceback_is_found_once(log):
    assert nuovi_errori([]) == []
    _scrivi(log, ERRORE_DI_UN_GESTORE)
    errori = nuovi_errori([])
    assert len(errori) == 1
    assert errori[0].log == log
    assert errori[0].testo.startswith("2026-12-05 19:14:06,591 ERROR")
    assert errori[0].testo.endswith("no attribute 'set_modifica_attiva'")  # not the INFO line
    assert nuovi_errori([]) == []  # each line is read once


def test_a_declared_error_is_let_through_by_any_line_of_its_traceback(log):
    _scrivi(log, ERRORE_DI_UN_GESTORE)
    assert nuovi_errori([r"no attribute 'set_\w+'"]) == []
    _scrivi(log, ERRORE_DI_UN_GESTORE.replace("AttributeError", "KeyError"))
    assert len(nuovi_errori([r"AttributeError"])) == 1


@pytest.mark.parametrize(
    "riga",
    [
        "2026-12-05 19:14:06,591 CRITICAL serena_app: il database è sparito",
        "[ERROR] Unexpected exit from worker-1",
        "Traceback (most recent call last):",
        "Exception in thread Thread-3 (ascolta):",
        '{"level":"error","ts":1796498083.9,"logger":"http.log.error","msg":"dial tcp"}',
    ],
)
def test_every_server_s_way_of_saying_error_counts(log, riga):
    _scrivi(log, riga + "\n")
    assert len(nuovi_errori([])) == 1


@pytest.mark.parametrize(
    "riga",
    [
        "2026-12-05 19:14:06,591 WARNING serena_app: evento non valido: ERROR Traceback",
        '{"level":"warn","ts":1796498083.9,"logger":"admin","msg":"admin endpoint disabled"}',
        "_subscribe_lock_updates: task error suppressed: Error 111 connecting to 127.0.0.1",
    ],
)
def test_a_warning_that_quotes_an_error_does_not(log, riga):
    _scrivi(log, riga + "\n")
    assert nuovi_errori([]) == []


def test_a_line_still_being_written_is_read_when_complete(log):
    _scrivi(log, "2026-12-05 19:14:06,591 ERR")
    assert nuovi_errori([]) == []
    _scrivi(log, "OR serena_app: a metà\n")
    assert len(nuovi_errori([])) == 1


def test_the_last_lines_of_a_server_stopped_during_the_test_count(tmp_path):
    file = tmp_path / "server.log"
    with segui(file):
        _scrivi(file, "[ERROR] Unexpected exit from worker-1\n")
    assert len(nuovi_errori([])) == 1
    assert nuovi_errori([]) == []

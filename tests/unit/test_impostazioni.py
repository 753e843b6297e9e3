"""The settings file of a running `make prod`: `serena` uses it, unless told otherwise."""

import os

from serena_app.produzione import impostazioni


def test_serena_uses_the_running_productions_database(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    impostazioni.scrivi({"DATABASE_URL": "postgresql+psycopg://serena@127.0.0.1:5999/serena"})
    assert (tmp_path / "var" / "produzione.env").stat().st_mode & 0o077 == 0  # owner only
    impostazioni.applica()
    assert os.environ["DATABASE_URL"] == "postgresql+psycopg://serena@127.0.0.1:5999/serena"
    assert "Database di produzione" in capsys.readouterr().err


def test_a_database_named_in_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///altro.db")
    impostazioni.scrivi({"DATABASE_URL": "postgresql+psycopg://serena@127.0.0.1:5999/serena"})
    impostazioni.applica()
    assert os.environ["DATABASE_URL"] == "sqlite:///altro.db"


def test_once_make_prod_stops_serena_is_back_on_its_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    impostazioni.scrivi({"DATABASE_URL": "postgresql+psycopg://serena@127.0.0.1:5999/serena"})
    impostazioni.rimuovi()
    impostazioni.applica()
    assert "DATABASE_URL" not in os.environ

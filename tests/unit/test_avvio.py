"""Start-up in steps: importing the app touches no database; `serena prepare` migrates and
seeds, once, before the server starts."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect
from sqlmodel import Session

from serena_app.comandi.cli import main
from serena_app.contenuto.pagina import PUBBLICATA, versione_pagina
from serena_app.db import crea_engine
from tests.support.server import ROOT, ambiente_app


def test_importing_the_app_touches_no_database(tmp_path: Path):
    file_db = tmp_path / "mai-aperto.db"
    env = ambiente_app(0, f"sqlite:///{file_db}")
    subprocess.run(
        [sys.executable, "-c", "import serena_app.serena_app"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    assert not file_db.exists()


def test_prepare_migrates_and_seeds_once(tmp_path: Path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["prepare"]) == 0
    assert "riempito" in capsys.readouterr().out
    engine = crea_engine(url)
    assert {"sezione", "tappa", "valore", "versionepagina", "staff"} <= set(
        inspect(engine).get_table_names()
    )
    with Session(engine) as session:
        prima = versione_pagina(session=session, pagina=PUBBLICATA)
    assert main(["prepare"]) == 0
    assert "riempito" not in capsys.readouterr().out
    with Session(engine) as session:
        assert versione_pagina(session=session, pagina=PUBBLICATA) == prima
    engine.dispose()

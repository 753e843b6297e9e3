"""`make prod`'s own PostgreSQL: a data folder left by an older `serena prod`, which let anyone
in, is not started as it is."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from serena_app.produzione.servizi import Postgres, binari_postgres, come_postgres, porta_libera


@pytest.fixture
def cartella() -> Iterator[Path]:
    """A folder the `postgres` user can reach (PostgreSQL runs as it when the tests are root)."""
    radice = Path(tempfile.mkdtemp(prefix="serena-servizi-"))
    radice.chmod(0o755)
    yield radice / "postgresql"
    shutil.rmtree(radice, ignore_errors=True)


def test_a_cluster_made_by_an_older_serena_prod_is_refused_with_what_to_do(cartella: Path):
    cartella.mkdir()
    if os.geteuid() == 0:
        shutil.chown(cartella, "postgres", "postgres")
    dati = cartella / "dati"
    subprocess.run(
        come_postgres(
            [str(binari_postgres() / "initdb"), "-D", str(dati), "-A", "trust", "-U", "serena"]
        ),
        check=True,
        capture_output=True,
        cwd=cartella,
    )
    with pytest.raises(RuntimeError, match="versione precedente") as errore:
        Postgres(cartella, porta_libera(), veloce=True).avvia()
    assert "pg_dump" in str(errore.value)
    assert "trust" in (dati / "pg_hba.conf").read_text()  # left as it was: not started
    assert not (dati / "postmaster.pid").exists()

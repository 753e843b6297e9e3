"""Start the real app on a free port with its own database: `serena prepare`, then
`reflex run --env prod`, as `make run` does. Its log is followed (`registro_server.py`): an
error in it fails the test that was running."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from serena_app.produzione.servizi import porta_libera
from tests.support.registro_server import segui

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 600.0


@dataclass
class Server:
    """A running app: its base URL, database URL, log file, and where it keeps the builds it
    makes after each publish."""

    url: str
    db_url: str
    log: Path
    build: Path

    def log_text(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def ambiente_app(port: int, db_url: str) -> dict[str, str]:
    """The environment the app runs with: venv first on PATH, npm, no telemetry."""
    origin = f"http://localhost:{port}"
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "DATABASE_URL": db_url,
        "SERENA_ALLOWED_ORIGINS": f"{origin},http://127.0.0.1:{port}",
        "SERENA_SITE_URL": origin,
    }


def _attendi_risposta(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the app exited with {process.returncode}:\n{log.read_text()[-4000:]}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        # Bounded polling: wait half a second, or less if the app exits.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)
    msg = f"the app did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-4000:]}"
    raise TimeoutError(msg)


@contextmanager
def avvia_app(
    workdir: Path,
    db_url: str | None = None,
    root: Path = ROOT,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
    prepara: bool = True,
) -> Iterator[Server]:
    """Build and serve the app; stop it (and its children) on exit.

    Args:
        workdir: A folder for the database and the log.
        db_url: The database to use; a new SQLite file in `workdir` by default.
        root: The project folder to run from (the benchmark runs a copy).
        extra_env: More environment variables for the app (a demo server's).
        port: The port to serve on; a free one by default.
        prepara: Run `serena prepare` first, as `make run` does (False: `reflex run` alone).

    Yields:
        The running server.
    """
    port = port or porta_libera()
    db_url = db_url or f"sqlite:///{workdir / 'serena.db'}"
    log = workdir / "server.log"
    env = {
        **ambiente_app(port, db_url),
        "SERENA_BUILD": str(workdir / "build"),
        **(extra_env or {}),
    }
    with log.open("w") as out:
        if prepara:
            subprocess.run(
                [str(BIN / "serena"), "prepare"],
                cwd=root,
                env=env,
                stdout=out,
                stderr=out,
                check=True,
            )
        process = subprocess.Popen(
            [
                str(BIN / "reflex"),
                "run",
                "--env",
                "prod",
                "--single-port",
                "--frontend-port",
                str(port),
                "--loglevel",
                "info",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        with segui(log):
            _attendi_risposta(url + "/", process, log)
            yield Server(url=url, db_url=db_url, log=log, build=workdir / "build")
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop the app and every process it started (node, workers)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass  # already gone
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

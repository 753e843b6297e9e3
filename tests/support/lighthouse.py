"""Lighthouse 13 with Debian's Chromium: install it, run it, read a report.

Used by the Lighthouse floor test (`tests/e2e/test_lighthouse.py`) and the benchmark
(`scripts/bench.py`).
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LIGHTHOUSE_DIR = ROOT / ".bench"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_PATH = str(CHROMIUM)
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
RUN_TIMEOUT = 300


@dataclass
class Riassunto:
    """The numbers of one Lighthouse report that the table shows."""

    performance: float
    accessibility: float
    best_practices: float
    seo: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    transfer_kib: float


def ambiente_node() -> dict[str, str]:
    """The environment for npm and Lighthouse: the venv's Node 24 first on PATH, Chromium."""
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "CHROME_PATH": CHROME_PATH,
    }


def installa_lighthouse() -> None:
    """Install Lighthouse 13 into `.bench/` unless it is already there."""
    if LIGHTHOUSE_CLI.exists():
        return
    print("Installing Lighthouse 13 into .bench/ ...", flush=True)
    command = [str(BIN / "npm"), "install", "--prefix", str(LIGHTHOUSE_DIR), "lighthouse@13"]
    subprocess.run(
        [*command, "--no-audit", "--no-fund", "--loglevel=error"], env=ambiente_node(), check=True
    )


def lighthouse(url: str, preset: str, output: Path) -> dict[str, Any]:
    """Run Lighthouse once and read its report.

    Args:
        url: The page to audit.
        preset: "mobile" (Lighthouse's default) or "desktop".
        output: Where to write the JSON report.

    Returns:
        The parsed report (the Lighthouse result object).

    Raises:
        RuntimeError: If Lighthouse fails or reports a runtime error.
    """
    command = [
        str(BIN / "node"),
        str(LIGHTHOUSE_CLI),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        env=ambiente_node(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        msg = f"lighthouse exited with {done.returncode} on {url}:\n{done.stderr[-4000:]}"
        raise RuntimeError(msg)
    report = json.loads(output.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


def score(report: dict[str, Any], category: str) -> float:
    """A category's score on a 0-100 scale (0 when Lighthouse could not score it)."""
    return round((report["categories"][category]["score"] or 0) * 100)


def riassumi(report: dict[str, Any]) -> Riassunto:
    """The scores and metrics of one report.

    Args:
        report: A Lighthouse result object.

    Returns:
        Its summary.
    """
    audits = report["audits"]

    def value(audit_id: str) -> float:
        return audits[audit_id].get("numericValue") or 0.0

    return Riassunto(
        performance=score(report, "performance"),
        accessibility=score(report, "accessibility"),
        best_practices=score(report, "best-practices"),
        seo=score(report, "seo"),
        lcp_ms=value("largest-contentful-paint"),
        tbt_ms=value("total-blocking-time"),
        cls=value("cumulative-layout-shift"),
        transfer_kib=value("total-byte-weight") / 1024,
    )

"""Lighthouse benchmark: the real app against a plain static page holding the same text.

Starts the production app and a plain page (see `plain_page.py`), runs Lighthouse 13 on both
with the mobile and the desktop preset, three times each, and prints the median run of each
against the targets. Raw reports go to `bench-results/`. Exits 0 even when targets are missed.

Usage: python scripts/bench.py   (or `make bench`)
"""

import gzip
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import avvio, carico, prove_demo, pubblicazioni, topologie  # noqa: E402
from scripts.plain_page import render  # noqa: E402
from serena_app.contenuto.seme import carica_seed  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.lighthouse import (  # noqa: E402
    Riassunto,
    installa_lighthouse,
    lighthouse,
    riassumi,
    score,
)
from tests.support.server import Server, avvia_app  # noqa: E402

RESULTS = ROOT / "bench-results"
PRESETS = ("mobile", "desktop")
TARGETS = ("serena", "plain")
RUNS = 3
CHECKED_CATEGORIES = ("accessibility", "best-practices", "seo")


# --- the app ---------------------------------------------------------------------------------


@contextmanager
def start_app(workdir: Path) -> Iterator[Server]:
    """Build and serve the production app from a private copy of the tree.

    Every `reflex run` builds into `.web` of its folder, with its own port baked into the
    bundle: a copy keeps tests running at the same time in the repo from overwriting the
    benchmarked build.

    Args:
        workdir: A temporary folder for the copy, the database and the log.

    Yields:
        The running app.
    """
    tree = workdir / "tree"
    copia_albero(tree)
    with avvia_app(workdir, root=tree) as app:
        yield app


# --- the plain page ---------------------------------------------------------------------------


def plain_handler(html: str) -> type[BaseHTTPRequestHandler]:
    """A request handler serving `html` at "/" (gzipped when the client accepts it), 404 elsewhere.

    Args:
        html: The page to serve.

    Returns:
        The handler class for an HTTP server.
    """
    raw = html.encode("utf-8")
    packed = gzip.compress(raw)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/":
                self.send_error(404)
                return
            use_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            body = packed if use_gzip else raw
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            if use_gzip:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Keep the benchmark output clean."""

    return Handler


@contextmanager
def serve_plain(html: str) -> Iterator[str]:
    """Serve the plain page from a thread of this process on a free local port.

    Args:
        html: The page to serve.

    Yields:
        The page's URL.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), plain_handler(html))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- Lighthouse -------------------------------------------------------------------------------


def lighthouse_retrying(url: str, preset: str, output: Path) -> dict[str, Any]:
    """Run Lighthouse, once more if the first attempt fails (a busy machine can make it flaky).

    Args:
        url: The page to audit.
        preset: "mobile" or "desktop".
        output: Where to write the JSON report.

    Returns:
        The parsed report.
    """
    try:
        return lighthouse(url, preset, output)
    except RuntimeError as error:
        print(f"  retrying after: {error}", flush=True)
        return lighthouse(url, preset, output)


def median_run(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score."""
    ranked = sorted(reports, key=lambda report: report["categories"]["performance"]["score"] or 0)
    return ranked[len(ranked) // 2]


def failing_audits(reports: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """Audits scoring below 1 in the accessibility, best-practices and SEO categories.

    Args:
        reports: All the runs of one page and preset.

    Returns:
        For each failing audit id: its title and in how many runs it failed.
    """
    failing: dict[str, tuple[str, int]] = {}
    for report in reports:
        for category in CHECKED_CATEGORIES:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if audit.get("score") is not None and audit["score"] < 1:
                    title, count = failing.get(ref["id"], (audit["title"], 0))
                    failing[ref["id"]] = (title, count + 1)
    return failing


def run_all(urls: dict[str, str]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Run Lighthouse RUNS times per page and preset, alternating pages, saving every report.

    Args:
        urls: The URL of each target page.

    Returns:
        The reports of each (target, preset).
    """
    RESULTS.mkdir(exist_ok=True)
    reports: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for preset in PRESETS:
        for run in range(1, RUNS + 1):
            for target in TARGETS:
                output = RESULTS / f"lighthouse-{target}-{preset}-{run}.json"
                report = lighthouse_retrying(urls[target], preset, output)
                reports.setdefault((target, preset), []).append(report)
                print(
                    f"  {target:<6} {preset:<7} run {run}/{RUNS}: "
                    f"performance {score(report, 'performance'):.0f}",
                    flush=True,
                )
    return reports


# --- load ------------------------------------------------------------------------------------

LOAD_RUNS = ((500, 50.0), (500, 0.0))  # (visitors, arrivals per second; 0 = all at once)
SWEEPS = {50.0: (750, 1000), 0.0: (100, 250, 500)}  # beyond the runs above, until p95 > 1 s


def run_load(url: str, db_url: str) -> dict[str, list[dict[str, Any]]]:
    """The load runs (with staff saves) and the sweeps for the 1 s crossing.

    Args:
        url: The running app.
        db_url: Its database (for the staff session of the saves).

    Returns:
        "runs": the main runs; "sweep <rate>": each sweep's runs, in order.
    """
    print("\nLoad: visitors loading /, hydrating, one event each; staff saving meanwhile ...")
    results: dict[str, list[dict[str, Any]]] = {"runs": []}
    for visitors, rate in LOAD_RUNS:
        results["runs"].append(carico.run(url, visitors, rate, 10, db_url=db_url))
    for rate, counts in SWEEPS.items():
        sweep = results.setdefault(f"sweep {rate:g}", [])
        for visitors in counts:
            sweep.append(carico.run(url, visitors, rate, 0))
            if (sweep[-1]["hydration"]["p95_ms"] or 0) > carico.SOGLIA_SWEEP_S * 1000:
                break
    return results


def print_load(results: dict[str, list[dict[str, Any]]]) -> None:
    """The load runs and the sweeps."""
    for result in results["runs"]:
        carico.stampa(result)
    for name, sweep in results.items():
        if name.startswith("sweep"):
            rate = float(name.split()[1])
            print(f"\nSweep, arrivals {'all at once' if rate == 0 else f'{rate:g}/s'}:")
            carico.stampa_sweep(sweep)


# --- the report -------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    """A check mark or a cross."""
    return "✓" if ok else "✗"


def print_table(summaries: dict[tuple[str, str], Riassunto]) -> None:
    """One row per page and preset with the scores and metrics of its median run."""
    header = (
        f"{'':<16}{'Perf':>5}{'A11y':>5}{'BP':>5}{'SEO':>5}"
        f"{'LCP ms':>9}{'TBT ms':>8}{'CLS':>7}{'KiB':>8}"
    )
    print(header)
    print("-" * len(header))
    for preset in PRESETS:
        for target in TARGETS:
            s = summaries[target, preset]
            print(
                f"{target + ' ' + preset:<16}{s.performance:>5.0f}{s.accessibility:>5.0f}"
                f"{s.best_practices:>5.0f}{s.seo:>5.0f}{s.lcp_ms:>9.0f}{s.tbt_ms:>8.0f}"
                f"{s.cls:>7.3f}{s.transfer_kib:>8.1f}"
            )


def ratio(ours: float, plain: float) -> str:
    """`ours / plain` as "1.23x", or "n/a" when the plain value is zero."""
    return f"{ours / plain:.2f}x" if plain else "n/a"


def print_ratios(summaries: dict[tuple[str, str], Riassunto]) -> None:
    """The app's LCP, transfer and TBT as multiples of the plain page's."""
    print("\nserena / plain")
    for preset in PRESETS:
        ours, plain = summaries["serena", preset], summaries["plain", preset]
        print(
            f"  {preset:<8} LCP {ratio(ours.lcp_ms, plain.lcp_ms):>7}   "
            f"transfer {ratio(ours.transfer_kib, plain.transfer_kib):>7}   "
            f"TBT {ratio(ours.tbt_ms, plain.tbt_ms):>7} "
            f"({ours.tbt_ms:.0f} vs {plain.tbt_ms:.0f} ms)"
        )


def checks(ours: Riassunto, plain: Riassunto) -> list[tuple[str, bool]]:
    """The targets and whether the app meets them.

    Args:
        ours: The app's median run.
        plain: The plain page's median run with the same preset.

    Returns:
        (description, met) for each target.
    """
    return [
        (f"Performance >= 98 ({ours.performance:.0f})", ours.performance >= 98),
        (f"Accessibility = 100 ({ours.accessibility:.0f})", ours.accessibility == 100),
        (f"Best Practices = 100 ({ours.best_practices:.0f})", ours.best_practices == 100),
        (f"SEO = 100 ({ours.seo:.0f})", ours.seo == 100),
        (
            f"LCP <= 1.5x plain ({ours.lcp_ms:.0f} vs {plain.lcp_ms:.0f} ms)",
            ours.lcp_ms <= 1.5 * plain.lcp_ms,
        ),
        (f"transfer <= 200 KiB ({ours.transfer_kib:.1f})", ours.transfer_kib <= 200),
        (f"CLS = 0 ({ours.cls:.3f})", ours.cls == 0),
    ]


def print_checks(summaries: dict[tuple[str, str], Riassunto]) -> None:
    """The app's median runs against the targets, mobile first."""
    for preset in PRESETS:
        print(f"\nTargets, serena {preset}:")
        for description, met in checks(summaries["serena", preset], summaries["plain", preset]):
            print(f"  {mark(met)} {description}")


def print_failing(reports: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    """The accessibility, best-practices and SEO audits that failed in any run."""
    print(f"\nFailing audits ({', '.join(CHECKED_CATEGORIES)}; in how many of {RUNS} runs):")
    found = False
    for (target, preset), runs in reports.items():
        for audit_id, (title, count) in sorted(failing_audits(runs).items()):
            print(f"  {target} {preset}: {audit_id} ({count}/{RUNS}) - {title}")
            found = True
    if not found:
        print("  none")


def main() -> int:
    """Start both pages, run Lighthouse on them and print the report.

    Returns:
        The exit status: 0 (missed targets are reported, not failures).
    """
    installa_lighthouse()
    html = render(carica_seed())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "plain.html").write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory() as workdir:
        print("Starting the app (the first build can take a minute) ...", flush=True)
        with start_app(Path(workdir)) as app, serve_plain(html) as plain_url:
            print(f"serena: {app.url}/   plain: {plain_url}", flush=True)
            try:
                reports = run_all({"serena": f"{app.url}/", "plain": plain_url})
            except RuntimeError:
                print(f"The app's log ends with:\n{app.log_text()[-3000:]}", file=sys.stderr)
                raise
            load = run_load(app.url, app.db_url)
            publishes = pubblicazioni.misura(app.url, app.db_url)
    summaries = {key: riassumi(median_run(runs)) for key, runs in reports.items()}
    print(f"\nLighthouse 13, median of {RUNS} runs by performance score\n")
    print_table(summaries)
    print_ratios(summaries)
    print_checks(summaries)
    print_failing(reports)
    print(f"\nRaw reports: {RESULTS.relative_to(ROOT)}/")
    print_load(load)
    pubblicazioni.stampa(publishes)
    avvio.stampa(avvio.misura())
    prove_demo.stampa(prove_demo.run())
    topologie.stampa(topologie.misura())
    return 0


if __name__ == "__main__":
    sys.exit(main())

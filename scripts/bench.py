"""The benchmark: Lighthouse, then `make run` against `make prod` under load, in one run.

1. Lighthouse 13 on the app (served as `make run` serves it), its Italian page `/` and its
   English page `/en/`, and on a plain static page holding the same text, mobile and desktop
   presets, three times each: the median run of each against the targets. Raw reports go to
   `bench-results/`. Slow: `--senza-lighthouse` (or SERENA_BENCH_SENZA_LIGHTHOUSE=1) skips it;
   `--solo-lighthouse` runs nothing else.
2. Both topologies, one server each, the same load phases repeated (`scripts/topologie.py`):
   CPU per page view, Redis per open page, 500 visitors at once, a publish reaching 1,000 open
   pages, `GET /` while publishing, publish → served HTML, the load generator's own CPU. Printed
   side by side as min–median–max, and written to `bench-results/bench.json`.
3. On request only: start-up times (`--avvio`, a fresh clone's first build) and the live
   demo's room of phones (`--demo`: `prove_demo.py`, then `bench_sala.py`, the presenter's
   view with 50 phones editing).

Exits 0 even when targets are missed.

Usage: python scripts/bench.py [--senza-lighthouse | --solo-lighthouse] [--ripetizioni 3]
       [--avvio] [--demo]
(or `make bench`)
"""

import argparse
import dataclasses
import datetime
import gzip
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import avvio, bench_sala, prove_demo, topologie  # noqa: E402
from scripts.plain_page import render  # noqa: E402
from tests.support.dati import contenuto  # noqa: E402
from tests.support.lighthouse import (  # noqa: E402
    Riassunto,
    installa_lighthouse,
    lighthouse,
    riassumi,
    score,
)

RESULTS = ROOT / "bench-results"
PRESETS = ("mobile", "desktop")
TARGETS = ("serena", "serena-en", "plain")
PAGINE = {"serena": "/", "serena-en": "/en/"}
"""The app's pages measured: each language's."""
RUNS = 3
CHECKED_CATEGORIES = ("accessibility", "best-practices", "seo")


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
                    f"  {target:<9} {preset:<7} run {run}/{RUNS}: "
                    f"performance {score(report, 'performance'):.0f}",
                    flush=True,
                )
    return reports


# --- the report -------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    """A check mark or a cross."""
    return "✓" if ok else "✗"


def print_table(summaries: dict[tuple[str, str], Riassunto]) -> None:
    """One row per page and preset with the scores and metrics of its median run."""
    header = (
        f"{'':<18}{'Perf':>5}{'A11y':>5}{'BP':>5}{'SEO':>5}"
        f"{'LCP ms':>9}{'TBT ms':>8}{'CLS':>7}{'KiB':>8}"
    )
    print(header)
    print("-" * len(header))
    for preset in PRESETS:
        for target in TARGETS:
            s = summaries[target, preset]
            print(
                f"{target + ' ' + preset:<18}{s.performance:>5.0f}{s.accessibility:>5.0f}"
                f"{s.best_practices:>5.0f}{s.seo:>5.0f}{s.lcp_ms:>9.0f}{s.tbt_ms:>8.0f}"
                f"{s.cls:>7.3f}{s.transfer_kib:>8.1f}"
            )


def ratio(ours: float, plain: float) -> str:
    """`ours / plain` as "1.23x", or "n/a" when the plain value is zero."""
    return f"{ours / plain:.2f}x" if plain else "n/a"


def print_ratios(summaries: dict[tuple[str, str], Riassunto]) -> None:
    """Each app page's LCP, transfer and TBT as multiples of the plain page's."""
    print("\napp page / plain")
    for preset, pagina in ((preset, pagina) for preset in PRESETS for pagina in PAGINE):
        ours, plain = summaries[pagina, preset], summaries["plain", preset]
        print(
            f"  {pagina:<10} {preset:<8} LCP {ratio(ours.lcp_ms, plain.lcp_ms):>7}   "
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
    """Each app page's median runs against the targets, mobile first."""
    for preset, pagina in ((preset, pagina) for preset in PRESETS for pagina in PAGINE):
        print(f"\nTargets, {pagina} {preset}:")
        for description, met in checks(summaries[pagina, preset], summaries["plain", preset]):
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


def _argomenti() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--senza-lighthouse",
        action="store_true",
        default=os.environ.get("SERENA_BENCH_SENZA_LIGHTHOUSE") == "1",
        help="skip Lighthouse (about 8 minutes)",
    )
    parser.add_argument(
        "--solo-lighthouse",
        action="store_true",
        help="Lighthouse only: no load phases, no make prod",
    )
    parser.add_argument("--ripetizioni", type=int, default=3, help="of each load phase")
    parser.add_argument("--avvio", action="store_true", help="also time the start-up")
    parser.add_argument("--demo", action="store_true", help="also load the live demo")
    return parser.parse_args()


def lighthouse_report(reports: dict[tuple[str, str], list[dict[str, Any]]]) -> dict[str, Any]:
    """Print Lighthouse's tables; its medians by "target preset", for the JSON."""
    summaries = {key: riassumi(median_run(runs)) for key, runs in reports.items()}
    print(f"\nLighthouse 13, median of {RUNS} runs by performance score\n")
    print_table(summaries)
    print_ratios(summaries)
    print_checks(summaries)
    print_failing(reports)
    print(f"\nRaw reports: {RESULTS.relative_to(ROOT)}/")
    return {f"{t} {p}": dataclasses.asdict(s) for (t, p), s in summaries.items()}


def main() -> int:
    """Start each topology once, run Lighthouse on `make run` and the load phases on both,
    and print the report.

    Returns:
        The exit status: 0 (missed targets are reported, not failures).
    """
    args = _argomenti()
    inizio = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    html = render(contenuto())
    (RESULTS / "plain.html").write_text(html, encoding="utf-8")
    if not args.senza_lighthouse:
        installa_lighthouse()
    reports, carichi = {}, {}
    for nome, avvia in topologie.TOPOLOGIE.items():
        if args.solo_lighthouse and nome != "make run":
            continue
        print(f"Starting {nome} (a build: a minute or more) ...", flush=True)
        try:
            with tempfile.TemporaryDirectory() as cartella, avvia(Path(cartella)) as t:
                print(f"{nome}: {t.url}/", flush=True)
                if nome == "make run" and not args.senza_lighthouse:
                    with serve_plain(html) as plain_url:
                        pagine = {chiave: t.url + p for chiave, p in PAGINE.items()}
                        reports = run_all({**pagine, "plain": plain_url})
                if not args.solo_lighthouse:
                    carichi[nome] = topologie.misura(t, args.ripetizioni)
        except Exception:  # the other topology's figures are still worth printing
            traceback.print_exc()
    risultati: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "repetitions": args.ripetizioni,
        "load_average": os.getloadavg(),
    }
    if reports:
        risultati["lighthouse"] = lighthouse_report(reports)
    if carichi:
        topologie.stampa(carichi)
    risultati |= {"figures": topologie.riepilogo(carichi), "runs": carichi}
    if args.avvio:
        risultati["start_up_s"] = avvio.misura()
        avvio.stampa(risultati["start_up_s"])
    if args.demo:
        demo = prove_demo.run()
        prove_demo.stampa(demo)
        sala = bench_sala.run()
        bench_sala.stampa(sala)
        risultati["presenter_view"] = sala
    risultati["wall_s"] = time.monotonic() - inizio
    (RESULTS / "bench.json").write_text(json.dumps(risultati, indent=2, ensure_ascii=False))
    print(
        f"\nWritten to {RESULTS.relative_to(ROOT)}/bench.json; "
        f"the bench took {risultati['wall_s'] / 60:.1f} min"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Page weight before and after a change: bytes and requests per page, served without compression
(as many LMS file servers send files), and Lighthouse's mobile performance score when Lighthouse
is installed.

Prints tables; asserts nothing. "Before" is any earlier build of the site (for example the main
checkout's ``_build/html``), "after" this checkout's.

Lighthouse is not a test tool of the project: install it only to run this benchmark, with
``npm install --no-save -E lighthouse@12.2.3`` (13.x needs Node 22), or anywhere else and name
its ``.bin/lighthouse`` in ``LIGHTHOUSE``. It drives the system Chromium (``CHROME_PATH``).

Usage::

    python benchmarks/page_weight.py [--before ../main/_build/html] [--after _build/html]
        [--loads 3] [--lighthouse [--runs 2] [--pages book/review.html ...]]

With ``--lighthouse`` every page in ``_toc.yml`` is scored (or those named), each ``--runs``
times, and the table gives the lowest and highest score, first and largest contentful paint,
total blocking time, bytes and the longest main-thread task of the runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from site_performance import (  # noqa: E402  (one way to load and measure pages)
    Quiet,
    Server,
    measure_pages,
    table,
)
from support.paths import chromium_path  # noqa: E402

# Another install than the project's node_modules can be named with LIGHTHOUSE=path/to/bin.
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE") or ROOT / "node_modules" / ".bin" / "lighthouse")


def toc_pages() -> list[str]:
    """Every page of the book in _toc.yml's order (the root, then each chapter), as paths."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{doc}.html" for doc in docs]


def lighthouse_once(url: str) -> dict[str, Any]:
    """One Lighthouse run (mobile, simulated slow 4G and a 4x slower CPU, its defaults)."""
    env = dict(os.environ, CHROME_PATH=chromium_path() or "/usr/bin/chromium")
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--form-factor=mobile",
            "--output=json",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    report = json.loads(done.stdout)
    audits = report["audits"]
    # The longest main-thread tasks Lighthouse could name, for "what takes the time".
    tasks = (audits.get("long-tasks", {}).get("details") or {}).get("items", [])
    longest = max(tasks, key=lambda t: t.get("duration", 0), default={})
    return {
        "score": report["categories"]["performance"]["score"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "longest_ms": float(longest.get("duration", 0)),
        "longest_url": str(longest.get("url", "")).rsplit("/", 1)[-1].split("?")[0],
    }


def lighthouse_scores(site: Path, pages: list[str], runs: int) -> dict[str, list[dict[str, Any]]]:
    """{page: [one result per run]}; the runs of a page are taken one after another, each
    page in turn (Lighthouse is noisy on a shared machine: the table shows min and max)."""
    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, list[dict]] = {page: [] for page in pages}
    try:
        for _ in range(runs):
            for page in pages:
                results[page].append(lighthouse_once(base + page))
                print(f"  {site.name}: {page} {results[page][-1]['score']:.2f}", file=sys.stderr)
    finally:
        server.shutdown()
    return results


def _span(values: list[float], form: str) -> str:
    low, high = min(values), max(values)
    return (
        form.format(low)
        if form.format(low) == form.format(high)
        else (form.format(low) + " to " + form.format(high))
    )


def lighthouse_table(results: dict[str, list[dict]]) -> str:
    rows = []
    for page, runs in results.items():
        longest = max(runs, key=lambda r: r["longest_ms"])
        rows.append(
            [
                page,
                _span([r["score"] for r in runs], "{:.2f}"),
                f"{statistics.median(r['score'] for r in runs):.2f}",
                _span([r["fcp"] / 1000 for r in runs], "{:.1f}"),
                _span([r["lcp"] / 1000 for r in runs], "{:.1f}"),
                _span([r["tbt"] for r in runs], "{:.0f}"),
                _span([r["bytes"] / 1024 for r in runs], "{:.0f}"),
                f"{longest['longest_ms']:.0f} {longest['longest_url']}".strip(),
            ]
        )
    return table(
        [
            "page",
            "score",
            "median",
            "FCP s",
            "LCP s",
            "TBT ms",
            "KB",
            "longest task ms (script)",
        ],
        rows,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an earlier build, to compare with")
    parser.add_argument("--after", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--runs", type=int, default=2, help="Lighthouse runs per page")
    parser.add_argument(
        "--pages", nargs="*", help="pages to score (default: every page in _toc.yml)"
    )
    args = parser.parse_args()
    sites = [("before", args.before)] if args.before else []
    sites.append(("after", args.after))
    measured = {name: measure_pages(site, args.loads) for name, site in sites}
    rows = []
    for i, new in enumerate(measured["after"]):
        old = measured["before"][i] if args.before else new
        rows.append(
            [
                new["page"],
                f"{old['bytes'] / 1024:.0f}",
                f"{new['bytes'] / 1024:.0f}",
                f"{(new['bytes'] - old['bytes']) / 1024:+.0f}",
                f"{old['requests']:.0f} -> {new['requests']:.0f}",
            ]
        )
    print("\nKB per page at load, no compression (median of loads)\n")
    print(table(["page", "before KB", "after KB", "change KB", "requests"], rows))
    if args.lighthouse:
        if not LIGHTHOUSE.is_file():
            print("\nLighthouse is not installed: npm install --no-save -E lighthouse@12.2.3")
            return 0
        pages = args.pages or toc_pages()
        for name, site in sites:
            results = lighthouse_scores(site, pages, args.runs)
            print(
                f"\nLighthouse 12 mobile performance, no compression, {name} ({site}); "
                f"min to max of {args.runs} runs per page\n"
            )
            print(lighthouse_table(results))
            low = [p for p, runs in results.items() if min(r["score"] for r in runs) < 0.9]
            print(f"\npages under 0.90 in some run: {', '.join(low) or 'none'}")
            # Lighthouse's own advice for its variability: several runs, the median counts
            # (docs/variability.md, "Run Lighthouse multiple times"; 5 runs halve the spread).
            low = [
                p
                for p, runs in results.items()
                if statistics.median(r["score"] for r in runs) < 0.9
            ]
            print(f"pages with a median under 0.90: {', '.join(low) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build time, page weight and time to interactive widgets for the static book.

Prints tables; asserts nothing (budgets live in the README, next to the figures):

* cold build: a fresh output folder, so every notebook is executed;
* warm build: the same folder again, nothing changed (Sphinx and the execution cache reuse all);
* warm full rewrite: ``--all`` re-reads and rewrites every page, notebooks come from the cache;
* bytes and requests for a text-only page and for widget pages, from headless Chromium with the
  browser cache off, served without compression (the worst case) and with gzip (as web hosts
  send pages); at load, and again after scrolling to the end, when exercises further down have
  loaded what they need (the judge's rules, cached by the browser for every later page);
* time from navigation start until every widget on the page is mounted and interactive
  (the ``smx:widgets-ready`` performance mark set by course.js), median of several loads.

Usage::

    python benchmarks/site_performance.py [--site _build/html] [--skip-build] [--loads 7]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import platform
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # support.site_driver reads the exercise files

from support.paths import CHROMIUM_FLAGS as FLAGS  # noqa: E402  (one list of browser flags)
from support.paths import chromium_path  # noqa: E402
from support.site_driver import (  # noqa: E402  (the same count and reading as the tests)
    READ_TO_THE_END,
    count_bytes,
)

TEXT_PAGE = "book/glossary.html"
WIDGET_PAGES = ["book/personal_and_professional.html", "book/pitfalls.html", "book/review.html"]


def build(path_output: Path, *extra: str) -> float:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    command = ["jupyter-book", "build", str(ROOT), "--path-output", str(path_output), *extra]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def build_times() -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold = build(out)
        warm = build(out)
        rewrite = build(out, "--all")
    return [
        ("cold build (every notebook executed)", cold),
        ("warm build, nothing changed", warm),
        ("warm build, every page rewritten (--all)", rewrite),
    ]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map")


class Gzipping(Quiet):
    """Compresses text files with gzip, as web hosts and LMSs do."""

    def send_head(self):
        path = self.translate_path(self.path)
        if not path.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            data = gzip.compress(Path(path).read_bytes(), mtime=0)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False


def measure_pages(site: Path, loads: int, handler=Quiet) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path() or "/usr/bin/chromium", args=FLAGS
            )
            for page_path in [TEXT_PAGE, *WIDGET_PAGES]:
                sizes: list[int] = []
                counts: list[int] = []
                ready: list[float] = []
                full: list[int] = []
                widgets = 0
                for _ in range(loads):
                    context = browser.new_context()
                    page = context.new_page()
                    received = count_bytes(context, page)
                    page.goto(base + page_path, wait_until="load")
                    page.wait_for_function(
                        "document.documentElement.hasAttribute('data-smx-ready')"
                    )
                    page.wait_for_load_state("networkidle")
                    widgets = page.locator("section.smx").count()
                    mark = page.evaluate(
                        "(performance.getEntriesByName('smx:widgets-ready')[0] || {}).startTime"
                    )
                    sizes.append(sum(received.values()))
                    counts.append(len(received))
                    ready.append(mark or 0.0)
                    # Read to the end: exercises further down load what they need (the judge).
                    page.evaluate(READ_TO_THE_END)
                    page.wait_for_timeout(300)
                    page.wait_for_load_state("networkidle")
                    full.append(sum(received.values()))
                    context.close()
                rows.append(
                    {
                        "page": page_path,
                        "widgets": widgets,
                        "requests": statistics.median(counts),
                        "bytes": statistics.median(sizes),
                        "ready_ms": statistics.median(ready),
                        "full_bytes": statistics.median(full),
                    }
                )
            browser.close()
    finally:
        server.shutdown()
    return rows


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([line, rule, *body])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--skip-build", action="store_true", help="only measure the pages")
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    if not args.skip_build:
        times = build_times()
        print("\nBuild time\n")
        print(table(["build", "seconds"], [[name, f"{t:.1f}"] for name, t in times]))
    if not (args.site / TEXT_PAGE).is_file():
        print(f"\nno built site at {args.site}; run `make book` first", file=sys.stderr)
        return 1
    for title, handler in (("no compression", Quiet), ("gzip, as web hosts send it", Gzipping)):
        rows = measure_pages(args.site, args.loads, handler)
        text = rows[0]
        print(f"\nPage weight and widget start-up, {title} (median of {args.loads} loads)\n")
        print(
            table(
                [
                    "page",
                    "widgets",
                    "requests",
                    "KB at load",
                    "KB beyond text page",
                    "KB after reading to the end",
                    "widgets ready (ms)",
                ],
                [
                    [
                        r["page"],
                        str(r["widgets"]),
                        f"{r['requests']:.0f}",
                        f"{r['bytes'] / 1024:.0f}",
                        "-" if r is text else f"{(r['bytes'] - text['bytes']) / 1024:.0f}",
                        f"{r['full_bytes'] / 1024:.0f}",
                        f"{r['ready_ms']:.0f}",
                    ]
                    for r in rows
                ],
            )
        )
    print("\nBudget: a widget page adds at most 150 KB to the text page; widgets ready within 1 s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

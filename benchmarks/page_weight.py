"""Page weight before and after a change: bytes and requests per page, served without compression
(as many LMS file servers send files), and Lighthouse's mobile performance score when Lighthouse
is installed.

Prints tables; asserts nothing. "Before" is any earlier build of the site (for example the main
checkout's ``_build/html``), "after" this checkout's.

Lighthouse is not a test tool of the project: install it only to run this benchmark, with
``npm install --no-save -E lighthouse@12.2.3`` (13.x needs Node 22), or anywhere else and name
its ``.bin/lighthouse`` in ``LIGHTHOUSE``. It drives the system Chromium (``CHROME_PATH``).

Usage::

    python benchmarks/page_weight.py --before ../main/_build/html [--after _build/html]
        [--loads 3] [--lighthouse]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from site_performance import (  # noqa: E402  (one way to load and measure pages)
    TEXT_PAGE,
    WIDGET_PAGES,
    Quiet,
    Server,
    measure_pages,
    table,
)
from support.paths import chromium_path  # noqa: E402

# Another install than the project's node_modules can be named with LIGHTHOUSE=path/to/bin.
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE") or ROOT / "node_modules" / ".bin" / "lighthouse")


def lighthouse_scores(site: Path) -> dict[str, tuple[float, float]]:
    """{page: (performance score, first contentful paint in ms)}, mobile, no compression."""
    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = dict(os.environ, CHROME_PATH=chromium_path() or "/usr/bin/chromium")
    scores = {}
    try:
        for page in [TEXT_PAGE, *WIDGET_PAGES]:
            done = subprocess.run(
                [
                    str(LIGHTHOUSE),
                    base + page,
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
            scores[page] = (
                report["categories"]["performance"]["score"],
                report["audits"]["first-contentful-paint"]["numericValue"],
            )
    finally:
        server.shutdown()
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--lighthouse", action="store_true")
    args = parser.parse_args()
    measured = {
        name: measure_pages(site, args.loads)
        for name, site in (("before", args.before), ("after", args.after))
    }
    rows = []
    for old, new in zip(measured["before"], measured["after"], strict=True):
        rows.append(
            [
                old["page"],
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
        before, after = lighthouse_scores(args.before), lighthouse_scores(args.after)
        print("\nLighthouse 12 mobile performance, no compression\n")
        print(
            table(
                ["page", "before", "after", "FCP before s", "FCP after s"],
                [
                    [
                        page,
                        f"{before[page][0]:.2f}",
                        f"{after[page][0]:.2f}",
                        f"{before[page][1] / 1000:.1f}",
                        f"{after[page][1] / 1000:.1f}",
                    ]
                    for page in before
                ],
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

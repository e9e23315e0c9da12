"""Shared fixtures: the project root, a headless Chromium, and the strictly built book.

Browser tests use Debian's Chromium through playwright. In CI (``CI`` set) a missing browser is a
failure; elsewhere those tests skip and say why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.paths import (
    CHROMIUM_FLAGS,
    ROOT,
    SITE_DIR,
    SUB_PATH,
    chromium_path,
    venv_env,
)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by the whole session."""
    executable = chromium_path()
    if executable is None:
        message = "no Chromium found (install Debian's chromium package or set CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# ---------------------------------------------------------------- the built book


@pytest.fixture(scope="session")
def build_result():
    """Build the book the strict way (warnings are errors); reused by every site test."""
    import subprocess

    command = [
        "jupyter-book",
        "build",
        str(ROOT),
        "--builder",
        "html",
        "-n",
        "-W",
        "--keep-going",
    ]
    done = subprocess.run(
        command, cwd=ROOT, env=venv_env(), capture_output=True, text=True, timeout=1800
    )
    return done


@pytest.fixture(scope="session")
def built_site(build_result) -> Path:
    if build_result.returncode != 0:
        tail = (build_result.stdout + build_result.stderr)[-6000:]
        pytest.fail(f"the book did not build cleanly:\n{tail}")
    return SITE_DIR


class _Server:
    def __init__(self, directory: Path):
        import functools
        import http.server
        import socketserver
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        class Server(socketserver.ThreadingTCPServer):
            # Browsers keep idle connections open; closing must not wait for their threads.
            allow_reuse_address = True
            daemon_threads = True
            block_on_close = False

        handler = functools.partial(Quiet, directory=str(directory))
        self.httpd = Server(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path, tmp_path_factory) -> str:
    """The built site served over HTTP under a sub-path, as an LMS or web host would."""
    top = tmp_path_factory.mktemp("webroot")
    mount = top / SUB_PATH
    mount.parent.mkdir(parents=True)
    mount.symlink_to(built_site, target_is_directory=True)
    server = _Server(top)
    yield f"http://127.0.0.1:{server.port}/{SUB_PATH}"
    server.close()


@pytest.fixture(scope="session")
def serve_directory():
    """Serve any directory over HTTP on 127.0.0.1; returns the base URL."""
    servers = []

    def serve(directory: Path) -> str:
        server = _Server(directory)
        servers.append(server)
        return f"http://127.0.0.1:{server.port}/"

    yield serve
    for server in servers:
        server.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test (its own localStorage), with its problems recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: (
            page.problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    yield page
    context.close()

"""A chapter opened as a notebook in a real JupyterLab, run with a real kernel, and answered."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import ROOT, venv_env
from playwright.sync_api import expect
from site_driver import all_exercises, answer_multiple_choice

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHAPTER = "personal_and_professional"
TOKEN = "course-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the course, with the chapter converted to .ipynb."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "_config.yml", work / "_config.yml")
    shutil.copytree(ROOT / "book", work / "book", ignore=shutil.ignore_patterns("*.ipynb"))
    env = venv_env()
    subprocess.run(
        ["jupytext", "--to", "ipynb", str(work / "book" / f"{CHAPTER}.md")],
        check=True,
        env=env,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={work}",
            f"--IdentityProvider.token={TOKEN}",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.open_browser=False",
            "--allow-root",
        ],
        env={**env, "JUPYTER_CONFIG_DIR": str(work / ".jupyter")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_chapter_runs_in_jupyterlab_and_a_widget_answers(browser, lab):
    key, spec = next(
        (k, s)
        for k, s in all_exercises().items()
        if k.startswith(CHAPTER + "/") and s["type"] == "multiple_choice"
    )
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{lab}/lab/tree/book/{CHAPTER}.ipynb?token={TOKEN}")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    # Wait until the notebook's kernel is ready, then run every cell as a learner would.
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            return w && w.sessionContext && w.sessionContext.session &&
                   w.sessionContext.session.kernel &&
                   w.sessionContext.session.kernel.connectionStatus === 'connected';
        }""",
        timeout=60_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    section = page.locator(f'section.smx[data-exercise="{key}"]')
    expect(section).to_be_visible(timeout=60_000)
    # Every exercise of the chapter renders in the live notebook.
    chapter_keys = [k for k in all_exercises() if k.startswith(CHAPTER + "/")]
    for other in chapter_keys:
        expect(page.locator(f'section.smx[data-exercise="{other}"]')).to_have_count(
            1, timeout=60_000
        )
    section.scroll_into_view_if_needed()
    answer_multiple_choice(section, spec, right=True)
    expect(section.locator(":scope > .smx-feedback")).to_contain_text("Correct.")
    # The answer went back to the kernel through the widget protocol: the Python object holds it.
    code = (
        "from ipywidgets.widgets.widget import _instances\n"
        f"print([w.response.get('correct') for w in list(_instances.values())"
        f" if getattr(w, 'exercise_id', None) == {spec['id']!r}])"
    )
    printed = page.evaluate(
        """(code) => new Promise((resolve, reject) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const future = kernel.requestExecute({ code });
            let out = '';
            future.onIOPub = (msg) => {
                if (msg.header.msg_type === 'stream') out += msg.content.text;
                if (msg.header.msg_type === 'error') reject(new Error(msg.content.evalue));
            };
            future.done.then(() => resolve(out), reject);
        })""",
        code,
    )
    assert printed.strip() == "[True]"
    assert errors == []
    context.close()

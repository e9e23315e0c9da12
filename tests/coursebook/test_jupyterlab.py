"""A chapter opened as a notebook in a real JupyterLab, run with a real kernel, and answered."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from playwright.sync_api import expect
from support.paths import ROOT, venv_env
from support.site_driver import DRIVERS, all_exercises, answer_multiple_choice

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHAPTER = "personal_and_professional"
# Chapters whose judge-based exercises (fix the post, statement builder) are tried live as well.
JUDGE_CHAPTERS = {"pitfalls": "fix_the_post", "positioning_statements": "statement_builder"}
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
    for name in (CHAPTER, *JUDGE_CHAPTERS):
        subprocess.run(
            ["jupytext", "--to", "ipynb", str(work / "book" / f"{name}.md")],
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


def open_and_run(page, lab: str, chapter: str) -> None:
    """Open a chapter notebook in JupyterLab, wait for its kernel, and run every cell."""
    # A workspace of its own, reset, so JupyterLab does not reopen other tests' notebooks.
    page.goto(f"{lab}/lab/workspaces/{chapter}/tree/book/{chapter}.ipynb?reset&token={TOKEN}")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.wait_for_function(
        """(path) => {
            const w = window.jupyterapp.shell.currentWidget;
            return w && w.context && w.context.path === path && w.sessionContext &&
                   w.sessionContext.session && w.sessionContext.session.kernel &&
                   w.sessionContext.session.kernel.connectionStatus === 'connected';
        }""",
        arg=f"book/{chapter}.ipynb",
        timeout=60_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


@pytest.fixture
def lab_page(browser):
    """A fresh browser page for JupyterLab, with the page errors it reports recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def first_exercise(chapter: str, kind: str) -> tuple[str, dict]:
    return next(
        (k, s)
        for k, s in all_exercises().items()
        if k.startswith(chapter + "/") and s["type"] == kind
    )


def test_chapter_runs_in_jupyterlab_and_a_widget_answers(lab_page, lab):
    page = lab_page
    key, spec = first_exercise(CHAPTER, "multiple_choice")
    open_and_run(page, lab, CHAPTER)
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
    assert lab_page.errors == []


@pytest.mark.parametrize("chapter", sorted(JUDGE_CHAPTERS))
def test_judge_exercises_give_feedback_in_jupyterlab(lab_page, lab, chapter):
    """The judge runs inside the live widget too: right and wrong answers get its feedback."""
    page = lab_page
    kind = JUDGE_CHAPTERS[chapter]
    key, spec = first_exercise(chapter, kind)
    open_and_run(page, lab, chapter)
    section = page.locator(f'section.smx[data-exercise="{key}"]')
    expect(section).to_be_visible(timeout=60_000)
    section.scroll_into_view_if_needed()
    DRIVERS[kind](section, spec, right=False)
    DRIVERS[kind](section, spec, right=True)
    assert lab_page.errors == []

"""What a student gets works anywhere: the notebook plus ``course_check.py`` and nothing else.

``course_check.py`` (autograder/grading/bundle.py) is run in a bare interpreter (standard library
only), and the book's download zip is unzipped and executed in a fresh virtual environment that
has only a Jupyter kernel and nbclient, as on a student's laptop or in Colab.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.grading import bundle
from autograder.grading.downloads import ASSIGNMENTS, DOWNLOADS
from autograder.judge.posts import review_post

SAMPLES = [
    ("Patient in room 3 was gross, some people are disgusting", "personal"),
    ("Proud of our team! Here is our free guide to safe lifting at work.", "professional"),
    ("Wasted again last night lol, can't feel my face #hangover", "professional"),
    ("Lovely walk by the river with the dog this morning", "personal"),
]


def bare_python(folder: Path, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` with this Python but no site-packages (-S) and no user paths (-I)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder)}
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, '.')\n{code}"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def check_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("student")
    bundle.write(folder)
    return folder


def test_course_check_needs_only_the_standard_library(check_folder):
    done = bare_python(
        check_folder,
        textwrap.dedent(
            """
            import course_check
            assert "yaml" not in sys.modules
            course_check.check_my_answers("Patient in room 3 was gross", account="personal")
            course_check.check_my_answers(
                professional="I am a dental hygienist in a clinic for parents of young children",
                personal="I am a weekend gardener in Bristol for my family and friends",
            )
            """
        ),
    )
    assert done.returncode == 0, done.stderr
    assert "Your rewrite, checked for a personal account" in done.stdout
    assert 'the judge\'s verdict is "do not post"' in done.stdout
    assert 'Good: it follows "I am a ROLE in FIELD for AUDIENCE".' in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_course_check_judges_exactly_like_the_installed_judge(check_folder):
    done = bare_python(
        check_folder,
        "import course_check, json\n"
        "from autograder.judge.posts import review_post\n"
        f"samples = {SAMPLES!r}\n"
        "print(json.dumps([[review_post(t, a).verdict, [f.rule for f in review_post(t, a)"
        ".findings]] for t, a in samples]))",
    )
    assert done.returncode == 0, done.stderr
    expected = [
        [review_post(t, a).verdict, [f.rule for f in review_post(t, a).findings]]
        for t, a in SAMPLES
    ]
    assert json.loads(done.stdout) == expected


def test_a_missing_course_check_gets_a_plain_message(tmp_path):
    setup = _setup_cell(nbformat.read(DOWNLOADS / "fix_the_posts.ipynb", as_version=4))
    done = bare_python(tmp_path, setup)
    assert done.returncode == 0, done.stderr
    assert "needs the file course_check.py in the same folder" in done.stdout


def _setup_cell(nb) -> str:
    return next(
        c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_download_zip_holds_the_notebook_and_its_check(assignment):
    zipped = DOWNLOADS / f"{assignment}.zip"
    assert zipped.is_file(), "run `make setup` (it writes the download zips)"
    with zipfile.ZipFile(zipped) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(
            [f"{assignment}/{assignment}.ipynb", f"{assignment}/course_check.py"]
        )
        assert (
            archive.read(f"{assignment}/{assignment}.ipynb")
            == (DOWNLOADS / f"{assignment}.ipynb").read_bytes()
        )
        fresh = archive.read(f"{assignment}/course_check.py") == (
            bundle.course_check_source().encode("utf-8")
        )
        assert fresh, "the download zip is out of date: run `make setup`"


# ---------------------------------------------------------------- a fresh Jupyter


@pytest.fixture(scope="module")
def fresh_jupyter(tmp_path_factory) -> Path:
    """A new virtual environment with only a Jupyter kernel and nbclient (from the index)."""
    home = tmp_path_factory.mktemp("fresh-venv")
    venv.create(home, with_pip=True, clear=True)
    python = home / "bin" / "python"
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "nbclient",
            "ipykernel",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        message = f"could not install nbclient and ipykernel:\n{done.stderr[-2000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return python


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[1])
"""


def _answer(nb, answers: dict[str, str]) -> None:
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = cell.source.replace("YOUR ANSWER HERE", answers[gid])


@pytest.mark.slow
def test_the_downloaded_notebook_runs_in_a_fresh_jupyter(fresh_jupyter, tmp_path):
    with zipfile.ZipFile(DOWNLOADS / "fix_the_posts.zip") as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / "fix_the_posts"
    path = folder / "fix_the_posts.ipynb"
    nb = nbformat.read(path, as_version=4)
    _answer(
        nb,
        {
            "rewrite_1_answer": "Long day at the clinic today. Reminder to all my friends: floss "
            "every day and look after your teeth and gums!",
            "rewrite_2_answer": "bad",
            # fine as a post on its own, still the original's hangover beside it
            "rewrite_6_answer": "Kitchen job today! A bit worse for wear after last night but "
            "the cabinets are going in.",
        },
    )
    nbformat.write(nb, path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{fresh_jupyter.parent}{os.pathsep}/usr/bin:/bin"
    done = subprocess.run(
        [str(fresh_jupyter), "-c", RUN_NOTEBOOK, str(path), str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ran = nbformat.read(path, as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in ran.cells}
    # The fresh environment really lacks the course: the check came from course_check.py.
    assert not [o for o in by_id["setup"].outputs if o.output_type == "error"]
    checks = [
        "".join(o.get("text", "") for o in c.outputs)
        for c in ran.cells
        if c.cell_type == "code" and "\ncheck_my_answers(" in "\n" + c.source
    ]
    assert "Your rewrite, checked for a personal account" in checks[0]
    assert re.search(r"Good: 2\d words \(at least 8 are needed\)\.", checks[0])
    assert "To fix: 1 word. Write a real post of at least 8 words." in checks[1]
    # the check cell passes the original, so the softer-words model (bundled) reads it too
    assert "To fix: read beside the original post, your rewrite is still risky." in checks[5]
    assert '"A bit worse for wear after last night but the cabinets are going in"' in checks[5]
    # A grading cell the student runs shows one plain sentence, not a traceback.
    rewritten_2 = by_id["post_2_rewritten"]
    errors = [o for o in rewritten_2.outputs if o.output_type == "error"]
    assert errors, "post 2's answer is one word: its check should not pass"
    assert len(errors[0].traceback) == 1 and errors[0].traceback[0].startswith("Not yet: Post 2")
    assert not [o for o in by_id["post_1_rewritten"].outputs if o.output_type == "error"]

"""A broken exercise file or course setting stops the real book build with a clear message."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support.paths import ROOT, venv_env

pytestmark = pytest.mark.slow

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Demo chapter

```{code-cell} ipython3
:tags: [remove-cell]
from coursebook import Chapter
chapter = Chapter("demo")
```

```{code-cell} ipython3
:tags: [remove-input]
chapter.show("who-sees")
```
"""

EXERCISES = """chapter: demo
exercises:
  - id: who-sees
    type: multiple_choice
    prompt: Who can see a post on a private account?
    options:
      - text: Only your friends.
        correct: false
        feedback: Friends can forward it, so it travels further.
      - text: Anyone a friend shares it with.
        correct: true
"""


def make_book(tmp_path: Path, exercises: str = EXERCISES, course: dict | None = None) -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if course is not None:
        config["course"] = course
    config["sphinx"]["config"]["bibtex_bibfiles"] = ["book/references.bib"]
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/demo\n", encoding="utf-8")
    book = tmp_path / "book"
    (book / "demo").mkdir(parents=True)
    (book / "demo.md").write_text(CHAPTER, encoding="utf-8")
    (book / "demo" / "exercises.yml").write_text(exercises, encoding="utf-8")
    shutil.copy(ROOT / "book" / "references.bib", book / "references.bib")
    (book / "images").mkdir()
    shutil.copy(ROOT / "book" / "images" / "favicon.svg", book / "images" / "favicon.svg")
    return tmp_path


def build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["jupyter-book", "build", str(folder), "-n", "-W", "--keep-going"],
        cwd=folder,
        env=venv_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def plain(done: subprocess.CompletedProcess) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


def test_a_broken_exercise_file_stops_the_build_naming_file_exercise_and_field(tmp_path):
    done = build(make_book(tmp_path))
    assert done.returncode != 0
    assert (
        "book/demo/exercises.yml: exercise 'who-sees', field 'options[1].feedback': "
        "this field is required but missing"
    ) in plain(done)
    assert not (tmp_path / "_build" / "html" / "book" / "demo.html").exists()


def test_an_exercise_never_shown_fails_the_strict_build(tmp_path):
    fixed = EXERCISES + "        feedback: Yes, it can travel that far.\n"
    extra = fixed + (
        "  - id: forgotten\n    type: multiple_choice\n    prompt: A question no cell shows?\n"
        "    options:\n"
        "      - {text: 'A', correct: true, feedback: 'Because A.'}\n"
        "      - {text: 'B', correct: false, feedback: 'Because not B.'}\n"
    )
    done = build(make_book(tmp_path, extra.replace("Yes, it", "It")))
    assert done.returncode != 0
    assert "exercise 'forgotten' is never shown" in plain(done)


def test_bad_course_settings_stop_the_build(tmp_path):
    course = {"id": "demo", "title": "Demo", "mastery_score": 80}
    done = build(make_book(tmp_path, course=course))
    assert done.returncode != 0
    assert "'course.mastery_score' must be a number from 0 to 1, got 80" in plain(done)

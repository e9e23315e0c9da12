"""The simulated nbgrader class (``tests/fixtures/nbgrader/class.yml``) turned into notebooks.

Used by the nbgrader tests and by ``benchmarks/grading_speed.py``: each student's submission is
the released notebook with that student's work put in, as the fixture describes it.
"""

from __future__ import annotations

import getpass
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import yaml

from support.paths import ROOT, venv_env

FIXTURES = ROOT / "tests" / "fixtures" / "nbgrader"
NOTEBOOKS = ROOT / "autograder" / "grading" / "course" / "notebooks"
NBGRADER = str(Path(sys.executable).parent / "nbgrader")
USER = getpass.getuser()
ASSIGNMENTS = ("positioning_statements", "fix_the_posts")
# Every grading run in these tests gets the same, roomier limit per cell than the course's
# 10 s, so that a machine busy with other work cannot turn a slow first import into a time-out
# in one run only; the endless loop still ends.
CELL_TIMEOUT = "--Execute.timeout=30"


def load_class() -> dict[str, Any]:
    data = yaml.safe_load((FIXTURES / "class.yml").read_text(encoding="utf-8"))
    for assignment in ASSIGNMENTS:
        for student in data[assignment]:
            student["student"] = student["student"].replace("$user", USER)
    return data


def post_texts() -> tuple[dict[str, str], dict[str, str]]:
    posts = yaml.safe_load((NOTEBOOKS / "fix_the_posts.yml").read_text(encoding="utf-8"))
    models, originals = {}, {}
    for number, exercise in enumerate(posts["exercises"], start=1):
        models[str(number)] = exercise["model_rewrite"]
        originals[str(number)] = exercise["post"]["text"]
    return models, originals


def typed(text: str) -> str:
    models, originals = post_texts()
    text = re.sub(r"@model:(\d)", lambda m: models[m.group(1)], text)
    return re.sub(r"@original:(\d)", lambda m: originals[m.group(1)], text)


def grade_id(cell: Any) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def submission(release: Path, spec: dict[str, Any]) -> nbformat.NotebookNode:
    """The released notebook with one student's work in it."""
    return fill_in(nbformat.read(release, as_version=4), spec)


def fill_in(nb: nbformat.NotebookNode, spec: dict[str, Any]) -> nbformat.NotebookNode:
    """Put one student's work (as the fixture describes it) into a released notebook."""
    cells = {grade_id(cell): cell for cell in nb.cells if grade_id(cell)}
    for gid, text in spec.get("answers", {}).items():
        cell = cells[gid]
        if cell.cell_type == "code":
            assert "YOUR ANSWER HERE" in cell.source
            cell.source = cell.source.replace("YOUR ANSWER HERE", typed(text))
        else:
            cell.source = text
    for gid, source in spec.get("replace", {}).items():
        cells[gid].source = source
    for gid, code in spec.get("prepend", {}).items():
        cells[gid].source = code + cells[gid].source
    for gid, code in spec.get("append", {}).items():
        cells[gid].source = cells[gid].source + "\n" + code
    for gid, code in spec.get("insert_after", {}).items():
        index = nb.cells.index(cells[gid])
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    deleted = set(spec.get("delete", []))
    nb.cells = [cell for cell in nb.cells if grade_id(cell) not in deleted]
    return nb


def submission_bytes(release: Path, spec: dict[str, Any]) -> bytes:
    """What the student hands in: a fixture file byte for byte, or the notebook."""
    if "file" in spec:
        return (FIXTURES / spec["file"]).read_bytes()
    return nbformat.writes(submission(release, spec)).encode("utf-8")


def hand_in(course: Path, assignment: str, students: list[dict[str, Any]]) -> None:
    """Put every student's submission straight into ``submitted/`` (however it was to arrive)."""
    release = course / "release" / assignment / f"{assignment}.ipynb"
    for spec in students:
        folder = course / "submitted" / spec["student"] / assignment
        folder.mkdir(parents=True)
        (folder / f"{assignment}.ipynb").write_bytes(submission_bytes(release, spec))


def scaled_class(students: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """A class of ``size`` made by repeating the fixture's students in turn (ids made unique)."""
    return [
        {
            **students[n % len(students)],
            "student": f"{students[n % len(students)]['student']}_{n:04d}",
        }
        for n in range(size)
    ]


def run_nbgrader(
    cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NBGRADER, *args],
        cwd=cwd,
        env=env or venv_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_parallel(
    cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    """``python -m autograder.grading.parallel ARGS``, as ``make autograde`` runs it."""
    environment = env or venv_env()
    environment["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "autograder.grading.parallel", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def gradebook_grades(db_url: str, assignment: str) -> dict[str, dict[str, tuple[Any, ...]]]:
    """student -> grade id -> (automatic score, needs manual grade, automatic comment)."""
    from nbgrader.api import Gradebook

    found: dict[str, dict[str, tuple[Any, ...]]] = {}
    with Gradebook(db_url) as gradebook:
        for sub in gradebook.find_assignment(assignment).submissions:
            cells: dict[str, tuple[Any, ...]] = {}
            for notebook in sub.notebooks:
                comments = {c.name: c.auto_comment for c in notebook.comments}
                for grade in notebook.grades:
                    cells[grade.name] = (
                        grade.auto_score,
                        grade.needs_manual_grade,
                        comments.get(grade.name),
                    )
            found[sub.student.id] = cells
    return found


def exported_rows(course: Path, env: dict[str, str] | None = None) -> list[dict[str, str]]:
    """``nbgrader export`` of the course's gradebook, as sorted CSV rows."""
    import csv

    done = run_nbgrader(course, "export", "--to", "grades.csv", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    with open(course / "grades.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(rows, key=lambda row: (row["assignment"], row["student_id"]))

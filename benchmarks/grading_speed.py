"""How long nbgrader takes to autograde a class: a simulated class of 50 per assignment.

Runs the real pipeline on a temporary copy of the course (``autograder/grading/course``):
``nbgrader generate_assignment``, 50 submissions per assignment copied into ``submitted/``
(a mix of complete, half-done and empty work, built from the model answers in the source
notebooks), then one ``nbgrader autograde ASSIGNMENT --create`` per assignment, serially,
as ``make autograde`` runs it. Time per submission is read from nbgrader's log timestamps
(from one student's start to the next); the batch total includes nbgrader's start-up.

With ``--compare`` the class is graded a second time without the course's re-check outside
the kernel (``VerifyOutsideKernel``), to show what that safeguard costs.

Prints a table; asserts nothing. Usage::

    python benchmarks/grading_speed.py [--students 50] [--compare]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.grading.downloads import (  # noqa: E402
    ASSIGNMENTS,
    COURSE,
    copy_course,
    nbgrader_env,
    release,
)

NBGRADER = str(Path(sys.executable).parent / "nbgrader")
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", re.S)
STUDENT_LINE = re.compile(r"^([0-9.]+) .*Creating/updating student with ID '([^']+)'")
LOG_FORMAT = "%(created)f %(message)s"


def model_answers(assignment: str) -> dict[str, str]:
    """grade_id -> model text, from the instructor's source notebook."""
    nb = nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            answers[meta["grade_id"]] = SOLUTION.search(cell.source).group(1)
    return answers


def submission(released: nbformat.NotebookNode, answers: dict[str, str], share: float):
    """The released notebook with the first ``share`` of the answers filled in."""
    nb = nbformat.from_dict(released)
    keep = round(len(answers) * share)
    chosen = dict(list(answers.items())[:keep])
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in chosen:
            cell.source = cell.source.replace("YOUR ANSWER HERE", chosen[gid])
    return nb


def make_class(course: Path, assignment: str, students: int) -> None:
    released = nbformat.read(release(course, assignment), as_version=4)
    answers = model_answers(assignment)
    shares = (1.0, 1.0, 0.5, 1.0, 0.0)  # mostly complete, some half-done, some empty
    for number in range(students):
        student = f"s{number:03d}"
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nb = submission(released, answers, shares[number % len(shares)])
        nbformat.write(nb, folder / f"{assignment}.ipynb")


def autograde(course: Path, assignment: str) -> tuple[float, list[float]]:
    """Total seconds of the batch, and seconds per submission from the log timestamps."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            NBGRADER,
            "autograde",
            assignment,
            "--create",
            f"--Application.log_format={LOG_FORMAT}",
        ],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    finished = time.time()
    total = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"autograde failed:\n{done.stderr[-3000:]}")
    stamps = []
    for line in (done.stdout + done.stderr).splitlines():
        match = STUDENT_LINE.match(line)
        if match:
            stamps.append(float(match.group(1)))
    bounds = [*stamps, finished]  # the last student runs until the command ends
    per = [b - a for a, b in itertools.pairwise(bounds)]
    return total, per


def without_recheck(course: Path) -> None:
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    line = '    "autograder.grading.nbgrader_plugins.VerifyOutsideKernel",\n'
    assert line in text
    config.write_text(text.replace(line, ""), encoding="utf-8")


def grade_class(workdir: Path, students: int, recheck: bool) -> list[tuple]:
    course = copy_course(workdir)
    if not recheck:
        without_recheck(course)
    rows = []
    for assignment in ASSIGNMENTS:
        make_class(course, assignment, students)
        total, per = autograde(course, assignment)
        rows.append((assignment, recheck, students, total, per))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--compare", action="store_true", help="also grade without the re-check")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += grade_class(Path(tmp) / "with", args.students, recheck=True)
        if args.compare:
            rows += grade_class(Path(tmp) / "without", args.students, recheck=False)
    print(
        f"Autograding a simulated class (Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, serial, as `make autograde` runs it)\n"
    )
    header = (
        f"{'assignment':<24} {'re-check':<9} {'subs':>5} {'total s':>8} "
        f"{'mean s':>7} {'median s':>9} {'p95 s':>6} {'max s':>6}"
    )
    print(header)
    print("-" * len(header))
    for assignment, recheck, students, total, per in rows:
        p95 = sorted(per)[max(0, round(0.95 * len(per)) - 1)]
        print(
            f"{assignment:<24} {'on' if recheck else 'off':<9} {students:>5} {total:>8.1f} "
            f"{total / students:>7.2f} {statistics.median(per):>9.2f} {p95:>6.2f} "
            f"{max(per):>6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

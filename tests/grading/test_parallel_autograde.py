"""Parallel autograding (``autograder/grading/parallel.py``) gives exactly the grades of nbgrader.

The simulated class (``tests/fixtures/nbgrader/class.yml``: honest, partial and empty work,
tampering, an endless loop, an output flood, a notebook that is not JSON) is graded twice from
the same start: once serially by ``nbgrader autograde``, once by the parallel runner with two
workers. Every student's score on every cell, every comment and "needs manual grade" flag must
be the same, and equal to the fixture's expectations; the SQLite gradebook must pass SQLite's
own integrity check.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from support.nbgrader_class import (
    ASSIGNMENTS,
    CELL_TIMEOUT,
    gradebook_grades,
    hand_in,
    load_class,
    run_nbgrader,
    run_parallel,
)
from support.paths import ROOT, venv_env

from autograder.grading.downloads import copy_course

pytestmark = pytest.mark.slow


def grades(course: Path, assignment: str) -> dict[str, dict[str, tuple]]:
    return gradebook_grades(f"sqlite:///{course / 'gradebook.db'}", assignment)


@pytest.fixture(scope="module")
def graded(simulated_class, serial_graded, tmp_path_factory) -> dict:
    parallel = tmp_path_factory.mktemp("parallel") / "course"
    shutil.copytree(simulated_class["course"], parallel)
    logs = {("serial", a): log for a, log in serial_graded["logs"].items()}
    for assignment in ASSIGNMENTS:
        logs["parallel", assignment] = run_parallel(
            parallel, assignment, "--jobs", "2", "--create", CELL_TIMEOUT
        )
    return {
        "serial": serial_graded["course"],
        "parallel": parallel,
        "classes": simulated_class["classes"],
        "logs": logs,
    }


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_parallel_grades_equal_serial_grades_cell_by_cell(graded, assignment):
    serial = grades(graded["serial"], assignment)
    parallel = grades(graded["parallel"], assignment)
    students = [spec for spec in graded["classes"][assignment] if "file" not in spec]
    assert set(serial) >= {spec["student"] for spec in students}
    assert parallel == serial
    for spec in students:  # and both are what the fixture says
        autoscores = {gid: cell[0] for gid, cell in parallel[spec["student"]].items()}
        for gid, points in spec["expect"].items():
            assert autoscores[gid] == points, (spec["student"], gid)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_broken_submission_is_reported_and_the_rest_graded(graded, assignment):
    log = graded["logs"]["parallel", assignment]
    assert log.returncode == 1 == graded["logs"]["serial", assignment].returncode
    text = log.stdout + log.stderr
    for spec in graded["classes"][assignment]:
        graded_file = graded["parallel"] / "autograded" / spec["student"] / assignment
        if "file" in spec:
            assert (
                f"error processing assignment '{assignment}' for student '{spec['student']}'"
                in text
            )
            assert not graded_file.exists()
        else:
            assert (graded_file / f"{assignment}.ipynb").is_file(), spec["student"]
    graded_count = sum(1 for spec in graded["classes"][assignment] if "file" not in spec)
    total = len(graded["classes"][assignment])
    assert f"Autograded {graded_count} of {total} submissions with 2 workers" in text


def test_the_endless_loop_is_stopped_by_nbgraders_cell_timeout(graded):
    log = graded["logs"]["parallel", "fix_the_posts"]
    assert "Timeout waiting for execute reply (30s)" in log.stderr


def test_the_sqlite_gradebook_is_whole(graded):
    with sqlite3.connect(graded["parallel"] / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert not list(graded["parallel"].glob("gradebook.db-*"))  # no journal left behind


def test_a_submission_over_the_time_limit_is_stopped_with_its_kernel(tmp_path):
    """--submission-timeout ends a submission (worker and kernel) and grades the rest."""
    course = copy_course(tmp_path / "course")
    done = run_nbgrader(course, "generate_assignment", "fix_the_posts", "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    students = {spec["student"]: spec for spec in load_class()["fix_the_posts"]}
    hand_in(course, "fix_the_posts", [students["fp_endless_loop"], students["fp_full"]])
    # Without a cell time-out the endless loop would run for ever.
    done = run_parallel(
        course,
        "fix_the_posts",
        "--jobs=2",
        "--submission-timeout=45",
        "--Execute.timeout=-1",
        timeout=600,
    )
    assert done.returncode == 1
    assert "Stopped after 45 s: the submission of fp_endless_loop took too long" in done.stderr
    assert "error processing assignment 'fix_the_posts' for student 'fp_endless_loop'" in (
        done.stderr
    )
    assert not (course / "autograded" / "fp_endless_loop" / "fix_the_posts").exists()
    assert (course / "autograded" / "fp_full" / "fix_the_posts" / "fix_the_posts.ipynb").is_file()
    full = grades(course, "fix_the_posts")["fp_full"]
    assert {gid: cell[0] for gid, cell in full.items() if gid.startswith("post_")} == {
        gid: 1 for gid in students["fp_full"]["expect"]
    }
    time.sleep(1)
    left = [p.cmdline() for p in processes_in(course)]
    assert not left, left


def processes_in(course: Path) -> list[psutil.Process]:
    """Every process started for ``course`` (by its command line or working directory)."""
    found = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        with_course = str(course) in " ".join(process.info["cmdline"] or []) + (
            process.info["cwd"] or ""
        )
        if with_course:
            found.append(process)
    return found


def test_workers_stop_when_the_coordinator_is_killed(tmp_path):
    """Workers are forked on Linux and hold copies of every pipe: if they kept the
    coordinator's ends open, a coordinator killed outright (an out-of-memory kill, kill -9)
    would leave them waiting for work for ever. They finish the submission in hand and stop."""
    from autograder.grading.parallel import start_method

    assert start_method() == "fork"
    course = copy_course(tmp_path / "course")
    done = run_nbgrader(course, "generate_assignment", "fix_the_posts", "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    students = {spec["student"]: spec for spec in load_class()["fix_the_posts"]}
    hand_in(course, "fix_the_posts", [students["fp_full"], students["fp_partial"]])
    environment = venv_env()
    environment["PYTHONPATH"] = str(ROOT)
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "autograder.grading.parallel", "fix_the_posts", "--jobs=2"],
        cwd=course,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    me = psutil.Process(coordinator.pid)
    deadline = time.monotonic() + 120
    while len(me.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = me.children()
    assert len(workers) == 2, "the coordinator did not start two workers"
    coordinator.kill()
    coordinator.wait(10)
    _, alive = psutil.wait_procs(workers, timeout=120)
    assert not alive, [p.cmdline() for p in alive]
    time.sleep(1)
    assert not processes_in(course)


def test_make_autograde_runs_the_parallel_grader_with_jobs():
    done = subprocess.run(
        ["make", "-n", "autograde", "ASSIGNMENT=fix_the_posts", "JOBS=3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.replace("\\\n", " ").splitlines()
    line = next(line for line in lines if "autograder.grading.parallel" in line)
    assert "fix_the_posts" in line and "--jobs=3" in line and "--create" in line

"""The simulated class, handed in and graded serially once, for the tests that compare with it.

``simulated_class``: a copy of the course after ``nbgrader generate_assignment`` with every
fixture student's work in ``submitted/`` (nothing graded yet); tests copy it. ``serial_graded``:
that class graded by ``nbgrader autograde`` (nbgrader's serial way) into the SQLite gradebook.
"""

from __future__ import annotations

import shutil
import time

import pytest
from support.nbgrader_class import ASSIGNMENTS, CELL_TIMEOUT, hand_in, load_class, run_nbgrader

from autograder.grading.downloads import copy_course


@pytest.fixture(scope="session")
def simulated_class(tmp_path_factory) -> dict:
    course = copy_course(tmp_path_factory.mktemp("class") / "course")
    classes = load_class()
    for assignment in ASSIGNMENTS:
        done = run_nbgrader(course, "generate_assignment", assignment, "--force")
        assert done.returncode == 0, done.stderr[-3000:]
        hand_in(course, assignment, classes[assignment])
    return {"course": course, "classes": classes}


@pytest.fixture(scope="session")
def serial_graded(simulated_class, tmp_path_factory) -> dict:
    course = tmp_path_factory.mktemp("serial") / "course"
    shutil.copytree(simulated_class["course"], course)
    logs, seconds = {}, {}
    for assignment in ASSIGNMENTS:
        started = time.monotonic()
        logs[assignment] = run_nbgrader(course, "autograde", assignment, "--create", CELL_TIMEOUT)
        seconds[assignment] = time.monotonic() - started
    return {"course": course, "logs": logs, "seconds": seconds}

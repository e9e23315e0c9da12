"""A PostgreSQL gradebook: the same grades and the same CSV as the SQLite file.

A real PostgreSQL server (Debian's, installed by ``tests/support/postgres.py`` when missing and
apt is at hand) runs on loopback. The simulated class is graded into it in parallel, with the
gradebook chosen the way an instructor chooses it, ``NBGRADER_DB_URL`` in the environment
(``make autograde DB_URL=...`` sets it), and compared with the class graded serially into
SQLite. Then the SQLite gradebook is migrated into an empty PostgreSQL database
(``python -m autograder.grading.migrate_gradebook``) and must export the same CSV.
Without PostgreSQL and without apt these tests skip, saying why; with ``CI`` set they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from support.nbgrader_class import (
    ASSIGNMENTS,
    CELL_TIMEOUT,
    exported_rows,
    gradebook_grades,
    run_nbgrader,
    run_parallel,
)
from support.paths import ROOT, venv_env
from support.postgres import Unavailable, postgres_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    context = postgres_server()
    try:
        running = context.__enter__()
    except Unavailable as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL should have been installed for CI: {error}")
        pytest.skip(str(error))
    yield running
    context.__exit__(None, None, None)


def on(url: str) -> dict[str, str]:
    """The environment for nbgrader commands with the gradebook at ``url``."""
    return {**venv_env(), "NBGRADER_DB_URL": url}


@pytest.fixture(scope="module")
def postgres_graded(server, simulated_class, tmp_path_factory) -> dict:
    url = server.create_database("parallel")
    course = tmp_path_factory.mktemp("postgres") / "course"
    shutil.copytree(simulated_class["course"], course)
    (course / "gradebook.db").unlink()  # so that nothing can be read from SQLite by mistake
    logs = {}
    for assignment in ASSIGNMENTS:
        done = run_nbgrader(course, "generate_assignment", assignment, "--force", env=on(url))
        assert done.returncode == 0, done.stderr[-3000:]
        logs[assignment] = run_parallel(
            course, assignment, "--jobs=2", "--create", CELL_TIMEOUT, env=on(url)
        )
    return {"url": url, "course": course, "logs": logs}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grades_in_postgresql_equal_serial_grades_in_sqlite(
    postgres_graded, serial_graded, assignment
):
    log = postgres_graded["logs"][assignment]
    assert log.returncode == 1, log.stderr[-3000:]  # the class's notebook that is not JSON
    assert "Autograded" in log.stderr and "with 2 workers" in log.stderr
    sqlite = gradebook_grades(f"sqlite:///{serial_graded['course'] / 'gradebook.db'}", assignment)
    postgres = gradebook_grades(postgres_graded["url"], assignment)
    assert postgres == sqlite
    assert len(postgres) >= 8
    assert not (postgres_graded["course"] / "gradebook.db").exists()


def test_postgresql_exports_the_same_csv(postgres_graded, serial_graded):
    postgres = exported_rows(postgres_graded["course"], on(postgres_graded["url"]))
    sqlite = exported_rows(serial_graded["course"])
    assert postgres == sqlite
    assert {row["assignment"] for row in postgres} == set(ASSIGNMENTS)


def migrate(source: str, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograder.grading.migrate_gradebook", source, target],
        env={**venv_env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_sqlite_gradebook_migrates_to_postgresql(server, serial_graded, tmp_path):
    source = f"sqlite:///{serial_graded['course'] / 'gradebook.db'}"
    target = server.create_database("migrated")
    done = migrate(source, target)
    assert done.returncode == 0, done.stderr
    assert "Copied the gradebook:" in done.stdout and "grade" in done.stdout
    for assignment in ASSIGNMENTS:
        assert gradebook_grades(target, assignment) == gradebook_grades(source, assignment)
    # The course, pointed at the migrated database, exports what it exported before.
    course = tmp_path / "course"
    shutil.copytree(serial_graded["course"], course)
    (course / "gradebook.db").unlink()
    assert exported_rows(course, on(target)) == exported_rows(serial_graded["course"])
    # Migrating twice into the same database is refused, with the reason and no password.
    again = migrate(source, target.replace("postgres@", "postgres:SECRET@"))
    assert again.returncode == 1
    assert "already has tables: migrate into an empty database" in again.stderr
    assert "SECRET" not in again.stderr

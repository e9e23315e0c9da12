"""Autograde an assignment's submissions in parallel, with exactly the grades of a serial run.

nbgrader grades one submission after another (parallel autograde is its open issue #174), and
most of the time per notebook is waiting for a fresh kernel to start. This module keeps
nbgrader doing all the grading and only runs several submissions at once::

    cd autograder/grading/course
    python -m autograder.grading.parallel fix_the_posts --jobs 2 [nbgrader options...]

(``make autograde ASSIGNMENT=fix_the_posts JOBS=2`` runs this.) Options it does not know are
passed to nbgrader, as for ``nbgrader autograde``: ``--student=ID``, ``--force``,
``--CourseDirectory.db_url=...``, any ``--Class.trait=value``.

The design, and why:

- **nbgrader's own grading, one student at a time, in a pool of worker processes.** Each worker
  loads the course's configuration once (``AutogradeApp.initialize``, which reads
  ``nbgrader_config.py`` as ``nbgrader autograde`` does) and then runs nbgrader's ``Autograde``
  converter for one submission at a time, the very code the command runs in its loop. So the
  grades, the restored grading cells, the time-outs and the feedback are nbgrader's, not a copy.
  Which submissions to grade is decided by the same converter (``init_notebooks``), so
  ``--student`` patterns and ``student_id_exclude`` mean what they mean to nbgrader. A process
  pool, not threads: the re-check outside the kernel (``VerifyOutsideKernel``) runs the judge in
  the grading process and needs a core of its own, and one student's kernel can never block
  another's. One ``nbgrader autograde --student=ID`` command per student would do the same, but
  start-up (imports and configuration) would cost about as much as a kernel, for every student.
- **One gradebook, writes taken in turn.** The slow part, running the notebook, happens outside
  any database transaction; nbgrader only opens the gradebook for short reads and writes before
  and after. SQLite lets one writer at a time in, and with its default ("deferred")
  transactions two processes that both read and then both try to write get "database is
  locked" at once, whatever the time-out, which nbgrader treats as fatal for the whole batch.
  So every worker starts each of its transactions with ``BEGIN IMMEDIATE`` (it waits for the
  write lock before reading) and waits up to ten minutes for it (``busy_timeout``): writers
  queue, none fails, and the file is never left half-written. This is the SQLAlchemy
  documentation's own recipe for taking over SQLite's transactions (``sqlite3`` on Python 3.11
  has no ``autocommit`` attribute yet). The alternatives were worse: a gradebook copy per
  worker, merged afterwards, would mean re-implementing nbgrader's schema (grades, comments,
  late penalties, "needs manual grade") and keeping it in step with nbgrader; a lock file
  around every ``Gradebook`` would mean patching nbgrader's class. PostgreSQL (``db_url``)
  needs none of this: it lets many writers in, and no two workers ever touch the same
  student's rows.
- **One bad submission never stops the batch.** nbgrader's ``Execute.timeout`` (in
  ``nbgrader_config.py``) stops an endless cell, and nbgrader itself reports a broken notebook
  and goes on. On top of that, a submission that takes longer than ``--submission-timeout``
  seconds in all (many endless cells, a kernel that will not die), or whose worker process dies,
  is stopped here: the worker and its kernel are killed, the half-written graded folder is
  removed (as nbgrader does on a failure, so the next run grades it again), the submission is
  reported with nbgrader's own error line, and a fresh worker takes over the rest. A submission
  that failed in any other way is graded once more at the end before it is reported
  (``Batch.retry``).

Each submission's log is printed in one block when it is done (nbgrader's format), so the
output of several workers never interleaves. The exit status is 1 if any submission failed, as
with ``nbgrader autograde``.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import sqlite3
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psutil
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters import Autograde, NbGraderException
from nbgrader.utils import rmtree
from sqlalchemy import event
from sqlalchemy.engine import Engine

# How long a worker waits for the SQLite write lock before giving up (milliseconds).
SQLITE_BUSY_MS = 600_000
DEFAULT_SUBMISSION_TIMEOUT = 900.0
Task = tuple[str, str]  # (assignment id, student id)


def default_jobs() -> int:
    """The cores this process may use (not the machine's, under a CPU limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """How workers are started: forked on Linux, spawned elsewhere.

    A spawned worker imports nbgrader, Jupyter and SQLAlchemy afresh, about 4 s of one core
    each time (for every worker, and again for each worker that replaces a stopped one): a
    tenth of grading a block of 25 students on two cores. A forked worker starts with those
    modules already imported. The coordinator only reads the configuration and lists the
    submissions before it forks: it starts no kernel, no thread and no database engine, so a
    worker inherits nothing that would break. macOS makes forking a process that has loaded
    system frameworks unsafe (Python spawns there by default since 3.8), so other systems spawn.
    """
    return "fork" if sys.platform.startswith("linux") else "spawn"


# ---------------------------------------------------------------- SQLite: one writer at a time


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        # sqlite3 no longer starts transactions itself; _sqlite_begin does.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")


def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def take_sqlite_writes_in_turn() -> None:
    """Make every SQLAlchemy engine in this process wait its turn to write to SQLite."""
    if not event.contains(Engine, "connect", _sqlite_connect):
        event.listen(Engine, "connect", _sqlite_connect)
        event.listen(Engine, "begin", _sqlite_begin)


# ---------------------------------------------------------------- nbgrader, as the command runs it


def load_app(nbgrader_args: list[str]) -> AutogradeApp:
    """nbgrader's autograde application, configured as ``nbgrader autograde ARGS`` would be."""
    app = AutogradeApp()
    app.initialize(nbgrader_args)
    if len(app.extra_args) > 1:
        app.fail("Only one argument (the assignment id) may be specified")
    if len(app.extra_args) == 1:
        if app.coursedir.assignment_id != "":
            app.fail("The assignment cannot both be specified in config and as an argument")
        app.coursedir.assignment_id = app.extra_args[0]
    elif app.coursedir.assignment_id == "":
        app.fail("An assignment id must be specified, either as an argument or with --assignment")
    return app


def find_submissions(app: AutogradeApp) -> list[Task]:
    """The submissions ``nbgrader autograde`` would consider, found by nbgrader itself."""
    converter = Autograde(coursedir=app.coursedir, parent=app)
    converter.init_notebooks()  # logs and raises NbGraderException when nothing matches
    pattern = converter._format_source("(?P<assignment_id>.*)", "(?P<student_id>.*)", escape=True)
    tasks = []
    for folder in sorted(converter.assignments):
        found = re.match(pattern, folder)
        if found is None:
            raise NbGraderException(f"Could not match {folder!r} with {pattern!r}")
        tasks.append((found["assignment_id"], found["student_id"]))
    return tasks


def graded_folder(app: AutogradeApp, task: Task) -> str:
    assignment_id, student_id = task
    return str(
        app.coursedir.format_path(app.coursedir.autograded_directory, student_id, assignment_id)
    )


def error_line(task: Task) -> str:
    """nbgrader's own words for a failed submission (scripts search the log for them)."""
    return "There was an error processing assignment '{}' for student '{}'".format(*task)


@contextlib.contextmanager
def logging_to(app: AutogradeApp, buffer: io.StringIO) -> Iterator[None]:
    """Send the application's log (nbgrader's format) to ``buffer`` for the time being."""
    handlers = [h for h in app.log.handlers if isinstance(h, logging.StreamHandler)]
    streams = [h.setStream(buffer) for h in handlers]
    try:
        yield
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def grade_one(app: AutogradeApp, task: Task) -> tuple[bool, str]:
    """Autograde one submission with nbgrader's converter; (success, log)."""
    buffer = io.StringIO()
    with logging_to(app, buffer):
        # The ids are globs to nbgrader: match this one submission and nothing else.
        app.coursedir.assignment_id = glob.escape(task[0])
        app.coursedir.student_id = glob.escape(task[1])
        try:
            Autograde(coursedir=app.coursedir, parent=app).start()
            ok = True
        except NbGraderException:  # nbgrader has logged why, and its error line
            ok = False
        except Exception:
            app.log.error(traceback.format_exc())
            app.log.error(error_line(task))
            ok = False
    return ok, buffer.getvalue()


def worker_main(
    connection: multiprocessing.connection.Connection,
    nbgrader_args: list[str],
    inherited: tuple[multiprocessing.connection.Connection, ...] = (),
) -> None:
    """A worker: load the course once, then grade each submission sent until told to stop.

    ``inherited`` are the coordinator's ends of the pipes, which a forked worker holds copies
    of: closed at once, so that a worker whose coordinator has gone reads the end of its pipe
    and stops, as a spawned one does."""
    for other in inherited:
        other.close()
    take_sqlite_writes_in_turn()
    try:
        app = load_app(nbgrader_args)
    except SystemExit:
        connection.send("failed")
        return
    connection.send("ready")
    while True:
        try:
            task = connection.recv()
        except EOFError:  # the coordinator has gone
            return
        if task is None:
            return
        connection.send(grade_one(app, task))


# ---------------------------------------------------------------- the coordinator


@dataclass
class Worker:
    process: multiprocessing.process.BaseProcess
    connection: multiprocessing.connection.Connection
    task: Task | None = None
    started: float = 0.0

    def stop(self) -> None:
        """End the worker and everything it started, at once.

        jupyter_client starts each kernel in a session of its own, so the kernel (and whatever
        the student's code started) is found among the worker's descendants, not its group.
        """
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        self.process.kill()
        for process in family:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        self.process.join(5)
        self.connection.close()


@dataclass
class Batch:
    nbgrader_args: list[str]
    jobs: int
    submission_timeout: float
    app: AutogradeApp
    failed: list[Task] = field(default_factory=list)
    graded: int = 0
    # A submission whose grading failed (nbgrader's error, or its process stopped) is graded
    # once more at the end before it is reported: a failure that has nothing to do with the
    # submission (a kernel that did not start while another worker's kernel started, as seen
    # once in CI) would otherwise cost a student the grade a serial run gives. A submission
    # that is broken fails again and is reported with that second attempt's log. Submissions
    # stopped for taking too long in all are not tried again.
    retry: list[Task] = field(default_factory=list)
    tried: set[Task] = field(default_factory=set)
    workers: list[Worker] = field(default_factory=list)
    context: Any = field(default_factory=lambda: multiprocessing.get_context(start_method()))

    def start_workers(self, count: int) -> None:
        """Start ``count`` workers at once, and wait until each has loaded the course."""
        started: list[Worker] = []
        forked = self.context.get_start_method() == "fork"
        for _ in range(count):
            ours, theirs = self.context.Pipe()
            held = (*(w.connection for w in [*self.workers, *started]), ours)
            process = self.context.Process(
                target=worker_main,
                args=(theirs, self.nbgrader_args, held if forked else ()),
                daemon=True,
            )
            process.start()
            theirs.close()
            started.append(Worker(process, ours))
        self.workers += started
        for worker in started:
            try:
                ready = worker.connection.recv()
            except EOFError:
                ready = "failed"
            if ready != "ready":
                raise SystemExit("a grading worker could not load the course's nbgrader settings")

    def give(self, worker: Worker, task: Task) -> None:
        worker.task, worker.started = task, time.monotonic()
        worker.connection.send(task)

    def report(self, task: Task, ok: bool, log: str, again: bool = False) -> None:
        if not ok and again and task not in self.tried:
            self.tried.add(task)
            self.retry.append(task)
            return
        sys.stderr.write(log)
        sys.stderr.flush()
        if ok:
            self.graded += 1
        else:
            self.failed.append(task)

    def give_up_on(self, worker: Worker, why: str, again: bool = True) -> None:
        """Stop a worker stuck on (or killed by) its submission, and report that submission."""
        task = worker.task
        assert task is not None
        worker.stop()
        worker.task = None
        folder = graded_folder(self.app, task)
        if os.path.exists(folder):
            rmtree(folder)
        self.report(
            task,
            False,
            f"[AutogradeApp | ERROR] {why}\n[AutogradeApp | ERROR] {error_line(task)}\n",
            again,
        )

    def collect(self, worker: Worker) -> None:
        assert worker.task is not None
        try:
            ok, log = worker.connection.recv()
        except EOFError:
            self.give_up_on(worker, f"The grading process stopped while grading {worker.task[1]}.")
            return
        self.report(worker.task, ok, log, again=True)
        worker.task = None

    def run(self, tasks: list[Task]) -> None:
        queue = list(reversed(tasks))
        try:
            while queue or self.retry or any(w.task for w in self.workers):
                if not queue and not any(w.task for w in self.workers):
                    queue, self.retry = list(reversed(self.retry)), []
                self.workers = [w for w in self.workers if w.process.is_alive()]
                busy = [w for w in self.workers if w.task is not None]
                idle = len(self.workers) - len(busy)
                missing = min(self.jobs - len(busy), len(queue)) - idle
                if missing > 0:
                    self.start_workers(missing)
                for worker in self.workers:
                    if worker.task is None and queue:
                        self.give(worker, queue.pop())
                busy = [w for w in self.workers if w.task is not None]
                handles: dict[Any, Worker] = {w.connection: w for w in busy}
                handles |= {w.process.sentinel: w for w in busy}
                soonest = min(w.started for w in busy) + self.submission_timeout
                ready = multiprocessing.connection.wait(
                    list(handles), timeout=max(0.0, soonest - time.monotonic())
                )
                for handle in ready:
                    worker = handles[handle]
                    if worker.task is None:  # its connection and its sentinel both woke us
                        continue
                    if handle is worker.connection or worker.connection.poll():
                        self.collect(worker)
                    else:
                        self.give_up_on(
                            worker, f"The grading process stopped while grading {worker.task[1]}."
                        )
                for worker in busy:
                    if worker.task and time.monotonic() - worker.started > self.submission_timeout:
                        self.give_up_on(
                            worker,
                            f"Stopped after {self.submission_timeout:g} s: the submission of "
                            f"{worker.task[1]} took too long in all (see --submission-timeout).",
                            again=False,
                        )
        finally:
            for worker in self.workers:
                if worker.task is None and worker.process.is_alive():
                    with contextlib.suppress(OSError):
                        worker.connection.send(None)
                    worker.process.join(10)
                if worker.process.is_alive():
                    worker.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Other options are nbgrader autograde's, passed on to it.",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        help="submissions graded at once (default: the cores)",
    )
    parser.add_argument(
        "--submission-timeout",
        type=float,
        default=DEFAULT_SUBMISSION_TIMEOUT,
        help=f"seconds one submission may take in all (default {DEFAULT_SUBMISSION_TIMEOUT:g})",
    )
    args, nbgrader_args = parser.parse_known_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    app = load_app(nbgrader_args)
    started = time.monotonic()
    try:
        tasks = find_submissions(app)
    except NbGraderException:
        return 1
    batch = Batch(nbgrader_args, min(args.jobs, len(tasks)) or 1, args.submission_timeout, app)
    try:
        batch.run(tasks)
    except KeyboardInterrupt:
        app.log.error("Canceled")
        return 130
    for task in batch.failed:
        app.log.error(error_line(task))
    app.log.info(
        "Autograded %d of %d submissions with %d workers in %.1f s",
        batch.graded,
        len(tasks),
        batch.jobs,
        time.monotonic() - started,
    )
    return 1 if batch.failed else 0


if __name__ == "__main__":
    sys.exit(main())

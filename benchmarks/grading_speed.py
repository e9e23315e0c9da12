"""How long autograding a class takes, serially (nbgrader) and in parallel (make autograde).

For each class size (50 and 200 by default), a simulated class is made from the fixture
``tests/fixtures/nbgrader/class.yml`` by repeating its students in turn (honest, partial and
empty work, tampering, an endless loop, an output flood, a notebook that is not JSON) and
handed in to a temporary copy of the course (``autograder/grading/course``) after
``nbgrader generate_assignment``. The same class is then graded twice from the same start,
in blocks of 25 students taken in turn (see ``measure``): by ``nbgrader autograde ASSIGNMENT
--create`` (serial, nbgrader's only way) and by ``python -m autograder.grading.parallel
ASSIGNMENT --jobs N --create`` (what ``make autograde`` runs).
The table gives both times, the speed-up (serial time / parallel time, measured in this one
run), how many cells each run stopped at nbgrader's time limit, and
how many students got different points on some cell.

With ``--compare`` the class is also graded serially without the course's re-check outside
the kernel (``VerifyOutsideKernel``), to show what that safeguard costs.

Prints a table; asserts nothing. It also gives how many cores each way kept busy on average
(the machine's CPU time over the wall time), which bounds what parallel grading can gain.
The machine's load is printed too: other work on the same
cores slows both runs. Usage::

    python benchmarks/grading_speed.py [--sizes 50 200] [--assignment fix_the_posts|all]
                                       [--jobs N] [--compare]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.nbgrader_class import (  # noqa: E402  (one simulated class for tests and here)
    ASSIGNMENTS,
    hand_in,
    load_class,
    run_nbgrader,
    run_parallel,
    scaled_class,
)

from autograder.grading.downloads import copy_course  # noqa: E402
from autograder.grading.parallel import default_jobs  # noqa: E402

LONG = 7200  # seconds any one grading run may take here
RECHECK_LINE = '    "autograder.grading.nbgrader_plugins.VerifyOutsideKernel",\n'


def points(course: Path, assignment: str) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            (sub.student.id, grade.name): grade.auto_score
            for sub in gradebook.find_assignment(assignment).submissions
            for notebook in sub.notebooks
            for grade in notebook.grades
        }


TIMEOUT_LINE = "Timeout waiting for execute reply"


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent on work since boot (all cores, not idle)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def timed(run: Callable[[], subprocess.CompletedProcess[str]]) -> tuple[float, int, float]:
    """Seconds the run took, how many cells nbgrader stopped at its time limit, and the CPU
    seconds the machine was busy meanwhile (the run's, and any other work's)."""
    started, busy = time.perf_counter(), busy_seconds()
    done = run()
    seconds, cpu = time.perf_counter() - started, busy_seconds() - busy
    if done.returncode not in (0, 1):  # 1: the class's broken notebook, reported by design
        raise SystemExit(f"grading failed:\n{done.stderr[-3000:]}")
    return seconds, (done.stdout + done.stderr).count(TIMEOUT_LINE), cpu


def without_recheck(course: Path) -> None:
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert RECHECK_LINE in text
    config.write_text(text.replace(RECHECK_LINE, ""), encoding="utf-8")


BLOCK = 25  # students per block of the interleaved runs


def grade_block(
    workdir: Path, assignment: str, students: list[dict], jobs: int, order: tuple[str, ...]
) -> dict:
    """Grade one block of students both ways, in ``order``, each in its own copy of the course
    with the same submissions, and compare the points."""
    base = copy_course(workdir / "base")
    done = run_nbgrader(base, "generate_assignment", assignment, "--force")
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    hand_in(base, assignment, students)
    courses = {}
    for way in order:
        courses[way] = workdir / way
        shutil.copytree(base, courses[way])
    runs = {
        "serial": lambda: run_nbgrader(
            courses["serial"], "autograde", assignment, "--create", timeout=LONG
        ),
        "parallel": lambda: run_parallel(
            courses["parallel"], assignment, f"--jobs={jobs}", "--create", timeout=LONG
        ),
        "plain": lambda: run_nbgrader(
            courses["plain"], "autograde", assignment, "--create", timeout=LONG
        ),
    }
    if "plain" in courses:
        without_recheck(courses["plain"])
    out: dict = {}
    for way in order:
        out[way], out[f"{way} timeouts"], out[f"{way} cpu"] = timed(runs[way])
    serial_points = points(courses["serial"], assignment)
    parallel_points = points(courses["parallel"], assignment)
    out["differ"] = len(
        {
            student
            for student, gid in serial_points.keys() | parallel_points.keys()
            if serial_points.get((student, gid)) != parallel_points.get((student, gid))
        }
    )
    shutil.rmtree(workdir)
    return out


def measure(workdir: Path, assignment: str, size: int, jobs: int, compare: bool) -> dict:
    """Serial and parallel grading of the same class, interleaved: the class is graded in
    blocks of ``BLOCK`` students, each block both ways, alternating which goes first (serial
    then parallel, then parallel then serial, ...). Load from other work on the machine rises
    and falls over minutes; interleaving puts both ways under the same load, so the ratio of
    the summed times is fair even on a busy machine. Each block is a separate nbgrader run, so
    both ways pay nbgrader's start-up once per block."""
    students = scaled_class(load_class()[assignment], size)
    blocks = [students[i : i + BLOCK] for i in range(0, size, BLOCK)]
    row: dict = {"assignment": assignment, "size": size, "blocks": len(blocks)}
    for key in ("serial", "parallel", "plain", "serial timeouts", "parallel timeouts", "differ"):
        row[key] = 0
    for key in ("serial cpu", "parallel cpu", "plain cpu"):
        row[key] = 0.0
    for k, block in enumerate(blocks):
        order = ("serial", "parallel") if k % 2 == 0 else ("parallel", "serial")
        if compare:
            order = (*order, "plain")
        got = grade_block(workdir / f"block{k}", assignment, block, jobs, order)
        for key, value in got.items():
            row[key] += value
        print(
            f"  {assignment} {size}: block {k + 1}/{len(blocks)} serial {got['serial']:.1f} s, "
            f"parallel {got['parallel']:.1f} s, load {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
            flush=True,
        )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--assignment", default="fix_the_posts", choices=[*ASSIGNMENTS, "all"])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--compare", action="store_true", help="also grade without the re-check")
    args = parser.parse_args(argv)
    assignments = ASSIGNMENTS if args.assignment == "all" else (args.assignment,)
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            for assignment in assignments:
                work = Path(tmp) / f"{assignment}-{size}"
                rows.append(measure(work, assignment, size, args.jobs, args.compare))
    print(
        f"Autograding a simulated class (Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.jobs} parallel jobs; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after)\n"
    )
    header = (
        f"{'assignment':<24} {'subs':>5} {'serial s':>9} {'s/sub':>6} "
        f"{'parallel s':>11} {'s/sub':>6} {'speed-up':>9} {'time-outs s/p':>14} "
        f"{'students differing':>19} {'cores busy s/p':>15}"
    )
    if args.compare:
        header += f" {'no re-check s':>14}"
    print(header)
    print("-" * len(header))
    # Students differing: any cell with other points in the two runs. On a machine busy with
    # other work a slow cell can pass the course's 10 s limit in one run and not the other
    # (the time-outs column counts nbgrader's "Timeout waiting for execute reply" per run);
    # tests/grading/test_parallel_autograde.py shows the grades are equal when no cell is cut.
    # Cores busy: the machine's CPU seconds during each way's runs over their wall time. A
    # serial run already keeps more than one core busy (nbgrader's process, the student's
    # kernel, the re-check outside the kernel), so two cores cannot give twice its speed:
    # the most they can give is 2 / (cores busy serially).
    for row in rows:
        line = (
            f"{row['assignment']:<24} {row['size']:>5} {row['serial']:>9.1f} "
            f"{row['serial'] / row['size']:>6.2f} {row['parallel']:>11.1f} "
            f"{row['parallel'] / row['size']:>6.2f} {row['serial'] / row['parallel']:>8.2f}x "
            f"{row['serial timeouts']:>7}/{row['parallel timeouts']:<6} {row['differ']:>19} "
            f"{row['serial cpu'] / row['serial']:>7.2f}/"
            f"{row['parallel cpu'] / row['parallel']:<7.2f}"
        )
        if args.compare:
            line += f" {row['plain']:>14.1f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

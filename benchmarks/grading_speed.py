"""How long autograding a class takes, serially (nbgrader) and in parallel (make autograde).

For each class size (50 and 200 by default), a simulated class is made from the fixture
``tests/fixtures/nbgrader/class.yml`` by repeating its students in turn (honest, partial and
empty work, tampering, an endless loop, an output flood, a notebook that is not JSON) and
handed in to a temporary copy of the course (``autograder/grading/course``) after
``nbgrader generate_assignment``. The same class is then graded twice from the same start: by
``nbgrader autograde ASSIGNMENT --create`` (serial, nbgrader's only way) and by
``python -m autograder.grading.parallel ASSIGNMENT --jobs N --create`` (what
``make autograde`` runs). The table gives both times, the speed-up (serial time / parallel
time, measured in this one run), how many cells each run stopped at nbgrader's time limit, and
how many students got different points on some cell.

With ``--compare`` the class is also graded serially without the course's re-check outside
the kernel (``VerifyOutsideKernel``), to show what that safeguard costs.

Prints a table; asserts nothing. The machine's load is printed too: other work on the same
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


def timed(run: Callable[[], subprocess.CompletedProcess[str]]) -> tuple[float, int]:
    """Seconds the run took, and how many cells nbgrader stopped at its time limit."""
    started = time.perf_counter()
    done = run()
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the class's broken notebook, reported by design
        raise SystemExit(f"grading failed:\n{done.stderr[-3000:]}")
    return seconds, (done.stdout + done.stderr).count(TIMEOUT_LINE)


def without_recheck(course: Path) -> None:
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert RECHECK_LINE in text
    config.write_text(text.replace(RECHECK_LINE, ""), encoding="utf-8")


def measure(workdir: Path, assignment: str, size: int, jobs: int, compare: bool) -> dict:
    serial = copy_course(workdir / "serial")
    done = run_nbgrader(serial, "generate_assignment", assignment, "--force")
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    hand_in(serial, assignment, scaled_class(load_class()[assignment], size))
    parallel = workdir / "parallel"
    shutil.copytree(serial, parallel)
    plain = workdir / "plain"
    if compare:
        shutil.copytree(serial, plain)
        without_recheck(plain)
    row = {
        "assignment": assignment,
        "size": size,
        "serial": timed(
            lambda: run_nbgrader(serial, "autograde", assignment, "--create", timeout=LONG)
        ),
        "parallel": timed(
            lambda: run_parallel(parallel, assignment, f"--jobs={jobs}", "--create", timeout=LONG)
        ),
    }
    row["serial"], row["serial timeouts"] = row["serial"]
    row["parallel"], row["parallel timeouts"] = row["parallel"]
    serial_points, parallel_points = points(serial, assignment), points(parallel, assignment)
    row["differ"] = len(
        {
            student
            for student, gid in serial_points.keys() | parallel_points.keys()
            if serial_points.get((student, gid)) != parallel_points.get((student, gid))
        }
    )
    if compare:
        row["plain"], _ = timed(
            lambda: run_nbgrader(plain, "autograde", assignment, "--create", timeout=LONG)
        )
    shutil.rmtree(workdir)
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
        f"{'students differing':>19}"
    )
    if args.compare:
        header += f" {'no re-check s':>14}"
    print(header)
    print("-" * len(header))
    # Students differing: any cell with other points in the two runs. On a machine busy with
    # other work a slow cell can pass the course's 10 s limit in one run and not the other
    # (the time-outs column counts nbgrader's "Timeout waiting for execute reply" per run);
    # tests/grading/test_parallel_autograde.py shows the grades are equal when no cell is cut.
    for row in rows:
        line = (
            f"{row['assignment']:<24} {row['size']:>5} {row['serial']:>9.1f} "
            f"{row['serial'] / row['size']:>6.2f} {row['parallel']:>11.1f} "
            f"{row['parallel'] / row['size']:>6.2f} {row['serial'] / row['parallel']:>8.2f}x "
            f"{row['serial timeouts']:>7}/{row['parallel timeouts']:<6} {row['differ']:>19}"
        )
        if args.compare:
            line += f" {row['plain']:>14.1f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

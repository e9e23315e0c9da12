"""Make the student notebooks that the book offers as downloads.

The book pages of the assignments link to
``autograder/grading/course/book_downloads/<assignment>.ipynb``.
Those files are exactly what ``nbgrader generate_assignment`` releases to students: this
script runs that command on a temporary copy of the course and copies the results. They are
committed, so the book builds without running nbgrader, and
``tests/grading/test_nbgrader_pipeline.py`` checks that they still equal a fresh release.

Usage::

    python -m autograder.grading.downloads            # refresh the downloads
    python -m autograder.grading.downloads --check    # exit 1 if any is out of date
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COURSE = Path(__file__).resolve().parent / "course"
ROOT = COURSE.parents[2]
DOWNLOADS = COURSE / "book_downloads"
ASSIGNMENTS = ("positioning_statements", "fix_the_posts")


def nbgrader_env() -> dict[str, str]:
    """nbgrader shells out to ``alembic``: put this Python's bin/ first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def copy_course(target: Path) -> Path:
    """A fresh copy of the course (configuration and source notebooks only)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(COURSE / "nbgrader_config.py", target / "nbgrader_config.py")
    shutil.copytree(COURSE / "source", target / "source")
    return target


def release(course: Path, assignment: str) -> Path:
    """Run ``nbgrader generate_assignment`` in ``course``; the released notebook's path."""
    done = subprocess.run(
        [Path(sys.executable).parent / "nbgrader", "generate_assignment", assignment, "--force"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{done.stderr}")
    return course / "release" / assignment / f"{assignment}.ipynb"


def fresh_releases(workdir: Path) -> dict[str, bytes]:
    course = copy_course(workdir / "course")
    return {name: release(course, name).read_bytes() for name in ASSIGNMENTS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale downloads")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        releases = fresh_releases(Path(tmp))
    stale = 0
    for name, data in releases.items():
        target = DOWNLOADS / f"{name}.ipynb"
        if target.is_file() and target.read_bytes() == data:
            continue
        stale += 1
        if args.check:
            print(f"{target.relative_to(ROOT)}: out of date")
        else:
            DOWNLOADS.mkdir(exist_ok=True)
            target.write_bytes(data)
            print(f"{target.relative_to(ROOT)}: written")
    if args.check and stale:
        print("run: python -m autograder.grading.downloads", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

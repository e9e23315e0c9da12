"""Check the course settings and every chapter's exercise file before any page is read.

A mistake stops the build with messages naming the file, the exercise and the field.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from exercises.data import ExerciseDataError, find_exercise_files, load_exercise_file

from .settings import BOOK_DIR, find_project_root


def validate_content(app: Sphinx) -> None:
    root = find_project_root(app.srcdir)
    problems: list[str] = []
    declared: dict[str, list[str]] = {}
    for path in find_exercise_files(root / BOOK_DIR):
        try:
            exercise_set = load_exercise_file(path, root=root)
        except ExerciseDataError as exc:
            problems.extend(exc.problems)
            continue
        declared[exercise_set.chapter] = exercise_set.ids
    if problems:
        listing = "\n  ".join(problems)
        raise ExtensionError(f"exercise content has {len(problems)} problem(s):\n  {listing}")
    app.env.smx_declared = declared

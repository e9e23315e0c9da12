"""What a chapter's hidden set-up cell uses: ``chapter = Chapter("pitfalls")``.

A later cell (its input hidden in the book) shows one exercise with ``chapter.show("vent-or-not")``.
The chapter's exercises are read from ``book/<name>/exercises.yml`` and validated once.
"""

from __future__ import annotations

from pathlib import Path

from exercises import EXERCISE_FILE, Exercise, ExerciseSet, load_exercise_file, widget_for

from .settings import BOOK_DIR, find_project_root, load_course_config


class Chapter:
    def __init__(self, name: str, *, root: str | Path | None = None) -> None:
        self.root = Path(root) if root else find_project_root()
        self.name = name
        self.course = load_course_config(self.root)
        path = self.root / BOOK_DIR / name / EXERCISE_FILE
        self.exercises: ExerciseSet = load_exercise_file(path, root=self.root)

    def show(self, exercise_id: str) -> Exercise:
        """The widget for one exercise of this chapter (display it as a cell's last value)."""
        spec = self.exercises.get(exercise_id)
        return widget_for(
            spec, chapter=self.name, course_id=self.course.id, source=self.exercises.source
        )

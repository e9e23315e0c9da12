"""The one registry of exercise types: everything else (schema check, widget classes, the book's
outline, the SCORM score) reads the list of types from here.

Each type has a kind (the ``type:`` in ``exercises.yml``), the name of its Python widget class,
the ES module that draws it (``static/<kind>.js``), whether it counts toward the score, and the
label the instructor guide's outline uses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExerciseType:
    kind: str
    class_name: str
    graded: bool
    label: str

    @property
    def module(self) -> str:
        return f"{self.kind}.js"


EXERCISE_TYPES: tuple[ExerciseType, ...] = (
    ExerciseType("multiple_choice", "MultipleChoice", True, "multiple choice"),
    ExerciseType("sort_the_posts", "SortThePosts", True, "sort the posts"),
    ExerciseType("scenario", "Scenario", True, "scenario"),
    ExerciseType("fix_the_post", "FixThePost", True, "fix the post"),
    ExerciseType("statement_builder", "StatementBuilder", True, "statement builder"),
    ExerciseType("decision_helper", "DecisionHelper", False, "decision helper"),
    ExerciseType("privacy_checklist", "PrivacyChecklist", False, "privacy checklist"),
    ExerciseType("presence_plan", "PresencePlan", False, "presence plan"),
)

BY_KIND: dict[str, ExerciseType] = {t.kind: t for t in EXERCISE_TYPES}
KINDS: tuple[str, ...] = tuple(BY_KIND)
GRADED_TYPES: frozenset[str] = frozenset(t.kind for t in EXERCISE_TYPES if t.graded)

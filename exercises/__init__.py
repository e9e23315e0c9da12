"""The course's exercise widgets, built on anywidget: the type registry, the thin Python classes,
the exercise data schema and its validation, and the ES modules in ``static/``.

Content lives in YAML files beside each chapter; see ``exercise.schema.json`` for the format.
Showing exercises in a chapter is the book platform's job (``coursebook.Chapter``).
"""

from .data import (
    EXERCISE_FILE,
    ExerciseDataError,
    ExerciseSet,
    load_exercise_file,
    validate_exercise_data,
)
from .registry import EXERCISE_TYPES, GRADED_TYPES, ExerciseType
from .widgets import (
    DecisionHelper,
    Exercise,
    FixThePost,
    MultipleChoice,
    PresencePlan,
    PrivacyChecklist,
    Scenario,
    SortThePosts,
    StatementBuilder,
    widget_for,
)

__all__ = [
    "EXERCISE_FILE",
    "EXERCISE_TYPES",
    "GRADED_TYPES",
    "DecisionHelper",
    "Exercise",
    "ExerciseDataError",
    "ExerciseSet",
    "ExerciseType",
    "FixThePost",
    "MultipleChoice",
    "PresencePlan",
    "PrivacyChecklist",
    "Scenario",
    "SortThePosts",
    "StatementBuilder",
    "load_exercise_file",
    "validate_exercise_data",
    "widget_for",
]

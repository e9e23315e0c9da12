"""Interactive self-check exercises for the course, built on anywidget.

Content lives in YAML files beside each chapter; see ``exercise.schema.json`` for the format.
"""

from .book import Chapter
from .course import CourseConfig, CourseConfigError, load_course_config
from .data import ExerciseDataError, ExerciseSet, load_exercise_file, validate_exercise_data
from .widgets import (
    DecisionHelper,
    Exercise,
    FixThePost,
    MultipleChoice,
    PrivacyChecklist,
    Scenario,
    SortThePosts,
    StatementBuilder,
    widget_for,
)

__all__ = [
    "Chapter",
    "CourseConfig",
    "CourseConfigError",
    "DecisionHelper",
    "Exercise",
    "ExerciseDataError",
    "ExerciseSet",
    "FixThePost",
    "MultipleChoice",
    "PrivacyChecklist",
    "Scenario",
    "SortThePosts",
    "StatementBuilder",
    "load_course_config",
    "load_exercise_file",
    "validate_exercise_data",
    "widget_for",
]

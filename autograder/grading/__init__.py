"""The graded assignments (nbgrader): what students and grading cells import.

- ``check_my_answers``: the formative check students run in the notebook before submitting.
- ``checks``: the checks that the notebooks' grading cells call.
- ``nbgrader_plugins``: nbgrader preprocessors that make grading tamper-proof
  (configured in ``autograder/grading/course/nbgrader_config.py``).
- ``notebooks``: builds the nbgrader source notebooks from ``autograder/grading/course/notebooks/``.
- ``downloads``: makes the release notebooks the book offers as downloads.

The instructor's side is described in the book page ``book/instructor_grading.md``.
"""

from autograder.grading.formative import check_my_answers

__all__ = ["check_my_answers"]

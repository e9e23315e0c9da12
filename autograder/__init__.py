"""The judge and the graded assignments.

- ``autograder.judge``: the one judge of posts and statements (rules as data, a Python engine and
  a browser engine in ``judge/js/`` proven identical by shared vectors).
- ``autograder.grading``: the nbgrader course and the checks its notebooks call; it uses the judge.

The judge's public API is re-exported here so that ``from autograder import review_post`` keeps
working for existing notebooks and scripts.
"""

from autograder.judge import *  # noqa: F403 (the judge's public API, listed in its __all__)
from autograder.judge import __all__  # noqa: F401

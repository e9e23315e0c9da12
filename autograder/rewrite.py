"""``python -m autograder.rewrite``: the documented command line, a thin entry point.

The command itself is ``autograder.grading.rewrite_cli`` (it looks the post up among the
course's fix-the-post exercises, then asks the judge).
"""

import sys

from autograder.grading.rewrite_cli import USAGE, main
from autograder.judge.cli import run

if __name__ == "__main__":
    sys.exit(run(main, USAGE))

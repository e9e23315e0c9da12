"""``python -m autograder.statement``: the documented command line, a thin entry point.

The command itself is ``autograder.judge.statement_cli``.
"""

import sys

from autograder.judge.cli import run
from autograder.judge.statement_cli import USAGE, main

if __name__ == "__main__":
    sys.exit(run(main, USAGE))

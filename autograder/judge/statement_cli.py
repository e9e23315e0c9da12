"""Check a positioning statement from the command line and print the result as JSON.

    python -m autograder.statement "I am a nurse in pediatrics for new parents."
    python -m autograder.statement --compare "I am a ..." "I am a ..."   # personal, professional
    python -m autograder.statement --post "post text" "I am a ..."

The same as ``node autograder/js/statement-cli.mjs``; see autograder/judge/cli.py for input rules.
"""

from __future__ import annotations

import sys
from typing import Any

from autograder.judge.cli import UsageError, check_text, parse, read_text, run
from autograder.judge.posts import load_rules
from autograder.judge.statements import check_statement, compare_statements, post_fits_statement

USAGE = """usage: python -m autograder.statement [--compare PROFESSIONAL | --post POST] [STATEMENT]
Checks a statement "I am a ROLE in FIELD for AUDIENCE." (STATEMENT, or standard input).
--compare compares it, as the personal statement, with a professional one.
--post tells whether a post fits it."""


def main(argv: list[str]) -> dict[str, Any]:
    opts, positional = parse(argv, ("compare", "post"))
    if len(opts) > 1:
        raise UsageError("use --compare or --post, not both")
    rules = load_rules()
    statement = read_text(positional)
    if "compare" in opts:
        other = check_text(opts["compare"], "professional statement")
        return compare_statements(statement, other, rules).to_dict()
    if "post" in opts:
        post = check_text(opts["post"], "post")
        return post_fits_statement(post, statement, rules).to_dict()
    return check_statement(statement, rules).to_dict()


if __name__ == "__main__":
    sys.exit(run(main, USAGE))

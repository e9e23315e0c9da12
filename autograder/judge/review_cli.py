"""Review one post from the command line and print the result as JSON.

    python -m autograder.review --account professional "Proud of our team!"
    echo "Proud of our team!" | python -m autograder.review --account personal

The same as ``node autograder/js/review-cli.mjs``; see autograder/judge/cli.py for input rules.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from autograder.judge.cli import UsageError, parse, read_text, run
from autograder.judge.posts import load_rules, review_post

USAGE = """usage: python -m autograder.review --account personal|professional|joint [TEXT]
Reviews one post (TEXT, or standard input) and prints {"verdict": ..., "findings": [...]}."""


def main(argv: list[str]) -> dict[str, Any]:
    opts, positional = parse(argv, ("account",))
    rules = load_rules()
    accounts = ", ".join(rules.accounts)
    if "account" not in opts:
        raise UsageError(f"choose an account with --account ({accounts})")
    account = opts["account"]
    if account not in rules.accounts:
        raise UsageError(
            f"unknown account {json.dumps(account, ensure_ascii=False)}: use {accounts}"
        )
    return review_post(read_text(positional), account, rules).to_dict()


if __name__ == "__main__":
    sys.exit(run(main, USAGE))

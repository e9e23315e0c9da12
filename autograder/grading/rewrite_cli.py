"""``python -m autograder.rewrite --post ID "text"``: check a rewrite exactly as the book's
"fix the post" widget and the graded assignment decide it, and print the result as JSON.

ID is a fix-the-post exercise of the book (``chapter/exercise-id``, such as
``pitfalls/fix-credit-taker``) or a post of the assignment (``fix_the_posts/post-id``). The
output says whether the rewrite passes, the judge's verdict and findings for the post's account,
whether the purpose is kept and what is missing, the length check, and whether it changed.
``node autograder/js/rewrite-cli.mjs`` prints the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from autograder.judge.cli import UsageError, parse, read_text
from autograder.judge.course_posts import fix_posts
from autograder.judge.posts import load_rules
from autograder.judge.rewrite import check_rewrite

USAGE = """usage: python -m autograder.rewrite --post ID [TEXT]
Checks a rewrite (TEXT, or standard input) of the fix-the-post exercise ID (chapter/exercise-id,
or fix_the_posts/post-id) and prints {"passes": ..., "verdict": ..., "purpose": ..., ...}."""


def main(argv: list[str]) -> dict[str, Any]:
    opts, positional = parse(argv, ("post",))
    table = fix_posts()
    if "post" not in opts:
        raise UsageError("choose a post with --post (for example pitfalls/fix-credit-taker)")
    entry = table.get(opts["post"])
    if entry is None:
        known = ", ".join(sorted(table))
        raise UsageError(
            f"unknown post {json.dumps(opts['post'], ensure_ascii=False)}: use {known}"
        )
    text = read_text(positional)
    return check_rewrite(
        text, entry["post"], entry["account"], entry["purpose"], load_rules()
    ).to_dict()

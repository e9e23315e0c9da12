"""The judge of social media posts and positioning statements (one judge for the book and grading).

Rules live in ``autograder/judge/rules.yml`` (see ``autograder/judge/RULES.md``); the same rules
drive the browser engine ``autograder/judge/js/judge.mjs``, and both give identical answers.

    >>> from autograder.judge import review_post
    >>> review_post("Proud of our team! Here is our free guide.", "professional").verdict
    'ok'
"""

from autograder.judge.posts import Finding, Review, Rules, load_rules, review_post
from autograder.judge.purpose import Purpose, keeps_purpose
from autograder.judge.rules import RulesError, compile_rules
from autograder.judge.statements import (
    Comparison,
    Fit,
    Problem,
    StatementCheck,
    check_statement,
    compare_statements,
    post_fits_statement,
)

__all__ = [
    "Comparison",
    "Finding",
    "Fit",
    "Problem",
    "Purpose",
    "Review",
    "Rules",
    "RulesError",
    "StatementCheck",
    "check_statement",
    "compare_statements",
    "compile_rules",
    "keeps_purpose",
    "load_rules",
    "post_fits_statement",
    "review_post",
]

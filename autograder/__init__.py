"""The course's judge for social media posts and positioning statements.

Rules live in ``autograder/rules.yml`` (see ``autograder/RULES.md``); the same rules drive the
browser engine ``autograder/js/judge.mjs``, and both give identical answers.

    >>> from autograder import review_post
    >>> review_post("Proud of our team! Here is our free guide.", "professional").verdict
    'ok'
"""

from autograder.judge import Finding, Review, Rules, load_rules, review_post
from autograder.purpose import Purpose, keeps_purpose
from autograder.rules import RulesError, compile_rules
from autograder.statements import (
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

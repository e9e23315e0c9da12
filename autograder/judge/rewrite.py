"""The rewrite check: is a learner's rewrite of a risky post ready to post?

One decision for the book's "fix the post" widget, the graded assignment and the command line
(``python -m autograder.rewrite``): the rewrite passes when the judge says ``ok`` for the post's
account, it is not still risky in softer words (``softer.py``, read beside the original; only
for the course's own posts, whose labelled rewrites it learned from), it keeps the post's
purpose (``purpose.check_purpose``), it has at least ``purpose.min_words`` words, and it is not
the original with only spacing or case changed. ``checkRewrite`` in ``js/judge.mjs`` is the
same check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograder.judge.posts import Review, Rules, load_rules, review_post
from autograder.judge.purpose import Purpose, check_purpose
from autograder.judge.softer import Softer
from autograder.judge.tokens import tokenize


@dataclass(frozen=True)
class RewriteCheck:
    review: Review
    purpose: Purpose
    words: int
    min_words: int
    changed: bool
    softer: Softer | None = None  # None: not one of the posts the softer-words model knows

    @property
    def still_risky(self) -> bool:
        return self.softer is not None and self.softer.flagged

    @property
    def long_enough(self) -> bool:
        return self.words >= self.min_words

    @property
    def passes(self) -> bool:
        return (
            self.review.verdict == "ok"
            and not self.still_risky
            and self.purpose.kept
            and self.long_enough
            and self.changed
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "passes": self.passes,
            "verdict": self.review.verdict,
            "findings": [f.to_dict() for f in self.review.findings],
            "still_risky": self.softer.to_dict() if self.softer is not None else None,
            "purpose": self.purpose.to_dict(),
            "length": {"words": self.words, "min_words": self.min_words, "ok": self.long_enough},
            "changed": self.changed,
        }


def word_count(text: str) -> int:
    """Words as the judge counts them (emoji, links and @mentions are not words)."""
    return sum(1 for t in tokenize(text) if t.kind == "w")


def _same_words(a: str, b: str) -> bool:
    def words(text: str) -> list[str]:
        return [t.norm for t in tokenize(text) if t.kind in ("w", "m")]

    return words(a) == words(b)


def check_rewrite(
    text: str,
    original: str,
    account: str,
    purpose: dict[str, Any],
    rules: Rules | None = None,
) -> RewriteCheck:
    rules = rules if rules is not None else load_rules()
    review = review_post(text, account, rules)
    softer = still_risky(text, original, rules) if review.verdict == "ok" else None
    return RewriteCheck(
        review=review,
        purpose=check_purpose(text, purpose, original, rules),
        words=word_count(text),
        min_words=rules.data["purpose"]["min_words"],
        changed=not _same_words(text, original),
        softer=softer,
    )


def still_risky(text: str, original: str, rules: Rules | None = None) -> Softer | None:
    """The softer-words check of a rewrite beside its original (``softer.py``); None when the
    model did not learn rewrites of this original (or there is no model)."""
    rules = rules if rules is not None else load_rules()
    if rules.softer is None:
        return None
    message = rules.data["purpose"]["messages"]["still_risky"]
    return rules.softer.check(text, original, message, rules.function_words)

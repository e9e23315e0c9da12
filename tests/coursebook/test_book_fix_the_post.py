"""Every "fix the post" exercise in the book works with the judge it is graded by.

The risky original must draw a finding that stops it (verdict revise or do_not_post) on its own
account, and the model rewrite must be fit to post and keep the post's purpose. Otherwise a
learner could be told a risky post is fine, or could never finish the exercise.
"""

from __future__ import annotations

import pytest
from support.site_driver import all_exercises

from autograder import keeps_purpose, review_post

FIX = {key: spec for key, spec in all_exercises().items() if spec["type"] == "fix_the_post"}


def test_the_book_has_fix_the_post_exercises():
    assert len(FIX) >= 3


@pytest.mark.parametrize("key", sorted(FIX))
def test_original_is_flagged_for_its_account(key):
    spec = FIX[key]
    review = review_post(spec["post"]["text"], spec["post"]["account"])
    assert review.verdict != "ok", f"{key}: the judge passes the risky original: {review.to_dict()}"


@pytest.mark.parametrize("key", sorted(FIX))
def test_model_rewrite_passes_and_keeps_the_purpose(key):
    spec = FIX[key]
    review = review_post(spec["model_rewrite"], spec["post"]["account"])
    assert review.verdict == "ok", f"{key}: {review.to_dict()}"
    purpose = spec["purpose"]
    kept = keeps_purpose(spec["model_rewrite"], purpose["keywords"], purpose.get("min_keywords", 1))
    assert kept.kept, f"{key}: {kept.message}"

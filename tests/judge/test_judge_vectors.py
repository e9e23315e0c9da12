"""The judge's rule layer against every labelled post in tests/vectors/posts.yml.

These vectors were written while the rules were written, so they test the rules alone (the
judge without its learned layer, which is trained on the corpus and scored by
benchmarks/judge_quality.py). Dev posts (used while writing the rules) must all match: verdict
and the set of categories. Held-out posts were written before the rules and never used to tune
them; the few the rules get wrong are listed in HELDOUT_KNOWN_MISSES (strict xfail: fixing one
without updating the list fails the suite). Their verdict accuracy must stay at 0.85 or above.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from autograder import review_post
from autograder.judge.posts import Rules
from autograder.judge.rules import CATEGORIES, compile_rules

RULES_ONLY = Rules(compile_rules(with_model=False))

VECTORS = Path(__file__).parents[1] / "vectors" / "posts.yml"
POSTS = yaml.safe_load(VECTORS.read_text(encoding="utf-8"))["posts"]

# Held-out posts the judge gets wrong (verdict or categories). Measured once the rules were
# tuned on the dev posts; the rules were not changed to fix these. Reasons, briefly:
HELDOUT_KNOWN_MISSES = {
    "h007": "recommendation phrased as 'worth reading' is not a listed value signal",
    "h008": "credit given without a thanks/congrats word",
    "h017": "civic reminder without a listed value signal",
    "h022": "'what is wrong with people' is not a listed anger phrase",
    "h023": "'proud of this team' is not a listed value signal",
    "h033": "'festival' is not a listed personal-life word",
    "h034": "'link in bio' counted as a hard sell on a personal post",
    "h035": "security advice without a listed value signal",
    "h036": "security advice without a listed value signal",
    "h044": "Japanese: the judge now says cannot_read (the label predates that verdict)",
    "h045": "Arabic: the judge now says cannot_read (the label predates that verdict)",
    "h046": "Russian: the judge now says cannot_read (the label predates that verdict)",
    "h047": "'zero respect' is 8 words from the coworker; no listed insult",
    "h060": "'hiring' in a debate about hiring counted as a job offer",
    "h062": "being ill at home is not a listed personal-life topic",
    "h066": "'brain-dead sheep' is not a listed political attack",
    "h070": "sarcasm about the employer has no complaint word",
    "h074": "'reading list' is not a listed value signal",
    "h075": "'in hospital' near 'she' read as someone else's private news",
    "h082": "a reference offer without a listed value signal",
    "h084": "'fired' is more than 6 words from 'Jess'; 'heartless' is not listed",
    "h086": "clinic hours without a listed value signal",
}


def _params(split: str):
    for post in POSTS:
        if post["split"] != split:
            continue
        marks = []
        if split == "heldout" and post["id"] in HELDOUT_KNOWN_MISSES:
            marks.append(pytest.mark.xfail(strict=True, reason=HELDOUT_KNOWN_MISSES[post["id"]]))
        yield pytest.param(post, id=post["id"], marks=marks)


def _check(post: dict) -> None:
    review = review_post(post["text"], post["account"], RULES_ONLY)
    got = (review.verdict, sorted(set(review.categories) - {"language"}))
    assert got == (post["verdict"], sorted(post["categories"])), post["text"]


@pytest.mark.parametrize("post", list(_params("dev")))
def test_dev_post(post):
    _check(post)


@pytest.mark.parametrize("post", list(_params("heldout")))
def test_heldout_post(post):
    _check(post)


def test_heldout_verdict_accuracy_is_at_least_085():
    held = [p for p in POSTS if p["split"] == "heldout"]
    right = sum(
        review_post(p["text"], p["account"], RULES_ONLY).verdict == p["verdict"] for p in held
    )
    assert right / len(held) >= 0.85, f"{right}/{len(held)}"


def test_vector_file_covers_what_the_issue_asks_for():
    assert len(POSTS) >= 200
    ids = [p["id"] for p in POSTS]
    assert len(ids) == len(set(ids))
    assert {p["split"] for p in POSTS} == {"dev", "heldout"}
    assert {p["account"] for p in POSTS} == {"personal", "professional", "joint"}
    assert {p["verdict"] for p in POSTS} == {"ok", "revise", "do_not_post", "cannot_read"}
    for split in ("dev", "heldout"):
        cats = Counter(c for p in POSTS if p["split"] == split for c in p["categories"])
        assert set(cats) == set(CATEGORIES), f"{split} lacks {set(CATEGORIES) - set(cats)}"
    texts = [p["text"] for p in POSTS]
    assert "" in texts
    assert max(len(t) for t in texts) > 900
    assert any("@" in t for t in texts) and any("#" in t for t in texts)
    assert any("https://" in t for t in texts)
    assert any(any(ord(c) > 0x1F000 for c in t) for t in texts)  # emoji
    assert any(any("\u0400" <= c <= "\u04ff" for c in t) for t in texts)  # Cyrillic
    assert any(any("\u3040" <= c <= "\u9fff" for c in t) for t in texts)  # CJK
    assert any(any("\u0590" <= c <= "\u06ff" for c in t) for t in texts)  # Hebrew/Arabic

"""The labelled corpus follows the labelling policy that rules.yml puts into numbers.

Each category's default severity on each account (``categories:`` in rules.yml) is the most a
post of that category can weigh; a rule's own severity (a casual drink, a mild word, a
business's phone) is the least. A post's verdict must lie between the worst lowest level and
the worst highest level of its categories, in every batch of both rounds and every split.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from autograder.judge.corpus_data import (
    LATER_ROUNDS,
    SECOND,
    course_rewrites,
    later_split_of,
    load_posts,
    load_rewrites,
    second_labels,
    second_round,
    second_split_of,
)
from autograder.judge.rules import DEFAULT_RULES, compile_rules

RANK = {"off": 0, "info": 0, "warning": 1, "risk": 2}
VERDICTS = ("ok", "revise", "do_not_post")
SPLITS = ("train", "dev", "test", "test2", "heldout")


def policy() -> dict[tuple[str, str], tuple[int, int]]:
    rules = compile_rules(DEFAULT_RULES, with_model=False)
    out = {}
    for cat, by_account in rules["category_severity"].items():
        for account, severity in by_account.items():
            out[(cat, account)] = (RANK[severity], RANK[severity])
    for rule in rules["rules"]:
        for account, severity in (rule.get("severity") or {}).items():
            lo, hi = out[(rule["category"], account)]
            out[(rule["category"], account)] = (min(lo, RANK[severity]), hi)
    return out


SOURCES = {"rewrites": course_rewrites, "second_labels": second_labels}


@pytest.mark.parametrize("split", [*SPLITS, *SOURCES])
def test_every_verdict_follows_the_policy(split):
    table = policy()
    wrong = []
    posts = SOURCES[split]() if split in SOURCES else load_posts(split)
    for post in posts:
        if post.verdict == "cannot_read":
            assert not post.categories, post.id
            continue
        levels = [table[(c, post.account)] for c in post.categories]
        lo = max((lvl[0] for lvl in levels), default=0)
        hi = max((lvl[1] for lvl in levels), default=0)
        if not lo <= VERDICTS.index(post.verdict) <= hi:
            wrong.append(f"{post.id}: {post.verdict} for {list(post.categories)} on {post.account}")
    assert not wrong, "\n".join(wrong[:20])


def test_no_post_is_in_two_splits_or_written_twice():
    posts = [p for split in ("train", "dev", "test", "test2") for p in load_posts(split)]
    ids = [p.id for p in posts]
    assert len(ids) == len(set(ids))
    # the same words on another account are a different post (the old vectors do that on
    # purpose); case, spacing and punctuation do not make a new one
    keys = [
        (p.account, re.sub(r"[\s!-/:-@\[-`{-~]+", " ", p.text.casefold()).strip()) for p in posts
    ]
    repeated = sorted({k for k, n in Counter(keys).items() if n > 1})
    assert not repeated, repeated[:5]


def test_the_second_round_never_reaches_the_first_test_split():
    second = {str(p["id"]) for p in second_round()}
    assert len(second) >= 2000
    assert not second & {p.id for p in load_posts("test")}
    test2 = {p.id for p in load_posts("test2")}
    assert test2 == {i for i in second if second_split_of(i) == "test2"}
    assert 0.10 < len(test2) / len(second) < 0.20
    assert sorted(p.stem for p in SECOND.glob("*.yml"))[:4] == ["g", "h", "i", "j"]


@pytest.mark.parametrize(("name", "folder"), LATER_ROUNDS)
def test_the_later_rounds_train_and_tune_but_never_reach_a_test_split(name, folder):
    later = {str(p["id"]) for p in second_round(folder)}
    assert len(later) >= 1000
    frozen = {p.id for split in ("test", "test2") for p in load_posts(split)}
    assert not later & frozen
    train, dev = ({p.id for p in load_posts(s)} & later for s in ("train", "dev"))
    assert train | dev == later and not train & dev
    assert dev == {i for i in later if later_split_of(i, name) == "dev"}
    assert 0.15 < len(dev) / len(later) < 0.25


def test_second_labels_are_of_dev_posts_only_and_never_train():
    labelled = [p.id for p in second_labels()]
    assert len(labelled) == len(set(labelled)) == 500
    assert set(labelled) <= {p.id for p in load_posts("dev")}
    frozen = {p.id for split in ("test", "test2") for p in load_posts(split)}
    assert not set(labelled) & frozen
    # an independent labelling, not a copy of the writers' labels (which would measure nothing)
    first = {p.id: (p.verdict, set(p.categories)) for p in load_posts("dev")}
    assert any(first[p.id] != (p.verdict, set(p.categories)) for p in second_labels())


def test_risky_rewrites_train_as_risky_posts_and_test_rewrites_never_train():
    rewrites = {f"rewrite:{r.id}": r for r in load_rewrites()}
    used = [p for p in course_rewrites() if p.id in rewrites]
    assert all(rewrites[p.id].split == "dev" for p in used)
    risky = [p for p in used if p.verdict != "ok"]
    assert len(risky) >= 150
    assert all(p.categories and not rewrites[p.id].passes for p in risky)

"""How well the judge does on labelled posts and rewrites: the measures the benchmark prints
and training reports on dev (the frozen test split is only ever scored, never tuned on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograder.judge.corpus_data import Post, Rewrite
from autograder.judge.posts import Rules, load_rules, review_post
from autograder.judge.rules import CATEGORIES

RISK_CATEGORIES = tuple(c for c in CATEGORIES if c != "adds_value")
FLAGGED = ("revise", "do_not_post")


@dataclass
class PostScores:
    n: int = 0
    right: int = 0
    exact: int = 0
    risky: int = 0
    caught: int = 0
    clean: int = 0
    false_alarms: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # tp, fp, fn
    misses: list[tuple[Post, str, list[str]]] = field(default_factory=list)

    @property
    def verdict(self) -> float:
        return self.right / self.n if self.n else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def caught_share(self) -> float:
        return self.caught / self.risky if self.risky else 0.0

    @property
    def flagged_share(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0

    def recall(self, cat: str) -> float | None:
        tp, _, fn = self.counts[cat]
        return tp / (tp + fn) if tp + fn else None

    def min_recall(self) -> float:
        values = [r for c in RISK_CATEGORIES if (r := self.recall(c)) is not None]
        return min(values) if values else 0.0


def score_posts(posts: list[Post], rules: Rules | None = None) -> PostScores:
    rules = rules if rules is not None else load_rules()
    s = PostScores(counts={c: [0, 0, 0] for c in CATEGORIES})
    for post in posts:
        review = review_post(post.text, post.account, rules)
        _tally(s, post, review.verdict, set(review.categories))
    return s


def score_labels(first: list[Post], second: list[Post]) -> PostScores:
    """A second labeller scored against the first, by the same measures as the judge."""
    s = PostScores(counts={c: [0, 0, 0] for c in CATEGORIES})
    by_id = {p.id: p for p in first}
    for other in second:
        _tally(s, by_id[other.id], other.verdict, set(other.categories))
    return s


def _tally(s: PostScores, post: Post, verdict: str, got: set[str]) -> None:
    want = set(post.categories)
    s.n += 1
    ok = verdict == post.verdict
    s.right += ok
    s.exact += ok and got == want
    if not ok:
        s.misses.append((post, verdict, sorted(got)))
    if post.verdict in FLAGGED:
        s.risky += 1
        s.caught += verdict in FLAGGED
    elif post.verdict == "ok":
        s.clean += 1
        s.false_alarms += verdict in FLAGGED
    if post.verdict == "cannot_read":
        return
    for c in CATEGORIES:
        if c == "off_topic_personal" and post.account == "personal":
            continue  # never reported on a personal account, so labelled there or not at will
        if c in got and c in want:
            s.counts[c][0] += 1
        elif c in got:
            s.counts[c][1] += 1
        elif c in want:
            s.counts[c][2] += 1


@dataclass
class RewriteScores:
    n: int = 0
    right: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # right, total
    misses: list[tuple[Rewrite, dict[str, Any]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 0.0


def score_rewrites(
    rewrites: list[Rewrite], posts: dict[str, dict[str, Any]], rules: Rules | None = None
) -> RewriteScores:
    from autograder.judge.rewrite import check_rewrite

    rules = rules if rules is not None else load_rules()
    s = RewriteScores()
    for r in rewrites:
        entry = posts[r.post]
        result = check_rewrite(r.text, entry["post"], entry["account"], entry["purpose"], rules)
        ok = result.passes == r.passes
        s.n += 1
        s.right += ok
        kind = s.by_kind.setdefault(r.kind, [0, 0])
        kind[0] += ok
        kind[1] += 1
        if not ok:
            s.misses.append((r, result.to_dict()))
    return s

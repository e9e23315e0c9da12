"""Rewrites still risky in softer words: a small learned check that reads a rewrite beside the
post it rewrites.

The judge reads a rewrite as a post on its own, and a rewrite that keeps the original's problem
in milder words ("one mum in particular made sure I'll remember tonight") often reads as fine on
its own. The course's own fix-the-post posts have hundreds of labelled rewrites
(``corpus/rewrites*.yml``), good ones and ones still risky or sarcastic, so for those posts one
linear model learns what the rewrites that were still not safe to post have in common: words
and word pairs, both across all posts and for each original post (a feature is counted once as
itself and once tied to the original it rewrites).

It applies only to the originals it was trained on, which it knows by a key of their words
(``original_key``): an instructor's new exercise, or a post whose text was edited, gets the
judge and the purpose check alone. Integers only, like ``model.json``'s other layers, so
``js/judge.mjs`` gives the same score: the bias plus the weights of the rewrite's distinct
feature buckets; the rewrite is flagged when the score reaches the threshold. The words that
pushed the score most are marked, a sentence at a time (``_sentence``); words the original post
has too ("Kayla", "birthday") count only when no other word weighs: they are what the rewrite
was asked to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograder.judge.learned import bucket_of, fnv1a, token_features
from autograder.judge.tokens import Token, tokenize


def original_key(text: str) -> str:
    """The original post's key: FNV-1a of its words and @mentions, folded, as 8 hex digits
    (spacing, case and punctuation do not change it; any word does)."""
    return _key(tokenize(text))


def _key(tokens: list[Token]) -> str:
    return format(fnv1a(" ".join(t.norm for t in tokens if t.kind in ("w", "m"))), "08x")


def rewrite_features(tokens: list[Token], key: str) -> list[list[str]]:
    """Each token's features: its word and the pair it starts, alone and tied to the original."""
    return [fs + [f"o|{key}|{f}" for f in fs] for fs in token_features(tokens, 0, 0)]


@dataclass(frozen=True)
class Softer:
    """The verdict of the check on one rewrite."""

    flagged: bool
    start: int
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "flagged": self.flagged,
            "start": self.start,
            "end": self.end,
            "message": self.message if self.flagged else "",
        }


@dataclass(frozen=True)
class RewriteModel:
    bits: int
    posts: frozenset[str]
    bias: int
    threshold: int
    weights: dict[int, int]

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str = "model.json") -> RewriteModel:
        index, weights = data["index"], data["weights"]
        if len(index) != len(weights):
            raise ValueError(f"{source}: the rewrite model's index and weights differ in length")
        return cls(
            bits=int(data["bits"]),
            posts=frozenset(data["posts"]),
            bias=int(data["bias"]),
            threshold=int(data["threshold"]),
            weights=dict(zip(index, weights, strict=True)),
        )

    def buckets(self, tokens: list[Token], key: str) -> list[list[int]]:
        """Each token's feature buckets (``rewrite_features``)."""
        return [[bucket_of(f, self.bits) for f in fs] for fs in rewrite_features(tokens, key)]

    def score(self, per_token: list[list[int]]) -> int:
        """The bias plus the weights of the rewrite's distinct buckets."""
        table = self.weights
        return self.bias + sum(table.get(b, 0) for b in {b for bs in per_token for b in bs})

    def parts(self, per_token: list[list[int]]) -> list[int]:
        """Each token's part of the score: its distinct buckets (its word, the pair it starts
        and the pair that ends on it)."""
        table = self.weights
        out = []
        for i, own in enumerate(per_token):
            mine = set(own)
            if i > 0:  # the pairs that end on this token (alone and tied): positions 1 and 3
                mine.update((per_token[i - 1][1], per_token[i - 1][3]))
            out.append(sum(table.get(b, 0) for b in mine))
        return out

    def check(
        self, text: str, original: str, message: str, small: frozenset[str] = frozenset()
    ) -> Softer | None:
        """None when the model was not trained on rewrites of this original."""
        original_tokens = tokenize(original)
        key = _key(original_tokens)
        if key not in self.posts:
            return None
        tokens = tokenize(text)
        if not tokens:
            return Softer(False, 0, 0, message)
        per_token = self.buckets(tokens, key)
        if self.score(per_token) < self.threshold:
            return Softer(False, 0, 0, message)
        parts = self.parts(per_token)
        kept = {_plain(t.norm) for t in original_tokens if t.kind == "w"}
        avoid = small | {t.norm for t in tokens if t.kind == "w" and _plain(t.norm) in kept}
        start, end = _sentence(tokens, parts, avoid) or _sentence(tokens, parts, small) or (0, 0)
        return Softer(True, start, end, message)


def _sentence(
    tokens: list[Token], parts: list[int], avoid: frozenset[str] | set[str]
) -> tuple[int, int] | None:
    """The sentence whose words (outside ``avoid``) push the score up most, the first of equals;
    None when no such word pushes it up. A whole sentence, not the strongest word: the model
    weighs how a rewrite says things, and one word of it ("anyway") would tell a learner little.
    """
    totals: dict[int, int] = {}
    for t, w in zip(tokens, parts, strict=True):
        if w > 0 and t.norm not in avoid:
            totals[t.sent] = totals.get(t.sent, 0) + w
    if not totals:
        return None
    best = max(totals, key=lambda n: (totals[n], -n))
    inside = [t for t in tokens if t.sent == best]
    return (inside[0].start, inside[-1].end)


def _plain(norm: str) -> str:
    """A word without its possessive ending, to compare with the original's words."""
    return norm[:-2] if norm.endswith("'s") else norm

"""The judge's learned layer: a sparse linear model over words, word pairs and letter groups.

The rules (``rules.yml``) find what they have words for. This layer reads the whole post and
scores each category, so it also finds what no list names: a description instead of a name,
sarcasm, a secret mentioned in passing. Its weights are trained by ``python -m
autograder.judge.train`` (``make judge-model``) on the labelled corpus in ``corpus/`` and kept in
``model.json``, a versioned data file reviewed like ``rules.json``; nothing is downloaded at
run time.

Why our own small model and not a library at run time: the same scores must come out of the
browser engine (``js/judge.mjs``) bit for bit, and the browser gets no Python. So the model is
integers only: every feature is a string hashed with 32-bit FNV-1a over its code points into
one of ``2**bits`` buckets, each category's score is ``bias + sum of the weights of the post's
distinct buckets``, and the thresholds are integers too. scikit-learn fits the weights; this
module and its JavaScript twin only add integers. ``RULES.md`` says how the two layers combine.

Features of a post (from the judge's own tokenizer, so both engines see the same tokens):

* ``w|x``: each word (folded), emoji, ``@`` for a mention, ``<url>``, ``<email>``;
* ``b|x|y``: each pair of neighbouring tokens;
* ``c|abc``: each group of ``char_min`` to ``char_max`` letters of ``<word>`` (0: none; the
  comparison in DESIGN.md found letter groups did not help on this corpus, so they are off);
* ``r|rule``: each rule of ``rules.yml`` that fired (the learned layer can weigh the rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from autograder.judge.tokens import Token

MODEL_FORMAT = 1
FNV_OFFSET = 2166136261
FNV_PRIME = 16777619
MAX_CHAR_WORD = 20  # longer "words" (hashes, codes) give no letter groups


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points (judge.mjs's ``fnv1a`` is the same)."""
    h = FNV_OFFSET
    for ch in text:
        h = ((h ^ ord(ch)) * FNV_PRIME) & 0xFFFFFFFF
    return h


def token_key(tok: Token) -> str:
    if tok.kind == "m":
        return "@"
    if tok.kind == "u":
        return "<url>"
    if tok.kind == "e":
        return "<email>"
    return tok.norm


def token_features(tokens: list[Token], char_min: int = 3, char_max: int = 5) -> list[list[str]]:
    """The features each token brings: its word, the pair it starts, its letter groups."""
    keys = [token_key(t) for t in tokens]
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        feats = ["w|" + keys[i]]
        if i + 1 < len(tokens):
            feats.append("b|" + keys[i] + "|" + keys[i + 1])
        if char_min > 0 and tok.kind == "w" and len(tok.norm) <= MAX_CHAR_WORD:
            padded = "<" + tok.norm + ">"
            for n in range(char_min, char_max + 1):
                for j in range(len(padded) - n + 1):
                    feats.append("c|" + padded[j : j + n])
        out.append(feats)
    return out


def post_features(tokens: list[Token], rule_ids: list[str], config: dict[str, Any]) -> list[str]:
    per_token = token_features(tokens, config["char_min"], config["char_max"])
    feats = [f for fs in per_token for f in fs]
    feats.extend("r|" + r for r in rule_ids)
    return feats


@lru_cache(maxsize=1 << 18)
def bucket_of(feature: str, bits: int) -> int:
    """The feature's bucket (cached: the same words come back in post after post)."""
    return fnv1a(feature) & ((1 << bits) - 1)


@dataclass(frozen=True)
class Model:
    """``model.json`` made ready to score: one weight table per category."""

    version: str
    bits: int
    config: dict[str, Any]
    categories: tuple[str, ...]
    bias: dict[str, int]
    threshold: dict[str, int]
    veto: dict[str, int | None]
    weights: dict[str, dict[int, int]]

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str = "model.json") -> Model:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"{source}: format must be {MODEL_FORMAT}")
        index: list[int] = data["index"]
        cats = tuple(data["categories"])
        weights: dict[str, dict[int, int]] = {}
        for cat in cats:
            pairs = data["weights"][cat]  # position in the index, weight, position, weight ...
            if len(pairs) % 2 or any(not 0 <= p < len(index) for p in pairs[::2]):
                raise ValueError(f"{source}: weights of '{cat}' do not match the index")
            weights[cat] = {index[p]: w for p, w in zip(pairs[::2], pairs[1::2], strict=True)}
        return cls(
            version=data["version"],
            bits=data["bits"],
            config=data["features"],
            categories=cats,
            bias={c: data["bias"][c] for c in cats},
            threshold={c: data["threshold"][c] for c in cats},
            veto={c: data["veto"].get(c) for c in cats},
            weights=weights,
        )

    def scores(self, tokens: list[Token], rule_ids: list[str]) -> dict[str, int]:
        sums = [self.bias[c] for c in self.categories]
        by_bucket = self._by_bucket
        for b in {bucket_of(f, self.bits) for f in post_features(tokens, rule_ids, self.config)}:
            for k, w in by_bucket.get(b, ()):
                sums[k] += w
        return dict(zip(self.categories, sums, strict=True))

    @cached_property
    def _by_bucket(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """bucket -> (category number, weight) pairs: one look-up per feature, not thirteen."""
        inverted: dict[int, list[tuple[int, int]]] = {}
        for k, cat in enumerate(self.categories):
            for b, w in self.weights[cat].items():
                inverted.setdefault(b, []).append((k, w))
        return {b: tuple(pairs) for b, pairs in inverted.items()}

    def token_weights(self, tokens: list[Token], category: str) -> list[int]:
        """How much each token pushes the category's score up (its distinct features)."""
        table = self.weights[category]
        per_token = token_features(tokens, self.config["char_min"], self.config["char_max"])
        out = []
        for i, feats in enumerate(per_token):
            own = {bucket_of(f, self.bits) for f in feats}
            if i > 0:  # the pair that ends on this token belongs to it too
                own.add(bucket_of(per_token[i - 1][1], self.bits))
            out.append(sum(table.get(b, 0) for b in sorted(own)))
        return out

    def highlight(
        self, tokens: list[Token], category: str, small: frozenset[str] = frozenset()
    ) -> tuple[int, int]:
        """The span of the words that drove a finding: the strongest token that is not a small
        linking word (``small``; any token when none of those pushes the score up), and its
        strong neighbours in the same sentence (at least half as strong)."""
        weights = self.token_weights(tokens, category)
        if not tokens:
            return (0, 0)
        content = [i for i, t in enumerate(tokens) if t.norm not in small and weights[i] > 0]
        pool = content or list(range(len(tokens)))
        best = max(pool, key=lambda i: (weights[i], -i))
        lo = hi = best
        top = weights[best]
        while (
            lo > 0 and tokens[lo - 1].sent == tokens[best].sent and 2 * weights[lo - 1] >= top > 0
        ):
            lo -= 1
        while (hi + 1 < len(tokens) and tokens[hi + 1].sent == tokens[best].sent) and 2 * weights[
            hi + 1
        ] >= top > 0:
            hi += 1
        return (tokens[lo].start, tokens[hi].end)

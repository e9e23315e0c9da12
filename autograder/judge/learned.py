"""The judge's learned layer: a sparse linear model over words, word pairs and letter groups,
with a small hidden layer over the same features beside it.

The rules (``rules.yml``) find what they have words for. This layer reads the whole post and
scores each category, so it also finds what no list names: a description instead of a name,
sarcasm, a secret mentioned in passing. Its weights are trained by ``python -m
autograder.judge.train`` (``make judge-model``) on the labelled corpus in ``corpus/`` and kept in
``model.json``, a versioned data file reviewed like ``rules.json``; nothing is downloaded at
run time.

Why our own small model and not a library at run time: the same scores must come out of the
browser engine (``js/judge.mjs``) bit for bit, and the browser gets no Python. So the model is
integers only: every feature is a string hashed with 32-bit FNV-1a over its code points into
one of ``2**bits`` buckets, each category's linear score is ``bias + sum of the weights of the
post's distinct buckets``, the hidden layer (``Hidden``) adds its integer units' votes, and the
thresholds are integers too. scikit-learn fits the weights; this
module and its JavaScript twin only add integers. ``RULES.md`` says how the two layers combine.

Features of a post (from the judge's own tokenizer, so both engines see the same tokens):

* ``w|x``: each word (folded), emoji, ``@`` for a mention, ``<url>``, ``<email>``;
* ``b|x|y``: each pair of neighbouring tokens;
* ``c|abc``: each group of ``char_min`` to ``char_max`` letters of ``<word>`` (0: none; the
  comparison in DESIGN.md found letter groups did not help on this corpus, so they are off);
* ``r|rule``: each rule of ``rules.yml`` that fired (the learned layer can weigh the rules).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise
from operator import add, mul
from typing import Any, NamedTuple

from autograder.judge.tokens import Token

MODEL_FORMAT = 4
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


# The input weights are stored one printable character each (code point INPUT_ZERO + weight,
# "#" to "}"): base64 of bytes would take 4 characters for 3 weights and hide from gzip which
# weights repeat, so the file is about a fifth smaller gzipped for the same weights.
INPUT_ZERO, INPUT_MAX = 0x50, 45
FROM_CHARS = bytes((b - INPUT_ZERO) & 0xFF for b in range(256))
STORED_CHARS = bytes(range(INPUT_ZERO - INPUT_MAX, INPUT_ZERO + INPUT_MAX + 1))

# Pure Python (the judge must run where students run the assignments, without numpy) would need
# one operation per feature and weight: too slow for 2,000 posts a second. So weights are packed
# into big integers, each weight in a lane of so many bits with an offset added so that no lane
# goes below zero; a sum of packed integers is every lane's sum at once, read back with one
# struct call. Each bucket's row (``Model._packed``) holds its linear weights, one PACKED_LANE
# lane per category, then its hidden input weights, one lane per unit, PACKED_OFFSET added; up
# to PACKED_MAX_ROWS rows no lane can overflow into the next (a longer post is summed in parts).
# The hidden layer's output weights are packed per unit (OUT_LANE bits per category, OUT_OFFSET
# added). All of this gives exactly the integers judge.mjs adds one by one.
PACKED_LANE = 32
PACKED_OFFSET = 1 << 15  # linear weights are -32767 .. 32767
PACKED_MAX_ROWS = ((1 << PACKED_LANE) - 1) // (2 * PACKED_OFFSET - 1)
OUT_LANE = 64
OUT_OFFSET = 1 << 15  # output weights are -32767 .. 32767
MAX_UNIT_SUM = ((1 << OUT_LANE) - 1) // (2 * OUT_OFFSET)


@dataclass(frozen=True)
class Hidden:
    """A small hidden layer beside the linear weights (``model.json``'s ``hidden``).

    For a post with distinct feature buckets F: unit ``j`` is
    ``relu(bias[j] + sum of input[f][j] for f in F that are in index)`` and category ``c``
    gets ``output_bias[c] + sum of unit[j] * output[c][j]``; the category's score is
    ``linear[c] * (the linear layer's score) + that``. All integers, in both engines."""

    size: int
    categories: tuple[str, ...]
    index: dict[int, int]  # bucket -> row
    raw: bytes  # the input weights, a signed byte each, row after row
    bias: tuple[int, ...]
    output: dict[str, tuple[int, ...]]
    packed_output: tuple[int, ...]  # per unit: its output weights packed (OUT_LANE bits each)
    output_bias: tuple[int, ...]
    linear: dict[str, int]

    @classmethod
    def from_data(cls, data: dict[str, Any], categories: tuple[str, ...], source: str) -> Hidden:
        size = data["size"]
        index = data["index"]
        text = data["input"]
        if not isinstance(text, str) or not text.isascii():
            raise ValueError(f"{source}: the hidden layer's input must be a string of ASCII")
        chars = text.encode("ascii")
        if chars.translate(None, STORED_CHARS):
            raise ValueError(
                f"{source}: the hidden layer's input weights must be within "
                f"-{INPUT_MAX} .. {INPUT_MAX} (characters {chr(INPUT_ZERO - INPUT_MAX)!r} "
                f"to {chr(INPUT_ZERO + INPUT_MAX)!r})"
            )
        raw = chars.translate(FROM_CHARS)  # a signed byte per weight
        if len(raw) != len(index) * size or len(data["bias"]) != size:
            raise ValueError(f"{source}: the hidden layer's input does not match its size")
        if any(len(data["output"].get(c, ())) != size for c in categories):
            raise ValueError(f"{source}: the hidden layer needs {size} output weights a category")
        output = {c: tuple(data["output"][c]) for c in categories}
        if any(abs(w) >= OUT_OFFSET for ws in output.values() for w in ws):
            raise ValueError(f"{source}: the hidden layer's output weights must be below 32768")
        packed_output = tuple(
            sum((output[c][j] + OUT_OFFSET) << (OUT_LANE * k) for k, c in enumerate(categories))
            for j in range(size)
        )
        return cls(
            size=size,
            categories=categories,
            index={b: r for r, b in enumerate(index)},
            raw=raw,
            bias=tuple(data["bias"]),
            output=output,
            packed_output=packed_output,
            output_bias=tuple(data["output_bias"][c] for c in categories),
            linear={c: data["linear"][c] for c in categories},
        )

    def add(self, sums: list[int], units: list[int]) -> None:
        """Turn ``sums`` (the linear scores, in ``categories`` order) into the final scores."""
        n = len(self.categories)
        total = sum(units)
        if total <= MAX_UNIT_SUM:
            packed = sum(map(mul, units, self.packed_output))
            lanes = struct.unpack(f"<{n}Q", packed.to_bytes(8 * n, "little"))
            hidden = [v - OUT_OFFSET * total for v in lanes]
        else:  # a post so long that the packed sums could overflow: one by one
            hidden = [
                sum(u * w for u, w in zip(units, self.output[c], strict=True))
                for c in self.categories
            ]
        for k, cat in enumerate(self.categories):
            sums[k] = self.linear[cat] * sums[k] + self.output_bias[k] + hidden[k]


class _Packed(NamedTuple):
    """Every bucket's weights packed for ``Model.read`` (see PACKED_LANE)."""

    table: dict[int, int]  # bucket -> its packed row
    lanes: int  # categories, then hidden units
    read: struct.Struct
    bias: tuple[int, ...]  # each category's bias, in order


class _Buckets(dict):  # type: ignore[type-arg]
    """A feature's bucket, worked out once and kept (up to CACHE_SIZE features, then the cache
    starts again): ``__missing__`` lets a whole post's look-ups run as one ``map``."""

    def __init__(self, compute: Callable[[Any], int]):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> int:
        if len(self) >= CACHE_SIZE:
            self.clear()
        value = self[key] = self.compute(key)
        return value


CACHE_SIZE = 1 << 18


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
    veto_rules: frozenset[str]  # the rules whose findings a veto can drop (trained with them)
    weights: dict[str, dict[int, int]]
    hidden: Hidden | None = None

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
            veto_rules=frozenset(data["veto_rules"]),
            weights=weights,
            hidden=Hidden.from_data(data["hidden"], cats, source) if data.get("hidden") else None,
        )

    def scores(self, tokens: list[Token], rule_ids: list[str]) -> dict[str, int]:
        return self.read(tokens, rule_ids)[0]

    def read(self, tokens: list[Token], rule_ids: list[str]) -> tuple[dict[str, int], list[int]]:
        """Each category's score, and the hidden units of the post (``[]`` without a hidden
        layer; ``highlight`` takes them, so that they are worked out once)."""
        if self.config["char_min"] > 0:
            buckets = {b for own in self._token_buckets(tokens) for b in own}
        else:  # words and pairs only: the same buckets without a list per token
            keys = [t.norm if t.kind == "w" else token_key(t) for t in tokens]
            buckets = set(map(self._word_buckets.__getitem__, keys))
            buckets.update(map(self._pair_buckets.__getitem__, pairwise(keys)))
        rules = self._feature_buckets
        buckets.update(rules["r|" + r] for r in rule_ids)
        packed = self._packed
        rows = [row for row in map(packed.table.get, buckets) if row is not None]
        lanes = [0] * packed.lanes
        for start in range(0, len(rows), PACKED_MAX_ROWS):  # one part unless a post is huge
            part = rows[start : start + PACKED_MAX_ROWS]
            base = len(part) * PACKED_OFFSET
            total = packed.read.unpack(sum(part).to_bytes(packed.read.size, "little"))
            lanes = [have + got - base for have, got in zip(lanes, total, strict=True)]
        n = len(self.categories)
        sums = list(map(add, packed.bias, lanes[:n]))
        units: list[int] = []
        if self.hidden is not None:
            units = [v if v > 0 else 0 for v in map(add, lanes[n:], self.hidden.bias)]
            self.hidden.add(sums, units)
        return dict(zip(self.categories, sums, strict=True)), units

    def _token_buckets(self, tokens: list[Token]) -> list[list[int]]:
        """The buckets of ``token_features``, token by token (each token's word, the pair it
        starts, its letter groups), from caches: the same words come back post after post."""
        keys = [t.norm if t.kind == "w" else token_key(t) for t in tokens]
        words = list(map(self._word_buckets.__getitem__, keys))
        pairs = list(map(self._pair_buckets.__getitem__, pairwise(keys)))
        out = [[w, p] for w, p in zip(words, pairs, strict=False)]  # the last token starts no pair
        if words:
            out.append([words[-1]])
        if self.config["char_min"] > 0:
            per_token = token_features(tokens, self.config["char_min"], self.config["char_max"])
            for own, feats in zip(out, per_token, strict=True):
                own.extend(bucket_of(f, self.bits) for f in feats[len(own) :])
        return out

    @cached_property
    def _word_buckets(self) -> _Buckets:
        return _Buckets(lambda key: bucket_of("w|" + key, self.bits))

    @cached_property
    def _pair_buckets(self) -> _Buckets:
        return _Buckets(lambda pair: bucket_of("b|" + pair[0] + "|" + pair[1], self.bits))

    @cached_property
    def _feature_buckets(self) -> _Buckets:
        return _Buckets(lambda feature: bucket_of(feature, self.bits))

    @cached_property
    def _packed(self) -> _Packed:
        """Every bucket's linear weights and hidden input weights in one integer (see
        ``PACKED_LANE``): a post's scores are one sum and one struct call, not a loop."""
        n = len(self.categories)
        hidden = self.hidden
        size = hidden.size if hidden is not None else 0
        rows: dict[int, list[int]] = {}
        for k, cat in enumerate(self.categories):
            for b, w in self.weights[cat].items():
                rows.setdefault(b, [0] * (n + size))[k] = w
        if hidden is not None:
            for b, r in hidden.index.items():
                row = rows.setdefault(b, [0] * (n + size))
                row[n:] = struct.unpack_from(f"{size}b", hidden.raw, r * size)
        if any(abs(w) >= PACKED_OFFSET for row in rows.values() for w in row):
            raise ValueError(
                f"model {self.version}: weights must be within -{PACKED_OFFSET - 1} "
                f".. {PACKED_OFFSET - 1}"
            )
        lanes = n + size
        read = struct.Struct(f"<{lanes}I")
        table = {
            b: int.from_bytes(
                struct.pack(f"<{lanes}I", *(w + PACKED_OFFSET for w in row)), "little"
            )
            for b, row in rows.items()
        }
        bias = tuple(self.bias[c] for c in self.categories)
        return _Packed(table, lanes, read, bias)

    def token_weights(
        self, tokens: list[Token], category: str, units: list[int] | None = None
    ) -> list[int]:
        """How much each token pushes the category's score up (its distinct features): its
        linear weights and, with a hidden layer, what its input weights give through the units
        that are on for this post (``units``, from ``read``; each unit's output weight for the
        category), in the same units as the score."""
        n = len(self.categories)
        # what one unit of each lane of a packed row is worth to this category's score
        worth = [0] * self._packed.lanes
        worth[self.categories.index(category)] = 1
        hidden = self.hidden
        if hidden is not None:
            if units is None:
                units = self.read(tokens, [])[1]
            worth[n:] = [w if u else 0 for w, u in zip(hidden.output[category], units, strict=True)]
            worth[self.categories.index(category)] = hidden.linear[category]
        offsets = sum(worth)
        table, read = self._packed.table, self._packed.read
        per_token = self._token_buckets(tokens)
        out = []
        for i, own in enumerate(per_token):
            mine = set(own)
            if i > 0:  # the pair that ends on this token belongs to it too
                mine.add(per_token[i - 1][1])
            rows = [row for row in map(table.get, mine) if row is not None]
            if not rows:
                out.append(0)
                continue
            lanes = read.unpack(sum(rows).to_bytes(read.size, "little"))
            out.append(sum(map(mul, lanes, worth)) - len(rows) * PACKED_OFFSET * offsets)
        return out

    def highlight(
        self,
        tokens: list[Token],
        category: str,
        small: frozenset[str] = frozenset(),
        units: list[int] | None = None,
    ) -> tuple[int, int]:
        """The span of the words that drove a finding: the strongest token that is not a small
        linking word (``small``; any token when none of those pushes the score up), and its
        strong neighbours in the same sentence (at least half as strong). ``units``: the post's
        hidden units from ``read`` (worked out again when not given, with no rule features)."""
        weights = self.token_weights(tokens, category, units)
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

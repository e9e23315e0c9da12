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
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import add, mul
from typing import Any

from autograder.judge.tokens import Token

MODEL_FORMAT = 3
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


# The hidden layer adds each feature's row of small integers to every hidden unit, then each
# unit's value times its output weight to every category. Pure Python (the judge must run where
# students run the assignments, without numpy) would need one operation per feature and unit,
# and per unit and category: too slow for 2,000 posts a second. So rows are packed: each row is
# one big integer, LANE bits per unit, every weight stored with OFFSET added so that no lane goes
# below zero; a post's rows are summed in one addition each, and the lanes are read back with one
# struct call. The output weights are packed the same way per unit (OUT_LANE bits per category,
# OUT_OFFSET added). Up to MAX_FEATURES rows no lane can overflow into the next; a longer post
# is summed in parts. All of this gives exactly the integers judge.mjs adds one by one.
LANE = 32
OFFSET = 128  # room for input weights of -127 .. 127 (stored ones are within INPUT_MAX)
FLIP_TOP_BIT = bytes(b ^ 0x80 for b in range(256))
# The input weights are stored one printable character each (code point INPUT_ZERO + weight,
# "#" to "}"): base64 of bytes would take 4 characters for 3 weights and hide from gzip which
# weights repeat, so the file is about a fifth smaller gzipped for the same weights.
INPUT_ZERO, INPUT_MAX = 0x50, 45
FROM_CHARS = bytes((b - INPUT_ZERO) & 0xFF for b in range(256))
STORED_CHARS = bytes(range(INPUT_ZERO - INPUT_MAX, INPUT_ZERO + INPUT_MAX + 1))
MAX_FEATURES = ((1 << LANE) - 1) // (2 * OFFSET - 1)
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
    rows: tuple[int, ...]  # each row packed (LANE bits per unit, OFFSET added)
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
        # A weight w stored as the byte (w mod 256) becomes w + OFFSET by flipping its top bit;
        # spread over LANE bits (little-endian), each row is read as one integer.
        step = LANE // 8
        lanes = bytearray(len(raw) * step)
        lanes[::step] = raw.translate(FLIP_TOP_BIT)
        width = size * step
        rows = tuple(
            int.from_bytes(lanes[r * width : (r + 1) * width], "little") for r in range(len(index))
        )
        packed_output = tuple(
            sum((output[c][j] + OUT_OFFSET) << (OUT_LANE * k) for k, c in enumerate(categories))
            for j in range(size)
        )
        return cls(
            size=size,
            categories=categories,
            index={b: r for r, b in enumerate(index)},
            raw=raw,
            rows=rows,
            bias=tuple(data["bias"]),
            output=output,
            packed_output=packed_output,
            output_bias=tuple(data["output_bias"][c] for c in categories),
            linear={c: data["linear"][c] for c in categories},
        )

    def units(self, buckets: set[int]) -> list[int]:
        return self.units_of_rows(
            [self.rows[r] for b in buckets if (r := self.index.get(b)) is not None]
        )

    def units_of_rows(self, rows: list[int]) -> list[int]:
        """The units for a post whose features have these packed rows."""
        lanes = [0] * self.size
        read = struct.Struct(f"<{self.size}I")
        for start in range(0, len(rows), MAX_FEATURES):
            part = rows[start : start + MAX_FEATURES]
            base = len(part) * OFFSET
            total = read.unpack(sum(part).to_bytes(read.size, "little"))
            lanes = [have + got - base for have, got in zip(lanes, total, strict=True)]
        return [v if v > 0 else 0 for v in map(add, lanes, self.bias)]

    def weights_of(self, bucket: int) -> tuple[int, ...] | None:
        """A bucket's input weights (None when the bucket has no row)."""
        r = self.index.get(bucket)
        if r is None:
            return None
        return struct.unpack_from(f"{self.size}b", self.raw, r * self.size)

    def add(self, sums: list[int], units: list[int]) -> None:
        """Turn ``sums`` (the linear scores, in ``categories`` order) into the final scores."""
        n = len(self.categories)
        total = sum(units)
        if total <= MAX_UNIT_SUM:
            packed = sum(u * p for u, p in zip(units, self.packed_output, strict=True) if u)
            lanes = struct.unpack(f"<{n}Q", packed.to_bytes(8 * n, "little"))
            hidden = [v - OUT_OFFSET * total for v in lanes]
        else:  # a post so long that the packed sums could overflow: one by one
            hidden = [
                sum(u * w for u, w in zip(units, self.output[c], strict=True))
                for c in self.categories
            ]
        for k, cat in enumerate(self.categories):
            sums[k] = self.linear[cat] * sums[k] + self.output_bias[k] + hidden[k]


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
            weights=weights,
            hidden=Hidden.from_data(data["hidden"], cats, source) if data.get("hidden") else None,
        )

    def scores(self, tokens: list[Token], rule_ids: list[str]) -> dict[str, int]:
        return self.read(tokens, rule_ids)[0]

    def read(self, tokens: list[Token], rule_ids: list[str]) -> tuple[dict[str, int], list[int]]:
        """Each category's score, and the hidden units of the post (``[]`` without a hidden
        layer; ``highlight`` takes them, so that they are worked out once)."""
        sums = [self.bias[c] for c in self.categories]
        entries = self._entries
        rows = []
        for b in {bucket_of(f, self.bits) for f in post_features(tokens, rule_ids, self.config)}:
            entry = entries.get(b)
            if entry is None:
                continue
            for k, w in entry[0]:
                sums[k] += w
            if entry[1]:
                rows.append(entry[1])
        units: list[int] = []
        if self.hidden is not None:
            units = self.hidden.units_of_rows(rows)
            self.hidden.add(sums, units)
        return dict(zip(self.categories, sums, strict=True)), units

    @cached_property
    def _entries(self) -> dict[int, tuple[tuple[tuple[int, int], ...], int]]:
        """bucket -> its linear (category number, weight) pairs and its packed hidden row (0
        when it has none; a real row is never 0, every lane holds at least 1): one look-up per
        feature for both layers."""
        rows = self.hidden.index if self.hidden is not None else {}
        packed = self.hidden.rows if self.hidden is not None else ()
        out = {b: (pairs, 0) for b, pairs in self._by_bucket.items()}
        for b, r in rows.items():
            out[b] = (out[b][0] if b in out else (), packed[r])
        return out

    @cached_property
    def _by_bucket(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """bucket -> (category number, weight) pairs: one look-up per feature, not thirteen."""
        inverted: dict[int, list[tuple[int, int]]] = {}
        for k, cat in enumerate(self.categories):
            for b, w in self.weights[cat].items():
                inverted.setdefault(b, []).append((k, w))
        return {b: tuple(pairs) for b, pairs in inverted.items()}

    def token_weights(
        self, tokens: list[Token], category: str, units: list[int] | None = None
    ) -> list[int]:
        """How much each token pushes the category's score up (its distinct features): its
        linear weights and, with a hidden layer, what its input weights give through the units
        that are on for this post (``units``, from ``read``; each unit's output weight for the
        category), in the same units as the score."""
        table = self.weights[category]
        per_token = token_features(tokens, self.config["char_min"], self.config["char_max"])
        hidden = self.hidden
        linear = 1
        through: list[int] = []
        if hidden is not None:
            if units is None:
                feats = post_features(tokens, [], self.config)
                units = hidden.units({bucket_of(f, self.bits) for f in feats})
            through = [w if u else 0 for w, u in zip(hidden.output[category], units, strict=True)]
            linear = hidden.linear[category]
        bits = self.bits
        owns = []
        for i, feats in enumerate(per_token):
            own = {bucket_of(f, bits) for f in feats}
            if i > 0:  # the pair that ends on this token belongs to it too
                own.add(bucket_of(per_token[i - 1][1], bits))
            owns.append(own)
        # each distinct bucket's part, worked out once (a pair belongs to two tokens)
        weight_of = {b: linear * table.get(b, 0) for b in set().union(*owns)}
        if hidden is not None and any(through):
            for b in weight_of:
                row = hidden.weights_of(b)
                if row is not None:
                    weight_of[b] += sum(map(mul, row, through))
        return [sum(weight_of[b] for b in own) for own in owns]

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

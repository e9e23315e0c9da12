"""Train the rewrite check's softer-words model (``softer.py``): the ``rewrite`` part of
``model.json``.

    python -m autograder.judge.train_softer   # refit it alone, in seconds, into model.json

``python -m autograder.judge.train`` (``make judge-model``) runs it too. The training rows are
the dev rewrites of the course's own fix-the-post posts (``corpus/rewrites*.yml``; the test
split's rewrites are never read): the good ones (label 0) and the ones still risky in softer
words or sarcastic (label 1), and each sentence of a good rewrite as a good row worth half a
rewrite (``sentences``). Rewrites that lost the purpose, word salad and too-short ones are left
out: the purpose and length checks deal with them, and the model's message speaks only of risk.
One logistic regression (scikit-learn, C = ``C``, the two labels weighted equally over whole
rewrites), weights rounded to integers (1.0 becomes 1,000) and the smallest dropped
(``MIN_WEIGHT``). The threshold
(``THRESHOLD``: flagged when the model gives at least 3 to 1 that the rewrite is still risky)
and C were chosen on 5-fold out-of-fold scores of the dev rewrites, weighing each good rewrite
wrongly failed as two mistakes (see DESIGN.md, "Rewrites read beside their original").
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from autograder.judge.corpus_data import Rewrite, load_rewrites
from autograder.judge.course_posts import fix_posts
from autograder.judge.learned import bucket_of
from autograder.judge.softer import RewriteModel, original_key, rewrite_features
from autograder.judge.tokens import Token, tokenize

HERE = Path(__file__).resolve().parent
BITS = 18
SCALE = 1000
C = 2.0
THRESHOLD = 1099  # log(3) * SCALE: at least 3 to 1 that the rewrite is still risky
MIN_WEIGHT = 30  # rounded weights below 0.03 dropped: 16,600 weights, not 26,000, same check
RISKY_KINDS = ("still_risky", "sarcastic")
KINDS = ("good", *RISKY_KINDS)
FOLDS = 5
SENTENCE_MIN_WORDS = 3
SENTENCE_WEIGHT = 0.5


def training_rows() -> list[tuple[Rewrite, str, int]]:
    """(rewrite, its original's key, label) for the dev rewrites of the kinds the model reads,
    and each sentence of a good rewrite as a good row of its own (``sentences``)."""
    table = fix_posts()
    rows = []
    for r in load_rewrites("dev"):
        if r.kind in KINDS:
            key = original_key(table[r.post]["post"])
            rows.append((r, key, int(r.kind in RISKY_KINDS)))
            if r.kind == "good":
                rows += [(part, key, 0) for part in sentences(r)]
    return rows


def sentences(r: Rewrite) -> list[Rewrite]:
    """The sentences of a good rewrite with at least SENTENCE_MIN_WORDS words, when it has two
    or more: part of a good post is fine to post too. Without them the model learned that
    plain, short rewrites ("Kitchen job today, cabinets going in!") were risky, because the
    good rewrites were longer and had more linking words."""
    tokens = tokenize(r.text)
    groups: dict[int, list[Token]] = {}
    for t in tokens:
        groups.setdefault(t.sent, []).append(t)
    if len(groups) < 2:
        return []
    out = []
    for n, group in sorted(groups.items()):
        if sum(t.kind == "w" for t in group) >= SENTENCE_MIN_WORDS:
            text = r.text[group[0].start : group[-1].end]
            out.append(replace(r, id=f"{r.id}#{n}", text=text))
    return out


def _matrix(rows: list[tuple[Rewrite, str, int]]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for r, key, _ in rows:
        feats = {bucket_of(f, BITS) for fs in rewrite_features(tokenize(r.text), key) for f in fs}
        indices.extend(sorted(feats))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), 1 << BITS))


def fit(rows: list[tuple[Rewrite, str, int]], c: float = C) -> dict[str, Any]:
    """The ``rewrite`` part of model.json, fitted on ``rows``."""
    y = np.array([label for _, _, label in rows])
    whole = np.array(["#" not in r.id for r, _, _ in rows])
    # classes balanced over whole rewrites; a sentence row counts SENTENCE_WEIGHT of a rewrite
    share = {k: len(y[whole]) / (2 * max(1, int((y[whole] == k).sum()))) for k in (0, 1)}
    weight = np.array([share[k] for k in y]) * np.where(whole, 1.0, SENTENCE_WEIGHT)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(_matrix(rows), y, sample_weight=weight)
    weights = np.rint(model.coef_[0] * SCALE).astype(np.int64)
    index = [int(b) for b in np.flatnonzero(np.abs(weights) >= MIN_WEIGHT)]
    return {
        "about": (
            "Rewrites of the course's fix-the-post posts that are still risky in softer words "
            "(softer.py; trained by train_softer.py on the dev rewrites)."
        ),
        "bits": BITS,
        "posts": sorted({key for _, key, _ in rows}),
        "bias": round(float(model.intercept_[0]) * SCALE),
        "threshold": THRESHOLD,
        "index": index,
        "weights": [int(weights[b]) for b in index],
    }


def fold_of(r: Rewrite) -> int:
    """A rewrite's fold; its sentences go with it."""
    parent = r.id.split("#")[0]
    return int(hashlib.sha256(("rw:" + parent).encode()).hexdigest(), 16) % FOLDS


def out_of_fold(rows: list[tuple[Rewrite, str, int]], c: float = C) -> list[int]:
    """Each row's integer score from a model fitted without its fold."""
    scores = [0] * len(rows)
    folds = [fold_of(r) for r, _, _ in rows]
    for k in range(FOLDS):
        draft = RewriteModel.from_data(
            fit([x for x, f in zip(rows, folds, strict=True) if f != k], c)
        )
        for i, ((r, key, _), f) in enumerate(zip(rows, folds, strict=True)):
            if f == k:
                scores[i] = draft.score(draft.buckets(tokenize(r.text), key))
    return scores


def main(argv: list[str] | None = None) -> int:
    path = Path((argv or sys.argv[1:] or [str(HERE / "model.json")])[0])
    rows = training_rows()
    scores = out_of_fold(rows)
    for kind in KINDS:
        whole = [(r, s) for (r, _, _), s in zip(rows, scores, strict=True) if "#" not in r.id]
        mine = [s for r, s in whole if r.kind == kind]
        flagged = sum(s >= THRESHOLD for s in mine)
        print(f"out of fold, {kind}: {flagged} of {len(mine)} flagged as still risky")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rewrite"] = fit(rows)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote the rewrite model ({len(data['rewrite']['index'])} weights) into {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

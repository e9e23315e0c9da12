"""Train the judge's learned layer (``make judge-model``): writes ``model.json``.

    python -m autograder.judge.train            # train on corpus/train, tune on corpus/dev
    python -m autograder.judge.train --compare  # also print the design comparison (DESIGN.md)

The corpus (``corpus/``) has three splits: ``train`` fits the weights, ``dev`` chooses each
category's threshold and veto, and ``test`` is frozen: it is never read here. The weights are
fitted with scikit-learn's logistic regression (one model per category, classes balanced), then
rounded to integers (``SCALE``) and pruned to the ``KEEP`` strongest per category, so that both
engines add the same integers (see ``learned.py``). A hidden layer of ``HIDDEN`` units over the
same features (``fit_hidden``) is fitted beside it and stored in integers too (``hidden_data``).
Same corpus, same settings: same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from autograder.judge.corpus_data import CORPUS, Post, course_rewrites, load_posts
from autograder.judge.learned import (
    INPUT_MAX,
    INPUT_ZERO,
    MODEL_FORMAT,
    Model,
    bucket_of,
    post_features,
)
from autograder.judge.posts import VERDICTS, Rules, review_post
from autograder.judge.rules import CATEGORIES as RULE_CATEGORIES
from autograder.judge.rules import DEFAULT_RULES, compile_rules
from autograder.judge.tokens import tokenize

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "model.json"
MODEL_VERSION = "2026.12.8"
BITS = 18
SCALE = 1000  # weight 1.0 becomes 1000
KEEP = 2500  # strongest weights kept per category
C = 8.0  # inverse regularisation strength, chosen on dev (see DESIGN.md)
FEATURES = {"char_min": 0, "char_max": 0}  # words and word pairs only (see DESIGN.md)
# The learned layer scores every category of rules.yml.
CATEGORIES = RULE_CATEGORIES
FOLDS = 5
HIDDEN = 32  # hidden units (0: the linear layer alone), see DESIGN.md
HIDDEN_EPOCHS = 12
HIDDEN_MIN_POSTS = 5  # features in fewer training posts get no hidden weights (file size)
IN_SCALE, OUT_SCALE = 64, 32  # the hidden layer's integers (see hidden_data)
LINEAR_WEIGHT = 2  # SCALE * 2 is about IN_SCALE * OUT_SCALE: both layers' logits count alike
# What a veto pays for each true finding it drops, in right verdicts. A dropped finding loses its
# explanation even where another finding keeps the verdict, and a dropped insult ("My sergeant is
# a clown.") teaches the wrong lesson, so a veto must put right more than three verdicts for each
# one. Chosen on the out-of-fold scores (DESIGN.md, "Vetoes chosen with the thresholds").
DROP_COST = 3.0
# The cut-offs are the median of their choice on this many resamples of the tuning posts. The
# aim is flat near its best, so one choice moves a lot with a few posts (retrained with two more
# rules, alcohol's threshold moved by a third); the median moves less and, tuned on one half of
# the folds, scored 0.001 to 0.006 better on the other (DESIGN.md, "Cut-offs from resamples").
CUTOFF_RESAMPLES = 25
FALSE_ALARM_COST = 1.0  # in right verdicts, chosen on the cross-validated scores (DESIGN.md)
# Categories that never make a post worse than "ok" on some account: a post known only to be
# fine to post says nothing about them.
INFO_CATEGORIES = ("adds_value", "off_topic_personal", "business_spam")


def rules_only() -> Rules:
    return Rules(compile_rules(DEFAULT_RULES, with_model=False))


def rule_ids(rules: Rules, post: Post) -> list[str]:
    return sorted({f.rule for f in review_post(post.text, post.account, rules).findings})


def features_of(post: Post, ids: list[str], config: dict[str, int] | None = None) -> list[int]:
    feats = post_features(tokenize(post.text), ids, config or FEATURES)
    return sorted({bucket_of(f, BITS) for f in feats})


def matrix(rows: Iterable[list[int]]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for row in rows:
        indices.extend(row)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, 1 << BITS))


def target(post: Post, cat: str) -> int | None:
    """1 or 0, or None when the post says nothing about the category (not used to train)."""
    if post.verdict == "cannot_read":
        return None
    if cat == "off_topic_personal" and post.account == "personal":
        return None  # never reported on a personal account, so never labelled there
    if post.partial and cat in INFO_CATEGORIES:
        return None
    return int(cat in post.categories)


def fit(x: sparse.csr_matrix, posts: list[Post], c: float = C) -> dict[str, Any]:
    weights: dict[str, dict[int, int]] = {}
    bias: dict[str, int] = {}
    for cat in CATEGORIES:
        rows = [i for i, p in enumerate(posts) if target(p, cat) is not None]
        y = np.array([target(posts[i], cat) for i in rows])
        if y.sum() < 3:
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
        model.fit(x[rows], y)
        coef = model.coef_[0]
        strongest = np.argsort(-np.abs(coef))[:KEEP]
        table = {int(b): round(float(coef[b]) * SCALE) for b in strongest}
        weights[cat] = {b: w for b, w in table.items() if w}
        bias[cat] = round(float(model.intercept_[0]) * SCALE)
    return {"weights": weights, "bias": bias}


def fit_hidden(
    x: sparse.csr_matrix, posts: list[Post], size: int = HIDDEN, seed: int = 0
) -> dict[str, Any]:
    """A hidden layer of ``size`` ReLU units shared by every category, on the same features.

    Why our own few lines of numpy and not scikit-learn's MLPClassifier: a post says nothing
    about some categories (``target`` is None), and the loss must skip those (a mask), with
    classes balanced per category as in ``fit``; MLPClassifier has neither. Adam, mini-batches
    of 32, features dropped at random (0.2) while training, a fixed seed: the same posts give
    the same weights. Features seen in fewer than HIDDEN_MIN_POSTS posts are left out (they cannot
    generalise, and they would make the file larger)."""
    rng = np.random.default_rng(seed)
    cols = np.where(np.asarray((x > 0).sum(0)).ravel() >= HIDDEN_MIN_POSTS)[0]
    xs = x[:, cols].tocsr()
    n = xs.shape[0]
    y = np.zeros((n, len(CATEGORIES)), np.float32)
    mask = np.zeros_like(y)
    for i, p in enumerate(posts):
        for k, cat in enumerate(CATEGORIES):
            t = target(p, cat)
            if t is not None:
                y[i, k], mask[i, k] = t, 1
    pos, neg = (y * mask).sum(0), ((1 - y) * mask).sum(0)
    balance = np.where(pos > 0, neg / np.maximum(pos, 1), 1).astype(np.float32)
    w1 = (rng.standard_normal((len(cols), size)) * 0.05).astype(np.float32)
    w2 = (rng.standard_normal((size, len(CATEGORIES))) * 0.1).astype(np.float32)
    params = [w1, np.zeros(size, np.float32), w2, np.zeros(len(CATEGORIES), np.float32)]
    m1 = [np.zeros_like(q) for q in params]
    m2 = [np.zeros_like(q) for q in params]
    step = 0
    for _ in range(HIDDEN_EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start : start + 32]
            xb = xs[rows].copy()
            xb.data = (rng.random(xb.data.shape) > 0.2).astype(np.float32) / 0.8
            h = xb @ params[0] + params[1]
            a = np.maximum(h, 0)
            out = expit(a @ params[2] + params[3])  # no overflow warning when saturated
            weight = mask[rows] * np.where(y[rows] > 0, balance, 1)
            dz = (out - y[rows]) * weight / len(rows)
            dh = (dz @ params[2].T) * (h > 0)
            grads = [np.asarray(xb.T @ dh), dh.sum(0), a.T @ dz, dz.sum(0)]
            step += 1
            for k, (q, g) in enumerate(zip(params, grads, strict=True)):
                m1[k] = 0.9 * m1[k] + 0.1 * g
                m2[k] = 0.999 * m2[k] + 0.001 * g * g
                q -= 2e-3 * (m1[k] / (1 - 0.9**step)) / (np.sqrt(m2[k] / (1 - 0.999**step)) + 1e-8)
    return {"cols": cols, "params": params}


def hidden_data(hidden: dict[str, Any]) -> dict[str, Any]:
    """The hidden layer in integers, on fixed scales so that the thresholds chosen on the
    cross-validation models' scores mean the same for the final model: input weights times
    ``IN_SCALE`` (kept within -INPUT_MAX..INPUT_MAX, one character each), output weights
    times ``OUT_SCALE``, so a category's hidden score is ``IN_SCALE * OUT_SCALE`` times its
    float value, and the linear layer's score (``SCALE`` times its float) is weighed by
    ``LINEAR_WEIGHT`` to count about the same."""
    w1, b1, w2, b2 = hidden["params"]
    q1 = np.clip(np.round(w1 * IN_SCALE), -INPUT_MAX, INPUT_MAX).astype(np.int16)
    cats = list(CATEGORIES)
    return {
        "size": int(w1.shape[1]),
        "index": [int(b) for b in hidden["cols"]],
        "input": (q1 + INPUT_ZERO).astype(np.uint8).tobytes().decode("ascii"),
        "bias": [round(float(v) * IN_SCALE) for v in b1],
        "output": {c: [round(float(v) * OUT_SCALE) for v in w2[:, k]] for k, c in enumerate(cats)},
        "output_bias": {c: round(float(b2[k]) * IN_SCALE * OUT_SCALE) for k, c in enumerate(cats)},
        "linear": {c: LINEAR_WEIGHT for c in cats},
    }


def to_data(
    fitted: dict[str, Any],
    threshold: dict[str, int],
    veto: dict[str, int],
    config: dict[str, int] | None = None,
    hidden: dict[str, Any] | None = None,
    veto_rules: list[str] | None = None,
) -> dict[str, Any]:
    """``model.json``'s content. ``veto_rules`` are the rules that fired on the training posts:
    only their findings can be vetoed, so a rule an instructor adds later always counts."""
    cats = [c for c in CATEGORIES if c in fitted["weights"]]
    index = sorted({b for c in cats for b in fitted["weights"][c]})
    return {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "about": "Trained by python -m autograder.judge.train on corpus/train, tuned on "
        "corpus/dev; see autograder/judge/DESIGN.md. Integers: weight 1.0 = "
        f"{SCALE}.",
        "bits": BITS,
        "features": config or FEATURES,
        "categories": cats,
        "bias": {c: fitted["bias"][c] for c in cats},
        "threshold": {c: threshold.get(c, 0) for c in cats},
        "veto": {c: veto[c] for c in cats if c in veto},
        "veto_rules": veto_rules or [],
        "index": index,
        "weights": {c: _pairs(fitted["weights"][c], index) for c in cats},
        "hidden": hidden,
    }


def _pairs(table: dict[int, int], index: list[int]) -> list[int]:
    where = {b: i for i, b in enumerate(index)}
    out: list[int] = []
    for b in sorted(table):
        out += [where[b], table[b]]
    return out


RANK = {"off": -1, "info": 0, "warning": 1, "risk": 2}
NO_VETO = int(np.iinfo(np.int64).min)  # a veto no score is at or below


def _verdict(
    post: Post,
    rule_sev: dict[str, str],
    scores: dict[str, int],
    threshold: dict[str, int],
    veto: dict[str, int],
    sev: dict[str, dict[str, str]],
) -> str:
    """The verdict the engines give (posts.py's ``_learned``): a rule finding stays unless its
    category's score is at or below the veto; a category without one is added at the threshold."""
    top = 0
    for cat, score in scores.items():
        v = veto.get(cat)
        if cat in rule_sev and (v is None or score > v):
            top = max(top, RANK[rule_sev[cat]])
        elif score >= threshold[cat]:
            top = max(top, RANK[sev[cat][post.account]])
    for cat, severity in rule_sev.items():
        if cat not in scores:
            top = max(top, RANK[severity])
    return VERDICTS[max(top, 0)]


def choose_cutoffs(
    rules: Rules,
    posts: list[Post],
    scores: list[dict[str, int]],
    rule_sev: list[dict[str, str]],
    rounds: int = 4,
    drop_cost: float = DROP_COST,
) -> tuple[dict[str, int], dict[str, int]]:
    """Each category's threshold (the learned layer adds the category at or above it) and veto
    (a rule finding of the category is dropped at or below it), chosen together by coordinate
    ascent on the tuning posts' out-of-fold scores. The aim is right verdicts, less
    FALSE_ALARM_COST for each clean post flagged (a false alarm tells a learner that a good post
    is wrong, which costs more than a miss) and ``drop_cost`` for each finding a veto drops from a
    post labelled with its category. Ties keep the higher threshold and the lower veto
    (the learned layer changes only what it must). Vectorised with numpy: every candidate is
    tried on every tuning post, as ``_verdict`` would judge it, in a few seconds."""
    sev = rules.category_severity
    cats = list(scores[0]) if scores else []
    usable = [i for i, p in enumerate(posts) if p.verdict != "cannot_read"]
    s = np.array([[scores[i][c] for c in cats] for i in usable], dtype=np.int64).reshape(
        -1, len(cats)
    )
    learned = np.array([[RANK[sev[c][posts[i].account]] for c in cats] for i in usable]).reshape(
        s.shape
    )
    found = np.array(
        [[RANK[rule_sev[i][c]] if c in rule_sev[i] else -1 for c in cats] for i in usable]
    ).reshape(s.shape)
    want = np.array([VERDICTS.index(posts[i].verdict) for i in usable])
    clean = want == 0
    labelled = np.array([[c in posts[i].categories for c in cats] for i in usable]).reshape(s.shape)
    true_found = (found >= 0) & labelled

    def dropped(k: int, v: int) -> int:
        return int((true_found[:, k] & (s[:, k] <= v)).sum())

    threshold = s.max(0) + 1 if len(s) else np.zeros(len(cats), np.int64)
    veto = np.full(len(cats), NO_VETO)

    def column(k: int, t: int, v: int) -> np.ndarray:
        kept = (found[:, k] >= 0) & (s[:, k] > v)
        return np.where(kept, found[:, k], np.where(s[:, k] >= t, learned[:, k], -1))

    def value(top: np.ndarray) -> float:
        got = np.maximum(top, 0)
        return 2 * int((got == want).sum()) - 2 * FALSE_ALARM_COST * int((clean & (got > 0)).sum())

    def spread(values: np.ndarray) -> np.ndarray:
        values = np.unique(values)
        return values[:: max(1, len(values) // 200)]

    parts = np.stack([column(k, threshold[k], veto[k]) for k in range(len(cats))], 1)
    lost = np.zeros(len(cats))  # what each category's veto costs in true findings dropped
    best = value(parts.max(1)) if len(cats) else 0.0
    for _ in range(rounds):
        changed = False
        for k in range(len(cats)):
            others = np.delete(parts, k, axis=1).max(1) if len(cats) > 1 else np.full(len(s), -1)
            rest = lost.sum() - lost[k]
            for t in [*spread(s[:, k]), s[:, k].max() + 1]:
                a = value(np.maximum(others, column(k, t, veto[k]))) - rest - lost[k]
                if a > best or (a == best and t > threshold[k]):
                    best, threshold[k], changed = a, t, True
            fired = s[found[:, k] >= 0, k]
            for v in [NO_VETO, *spread(fired)]:
                cost = 2 * drop_cost * dropped(k, v)
                a = value(np.maximum(others, column(k, threshold[k], v))) - rest - cost
                if a > best or (a == best and v < veto[k]):
                    best, veto[k], lost[k], changed = a, v, cost, True
            parts[:, k] = column(k, threshold[k], veto[k])
        if not changed:
            break
    return (
        {c: int(threshold[k]) for k, c in enumerate(cats)},
        {c: int(veto[k]) for k, c in enumerate(cats) if veto[k] != NO_VETO},
    )


def resampled_cutoffs(
    rules: Rules,
    posts: list[Post],
    scores: list[dict[str, int]],
    rule_sev: list[dict[str, str]],
    resamples: int = CUTOFF_RESAMPLES,
    seed: int = 0,
) -> tuple[dict[str, int], dict[str, int]]:
    """``choose_cutoffs`` on ``resamples`` bootstrap resamples of the tuning posts, and each
    cut-off's median. A category gets a veto only when most resamples give it one (a missing
    veto counts as the lowest). With one resample or fewer, the posts as they are."""
    if resamples <= 1 or not posts:
        return choose_cutoffs(rules, posts, scores, rule_sev)
    rng = np.random.default_rng(seed)
    thresholds, vetoes = [], []
    for _ in range(resamples):
        pick = rng.integers(0, len(posts), len(posts))
        t, v = choose_cutoffs(
            rules, [posts[i] for i in pick], [scores[i] for i in pick], [rule_sev[i] for i in pick]
        )
        thresholds.append(t)
        vetoes.append(v)
    cats = list(scores[0])
    threshold = {c: int(np.median([t[c] for t in thresholds])) for c in cats}
    veto = {}
    for c in cats:
        middle = sorted(v.get(c, NO_VETO) for v in vetoes)[len(vetoes) // 2]
        if middle != NO_VETO:
            veto[c] = middle
    return threshold, veto


def rule_findings(base: Rules, post: Post) -> tuple[dict[str, str], list[str]]:
    """What the rules alone say of a post: the worst severity of each category found, and the
    ids of the rules that fired."""
    review = review_post(post.text, post.account, base)
    worst: dict[str, str] = {}
    for f in review.findings:
        if RANK[f.severity] > RANK.get(worst.get(f.category, "off"), -1):
            worst[f.category] = f.severity
    return worst, sorted({f.rule for f in review.findings})


def _tuning_rows(
    base: Rules, model: Model, posts: list[Post]
) -> tuple[list[set[str]], list[dict[str, int]], list[dict[str, str]]]:
    found, scores, sev = [], [], []
    for p in posts:
        worst, ids = rule_findings(base, p)
        found.append(set(worst))
        sev.append(worst)
        scores.append(model.scores(tokenize(p.text), ids))
    return found, scores, sev


def both_layers(x: sparse.csr_matrix, posts: list[Post], size: int) -> dict[str, Any] | None:
    """The hidden layer fitted beside the linear one (``None`` when ``size`` is 0)."""
    if not size:
        return None
    return hidden_data(fit_hidden(x, posts, size))


def fold_of(post: Post) -> int:
    return int(hashlib.sha256(post.id.encode("utf-8")).hexdigest(), 16) % FOLDS


def train(
    verbose: bool = True, config: dict[str, int] | None = None, c: float = C, size: int = HIDDEN
) -> dict[str, Any]:
    """Fit on train and dev together. Thresholds and vetoes are chosen on out-of-fold scores
    (FOLDS-fold cross-validation over the same posts), so every post that tunes them was
    scored by a model that never saw it; then the weights are fitted once more on everything."""
    config = config or FEATURES
    start = time.perf_counter()
    base = rules_only()
    posts = load_posts("train") + load_posts("dev") + course_rewrites()
    ids = [rule_ids(base, p) for p in posts]
    x = matrix(features_of(p, i, config) for p, i in zip(posts, ids, strict=True))
    folds = [fold_of(p) for p in posts]
    oof_scores: list[dict[str, int]] = [{} for _ in posts]
    for k in range(FOLDS):
        inside = [i for i, f in enumerate(folds) if f != k]
        outside = [i for i, f in enumerate(folds) if f == k]
        fitted = fit(x[inside], [posts[i] for i in inside], c)
        draft = Model.from_data(
            to_data(
                fitted,
                {},
                {},
                config,
                both_layers(x[inside], [posts[i] for i in inside], size),
            )
        )
        _, scores, _ = _tuning_rows(base, draft, [posts[i] for i in outside])
        for i, sc in zip(outside, scores, strict=True):
            oof_scores[i] = sc
    tune = [i for i, p in enumerate(posts) if not p.partial]
    tune_posts = [posts[i] for i in tune]
    sev = [rule_findings(base, p)[0] for p in tune_posts]
    scores = [oof_scores[i] for i in tune]
    fitted = fit(x, posts, c)
    hidden = both_layers(x, posts, size)
    threshold, veto = resampled_cutoffs(base, tune_posts, scores, sev)
    data = to_data(fitted, threshold, veto, config, hidden, sorted({r for i in ids for r in i}))
    if verbose:
        took = time.perf_counter() - start
        print(f"trained on {len(posts)} posts ({FOLDS}-fold thresholds) in {took:.1f} s")
        sv = base.category_severity
        got = [
            _verdict(p, sv_, sc, threshold, veto, sv)
            for p, sv_, sc in zip(tune_posts, sev, scores, strict=True)
        ]
        want = [p.verdict for p in tune_posts]
        usable = [i for i, w in enumerate(want) if w != "cannot_read"]
        right = sum(got[i] == want[i] for i in usable) / len(usable)
        risky = [i for i in usable if want[i] != "ok"]
        clean = [i for i in usable if want[i] == "ok"]
        caught = sum(got[i] != "ok" for i in risky) / len(risky)
        flagged = sum(got[i] != "ok" for i in clean) / len(clean)
        print(
            f"cross-validated (out-of-fold) on {len(usable)} posts: verdict {right:.3f}, "
            f"risky caught {caught:.3f}, clean flagged {flagged:.3f}"
        )
        print(f"{len(data['index'])} weights in the index; vetoes: {sorted(veto) or 'none'}")
    return data


def write(data: dict[str, Any], path: Path = OUTPUT) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    root = HERE.parents[1]
    shown = path.resolve().relative_to(root) if path.resolve().is_relative_to(root) else path
    print(f"wrote {shown} ({len(text) / 1024:.0f} KB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.judge.train")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--compare", action="store_true", help="print the design comparison")
    args = parser.parse_args(argv)
    if not (CORPUS / "train.yml").is_file():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    write(train(), args.output)
    from autograder.judge.train_softer import main as train_softer

    train_softer([str(args.output)])  # the rewrite check's softer-words model, into the same file
    if args.compare:
        from autograder.judge.compare_designs import main as compare

        compare()
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
from typing import Any, Protocol

import numpy as np
from scipy import sparse
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
MODEL_VERSION = "2026.12.4"
BITS = 18
SCALE = 1000  # weight 1.0 becomes 1000
KEEP = 2500  # strongest weights kept per category
C = 8.0  # inverse regularisation strength, chosen on dev (see DESIGN.md)
FEATURES = {"char_min": 0, "char_max": 0}  # words and word pairs only (see DESIGN.md)
# The learned layer scores every category of rules.yml.
CATEGORIES = RULE_CATEGORIES
# A veto (the model overruling a rule finding) is only allowed for categories whose rules
# raise false alarms on ordinary words; it needs at least this many false alarms removed on dev,
# and must remove no true finding there.
VETO_MIN_GAIN = 2
FOLDS = 5
HIDDEN = 32  # hidden units (0: the linear layer alone), see DESIGN.md
HIDDEN_EPOCHS = 12
HIDDEN_MIN_POSTS = 5  # features in fewer training posts get no hidden weights (file size)
IN_SCALE, OUT_SCALE = 64, 32  # the hidden layer's integers (see hidden_data)
LINEAR_WEIGHT = 2  # SCALE * 2 is about IN_SCALE * OUT_SCALE: both layers' logits count alike
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
            out = 1 / (1 + np.exp(-(a @ params[2] + params[3])))
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
) -> dict[str, Any]:
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


class HasCategories(Protocol):
    @property
    def categories(self) -> tuple[str, ...]: ...


RANK = {"off": -1, "info": 0, "warning": 1, "risk": 2}


def _verdict(
    post: Post,
    rule_sev: dict[str, str],
    scores: dict[str, int],
    threshold: dict[str, int],
    veto: dict[str, int],
    sev: dict[str, dict[str, str]],
) -> str:
    top = 0
    for cat, severity in rule_sev.items():
        v = veto.get(cat)
        if v is not None and cat in scores and scores[cat] <= v:
            continue
        top = max(top, RANK[severity])
    for cat, score in scores.items():
        if cat not in rule_sev and score >= threshold[cat]:
            top = max(top, RANK[sev[cat][post.account]])
    return VERDICTS[max(top, 0)]


def choose_thresholds(
    rules: Rules,
    posts: list[Post],
    scores: list[dict[str, int]],
    rule_sev: list[dict[str, str]],
    veto: dict[str, int],
    rounds: int = 3,
) -> dict[str, int]:
    """Per category, the threshold that gives the best verdict accuracy on dev, found by
    coordinate ascent from a high start (the learned layer adds only what it is sure of)."""
    sev = rules.category_severity
    cats = list(scores[0]) if scores else []
    threshold = {c: max(s[c] for s in scores) + 1 for c in cats}
    usable = [i for i, p in enumerate(posts) if p.verdict != "cannot_read"]

    def accuracy() -> float:
        """Right verdicts, less FALSE_ALARM_COST for each clean post flagged: a false alarm
        tells a learner that a good post is wrong, which costs more than a miss."""
        total = 0.0
        for i in usable:
            got = _verdict(posts[i], rule_sev[i], scores[i], threshold, veto, sev)
            total += 2 * (got == posts[i].verdict)
            if posts[i].verdict == "ok" and got != "ok":
                total -= 2 * FALSE_ALARM_COST
        return total

    best = accuracy()
    for _ in range(rounds):
        changed = False
        for cat in cats:
            values = sorted({s[cat] for s in scores})
            candidates = [*values[:: max(1, len(values) // 200)], values[-1] + 1]
            keep = threshold[cat]
            for t in candidates:
                threshold[cat] = t
                a = accuracy()
                if a > best or (a == best and t > keep):
                    best, keep, changed = a, t, True
            threshold[cat] = keep
        if not changed:
            break
    return threshold


def choose_vetoes(
    model: HasCategories, posts: list[Post], scores: list[dict[str, int]], found: list[set[str]]
) -> dict[str, int]:
    out = {}
    for cat in model.categories:
        fired = [i for i, p in enumerate(posts) if cat in found[i] and target(p, cat) is not None]
        true_scores = [scores[i][cat] for i in fired if target(posts[i], cat) == 1]
        false_scores = sorted(scores[i][cat] for i in fired if target(posts[i], cat) == 0)
        if not false_scores:
            continue
        floor = min(true_scores) if true_scores else None
        # the highest veto below every true finding's score
        removed = [s for s in false_scores if floor is None or s < floor]
        if len(removed) >= VETO_MIN_GAIN:
            out[cat] = removed[-1]
    return out


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
    found = [set(worst) for worst in sev]
    scores = [oof_scores[i] for i in tune]
    fitted = fit(x, posts, c)
    hidden = both_layers(x, posts, size)
    draft = Model.from_data(to_data(fitted, {}, {}, config, hidden))
    veto = choose_vetoes(draft, tune_posts, scores, found)
    threshold = choose_thresholds(base, tune_posts, scores, sev, veto)
    data = to_data(fitted, threshold, veto, config, hidden)
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

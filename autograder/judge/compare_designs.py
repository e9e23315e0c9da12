"""Compare designs for the judge's learned layer on the same splits (DESIGN.md records the run).

    python -m autograder.judge.compare_designs    # or: make judge-model COMPARE=1

Every design gets the same protocol, simpler than the shipped training so that the comparison
is quick and fair: weights fitted on ``train``, thresholds and vetoes chosen on ``dev`` by
``train.choose_cutoffs``, then verdicts scored on ``dev`` and on the frozen ``test`` split.

- A, words + hidden layer: the shipped design (words, word pairs, the rules that fired; integer
  weights), with a small hidden layer over the same features beside the linear weights;
- A, words: the same without the hidden layer (the design shipped before it);
- A, words + letters: the same with groups of 3 to 5 letters of each word;
- B, static embeddings: the mean of wordllama's 256-dimension token embeddings (a model shipped
  inside its wheel, loaded from the package, never downloaded) plus the rules that fired, with
  a logistic-regression head. Skipped, with a note, when wordllama is not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from autograder.judge import train as T
from autograder.judge.corpus_data import Post, course_rewrites, load_posts
from autograder.judge.learned import Model
from autograder.judge.posts import Rules
from autograder.judge.tokens import tokenize


def _rows(base: Rules, posts: list[Post]) -> tuple[list[dict[str, str]], list[list[str]]]:
    pairs = [T.rule_findings(base, p) for p in posts]
    return [worst for worst, _ in pairs], [ids for _, ids in pairs]


def _report(
    name: str,
    base: Rules,
    split_scores: dict[str, list[dict[str, int]]],
    split_sev: dict[str, list[dict[str, str]]],
    split_posts: dict[str, list[Post]],
    threshold: dict[str, int],
    veto: dict[str, int],
) -> None:
    cells = []
    for split in ("dev", "test"):
        posts, scores, sev = split_posts[split], split_scores[split], split_sev[split]
        usable = [i for i, p in enumerate(posts) if p.verdict != "cannot_read"]
        got = [
            T._verdict(posts[i], sev[i], scores[i], threshold, veto, base.category_severity)
            for i in usable
        ]
        want = [posts[i].verdict for i in usable]
        right = sum(g == w for g, w in zip(got, want, strict=True)) / len(usable)
        risky = [k for k, w in enumerate(want) if w != "ok"]
        clean = [k for k, w in enumerate(want) if w == "ok"]
        caught = sum(got[k] != "ok" for k in risky) / len(risky)
        flagged = sum(got[k] != "ok" for k in clean) / len(clean)
        cells.append(f"{right:>8.3f}{caught:>8.3f}{flagged:>8.3f}")
    print(f"  {name:<28}" + "".join(cells), flush=True)


def linear(name: str, config: dict[str, int], size: int = 0) -> None:
    base = T.rules_only()
    train = load_posts("train") + course_rewrites()
    x = T.matrix(T.features_of(p, T.rule_ids(base, p), config) for p in train)
    fitted = T.fit(x, train, T.C)
    hidden = T.both_layers(x, train, size)
    model = Model.from_data(T.to_data(fitted, {}, {}, config, hidden))
    split_posts = {s: load_posts(s) for s in ("dev", "test")}
    split_sev, split_scores = {}, {}
    for split, posts in split_posts.items():
        sev, ids = _rows(base, posts)
        split_sev[split] = sev
        split_scores[split] = [
            model.scores(tokenize(p.text), i) for p, i in zip(posts, ids, strict=True)
        ]
    threshold, veto = T.choose_cutoffs(
        base, split_posts["dev"], split_scores["dev"], split_sev["dev"]
    )
    _report(name, base, split_scores, split_sev, split_posts, threshold, veto)


def embeddings() -> None:
    try:
        import wordllama
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        print("  B, static embeddings         (wordllama is not installed: pip install wordllama)")
        return
    here = Path(wordllama.__file__).parent
    table = load_file(str(here / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    table = table.astype(np.float32)
    tok = Tokenizer.from_file(str(here / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    base = T.rules_only()
    rule_names = sorted({r["id"] for r in base.rules})
    where = {r: i for i, r in enumerate(rule_names)}

    def features(posts: list[Post]) -> np.ndarray:
        out = np.zeros((len(posts), table.shape[1] + len(rule_names)), np.float32)
        for k, p in enumerate(posts):
            ids = tok.encode(p.text).ids
            if ids:
                v = table[ids].mean(0)
                out[k, : table.shape[1]] = 4 * v / (np.linalg.norm(v) + 1e-9)
            for r in T.rule_ids(base, p):
                if r in where:
                    out[k, table.shape[1] + where[r]] = 1
        return out

    train = load_posts("train") + course_rewrites()
    x = features(train)
    split_posts = {s: load_posts(s) for s in ("dev", "test")}
    xs = {s: features(p) for s, p in split_posts.items()}
    split_scores: dict[str, list[dict[str, int]]] = {
        s: [{} for _ in p] for s, p in split_posts.items()
    }
    for cat in T.CATEGORIES:
        rows = [i for i, p in enumerate(train) if T.target(p, cat) is not None]
        y = np.array([T.target(train[i], cat) for i in rows])
        head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
        head.fit(x[rows], y)
        for s in split_posts:
            for k, v in enumerate(head.decision_function(xs[s])):
                split_scores[s][k][cat] = round(float(v) * T.SCALE)
    split_sev = {s: _rows(base, p)[0] for s, p in split_posts.items()}
    threshold, veto = T.choose_cutoffs(
        base, split_posts["dev"], split_scores["dev"], split_sev["dev"]
    )
    _report("B, static embeddings", base, split_scores, split_sev, split_posts, threshold, veto)


def main() -> int:
    print("Designs for the learned layer (fit on train, tune on dev, score dev and frozen test)")
    print(f"  {'':<28}{'dev':>12}{'':>12}{'test':>12}")
    print(f"  {'design':<28}" + f"{'verdict':>8}{'caught':>8}{'flagged':>8}" * 2)
    words = {"char_min": 0, "char_max": 0}
    linear(f"A, words + hidden layer ({T.HIDDEN})", words, T.HIDDEN)
    linear("A, words", words)
    linear("A, words + letters 3-5", {"char_min": 3, "char_max": 5})
    embeddings()
    return 0


if __name__ == "__main__":
    sys.exit(main())

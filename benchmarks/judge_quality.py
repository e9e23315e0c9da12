"""How good and how fast is the judge?

    .venv/bin/python benchmarks/judge_quality.py [--seconds 3]

Prints, separately for the dev posts (used while writing the rules) and the held-out posts
(written first, never used for tuning) of tests/vectors/posts.yml:
- verdict accuracy and how often the whole category set is right;
- precision and recall per category (a category counts as predicted for a post when the judge
  reports at least one finding of it);
and the throughput of the Python engine (one core, in this process) and of the JavaScript engine
under Node (one process, after a warm-up round), in posts per second over all vectors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.judge.export_rules import export  # noqa: E402
from autograder.judge.node import node_path, time_batch  # noqa: E402
from autograder.judge.posts import load_rules, review_post  # noqa: E402
from autograder.judge.rules import CATEGORIES  # noqa: E402

VECTORS = ROOT / "tests" / "vectors" / "posts.yml"


def quality(posts: list[dict]) -> dict:
    right = exact = 0
    counts = {c: [0, 0, 0] for c in CATEGORIES}  # true positive, false positive, false negative
    for post in posts:
        review = review_post(post["text"], post["account"])
        got, want = set(review.categories), set(post["categories"])
        right += review.verdict == post["verdict"]
        exact += review.verdict == post["verdict"] and got == want
        for c in CATEGORIES:
            if c in got and c in want:
                counts[c][0] += 1
            elif c in got:
                counts[c][1] += 1
            elif c in want:
                counts[c][2] += 1
    return {
        "n": len(posts),
        "verdict": right / len(posts),
        "exact": exact / len(posts),
        "counts": counts,
    }


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def print_quality(splits: dict[str, dict]) -> None:
    names = list(splits)
    print("Verdict accuracy")
    print(f"  {'split':<10}{'posts':>7}{'verdict':>10}{'verdict+categories':>21}")
    for name in names:
        q = splits[name]
        print(f"  {name:<10}{q['n']:>7}{q['verdict']:>10.3f}{q['exact']:>21.3f}")
    print()
    print("Per category (precision / recall / support)")
    header = "".join(f"{n + ' P':>10}{n + ' R':>10}{'n':>4}" for n in names)
    print(f"  {'category':<23}{header}")
    for c in CATEGORIES:
        row = ""
        for name in names:
            tp, fp, fn = splits[name]["counts"][c]
            row += f"{ratio(tp, tp + fp):>10}{ratio(tp, tp + fn):>10}{tp + fn:>4}"
        print(f"  {c:<23}{row}")


def python_throughput(items: list[tuple[str, str]], seconds: float) -> float:
    rules = load_rules()
    for text, account in items:  # warm-up
        review_post(text, account, rules)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text, account in items:
            review_post(text, account, rules)
        done += len(items)
    return done / (time.perf_counter() - start)


def node_throughput(items: list[tuple[str, str]], seconds: float) -> float | None:
    if node_path() is None:
        return None
    calls = [{"op": "review", "args": [t, a]} for t, a in items]
    with tempfile.TemporaryDirectory() as tmp:
        rules_json = export(Path(tmp) / "rules.json")
        probe = time_batch(calls, rules_json, repeat=3) / 3
        repeat = max(1, int(seconds / max(probe, 1e-6)))
        elapsed = time_batch(calls, rules_json, repeat=repeat)
    return len(calls) * repeat / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Judge quality and speed.")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per throughput run")
    args = parser.parse_args(argv)
    posts = yaml.safe_load(VECTORS.read_text(encoding="utf-8"))["posts"]
    splits = {
        "dev": quality([p for p in posts if p["split"] == "dev"]),
        "heldout": quality([p for p in posts if p["split"] == "heldout"]),
    }
    print(f"Judge rules version {load_rules().version}, {len(posts)} labelled posts\n")
    print_quality(splits)
    items = [(p["text"], p["account"]) for p in posts]
    mean = sum(len(t) for t, _ in items) / len(items)
    print(f"\nThroughput over all {len(items)} vectors (mean {mean:.0f} characters a post)")
    print(f"  Python engine: {python_throughput(items, args.seconds):>9,.0f} posts/second")
    node = node_throughput(items, args.seconds)
    if node is None:
        print("  Node engine:   (node not installed)")
    else:
        print(f"  Node engine:   {node:>9,.0f} posts/second")
    return 0


if __name__ == "__main__":
    sys.exit(main())

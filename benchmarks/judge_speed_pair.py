"""Is the Python judge faster or slower than it was at another commit? Measured as a ratio.

    taskset -c 0 .venv/bin/python benchmarks/judge_speed_pair.py [--against HEAD] [--pairs 8]

These machines are noisy, so a throughput figure from one day is not comparable with another
day's. This script loads the judge's rules, word lists and model as they are now and as they
were at ``--against`` (read with ``git show``; the engine's code is today's for both), then
times both on the frozen test split's posts in alternating runs of ``--seconds`` each, and
prints every run, the medians and the median ratio per pair (above 1: faster now).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from judge_quality import python_throughput  # noqa: E402  (this folder, on sys.path)

from autograder.judge.corpus_data import load_posts  # noqa: E402
from autograder.judge.posts import Rules, load_rules  # noqa: E402
from autograder.judge.rules import compile_rules  # noqa: E402

JUDGE = "autograder/judge"


def rules_at(rev: str, folder: Path) -> Rules:
    """The rules, lexicons and model.json of commit ``rev``, compiled by today's code."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "--", f"{JUDGE}/lexicons"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in [f"{JUDGE}/rules.yml", f"{JUDGE}/model.json", *listed]:
        blob = subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        target = folder / Path(name).relative_to(JUDGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return Rules(compile_rules(folder / "rules.yml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/judge_speed_pair.py")
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args(argv)
    posts = [(p.text, p.account) for p in load_posts("test")]
    with tempfile.TemporaryDirectory() as tmp:
        then = rules_at(args.against, Path(tmp))
    now = load_rules()
    runs: dict[str, list[float]] = {"now": [], args.against: []}
    for _ in range(args.pairs):  # each run warms its judge's per-word caches first, untimed
        runs["now"].append(python_throughput(posts, args.seconds, now))
        runs[args.against].append(python_throughput(posts, args.seconds, then))
    print(f"Python judge, posts a second over {len(posts)} test posts, alternating runs")
    print(f"  {'model':<12} {'median':>8}  runs")
    for name, values in runs.items():
        shown = ", ".join(f"{v:,.0f}" for v in values)
        print(f"  {name:<12} {statistics.median(values):>8,.0f}  {shown}")
    ratio = statistics.median(a / b for a, b in zip(runs["now"], runs[args.against], strict=True))
    print(f"  median ratio now / {args.against} per pair: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How good, how fast and how big is the judge?

    .venv/bin/python benchmarks/judge_quality.py [--seconds 3] [--runs 3] [--no-browser]

For the throughput target, pin it to one core (``taskset -c 0 ...``): each engine is timed in
``--runs`` runs of ``--seconds`` and all of them are printed, since these machines are noisy.

Prints, for the corpus's two frozen test splits (`test` from the first round of writing, `test2`
from the second; never used for tuning), its dev split and the old
held-out vectors of tests/vectors/posts.yml, for the rules alone and for the rules with the
learned layer (the shipped model is fitted on train and dev together, so its dev row is not a
held-out figure: the out-of-fold estimate that `make judge-model` prints is):
- verdict accuracy, risky posts caught, clean posts flagged, recall per category;
- the rewrite check (judge, purpose and length together) on the labelled rewrites, by kind;
then disagreements between the Python and Node engines over every post and rewrite, the
throughput of both engines, the browser payload (the judge's module and rules, raw and gzipped)
and the time from loading that payload to the first verdict in headless Chromium.

Targets (issue 14): verdict >= 0.92, risky caught >= 0.90, clean flagged <= 0.04, recall >= 0.80
in every category, rewrite check >= 0.90, 0 disagreements, Python >= 2,000 posts/s, payload
<= 1 MB gzipped, first verdict within 300 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.judge.corpus_data import load_posts, load_rewrites, second_labels  # noqa: E402
from autograder.judge.course_posts import fix_posts  # noqa: E402
from autograder.judge.evaluate import (  # noqa: E402
    RISK_CATEGORIES,
    PostScores,
    score_labels,
    score_posts,
    score_rewrites,
)
from autograder.judge.export_rules import export  # noqa: E402
from autograder.judge.node import node_path, run_batch, time_batch  # noqa: E402
from autograder.judge.posts import Rules, load_rules, review_post  # noqa: E402
from autograder.judge.rewrite import check_rewrite  # noqa: E402
from autograder.judge.rules import compile_rules  # noqa: E402

SPLITS = ("test", "test2", "dev", "heldout")


def fmt(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "  - "


def print_posts(results: dict[tuple[str, str], PostScores]) -> None:
    print("Posts")
    print(
        f"  {'layers':<16}{'split':<9}{'posts':>6}{'verdict':>9}{'caught':>8}"
        f"{'flagged':>9}{'exact':>7}{'min recall':>12}"
    )
    for (layers, split), s in results.items():
        print(
            f"  {layers:<16}{split:<9}{s.n:>6}{s.verdict:>9.3f}{s.caught_share:>8.3f}"
            f"{s.flagged_share:>9.3f}{s.exact_share:>7.3f}{s.min_recall():>12.2f}"
        )
    print("\nRecall per category (support) with the learned layer")
    print(f"  {'category':<23}" + "".join(f"{split:>14}" for split in SPLITS))
    for cat in RISK_CATEGORIES:
        row = ""
        for split in SPLITS:
            s = results[("rules+learned", split)]
            tp, _, fn = s.counts[cat]
            row += f"{fmt(s.recall(cat)):>9} ({tp + fn:>3})"
        print(f"  {cat:<23}{row}")


def print_readers(s: PostScores) -> None:
    """How far a careful reader gets: a second labeller's blind labels of 500 dev posts,
    scored against the writers' labels by the judge's own measures."""
    print(f"\nA second reader, blind, on {s.n} dev posts (corpus/second_labels.yml)")
    print(
        f"  verdict {s.verdict:.3f}, caught {s.caught_share:.3f}, flagged {s.flagged_share:.3f}, "
        f"exact {s.exact_share:.3f}, min recall {s.min_recall():.2f}"
    )
    cells = [f"{c} {fmt(s.recall(c))}" for c in RISK_CATEGORIES]
    print("  recall: " + ", ".join(cells))


def print_rewrites(rules_only: Rules, full: Rules) -> None:
    table = fix_posts()
    print("\nRewrite check (judge + purpose + length + changed)")
    kinds = ("good", "still_risky", "purpose_lost", "keyword_salad", "sarcastic", "too_short")
    print(f"  {'layers':<16}{'split':<7}{'n':>5}{'right':>7}" + "".join(f"{k:>14}" for k in kinds))
    for name, rules in (("rules only", rules_only), ("rules+learned", full)):
        for split in ("test", "dev"):
            s = score_rewrites(load_rewrites(split), table, rules)
            cells = "".join(
                f"{s.by_kind[k][0]:>7}/{s.by_kind[k][1]:<6}" if k in s.by_kind else f"{'-':>14}"
                for k in kinds
            )
            print(f"  {name:<16}{split:<7}{s.n:>5}{s.accuracy:>7.3f}{cells}")


def disagreements(rules_json: Path) -> tuple[int, int]:
    table = fix_posts()
    calls = [
        {"op": "review", "args": [p.text, p.account]}
        for split in ("train", "dev", "test", "test2", "heldout")
        for p in load_posts(split)
    ]
    for r in load_rewrites():
        e = table[r.post]
        calls.append({"op": "rewrite", "args": [r.text, e["post"], e["account"], e["purpose"]]})
    answers = run_batch(calls, rules_json)
    differ = 0
    for call, js in zip(calls, answers, strict=True):
        if call["op"] == "review":
            py = review_post(*call["args"]).to_dict()
        else:
            py = check_rewrite(*call["args"]).to_dict()
        differ += json.dumps(py, ensure_ascii=False) != js
    return differ, len(calls)


def python_throughput(
    items: list[tuple[str, str]], seconds: float, rules: Rules | None = None
) -> float:
    """Posts a second over ``items`` for ``rules`` (the shipped judge by default)."""
    rules = load_rules() if rules is None else rules
    for text, account in items[:200]:  # warm-up
        review_post(text, account, rules)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text, account in items:
            review_post(text, account, rules)
        done += len(items)
    return done / (time.perf_counter() - start)


def rates(runs: list[float]) -> str:
    """Posts a second: the median of the runs, then every run (slowest first)."""
    if len(runs) == 1:
        return f"{runs[0]:>9,.0f} posts/second (one run)"
    every = ", ".join(f"{r:,.0f}" for r in sorted(runs))
    return f"{statistics.median(runs):>9,.0f} posts/second (median of {len(runs)} runs: {every})"


def node_throughput(items: list[tuple[str, str]], rules_json: Path, seconds: float) -> float:
    calls = [{"op": "review", "args": [t, a]} for t, a in items]
    probe = time_batch(calls, rules_json, repeat=1)
    repeat = max(1, int(seconds / max(probe, 1e-6)))
    return len(calls) * repeat / time_batch(calls, rules_json, repeat=repeat)


BROWSER_TIMING = """
async ([source, rulesText, text]) => {
  const t0 = performance.now();
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
  const m = await import(url);
  const rules = JSON.parse(rulesText);
  const first = m.reviewPost(text, "professional", rules);
  return {ms: performance.now() - t0, verdict: first.verdict};
}
"""


def browser_first_verdict(rules_json: Path) -> list[float] | None:
    try:
        from playwright.sync_api import sync_playwright

        sys.path.insert(0, str(ROOT / "tests"))
        from support.paths import CHROMIUM_FLAGS, chromium_path
    except ImportError:
        return None
    executable = chromium_path()
    if executable is None:
        return None
    source = (ROOT / "autograder" / "judge" / "js" / "judge.mjs").read_text(encoding="utf-8")
    rules_text = rules_json.read_text(encoding="utf-8")
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        for _ in range(5):
            page = browser.new_page()
            page.set_content("<!doctype html><title>judge</title>")
            result = page.evaluate(
                BROWSER_TIMING, [source, rules_text, "The guy from accounts is useless"]
            )
            times.append(result["ms"])
            page.close()
        browser.close()
    return sorted(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Judge quality, speed and size.")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per throughput run")
    parser.add_argument("--runs", type=int, default=3, help="throughput runs per engine")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timing")
    args = parser.parse_args(argv)
    full = load_rules()
    rules_only = Rules(compile_rules(with_model=False))
    model = full.model
    print(
        f"Judge rules version {full.version}, learned layer "
        f"{model.version if model else '(none)'}\n"
    )
    results = {}
    for name, rules in (("rules only", rules_only), ("rules+learned", full)):
        for split in SPLITS:
            results[(name, split)] = score_posts(load_posts(split), rules)
    print_posts(results)
    print("  (dev is part of the learned layer's training data; test is frozen and never tuned on)")
    print_readers(score_labels(load_posts("dev"), second_labels()))
    print_rewrites(rules_only, full)

    with tempfile.TemporaryDirectory() as tmp:
        rules_json = export(Path(tmp) / "rules.json")
        raw = rules_json.read_bytes() + (ROOT / "autograder/judge/js/judge.mjs").read_bytes()
        print("\nBrowser payload (judge.mjs + rules.json with the model)")
        print(f"  raw {len(raw) / 1024:,.0f} KB, gzipped {len(gzip.compress(raw)) / 1024:,.0f} KB")
        items = [(p.text, p.account) for p in load_posts("test")]
        mean = sum(len(t) for t, _ in items) / len(items)
        print(f"\nThroughput over the {len(items)} test posts (mean {mean:.0f} characters)")
        runs = max(1, args.runs)
        python = [python_throughput(items, args.seconds) for _ in range(runs)]
        print(f"  Python engine: {rates(python)}")
        if node_path() is None:
            print("  Node engine:   (node not installed)")
        else:
            node = [node_throughput(items, rules_json, args.seconds) for _ in range(runs)]
            print(f"  Node engine:   {rates(node)}")
            differ, total = disagreements(rules_json)
            print(f"\nEngines: {differ} disagreements between Python and Node in {total} calls")
        if not args.no_browser:
            times = browser_first_verdict(rules_json)
            if times is None:
                print("\nFirst verdict in Chromium: (no Chromium found)")
            else:
                print(
                    "\nFirst verdict in Chromium after loading the payload (5 fresh pages): "
                    f"median {times[2]:.0f} ms, worst {times[-1]:.0f} ms"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

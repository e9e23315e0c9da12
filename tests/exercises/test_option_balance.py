"""Self-checks that cannot be answered by length: the right option is rarely the unique longest.

Learners who do not know an answer pick the longest, most careful-sounding option, and item
writers tend to make the right one exactly that. Options are shown in a shuffled order (see
test_option_order.py), so position gives nothing away; this keeps length from doing so either.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from support.site_driver import all_exercises

BOOK_SHARE = 0.35  # across the book, at most this share of single-answer items
CHAPTER_SHARE = 0.5  # and in any one chapter, at most half


def right_is_unique_longest(spec: dict[str, Any]) -> bool:
    lengths = [len(option["text"].strip()) for option in spec["options"]]
    right = next(i for i, option in enumerate(spec["options"]) if option["correct"])
    return lengths[right] == max(lengths) and lengths.count(max(lengths)) == 1


def longest_counts(exercises: dict[str, dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per chapter: (single-answer items, items whose right option is the unique longest)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, spec in exercises.items():
        if spec["type"] != "multiple_choice" or spec.get("select", "one") != "one":
            continue
        chapter = key.split("/", 1)[0]
        counts[chapter][0] += 1
        counts[chapter][1] += right_is_unique_longest(spec)
    return {chapter: (n, longest) for chapter, (n, longest) in counts.items()}


def _option(text: str, correct: bool = False) -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": "Why."}


def test_the_measure_counts_only_a_unique_longest_right_option():
    def item(*options):
        return {"type": "multiple_choice", "options": list(options)}

    exercises = {
        "a/long": item(_option("the longest one by far", True), _option("short")),
        "a/tied": item(_option("same length", True), _option("same length")),
        "a/short": item(_option("right", True), _option("a longer wrong one")),
        "b/many": {**item(_option("long right option", True), _option("x")), "select": "many"},
        "b/sort": {"type": "sort_the_posts"},
    }
    assert longest_counts(exercises) == {"a": (3, 1)}


def test_the_right_option_is_rarely_the_unique_longest():
    counts = longest_counts(all_exercises())
    items = sum(n for n, _ in counts.values())
    longest = sum(k for _, k in counts.values())
    assert items >= 30, f"only {items} single-answer items found"
    share = longest / items
    assert share <= BOOK_SHARE, (
        f"in {longest} of {items} single-answer items ({share:.0%}) the right option is the "
        f"longest; at most {BOOK_SHARE:.0%} may be: shorten right answers or make distractors "
        "as specific"
    )
    crowded = {
        chapter: f"{k} of {n}" for chapter, (n, k) in counts.items() if k > CHAPTER_SHARE * n
    }
    assert crowded == {}, f"chapters where the right option is usually the longest: {crowded}"

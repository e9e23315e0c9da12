"""Does a rewritten post keep the purpose of the original?

A "fix the post" exercise (the book's widget and the graded assignment alike) lists the post's
key words. The rewrite keeps its purpose when it still uses at least ``min_keywords`` of them.
Matching works on the judge's tokens (see ``tokens.py``): a key word matches the same word, or a
longer word starting with it when the key word has at least ``prefix_min`` letters (rules.yml,
section ``purpose``), so "launch" matches "launched". A key phrase of several words must appear
in that order. ``keepsPurpose`` in ``js/judge.mjs`` mirrors this function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from autograder.judge import Rules, load_rules
from autograder.tokens import tokenize

_FIELD = re.compile(r"\{(found|needed|keywords)\}")


@dataclass(frozen=True)
class Purpose:
    kept: bool
    found: tuple[str, ...]
    needed: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kept": self.kept,
            "found": list(self.found),
            "needed": self.needed,
            "message": self.message,
        }


def _norms(text: str) -> list[str]:
    return [t.norm for t in tokenize(text) if t.kind in ("w", "m", "x")]


def _matches(word: str, key: str, prefix_min: int) -> bool:
    return word == key or (len(key) >= prefix_min and word.startswith(key))


def _contains(words: list[str], phrase: list[str], prefix_min: int) -> bool:
    if not phrase:
        return False
    last = len(words) - len(phrase)
    return any(
        all(_matches(words[i + j], key, prefix_min) for j, key in enumerate(phrase))
        for i in range(last + 1)
    )


def keeps_purpose(
    text: str, keywords: list[str], min_keywords: int = 1, rules: Rules | None = None
) -> Purpose:
    """Which key words the rewrite still uses, and whether that is enough."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if not isinstance(keywords, list | tuple) or not all(isinstance(k, str) for k in keywords):
        raise TypeError("keywords must be a list of strings")
    cfg = (rules if rules is not None else load_rules()).data["purpose"]
    words = _norms(text)
    found = tuple(k for k in keywords if _contains(words, _norms(k), cfg["prefix_min"]))
    needed = max(1, min(int(min_keywords), len(keywords))) if keywords else 1
    kept = len(found) >= needed
    values = {"found": ", ".join(found), "needed": str(needed), "keywords": ", ".join(keywords)}
    template = cfg["messages"]["kept" if kept else "lost"]
    message = _FIELD.sub(lambda m: values[m.group(1)], template)
    return Purpose(kept, found, needed, message)

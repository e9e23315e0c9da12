"""Does a rewritten post keep the purpose of the original?

A "fix the post" exercise (the book's widget and the graded assignment alike) says what the post
is for (``purpose.summary``) and which parts of that a rewrite must keep (``purpose.parts``:
each a plain-words description and the words that carry it; without parts, each key word is a
part and ``min_keywords`` of them are needed). The rewrite keeps its purpose when

1. it reads as a post, not a list of words: once it has ``salad_min_words`` words, at least
   ``salad_function_share`` per cent of them are small linking words ("the", "my", "is" ...)
   and at least ``salad_distinct_share`` per cent are different words (no "tax tax done done");
2. it is about the same thing: at least ``min_related`` of its content words also appear in the
   purpose, its parts or the safe words of the original post (words outside the judge's risk
   and warning findings);
3. it keeps every part (or ``min_keywords`` key words).

Words are compared by meaning in a simple, explainable way: folded, with common endings cut
(``stem``: returns -> return, flossing -> floss, planned -> plan) and each word of a synonym group
(rules.yml, ``purpose.synonyms``) mapped to the group's first word; a word also matches a longer
or shorter form of itself when both have at least ``prefix_min`` letters. The learner is told
which part is missing, in the exercise's own words. ``checkPurpose`` in ``js/judge.mjs`` mirrors
this module, and a test proves the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from autograder.judge.posts import Rules, cannot_read, load_rules, review_post
from autograder.judge.tokens import tokenize

_FIELD = re.compile(r"\{(found|needed|keywords|missing|summary)\}")


@dataclass(frozen=True)
class Purpose:
    kept: bool
    found: tuple[str, ...]
    needed: int
    message: str
    missing: tuple[str, ...] = ()
    salad: bool = False
    related: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kept": self.kept,
            "found": list(self.found),
            "needed": self.needed,
            "missing": list(self.missing),
            "salad": self.salad,
            "related": self.related,
            "message": self.message,
        }


def stem(word: str) -> str:
    """Cut one common English ending (the same steps as judge.mjs's ``stem``)."""
    if word.endswith("'s"):
        word = word[:-2]
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 5 and word.endswith("ing"):
        return _undouble(word[:-3])
    if n > 4 and word.endswith("ed"):
        return _undouble(word[:-2])
    if n > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if n > 5 and word.endswith("ly"):
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(word: str) -> str:
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


def canonical(word: str, synonyms: dict[str, str]) -> str:
    head = synonyms.get(word)
    if head is None:
        head = synonyms.get(stem(word))
    return stem(head if head is not None else word)


def _words(text: str) -> list[str]:
    return [t.norm for t in tokenize(text) if t.kind == "w"]


def _same(a: str, b: str, prefix_min: int) -> bool:
    if a == b:
        return True
    if len(a) < prefix_min or len(b) < prefix_min:
        return False
    return a.startswith(b) or b.startswith(a)


def _has_phrase(seq: list[str], phrase: list[str], prefix_min: int) -> bool:
    if not phrase:
        return False
    for i in range(len(seq) - len(phrase) + 1):
        if all(_same(seq[i + j], key, prefix_min) for j, key in enumerate(phrase)):
            return True
    return False


def _parts(purpose: dict[str, Any]) -> tuple[list[tuple[str, list[str]]], int]:
    """(description, words) for each part, and how many parts are needed."""
    parts = purpose.get("parts")
    if parts:
        return [(p["says"], list(p["words"])) for p in parts], len(parts)
    keywords = list(purpose.get("keywords") or [])
    wanted = int(purpose.get("min_keywords", 1) or 1)
    needed = max(1, min(wanted, len(keywords))) if keywords else 1
    return [(k, [k]) for k in keywords], needed


def _safe_words(original: str, rules: Rules) -> list[str]:
    """The original's words outside its risk and warning findings."""
    review = review_post(original, "professional", rules)
    spans = [(f.start, f.end) for f in review.findings if f.severity != "info"]
    return [
        t.norm
        for t in tokenize(original)
        if t.kind == "w" and not any(s <= t.start < e for s, e in spans)
    ]


def check_purpose(
    text: str,
    purpose: dict[str, Any],
    original: str | None = None,
    rules: Rules | None = None,
) -> Purpose:
    """Whether a rewrite keeps the purpose (see the module), and what is missing if not."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if not isinstance(purpose, dict):
        raise TypeError("purpose must be a mapping with summary and keywords (or parts)")
    rules = rules if rules is not None else load_rules()
    cfg = rules.data["purpose"]
    syn: dict[str, str] = cfg["synonyms"]
    function = frozenset(cfg["function_words"])
    prefix_min = cfg["prefix_min"]
    parts, needed = _parts(purpose)
    tokens = tokenize(text)
    if cannot_read(rules, tokens):
        # the words and synonyms are English: say so rather than call the rewrite a word list
        return Purpose(False, (), needed, cfg["messages"]["cannot_read"])
    words = [t.norm for t in tokens if t.kind == "w"]
    seq = [canonical(w, syn) for w in words]
    found = tuple(
        says
        for says, keys in parts
        if any(_has_phrase(seq, [canonical(w, syn) for w in _words(k)], prefix_min) for k in keys)
    )
    missing = tuple(says for says, _ in parts if says not in found)
    small = sum(1 for w in words if w in function)
    distinct = len(set(words))
    salad = len(words) >= cfg["salad_min_words"] and (
        small * 100 < cfg["salad_function_share"] * len(words)
        or distinct * 100 < cfg["salad_distinct_share"] * len(words)
    )
    content = sorted({c for w, c in zip(words, seq, strict=True) if w not in function})
    summary = purpose.get("summary") or ""
    context_words = _words(summary) + [w for _, keys in parts for k in keys for w in _words(k)]
    check_related = bool(summary) or original is not None
    if original is not None:
        context_words += _safe_words(original, rules)
    context = sorted({canonical(w, syn) for w in context_words if w not in function})
    related = sum(1 for c in content if any(_same(c, k, prefix_min) for k in context))
    unrelated = check_related and related < min(cfg["min_related"], len(content) or 1)
    kept = not salad and not unrelated and len(found) >= needed
    values = {
        "found": _join(found),
        "needed": str(needed),
        "keywords": ", ".join(says for says, _ in parts),
        "missing": " or ".join(missing) if needed < len(parts) else " and ".join(missing),
        "summary": summary.strip(),
    }
    if kept:
        key = "kept"
    elif salad:
        key = "salad"
    elif unrelated and not found:
        key = "unrelated"
    else:
        key = "lost" if purpose.get("parts") else "lost_keywords"
    message = _FIELD.sub(lambda m: values[m.group(1)], cfg["messages"][key])
    return Purpose(kept, found, needed, message, missing, salad, related)


def _join(items: tuple[str, ...]) -> str:
    """a; a and b; a, b and c (the same in judge.mjs)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def keeps_purpose(
    text: str, keywords: list[str], min_keywords: int = 1, rules: Rules | None = None
) -> Purpose:
    """The key-word form: does the rewrite still carry ``min_keywords`` of the key words?"""
    if not isinstance(keywords, list | tuple) or not all(isinstance(k, str) for k in keywords):
        raise TypeError("keywords must be a list of strings")
    return check_purpose(
        text, {"keywords": list(keywords), "min_keywords": min_keywords}, None, rules
    )

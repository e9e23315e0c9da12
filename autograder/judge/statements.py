"""Positioning statements: "I am a ROLE in FIELD for AUDIENCE."

``check_statement`` splits a statement into its three parts and lists problems;
``compare_statements`` says whether a personal and a professional statement are (nearly) the
same; ``post_fits_statement`` gives a simple hint about whether a post matches a statement.
Settings, word lists and all explanations come from the ``statements`` section of rules.yml.
``autograder/judge/js/judge.mjs`` mirrors this file step by step.

How a statement is read: runs of spaces become one space; trailing . ! or … are dropped; the
words are then split on single spaces. The statement must start with "I am", "I'm" or "Im",
optionally followed by "a" or "an" (either one, whatever the next letter). The role runs up to
the first word "in", the field from there up to the next word "for", the audience is the rest.
Case never matters.

How two statements are compared: each statement's content words (its words in lower case,
without the stopwords listed in rules.yml) form a set; similarity is the size of the overlap
divided by the size of the union (Jaccard), as a whole percent rounded half up.

How a post is matched with a statement: a post word is shared with the statement when it
equals a content word of the statement, or when both are at least four letters long and start
with the same four letters (nurse, nursing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from autograder.judge.posts import Rules, load_rules
from autograder.judge.rules import CompiledStatements
from autograder.judge.tokens import SPACE_CLASS, fold, tokenize

PARTS = ("role", "field", "audience")
_SPACES = re.compile("[" + SPACE_CLASS + "]+")
_END_PUNCT = ".!\u2026"
_EDGE_PUNCT = ",;:"
PREFIX_LEN = 4


class Problem(NamedTuple):
    id: str
    part: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "part": self.part, "message": self.message}


@dataclass(frozen=True)
class StatementCheck:
    ok: bool
    role: str | None
    field: str | None
    audience: str | None
    problems: tuple[Problem, ...]

    @property
    def parts(self) -> dict[str, str | None]:
        return {"role": self.role, "field": self.field, "audience": self.audience}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "parts": self.parts,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class Comparison:
    similarity_percent: int
    shared_words: tuple[str, ...]
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "similarity_percent": self.similarity_percent,
            "shared_words": list(self.shared_words),
            "problems": [{"id": p.id, "message": p.message} for p in self.problems],
        }


@dataclass(frozen=True)
class Fit:
    fits: bool
    shared_words: tuple[str, ...]
    keywords: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "fits": self.fits,
            "shared_words": list(self.shared_words),
            "keywords": list(self.keywords),
            "message": self.message,
        }


def _settings(rules: Rules | None) -> CompiledStatements:
    return (rules if rules is not None else load_rules()).data["statements"]


def _clean(text: str) -> str:
    text = _SPACES.sub(" ", text).strip(" ")
    while text and text[-1] in _END_PUNCT + " ":
        text = text[:-1]
    return text


def _split(text: str) -> tuple[bool, list[str | None]]:
    """(template followed, [role, field, audience]); a part is None when its keyword is missing."""
    clean = _clean(text)
    words = clean.split(" ") if clean else []
    low = [fold(w) for w in words]
    i = 0
    if low[:2] == ["i", "am"]:
        i = 2
    elif low[:1] in (["i'm"], ["im"]):
        i = 1
    else:
        return False, [None, None, None]
    if i < len(low) and low[i] in ("a", "an"):
        i += 1
    rest, low_rest = words[i:], low[i:]
    k = low_rest.index("in") if "in" in low_rest else -1
    if k < 0:
        return True, [_join(rest), None, None]
    j = low_rest.index("for", k + 1) if "for" in low_rest[k + 1 :] else -1
    if j < 0:
        return True, [_join(rest[:k]), _join(rest[k + 1 :]), None]
    return True, [_join(rest[:k]), _join(rest[k + 1 : j]), _join(rest[j + 1 :])]


def _join(words: list[str]) -> str:
    return " ".join(words).strip(_EDGE_PUNCT + " ")


def _content(text: str, drop: frozenset[str]) -> list[str]:
    """Folded words of ``text`` without the ``drop`` words, each once, in order."""
    out: list[str] = []
    for tok in tokenize(text):
        if tok.kind == "w" and tok.norm not in drop and tok.norm not in out:
            out.append(tok.norm)
    return out


def _problem(cfg: CompiledStatements, pid: str, part: str | None = None) -> Problem:
    message = cfg["messages"][pid]
    if part is not None:
        message = message.replace("{part}", cfg["part_names"][part])
    return Problem(pid, part, message)


def check_statement(text: str, rules: Rules | None = None) -> StatementCheck:
    """Split a positioning statement into role, field and audience, and list its problems."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    cfg = _settings(rules)
    followed, parts = _split(text)
    if not followed:
        return StatementCheck(False, None, None, None, (_problem(cfg, "template_not_followed"),))
    stop = frozenset(cfg["stopwords"])
    vague = frozenset(cfg["vague_words"])
    problems: list[Problem] = []
    for name, part in zip(PARTS, parts, strict=True):
        if not part:
            problems.append(_problem(cfg, "part_missing", name))
            continue
        low = fold(part)
        if any(mark in low for mark in cfg["placeholder_marks"]) or (
            low in cfg["placeholder_words"]
        ):
            problems.append(_problem(cfg, "placeholder_left", name))
            continue
        words = _content(part, stop)
        if all(w in vague for w in words):
            problems.append(_problem(cfg, "part_too_vague", name))
    if len(_clean(text).split(" ")) > cfg["max_words"]:
        problems.append(_problem(cfg, "too_long"))
    role, field, audience = parts
    return StatementCheck(not problems, role, field, audience, tuple(problems))


def _same_text(a: str, b: str) -> bool:
    a, b = fold(_clean(a)), fold(_clean(b))
    return bool(a) and a == b


def compare_statements(personal: str, professional: str, rules: Rules | None = None) -> Comparison:
    """Flag a personal and a professional statement that are the same or nearly the same."""
    for value in (personal, professional):
        if not isinstance(value, str):
            raise TypeError(f"statements must be strings, not {type(value).__name__}")
    cfg = _settings(rules)
    stop = frozenset(cfg["stopwords"])
    a, b = _content(personal, stop), _content(professional, stop)
    shared = [w for w in a if w in b]
    union = len(set(a) | set(b))
    percent = 0 if union == 0 else (200 * len(shared) + union) // (2 * union)
    problems: list[Problem] = []
    if _same_text(personal, professional):
        problems.append(_problem(cfg, "identical"))
    elif union and percent >= cfg["near_identical_percent"]:
        problems.append(_problem(cfg, "near_identical"))
    return Comparison(percent, tuple(shared), tuple(problems))


def _shares(word: str, keyword: str) -> bool:
    if word == keyword:
        return True
    return (
        len(word) >= PREFIX_LEN
        and len(keyword) >= PREFIX_LEN
        and word[:PREFIX_LEN] == keyword[:PREFIX_LEN]
    )


def post_fits_statement(post: str, statement: str, rules: Rules | None = None) -> Fit:
    """A simple, explainable hint: does the post share words with the statement?"""
    for value in (post, statement):
        if not isinstance(value, str):
            raise TypeError(f"post and statement must be strings, not {type(value).__name__}")
    cfg = _settings(rules)
    followed, parts = _split(statement)
    if not followed:
        return Fit(False, (), (), cfg["messages"]["statement_unusable"])
    drop = frozenset(cfg["stopwords"]) | frozenset(cfg["vague_words"])
    keywords: list[str] = []
    for part in parts:
        for word in _content(part or "", drop):
            if word not in keywords:
                keywords.append(word)
    shared = [w for w in _content(post, drop) if any(_shares(w, k) for k in keywords)]
    message = cfg["messages"]["fits" if shared else "does_not_fit"]
    return Fit(bool(shared), tuple(shared), tuple(keywords), message)

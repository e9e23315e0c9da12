"""The judge's tokenizer: how a post is cut into words, with spans in Unicode code points.

The same definition is implemented in ``autograder/judge/js/judge.mjs``; both engines must agree on
every token and every span, so nothing here depends on the Unicode database of the running
Python (``str.isalpha``, ``\\w``, ``\\b``, ``str.lower``): the character classes are explicit
code point ranges, and lower-casing is a fixed, one-to-one table. RULES.md describes the same
rules in words.

Token kinds: ``w`` word (letters, digits, inner apostrophes), ``m`` @mention, ``u`` URL,
``e`` e-mail address, ``x`` emoji. A word with a double quote (" “ ”) right before it and right
after it is marked ``quoted`` (scare quotes: my "teammate"). Sentence breaks (. ! ? ; newline
...) are not tokens; they only advance the sentence counter that "near" rules and negation use.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Code point ranges (inclusive). judge.mjs has the same lists; a test compares them.
WORD_RANGES: list[tuple[int, int]] = [
    (0x30, 0x39),  # 0-9
    (0x41, 0x5A),  # A-Z
    (0x61, 0x7A),  # a-z
    (0xC0, 0xD6),  # Latin-1 letters (without the multiplication sign)
    (0xD8, 0xF6),  # (without the division sign)
    (0xF8, 0x1FFF),  # Latin extended ... Greek extended, with combining marks
    (0x2C00, 0x2DFF),  # Glagolitic, Latin extended-C, Coptic, Georgian, Tifinagh, Ethiopic
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0xD7FF),  # kana, CJK, Yi, Hangul
    (0xF900, 0xFDFF),  # CJK compatibility, Arabic presentation forms A
    (0xFE70, 0xFEFE),  # Arabic presentation forms B
    (0xFF10, 0xFF19),  # fullwidth digits
    (0xFF21, 0xFF3A),  # fullwidth capitals
    (0xFF41, 0xFF5A),  # fullwidth small letters
    (0xFF66, 0xFFDC),  # halfwidth kana and Hangul
    (0x10000, 0x1EFFF),  # historic and other scripts in the supplementary plane
    (0x20000, 0x3FFFF),  # CJK extensions
]
EMOJI_RANGES: list[tuple[int, int]] = [
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x1F000, 0x1FAFF),  # emoji and pictographs
]
SPACE_RANGES: list[tuple[int, int]] = [
    (0x00, 0x20),  # controls and space
    (0x7F, 0xA0),  # DEL, C1 controls, no-break space
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
]
# A word with one of these right before it and one right after it is "quoted": "teammate".
QUOTES = '"\u201c\u201d'

MAX_MENTION = 30


def _class(ranges: list[tuple[int, int]]) -> str:
    parts = []
    for lo, hi in ranges:
        parts.append(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}")
    return "".join(parts)


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"


WORD_CLASS = "[" + _class(WORD_RANGES) + "]"
SPACE_CLASS = _class(SPACE_RANGES)
URL_TAIL = ".,;:!?)\\]}'\"\u2019\u201d\u00bb"
TOKEN_PATTERN = (
    # 1 URL: a scheme or www., then anything up to a space, minus trailing punctuation
    "((?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\\.)(?:[^" + SPACE_CLASS + "]*"
    "[^" + SPACE_CLASS + URL_TAIL + "])?)"
    # 2 e-mail address (ASCII only)
    "|([A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+)"
    # 3 @mention
    "|(@[A-Za-z0-9_]{1," + str(MAX_MENTION) + "})"
    # 4 word: word characters, with apostrophes inside
    "|(" + WORD_CLASS + "+(?:['\u2019]" + WORD_CLASS + "+)*)"
    # 5 one emoji or pictograph
    "|([" + _class(EMOJI_RANGES) + "])"
    # 6 sentence break
    "|([.!?;\\n\u2026\u3002\uff01\uff1f])"
)
TOKEN_RE = re.compile(TOKEN_PATTERN)

# Masked spellings (f**k, sh!t, a$$): a run of these ASCII characters that holds at least one
# masking character or digit. Letters are checked in judge.py.
MASKING_CLASS = "[*!@$#0-9]"  # a masked spelling holds at least one of these
MASK_PATTERN = "[A-Za-z0-9*!@$#]*" + MASKING_CLASS + "[A-Za-z0-9*!@$#]*"
MASK_RE = re.compile(MASK_PATTERN)
MASK_WILDCARDS = "*#"
LEET = {"@": "a", "$": "s", "!": "i", "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}

# One-to-one lower-casing: ASCII capitals, Latin-1 capitals, and the curly apostrophe.
_FOLD = {cp: cp + 32 for cp in range(0x41, 0x5B)}
_FOLD.update({cp: cp + 32 for cp in range(0xC0, 0xDF) if cp != 0xD7})
_FOLD[0x2019] = 0x27


def fold(text: str) -> str:
    """Lower-case the way both engines do: only A-Z, Latin-1 capitals and ’ change."""
    if text.isascii():  # the same, where only A-Z can change, and many times faster
        return text.lower()
    return text.translate(_FOLD)


class Token(NamedTuple):
    kind: str  # w, m, u, e, x
    norm: str  # folded text ("" for URLs and e-mail addresses)
    start: int  # code point offsets, end exclusive
    end: int
    sent: int  # sentence number
    cap: bool  # starts with a capital letter (A-Z or Latin-1)
    quoted: bool = False  # a single word in double quotes: "teammate" (scare quotes)


_KINDS = (None, "u", "e", "m", "w", "x", None)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    sent = 0
    append = tokens.append
    # Folding maps each code point to one code point, so the whole text is folded once and each
    # token's norm is a slice of it. A word starts with a capital (A-Z or Latin-1) exactly where
    # folding changed its first character: the only other character folding changes, the curly
    # apostrophe, never starts a word.
    folded = fold(text)
    size = len(text)
    new = tuple.__new__  # Token(...) without its Python-level __new__: a fifth of the time here
    for m in TOKEN_RE.finditer(text):
        kind = _KINDS[m.lastindex or 0]
        if kind is None:  # a sentence break
            sent += 1
            continue
        start, end = m.span()
        if kind == "w":
            quoted = start > 0 and end < size and text[start - 1] in QUOTES and text[end] in QUOTES
            cap = folded[start] != text[start]
            append(new(Token, (kind, folded[start:end], start, end, sent, cap, quoted)))
        else:
            norm = "" if kind in ("u", "e") else folded[start:end]
            append(new(Token, (kind, norm, start, end, sent, False, False)))
    return tokens


def words(text: str) -> list[str]:
    """The folded word and mention tokens of a short text, in order."""
    return [t.norm for t in tokenize(text) if t.kind in ("w", "m", "x")]

"""The post judge: ``review_post(text, account)`` gives a verdict and findings for one post.

It runs on the compiled rules from ``autograder/judge/rules.py``. ``autograder/judge/js/judge.mjs``
is the same algorithm in JavaScript; the two must give identical answers, so each step here is
written to be easy to mirror there. The steps:

1. Cut the post into tokens (``autograder/judge/tokens.py``); spans are Unicode code points.
2. Find every phrase of every word list in the token stream (longest phrase at each start; a
   phrase inside a longer phrase of the same list is dropped). Word lists marked
   ``catch_masked`` are also matched against masked spellings such as f**k or sh!t.
3. Turn matches into findings: ``phrases`` rules report each match; ``near`` rules report a match
   only when a match of an anchor list sits in the same sentence within ``window`` words, and
   any rule may skip a match that has a match of an ``unless_near`` list that close;
   ``pattern`` rules report each non-empty match of their pattern. Negatable rules skip a match
   that follows a negation word in the same clause (see ``_negated``). Findings whose severity
   on this account is ``off`` are dropped.
4. Drop findings that lie inside an allowed phrase (idioms such as "killing it").
5. Keep one finding per category and span (the most severe, then the earliest rule), sort by
   start, end and rule id, and work out the verdict.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from autograder.judge.learned import Model
from autograder.judge.rules import (
    DEFAULT_RULES,
    CompiledRule,
    CompiledRules,
    compile_rules,
    saved_rules,
)
from autograder.judge.softer import RewriteModel
from autograder.judge.tokens import (
    LEET,
    MASK_RE,
    MASK_WILDCARDS,
    MASKING_CLASS,
    Token,
    tokenize,
)

SEVERITY_RANK = {"info": 0, "warning": 1, "risk": 2}
VERDICTS = ("ok", "revise", "do_not_post")
CANNOT_READ = "cannot_read"  # the verdict for a post mostly in another language
LEARNED_PREFIX = "learned_"  # rule id of a learned finding: learned_<category>
_DIGITS = re.compile(r"[0-9]+\Z")
_LETTER = re.compile(r"[A-Za-z]")
_MASKING = re.compile(MASKING_CLASS)


class Finding(NamedTuple):
    rule: str
    category: str
    severity: str
    start: int
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }


@dataclass(frozen=True)
class Review:
    verdict: str
    findings: tuple[Finding, ...]

    @property
    def categories(self) -> list[str]:
        """The categories found, each once, in order of first appearance."""
        return list(dict.fromkeys(f.category for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}


class Match(NamedTuple):
    start: int  # code points
    end: int
    ti: int  # first and last token index; -1 for masked spellings
    tj: int
    s0: int  # first and last sentence number
    s1: int


class _Plan(NamedTuple):
    rules: list[tuple[int, CompiledRule, str]]  # (order in the file, rule, severity), not off
    by_lexicon: dict[str, list[int]]  # list name -> the rules above that look for its words
    patterns: tuple[int, ...]  # the pattern rules above


class Rules:
    """Compiled rules plus the lookup tables built from them (build once, reuse)."""

    def __init__(self, compiled: CompiledRules):
        self.data = compiled
        self.version = compiled["version"]
        self.accounts = tuple(compiled["accounts"])
        self.rules = compiled["rules"]
        self.negation = frozenset(compiled["negation"]["words"])
        self.negation_window = compiled["negation"]["window"]
        self.negation_skip = frozenset(compiled["negation"]["skip"])
        self.negation_stop = frozenset(compiled["negation"]["stop"])
        self.allow = compiled["allow"]
        self.category_severity: dict[str, dict[str, str]] = compiled["category_severity"]
        self.category_messages: dict[str, str] = compiled["category_messages"]
        self.language = compiled["language"]
        self.english = frozenset(self.language["english"])
        self.other_languages = frozenset(self.language["other"])
        self.function_words = frozenset(compiled["purpose"].get("function_words", ()))
        model = compiled.get("model")
        self.model: Model | None = Model.from_data(model) if model else None
        softer = model.get("rewrite") if model else None
        self.softer: RewriteModel | None = RewriteModel.from_data(softer) if softer else None
        self.capitalized: dict[str, bool] = {}
        # Every phrase of every list goes into one index keyed by its first token spec.
        self.phrases: list[tuple[str, list[str]]] = []
        # The second word of each phrase when it is a plain word (else None): a quick check
        # that rules out most candidates before the full comparison.
        self.second: list[str | None] = []
        self.exact: dict[str, list[int]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.classes: dict[str, list[int]] = {}
        self.masked: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for name, lex in compiled["lexicons"].items():
            self.capitalized[name] = lex["capitalized"]
            for phrase in lex["phrases"]:
                self._add(name, phrase)
            for word in lex["masked"]:
                self.masked.setdefault((len(word), word[0]), []).append((word, name))
        for group in self.allow:
            key = "allow:" + group["id"]
            self.capitalized[key] = False
            for phrase in group["phrases"]:
                self._add(key, phrase)
        self.prefix_lengths = sorted({len(k) for k in self.prefix})
        self._plans: dict[str, _Plan] = {}
        # The phrases that may start at a token, by its folded text (words, then other tokens),
        # worked out once per distinct text: the same words come back post after post.
        self.candidates = (_Candidates(self, True), _Candidates(self, False))
        # The phrases that start with a class, by the class a token can be in.
        self.class_starts = tuple(
            tuple(self.classes.get(c, ()))
            for c in ("{cap}", "{quoted}", "{mention}", "{email}", "{url}")
        )

    def starting_with(self, norm: str, word: bool) -> tuple[int, ...]:
        """The phrases whose first token spec (not a class such as {cap}) can match a token
        with this folded text: exactly, as its base without 's, or by a prefix (words only)."""
        if not norm:
            return ()
        cands: list[int] = list(self.exact.get(norm, ()))
        base = _base(norm)
        if base is not None:
            cands += self.exact.get(base, ())
        if word:
            for length in self.prefix_lengths:
                if length > len(norm):
                    break
                cands += self.prefix.get(norm[:length], ())
        return tuple(cands)

    def plan(self, account: str) -> _Plan:
        """The rules that are not off on this account, and which of them each list feeds."""
        plan = self._plans.get(account)
        if plan is None:
            active = [
                (order, rule, rule["severity"][account])
                for order, rule in enumerate(self.rules)
                if rule["severity"][account] != "off"
            ]
            by_lexicon: dict[str, list[int]] = {}
            for k, (_, rule, _) in enumerate(active):
                for name in rule.get("lexicons", ()) if rule["kind"] != "pattern" else ():
                    by_lexicon.setdefault(name, []).append(k)
            patterns = tuple(
                k for k, (_, rule, _) in enumerate(active) if rule["kind"] == "pattern"
            )
            plan = self._plans[account] = _Plan(active, by_lexicon, patterns)
        return plan

    def _add(self, key: str, phrase: list[str]) -> None:
        idx = len(self.phrases)
        self.phrases.append((key, phrase))
        plain = len(phrase) > 1 and phrase[1][0] != "{" and phrase[1][-1] != "*"
        self.second.append(phrase[1] if plain else None)
        first = phrase[0]
        if first.startswith("{"):
            self.classes.setdefault(first, []).append(idx)
        elif first.endswith("*"):
            self.prefix.setdefault(first[:-1], []).append(idx)
        else:
            self.exact.setdefault(first, []).append(idx)


class _Starts(NamedTuple):
    """The phrases that may start at a token, sorted by how much is left to check."""

    singles: tuple[int, ...]  # one-token phrases: they match
    by_second: dict[str, tuple[int, ...]]  # second token a plain word: by that word
    rest: tuple[int, ...]  # the others (second token a class or a prefix)


class _Candidates(dict):  # type: ignore[type-arg]
    """``Rules.starting_with`` for one kind of token, kept per folded text (up to CACHE_SIZE
    texts, then the cache starts again) and sorted into ``_Starts``."""

    def __init__(self, rules: Rules, word: bool):
        super().__init__()
        self.rules, self.word = rules, word

    def __missing__(self, norm: str) -> _Starts:
        if len(self) >= CACHE_SIZE:
            self.clear()
        rules = self.rules
        cands = rules.starting_with(norm, self.word)
        if self.word and _DIGITS.match(norm):
            cands += tuple(rules.classes.get("{number}", ()))
        singles: list[int] = []
        by_second: dict[str, list[int]] = {}
        rest: list[int] = []
        for idx in cands:
            word = rules.second[idx]
            if len(rules.phrases[idx][1]) == 1:
                singles.append(idx)
            elif word is not None:
                by_second.setdefault(word, []).append(idx)
            else:
                rest.append(idx)
        value = self[norm] = _Starts(
            tuple(singles), {w: tuple(ix) for w, ix in by_second.items()}, tuple(rest)
        )
        return value


CACHE_SIZE = 1 << 16


@lru_cache(maxsize=8)
def _load(path: str) -> Rules:
    saved = saved_rules(Path(path))
    return Rules(saved if saved is not None else compile_rules(path))


# Rules compiled elsewhere that stand in for the default rules file: the student's one-file
# bundle (autograder/grading/bundle.py) carries the compiled dict, not the YAML sources.
_PRECOMPILED: list[Rules] = []


def use_compiled_rules(data: CompiledRules) -> None:
    """Make ``data`` (the output of ``compile_rules``) the default rules of this process."""
    _PRECOMPILED[:] = [Rules(data)]


def load_rules(path: str | Path | None = None) -> Rules:
    """The compiled rules of ``path`` (default: autograder/judge/rules.yml), cached."""
    if path is None and _PRECOMPILED:
        return _PRECOMPILED[0]
    return _load(str(Path(path).resolve() if path is not None else DEFAULT_RULES))


def _base(norm: str) -> str | None:
    return norm[:-2] if len(norm) > 2 and norm.endswith("'s") else None


def _token_matches(spec: str, tok: Token) -> bool:
    if spec[0] == "{":
        if spec == "{any}":
            return True
        if spec == "{mention}":
            return tok.kind == "m"
        if spec == "{number}":
            return tok.kind == "w" and _DIGITS.match(tok.norm) is not None
        if spec == "{email}":
            return tok.kind == "e"
        if spec == "{url}":
            return tok.kind == "u"
        if spec == "{quoted}":
            return tok.quoted
        return tok.kind == "w" and tok.cap  # {cap}
    if spec[-1] == "*":
        return tok.kind == "w" and tok.norm.startswith(spec[:-1])
    return tok.norm == spec or _base(tok.norm) == spec


def _phrase_matches(rules: Rules, tokens: list[Token]) -> dict[str, list[Match]]:
    """All phrase matches, by list name: the longest at each start, none inside another."""
    found: dict[str, dict[int, int]] = {}  # list -> start token -> end token
    n = len(tokens)
    phrases = rules.phrases
    norms = [t.norm for t in tokens]
    bases = [x[:-2] if len(x) > 2 and x.endswith("'s") else None for x in norms]  # _base
    words, others = rules.candidates
    cap, quoted, mention, email, url = rules.class_starts
    capitalized = rules.capitalized

    def check(i: int, cands: tuple[int, ...], first: int) -> None:
        """Record the phrases of ``cands`` that match from token ``i`` (their tokens before
        ``first`` are known to match)."""
        for idx in cands:
            key, phrase = phrases[idx]
            m = len(phrase)
            if i + m > n or (capitalized[key] and not tokens[i].cap):
                continue
            if all(_token_matches(phrase[k], tokens[i + k]) for k in range(first, m)):
                ends = found.setdefault(key, {})
                if ends.get(i, -1) < i + m - 1:
                    ends[i] = i + m - 1

    for i, tok in enumerate(tokens):
        kind = tok.kind
        singles, by_second, rest = words[tok.norm] if kind == "w" else others[tok.norm]
        if kind == "w":
            if cap and tok.cap:
                rest += cap
            if quoted and tok.quoted:
                rest += quoted
        elif kind == "m":
            rest += mention
        elif kind == "e":
            rest += email
        elif kind == "u":
            rest += url
        if singles:  # one-token phrases
            check(i, singles, 1)
        if by_second and i + 1 < n:  # phrases whose second token is a plain word
            hits = by_second.get(norms[i + 1], ())
            base = bases[i + 1]
            if base is not None:
                hits += by_second.get(base, ())
            check(i, hits, 2)
        if rest:  # the others: every token checked
            check(i, rest, 1)
    out: dict[str, list[Match]] = {}
    for key, ends in found.items():
        spans = sorted(ends.items())
        kept: list[Match] = []
        reach = -1
        for ti, tj in spans:
            if tj <= reach:  # inside an earlier, longer match of the same list
                continue
            reach = tj
            a, b = tokens[ti], tokens[tj]
            kept.append(Match(a.start, b.end, ti, tj, a.sent, b.sent))
        out[key] = kept
    return out


def _masked_matches(rules: Rules, text: str, out: dict[str, list[Match]]) -> None:
    """Masked spellings (f**k, sh!t, a$$) of words in lists marked catch_masked."""
    if not rules.masked or _MASKING.search(text) is None:
        return  # no masked spelling without a masking character
    for m in MASK_RE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start] == "#":
            start += 1
        while end > start and text[end - 1] == "!":
            end -= 1
        cand = text[start:end]
        if len(cand) < 3 or cand[0] in MASK_WILDCARDS or not _LETTER.search(cand):
            continue
        if not any(c in MASK_WILDCARDS or c in LEET for c in cand):
            continue
        mapped = "".join(LEET.get(c, c) for c in cand.lower())
        # A mask that could spell words of several lists counts for the first list in the
        # file only: "f***" reads as a swear word, not as a slur against a group.
        for word, key in rules.masked.get((len(mapped), mapped[0]), ()):
            if all(c == w or c in MASK_WILDCARDS for c, w in zip(mapped, word, strict=True)):
                out.setdefault(key, []).append(Match(start, end, -1, -1, -1, -1))
                break


def _negated(rules: Rules, tokens: list[Token], m: Match) -> bool:
    """Is there a negation word before the match, close enough and in the same clause?

    Looks back word by word, in the same sentence, for at most ``window`` words; ``skip`` words
    (is, my, think ...) are passed over without counting, and a ``stop`` word (but, and ...)
    ends the search.
    """
    if m.ti < 0:
        return False
    sent = tokens[m.ti].sent
    left = rules.negation_window
    k = m.ti - 1
    while k >= 0 and left > 0:
        tok = tokens[k]
        if tok.sent != sent or tok.norm in rules.negation_stop:
            return False
        if tok.norm in rules.negation:
            return True
        if tok.norm not in rules.negation_skip:
            left -= 1
        k -= 1
    return False


def _near(target: Match, anchors: list[Match], window: int) -> bool:
    """Is an anchor in the same sentence, at most ``window`` words away (or overlapping)?"""
    for a in anchors:
        if a.ti < 0 or a.s1 < target.s0 or a.s0 > target.s1:
            continue
        if a.tj < target.ti:
            if target.ti - a.tj <= window:
                return True
        elif a.ti <= target.tj or a.ti - target.tj <= window:
            return True
    return False


def review_post(text: str, account: str, rules: Rules | None = None) -> Review:
    """Judge one post for one account (personal, professional or joint)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    rules = rules if rules is not None else load_rules()
    if account not in rules.accounts:
        raise ValueError(f"unknown account {account!r}: use {', '.join(rules.accounts)}")
    tokens = tokenize(text)
    if cannot_read(rules, tokens):
        finding = Finding("language", "language", "info", 0, len(text), rules.language["message"])
        return Review(CANNOT_READ, (finding,))
    matches = _phrase_matches(rules, tokens)
    _masked_matches(rules, text, matches)
    raw: list[tuple[Finding, int]] = []  # finding, rule order
    plan = rules.plan(account)
    # Only the rules that can find something: every pattern rule, and the rules with a list
    # that matched (most rules, for most posts, have nothing to look at), in file order.
    todo = set(plan.patterns)
    for name in matches:
        todo.update(plan.by_lexicon.get(name, ()))
    pattern_spans: dict[str, list[tuple[int, int]]] = {}  # two rules may share a pattern
    for k in sorted(todo):
        order, rule, severity = plan.rules[k]
        spans: list[tuple[int, int]] = []
        kind = rule["kind"]
        if kind == "pattern":
            source = rule["pattern"]
            found = pattern_spans.get(source)
            if found is None:
                found = pattern_spans[source] = [m.span() for m in _pattern(source).finditer(text)]
            spans = found
            if spans and ("anchors" in rule or rule["unless_near"]):
                spans = _pattern_context(rule, matches, tokens, spans)
        else:
            negatable = rule["negatable"]
            if kind == "near":
                anchors = [a for name in rule["anchors"] for a in matches.get(name, ())]
                if not anchors:
                    continue
            unless = [a for name in rule["unless_near"] for a in matches.get(name, ())]
            for name in rule["lexicons"]:
                for m in matches.get(name, ()):
                    if negatable and _negated(rules, tokens, m):
                        continue
                    if kind == "near" and (m.ti < 0 or not _near(m, anchors, rule["window"])):
                        continue
                    if unless and m.ti >= 0 and _near(m, unless, rule["unless_window"]):
                        continue
                    spans.append((m.start, m.end))
        for start, end in spans:
            if end > start:
                finding = Finding(
                    rule["id"], rule["category"], severity, start, end, rule["message"]
                )
                raw.append((finding, order))
    if raw and rules.allow:
        raw = [(f, o) for f, o in raw if not _allowed(rules, matches, f)]
    best: dict[tuple[str, int, int], tuple[Finding, int]] = {}
    for f, order in raw:
        key = (f.category, f.start, f.end)
        held = best.get(key)
        if held is None or _better(f, order, held[0], held[1]):
            best[key] = (f, order)
    kept = list(f for f, _ in best.values())
    if rules.model is not None and tokens:  # the learned layer needs words to point at
        kept = _learned(rules, rules.model, tokens, account, kept)
    findings = tuple(sorted(kept, key=lambda f: (f.start, f.end, f.rule)))
    top = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    return Review(VERDICTS[top], findings)


def _learned(
    rules: Rules, model: Model, tokens: list[Token], account: str, findings: list[Finding]
) -> list[Finding]:
    """Combine the rules' findings with the learned layer's (see RULES.md, "Two layers").

    The model scores every category, weighing the rules that fired too. A category the rules
    found is dropped when the model is confident it is a false alarm (score at or below the
    category's veto, and only for a rule the model was trained with: one an instructor adds
    later always counts); one they missed is added when the score reaches the threshold, with the
    category's severity on this account, its message, and the words that drove it.
    """
    scores, units = model.read(tokens, sorted({f.rule for f in findings}))
    out = []
    for f in findings:
        veto = model.veto.get(f.category)
        if (
            veto is not None
            and f.rule in model.veto_rules
            and scores.get(f.category, veto + 1) <= veto
        ):
            continue
        out.append(f)
    found = {f.category for f in out}
    for cat in model.categories:
        if cat in found or scores[cat] < model.threshold[cat]:
            continue
        severity = rules.category_severity[cat][account]
        if severity == "off":
            continue
        start, end = model.highlight(tokens, cat, rules.function_words, units)
        message = rules.category_messages[cat]
        out.append(Finding(LEARNED_PREFIX + cat, cat, severity, start, end, message))
    return out


def cannot_read(rules: Rules, tokens: list[Token]) -> bool:
    """A post mostly in another language (rules.yml, ``language``)."""
    need = rules.language["min_words"]
    if need <= 0:
        return False
    words = [t.norm for t in tokens if t.kind == "w"]
    # letters of other scripts (Greek and later), counted in the words that are not ASCII
    other_script = sum(1 for w in words if not w.isascii() for ch in w if ord(ch) >= 0x370)
    if other_script >= 2:
        latin = sum(1 for w in words for ch in w if 0x39 < ord(ch) < 0x370)
        if other_script > latin:
            return True
    english, others = rules.english, rules.other_languages
    known = sum(1 for w in words if w in english)
    other = sum(1 for w in words if w not in english and w in others)
    return other >= need and other > known


def _covered(tokens: list[Token], starts: list[int], start: int, end: int) -> Match:
    """The tokens that lie wholly inside a pattern match (ti = -1 when there are none)."""
    i = bisect_left(starts, start)
    j = i
    while j < len(tokens) and tokens[j].end <= end:
        j += 1
    if j == i:
        return Match(start, end, -1, -1, -1, -1)
    return Match(start, end, i, j - 1, tokens[i].sent, tokens[j - 1].sent)


def _pattern_context(
    rule: CompiledRule,
    matches: dict[str, list[Match]],
    tokens: list[Token],
    spans: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Keep pattern matches near an anchor (if the rule has anchors) and not near unless_near.

    A pattern match is placed at the words it covers; one that covers no whole word is never
    near anything.
    """
    starts = [t.start for t in tokens]
    anchors = [a for name in rule.get("anchors", ()) for a in matches.get(name, ())]
    unless = [a for name in rule["unless_near"] for a in matches.get(name, ())]
    kept = []
    for start, end in spans:
        m = _covered(tokens, starts, start, end)
        if "anchors" in rule and (m.ti < 0 or not _near(m, anchors, rule["window"])):
            continue
        if unless and m.ti >= 0 and _near(m, unless, rule["unless_window"]):
            continue
        kept.append((start, end))
    return kept


def _better(f: Finding, order: int, g: Finding, g_order: int) -> bool:
    rank, g_rank = SEVERITY_RANK[f.severity], SEVERITY_RANK[g.severity]
    return rank > g_rank or (rank == g_rank and order < g_order)


def _allowed(rules: Rules, matches: dict[str, list[Match]], f: Finding) -> bool:
    for group in rules.allow:
        cats = group["categories"]
        if cats is not None and f.category not in cats:
            continue
        for m in matches.get("allow:" + group["id"], ()):
            if m.start <= f.start and f.end <= m.end:
                return True
    return False


@lru_cache(maxsize=256)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)

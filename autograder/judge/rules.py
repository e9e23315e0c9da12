"""Load, check and compile the judge's rules file (``autograder/judge/rules.yml``).

``compile_rules`` turns the instructor-friendly YAML into one plain, JSON-ready dict: word lists
become lists of tokens cut by the same tokenizer the judge uses on posts, derived word lists are
read and filtered, and every field is checked. The Python judge runs on that dict, and
``python -m autograder.judge.export_rules`` writes the very same dict to
``autograder/judge/js/rules.json`` for the browser engine, so both engines see identical rules.

Any mistake raises ``RulesError`` with a message naming the file, the rule (or word list) and the
field, for example::

    rules.yml: rule 'shouting', field 'severity.joint': 'danger' is not one of info, warning,
    risk, off
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Required, TypedDict

from autograder.judge.tokens import fold, tokenize

HERE = Path(__file__).resolve().parent
DEFAULT_RULES = HERE / "rules.yml"
FORMAT = 1

CATEGORIES = (
    "negative_about_person",
    "employer_criticism",
    "venting",
    "alcohol_drugs",
    "intimate_oversharing",
    "profanity",
    "discriminatory",
    "politics_controversy",
    "confidential_info",
    "private_info",
    "off_topic_personal",
    "business_spam",
    "adds_value",
)
POSITIVE_CATEGORIES = ("adds_value",)
SEVERITIES = ("info", "warning", "risk", "off")
KINDS = ("phrases", "near", "pattern")
PLACEHOLDERS = ("{mention}", "{number}", "{email}", "{url}", "{cap}", "{quoted}", "{any}")
ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
MAX_MESSAGE = 400
MAX_WINDOW = 20
STATEMENT_MESSAGES = (
    "template_not_followed",
    "part_missing",
    "placeholder_left",
    "part_too_vague",
    "too_long",
    "identical",
    "near_identical",
    "fits",
    "does_not_fit",
    "statement_unusable",
)


# ---------------------------------------------------------------------------- the compiled shape
# What ``compile_rules`` returns, and both engines run on (also written to js/rules.json).


class CompiledLexicon(TypedDict):
    capitalized: bool
    phrases: list[list[str]]  # token specs: "word", "prefix*" or a {placeholder}
    masked: list[str]


class CompiledRule(TypedDict, total=False):
    id: Required[str]
    category: Required[str]
    kind: Required[str]  # phrases, near or pattern
    severity: Required[dict[str, str]]  # account -> info, warning, risk or off
    message: Required[str]
    negatable: Required[bool]
    unless_near: Required[list[str]]
    unless_window: Required[int]
    lexicons: list[str]
    anchors: list[str]
    window: int
    pattern: str


class CompiledAllow(TypedDict):
    id: str
    categories: list[str] | None
    phrases: list[list[str]]


class CompiledNegation(TypedDict):
    window: int
    words: list[str]
    skip: list[str]
    stop: list[str]


class CompiledLanguage(TypedDict):
    min_words: int
    message: str
    english: list[str]
    other: list[str]


class CompiledStatements(TypedDict):
    max_words: int
    near_identical_percent: int
    vague_words: list[str]
    stopwords: list[str]
    placeholder_marks: list[str]
    placeholder_words: list[str]
    part_names: dict[str, str]
    messages: dict[str, str]


class CompiledPurpose(TypedDict):
    prefix_min: int
    min_words: int
    salad_min_words: int
    salad_function_share: int
    salad_distinct_share: int
    min_related: int
    function_words: list[str]
    synonyms: dict[str, str]
    messages: dict[str, str]


class CompiledRules(TypedDict, total=False):
    format: Required[int]
    version: Required[str]
    accounts: Required[list[str]]
    categories: Required[list[str]]
    account_labels: Required[dict[str, str]]
    verdict_labels: Required[dict[str, str]]
    category_severity: Required[dict[str, dict[str, str]]]
    category_messages: Required[dict[str, str]]
    language: Required[CompiledLanguage]
    negation: Required[CompiledNegation]
    lexicons: Required[dict[str, CompiledLexicon]]
    rules: Required[list[CompiledRule]]
    allow: Required[list[CompiledAllow]]
    statements: Required[CompiledStatements]
    purpose: Required[CompiledPurpose]
    model: dict[str, Any]  # the learned layer (model.json), when present
    digest: str  # what it was compiled from (sources_digest)


class RulesError(ValueError):
    """The rules file is broken; the message names the rule or word list and the field."""


class _Where:
    """Builds error messages that say where the problem is."""

    def __init__(self, source: str, what: str = "", name: str = ""):
        self.source, self.what, self.name = source, what, name

    def at(self, what: str, name: str) -> _Where:
        return _Where(self.source, what, name)

    def fail(self, field: str, problem: str) -> RulesError:
        place = f"{self.what} '{self.name}', " if self.what else ""
        return RulesError(f"{self.source}: {place}field '{field}': {problem}")


def load_yaml(path: Path) -> Any:
    # Imported here: the compiled rules (the student bundle, rules.json) need no YAML reader.
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot read the rules file: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesError(f"{path.name}: not valid YAML{line}: {problem}") from None


MODEL_FILE = "model.json"


def sources_digest(path: Path, *, with_model: bool = True) -> str:
    """A fingerprint of everything a compile of ``path`` reads: the rules file, its schema, the
    word-list files beside it, the model and the compiler's own code."""
    digest = hashlib.sha256()
    files = [path, SCHEMA_PATH, HERE / "rules.py", HERE / "tokens.py"]
    files += sorted((path.parent / "lexicons").glob("*"))
    if with_model:
        files.append(path.parent / MODEL_FILE)
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes() if file.is_file() else b"(none)")
    return digest.hexdigest()


def compile_rules(path: str | Path | None = None, *, with_model: bool = True) -> CompiledRules:
    """Read, check and compile a rules file into the dict both engines run on.

    The learned layer's weights (``model.json`` beside the rules file, when present) travel in
    the same dict, so both engines always run the same rules with the same model. ``digest``
    (``sources_digest``) says what it was compiled from, so a saved copy can be reused safely.
    """
    path = Path(path) if path is not None else DEFAULT_RULES
    data = load_yaml(path)
    compiled = compile_data(data, path.name, path.parent)
    model = path.parent / MODEL_FILE
    if with_model and model.is_file():
        try:
            compiled["model"] = json.loads(model.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise RulesError(f"{MODEL_FILE}: not valid JSON: {exc}") from None
    compiled["digest"] = sources_digest(path, with_model=with_model)
    return compiled


COMPILED_COPY = HERE / "js" / "rules.json"


def saved_rules(path: Path = DEFAULT_RULES) -> CompiledRules | None:
    """The compiled copy ``make setup`` writes (js/rules.json), if it is from today's sources.

    Compiling takes a fresh process seconds (the schema check imports jsonschema, which on
    some machines spends most of that building a grammar); every grading kernel starts fresh,
    so the judge reads the saved copy when its digest matches, and compiles otherwise.
    """
    if path != DEFAULT_RULES or not COMPILED_COPY.is_file():
        return None
    try:
        saved = json.loads(COMPILED_COPY.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("digest") != sources_digest(path):
        return None
    return saved  # type: ignore[return-value]


SCHEMA_PATH = HERE / "rules.schema.json"
_TYPE_WORDS = {
    "array": "must be a non-empty list",
    "object": "must be a mapping of fields",
    "string": "must be text",
    "integer": "must be a whole number",
    "boolean": "must be true or false",
}


@lru_cache(maxsize=1)
def _schema_validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _deepest(error: Any) -> Any:
    """For "one of these shapes" errors, the most specific reason inside them."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -e.relative_schema_path[0]))
    return error


def _field(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_shape(data: Any, source: str) -> None:
    """Check rules.yml against rules.schema.json; the first problem becomes one RulesError that
    names the rule, word list or section and the field, like every other check here."""
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    if not errors:
        return
    error = _deepest(errors[0])
    path = list(error.absolute_path)
    where = _Where(source)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        spec = data["rules"][path[1]]
        rid = spec.get("id") if isinstance(spec, dict) else None
        where = where.at("rule", str(rid) if rid is not None else f"#{path[1] + 1}")
        path = path[2:]
    elif len(path) >= 2 and path[0] == "lexicons":
        where, path = where.at("lexicon", str(path[1])), path[2:]
    elif len(path) >= 1 and path[0] in ("statements", "negation", "purpose", "language"):
        where, path = where.at("section", str(path[0])), path[1:]
    instance, kind = error.instance, error.validator
    if kind == "required":
        missing = next(k for k in error.validator_value if k not in instance)
        raise where.fail(_field([*path, missing]), "is missing")
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = next(k for k in instance if k not in known)
        raise where.fail(
            _field([*path, extra]), f"is not a known field (known: {', '.join(known)})"
        )
    if kind == "propertyNames" or "propertyNames" in error.schema_path:
        names = error.validator_value["enum"] if kind == "propertyNames" else error.validator_value
        known = sorted(names)
        raise where.fail(
            _field([*path, instance]), f"is not a known field (known: {', '.join(known)})"
        )
    field = _field(path) or "(top)"
    if isinstance(instance, bool) and kind in ("type", "enum"):
        if instance is False and kind == "enum":
            raise where.fail(field, "is not one of " + ", ".join(SEVERITIES))
        raise where.fail(
            field,
            "YAML read a bare word such as no, yes, on or off as true/false; "
            'put it in quotes: "no"',
        )
    if kind == "enum":
        names = ", ".join(str(x) for x in error.validator_value if x is not False)
        raise where.fail(field, f"{instance!r} is not one of {names}")
    if kind == "type":
        wanted = error.validator_value
        wanted = wanted[0] if isinstance(wanted, list) else wanted
        raise where.fail(field, _TYPE_WORDS.get(wanted, f"must be {wanted}"))
    if kind == "minItems":
        raise where.fail(field, "must be a non-empty list")
    if kind == "minLength":
        raise where.fail(field, "must not be empty")
    if kind == "pattern":
        raise where.fail(field, "must be lower case letters, digits and _")
    raise where.fail(field, error.message)


def compile_data(data: Any, source: str = "rules.yml", base: Path = HERE) -> CompiledRules:
    where = _Where(source)
    if not isinstance(data, dict):
        raise RulesError(f"{source}: the file must be a mapping with version, rules, lexicons ...")
    # The schema checks every field's presence, name and type; the code below checks only what
    # a schema cannot say (cross-references, word lists, patterns, sentences) and compiles.
    check_shape(data, source)
    version = data["version"]
    if version == "":
        raise where.fail("version", 'must be a version string such as "2026.11.1"')
    accounts = _str_list(data["accounts"], where, "accounts", ids=True)
    ideas = _str_list(data["ideas"], where, "ideas")
    categories = _categories(data["categories"], accounts, where)
    messages = {
        cat: str(spec.get("message", "")).strip() for cat, spec in data["categories"].items()
    }
    language = _language(data.get("language"), where)
    negation = _negation(data["negation"], where)
    lexicons = _lexicons(data["lexicons"], where, base)
    rules = _rules(data["rules"], accounts, ideas, categories, lexicons, where)
    allow = _allow(data.get("allow") or [], where)
    statements = _statements(data["statements"], where)
    purpose = _purpose(data["purpose"], ideas, where)
    return {
        "format": FORMAT,
        "version": str(version),
        "accounts": accounts,
        "categories": list(CATEGORIES),
        "account_labels": _account_labels(data.get("account_labels"), accounts, where),
        "verdict_labels": _verdict_labels(data.get("verdict_labels"), where),
        "category_severity": categories,
        "category_messages": messages,
        "language": language,
        "negation": negation,
        "lexicons": lexicons,
        "rules": rules,
        "allow": allow,
        "statements": statements,
        "purpose": purpose,
    }


# ---------------------------------------------------------------------------- small checks


def _keys(
    obj: Any,
    where: _Where,
    prefix: str,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
) -> None:
    if not isinstance(obj, dict):
        raise where.fail(prefix or "(top)", "must be a mapping of fields")
    for key in required:
        if key not in obj:
            raise where.fail(prefix + key, "is missing")
    allowed = set(required) | set(optional)
    for key in obj:
        if key not in allowed:
            names = ", ".join(sorted(allowed))
            raise where.fail(prefix + str(key), f"is not a known field (known: {names})")


def _str_list(value: Any, where: _Where, field: str, ids: bool = False) -> list[str]:
    if not isinstance(value, list) or not value:
        raise where.fail(field, "must be a non-empty list")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, bool):
            raise where.fail(
                f"{field}[{i}]",
                "YAML read a bare word such as no, yes, on or off as true/false; "
                'put it in quotes: "no"',
            )
        if not isinstance(item, str | int):
            raise where.fail(f"{field}[{i}]", f"must be text, not {item!r}")
        item = str(item)
        if ids and not ID_RE.match(item):
            raise where.fail(f"{field}[{i}]", f"{item!r} must be lower case letters, digits, _")
        out.append(item)
    return out


def _int(value: Any, where: _Where, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise where.fail(field, f"must be a whole number from {low} to {high}, not {value!r}")
    return value


def _severity(value: Any, accounts: list[str], where: _Where, field: str) -> dict[str, str]:
    if isinstance(value, str):
        value = dict.fromkeys(accounts, value)
    if not isinstance(value, dict):
        raise where.fail(field, "must be one severity or a mapping of account to severity")
    out = {}
    for account in accounts:
        if account not in value:
            raise where.fail(f"{field}.{account}", "is missing")
        sev = value[account]
        if sev is False:  # YAML 1.1 reads a bare off as false
            sev = "off"
        if sev not in SEVERITIES:
            raise where.fail(f"{field}.{account}", f"{sev!r} is not one of {', '.join(SEVERITIES)}")
        out[account] = sev
    for account in value:
        if account not in accounts:
            raise where.fail(f"{field}.{account}", "is not an account named under accounts")
    return out


# ---------------------------------------------------------------------------- sections


def _categories(value: Any, accounts: list[str], where: _Where) -> dict[str, dict[str, str]]:
    out = {}
    for cat, spec in value.items():
        w = where.at("category", cat)
        if "message" in spec and not spec["message"].strip():
            raise w.fail("message", "must be a sentence that explains the category")
        out[cat] = _severity(spec["severity"], accounts, w, "severity")
        _positive_only(cat, out[cat], w)
    return out


VERDICT_NAMES = ("ok", "revise", "do_not_post", "cannot_read")


def _account_labels(value: Any, accounts: list[str], where: _Where) -> dict[str, str]:
    if value is None:
        return {a: f"{a.capitalize()} account" for a in accounts}
    w = where.at("section", "account_labels")
    _keys(value, w, "", required=tuple(accounts))
    return {a: str(value[a]).strip() for a in accounts}


def _verdict_labels(value: Any, where: _Where) -> dict[str, str]:
    if value is None:
        return {v: v.replace("_", " ").capitalize() for v in VERDICT_NAMES}
    w = where.at("section", "verdict_labels")
    out = {}
    for name in VERDICT_NAMES:
        if not value[name].strip():
            raise w.fail(name, "must be a short phrase such as 'Ready to post'")
        out[name] = value[name].strip()
    return out


def _language(value: Any, where: _Where) -> CompiledLanguage:
    """The "cannot read this" check: lists of common words of English and of other languages."""
    if value is None:
        return {"min_words": 0, "message": "", "english": [], "other": []}
    w = where.at("section", "language")
    if not value["message"].strip():
        raise w.fail("message", "must be the sentence the learner sees")
    english = [fold(x) for x in _str_list(value["english"], w, "english")]
    other = [fold(x) for x in _str_list(value["other"], w, "other")]
    both = sorted(set(english) & set(other))
    if both:
        raise w.fail("other", f"these words are in the English list too: {', '.join(both)}")
    return {
        "min_words": value["min_words"],
        "message": value["message"].strip(),
        "english": sorted(set(english)),
        "other": sorted(set(other)),
    }


def _positive_only(category: str, severity: dict[str, str], where: _Where) -> None:
    if category in POSITIVE_CATEGORIES:
        for account, sev in severity.items():
            if sev not in ("info", "off"):
                raise where.fail(
                    f"severity.{account}",
                    f"{category} is a good sign and may only be info or off, not {sev!r}",
                )


def _negation(value: Any, where: _Where) -> CompiledNegation:
    w = where.at("section", "negation")
    lists: dict[str, list[str]] = {}
    for field in ("words", "skip", "stop"):
        words = []
        if field in value:
            for i, word in enumerate(_str_list(value[field], w, field)):
                toks = tokenize(word)
                if len(toks) != 1 or toks[0].kind != "w":
                    raise w.fail(f"{field}[{i}]", f"{word!r} must be exactly one word")
                words.append(toks[0].norm)
        lists[field] = words
    return {
        "window": _int(value["window"], w, "window", 1, MAX_WINDOW),
        "words": lists["words"],
        "skip": lists["skip"],
        "stop": lists["stop"],
    }


def compile_phrase(entry: str) -> list[str]:
    """Cut one lexicon entry into token specs: "word", "prefix*" or a {placeholder}."""
    specs: list[str] = []
    for piece in entry.split():
        if piece in PLACEHOLDERS:
            specs.append(piece)
            continue
        if "{" in piece or "}" in piece:
            raise ValueError(f"unknown placeholder in {piece!r} (known: {', '.join(PLACEHOLDERS)})")
        prefix = piece.endswith("*")
        toks = tokenize(piece[:-1] if prefix else piece)
        if any(t.kind in ("u", "e") for t in toks):
            raise ValueError(f"{piece!r} is a link or e-mail address; use {{url}} or {{email}}")
        if prefix:
            if len(toks) != 1 or toks[0].kind != "w":
                raise ValueError(f"{piece!r}: a * may only end a single plain word")
            specs.append(toks[0].norm + "*")
        else:
            specs.extend(t.norm for t in toks)
    if not specs:
        raise ValueError(f"{entry!r} has no words in it")
    if specs[0] == "{any}":
        raise ValueError(f"{entry!r} may not start with {{any}}")
    return specs


def _read_word_file(path: Path, w: _Where) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise w.fail("from_file", f"cannot read {path.name}") from None
    return [fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")]


_PLAIN_ENTRY = re.compile(r"[a-z][a-z '\-._]*\Z")


def _lexicons(value: Any, where: _Where, base: Path) -> dict[str, CompiledLexicon]:
    if not isinstance(value, dict) or not value:
        raise where.fail("lexicons", "must be a mapping of word-list name to its words")
    out = {}
    for name, spec in value.items():
        w = where.at("lexicon", str(name))
        if not isinstance(name, str) or not ID_RE.match(name):
            raise w.fail("(name)", "must be lower case letters, digits and _")
        if not spec["description"].strip():
            raise w.fail("description", "must say in words what the list is for")
        entries: list[str] = []
        if "from_file" in spec:
            entries.extend(_from_file(spec, w, base))
        elif "exclude" in spec or "only" in spec:
            raise w.fail("exclude" if "exclude" in spec else "only", "needs from_file")
        if "phrases" in spec:
            entries.extend(_str_list(spec["phrases"], w, "phrases"))
        if not entries:
            raise w.fail("phrases", "the list has no words")
        phrases, seen = [], set()
        for i, entry in enumerate(entries):
            try:
                specs = compile_phrase(entry)
            except ValueError as exc:
                raise w.fail(f"phrases[{i}]", str(exc)) from None
            key = " ".join(specs)
            if key not in seen:
                seen.add(key)
                phrases.append(specs)
        masked = []
        if spec.get("catch_masked"):
            masked = sorted(
                {p[0] for p in phrases if len(p) == 1 and re.fullmatch(r"[a-z]{3,}", p[0])}
            )
        out[name] = CompiledLexicon(
            capitalized=bool(spec.get("capitalized", False)),
            phrases=phrases,
            masked=masked,
        )
    return out


def _from_file(spec: dict[str, Any], w: _Where, base: Path) -> list[str]:
    rel = spec["from_file"]
    if not isinstance(rel, str) or rel.startswith("/") or ".." in Path(rel).parts:
        raise w.fail("from_file", "must be a path inside the autograder folder")
    words = _read_word_file(base / rel, w)
    known = set(words)
    if "only" in spec and "exclude" in spec:
        raise w.fail("only", "use only or exclude, not both")
    if "only" in spec:
        only = [fold(x) for x in _str_list(spec["only"], w, "only")]
        for i, word in enumerate(only):
            if word not in known:
                raise w.fail(f"only[{i}]", f"{word!r} is not in {rel}")
        keep = set(only)
        words = [x for x in words if x in keep]
    if "exclude" in spec:
        exclude = [fold(x) for x in _str_list(spec["exclude"], w, "exclude")]
        for i, word in enumerate(exclude):
            if word not in known:
                raise w.fail(f"exclude[{i}]", f"{word!r} is not in {rel}")
        drop = set(exclude)
        words = [x for x in words if x not in drop]
    # Entries with digits or symbols (sh!t, a55) are left to the masked-spelling check.
    return [x for x in words if _PLAIN_ENTRY.match(x)]


def _rules(
    value: Any,
    accounts: list[str],
    ideas: list[str],
    categories: dict[str, dict[str, str]],
    lexicons: dict[str, CompiledLexicon],
    where: _Where,
) -> list[CompiledRule]:
    if not isinstance(value, list) or not value:
        raise where.fail("rules", "must be a non-empty list of rules")
    out, seen = [], set()
    for i, spec in enumerate(value):
        rid = spec.get("id") if isinstance(spec, dict) else None
        w = where.at("rule", str(rid) if rid is not None else f"#{i + 1}")
        if not isinstance(spec, dict):
            raise w.fail("(rule)", "must be a mapping of fields")
        if not isinstance(rid, str) or not ID_RE.match(rid):
            raise w.fail("id", "must be lower case letters, digits and _")
        if rid in seen:
            raise w.fail("id", "is used by two rules")
        seen.add(rid)
        kind = spec["kind"]
        category = spec["category"]
        if "severity" in spec:
            severity = _severity(spec["severity"], accounts, w, "severity")
        else:
            severity = dict(categories[category])
        _positive_only(category, severity, w)
        rule: dict[str, Any] = {"id": rid, "category": category, "kind": kind}  # a CompiledRule
        for field in ("lexicons", "anchors", "unless_near"):
            if field in spec:
                names = _str_list(spec[field], w, field)
                for j, name in enumerate(names):
                    if name not in lexicons:
                        raise w.fail(f"{field}[{j}]", f"no word list is called {name!r}")
                rule[field] = names
        if kind == "pattern" and ("anchors" in spec) != ("window" in spec):
            raise w.fail("window", "anchors and window go together")
        if "window" in spec:
            rule["window"] = _int(spec["window"], w, "window", 1, MAX_WINDOW)
        if ("unless_near" in spec) != ("unless_window" in spec):
            raise w.fail("unless_window", "unless_near and unless_window go together")
        rule.setdefault("unless_near", [])
        rule["unless_window"] = (
            _int(spec["unless_window"], w, "unless_window", 1, MAX_WINDOW)
            if "unless_window" in spec
            else 0
        )
        rule["negatable"] = bool(spec.get("negatable", False))
        if kind == "pattern":
            rule["pattern"] = check_pattern(spec["pattern"], w)
        rule["severity"] = severity
        rule["message"] = _message(spec["message"], ideas, w)
        out.append(CompiledRule(**rule))  # type: ignore[typeddict-item]
    return out


def _message(value: Any, ideas: list[str], w: _Where, field: str = "message") -> str:
    if not isinstance(value, str) or not value.strip():
        raise w.fail(field, "must be a sentence for the student")
    text = " ".join(value.split())
    if len(text) > MAX_MESSAGE:
        raise w.fail(field, f"is {len(text)} characters; keep it under {MAX_MESSAGE}")
    if not any(text.startswith(idea + ": ") for idea in ideas):
        raise w.fail(field, "must start with a course idea from ideas, then ': '")
    return text


def _allow(value: Any, where: _Where) -> list[CompiledAllow]:
    if not isinstance(value, list):
        raise where.fail("allow", "must be a list of phrase groups")
    out = []
    for i, spec in enumerate(value):
        gid = spec.get("id") if isinstance(spec, dict) else None
        w = where.at("allow group", str(gid) if gid is not None else f"#{i + 1}")
        if not isinstance(gid, str) or not ID_RE.match(gid):
            raise w.fail("id", "must be lower case letters, digits and _")
        cats = None
        if "categories" in spec:
            cats = _str_list(spec["categories"], w, "categories")
            for j, cat in enumerate(cats):
                if cat not in CATEGORIES:
                    raise w.fail(f"categories[{j}]", f"{cat!r} is not a category")
        phrases = []
        for j, entry in enumerate(_str_list(spec["phrases"], w, "phrases")):
            try:
                phrases.append(compile_phrase(entry))
            except ValueError as exc:
                raise w.fail(f"phrases[{j}]", str(exc)) from None
        out.append(CompiledAllow(id=gid, categories=cats, phrases=phrases))
    return out


def _statements(value: Any, where: _Where) -> CompiledStatements:
    w = where.at("section", "statements")
    messages = value["messages"]
    part_names = value["part_names"]
    return {
        "max_words": _int(value["max_words"], w, "max_words", 3, 200),
        "near_identical_percent": _int(
            value["near_identical_percent"], w, "near_identical_percent", 1, 100
        ),
        "vague_words": sorted({fold(x) for x in _str_list(value["vague_words"], w, "vague_words")}),
        "stopwords": sorted({fold(x) for x in _str_list(value["stopwords"], w, "stopwords")}),
        "placeholder_marks": _str_list(value["placeholder_marks"], w, "placeholder_marks"),
        "placeholder_words": sorted(
            {fold(x) for x in _str_list(value["placeholder_words"], w, "placeholder_words")}
        ),
        "part_names": {k: str(part_names[k]) for k in ("role", "field", "audience")},
        "messages": {
            k: _message(
                messages[k], ["Positioning statement", "Positioning statements"], w, f"messages.{k}"
            )
            for k in STATEMENT_MESSAGES
        },
    }


PURPOSE_MESSAGES = (
    "kept",
    "lost",
    "lost_keywords",
    "salad",
    "unrelated",
    "cannot_read",
    "still_risky",
)


def _purpose(value: Any, ideas: list[str], where: _Where) -> CompiledPurpose:
    w = where.at("section", "purpose")
    messages = value["messages"]
    synonyms: dict[str, str] = {}
    for i, group in enumerate(value.get("synonyms") or []):
        words = [fold(x) for x in _str_list(group, w, f"synonyms[{i}]")]
        for word in words:
            synonyms.setdefault(word, words[0])
    return {
        "prefix_min": _int(value["prefix_min"], w, "prefix_min", 1, 20),
        "min_words": _int(value["min_words"], w, "min_words", 1, 100),
        "salad_min_words": _int(value.get("salad_min_words", 4), w, "salad_min_words", 1, 50),
        "salad_function_share": _int(
            value.get("salad_function_share", 15), w, "salad_function_share", 0, 100
        ),
        "salad_distinct_share": _int(
            value.get("salad_distinct_share", 60), w, "salad_distinct_share", 0, 100
        ),
        "min_related": _int(value.get("min_related", 2), w, "min_related", 0, 20),
        "function_words": sorted(
            {
                fold(x)
                for x in _str_list(value.get("function_words") or ["the"], w, "function_words")
            }
        ),
        "synonyms": dict(sorted(synonyms.items())),
        "messages": {k: _message(messages[k], ideas, w, f"messages.{k}") for k in PURPOSE_MESSAGES},
    }


# ---------------------------------------------------------------------------- patterns

_ESCAPES_ANYWHERE = set(".*+?()[]{}|/\\^$nt")
_QUANT = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")


def check_pattern(value: Any, w: _Where) -> str:
    """Accept only the regular-expression subset that Python and JavaScript read the same way.

    Allowed: literal characters, character classes with explicit ranges such as [A-Za-z0-9],
    groups (...) and (?:...), alternation |, quantifiers * + ? {m} {m,} {m,n} (also lazy),
    lookahead (?= ) (?! ) and fixed-width lookbehind (?<= ) (?<! ), and escaped punctuation
    such as \\. \\( \\+. Not allowed, because the two languages disagree on them: \\w \\d \\s \\b
    and other letter escapes, '.', '^', '$', named groups, back-references and inline flags.
    A pattern may be a list of strings, which are joined.
    """
    if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
        value = "".join(value)
    if not isinstance(value, str) or not value:
        raise w.fail("pattern", "must be a non-empty text (or a list of texts to join)")
    i, n, in_class = 0, len(value), False
    while i < n:
        c = value[i]
        if c == "\\":
            nxt = value[i + 1] if i + 1 < n else ""
            if nxt not in _ESCAPES_ANYWHERE and not (in_class and nxt == "-"):
                raise w.fail(
                    "pattern",
                    f"'\\{nxt}' at position {i} is not allowed; write the characters out, "
                    "for example [0-9] instead of \\d",
                )
            i += 2
            continue
        if in_class:
            if c == "[":
                raise w.fail("pattern", f"escape '[' inside a character class (position {i})")
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if value[i + 1 : i + 2] == "^":
                i += 1
            if value[i + 1 : i + 2] == "]":
                raise w.fail("pattern", f"empty character class at position {i}")
        elif c == ".":
            raise w.fail("pattern", f"'.' at position {i} is not allowed; write \\. for a dot")
        elif c in "^$":
            raise w.fail("pattern", f"'{c}' at position {i} is not allowed")
        elif c == "(" and value[i + 1 : i + 2] == "?":
            head = value[i + 2 : i + 4]
            if not (head[:1] in (":", "=", "!") or head in ("<=", "<!")):
                raise w.fail("pattern", f"only (?: (?= (?! (?<= (?<! groups (position {i}))")
        elif c == "{":
            m = _QUANT.match(value, i)
            if not m:
                raise w.fail("pattern", f"'{{' at position {i} must start a count like {{2,4}}")
            i = m.end()
            continue
        elif c == "}":
            raise w.fail("pattern", f"stray '}}' at position {i}")
        i += 1
    if in_class:
        raise w.fail("pattern", "a character class [ is not closed")
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise w.fail("pattern", f"is not a valid pattern: {exc}") from None
    if compiled.groupindex:
        raise w.fail("pattern", "named groups are not allowed")
    if compiled.fullmatch(""):
        raise w.fail("pattern", "matches empty text; it must match at least one character")
    return value

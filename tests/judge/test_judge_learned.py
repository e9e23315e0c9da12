"""The learned layer: how its findings join the rules' (with a tiny hand-made model, so each
behaviour is visible), the shipped model file, and the honest limits (posts in other languages)."""

from __future__ import annotations

import copy
import json

import pytest

from autograder.judge.learned import MODEL_FORMAT, Model, bucket_of, fnv1a
from autograder.judge.posts import CANNOT_READ, Rules, load_rules, review_post
from autograder.judge.rules import DEFAULT_RULES, MODEL_FILE, compile_rules

BITS = 18
# The shipped model: the file the judge reads beside its rules.
MODEL_PATH = DEFAULT_RULES.with_name(MODEL_FILE)


def tiny_model(weights: dict[str, dict[str, int]], threshold: dict[str, int], veto=None) -> dict:
    """A model whose features are whole words ("w|word") with the given integer weights."""
    cats = sorted(weights)
    buckets = {c: {bucket_of(f"w|{w}", BITS): v for w, v in weights[c].items()} for c in cats}
    index = sorted({b for c in cats for b in buckets[c]})
    pos = {b: i for i, b in enumerate(index)}
    return {
        "format": MODEL_FORMAT,
        "version": "test",
        "bits": BITS,
        "features": {"char_min": 0, "char_max": 0},
        "categories": cats,
        "bias": {c: 0 for c in cats},
        "threshold": threshold,
        "veto": veto or {},
        "index": index,
        "weights": {
            c: [x for b in sorted(buckets[c]) for x in (pos[b], buckets[c][b])] for c in cats
        },
    }


def rules_with(model: dict | None) -> Rules:
    compiled = compile_rules(with_model=False)
    if model is not None:
        compiled["model"] = model
    return Rules(compiled)


def test_fnv1a_is_the_standard_32_bit_hash():
    assert fnv1a("") == 2166136261
    assert fnv1a("a") == 0xE40C292C  # published FNV-1a test vector
    assert fnv1a("foobar") == 0xBF9CF968


def test_a_learned_finding_is_added_with_the_category_severity_message_and_words():
    model = tiny_model(
        {"negative_about_person": {"blorfish": 600, "accounts": 300}},
        {"negative_about_person": 500},
    )
    rules = rules_with(model)
    text = "The guy from accounts is a total blorfish"
    review = review_post(text, "professional", rules)
    learned = [f for f in review.findings if f.rule == "learned_negative_about_person"]
    assert len(learned) == 1
    f = learned[0]
    assert f.severity == "risk" and review.verdict == "do_not_post"
    assert text[f.start : f.end] == "blorfish"  # the strongest; "accounts" is under half
    assert f.message == rules.category_messages["negative_about_person"]
    assert f.message.startswith("Respect:")


def test_below_the_threshold_nothing_is_added():
    model = tiny_model({"negative_about_person": {"blorfish": 400}}, {"negative_about_person": 500})
    review = review_post("Our team blorfish tells the best jokes", "personal", rules_with(model))
    assert "negative_about_person" not in review.categories


def test_strong_neighbours_in_the_same_sentence_join_the_highlight():
    model = tiny_model({"alcohol_drugs": {"totally": 400, "zonkered": 600}}, {"alcohol_drugs": 500})
    text = "Got totally zonkered. Work tomorrow"
    review = review_post(text, "professional", rules_with(model))
    (f,) = [f for f in review.findings if f.rule == "learned_alcohol_drugs"]
    assert text[f.start : f.end] == "totally zonkered"


def test_a_category_that_is_off_on_the_account_is_never_added():
    model = tiny_model({"off_topic_personal": {"pancakes": 900}}, {"off_topic_personal": 100})
    rules = rules_with(model)
    text = "Pancakes with the kids this morning"
    assert "off_topic_personal" not in review_post(text, "personal", rules).categories
    assert "off_topic_personal" in review_post(text, "professional", rules).categories


def test_a_confident_low_score_vetoes_a_rule_false_alarm():
    text = "Found a memory leak in the build and fixed it"
    plain = review_post(text, "professional", rules_with(None))
    flagged = {f.category for f in plain.findings if f.severity != "info"}
    if not flagged:
        pytest.skip("the rules no longer flag this sentence, so there is nothing to veto")
    cat = sorted(flagged)[0]
    model = tiny_model({cat: {"leak": -900}}, {cat: 10_000}, veto={cat: -500})
    vetoed = review_post(text, "professional", rules_with(model))
    assert cat not in vetoed.categories


def test_a_word_added_to_the_rules_works_without_retraining(tmp_path):
    """An instructor adds a word to a list; the trained model is untouched and the rule fires."""
    source = DEFAULT_RULES.read_text(encoding="utf-8")
    marker = "  insults:\n    description:"
    assert marker in source
    start = source.index("phrases: [", source.index(marker))
    edited = source[:start] + "phrases: [snollygoster, " + source[start + len("phrases: [") :]
    (tmp_path / "rules.yml").write_text(edited, encoding="utf-8")
    for lexicon in (DEFAULT_RULES.parent / "lexicons").iterdir():
        (tmp_path / "lexicons").mkdir(exist_ok=True)
        (tmp_path / "lexicons" / lexicon.name).write_text(lexicon.read_text("utf-8"), "utf-8")
    (tmp_path / "model.json").write_text(MODEL_PATH.read_text("utf-8"), "utf-8")
    rules = Rules(compile_rules(tmp_path / "rules.yml"))
    assert rules.model is not None
    text = "My manager is a snollygoster"
    assert "negative_about_person" in review_post(text, "personal", rules).categories


def test_the_shipped_model_loads_and_covers_every_risk_category():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = Model.from_data(data)
    assert data["format"] == MODEL_FORMAT and model.version
    rules = load_rules()
    assert rules.model is not None and rules.model.version == model.version
    for cat in rules.data["categories"]:
        assert cat in model.categories
    assert set(model.veto) <= set(model.categories)


def test_a_broken_model_file_is_named():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    bad = copy.deepcopy(data)
    bad["format"] = 99
    with pytest.raises(ValueError, match=r"model\.json: format must be"):
        Model.from_data(bad)
    bad = copy.deepcopy(data)
    cat = bad["categories"][0]
    bad["weights"][cat] = bad["weights"][cat][:-1]
    with pytest.raises(ValueError, match=f"weights of '{cat}'"):
        Model.from_data(bad)


@pytest.mark.parametrize(
    "text",
    [
        "Hoy estoy muy feliz con mi equipo, gracias a todos por el apoyo",
        "Je suis très fière de mon équipe aujourd'hui, merci pour tout",
        "Salamat po sa lahat ng tumulong sa amin ngayong araw",
        "Привет всем! Сегодня был отличный день на работе.",
        "周末和家人去爬山了，天气很好。",
    ],
)
def test_a_post_mostly_in_another_language_cannot_be_read(text):
    for account in ("personal", "professional", "joint"):
        review = review_post(text, account)
        assert review.verdict == CANNOT_READ
        (f,) = review.findings
        assert f.category == "language" and f.message.startswith("Language:")


@pytest.mark.parametrize(
    "text",
    [
        "Gracias to everyone who came to our workshop on budgeting today!",
        "Café au lait and a croissant before the big presentation",
        "Our team in São Paulo shipped the release",
    ],
)
def test_english_with_a_few_foreign_words_is_still_judged(text):
    assert review_post(text, "professional").verdict != CANNOT_READ


def test_swearing_at_a_person_is_not_called_a_slur_against_a_group():
    review = review_post("F*** you Dave", "professional")
    cats = set(review.categories)
    assert "profanity" in cats
    assert "discriminatory" not in cats
    assert not any("group" in f.message for f in review.findings)

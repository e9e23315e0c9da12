"""The learned layer: how its findings join the rules' (with a tiny hand-made model, so each
behaviour is visible), the shipped model file, and the honest limits (posts in other languages)."""

from __future__ import annotations

import copy
import json
import struct

import pytest

from autograder.judge.learned import INPUT_ZERO, MODEL_FORMAT, Model, bucket_of, fnv1a
from autograder.judge.posts import CANNOT_READ, Rules, load_rules, review_post
from autograder.judge.rules import DEFAULT_RULES, MODEL_FILE, compile_rules

BITS = 18
# The shipped model: the file the judge reads beside its rules.
MODEL_PATH = DEFAULT_RULES.with_name(MODEL_FILE)


def tiny_model(
    weights: dict[str, dict[str, int]], threshold: dict[str, int], veto=None, veto_rules=()
) -> dict:
    """A model whose features are whole words ("w|word") with the given integer weights; its
    vetoes can drop the findings of ``veto_rules`` only (the rules it was "trained" with)."""
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
        "veto_rules": sorted(veto_rules),
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


@pytest.mark.parametrize("trained_with", [True, False], ids=["trained-rule", "new-rule"])
def test_a_confident_low_score_vetoes_only_a_rule_the_model_was_trained_with(trained_with):
    """A confident low score drops a rule's false alarm; a rule an instructor adds after
    training counts at once, whatever the model's score."""
    text = "Found a memory leak in the build and fixed it"
    plain = review_post(text, "professional", rules_with(None))
    flagged = {f.category for f in plain.findings if f.severity != "info"}
    if not flagged:
        pytest.skip("the rules no longer flag this sentence, so there is nothing to veto")
    cat = sorted(flagged)[0]
    fired = {f.rule for f in plain.findings if f.category == cat} if trained_with else {"x"}
    model = tiny_model({cat: {"leak": -900}}, {cat: 10_000}, veto={cat: -500}, veto_rules=fired)
    review = review_post(text, "professional", rules_with(model))
    assert (cat in review.categories) is not trained_with


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


def with_hidden(model: dict, rows: dict[str, list[int]], bias, output, output_bias, linear):
    """``model`` with a hand-made hidden layer: ``rows`` maps a word to its input weights."""
    words = sorted(rows)
    buckets = [bucket_of(f"w|{w}", BITS) for w in words]
    order = sorted(range(len(words)), key=lambda k: buckets[k])
    chars = "".join(chr(INPUT_ZERO + v) for k in order for v in rows[words[k]])
    model = copy.deepcopy(model)
    model["hidden"] = {
        "size": len(bias),
        "index": [buckets[k] for k in order],
        "input": chars,
        "bias": bias,
        "output": output,
        "output_bias": output_bias,
        "linear": linear,
    }
    return model


def hidden_example() -> dict:
    """Unit 0 = relu(-5 + 40 * blorfish + 27 * zarp), unit 1 = relu(3 - 45 * blorfish);
    score = 2 * (linear score) + 1 + 8 * unit 0 - 7 * unit 1."""
    cat = "negative_about_person"
    base = tiny_model({cat: {"blorfish": 10}}, {cat: 500})
    return with_hidden(
        base,
        {"blorfish": [40, -45], "zarp": [27, 0]},
        bias=[-5, 3],
        output={cat: [8, -7]},
        output_bias={cat: 1},
        linear={cat: 2},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blorfish", 2 * 10 + 1 + 8 * 35),  # unit 1 is 3 - 45 < 0: off
        ("zarp", 1 + 8 * 22 - 7 * 3),
        ("blorfish zarp", 2 * 10 + 1 + 8 * 62),
        ("nothing here", 1 - 7 * 3),  # unit 0 is -5: off
    ],
)
def test_the_hidden_layer_adds_integers_exactly_as_documented(text, expected):
    from autograder.judge.tokens import tokenize

    model = Model.from_data(hidden_example())
    assert model.scores(tokenize(text), [])["negative_about_person"] == expected


def test_a_hidden_finding_is_the_same_in_node(tmp_path):
    from autograder.judge.node import node_path, run_batch

    if node_path() is None:
        pytest.skip("node is not installed")
    compiled = compile_rules(with_model=False)
    compiled["model"] = hidden_example()
    rules_json = tmp_path / "rules.json"
    rules_json.write_text(json.dumps(compiled), encoding="utf-8")
    texts = ["blorfish zarp today", "zarp", "blorfish", "a calm post"]
    calls = [{"op": "review", "args": [t, "professional"]} for t in texts]
    rules = Rules(compiled)
    got = [json.loads(a) for a in run_batch(calls, rules_json)]
    want = [review_post(t, "professional", rules).to_dict() for t in texts]
    assert got == want
    # "blorfish zarp" scores 517, over the threshold of 500, only through the hidden layer
    assert [f["category"] for f in want[0]["findings"]] == ["negative_about_person"]
    assert not want[3]["findings"]


def input_row(hidden, bucket):
    """A bucket's hidden input weights as model.json stores them (None: the bucket has none)."""
    r = hidden.index.get(bucket)
    return (
        None
        if r is None
        else tuple(struct.unpack_from(f"{hidden.size}b", hidden.raw, r * hidden.size))
    )


def by_hand(model, tokens, rule_ids=()):
    """A post's scores and hidden units the slow way, as model.json describes them and
    judge.mjs adds them: weight by weight over the post's distinct buckets."""
    from autograder.judge.learned import bucket_of, post_features

    buckets = {
        bucket_of(f, model.bits) for f in post_features(tokens, list(rule_ids), model.config)
    }
    linear = {
        c: model.bias[c] + sum(model.weights[c].get(b, 0) for b in buckets)
        for c in model.categories
    }
    hidden = model.hidden
    rows = [row for b in buckets if (row := input_row(hidden, b)) is not None]
    units = [max(0, bias + sum(r[j] for r in rows)) for j, bias in enumerate(hidden.bias)]
    scores = {
        c: hidden.linear[c] * linear[c]
        + hidden.output_bias[k]
        + sum(u * w for u, w in zip(units, hidden.output[c], strict=True))
        for k, c in enumerate(model.categories)
    }
    return scores, units


def test_the_packed_sums_give_the_same_scores_as_one_by_one(monkeypatch):
    """The Python engine packs each bucket's weights and the output weights into big integers
    for speed; read whole, summed in parts (as for a post too long for one packed sum) or
    weight by weight, the scores, the units and the words' weights are the same."""
    from autograder.judge import learned
    from autograder.judge.tokens import tokenize

    model = load_rules().model
    assert model is not None and model.hidden is not None
    texts = [
        "Truly a visionary, the guy from accounts 👏👏 can't wait for round two",
        "Patient in bed 7 finally went home, what a week for the whole ward",
        " ".join(f"word{i}" for i in range(300)) + " the new manager is useless",
    ]
    tokens = [tokenize(t) for t in texts]
    packed = [model.read(t, ["insult_person"]) for t in tokens]
    assert packed == [by_hand(model, t, ["insult_person"]) for t in tokens]
    assert any(packed[0][1]) and any(packed[1][1])  # some units are on: the check checks
    monkeypatch.setattr(learned, "PACKED_MAX_ROWS", 3)  # many small packed sums
    monkeypatch.setattr(learned, "MAX_UNIT_SUM", -1)  # outputs one by one
    assert [model.read(t, ["insult_person"]) for t in tokens] == packed
    # a token's weight: its buckets' linear weights and input weights through the units on
    hidden = model.hidden
    toks = tokens[0]
    units = packed[0][1]
    for cat in ("negative_about_person", "adds_value"):
        through = [w if u else 0 for w, u in zip(hidden.output[cat], units, strict=True)]
        own = [
            {learned.bucket_of(f, model.bits) for f in feats}
            for feats in learned.token_features(toks, 0, 0)
        ]
        for i in range(1, len(own)):
            own[i].add(learned.bucket_of(learned.token_features(toks, 0, 0)[i - 1][1], model.bits))
        want = [
            sum(
                hidden.linear[cat] * model.weights[cat].get(b, 0)
                + sum(map(int.__mul__, input_row(hidden, b) or (0,) * hidden.size, through))
                for b in buckets
            )
            for buckets in own
        ]
        assert model.token_weights(toks, cat, units) == want
        # not given, the units are worked out again from the words alone (no rule features)
        alone = model.read(toks, [])[1]
        assert model.token_weights(toks, cat) == model.token_weights(toks, cat, alone)


def test_a_broken_hidden_layer_is_named():
    data = hidden_example()
    data["hidden"]["bias"] = [1]
    with pytest.raises(ValueError, match=r"model\.json: the hidden layer's input does not match"):
        Model.from_data(data)
    data = hidden_example()
    data["hidden"]["output"]["negative_about_person"] = [1]
    with pytest.raises(ValueError, match="needs 2 output weights a category"):
        Model.from_data(data)
    data = hidden_example()
    data["hidden"]["input"] = chr(INPUT_ZERO + 46) + data["hidden"]["input"][1:]
    with pytest.raises(ValueError, match=r"input weights must be within -45 \.\. 45"):
        Model.from_data(data)


def test_a_finding_of_the_hidden_layer_highlights_the_word_that_drove_it(tmp_path):
    """ "zarp" has no linear weight: only the hidden layer makes it count, so the highlight must
    read the hidden layer too (the linear weights alone would point at "blorfish")."""
    from autograder.judge.node import node_path, run_batch

    cat = "negative_about_person"
    data = with_hidden(
        tiny_model({cat: {"blorfish": 10}}, {cat: 400}),
        {"zarp": [45, 0], "blorfish": [0, 0]},
        bias=[0, 0],
        output={cat: [14, 0]},
        output_bias={cat: -100},
        linear={cat: 2},
    )
    text = "blorfish then zarp"
    rules = rules_with(data)
    (finding,) = review_post(text, "professional", rules).findings
    assert text[finding.start : finding.end] == "zarp"
    if node_path() is None:
        pytest.skip("node is not installed")
    compiled = compile_rules(with_model=False)
    compiled["model"] = data
    rules_json = tmp_path / "rules.json"
    rules_json.write_text(json.dumps(compiled), encoding="utf-8")
    (js,) = run_batch([{"op": "review", "args": [text, "professional"]}], rules_json)
    assert json.loads(js) == review_post(text, "professional", rules).to_dict()

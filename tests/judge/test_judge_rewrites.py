"""Purpose by meaning and the rewrite check, on the course's own fix-the-post posts, and the
rewrite command lines in both languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.judge.corpus_data import load_posts, load_rewrites
from autograder.judge.course_posts import fix_posts
from autograder.judge.node import node_path
from autograder.judge.purpose import check_purpose, stem
from autograder.judge.rewrite import check_rewrite

ROOT = Path(__file__).resolve().parents[2]
HYGIENIST = fix_posts()["fix_the_posts/hygienist-patient"]


def purpose_of(text: str):
    return check_purpose(text, HYGIENIST["purpose"], HYGIENIST["post"])


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("returns", "return"),
        ("flossing", "floss"),
        ("planned", "plan"),
        ("shipped", "ship"),
        ("stories", "story"),
        ("boxes", "box"),
        ("class", "class"),
        ("bus", "bus"),
        ("team's", "team"),
    ],
)
def test_stem_cuts_one_common_ending(word, expected):
    assert stem(word) == expected


def test_keyword_salad_fails_and_says_so():
    result = purpose_of("clinic day shift floss gums teeth clinic day")
    assert not result.kept and result.salad
    assert "list of words" in result.message


def test_repeated_words_are_salad_too():
    assert purpose_of("teeth teeth teeth gums gums gums clinic clinic day").salad


def test_an_unrelated_post_fails_and_restates_the_purpose():
    result = purpose_of("Have a lovely weekend everyone, see you all on Monday!")
    assert not result.kept and not result.salad
    assert "something else" in result.message
    assert HYGIENIST["purpose"]["summary"].strip()[:30] in result.message


def test_a_missing_part_is_named_in_plain_words():
    result = purpose_of("Long day at the clinic today, so many patients. Off to bed now.")
    assert not result.kept
    assert result.missing == ("a reminder to look after your teeth and gums",)
    assert "It no longer says a reminder to look after your teeth and gums." in result.message


@pytest.mark.parametrize(
    "text",
    [
        "Long shift at the clinic today! Friendly reminder to floss, your gums will thank you.",
        "What a day at the practice. Please brush twice a day and floss, friends!",
        "Exhausting day at work with my patients. Look after your teeth, everyone 🦷",
    ],
)
def test_paraphrases_and_synonyms_keep_the_purpose(text):
    result = purpose_of(text)
    assert result.kept, result.message
    assert not result.missing


def test_a_rewrite_in_another_language_is_not_called_a_word_list():
    result = purpose_of("Hoy fue un día muy largo en la clínica, recuerden usar el hilo dental.")
    assert not result.kept and not result.salad
    assert "reads English only" in result.message


def test_the_rewrite_check_combines_judge_purpose_length_and_change():
    entry = fix_posts()["pitfalls/fix-credit-taker"]
    args = (entry["post"], entry["account"], entry["purpose"])
    good = check_rewrite(entry["model_rewrite"], *args)
    assert good.passes and good.to_dict()["passes"] is True
    same = check_rewrite(entry["post"], *args)
    assert not same.passes and not same.changed
    short = check_rewrite("Proud of my analysis today!", *args)
    assert not short.passes and not short.long_enough
    assert set(good.to_dict()) == {
        "passes",
        "verdict",
        "findings",
        "still_risky",
        "purpose",
        "length",
        "changed",
    }


KITCHEN = fix_posts()["fix_the_posts/kitchen-job-hungover"]


def kitchen(text: str):
    return check_rewrite(text, KITCHEN["post"], KITCHEN["account"], KITCHEN["purpose"])


def test_a_rewrite_still_risky_in_softer_words_fails_and_marks_the_words():
    # the judge alone reads this as fine; beside the original ("Hungover AF ...") it is the
    # same confession, only softer
    text = "Kitchen job today! A bit worse for wear after last night but the cabinets are going in."
    result = kitchen(text)
    assert result.review.verdict == "ok"
    assert result.still_risky and not result.passes
    shown = result.to_dict()["still_risky"]
    assert shown["flagged"] is True
    assert shown["message"].startswith("Professional reputation: ")
    assert "softer words" in shown["message"]
    marked = text[shown["start"] : shown["end"]]
    assert marked and marked in text
    assert result.purpose.kept and result.long_enough


@pytest.mark.parametrize(
    "text",
    [
        "Kitchen job today, cabinets going in!",
        "Kitchen job today. Fitting new cabinets for a lovely family, photos soon.",
        "Busy week! New kitchen going in today, worktops fitted by Friday.",
    ],
)
def test_plain_good_rewrites_are_not_called_still_risky(text):
    result = kitchen(text)
    assert result.softer is not None and not result.still_risky, text
    assert result.to_dict()["still_risky"] == {
        "flagged": False,
        "start": 0,
        "end": 0,
        "message": "",
    }


def test_the_softer_words_model_only_reads_rewrites_of_posts_it_learned():
    # an instructor's new exercise (or an edited post) gets the judge and purpose check alone
    edited = KITCHEN["post"].replace("Hendersons'", "Smiths'")
    result = check_rewrite(
        "Kitchen job today! A bit worse for wear after last night but the cabinets are going in.",
        edited,
        KITCHEN["account"],
        KITCHEN["purpose"],
    )
    assert result.softer is None and result.to_dict()["still_risky"] is None
    assert result.passes  # the judge and the purpose check alone let it through


def test_every_model_rewrite_passes_and_every_original_fails():
    for ident, entry in fix_posts().items():
        args = (entry["post"], entry["account"], entry["purpose"])
        assert check_rewrite(entry["model_rewrite"], *args).passes, ident
        assert not check_rewrite(entry["post"], *args).passes, ident


def test_the_corpus_is_the_size_the_issue_asks_for():
    test = load_posts("test")
    assert len(test) >= 600
    total = sum(len(load_posts(s)) for s in ("train", "dev", "test")) - len(load_posts("old_dev"))
    assert total >= 3000
    ids = [p.id for s in ("train", "dev", "test") for p in load_posts(s)]
    assert len(ids) == len(set(ids))
    cats = {c for p in test for c in p.categories}
    assert len(cats) == 13
    assert {p.account for p in test} == {"personal", "professional", "joint"}
    assert any(p.verdict == "cannot_read" for p in test)
    rewrites = load_rewrites()
    assert len(rewrites) >= 400
    assert {r.kind for r in rewrites} == {
        "good",
        "still_risky",
        "purpose_lost",
        "keyword_salad",
        "sarcastic",
        "too_short",
    }
    assert all(r.passes == (r.kind == "good") for r in rewrites)
    assert set(r.post for r in rewrites) == set(fix_posts())


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)


TEXT = "Long day at the clinic! Friendly reminder to floss every day, your gums will thank you."


def test_rewrite_command_line_prints_the_check_as_json():
    py = run(
        [
            sys.executable,
            "-m",
            "autograder.rewrite",
            "--post",
            "fix_the_posts/hygienist-patient",
            TEXT,
        ]
    )
    assert py.returncode == 0, py.stderr
    data = json.loads(py.stdout)
    entry = HYGIENIST
    assert data == check_rewrite(TEXT, entry["post"], entry["account"], entry["purpose"]).to_dict()
    assert data["passes"] is True


def test_rewrite_command_lines_agree_byte_for_byte():
    node = node_path()
    if node is None:
        pytest.skip("node is not installed")
    for post, text in [
        ("fix_the_posts/hygienist-patient", TEXT),
        (
            "pitfalls/fix-party-night",
            "Happy birthday Kayla! Fun night, can't remember most of it 🍾",
        ),
        ("review/review-fix-post", "audit done team proud audit done team proud"),
    ]:
        py = run([sys.executable, "-m", "autograder.rewrite", "--post", post, text])
        js = run([node, "autograder/js/rewrite-cli.mjs", "--post", post, text])
        assert py.returncode == js.returncode == 0, (py.stderr, js.stderr)
        assert py.stdout == js.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--post", "nowhere/nothing", "hi"], b"unknown post"),
        (["hello"], b"choose a post"),
    ],
)
def test_rewrite_command_line_bad_input_is_one_line_and_exit_2(args, message):
    results = [run([sys.executable, "-m", "autograder.rewrite", *args])]
    node = node_path()
    if node is not None:
        results.append(run([node, "autograder/js/rewrite-cli.mjs", *args]))
    for result in results:
        assert result.returncode == 2
        assert message in result.stderr and result.stderr.count(b"\n") == 1
        assert b"Traceback" not in result.stderr


def test_the_shipped_softer_words_model_is_what_the_corpus_trains():
    """model.json's rewrite part is reproducible: the same dev rewrites give the same integers
    (so a reviewer can trust the diff of the data file)."""
    from autograder.judge.rules import DEFAULT_RULES, MODEL_FILE
    from autograder.judge.train_softer import fit, training_rows

    shipped = json.loads(DEFAULT_RULES.with_name(MODEL_FILE).read_text(encoding="utf-8"))
    rows = training_rows()
    assert not [r for r, _, _ in rows if r.split != "dev"]  # the test rewrites are never read
    assert fit(rows) == shipped["rewrite"]


def test_a_broken_softer_words_model_is_named():
    from autograder.judge.rules import DEFAULT_RULES, MODEL_FILE
    from autograder.judge.softer import RewriteModel

    data = json.loads(DEFAULT_RULES.with_name(MODEL_FILE).read_text(encoding="utf-8"))["rewrite"]
    data["weights"] = data["weights"][:-1]
    with pytest.raises(ValueError, match="rewrite model's index and weights differ"):
        RewriteModel.from_data(data)

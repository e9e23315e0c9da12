"""Exercise content files: good files load, broken ones fail with a message naming the place."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from support.samples import GOOD

from exercises.data import (
    ExerciseDataError,
    find_exercise_files,
    load_exercise_file,
    validate_exercise_data,
)


def broken(mutate) -> dict:
    data = copy.deepcopy(GOOD)
    mutate(data)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(ExerciseDataError) as info:
        validate_exercise_data(data, "book/demo/exercises.yml", chapter="demo")
    return info.value.problems


def test_good_data_loads_with_ids_in_order():
    result = validate_exercise_data(GOOD, "book/demo/exercises.yml", chapter="demo")
    assert result.chapter == "demo"
    assert result.ids == ["who-sees", "sort-it", "story"]
    assert result.get("story")["start"] == "one"


def test_options_and_choices_get_ids_that_do_not_depend_on_position():
    result = validate_exercise_data(GOOD, "book/demo/exercises.yml", chapter="demo")
    options = result.get("who-sees")["options"]
    ids = [o["id"] for o in options]
    assert len(set(ids)) == 2 and all(i.startswith("o-") for i in ids)
    reordered = copy.deepcopy(GOOD)
    reordered["exercises"][0]["options"].reverse()
    again = validate_exercise_data(reordered, "book/demo/exercises.yml").get("who-sees")
    assert {o["text"]: o["id"] for o in again["options"]} == {o["text"]: o["id"] for o in options}
    # An author's own id wins, so a saved answer survives an edit of the text.
    named = broken(lambda d: d["exercises"][2]["steps"][0]["choices"][0].update(id="call"))
    story = validate_exercise_data(named, "book/demo/exercises.yml").get("story")
    assert story["steps"][0]["choices"][0]["id"] == "call"
    assert story["steps"][0]["choices"][1]["id"].startswith("o-")
    assert "id" not in GOOD["exercises"][0]["options"][0], "the caller's data was changed"


def test_unknown_exercise_id_names_the_known_ones():
    result = validate_exercise_data(GOOD, "book/demo/exercises.yml")
    with pytest.raises(ExerciseDataError, match=r"no exercise 'nope' \(this file has: who-sees"):
        result.get("nope")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["exercises"][0]["options"][1].pop("feedback"),
            "book/demo/exercises.yml: exercise 'who-sees', field 'options[1].feedback': "
            "this field is required but missing",
        ),
        (
            lambda d: d["exercises"][0]["options"][0].update(feedback="   "),
            "exercise 'who-sees', field 'options[0].feedback': must not be empty",
        ),
        (
            lambda d: d["exercises"][0].update(type="quiz"),
            "exercise 'who-sees', field 'type': 'quiz' is not allowed; use one of "
            "'multiple_choice'",
        ),
        (
            lambda d: d["exercises"][1]["cards"][0].update(answr="personal"),
            "exercise 'sort-it', field 'cards[0]': unknown field(s) 'answr'; check the spelling",
        ),
        (
            lambda d: d["exercises"][1]["cards"][0].update(answer="work"),
            "exercise 'sort-it', field 'cards[0].answer': 'work' is not a category id "
            "(use one of personal, professional)",
        ),
        (
            lambda d: d["exercises"][1]["cards"][1]["post"].update(handle="kim"),
            "exercise 'sort-it', field 'cards[1].post.handle': 'kim' has the wrong form: "
            "start with @",
        ),
        (
            lambda d: d["exercises"][0]["options"][0].update(correct=True),
            "exercise 'who-sees', field 'options': a one-answer question needs exactly one "
            "correct option, found 2",
        ),
        (
            lambda d: d["exercises"][2]["steps"][0]["choices"][0].update(next="three"),
            "exercise 'story', field 'steps[0].choices[0].next': 'three' is not the id of a step",
        ),
        (
            lambda d: d["exercises"][2].update(start="zero"),
            "exercise 'story', field 'start': 'zero' is not the id of a step",
        ),
        (
            lambda d: d["exercises"][2]["steps"][0]["choices"][0].pop("next"),
            "exercise 'story', field 'steps': step 'two' can never be reached from the start",
        ),
        (
            lambda d: d["exercises"][2]["steps"][1].update(id="one"),
            "exercise 'story', field 'steps': step id 'one' is used twice",
        ),
        (
            lambda d: d["exercises"][1].update(id="who-sees"),
            "exercise 'who-sees', field 'id': this exercise id is used twice in the file",
        ),
        (
            lambda d: d["exercises"][0].update(id="Who Sees"),
            "exercise 'Who Sees', field 'id': 'Who Sees' has the wrong form: use lower-case "
            "letters and digits joined by hyphens",
        ),
        (
            lambda d: d["exercises"][0].update(options=d["exercises"][0]["options"][:1]),
            "exercise 'who-sees', field 'options': has 1 item(s); it needs at least 2",
        ),
        (
            lambda d: d["exercises"][0]["options"][1].update(feedback="Yes. Friends forward."),
            "exercise 'who-sees', field 'options[1].feedback': starts with 'Yes'; the exercise "
            "already says whether a choice is right, so start with the reason",
        ),
        (
            lambda d: d["exercises"][1]["cards"][0].update(feedback="Correct! Family news."),
            "exercise 'sort-it', field 'cards[0].feedback': starts with 'Correct'",
        ),
        (
            lambda d: d["exercises"][0]["options"][1].update(text="Only friends"),
            "exercise 'who-sees', field 'options': two options have the same id or text",
        ),
        (
            lambda d: d["exercises"][2]["steps"][1]["choices"][1].update(id="Ignore"),
            "exercise 'story', field 'steps[1].choices[1].id': 'Ignore' has the wrong form",
        ),
        (
            lambda d: [c.update(id="same") for c in d["exercises"][2]["steps"][0]["choices"]],
            "exercise 'story', field 'steps[0].choices': two options have the same id or text "
            "('same')",
        ),
        (
            lambda d: d.update(chapter="other"),
            "book/demo/exercises.yml, field 'chapter': says 'other' but the file belongs to 'demo'",
        ),
    ],
)
def test_broken_data_names_file_exercise_and_field(mutate, expected):
    problems = problems_of(broken(mutate))
    assert any(expected in line for line in problems), problems


def test_exercise_without_usable_id_is_named_by_position():
    data = broken(lambda d: d["exercises"][1].pop("id"))
    problems = problems_of(data)
    assert any(
        "exercise '#2', field 'id': this field is required but missing" in p for p in problems
    ), problems


def test_every_problem_is_reported_not_only_the_first():
    def two_faults(d):
        d["exercises"][0]["options"][0].pop("feedback")
        d["exercises"][1]["cards"][1].pop("feedback")

    problems = problems_of(broken(two_faults))
    assert len(problems) == 2
    assert "exercise 'who-sees'" in problems[0]
    assert "exercise 'sort-it'" in problems[1]


def test_top_level_must_be_a_mapping():
    problems = problems_of(["not", "a", "mapping"])
    assert problems == [
        "book/demo/exercises.yml: the file must hold 'chapter:' and 'exercises:' at the top"
    ]


def test_yaml_syntax_error_names_line(tmp_path: Path):
    folder = tmp_path / "book" / "demo"
    folder.mkdir(parents=True)
    path = folder / "exercises.yml"
    path.write_text("chapter: demo\nexercises:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ExerciseDataError) as info:
        load_exercise_file(path, root=tmp_path)
    message = str(info.value)
    assert message.startswith("book/demo/exercises.yml: not valid YAML at line")


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(ExerciseDataError, match=r"book/x/exercises\.yml: file not found"):
        load_exercise_file(tmp_path / "book" / "x" / "exercises.yml", root=tmp_path)


def test_decision_helper_points_must_name_outcomes():
    data = {
        "chapter": "demo",
        "exercises": [
            {
                "id": "accounts",
                "type": "decision_helper",
                "prompt": "Which set-up suits you?",
                "questions": [
                    {
                        "id": "often",
                        "text": "How often do you post about work?",
                        "options": [
                            {"text": "Often", "points": {"separate": 2}, "reason": "Busy."},
                            {"text": "Rarely", "points": {"joined": 1}, "reason": "Quiet."},
                        ],
                    }
                ],
                "outcomes": [
                    {"id": "separate", "title": "Separate", "explanation": "Two accounts."},
                    {"id": "joint", "title": "Joint", "explanation": "One account."},
                ],
            }
        ],
    }
    problems = problems_of(data)
    assert problems == [
        "book/demo/exercises.yml: exercise 'accounts', field 'questions[0].options[1].points': "
        "'joined' is not an outcome id (use one of separate, joint)"
    ]


def test_every_exercise_file_in_the_book_is_valid(root: Path):
    files = find_exercise_files(root / "book")
    assert files, "the book has no exercise files"
    for path in files:
        exercise_set = load_exercise_file(path, root=root)
        assert exercise_set.chapter == path.parent.name
        assert exercise_set.ids


def test_schema_file_round_trips_through_yaml():
    # Authors copy from the schema's examples in YAML; the validator must accept plain YAML types.
    text = yaml.safe_dump(GOOD)
    validate_exercise_data(yaml.safe_load(text), "book/demo/exercises.yml", chapter="demo")

"""The widget classes on the Python side: synced traits, validation, chapters and settings."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from support.samples import GOOD

from coursebook import Chapter, CourseConfigError
from coursebook.page_state import drop_unused_layouts, share_long_strings
from coursebook.settings import parse_course_config
from exercises import (
    ExerciseDataError,
    MultipleChoice,
    Scenario,
    SortThePosts,
    widget_for,
)

MC, SORT, STORY = (copy.deepcopy(e) for e in GOOD["exercises"])


def test_multiple_choice_traits_are_synced_to_the_front_end():
    widget = MultipleChoice(MC, chapter="demo", course_id="my-course")
    state = widget.get_state()
    assert state["spec"]["options"][1]["correct"] is True
    assert state["exercise_id"] == "who-sees"
    assert state["chapter"] == "demo"
    assert state["course_id"] == "my-course"
    assert state["graded"] is True
    assert state["response"] == {}
    assert state["_model_name"] == "AnyModel"
    # The front end is the shared core followed by the type's own module.
    assert "function report(model, result)" in state["_esm"]
    assert "function renderMultipleChoice" in state["_esm"]
    assert (
        state["_esm"]
        .rstrip()
        .endswith("export default { render: safeRender(renderMultipleChoice) };")
    )
    assert ".smx-post" in state["_css"]


def test_each_type_gets_its_own_front_end():
    sort = SortThePosts(SORT)
    story = Scenario(STORY)
    assert "renderSortThePosts" in sort._esm and "renderScenario" not in sort._esm
    assert "renderScenario" in story._esm


def test_response_from_the_front_end_is_readable_in_python():
    widget = MultipleChoice(MC)
    widget.set_state({"response": {"v": 1, "answer": [1], "correct": True, "completed": True}})
    assert widget.completed and widget.correct


def test_spec_type_is_filled_in_by_the_class():
    spec = {k: v for k, v in MC.items() if k != "type"}
    assert MultipleChoice(spec).spec["type"] == "multiple_choice"


def test_wrong_class_for_the_type_is_explained():
    with pytest.raises(ExerciseDataError) as info:
        SortThePosts(MC, source="book/demo/exercises.yml")
    assert str(info.value) == (
        "book/demo/exercises.yml: exercise 'who-sees' has type 'multiple_choice', "
        "but SortThePosts shows 'sort_the_posts' exercises"
    )


def test_bad_content_is_rejected_with_the_field_named():
    spec = copy.deepcopy(MC)
    del spec["options"][0]["feedback"]
    with pytest.raises(ExerciseDataError) as info:
        MultipleChoice(spec, chapter="demo", source="book/demo/exercises.yml")
    assert str(info.value) == (
        "book/demo/exercises.yml: exercise 'who-sees', field 'options[0].feedback': "
        "this field is required but missing"
    )


def test_non_mapping_spec_is_rejected():
    with pytest.raises(ExerciseDataError, match="an exercise must be a mapping, got list"):
        MultipleChoice(["who-sees"])


def test_widget_for_picks_the_class_and_names_unknown_types():
    assert isinstance(widget_for(copy.deepcopy(STORY)), Scenario)
    with pytest.raises(ExerciseDataError, match=r"exercise type 'quiz' has no widget yet"):
        widget_for({"id": "x", "type": "quiz"}, source="book/demo/exercises.yml")


def test_chapter_shows_exercises_from_its_file(root: Path):
    chapter = Chapter("personal_and_professional", root=root)
    first = chapter.exercises.ids[0]
    widget = chapter.show(first)
    assert widget.exercise_id == first
    assert widget.chapter == "personal_and_professional"
    assert widget.course_id == chapter.course.id == "two-presences"


def test_chapter_finds_the_project_from_a_subfolder(root: Path, monkeypatch):
    monkeypatch.chdir(root / "book")
    assert Chapter("personal_and_professional").root == root


def test_chapter_outside_the_project_says_where_to_run(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseConfigError, match=r"could not find _config\.yml"):
        Chapter("pitfalls")


@pytest.mark.parametrize(
    ("course", "message"),
    [
        ({"id": "x"}, "'course.title' (or 'title') is missing or empty"),
        ({"id": "Bad Id", "title": "T"}, "'course.id' must be lower-case letters"),
        ({"id": "c", "title": "T", "mastery_score": 1.5}, "must be a number from 0 to 1, got 1.5"),
        ({"id": "c", "title": "T", "mastery_score": True}, "must be a number from 0 to 1"),
        ({"id": "c", "title": "T", "completion": "sometimes"}, "'course.completion' must be one"),
    ],
)
def test_bad_course_settings_are_named(course, message):
    with pytest.raises(CourseConfigError) as info:
        parse_course_config({"course": course})
    assert str(info.value).startswith("_config.yml: ")
    assert message in str(info.value)


def test_course_settings_are_read(root: Path):
    from coursebook import load_course_config

    config = load_course_config(root)
    assert config.id == "two-presences"
    assert 0 <= config.mastery_score <= 1


def test_shared_strings_are_stored_once_and_sharing_is_idempotent():
    core = "// shared helpers\n" + "x" * 2000 + "\n"
    mc, sort = core + "render multiple choice\n", core + "render sort\n"
    state = {
        "state": {
            "a": {"model_module": "anywidget", "state": {"_esm": mc, "_css": "c" * 900}},
            "b": {"model_module": "anywidget", "state": {"_esm": mc, "_css": "c" * 900}},
            "c": {"model_module": "anywidget", "state": {"_esm": sort, "_css": "c" * 900}},
            "d": {"model_module": "anywidget", "state": {"_esm": "short", "spec": {}}},
        }
    }
    once = share_long_strings(copy.deepcopy(state))
    shared = once["smx_shared"]
    a, c = once["state"]["a"]["state"], once["state"]["c"]["state"]
    # the common helpers are stored once; each module keeps only its own rest
    assert "".join(shared[k] for k in a["_esm"]["$smx"]) == mc
    assert "".join(shared[k] for k in c["_esm"]["$smx"]) == sort
    assert a["_esm"]["$smx"][0] == c["_esm"]["$smx"][0]
    assert shared[a["_esm"]["$smx"][0]] == core
    assert "".join(shared[k] for k in a["_css"]["$smx"]) == "c" * 900
    assert once["state"]["d"]["state"]["_esm"] == "short"
    assert sum(len(v) for v in shared.values()) < len(mc) + len(sort)
    assert share_long_strings(copy.deepcopy(once)) == once


def test_widget_modules_move_to_shared_files_once(tmp_path):
    from coursebook.page_state import module_file, move_modules_to_files

    core = "// shared helpers\n" + "x" * 2000 + "\n"
    mc, sort = core + "render multiple choice\n", core + "render sort\n"
    state = share_long_strings(
        {
            "state": {
                "a": {"model_module": "anywidget", "state": {"_esm": mc, "_css": "c" * 900}},
                "b": {"model_module": "anywidget", "state": {"_esm": mc, "_css": "c" * 900}},
                "c": {"model_module": "anywidget", "state": {"_esm": sort, "spec": {}}},
            }
        }
    )
    moved = move_modules_to_files(copy.deepcopy(state), tmp_path)

    def source(keys: list[str]) -> str:
        parts = []
        for key in keys:
            text = (tmp_path / "_static" / module_file(key)).read_text("utf-8")
            assert text.startswith("window.smxModules = window.smxModules || {};")
            parts.append(json.loads(text.split(f'window.smxModules["{key}"] = ', 1)[1][:-2]))
        return "".join(parts)

    a, c = moved["state"]["a"]["state"], moved["state"]["c"]["state"]
    assert source(a["_esm"]["$smxmodule"]) == mc and source(c["_esm"]["$smxmodule"]) == sort
    assert a["_esm"]["$smxmodule"][0] == c["_esm"]["$smxmodule"][0]  # the helpers: one file
    assert len(list((tmp_path / "_static").rglob("module-*.js"))) == 3
    # the page keeps only what is not code: the shared stylesheet, in one place
    assert list(moved["smx_shared"].values()) == ["c" * 900]
    assert move_modules_to_files(copy.deepcopy(moved), tmp_path) == moved
    # a page with one widget type and nothing shared keeps no smx_shared at all
    single = move_modules_to_files({"state": {"d": {"state": {"_esm": "short"}}}}, tmp_path)
    assert "smx_shared" not in single and "$smxmodule" in single["state"]["d"]["state"]["_esm"]


def test_layouts_are_dropped_only_when_nothing_else_could_use_them():
    layout = {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base", "state": {}}
    ours = {"model_module": "anywidget", "state": {}}
    slider = {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls"}
    assert drop_unused_layouts({"state": {"a": ours, "l": layout}})["state"] == {"a": ours}
    kept = drop_unused_layouts({"state": {"s": slider, "l": layout}})
    assert set(kept["state"]) == {"s", "l"}


def test_the_judge_moves_to_one_shared_file(tmp_path):
    from coursebook.page_state import move_judge_to_file

    source, rules = "export const x = 1;\n" * 50, '{"format": 1}'
    state = {
        "state": {
            m: {
                "model_module": "anywidget",
                "state": {"judge_source": source, "judge_rules": rules},
            }
            for m in ("a", "b")
        }
    }
    moved = move_judge_to_file(state, tmp_path)
    (written,) = (tmp_path / "_static" / "judge").iterdir()
    key = written.stem.removeprefix("judge-")
    for model in moved["state"].values():
        assert model["state"] == {
            "judge_source": {"$smxfile": key},
            "judge_rules": {"$smxfile": key},
        }
    text = written.read_text(encoding="utf-8")
    assert text.startswith("window.smxJudgeFiles = window.smxJudgeFiles || {};")
    payload = json.loads(text.split(f'window.smxJudgeFiles["{key}"] = ', 1)[1].rstrip().rstrip(";"))
    assert payload == {"judge_source": source, "judge_rules": rules}

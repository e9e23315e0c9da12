"""The capstone's widget on the Python side: it finds the exercises its parts gather answers
from, and names every part it cannot use."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from coursebook import Chapter
from exercises import ExerciseDataError, PresencePlan, widget_for

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "book/my_presence_plan/exercises.yml"


def plan_spec() -> dict:
    data = yaml.safe_load((ROOT / SOURCE).read_text(encoding="utf-8"))
    return copy.deepcopy(data["exercises"][0])


def make(spec: dict, **kwargs) -> PresencePlan:
    return PresencePlan(spec, chapter="my_presence_plan", source=SOURCE, **kwargs)


def test_the_plan_carries_the_exercises_it_reads_and_the_chapters_it_links_to():
    widget = Chapter("my_presence_plan", root=ROOT).show("my-plan")
    assert isinstance(widget, PresencePlan)
    state = widget.get_state()
    assert state["graded"] is False
    read = state["sources"]["exercises"]
    assert read["positioning_statements/build-your-statements"]["type"] == "statement_builder"
    assert read["separate_or_joint/choose-your-setup"]["type"] == "decision_helper"
    assert read["privacy_settings/privacy-audit"]["type"] == "privacy_checklist"
    chapters = state["sources"]["chapters"]
    assert chapters["adding_value"] == {
        "title": "Adding value and sharing opportunity",
        "page": "book/adding_value",
    }
    assert set(chapters) == {
        "positioning_statements",
        "separate_or_joint",
        "privacy_settings",
        "adding_value",
        "when_a_post_goes_wrong",
    }
    # its front end has what it shares with the two exercise types it reads
    for name in ("function statementSentence", "function decisionResult", "renderPresencePlan"):
        assert name in state["_esm"]
    assert ".smx-plan-sheet" in state["_css"] and "@media print" in state["_css"]


def test_the_plan_is_found_from_the_book_folder_too(monkeypatch):
    monkeypatch.chdir(ROOT / "book")
    widget = widget_for(plan_spec(), chapter="my_presence_plan", source=SOURCE)
    assert "separate_or_joint/choose-your-setup" in widget.sources["exercises"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"from": "separate_or_joint/no-such-helper"},
            "field 'parts[1].from': 'separate_or_joint/no-such-helper' cannot be read: "
            "book/separate_or_joint/exercises.yml: there is no exercise 'no-such-helper'",
        ),
        (
            {"from": "positioning_statements/build-your-statements"},
            "field 'parts[1].from': 'positioning_statements/build-your-statements' is a "
            "statement_builder exercise, but a part of kind account_choice reads a "
            "decision_helper exercise",
        ),
        ({"id": "statements"}, "field 'parts[1].id': part id 'statements' is used twice"),
    ],
)
def test_a_part_that_cannot_be_used_is_named(change, message):
    spec = plan_spec()
    spec["parts"][1].update(change)
    with pytest.raises(ExerciseDataError) as info:
        make(spec, book_dir=ROOT / "book")
    # (a missing exercise is followed by the list of those the file has)
    assert str(info.value).startswith(f"{SOURCE}: exercise 'my-plan', {message}")


def test_the_schema_asks_each_kind_of_part_for_what_it_needs():
    spec = plan_spec()
    del spec["parts"][0]["from"]
    del spec["parts"][3]["chapter"]
    with pytest.raises(ExerciseDataError) as info:
        make(spec)
    assert str(info.value).splitlines() == [
        f"{SOURCE}: exercise 'my-plan', field 'parts[0].from': this field is required but missing",
        f"{SOURCE}: exercise 'my-plan', field 'parts[3].chapter': "
        "this field is required but missing",
    ]


def test_an_own_text_part_reads_nothing_and_links_to_a_real_chapter():
    spec = plan_spec()
    spec["parts"][3]["from"] = "adding_value/stay-in-touch"
    spec["parts"][4]["chapter"] = "no_such_chapter"
    with pytest.raises(ExerciseDataError) as info:
        make(spec, book_dir=ROOT / "book")
    assert str(info.value).splitlines() == [
        f"{SOURCE}: exercise 'my-plan', field 'parts[3].from': an own_text part reads nothing; "
        "remove 'from'",
        f"{SOURCE}: exercise 'my-plan', field 'parts[4].chapter': there is no chapter "
        "'no_such_chapter' with a # title",
    ]


def test_without_its_book_the_plan_says_how_to_show_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExerciseDataError, match="cannot find the book folder"):
        make(plan_spec())

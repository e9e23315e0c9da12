"""The purpose check shared by the "fix the post" widget and the graded assignment."""

from __future__ import annotations

import pytest

from autograder import keeps_purpose
from autograder.judge.rules import DEFAULT_RULES, RulesError, compile_data, load_yaml


def test_key_words_match_whole_words_prefixes_and_phrases():
    result = keeps_purpose(
        "We launched the new booking page today. Thanks to the whole team!",
        ["launch", "booking page", "team", "volunteers"],
        2,
    )
    assert result.kept
    assert result.found == ("launch", "booking page", "team")
    assert result.needed == 2
    assert result.message.startswith("Purpose: your rewrite still does the job")
    assert "It keeps launch, booking page and team." in result.message


def test_short_key_words_do_not_match_inside_longer_words():
    # "art" has fewer than four letters, so "party" or "article" must not count as "art".
    assert keeps_purpose("What a party, read my article", ["art"], 1).found == ()
    assert keeps_purpose("Proud of this art show", ["art"], 1).kept


def test_a_phrase_must_keep_its_word_order():
    assert keeps_purpose("page for booking", ["booking page"], 1).found == ()


def test_lost_purpose_says_what_to_bring_back():
    result = keeps_purpose("Have a nice weekend!", ["launch", "team", "clinic"], 2)
    assert not result.kept
    assert result.to_dict() == {
        "kept": False,
        "found": [],
        "needed": 2,
        "missing": ["launch", "team", "clinic"],
        "salad": False,
        "related": 0,
        "message": "Purpose: your rewrite has lost what the post was for. Bring back at "
        "least 2 of these ideas: launch, team, clinic.",
    }


def test_needed_is_at_least_one_and_at_most_the_number_of_key_words():
    assert keeps_purpose("team", ["team"], 5).needed == 1
    assert keeps_purpose("team", ["team", "x"], 0).needed == 1


@pytest.mark.parametrize("bad", [None, 3, b"bytes"])
def test_text_must_be_a_string(bad):
    with pytest.raises(TypeError, match="text must be a string"):
        keeps_purpose(bad, ["team"])


def test_broken_purpose_section_names_the_field():
    data = load_yaml(DEFAULT_RULES)
    data["purpose"]["messages"]["kept"] = "Your rewrite is fine."
    with pytest.raises(RulesError, match=r"section 'purpose'.*messages\.kept"):
        compile_data(data)
    data = load_yaml(DEFAULT_RULES)
    data["purpose"]["prefix_min"] = 0
    with pytest.raises(RulesError, match=r"prefix_min"):
        compile_data(data)

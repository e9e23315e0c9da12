"""Positioning statements: parts, problems, comparison and fit, against
tests/vectors/statements.yml (the JavaScript engine is checked on the same file in
test_judge_parity.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autograder import check_statement, compare_statements, post_fits_statement

DATA = yaml.safe_load(
    (Path(__file__).parents[1] / "vectors" / "statements.yml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", DATA["statements"], ids=lambda c: c["text"][:40] or "empty")
def test_check_statement(case):
    result = check_statement(case["text"])
    assert result.parts == case["parts"]
    got = [p.id + (f":{p.part}" if p.part else "") for p in result.problems]
    assert got == case["problems"]
    assert result.ok == (not case["problems"])
    for problem in result.problems:
        assert problem.message.startswith("Positioning statement")
        assert "{part}" not in problem.message
        if problem.part:
            assert f"the {problem.part} " in problem.message


@pytest.mark.parametrize("case", DATA["comparisons"], ids=lambda c: c["professional"][:30])
def test_compare_statements(case):
    result = compare_statements(case["personal"], case["professional"])
    assert result.similarity_percent == case["similarity_percent"]
    assert [p.id for p in result.problems] == case["problems"]


@pytest.mark.parametrize("case", DATA["fits"], ids=lambda c: c["post"][:30])
def test_post_fits_statement(case):
    result = post_fits_statement(case["post"], case["statement"])
    assert result.fits == case["fits"]
    assert list(result.shared_words) == case["shared_words"]
    assert result.message.startswith("Positioning statement")


def test_result_shapes():
    check = check_statement("I am a nurse in pediatrics for families").to_dict()
    assert list(check) == ["ok", "parts", "problems"]
    assert list(check["parts"]) == ["role", "field", "audience"]
    bad = check_statement("I am a ___ in x for y").to_dict()
    assert list(bad["problems"][0]) == ["id", "part", "message"]
    comparison = compare_statements("I am a a in b for c", "I am a a in b for c").to_dict()
    assert list(comparison) == ["similarity_percent", "shared_words", "problems"]
    assert list(comparison["problems"][0]) == ["id", "message"]
    fit = post_fits_statement("x", "I am a nurse in care for kids").to_dict()
    assert list(fit) == ["fits", "shared_words", "keywords", "message"]


def test_similarity_is_jaccard_on_content_words_rounded_half_up():
    # {nurse, pediatrics, families} vs {nurse, pediatrics, parents}: 2 shared of 4 -> 50
    assert (
        compare_statements(
            "I am a nurse in pediatrics for families", "I am a nurse in pediatrics for parents"
        ).similarity_percent
        == 50
    )
    # 1 shared of 8 = 12.5 -> 13 (half rounds up)
    a = "I am a baker in bread for locals and tourists"
    b = "I am a welder in steel for builders and bread lovers"
    assert compare_statements(a, b).similarity_percent == 13


def test_statement_text_is_never_read_as_markup_or_pattern():
    result = check_statement("I am a <b>chef</b> in (.*) for [kids]")
    assert result.role == "<b>chef</b>"
    assert [(p.id, p.part) for p in result.problems] == [
        ("placeholder_left", "role"),
        ("part_too_vague", "field"),
        ("placeholder_left", "audience"),
    ]


def test_type_errors():
    with pytest.raises(TypeError):
        check_statement(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        compare_statements("a", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        post_fits_statement(b"x", "y")  # type: ignore[arg-type]

"""The graded assignments without running nbgrader: sources, data, checks and the formative check.

The whole pipeline, through the real nbgrader commands, is in test_nbgrader_pipeline.py.
"""

from __future__ import annotations

import runpy
import shutil

import nbformat
import pytest
import yaml
from support.paths import ROOT

from autograder import keeps_purpose, review_post
from autograder.grading import check_my_answers
from autograder.grading import checks as grading
from autograder.grading import notebooks as build
from autograder.grading.nbgrader_plugins import (
    LimitOutputSize,
    NotPlainText,
    kernel_passed,
    run_grading_cell,
    typed_answers,
)

COURSE = ROOT / "autograder" / "grading" / "course"
POSTS = COURSE / "notebooks" / "fix_the_posts.yml"
ASSIGNMENTS = ("positioning_statements", "fix_the_posts")


def exercises() -> list[dict]:
    return yaml.safe_load(POSTS.read_text(encoding="utf-8"))["exercises"]


def source_notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)


def grading_cells(nb) -> dict[str, str]:
    return {
        cell.metadata.nbgrader.grade_id: cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
    }


# ---------------------------------------------------------------- sources


def test_source_notebooks_are_built_from_the_readable_sources():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in build.targets().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"out of date (run `make assignments`): {stale}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_grading_cells_follow_the_conventions(name):
    nb = source_notebook(name)
    points = 0.0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        assert meta["grade_id"].replace("_", "").isalnum() and meta["grade_id"].islower()
        if meta["grade"]:
            points += meta["points"]
        if meta["grade"] and not meta["solution"]:
            assert cell.source.startswith('"""Post') or cell.source.startswith('"""Checks')
            assert "checks" in cell.source.split('"""')[1].lower()
    assert points == {"positioning_statements": 12, "fix_the_posts": 30}[name]
    assert any("### BEGIN HIDDEN TESTS" in source for source in grading_cells(nb).values())


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_model_answers_pass_every_grading_cell_and_blanks_pass_none(name):
    nb = source_notebook(name)
    cells = grading_cells(nb)
    answers = typed_answers(nb.cells, set(cells))
    assert answers
    for gid, source in cells.items():
        assert run_grading_cell(source, answers) is None, gid
    blanks = {key: "\nYOUR ANSWER HERE\n" for key in answers}
    for gid, source in cells.items():
        assert run_grading_cell(source, blanks) is not None, gid


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('+++ {"role": "test", "grade_id": "t"}\n\ntext\n', "must be a code cell"),
        ('```{code-cell} ipython3\n:role: test\n:grade_id: t\n\n"""Checks."""\n```\n', "points"),
        (
            "```{code-cell} ipython3\n:role: test\n:grade_id: t\n:points: 1\n\nassert 1\n```\n",
            "starts with a docstring",
        ),
        ("```{code-cell} ipython3\n:role: answer\n:grade_id: a\n\nx = 1\n```\n", "BEGIN SOLUTION"),
        ("```{code-cell} ipython3\n:role: quiz\n:grade_id: a\n\nx = 1\n```\n", "unknown role"),
        ("```{code-cell} ipython3\n:role: readonly\n:grade_id: Bad-Id\n\nx = 1\n```\n", "snake"),
        ("```{code-cell} ipython3\n### BEGIN HIDDEN TESTS\n```\n", "belong in answer/test"),
    ],
)
def test_broken_sources_are_refused_with_the_file_and_the_cell(
    tmp_path, monkeypatch, source, problem
):
    monkeypatch.setattr(build, "NOTEBOOKS", tmp_path)
    (tmp_path / "demo.md").write_text(source, encoding="utf-8")
    with pytest.raises(build.BuildError, match=problem) as error:
        build.build_notebook("demo")
    assert "demo.md: cell 1" in str(error.value)


def test_post_data_that_would_break_the_notebook_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "NOTEBOOKS", tmp_path)
    for name in ("fix_the_posts.md", "fix_the_posts.posts.md", "fix_the_posts.tests.md"):
        shutil.copy(COURSE / "notebooks" / name, tmp_path / name)
    data = yaml.safe_load(POSTS.read_text(encoding="utf-8"))
    data["exercises"][2]["model_rewrite"] = 'Say """hi"""'
    (tmp_path / "fix_the_posts.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(build, "load_exercises", lambda path: data["exercises"])
    with pytest.raises(build.BuildError, match=r"photographer-hard-sell.*model_rewrite"):
        build.build_notebook("fix_the_posts")


# ---------------------------------------------------------------- the posts


def test_posts_use_the_books_fix_the_post_format():
    from exercises.data import validate_exercise_data

    data = yaml.safe_load(POSTS.read_text(encoding="utf-8"))
    validated = validate_exercise_data(data, "fix_the_posts.yml", chapter="fix_the_posts")
    assert len(validated.exercises) >= 6
    assert {e["post"]["account"] for e in validated.exercises} == {
        "personal",
        "professional",
        "joint",
    }


@pytest.mark.parametrize("exercise", exercises(), ids=lambda e: e["id"])
def test_each_post_is_risky_and_its_model_rewrite_earns_every_point(exercise):
    post, purpose = exercise["post"], exercise["purpose"]
    account, model = post["account"], exercise["model_rewrite"]
    assert review_post(post["text"], account).verdict != "ok"
    assert review_post(model, account).verdict == "ok"
    assert keeps_purpose(model, purpose["keywords"], purpose["min_keywords"]).kept
    assert grading.count_words(model) >= grading.MIN_WORDS
    # The documented route works: the summary students read holds enough of the key words.
    assert keeps_purpose(purpose["summary"], purpose["keywords"], purpose["min_keywords"]).kept


def test_assignment_posts_are_not_in_the_book():
    """Their model answers stay private only if the book never shows them."""
    book = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.yml"))
    book += "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.md"))
    for exercise in exercises():
        assert exercise["post"]["text"][:50] not in book
        assert exercise["model_rewrite"][:50] not in book


# ---------------------------------------------------------------- the checks


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__

    def strip(self, *args):
        return self


class Sneaky(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


GOOD_PRO = "I am a registered dental hygienist in a community clinic for parents of young children."
GOOD_PERSONAL = "I am a weekend gardener in Bristol for my family and close friends."


@pytest.mark.parametrize(
    "value", [AlwaysEqual(), Sneaky(GOOD_PRO), 42, None, b"I am a nurse in care for kids"]
)
def test_only_plain_text_counts_as_an_answer(value):
    with pytest.raises(AssertionError, match="plain text between the quote marks"):
        grading.answer_text(value, "Your answer")
    with pytest.raises(AssertionError):
        grading.assert_follows_template(value, "Your professional statement")


@pytest.mark.parametrize("value", ["", "   \n", "\nYOUR ANSWER HERE\n"])
def test_unwritten_answers_say_what_to_do(value):
    with pytest.raises(AssertionError, match="replace YOUR ANSWER HERE"):
        grading.answer_text(value, "Your answer")


def test_answers_are_cleaned_and_capped():
    marked = "\n### BEGIN SOLUTION\nI am a nurse.\n### END SOLUTION\n"
    assert grading.answer_text(marked, "x") == "I am a nurse."
    with pytest.raises(AssertionError, match="Keep it under 1,000"):
        grading.answer_text("word " * 400, "x")


def test_statement_checks():
    grading.assert_follows_template(GOOD_PRO, "Your professional statement")
    with pytest.raises(AssertionError, match="too vague"):
        grading.assert_follows_template("I am a person in stuff for everyone.", "Yours")
    grading.assert_statements_differ(GOOD_PERSONAL, GOOD_PRO)
    with pytest.raises(AssertionError, match="same"):
        grading.assert_statements_differ(GOOD_PRO, GOOD_PRO + " ")
    with pytest.raises(AssertionError, match="same audience"):
        grading.assert_different_audiences(
            "I am a baker in Leeds for my family and friends.",
            "I am a nurse in pediatrics for my family and friends.",
        )
    with pytest.raises(AssertionError, match="example"):
        grading.assert_not_the_example(GOOD_PRO.upper(), "Yours", GOOD_PRO)
    grading.assert_no_risk(GOOD_PRO, "Your professional statement", "professional")
    with pytest.raises(AssertionError, match="should not be posted"):
        grading.assert_no_risk(
            "I am a drunk mess in sales for my idiot boss.", "Yours", "professional"
        )


def test_post_checks():
    post = exercises()[0]
    original, model = post["post"]["text"], post["model_rewrite"]
    purpose = post["purpose"]
    with pytest.raises(AssertionError, match="has 3 words"):
        grading.assert_real_post("Flossing matters, friends!", "Post 1")
    with pytest.raises(AssertionError, match="same words as the original"):
        grading.assert_changed(original.upper() + "!!", "Post 1", original)
    grading.assert_changed(model, "Post 1", original)
    with pytest.raises(AssertionError, match='"do not post" for a personal account'):
        grading.assert_judged_ok(original, "Post 1", "personal")
    grading.assert_judged_ok(model, "Post 1", "personal")
    grading.assert_keeps_purpose(model, "Post 1", purpose, original)
    with pytest.raises(AssertionError, match="about something else"):
        grading.assert_keeps_purpose(
            "A quiet evening with a good book and a pot of tea.", "P", purpose, original
        )
    with pytest.raises(AssertionError, match="list of words"):
        grading.assert_keeps_purpose(
            "clinic day shift floss gums teeth clinic day", "P", purpose, original
        )
    with pytest.raises(AssertionError, match="It no longer says a reminder to"):
        grading.assert_keeps_purpose(
            "Long day at the clinic today, so many patients. Off to bed now.",
            "P",
            purpose,
            original,
        )


# ---------------------------------------------------------------- grading outside the kernel


def cells(*sources, grade_id=None):
    out = [nbformat.v4.new_code_cell(source) for source in sources]
    if grade_id:
        out[-1].metadata["nbgrader"] = {"grade_id": grade_id, "grade": True}
    return out


def test_answers_are_read_as_typed_never_run():
    nb_cells = cells(
        'a = "one"\nb = ("two "\n     "parts")\nc = """three"""',
        'd = f"{a}"\ne = "x" + "y"\nf, g = "1", "2"\nh: str = "typed"\na += "more"',
        "import os\nos.system('echo never run')\nbroken = (",
        'i = "late"',
        'j = "ignored"\n__builtins__ = "x"',
        grade_id="test_cell",
    )
    answers = typed_answers(nb_cells, {"test_cell"})
    assert answers["b"] == "two parts" and answers["c"] == "three" and answers["i"] == "late"
    for name in "adefgh":
        assert isinstance(answers[name], NotPlainText), name
    assert "broken" not in answers and "j" not in answers and "__builtins__" not in answers
    nb_cells[3].source = '__builtins__ = "x"\nk = "kept"'
    assert "__builtins__" not in typed_answers(nb_cells, set())


def test_grading_cells_run_with_a_clean_judge():
    import autograder.judge.posts

    source = (
        "from autograder.grading.checks import assert_judged_ok\n"
        'assert_judged_ok(rewrite_1, "Post 1", "personal")'
    )
    original = exercises()[0]["post"]["text"]
    real = autograder.judge.posts.review_post
    try:  # even with the judge patched in this process, as a student notebook could
        autograder.judge.posts.review_post = lambda *a, **k: autograder.judge.posts.Review("ok", ())
        assert "do not post" in run_grading_cell(source, {"rewrite_1": original})
    finally:
        autograder.judge.posts.review_post = real
    assert "no answer called rewrite_1" in run_grading_cell(source, {})
    assert "plain text" in run_grading_cell(source, {"rewrite_1": NotPlainText()})


def test_kernel_result_follows_nbgraders_rule():
    ok = nbformat.v4.new_code_cell("x")
    assert kernel_passed(ok)
    ok.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    assert kernel_passed(ok)
    ok.outputs.append(nbformat.v4.new_output("stream", name="stderr", text="warn"))
    assert not kernel_passed(ok)


def test_long_output_is_cut_to_the_limit():
    cell = nbformat.v4.new_code_cell("print")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * 50_000),
        nbformat.v4.new_output("display_data", data={"text/plain": "y" * 10_000}),
        nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["t"]),
    ]
    limiter = LimitOutputSize(max_chars=1_000)
    cell, _ = limiter.preprocess_cell(cell, {}, 0)
    kinds = [output.output_type for output in cell.outputs]
    assert kinds == ["stream", "error", "stream"]
    assert len(cell.outputs[0].text) == 1_000
    assert "59,000 more characters" in cell.outputs[-1].text


# ---------------------------------------------------------------- the formative check


def test_formative_check_on_a_post_shows_findings_not_answers(capsys):
    post = exercises()[1]
    check_my_answers(post["post"]["text"], account="professional")
    shown = capsys.readouterr().out
    assert 'verdict is "do not post"' in shown
    assert "[clueless]" in shown
    assert "Immediacy" in shown
    assert post["model_rewrite"][:30] not in shown
    for keyword in ("returns", "lesson"):
        assert keyword not in shown
    check_my_answers(post["model_rewrite"], account="professional")
    assert 'Good: the judge\'s verdict is "ok".' in capsys.readouterr().out


@pytest.mark.parametrize("value", ["\nYOUR ANSWER HERE\n", AlwaysEqual(), 7])
def test_formative_check_never_raises(capsys, value):
    check_my_answers(value, account="joint")
    check_my_answers(professional=value, personal=value)
    check_my_answers(value)
    check_my_answers()
    shown = capsys.readouterr().out
    assert "To fix" in shown or "Say which account" in shown


def test_formative_check_on_statements(capsys):
    check_my_answers(professional=GOOD_PRO, personal="I am a person in stuff for everyone.")
    shown = capsys.readouterr().out
    assert "Role: registered dental hygienist" in shown
    assert "the audience is too vague" in shown
    assert "Good: the two share 0% of their words" in shown


# ---------------------------------------------------------------- configuration


def test_nbgrader_config_switches_on_the_safeguards():
    from traitlets.config import Config

    config = Config()
    runpy.run_path(str(COURSE / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
    steps = config.Autograde.autograde_preprocessors
    assert (
        steps.index("nbgrader.preprocessors.Execute")
        < steps.index("autograder.grading.nbgrader_plugins.VerifyOutsideKernel")
        < steps.index("autograder.grading.nbgrader_plugins.KeepManualGrades")
        < steps.index("autograder.grading.nbgrader_plugins.MarkForHumanCheck")
    )
    sanitize = config.Autograde.sanitize_preprocessors
    assert "autograder.grading.nbgrader_plugins.RestoreHiddenTests" in sanitize
    assert "nbgrader.preprocessors.OverwriteCells" not in sanitize
    assert config.OverwriteCells.add_missing_cells is True
    assert 0 < config.Execute.timeout <= 30
    assert "db_url" not in config.CourseDirectory  # nbgrader's default: SQLite in the course
    assert config.IncludeHeaderFooter.header == "source/header.ipynb"
    assert (COURSE / config.IncludeHeaderFooter.header).is_file()


def test_zip_collect_reads_each_lms_download_name():
    from zoneinfo import ZoneInfo

    from autograder.grading.lms_collect import Found, read_name

    utc = ZoneInfo("UTC")
    for where, lms, student, when, late, attempt in (
        ("a.zip!smithjane_12345_67890_fix_the_posts.ipynb", "Canvas", "12345", None, False, 0),
        ("limarta_LATE_10002_55502_fix_the_posts-1.ipynb", "Canvas", "10002", None, True, 1),
        ("Jane Smith_4567_assignsubmission_file/x (1).ipynb", "Moodle", "", None, False, 0),
        ("Jane Smith_4567_assignsubmission_file_x.ipynb", "Moodle", "", None, False, 0),
        (
            "Fix the posts_jsmith_attempt_2026-12-01-10-30-00_fix_the_posts.ipynb",
            "Blackboard",
            "jsmith",
            "2026-12-01 10:30",
            False,
            0,
        ),
        (
            "123456-789012 - Jane Smith - 1 December 2026 1030 PM - fix_the_posts.ipynb",
            "Brightspace",
            "",
            "2026-12-01 22:30",
            False,
            0,
        ),
    ):
        found = Found(where, b"")
        read_name(found, utc)
        assert (found.lms, found.student, found.late, found.attempt) == (
            lms,
            student,
            late,
            attempt,
        ), where
        assert (found.time.strftime("%Y-%m-%d %H:%M") if found.time else None) == when, where
        assert found.problem == ""
    stray = Found("notes.txt", b"")
    read_name(stray, utc)
    assert "does not follow the download names" in stray.problem

"""End to end: the real nbgrader commands on a simulated class.

A copy of the course (``autograder/grading/course``) in a temporary folder goes through what an
instructor runs: ``generate_assignment``, delivery of the class's submissions (copied into
``submitted/``, read from LMS downloads by ``make zip-collect``, and handed in through the
exchange with ``release_assignment`` / ``fetch_assignment`` / ``submit`` / ``collect``), a class
list and a due date, ``autograde``, manual grades and comments (set in the gradebook as
formgrader does), a forced regrade, ``generate_feedback``, ``export``, the LMS grade files and
feedback bundles, and the class report.
The class and the exact points each student must get are in
``tests/fixtures/nbgrader/class.yml``. The committed folder is never touched.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from support.nbgrader_class import (
    FIXTURES,
    NBGRADER,
    USER,
    grade_id,
    load_class,
    post_texts,
    submission_bytes,
)
from support.paths import ROOT, venv_env

from autograder.grading.downloads import ASSIGNMENTS, DOWNLOADS, copy_course
from autograder.grading.lms_export import LMSES
from autograder.grading.nbgrader_plugins import VERIFY_ENAME

pytestmark = pytest.mark.slow

SOURCE = ROOT / "autograder" / "grading" / "course" / "source"
COMMENT = "You named the *exact* words that made it risky."


def run_tool(cwd: Path, argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a command of the instructor's (nbgrader, or a course module) in ``cwd``."""
    done = subprocess.run(
        argv, cwd=cwd, env=venv_env(), capture_output=True, text=True, timeout=900
    )
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(argv[-3:])} failed:\n{done.stdout}\n{done.stderr}"[-6000:])
    return done


def nbgrader(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_tool(cwd, [NBGRADER, *args], check=check)


@dataclass
class Pipeline:
    course: Path
    classes: dict
    logs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)

    def autograded(self, student: str, assignment: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)


PYTHON = sys.executable
DUE = "2030-06-30 17:00:00 UTC"
STRAY = "notes from the LMS.txt"


def course_tool(cwd: Path, module: str, *args: str) -> subprocess.CompletedProcess:
    """Run one of the course's own commands as its make target does (in the course folder)."""
    return run_tool(cwd, [PYTHON, "-m", module, *args])


def deliver(course: Path, exchange: Path, assignment: str, students: list[dict]) -> None:
    release = course / "release" / assignment / f"{assignment}.ipynb"
    archive = course / "downloaded" / assignment / "archive"
    zipped = []
    for spec in students:
        via = spec.get("via", "copy")
        data = submission_bytes(release, spec)
        if via == "copy":
            folder = course / "submitted" / spec["student"] / assignment
            folder.mkdir(parents=True)
            (folder / f"{assignment}.ipynb").write_bytes(data)
        elif via == "zip":
            if "earlier_attempt" in spec:
                zipped.append((spec["earlier_attempt"], release.read_bytes()))
            zipped.append((spec["lms_name"], data))
        elif via == "exchange":
            home = exchange.parent / "student_home"
            home.mkdir(exist_ok=True)
            where = ("--course", "two-presences", f"--Exchange.root={exchange}")
            nbgrader(course, "release_assignment", assignment, f"--Exchange.root={exchange}")
            nbgrader(home, "fetch_assignment", assignment, *where)
            (home / assignment / f"{assignment}.ipynb").write_bytes(data)
            nbgrader(home, "submit", assignment, *where)
            nbgrader(course, "collect", assignment, f"--Exchange.root={exchange}")
        else:
            raise AssertionError(f"unknown delivery {via!r}")
    if zipped:
        archive.mkdir(parents=True)
        with zipfile.ZipFile(archive / "submissions.zip", "w") as bundle:
            for name, data in zipped:
                bundle.writestr(name, data)
            bundle.writestr(STRAY, b"not a submission")
        collected = course_tool(course, "autograder.grading.lms_collect", assignment)
        (course / f"collect-{assignment}.log").write_text(collected.stdout, encoding="utf-8")


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    top = tmp_path_factory.mktemp("nbgrader")
    course = copy_course(top / "course")
    exchange = top / "exchange"
    exchange.mkdir()
    classes = load_class()
    run = Pipeline(course, classes)
    for assignment in ASSIGNMENTS:
        run.logs[f"generate {assignment}"] = nbgrader(
            course, "generate_assignment", assignment, "--force"
        )
    nbgrader(course, "db", "student", "import", str(FIXTURES / "students.csv"))
    nbgrader(course, "db", "assignment", "add", "fix_the_posts", f"--duedate={DUE}")
    for assignment in ASSIGNMENTS:
        deliver(course, exchange, assignment, classes[assignment])
        # One student's notebook is not valid JSON: nbgrader reports it and exits with 1,
        # after grading everyone else.
        run.logs[f"autograde {assignment}"] = log = nbgrader(
            course, "autograde", assignment, "--create", check=False
        )
        # Kept beside the gradebook, to read when a student's grading fails.
        (course / f"autograde-{assignment}.log").write_text(log.stdout + log.stderr, "utf-8")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in ASSIGNMENTS:
            for spec in classes[assignment]:
                for gid, points in spec.get("manual", {}).items():
                    grade = gradebook.find_grade(gid, assignment, assignment, spec["student"])
                    grade.manual_score = points
                    grade.needs_manual_grade = False  # as the formgrader does
                    comment = gradebook.find_comment(gid, assignment, assignment, spec["student"])
                    comment.manual_comment = COMMENT
            gradebook.db.commit()
    # A forced regrade of one student, as after fixing a grading cell: manual grades stay.
    run.logs["regrade"] = nbgrader(
        course, "autograde", "fix_the_posts", "--force", "--student=fp_full"
    )
    for assignment in ASSIGNMENTS:
        run.logs[f"feedback {assignment}"] = nbgrader(course, "generate_feedback", assignment)
    run.logs["export"] = nbgrader(course, "export")
    for lms in LMSES:
        course_tool(course, "autograder.grading.lms_export", "grades", lms)
        course_tool(
            course, "autograder.grading.lms_export", "feedback-bundle", "fix_the_posts", lms
        )
    for assignment in ASSIGNMENTS:
        course_tool(course, "autograder.grading.report", assignment)
    return run


def graded_students(run: Pipeline, assignment: str) -> list[dict]:
    return [spec for spec in run.classes[assignment] if "file" not in spec]


# ---------------------------------------------------------------- release


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_hidden_tests_or_model_answers(pipeline, assignment):
    release = pipeline.course / "release" / assignment / f"{assignment}.ipynb"
    text = release.read_text(encoding="utf-8")
    released = nbformat.reads(text, as_version=4)
    source = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    # Every line the instructor's copy holds only inside solutions and hidden tests is gone.
    blocks = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)(.*?)### END \1", re.S)
    visible = "\n".join(blocks.sub("", cell.source) for cell in source.cells)
    secrets = []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown":
            secrets.append(cell.source)
        for _, block in blocks.findall(cell.source):
            secrets += [
                line.strip()
                for line in block.splitlines()
                if len(line.strip()) > 12 and line.strip() not in visible
            ]
    assert secrets, "the source notebook should hold model answers and hidden tests"
    for secret in secrets:
        assert secret not in text, f"released: {secret[:60]}"
        assert json.dumps(secret)[1:-1] not in text
    if assignment == "fix_the_posts":
        models, _ = post_texts()
        for model in models.values():
            assert model[:40] not in text
    # Every answer cell offers the place to type, and nothing else of the model.
    answers = [cell for cell in released.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert answers
    for cell in answers:
        assert "YOUR ANSWER HERE" in cell.source
    # Grading cells keep their points and their docstrings.
    tests = [cell for cell in released.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    for cell in tests:
        if cell.cell_type == "code":
            assert cell.source.startswith('"""'), grade_id(cell)
            assert cell.metadata.nbgrader.points > 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_validate_model_answers_pass_and_blanks_fail(pipeline, assignment):
    source = f"source/{assignment}/{assignment}.ipynb"
    done = nbgrader(pipeline.course, "validate", source)
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout[-3000:]
    release = f"release/{assignment}/{assignment}.ipynb"
    done = nbgrader(pipeline.course, "validate", "--invert", release)
    assert "Success! The notebook does not pass any tests." in done.stdout, done.stdout[-3000:]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_book_downloads_equal_a_fresh_release(pipeline, assignment):
    """The notebooks the book offers are exactly what nbgrader releases today."""
    fresh = pipeline.course / "release" / assignment / f"{assignment}.ipynb"
    committed = DOWNLOADS / f"{assignment}.ipynb"
    assert committed.read_bytes() == fresh.read_bytes(), (
        "the book's download is out of date: run `make downloads`"
    )


# ---------------------------------------------------------------- grading


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_student_gets_exactly_the_expected_points(pipeline, assignment):
    from nbgrader.api import Gradebook

    wrong = []
    with Gradebook(f"sqlite:///{pipeline.course / 'gradebook.db'}") as gradebook:
        for spec in graded_students(pipeline, assignment):
            notebook = gradebook.find_submission_notebook(assignment, assignment, spec["student"])
            scores = {grade.name: grade.auto_score for grade in notebook.grades}
            for gid, points in spec["expect"].items():
                if scores.get(gid) != points:
                    wrong.append(f"{spec['student']} {gid}: got {scores.get(gid)}, want {points}")
            autograded = {g.name for g in notebook.grades if g.cell.cell_type == "code"}
            assert set(spec["expect"]) == autograded, spec["student"]
    assert not wrong, "\n".join(wrong)


def test_an_answer_in_another_language_is_left_for_a_person(pipeline):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pipeline.course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(
            "fix_the_posts", "fix_the_posts", "fp_other_language"
        )
        grades = {grade.name: grade for grade in notebook.grades}
        for gid in ("post_1_safe", "post_1_purpose"):
            assert grades[gid].auto_score is None and grades[gid].needs_manual_grade, gid
        assert not grades["post_2_safe"].needs_manual_grade
    nb = pipeline.autograded("fp_other_language", "fix_the_posts")
    text = "".join(str(o.get("evalue", "")) for cell in nb.cells for o in cell.get("outputs", []))
    assert "your instructor will check it by hand" in text


def test_edited_and_deleted_grading_cells_are_restored(pipeline):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pipeline.course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_notebook("fix_the_posts", "fix_the_posts")
        sources = {cell.name: cell.source for cell in notebook.source_cells}
    edited = pipeline.autograded("fp_edited_tests", "fix_the_posts")
    cells = {grade_id(cell): cell for cell in edited.cells if grade_id(cell)}
    for gid in ("post_1_safe", "post_2_purpose", "post_1_rewritten"):
        assert cells[gid].source == sources[gid]
        assert "BEGIN HIDDEN TESTS" in sources["post_1_rewritten"]
    deleted = pipeline.autograded("fp_deleted_tests", "fix_the_posts")
    ids = [grade_id(cell) for cell in deleted.cells]
    for gid in ("post_3_safe", "post_3_purpose", "post_4_rewritten"):
        assert gid in ids
        restored = deleted.cells[ids.index(gid)]
        assert "was missing from the submission" in restored.source
        assert not [o for o in restored.outputs if o.output_type == "error"]


def test_tampering_in_the_kernel_is_caught_outside_it(pipeline):
    for student, assignment, caught in (
        ("ps_patched_judge", "positioning_statements", {"personal_template"}),
        ("fp_patched_judge", "fix_the_posts", {"post_2_safe", "post_5_safe"}),
        ("fp_blanked_cells", "fix_the_posts", {"post_2_safe", "post_6_purpose"}),
    ):
        nb = pipeline.autograded(student, assignment)
        flagged = {
            grade_id(cell)
            for cell in nb.cells
            if cell.cell_type == "code"
            and any(o.get("ename") == VERIFY_ENAME for o in cell.outputs)
        }
        assert caught <= flagged, (student, flagged)
    # Honest work is never flagged.
    for student, assignment in (
        ("fp_full", "fix_the_posts"),
        ("ps_full", "positioning_statements"),
    ):
        nb = pipeline.autograded(student, assignment)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not [o for o in cell.outputs if o.get("ename") == VERIFY_ENAME]


def test_endless_loop_and_output_flood_are_contained(pipeline):
    log = pipeline.logs["autograde fix_the_posts"]
    assert "Timeout waiting for execute reply" in log.stderr + log.stdout
    flood = pipeline.course / "autograded" / "fp_output_flood" / "fix_the_posts"
    size = (flood / "fix_the_posts.ipynb").stat().st_size
    assert size < 200_000, size
    nb = pipeline.autograded("fp_output_flood", "fix_the_posts")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    text = "".join(output.get("text", "") for cell in code for output in cell.outputs)
    assert "more characters of output were cut" in text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_bad_submission_never_stops_the_batch(pipeline, assignment):
    log = pipeline.logs[f"autograde {assignment}"]
    broken = [spec["student"] for spec in pipeline.classes[assignment] if "file" in spec]
    assert broken
    assert log.returncode == 1  # nbgrader reports the broken notebook ...
    for student in broken:
        assert f"error processing assignment '{assignment}' for student '{student}'" in (
            log.stdout + log.stderr
        )
    for spec in graded_students(pipeline, assignment):  # ... and grades everyone else
        path = pipeline.course / "autograded" / spec["student"] / assignment
        assert (path / f"{assignment}.ipynb").is_file(), spec["student"]


def test_lms_downloads_and_the_exchange_deliver_submissions(pipeline):
    submitted = pipeline.course / "submitted"
    for student in ("10001", "10002", "20001", "30001", "bbking", USER):
        assert (submitted / student / "fix_the_posts" / "fix_the_posts.ipynb").is_file()


def test_zip_collect_reads_every_lms_and_reports_what_it_did(pipeline):
    log = (pipeline.course / "collect-fix_the_posts.log").read_text(encoding="utf-8")
    table = {line.split()[0]: line for line in log.splitlines()[3:] if line.startswith("  ")}
    # Canvas, Moodle (folders, renamed notebook), Brightspace (by name), Blackboard (attempts).
    assert "Canvas" in table["10001"] and "Canvas" in table["10002"]
    assert "Moodle" in table["20001"] and "renamed notebook" in table["20001"]
    assert "Brightspace" in table["30001"] and "2026-12-01 10:30 UTC" in table["30001"]
    assert "Blackboard" in table["bbking"] and "2 attempts: took the latest" in table["bbking"]
    # Canvas's LATE marker becomes a time one minute after the due date, so nbgrader sees it.
    assert "LATE" in table["10002"]
    stamp = (pipeline.course / "submitted/10002/fix_the_posts/timestamp.txt").read_text()
    assert stamp.startswith("2030-06-30 17:01:00")
    # Nothing is skipped in silence: the stray file and the earlier attempt are listed.
    assert f"{STRAY}: the name does not follow" in log
    assert "2026-11-30-09-00-00_fix_the_posts.ipynb: an earlier attempt (student bbking)" in log
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pipeline.course / 'gradebook.db'}") as gradebook:
        late = gradebook.find_submission("fix_the_posts", "10002")
        assert late.total_seconds_late == 60
        assert gradebook.find_submission("fix_the_posts", "bbking").total_seconds_late == 0


def test_untouched_notebooks_raise_no_checksum_warnings(pipeline):
    """nbgrader warned for every grading cell with hidden tests; only real edits warn now."""
    edited = {
        spec["student"]
        for assignment in ASSIGNMENTS
        for spec in pipeline.classes[assignment]
        if {"replace", "prepend", "append", "delete", "insert_after"} & set(spec)
    }
    for assignment in ASSIGNMENTS:
        student = None
        for line in pipeline.logs[f"autograde {assignment}"].stderr.splitlines():
            match = re.search(r"Sanitizing .*[/\\]submitted[/\\]([^/\\]+)[/\\]", line)
            if match:
                student = match.group(1)
            if "has changed!" in line:
                assert student in edited, f"{student}: {line}"
    regrade = pipeline.logs["regrade"]
    assert "has changed!" not in regrade.stdout + regrade.stderr


def test_a_forced_regrade_keeps_manual_grades_graded(pipeline):
    from nbgrader.api import Gradebook

    spec = next(s for s in pipeline.classes["fix_the_posts"] if s["student"] == "fp_full")
    with Gradebook(f"sqlite:///{pipeline.course / 'gradebook.db'}") as gradebook:
        for gid, points in spec["manual"].items():
            grade = gradebook.find_grade(gid, "fix_the_posts", "fix_the_posts", "fp_full")
            assert grade.manual_score == points and not grade.needs_manual_grade, gid
        submission = gradebook.find_submission("fix_the_posts", "fp_full")
        assert submission.score == spec["total"]


# ---------------------------------------------------------------- feedback and grades


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_pages_are_made_for_every_graded_student(pipeline, assignment):
    for spec in graded_students(pipeline, assignment):
        page = pipeline.course / "feedback" / spec["student"] / assignment / f"{assignment}.html"
        assert page.is_file(), spec["student"]
        html = page.read_text(encoding="utf-8")
        maximum = {"positioning_statements": 12, "fix_the_posts": 30}[assignment]
        assert f"{assignment} (Score: {float(spec['total'])} / {float(maximum)})" in html


def _visible_text(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["style", "script"]):
        hidden.decompose()
    return page.get_text(" ")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_pages_never_show_grading_code_tracebacks_or_paths(pipeline, assignment):
    course = str(pipeline.course)
    for spec in graded_students(pipeline, assignment):
        page = pipeline.course / "feedback" / spec["student"] / assignment / f"{assignment}.html"
        html = page.read_text(encoding="utf-8")
        text = _visible_text(html)
        for secret in (
            "Traceback",
            "BEGIN HIDDEN TESTS",
            "assert_real_post(",
            "assert_judged_ok(",
            "assert_keeps_purpose(",
            "assert_follows_template(",
            "autograder.grading.checks import",
            'File "',
            course,
            "/tmp/",
            "site-packages",
        ):
            assert secret not in text, (spec["student"], secret)
        assert "mathjax" not in html.lower() and "cdn" not in html.lower()
        # The summary names what each part checks: a post or a statement, never "Test cell".
        soup = BeautifulSoup(html, "html.parser")
        entries = [li.get_text(" ", strip=True) for li in soup.select("#toc li")]
        assert entries and not [e for e in entries if e.startswith("Test cell")]
        for entry in entries:
            assert re.match(r"(Post \d|.*statement|Your reflection)", entry), entry


def test_a_failed_check_says_what_to_fix_in_one_sentence(pipeline):
    page = pipeline.course / "feedback/fp_partial/fix_the_posts/fix_the_posts.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    errors = [e.get_text(" ", strip=True) for e in soup.select(".output_error")]
    assert errors
    for message in errors:
        assert message.startswith(("Post ", "This check", "Python could not")), message
        assert "Error" not in message.split(":")[0], message
    # post 6 is safe as a post, but read beside the original it is still the hangover
    softer = [e for e in errors if e.startswith("Post 6: read beside the original post")]
    assert softer and "A bit worse for wear after last night" in softer[0], errors


def test_manual_comments_stand_beside_the_rubric(pipeline):
    page = pipeline.course / "feedback/fp_full/fix_the_posts/fix_the_posts.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    footers = soup.select(".panel-footer")
    assert footers
    footer = footers[0].get_text(" ", strip=True)
    assert "Your grader's comment:" in footer and "exact" in footer
    assert "How this part is graded:" in footer and "Names the specific problem" in footer
    # The student's own written answer is shown as text, never as HTML.
    assert soup.select(".student-answer")


def test_grade_files_for_each_lms(pipeline):
    expected = {spec["student"]: spec["total"] for spec in pipeline.classes["fix_the_posts"]}
    headers = {
        "canvas": ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
        "moodle": ["ID number", "First name", "Last name", "Email address"],
        "blackboard": ["Last Name", "First Name", "Username", "Student ID"],
        "brightspace": ["OrgDefinedId", "Username"],
    }
    id_column = {
        "canvas": "ID",
        "moodle": "ID number",
        "blackboard": "Username",
        "brightspace": "Username",
    }
    column = {
        "canvas": "Fix the posts",
        "moodle": "Fix the posts",
        "blackboard": "Fix the posts [Total Pts: 30 Score]",
        "brightspace": "Fix the posts Points Grade",
    }
    for lms in LMSES:
        path = pipeline.course / f"grades-{lms}.csv"
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        header = list(rows[0].keys())
        assert header[: len(headers[lms])] == headers[lms], lms
        if lms == "brightspace":
            assert header[-1] == "End-of-Line Indicator" and rows[0][header[-1]] == "#"
        if lms == "canvas":
            assert rows[0]["Student"] == "Points Possible" and rows[0]["Fix the posts"] == "30"
            rows = rows[1:]
        by_id = {row[id_column[lms]]: row for row in rows}
        assert len(by_id) == len(rows)  # one row per student
        for student, total in expected.items():
            assert float(by_id[student][column[lms]]) == total, (lms, student)
        # A student on the class list who never submitted gets 0, not a missing row.
        assert float(by_id["99999"][column[lms]]) == 0, lms
    canvas = (pipeline.course / "grades-canvas.csv").read_text(encoding="utf-8")
    assert "Lovelace, Ada" in canvas


def test_feedback_bundles_use_each_lms_own_names(pipeline):
    with zipfile.ZipFile(pipeline.course / "feedback-fix_the_posts-moodle.zip") as bundle:
        names = bundle.namelist()
        assert "Grace Hopper_4567_assignsubmission_file_feedback.html" in names
        page = bundle.read("Grace Hopper_4567_assignsubmission_file_feedback.html").decode()
        assert "Fix the posts" in page or "fix_the_posts" in page
    with zipfile.ZipFile(pipeline.course / "feedback-fix_the_posts-canvas.zip") as bundle:
        names = bundle.namelist()
        assert "nowakjan_10001_55501_feedback.html" in names
        assert "limarta_LATE_10002_55502_feedback.html" in names
    with zipfile.ZipFile(pipeline.course / "feedback-fix_the_posts-brightspace.zip") as bundle:
        assert (
            "123456-789012 - Ada Lovelace - 1 December 2026 1030 AM - feedback.html"
            in bundle.namelist()
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_class_report_is_one_offline_page_with_charts_and_text(pipeline, assignment):
    html = (pipeline.course / f"report-{assignment}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(src=True) + soup.find_all(href=True):
        assert not re.match(r"(https?:)?//", tag.get("src") or tag.get("href")), tag
    charts = soup.select("svg[role=img]")
    assert len(charts) >= 3
    for chart in charts:
        assert chart.find("title").get_text(strip=True)
    text = soup.get_text(" ", strip=True)
    graded = len(graded_students(pipeline, assignment))
    assert f"{graded} submissions graded" in text
    broken = [spec["student"] for spec in pipeline.classes[assignment] if "file" in spec]
    assert f"Not graded: {', '.join(sorted(broken))}." in text
    assert "pass rate" in text.lower() and "Manual grading" in text
    assert re.search(r"\d+ notebooks took \d+ s to grade", text)
    if assignment == "fix_the_posts":
        assert "Rewrites the judge did not pass, by post" in html
        assert "10002" in soup.select_one("h2:-soup-contains('Late') + table").get_text()


def test_exported_grades_match_the_expected_totals(pipeline):
    with open(pipeline.course / "grades.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    exported = {(row["assignment"], row["student_id"]): float(row["score"]) for row in rows}
    maximum = {row["assignment"]: float(row["max_score"]) for row in rows}
    assert maximum == {"positioning_statements": 12.0, "fix_the_posts": 30.0}
    for assignment in ASSIGNMENTS:
        for spec in pipeline.classes[assignment]:
            key = (assignment, spec["student"])
            assert exported.get(key) == spec["total"], (key, exported.get(key))
            auto = sum(v for v in spec.get("expect", {}).values() if v is not None)
            assert spec["total"] == auto + sum(spec.get("manual", {}).values()), key

"""Feedback pages a student can read: ``nbgrader generate_feedback`` with the course's template.

nbgrader's stock feedback page shows the autograded notebook as it is: every grading cell's
code with its hidden tests, Python tracebacks (with the grading code's lines and the server's
file paths), and a summary that lists "Test cell" once per check without saying which post.
``StudentFeedback`` (a preprocessor run by ``generate_feedback``, after ``GetGrades``) prepares
a copy of the notebook for the page instead:

- every graded cell gets a title that names the post or statement it checks (from the check's
  own docstring, restored from the gradebook, or from ``titles`` for written answers);
- a grading cell shows what it checks, in words, never its code or hidden tests;
- an error shows one plain sentence: the check's own message for a check that did not pass
  (``CheckNotPassed`` and friends carry the course's words), else a short note naming the
  problem; file paths are removed from anything shown;
- a written answer shows its rubric beside the grader's comment: the last Markdown table above
  it in the notebook whose first column is "Points" (the notebook's own rubric, one place), or
  ``rubrics`` when set.

The template ``templates/student_feedback`` (a child of nbgrader's ``feedback`` template) draws
those. Both are switched on in ``autograder/grading/course/nbgrader_config.py``; the graded
notebooks in ``autograded/`` keep everything, for the instructor.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbgrader
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, List, Unicode

from autograder.grading.checks import HUMAN_CHECK_ENAME, wrap

TEMPLATE_NAME = "student_feedback"
TEMPLATE_DIRS = [
    str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
    str(Path(__file__).resolve().parent / "templates"),
]
# Errors raised by the course's checks: their message is written for the student.
COURSE_ERRORS = {"CheckNotPassed", HUMAN_CHECK_ENAME, "CheckFailedOnYourAnswers"}
_POINTS = re.compile(r"\s*\(\d+(?:\.\d+)? points?\)")
_PATH = re.compile(r"(?<![\w/\\])(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?")
_LOCATION = re.compile(r'\b(?:File "|Cell In\[)[^\n]*')


def _docstring(source: str) -> str:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    return " ".join((ast.get_docstring(tree) or "").split())


def check_title(source: str) -> str:
    """What a grading cell checks, in words: its docstring without the points."""
    text = _POINTS.sub("", _docstring(source)).strip()
    return text[:1].upper() + text[1:] if text else ""


def without_paths(text: str) -> str:
    """``text`` with file-system paths replaced, so no server path reaches a student."""
    return _PATH.sub("[a file]", _LOCATION.sub("", text))


def plain_error(output: NotebookNode) -> str:
    """One plain message for an error output (never a traceback)."""
    ename = str(output.get("ename", ""))
    evalue = without_paths(str(output.get("evalue", ""))).strip()
    if ename in COURSE_ERRORS or ename == "AssertionError":
        return evalue or "This check did not pass."
    if ename == "NameError":
        return (
            f"This check could not find one of your answers ({evalue}). Keep each answer "
            "cell as it was given, with your text between the quote marks, and run every cell "
            "from the top before you submit."
        )
    if ename in ("SyntaxError", "IndentationError"):
        return (
            "Python could not read a cell of your notebook. Check that each answer sits "
            "between the quote marks and that the quote marks are still there."
        )
    return (
        f"This check could not run on your notebook ({ename}). Run every cell from the top "
        "before you submit; ask your instructor if the problem stays."
    )


def _rubric_table(markdown: str) -> str:
    """The Markdown table in ``markdown`` whose header starts with "Points", or ""."""
    lines = markdown.splitlines()
    for start, line in enumerate(lines):
        if re.match(r"\s*\|\s*Points\s*\|", line):
            end = start
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            return "\n".join(lines[start:end])
    return ""


class StudentFeedback(NbGraderPreprocessor):  # type: ignore[misc]
    """Turn an autograded notebook into what its feedback page may show a student."""

    titles = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        default_value={},
        help="Titles of graded cells without a docstring: regex on the grade id -> title "
        "(the regex's groups can be used as \\1, \\2 ...)",
    ).tag(config=True)
    rubrics = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        default_value={},
        help="Rubrics of manually graded cells (Markdown): regex on the grade id -> rubric",
    ).tag(config=True)

    # The HTML exporter hands every preprocessor its output priority (as for nbgrader's GetGrades).
    display_data_priority = List(Unicode(), default_value=[]).tag(config=True)

    def _lookup(self, table: dict[str, str], grade_id: str) -> str:
        for pattern, value in table.items():
            match = re.fullmatch(pattern, grade_id)
            if match:
                return match.expand(value)
        return ""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        rubric = ""
        for cell in nb.cells:
            if cell.cell_type == "markdown" and not utils.is_solution(cell):
                rubric = _rubric_table(cell.source) or rubric
            self._prepare(cell, rubric)
        return nb, resources

    def _prepare(self, cell: NotebookNode, rubric_above: str) -> None:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = str(meta.get("grade_id", ""))
        shown: dict[str, str] = {}
        if utils.is_grade(cell):
            title = self._lookup(self.titles, grade_id)
            if not title and cell.cell_type == "code":
                title = check_title(cell.source)
            shown["title"] = title or "A graded part of the assignment"
            if utils.is_solution(cell):  # an answer a person grades
                rubric = self._lookup(self.rubrics, grade_id) or rubric_above
                if rubric:
                    shown["rubric"] = rubric
        if cell.cell_type == "code":
            if utils.is_grade(cell) and not utils.is_solution(cell):
                shown["grading"] = "yes"  # the page shows the title, never the code
                cell.source = ""
            cell.outputs = [self._shown(output) for output in cell.get("outputs", [])]
            cell.outputs = [o for o in cell.outputs if o is not None]
        if shown:
            cell.metadata["student_feedback"] = shown

    def _shown(self, output: NotebookNode) -> NotebookNode | None:
        if output.output_type == "error":
            message = wrap(plain_error(output))
            output.ename, output.evalue = "", message
            output.traceback = [message]
            return output
        if output.output_type == "stream":
            if output.get("name") == "stderr":
                return None  # warnings from the grading machine
            output.text = without_paths(output.get("text", ""))
        return output

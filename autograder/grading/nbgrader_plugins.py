"""nbgrader preprocessors that keep autograding fair when a notebook misbehaves.

nbgrader runs the grading cells in the student's own kernel, after the student's code. That
code can do anything: patch the judge (``autograder.review_post = lambda *a: ...``), hand
over an object whose ``__eq__`` always says yes, or ask IPython to blank out every cell that
follows. nbgrader's own defences (it restores edited or deleted grading cells from the
gradebook, times out endless loops and trims long output by lines) do not cover those.

``VerifyOutsideKernel`` closes the gap. After the notebook has run, it reads each answer
exactly as typed (a string literal assigned in a cell, found by parsing the cell, never by
running it), then runs every grading cell again inside the grading process, where no student
code has ever run, with the grading cell's source taken from the gradebook. A grading cell
keeps its points only if it passed in the kernel **and** passes here. When the two disagree,
the cell gets an error output that says so, which nbgrader scores as zero.

``LimitOutputSize`` caps the size of every cell's output, so one flooded cell cannot make
the graded notebook or the feedback page enormous (nbgrader's ``LimitOutput`` counts lines,
and a single very long line passes it).

Both are switched on in ``autograder/grading/course/nbgrader_config.py``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import time
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import (
    ClearHiddenTests,
    NbGraderPreprocessor,
    OverwriteCells,
    SaveAutoGrades,
)
from traitlets import Integer

from autograder.grading import checks as grading
from autograder.judge.posts import review_post
from autograder.judge.purpose import check_purpose
from autograder.judge.statements import check_statement, compare_statements

VERIFY_ENAME = "CheckFailedOnYourAnswers"


def _load_the_checks_now() -> None:
    """Import the checks and compile the judge's rules before any student's code runs.

    nbgrader imports this module before it starts the first kernel. Student code runs with
    the grader's permissions, so a notebook could rewrite the checks' files on disk; modules
    already in memory are not read again.
    """
    text = "I am a nurse in pediatrics for parents of toddlers."
    for account in ("personal", "professional", "joint"):
        review_post(text, account)
    check_statement(text)
    compare_statements(text, text)
    check_purpose(text, {"keywords": ["nurse"]}, text)
    grading.count_words(text)


_load_the_checks_now()


class NotPlainText:
    """Stands for an answer that was not written as plain text in quotes."""

    def __repr__(self) -> str:
        return "<not plain text>"


def typed_answers(cells: list[NotebookNode], skip_ids: set[str]) -> dict[str, Any]:
    """Names assigned in the notebook's code cells, with the text typed for each.

    Cells are read in order, like a run from the top. ``name = "text"`` (any string literal,
    including implicitly joined ones) records the text; any other top-level assignment to a
    name records :class:`NotPlainText`. Nothing is executed. Cells that do not parse, and
    cells whose grade id is in ``skip_ids`` (the grading cells), are left out.
    """
    answers: dict[str, Any] = {}
    for cell in cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in skip_ids:
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets, value = [node.target], None
            else:
                continue
            for target in targets:
                for name in _names(target):
                    if name.startswith("__"):  # never __builtins__ and the like
                        continue
                    single = isinstance(target, ast.Name)
                    if isinstance(value, ast.Constant) and type(value.value) is str and single:
                        answers[name] = value.value
                    else:
                        answers[name] = NotPlainText()
    return answers


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _names(element)]
    return []


def run_grading_cell(source: str, answers: dict[str, Any]) -> str | None:
    """Run one grading cell on the typed answers; None if it passes, else the reason."""
    namespace: dict[str, Any] = {"__name__": "__grading__", **answers}
    sink = io.StringIO()
    try:
        code = compile(source, "<grading cell>", "exec")
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            exec(code, namespace)
    except AssertionError as error:
        return str(error) or "a check did not pass"
    except NameError as error:
        name = getattr(error, "name", None) or "an answer"
        return (
            f"no answer called {name} was found as plain text in quotes in the notebook. "
            "Type your answer between the quote marks of its answer cell."
        )
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def kernel_passed(cell: NotebookNode) -> bool:
    """nbgrader's rule: a grading cell fails when it shows an error or writes to stderr."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return False
        if output.output_type == "stream" and output.get("name") == "stderr":
            return False
    return True


def _failure_output(reason: str) -> NotebookNode:
    message = (
        "This check passed while your notebook ran, but not when the grader ran it again on "
        "your answers exactly as typed, away from the rest of your notebook's code. "
        f"The reason: {reason}"
    )
    return NotebookNode(  # type: ignore[no-untyped-call]
        output_type="error",
        ename=VERIFY_ENAME,
        evalue=message,
        traceback=[grading.wrap(f"{VERIFY_ENAME}: {message}")],
    )


class VerifyOutsideKernel(NbGraderPreprocessor):  # type: ignore[misc]
    """Re-run every grading cell outside the student's kernel; both runs must pass."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            sources = {cell.name: cell.source for cell in notebook.source_cells}
            grading = {
                cell.name
                for cell in notebook.grade_cells
                if cell.cell_type == "code" and cell.name in sources
            }
        answers = typed_answers(nb.cells, grading)
        for cell in nb.cells:
            if not (utils.is_grade(cell) and cell.cell_type == "code"):
                continue
            grade_id = cell.metadata.nbgrader.get("grade_id")
            if grade_id not in grading or not kernel_passed(cell):
                continue
            reason = run_grading_cell(sources[grade_id], answers)
            if reason is not None:
                self.log.warning("Grading cell %s failed outside the kernel: %s", grade_id, reason)
                # First, so that no output written by the notebook can be read as a score.
                cell.outputs.insert(0, _failure_output(reason))
        return nb, resources


class MarkForHumanCheck(NbGraderPreprocessor):  # type: ignore[misc]
    """Leave an answer the judge cannot read (mostly not English) for a person to grade.

    The grading cell raised ``NeedsHumanCheck``; instead of the automatic 0 nbgrader would
    record, the cell's grade gets no automatic score and is marked as needing manual grading,
    so it appears in the formgrader's "needs manual grade" list. Runs after SaveAutoGrades.
    """

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        flagged = [
            cell.metadata.nbgrader.get("grade_id")
            for cell in nb.cells
            if utils.is_grade(cell)
            and any(
                o.output_type == "error" and o.get("ename") == grading.HUMAN_CHECK_ENAME
                for o in cell.get("outputs", [])
            )
        ]
        if not flagged:
            return nb, resources
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            for grade_id in flagged:
                grade = gradebook.find_grade(
                    grade_id, info["notebook"], info["assignment"], info["student"]
                )
                grade.auto_score = None
                grade.needs_manual_grade = True
                self.log.warning("%s: %s needs a human check", info["student"], grade_id)
            gradebook.db.commit()
        return nb, resources


class LimitOutputSize(NbGraderPreprocessor):  # type: ignore[misc]
    """Cap the characters of output kept for each cell."""

    max_chars = Integer(
        20_000, help="Characters of output kept per cell (text and data); -1 for no limit"
    ).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or self.max_chars < 0:
            return cell, resources
        budget = self.max_chars
        kept = []
        dropped = 0
        for output in cell.outputs:
            size = _output_size(output)
            if output.output_type == "error" or size <= budget:
                kept.append(output)
                budget -= min(size, budget)
            elif output.output_type == "stream" and budget > 0:
                output.text = output.text[:budget]
                kept.append(output)
                dropped += size - budget
                budget = 0
            else:
                dropped += size
        if dropped:
            kept.append(
                NotebookNode(  # type: ignore[no-untyped-call]
                    output_type="stream",
                    name="stdout",
                    text=f"\n... {dropped:,} more characters of output were cut here ...\n",
                )
            )
        cell.outputs = kept
        return cell, resources


def _output_size(output: NotebookNode) -> int:
    if output.output_type == "stream":
        return len(output.get("text", ""))
    if output.output_type == "error":
        return sum(len(line) for line in output.get("traceback", []))
    return sum(len(str(value)) for value in output.get("data", {}).values())


class RestoreHiddenTests(OverwriteCells):  # type: ignore[misc]
    """nbgrader's ``OverwriteCells``, without a false "checksum has changed" per grading cell.

    The gradebook keeps each grading cell as the instructor wrote it, hidden tests included, and
    its checksum; the student's copy has the hidden tests cut out. So for every untouched cell
    with hidden tests nbgrader logs "Attribute 'checksum' ... has changed!", about 120 warnings a
    batch that read like tampering. When the student's cell is exactly the gradebook's with its
    hidden tests removed, this puts the hidden tests back first; any other change (a real edit)
    is still reported and restored by nbgrader as before.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and utils.is_locked(cell):
            try:
                source_cell = self.gradebook.find_source_cell(
                    grade_id, self.notebook_id, self.assignment_id
                )
            except MissingEntry:
                source_cell = None
            if source_cell is not None and source_cell.cell_type == cell.cell_type:
                released = NotebookNode(  # type: ignore[no-untyped-call]
                    cell_type=cell.cell_type, source=source_cell.source, metadata={}
                )
                stripped = ClearHiddenTests()._remove_hidden_test_region(released)
                if stripped and released.source == cell.source:
                    cell.source = source_cell.source
        return super().preprocess_cell(cell, resources, cell_index)  # type: ignore[no-any-return]


class KeepManualGrades(SaveAutoGrades):  # type: ignore[misc]
    """nbgrader's ``SaveAutoGrades``, but a regrade keeps finished manual grades finished.

    nbgrader marks every part that has a manual grade as "needs manual grade" again whenever the
    notebook is autograded, so ``make autograde NBGRADER_ARGS=--force`` sent every written
    answer back to the grading queue. Here a part stays graded when its automatic score did not
    change (a written answer has none, so it always stays graded); a changed automatic score
    under a manual override is still flagged for review, as in nbgrader.
    """

    def _add_score(self, cell: NotebookNode, resources: ResourcesDict) -> None:
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"],
            self.notebook_id,
            self.assignment_id,
            self.student_id,
        )
        before_auto, before_manual = grade.auto_score, grade.manual_score
        super()._add_score(cell, resources)
        unchanged = grade.auto_score == before_auto
        if before_manual is not None and grade.needs_manual_grade and unchanged:
            grade.needs_manual_grade = False
            self.gradebook.db.commit()


GRADING_SECONDS = "autograde_seconds"


class StartClock(NbGraderPreprocessor):  # type: ignore[misc]
    """First step of autograding: note the time (``StopClock`` writes how long it took)."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        resources["autograde_started"] = time.perf_counter()
        return nb, resources


class StopClock(NbGraderPreprocessor):  # type: ignore[misc]
    """Last step of autograding: the seconds it took, in the graded notebook's metadata.

    nbgrader records no timing; the class report (``make report``) reads this."""

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        started = resources.get("autograde_started")
        if isinstance(started, float):
            nb.metadata[GRADING_SECONDS] = round(time.perf_counter() - started, 3)
        return nb, resources

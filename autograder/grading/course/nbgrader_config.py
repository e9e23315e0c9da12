# nbgrader settings for the course's graded assignments. nbgrader reads this file when it runs
# in this folder (the Makefile's nbgrader targets `cd` here first). The instructor guide is the
# book page "Grading the assignments with nbgrader" (book/instructor_grading.md).
#
# Folders nbgrader makes here (release/, submitted/, autograded/, feedback/, downloaded/) and
# gradebook.db are generated: they are ignored by git and never committed.

c = get_config()  # noqa: F821 (nbgrader provides get_config)

# ---------------------------------------------------------------- the course
c.CourseDirectory.course_id = "two-presences"
# The gradebook is nbgrader's default, the SQLite file gradebook.db in this folder. For a large
# class or several graders, use PostgreSQL instead: set NBGRADER_DB_URL in the environment (or
# `make ... DB_URL=...`) for every nbgrader command, for example
#   NBGRADER_DB_URL=postgresql+psycopg2://nbgrader:SECRET@db.example.org/two_presences
# (psycopg2-binary is in requirements.txt). To move an existing gradebook.db there first:
# `make migrate-gradebook DB_URL=...` (book/instructor_grading.md, "A PostgreSQL gradebook").
import os

if os.environ.get("NBGRADER_DB_URL"):
    c.CourseDirectory.db_url = os.environ["NBGRADER_DB_URL"]

# ---------------------------------------------------------------- making the student version
# Every released notebook starts with the same how-to page for non-programmers.
c.IncludeHeaderFooter.header = "source/header.ipynb"
# Answers are plain text in quotes: the model answer is replaced by this text, between the
# quotes, and written answers (markdown cells) say the same.
c.ClearSolutions.code_stub = {"python": "YOUR ANSWER HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Only answer cells can be edited or deleted; instructions, checks and grading cells cannot.
c.LockCells.lock_all_cells = True

# ---------------------------------------------------------------- autograding
# No cell needs more than a second; an endless loop is stopped after this many seconds and
# the next cell runs.
c.Execute.timeout = 10
c.Execute.startup_timeout = 120
# A grading cell the student deleted is put back from the gradebook (edited ones always are).
c.OverwriteCells.add_missing_cells = True
# Keep long outputs short in graded notebooks and feedback: lines, then characters per cell.
c.LimitOutput.max_lines = 200
c.LimitOutputSize.max_chars = 20_000
# Before grading, nbgrader restores every locked cell from the gradebook; this version does it
# without a false "checksum has changed" warning for each grading cell with hidden tests.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.grading.nbgrader_plugins.RestoreHiddenTests",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# nbgrader's own pipeline, plus steps from autograder/grading/nbgrader_plugins.py:
# cap output size, re-run every grading cell outside the student's kernel on the answers
# exactly as typed (a grading cell keeps its points only if both runs pass), keep finished
# manual grades finished when a notebook is graded again, and leave answers the judge cannot
# read for a person.
c.Autograde.autograde_preprocessors = [
    "autograder.grading.nbgrader_plugins.StartClock",
    "nbgrader.preprocessors.Execute",
    "autograder.grading.nbgrader_plugins.LimitOutputSize",
    "autograder.grading.nbgrader_plugins.VerifyOutsideKernel",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autograder.grading.nbgrader_plugins.KeepManualGrades",
    "autograder.grading.nbgrader_plugins.MarkForHumanCheck",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.grading.nbgrader_plugins.StopClock",
]

# ---------------------------------------------------------------- feedback for students
# generate_feedback draws each page with the course's template: every graded cell titled by
# what it checks, no grading code, hidden tests, tracebacks or server paths, and the rubric of
# each written answer beside your comment: the last table above it in the notebook whose first
# column is "Points" (autograder/grading/feedback.py).
from autograder.grading import feedback  # noqa: E402

c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.grading.feedback.StudentFeedback",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HTMLExporter.template_name = feedback.TEMPLATE_NAME
c.HTMLExporter.extra_template_basedirs = feedback.TEMPLATE_DIRS
c.StudentFeedback.titles = {
    r"explain_(\d+)": r"Post \1: your explanation of the fix",
    r"reflection": "Your reflection on the two statements",
}

# ---------------------------------------------------------------- collecting from an LMS
# `make zip-collect ASSIGNMENT=...` reads the downloads of Canvas, Moodle, Blackboard and
# Brightspace placed in downloaded/ASSIGNMENT/archive/ (autograder/grading/lms_collect.py); it
# does not use nbgrader's zip_collect settings.

# ---------------------------------------------------------------- JupyterHub exchange
# On a JupyterHub with the nbgrader exchange, release_assignment / collect use this folder,
# shared by instructors and students. nbgrader 0.9's default is the one below:
# c.Exchange.root = "/usr/local/share/nbgrader/exchange"

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
c.Execute.startup_timeout = 60
# A grading cell the student deleted is put back from the gradebook (edited ones always are).
c.OverwriteCells.add_missing_cells = True
# Keep long outputs short in graded notebooks and feedback: lines, then characters per cell.
c.LimitOutput.max_lines = 200
c.LimitOutputSize.max_chars = 20_000
# nbgrader's own pipeline, plus two steps from autograder/grading/nbgrader_plugins.py:
# cap output size, and re-run every grading cell outside the student's kernel on the answers
# exactly as typed (a grading cell keeps its points only if both runs pass).
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "autograder.grading.nbgrader_plugins.LimitOutputSize",
    "autograder.grading.nbgrader_plugins.VerifyOutsideKernel",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "autograder.grading.nbgrader_plugins.MarkForHumanCheck",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# ---------------------------------------------------------------- collecting from an LMS
# `nbgrader zip_collect ASSIGNMENT` reads the files (or zip archives) you download from your
# LMS, placed in downloaded/ASSIGNMENT/archive/, and files them in submitted/. The file name
# says whose file it is. This pattern reads Canvas names, such as
#   smithjane_12345_67890_fix_the_posts.ipynb   or   smithjane_LATE_12345_67890_fix_the_posts-1.ipynb
# where 12345 (the Canvas user id) becomes the student id. For Moodle names, such as
#   Jane Smith_4567_assignsubmission_file_fix_the_posts.ipynb
# use instead:
#   r".*[/\\][^/\\]*_(?P<student_id>[0-9]+)_assignsubmission_file_(?P<file_id>[A-Za-z0-9_]+?)(?:-[0-9]+)?\.ipynb$"
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.FileNameCollectorPlugin"
c.FileNameCollectorPlugin.named_regexp = (
    r".*[/\\][^/\\_]+_(?:LATE_)?(?P<student_id>[0-9]+)_[0-9]+_"
    r"(?P<file_id>[A-Za-z0-9_]+?)(?:-[0-9]+)?\.ipynb$"
)

# ---------------------------------------------------------------- JupyterHub exchange
# On a JupyterHub with the nbgrader exchange, release_assignment / collect use this folder,
# shared by instructors and students (nbgrader's default):
# c.Exchange.root = "/srv/nbgrader/exchange"

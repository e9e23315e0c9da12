"""Grades and feedback back into the LMS, in the files each gradebook takes as they are.

``make grades LMS=canvas|moodle|blackboard|brightspace`` writes ``grades-LMS.csv`` in the course
folder: one row per student in the gradebook (a student with no submission gets 0, so load the
class list first with ``make class-list``), one column per assignment, with the identifiers
and headers the LMS's import requires:

===========  ================================================================================
LMS          header row (then one row per student)
===========  ================================================================================
canvas       ``Student,ID,SIS User ID,SIS Login ID,Section,Fix the posts,...`` and a second
             row ``Points Possible,,,,,30,...``; ID is the Canvas user id (from the downloads)
moodle       ``ID number,First name,Last name,Email address,Fix the posts,...``; map "ID number"
             (or the email) in Moodle's "Import grades > CSV file" page
blackboard   ``Last Name,First Name,Username,Student ID,Fix the posts [Total Pts: 30 Score],...``
             (a column without a column id is created as a new Grade Center column)
brightspace  ``OrgDefinedId,Username,Fix the posts Points Grade,...,End-of-Line Indicator``
             (each row ends with ``#``; a new "Points Grade" column creates a grade item)
===========  ================================================================================

The score is nbgrader's: the points of every autograded and manually graded part, less the
late penalty. Parts still waiting for a manual grade count as 0 and are listed on the terminal.

``make feedback-bundle ASSIGNMENT=... LMS=...`` packs the feedback pages
(``make feedback`` first) into ``feedback-ASSIGNMENT-LMS.zip`` under the names the LMS matches
back to each student (kept by ``make zip-collect`` in ``downloaded/ASSIGNMENT/lms_names.json``):

- **Moodle**: "Upload multiple feedback files in a zip" on the assignment's grading page;
  each file starts with the student's ``Full Name_4567_assignsubmission_file`` prefix.
- **Canvas**: "Re-upload submissions" on the assignment page; each file keeps the
  ``login_12345_67890_`` prefix of the download, and arrives as a submission comment.
- **Brightspace**: the folder's "Add feedback files" bulk upload; each file keeps the
  ``123456-789012 - Full Name - date`` prefix of the download.
- **Blackboard Learn**: there is no bulk upload of feedback files; the zip holds one page per
  user name to attach by hand, and the grades file can carry a "Feedback to User" column.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.downloads import ZIP_TIME

LMSES = ("canvas", "moodle", "blackboard", "brightspace")
TITLES = {"fix_the_posts": "Fix the posts", "positioning_statements": "Positioning statements"}


def title(assignment: str) -> str:
    return TITLES.get(assignment, assignment.replace("_", " ").capitalize())


@dataclass
class Row:
    id: str
    first_name: str
    last_name: str
    email: str
    scores: dict[str, float]
    waiting: list[str]


def gradebook_rows(db_url: str) -> tuple[list[str], dict[str, float], list[Row]]:
    """Assignments (in due-date order), their maximum scores, and one row per student."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        assignments = sorted(
            gradebook.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name)
        )
        names = [a.name for a in assignments]
        maximum = {a.name: float(a.max_score) for a in assignments}
        rows = []
        for student in sorted(gradebook.students, key=lambda s: s.id):
            scores: dict[str, float] = {}
            waiting: list[str] = []
            for name in names:
                try:
                    submission = gradebook.find_submission(name, student.id)
                except MissingEntry:
                    scores[name] = 0.0
                    continue
                penalty = float(submission.late_submission_penalty or 0)
                scores[name] = max(0.0, float(submission.score) - penalty)
                if submission.needs_manual_grade:
                    waiting.append(name)
            rows.append(
                Row(
                    student.id,
                    student.first_name or "",
                    student.last_name or "",
                    student.email or "",
                    scores,
                    waiting,
                )
            )
    return names, maximum, rows


def _number(value: float) -> str:
    return f"{value:g}"


def grades_table(
    lms: str, names: list[str], maximum: dict[str, float], rows: list[Row]
) -> list[list[str]]:
    """The rows of the grades file for ``lms`` (header first), from ``gradebook_rows``."""
    titles = [title(n) for n in names]
    table: list[list[str]] = []
    if lms == "canvas":
        table.append(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles])
        table.append(["Points Possible", "", "", "", "", *(_number(maximum[n]) for n in names)])
        for r in rows:
            display = ", ".join(p for p in (r.last_name, r.first_name) if p) or r.id
            table.append([display, r.id, "", "", "", *(_number(r.scores[n]) for n in names)])
    elif lms == "moodle":
        table.append(["ID number", "First name", "Last name", "Email address", *titles])
        for r in rows:
            scores = (_number(r.scores[n]) for n in names)
            table.append([r.id, r.first_name, r.last_name, r.email, *scores])
    elif lms == "blackboard":
        columns = [
            f"{t} [Total Pts: {_number(maximum[n])} Score]"
            for t, n in zip(titles, names, strict=True)
        ]
        table.append(["Last Name", "First Name", "Username", "Student ID", *columns])
        for r in rows:
            scores = (_number(r.scores[n]) for n in names)
            table.append([r.last_name, r.first_name, r.id, r.id, *scores])
    elif lms == "brightspace":
        columns = [f"{t} Points Grade" for t in titles]
        table.append(["OrgDefinedId", "Username", *columns, "End-of-Line Indicator"])
        for r in rows:
            table.append(["", r.id, *(_number(r.scores[n]) for n in names), "#"])
    else:
        raise SystemExit(f"Say which LMS: LMS={'|'.join(LMSES)} (got {lms!r})")
    return table


def write_grades(course: Path, lms: str, db_url: str) -> tuple[Path, list[Row]]:
    names, maximum, rows = gradebook_rows(db_url)
    table = grades_table(lms, names, maximum, rows)
    target = course / f"grades-{lms}.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    target.write_text(buffer.getvalue(), encoding="utf-8-sig" if lms == "moodle" else "utf-8")
    return target, rows


def _feedback_name(lms: str, student: str, known: dict[str, str] | None, assignment: str) -> str:
    if known and known.get("name"):
        prefix = known["name"]
        if lms == "moodle":
            return f"{prefix}_feedback.html"
        if lms == "canvas":
            parts = prefix.split("_")
            return "_".join(parts[:3] if parts[1] != "LATE" else parts[:4]) + "_feedback.html"
        if lms == "brightspace":
            return f"{prefix} - feedback.html"
        return f"{Path(prefix).stem}_feedback.html"
    return f"{student}_{assignment}_feedback.html"


def feedback_bundle(course: Path, assignment: str, lms: str) -> tuple[Path, list[str], list[str]]:
    """Zip the feedback pages; returns the zip, the students packed, and those left out."""
    if lms not in LMSES:
        raise SystemExit(f"Say which LMS: LMS={'|'.join(LMSES)} (got {lms!r})")
    names_file = course / "downloaded" / assignment / "lms_names.json"
    known = json.loads(names_file.read_text(encoding="utf-8")) if names_file.is_file() else {}
    pages = sorted((course / "feedback").glob(f"*/{assignment}/{assignment}.html"))
    if not pages:
        raise SystemExit(f"No feedback pages for {assignment}: run `make feedback` first.")
    target = course / f"feedback-{assignment}-{lms}.zip"
    packed, unmatched = [], []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for page in pages:
            student = page.parents[1].name
            entry = known.get(student)
            if entry and entry.get("lms", "").lower() != lms:
                entry = None
            if entry is None and lms != "blackboard":
                unmatched.append(student)
            info = zipfile.ZipInfo(_feedback_name(lms, student, entry, assignment), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, page.read_bytes())
            packed.append(student)
    return target, packed, unmatched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grades and feedback for an LMS.")
    sub = parser.add_subparsers(dest="command", required=True)
    grades = sub.add_parser("grades")
    grades.add_argument("lms")
    bundle = sub.add_parser("feedback-bundle")
    bundle.add_argument("assignment")
    bundle.add_argument("lms")
    for p in (grades, bundle):
        p.add_argument("--course", type=Path, default=Path.cwd())
        p.add_argument("--db-url", default=None)
    args = parser.parse_args(argv)
    lms = args.lms.lower()
    db_url = args.db_url or f"sqlite:///{args.course / 'gradebook.db'}"
    if args.command == "grades":
        if lms not in LMSES:
            print(f"Say which LMS: LMS={'|'.join(LMSES)} (got {args.lms!r})")
            return 2
        target, rows = write_grades(args.course, lms, db_url)
        print(f"Wrote {target.name}: {len(rows)} students.")
        waiting = [f"{r.id} ({', '.join(r.waiting)})" for r in rows if r.waiting]
        if waiting:
            print("Still waiting for a manual grade (counted as 0 for now): " + "; ".join(waiting))
        return 0
    target, packed, unmatched = feedback_bundle(args.course, args.assignment, lms)
    print(f"Wrote {target.name}: {len(packed)} feedback pages.")
    if unmatched:
        print(
            "No LMS name known for these students (they were not collected from this LMS's "
            "download), so their pages are named by student id: " + ", ".join(unmatched)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

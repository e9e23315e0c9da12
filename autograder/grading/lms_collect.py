"""File an LMS's download of submissions into nbgrader's ``submitted/`` folder.

``make zip-collect ASSIGNMENT=...`` runs this in the course folder. Put what the LMS gave you
(zip files, folders or single notebooks, as downloaded) in ``downloaded/ASSIGNMENT/archive/``.
Every file is read, zips inside zips too, and each notebook is matched to a student by the
naming scheme of the LMS that made it:

============  ===========================================================================
LMS           name of one submitted file
============  ===========================================================================
Canvas        ``smithjane_12345_67890_fix_the_posts.ipynb``; late: ``smithjane_LATE_12345_...``;
              a resubmission gets ``-1``, ``-2`` ... before the extension
Moodle        folders (the default since 3.1): ``Jane Smith_4567_assignsubmission_file/x.ipynb``;
              flat: ``Jane Smith_4567_assignsubmission_file_x.ipynb``
Blackboard    ``Assignment_jsmith_attempt_2026-12-01-10-30-00_x.ipynb``
Brightspace   ``123456-789012 - Jane Smith - 1 December 2026 1030 AM - x.ipynb``
============  ===========================================================================

What it does with them:

- **The student.** Canvas ids and Blackboard user names are used as they are. Moodle's number
  is a per-assignment participant id and Brightspace's are submission ids, so for those two the
  student is found by full name in the gradebook's class list (``make class-list``), falling
  back to the LMS's number when the name is not there.
- **The notebook.** The one ``.ipynb`` of a submission is taken whatever it was renamed to
  (``fix_the_posts (1).ipynb``, ``Fix_the_posts_MeiHuang.ipynb``) and filed as the assignment's
  notebook. A submission with several notebooks takes the one named like the assignment, or is
  reported.
- **Attempts.** When a student has several attempts, the latest wins: by submission time
  (Blackboard, Brightspace), else by attempt number (Canvas ``-1``), else by the file's order.
- **Time and lateness.** The submission time becomes nbgrader's ``timestamp.txt``, so
  nbgrader's late penalties apply. Canvas gives no time, only a ``LATE`` marker: such a
  submission is time-stamped one minute after the assignment's due date (``make due-date``) so
  that nbgrader counts it late. LMS times are read in ``--timezone`` (default UTC).
- **A report.** At the end it prints a table of what it filed, and every file it did not file
  with the reason. Nothing is skipped in silence. The LMS names are kept in
  ``downloaded/ASSIGNMENT/lms_names.json`` for ``make feedback-bundle``.

Why not nbgrader's own ``zip_collect``: its ``FileNameCollectorPlugin`` maps each file name
through one regular expression, so it cannot take "the one notebook of a submission" when the
student renamed it, cannot tell the LMSs apart in one run, stops the whole batch on two
attempts without time stamps ("Duplicate submission file"), and logs unmatched files as one
warning among many. The LMS name patterns come from ``../shared/FINDINGS.md`` (checked on the
LMSs' own download pages).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LMS_NAMES = "lms_names.json"
_NOTEBOOK = ".ipynb"
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

CANVAS = re.compile(
    r"^(?P<login>[a-z0-9]+)_(?P<late>LATE_)?(?P<id>\d+)_(?P<submission>\d+)_"
    r"(?P<file>.+?)(?:-(?P<attempt>\d+))?\.ipynb$",
    re.IGNORECASE,
)
MOODLE = re.compile(
    r"^(?P<name>[^/]+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?:file|onlinetext)"
    r"(?:_?/|_)(?P<file>[^/]+)$"
)
BLACKBOARD = re.compile(
    r"^(?P<assignment>.+?)_(?P<id>[^_/]+)_attempt_"
    r"(?P<time>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.+))?$"
)
BRIGHTSPACE = re.compile(
    r"^(?P<id>\d+-\d+) - (?P<name>.+?) - (?P<day>\d{1,2}) (?P<month>[A-Za-z]+),? (?P<year>\d{4})"
    r",? (?P<hour>\d{1,2}):?(?P<minute>\d{2}) ?(?P<ampm>[AP]M) - (?P<file>.+)$"
)


@dataclass
class Found:
    """One file of the download, and what its name says."""

    path: str  # where it was in the download (zips shown as a/b.zip!c.ipynb)
    data: bytes
    lms: str = ""
    student: str = ""  # the id in the gradebook
    lms_id: str = ""
    name: str = ""  # the student's name as the LMS gave it
    time: datetime | None = None
    late: bool = False
    attempt: int = 0
    order: int = 0
    lms_name: str = ""  # the submission's own name in the LMS (for returning feedback)
    problem: str = ""


@dataclass
class Filed:
    student: str
    name: str
    lms: str
    taken: str
    when: str
    late: bool
    notes: list[str] = field(default_factory=list)


def walk_download(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under ``folder``, zips opened (zips inside zips too), in a stable order."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        yield from _expand(relative, data)


def _expand(where: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    if where.lower().endswith(".zip") and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                yield from _expand(f"{where}!{info.filename}", archive.read(info))
        return
    yield where, data


def _inner_name(where: str) -> str:
    """The path inside the innermost zip (or the file's own path)."""
    return where.rsplit("!", 1)[-1]


def read_name(found: Found, zone: ZoneInfo) -> None:
    """Fill in what ``found``'s name says, from the first LMS scheme that matches."""
    inner = _inner_name(found.path)
    parts = PurePosixPath(inner).parts
    base = parts[-1]
    tail2 = "/".join(parts[-2:])
    match = CANVAS.match(base)
    if match:
        found.lms, found.lms_id = "Canvas", match["id"]
        found.student = match["id"]
        found.name = match["login"]
        found.late = bool(match["late"])
        found.attempt = int(match["attempt"] or 0)
        found.lms_name = base
        return
    match = MOODLE.match(tail2) or MOODLE.match(base)
    if match:
        found.lms, found.lms_id, found.name = "Moodle", match["id"], match["name"]
        found.lms_name = f"{match['name']}_{match['id']}_assignsubmission_file"
        return
    match = BLACKBOARD.match(base)
    if match:
        found.lms, found.lms_id = "Blackboard", match["id"]
        found.student = match["id"]
        stamp = datetime.strptime(match["time"], "%Y-%m-%d-%H-%M-%S")
        found.time = stamp.replace(tzinfo=zone)
        found.lms_name = base
        return
    match = BRIGHTSPACE.match(base)
    if match:
        found.lms, found.lms_id, found.name = "Brightspace", match["id"], match["name"]
        month = _MONTHS.get(match["month"].lower())
        hour = int(match["hour"]) % 12 + (12 if match["ampm"].upper() == "PM" else 0)
        if month:
            found.time = datetime(
                int(match["year"]),
                month,
                int(match["day"]),
                hour,
                int(match["minute"]),
                tzinfo=zone,
            )
        found.lms_name = base.rsplit(" - ", 1)[0]
        return
    found.problem = (
        "the name does not follow the download names of Canvas, Moodle, Blackboard or Brightspace"
    )


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", name.lower()).split())


def class_list_names(db_url: str) -> dict[str, str]:
    """Full name (folded) -> student id, from the gradebook's class list."""
    from nbgrader.api import Gradebook

    names: dict[str, str] = {}
    with Gradebook(db_url) as gradebook:
        for student in gradebook.students:
            full = _name_key(f"{student.first_name or ''} {student.last_name or ''}")
            if full:
                names[full] = student.id
                last_first = _name_key(f"{student.last_name or ''} {student.first_name or ''}")
                names.setdefault(last_first, student.id)
    return names


def due_date(db_url: str, assignment: str) -> datetime | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            due = gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=UTC) if due is not None else None


def choose(assignment: str, files: list[Found]) -> tuple[Found | None, list[str]]:
    """The notebook to grade from one student's files, and notes on the choice."""
    notebooks = [f for f in files if _is_notebook(f)]
    notes = []
    if not notebooks:
        return None, ["no notebook (.ipynb) in the submission"]

    def attempt_key(f: Found) -> tuple[datetime, int, int]:
        return (f.time or datetime.min.replace(tzinfo=UTC), f.attempt, f.order)

    latest_key = max(attempt_key(f) for f in notebooks)
    latest = [f for f in notebooks if attempt_key(f)[:2] == latest_key[:2]]
    if len(latest) > 1:
        named = [f for f in latest if _stem(f) == assignment]
        if len(named) == 1:
            latest = named
            notes.append("several notebooks: took the one named like the assignment")
        else:
            latest.sort(key=attempt_key)
    chosen = latest[-1]
    attempts = len({attempt_key(f)[:2] for f in notebooks})
    if attempts > 1:
        notes.append(f"{attempts} attempts: took the latest")
    if _stem(chosen) != assignment:
        notes.append(f"renamed notebook {_stem(chosen)!r}")
    return chosen, notes


def _is_notebook(found: Found) -> bool:
    return _inner_name(found.path).lower().endswith(_NOTEBOOK)


def _stem(found: Found) -> str:
    name = PurePosixPath(_inner_name(found.path)).name
    match = CANVAS.match(name)
    if match:
        return match["file"]
    match = MOODLE.match(name) or BLACKBOARD.match(name) or BRIGHTSPACE.match(name)
    if match and match["file"]:
        name = match["file"]
    return PurePosixPath(name).stem


def collect(
    course: Path,
    assignment: str,
    *,
    zone: ZoneInfo,
    db_url: str | None = None,
) -> tuple[list[Filed], list[tuple[str, str]]]:
    """File the download of ``assignment``; returns what was filed and what was not."""
    archive = course / "downloaded" / assignment / "archive"
    if not archive.is_dir():
        raise SystemExit(
            f"No download found: put the files from your LMS in {archive.relative_to(course)}/"
        )
    db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    names = class_list_names(db_url)
    due = due_date(db_url, assignment)
    skipped: list[tuple[str, str]] = []
    by_student: dict[str, list[Found]] = {}
    for order, (where, data) in enumerate(walk_download(archive)):
        found = Found(where, data, order=order)
        if PurePosixPath(_inner_name(where)).name.startswith(".") or "__MACOSX" in where:
            skipped.append((where, "a hidden or system file"))
            continue
        read_name(found, zone)
        if found.problem:
            skipped.append((where, found.problem))
            continue
        if not found.student:
            found.student = names.get(_name_key(found.name), found.lms_id)
        by_student.setdefault(found.student, []).append(found)
    filed: list[Filed] = []
    lms_names: dict[str, dict[str, str]] = {}
    for student in sorted(by_student):
        files = by_student[student]
        chosen, notes = choose(assignment, files)
        for other in files:
            if other is not chosen:
                reason = "an earlier attempt" if _is_notebook(other) else "not a notebook"
                skipped.append((other.path, f"{reason} (student {student})"))
        if chosen is None:
            continue
        target = course / "submitted" / student / assignment
        if target.exists():
            shutil.rmtree(target)
            notes.append("replaced an earlier collected submission")
        target.mkdir(parents=True)
        (target / f"{assignment}{_NOTEBOOK}").write_bytes(chosen.data)
        when = chosen.time
        if when is None and chosen.late:
            if due is not None:
                when = due + timedelta(minutes=1)
                notes.append("marked LATE by the LMS: time-stamped 1 minute after the due date")
            else:
                notes.append("marked LATE by the LMS, but no due date is set (make due-date)")
        when_utc = when.astimezone(UTC) if when is not None else None
        if when_utc is not None:
            stamp = when_utc.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
            (target / "timestamp.txt").write_text(stamp, encoding="utf-8")
        late = chosen.late or (when is not None and due is not None and when > due)
        filed.append(
            Filed(
                student=student,
                name=chosen.name,
                lms=chosen.lms,
                taken=chosen.path,
                when=when_utc.strftime("%Y-%m-%d %H:%M UTC") if when_utc else "",
                late=late,
                notes=notes,
            )
        )
        lms_names[student] = {"lms": chosen.lms, "name": chosen.lms_name, "full_name": chosen.name}
    (course / "downloaded" / assignment / LMS_NAMES).write_text(
        json.dumps(lms_names, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return filed, skipped


def report(filed: list[Filed], skipped: list[tuple[str, str]]) -> str:
    rows = [("Student", "Name", "LMS", "Submitted", "Late", "File taken", "Notes")]
    for f in filed:
        rows.append(
            (
                f.student,
                f.name,
                f.lms,
                f.when or "-",
                "LATE" if f.late else "",
                f.taken,
                "; ".join(f.notes),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Filed {len(filed)} submission(s):"]
    for i, row in enumerate(rows):
        lines.append(
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        )
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    if skipped:
        lines.append("")
        lines.append(f"Not filed ({len(skipped)} file(s)), with the reason:")
        for where, reason in skipped:
            lines.append(f"  {where}: {reason}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="File an LMS download into submitted/.")
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course folder")
    parser.add_argument("--timezone", default="UTC", help="the LMS's time zone, e.g. Europe/London")
    parser.add_argument("--db-url", default=None, help="the gradebook (default: gradebook.db)")
    args = parser.parse_args(argv)
    try:
        zone = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"Unknown time zone {args.timezone!r}: use a name such as Europe/London.")
        return 2
    filed, skipped = collect(args.course, args.assignment, zone=zone, db_url=args.db_url)
    print(report(filed, skipped))
    if not filed:
        print("\nNothing was filed: check that the files came from the LMS's download.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

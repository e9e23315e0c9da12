"""Course-wide settings from the ``course:`` block of ``_config.yml``.

One reader for every tool (the widgets, the Sphinx extension, the SCORM packager), so the course
id that namespaces saved progress is the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "_config.yml"
BOOK_DIR = "book"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CourseConfigError(ValueError):
    """A ``course:`` setting that cannot be used."""


@dataclass(frozen=True)
class CourseConfig:
    id: str
    title: str
    mastery_score: float
    completion: str
    # Pages written for instructors: in the site and the LMS packages, but not needed to
    # complete the course. The course manifest flags every other page as required.
    instructor_pages: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "masteryScore": self.mastery_score,
            "completion": self.completion,
            "instructorPages": list(self.instructor_pages),
        }


def find_project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``_config.yml``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CourseConfigError(
        f"could not find {CONFIG_FILE} in {here} or any folder above it; "
        "run this from inside the course folder"
    )


def parse_course_config(raw: Any, source: str = CONFIG_FILE) -> CourseConfig:
    if not isinstance(raw, dict):
        raise CourseConfigError(f"{source}: the file must be a mapping of settings")
    course = raw.get("course")
    if not isinstance(course, dict):
        raise CourseConfigError(f"{source}: the 'course:' section is missing")
    title = course.get("title", raw.get("title"))
    if not isinstance(title, str) or not title.strip():
        raise CourseConfigError(f"{source}: 'course.title' (or 'title') is missing or empty")
    ident = course.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise CourseConfigError(
            f"{source}: 'course.id' must be lower-case letters, digits and hyphens, got {ident!r}"
        )
    mastery = course.get("mastery_score", 0.8)
    if isinstance(mastery, bool) or not isinstance(mastery, (int, float)) or not 0 <= mastery <= 1:
        raise CourseConfigError(
            f"{source}: 'course.mastery_score' must be a number from 0 to 1, got {mastery!r}"
        )
    completion = course.get("completion", "all_chapters_visited")
    allowed = ("all_chapters_visited", "all_exercises_completed")
    if completion not in allowed:
        raise CourseConfigError(
            f"{source}: 'course.completion' must be one of {', '.join(allowed)}, got {completion!r}"
        )
    pages = course.get("instructor_pages", [])
    if not isinstance(pages, list) or not all(isinstance(p, str) and p for p in pages):
        raise CourseConfigError(
            f"{source}: 'course.instructor_pages' must be a list of pages such as "
            f"book/instructor_guide, got {pages!r}"
        )
    pages = [p.removesuffix(".md").removesuffix(".ipynb") for p in pages]
    return CourseConfig(ident, title.strip(), float(mastery), completion, tuple(pages))


def load_course_config(root: str | Path | None = None) -> CourseConfig:
    root = Path(root) if root else find_project_root()
    path = root / CONFIG_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise CourseConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_course_config(raw, CONFIG_FILE)

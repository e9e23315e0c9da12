"""``_static/course-manifest.js``: the chapters in reading order and the exercises each shows,
read from what the executed pages really display; and the check that every exercise is shown once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .outline import estimated_minutes
from .page_state import exercises_on_page
from .settings import BOOK_DIR

logger = logging.getLogger(__name__)


def _reading_order(env: Any, root_doc: str) -> list[str]:
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(root_doc)
    return order


def check_exercises_shown(app: Sphinx, env: Any) -> None:
    declared: dict[str, list[str]] = getattr(env, "smx_declared", {})
    shown: dict[str, list[str]] = {}
    for docname in sorted(env.found_docs):
        for item in exercises_on_page(env, docname):
            key = f"{item['chapter']}/{item['id']}"
            if item["id"] in shown.get(item["chapter"], []):
                logger.warning(f"exercise '{key}' is shown more than once", location=docname)
            shown.setdefault(item["chapter"], []).append(item["id"])
    for chapter, ids in declared.items():
        if f"{BOOK_DIR}/{chapter}" not in env.found_docs:
            continue  # a partial build (jupyter-book build --toc ...) without this chapter
        for ident in ids:
            if ident not in shown.get(chapter, []):
                logger.warning(
                    f"{BOOK_DIR}/{chapter}/exercises.yml: exercise '{ident}' is never shown; "
                    f"add a cell with chapter.show('{ident}') to the chapter",
                )


def _minutes(env: Any, docname: str) -> int | None:
    source = Path(env.doc2path(docname))
    if source.suffix != ".md" or not source.is_file():
        return None
    return estimated_minutes(source.read_text(encoding="utf-8"))


def build_manifest(env: Any, root_doc: str, course: dict[str, Any]) -> dict[str, Any]:
    """The chapters in reading order, the exercises each shows, whether a learner must visit it
    to complete the course (``required``: every page but the instructor pages) and the minutes
    its "Time" box gives (``minutes``, null when it has none)."""
    instructor = set(course.get("instructorPages", []))
    chapters = []
    for docname in _reading_order(env, root_doc):
        items = exercises_on_page(env, docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        chapters.append(
            {
                "id": Path(docname).name,
                "page": docname,
                "title": title,
                "exercises": [f"{i['chapter']}/{i['id']}" for i in items],
                "graded": [i["graded"] for i in items],
                "required": docname not in instructor,
                "minutes": _minutes(env, docname),
            }
        )
    return {"version": 1, "course": course, "chapters": chapters}


def check_course_pages(app: Sphinx, env: Any) -> None:
    """Every page named in course.instructor_pages must be a page of the book."""
    for page in app.config.smx_course.get("instructorPages", []):
        if page not in env.found_docs:
            logger.warning(
                f"_config.yml: course.instructor_pages names {page!r}, which is not a page of "
                "the book (write it as in _toc.yml, for example book/instructor_guide)"
            )


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    course = app.config.smx_course
    manifest = build_manifest(app.env, app.config.root_doc, course)
    target = Path(app.outdir) / "_static" / "course-manifest.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=1).replace("</", "<\\/")
    target.write_text(f"window.COURSE_MANIFEST = {text};\n", encoding="utf-8")

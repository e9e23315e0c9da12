"""What a presence plan (the capstone) gathers: the earlier exercises its parts read from.

A part of a ``presence_plan`` exercise names an exercise of another chapter with
``from: <chapter>/<exercise id>``. In the browser the plan reads the learner's saved answer to
that exercise, and to turn it back into words (the reasons behind a decision helper's
suggestion, the steps of a checklist) it needs that exercise's content. This module finds it in
the other chapter's ``exercises.yml`` when the widget is made, checks that it is the right type,
and adds each linked chapter's title and page, for the "do it in this chapter" links.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .data import EXERCISE_FILE, ExerciseDataError, load_exercise_file

# The type of exercise each kind of part reads; own_text parts read nothing.
SOURCE_TYPES = {
    "statements": "statement_builder",
    "account_choice": "decision_helper",
    "privacy_audit": "privacy_checklist",
}


def find_book_dir(source: str) -> Path | None:
    """The book folder of an exercise file named ``source`` (``book/<chapter>/exercises.yml``,
    relative to the project root): the notebook may run in the project or in ``book/``."""
    path = Path(source)
    if path.is_absolute():
        return path.parent.parent if path.is_file() else None
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / path).is_file():
            return (folder / path).parent.parent
    return None


def _chapter_title(book_dir: Path, chapter: str) -> str | None:
    try:
        text = (book_dir / f"{chapter}.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    match = re.search(r"^# (.+)$", text, re.M)
    return match.group(1).strip() if match else None


def plan_sources(spec: dict[str, Any], book_dir: Path | None, source: str) -> dict[str, Any]:
    """``{"exercises": {"<chapter>/<id>": spec}, "chapters": {chapter: {title, page}}}`` for
    every part of the plan, or :class:`ExerciseDataError` naming each part that cannot be used."""
    where = f"{source}: exercise '{spec['id']}'"
    if book_dir is None:
        raise ExerciseDataError(
            [
                f"{where}: cannot find the book folder to read the exercises this plan gathers; "
                "show it with coursebook.Chapter(...).show(...) from inside the course"
            ]
        )
    problems: list[str] = []
    exercises: dict[str, Any] = {}
    chapters: dict[str, Any] = {}
    seen: set[str] = set()
    for i, part in enumerate(spec["parts"]):
        field = f"{where}, field 'parts[{i}]"
        if part["id"] in seen:
            problems.append(f"{field}.id': part id '{part['id']}' is used twice")
        seen.add(part["id"])
        wanted = SOURCE_TYPES.get(part["kind"])
        if wanted is None and "from" in part:
            problems.append(f"{field}.from': an own_text part reads nothing; remove 'from'")
            continue
        if wanted is not None:
            chapter, ident = part["from"].split("/")
            try:
                found = load_exercise_file(
                    book_dir / chapter / EXERCISE_FILE, root=book_dir.parent
                ).get(ident)
            except ExerciseDataError as exc:
                problems.append(f"{field}.from': '{part['from']}' cannot be read: {exc}")
                continue
            if found["type"] != wanted:
                problems.append(
                    f"{field}.from': '{part['from']}' is a {found['type']} exercise, but a "
                    f"part of kind {part['kind']} reads a {wanted} exercise"
                )
                continue
            exercises[part["from"]] = found
        link = part.get("chapter") or part["from"].split("/")[0]
        title = _chapter_title(book_dir, link)
        if title is None:
            problems.append(f"{field}.chapter': there is no chapter '{link}' with a # title")
            continue
        chapters[link] = {"title": title, "page": f"{book_dir.name}/{link}"}
    if problems:
        raise ExerciseDataError(problems)
    return {"exercises": exercises, "chapters": chapters}

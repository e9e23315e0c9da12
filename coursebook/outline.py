"""The course outline read from the chapters themselves, for the instructor guide.

``outcome_map()`` draws the table "chapter → objectives → self-checks → graded assignment" from
the chapter files, their exercise files and ``book/instructor_guide/assignments.yml`` (which says
which assignment assesses which chapter). Built at each book build, it cannot drift from the
chapters. All text is escaped: nothing from the files is read as HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from exercises.data import EXERCISE_FILE, load_exercise_file
from exercises.registry import BY_KIND, EXERCISE_TYPES

from .settings import BOOK_DIR, find_project_root

TYPE_NAMES = {t.kind: t.label for t in EXERCISE_TYPES}
_ADMONITION = re.compile(
    r"^:::\{admonition\}[^\n]*\n:class: (?P<cls>[\w-]+)\n(?P<body>.*?)^:::\s*$", re.M | re.S
)
_MARKDOWN = MarkdownIt("commonmark")


@dataclass(frozen=True)
class ChapterOutline:
    name: str
    title: str
    time: str
    objectives: tuple[str, ...]
    exercises: tuple[dict[str, Any], ...]


def _plain(markdown: str) -> str:
    """Inline Markdown as plain text (bold and roles dropped)."""
    text = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`", r"\1", markdown)
    tokens = _MARKDOWN.parseInline(text)
    return "".join(t.content for t in tokens[0].children if t.type in ("text", "code_inline"))


def time_estimate(text: str) -> str:
    """The text of a chapter's "Time" box (``:class: time-estimate``), or ""."""
    boxes = {m.group("cls"): m.group("body") for m in _ADMONITION.finditer(text)}
    return " ".join(boxes.get("time-estimate", "").split())


def estimated_minutes(text: str) -> int | None:
    """The minutes a chapter's "Time" box says the whole chapter takes ("About 45 minutes: …")."""
    found = re.match(r"About (\d+) minutes", time_estimate(text))
    return int(found.group(1)) if found else None


def read_chapter(root: Path, name: str) -> ChapterOutline:
    text = (root / BOOK_DIR / f"{name}.md").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    boxes = {m.group("cls"): m.group("body") for m in _ADMONITION.finditer(text)}
    objectives = tuple(
        _plain(line[2:].strip())
        for line in boxes.get("objectives", "").splitlines()
        if line.startswith("- ")
    )
    time = time_estimate(text)
    exercises = load_exercise_file(root / BOOK_DIR / name / EXERCISE_FILE, root=root).exercises
    return ChapterOutline(name, title, time, objectives, exercises)


@dataclass(frozen=True)
class OutcomeMap:
    rows: tuple[tuple[ChapterOutline, list[dict[str, str]]], ...]

    def _repr_html_(self) -> str:
        esc = html.escape
        out = [
            '<table class="smx-outcome-map">',
            "<caption>Chapter, objectives, self-checks and graded assignments</caption>",
            '<thead><tr><th scope="col">Chapter</th><th scope="col">Learners will be able to'
            '</th><th scope="col">Self-checks</th><th scope="col">Graded in</th></tr>'
            "</thead><tbody>",
        ]
        for chapter, assignments in self.rows:
            objectives = "".join(f"<li>{esc(o)}</li>" for o in chapter.objectives)
            counts: dict[str, int] = {}
            for exercise in chapter.exercises:
                kind = TYPE_NAMES[exercise["type"]]
                counts[kind] = counts.get(kind, 0) + 1
            checks = "".join(f"<li>{n} × {esc(kind)}</li>" for kind, n in counts.items())
            graded = "".join(
                f"<li>{esc(a['title'])}: {esc(a['assesses'])}</li>" for a in assignments
            ) or (
                "<li>Self-checks only</li>"
                if any(BY_KIND[e["type"]].graded for e in chapter.exercises)
                else "<li>Not graded: the learner's own work</li>"
            )
            minutes = re.search(r"\d+ (?:minutes|hours?)", chapter.time)
            when = f"<br/><small>{esc(minutes.group())}</small>" if minutes else ""
            out.append(
                f'<tr><th scope="row">{esc(chapter.title)}{when}</th>'
                f"<td><ul>{objectives}</ul></td><td><ul>{checks}</ul></td>"
                f"<td><ul>{graded}</ul></td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)


def outcome_map(root: str | Path | None = None) -> OutcomeMap:
    root = Path(root) if root else find_project_root()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [
        c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])
    ]
    spec = yaml.safe_load(
        (root / BOOK_DIR / "instructor_guide" / "assignments.yml").read_text(encoding="utf-8")
    )
    rows = []
    for doc in docs:
        name = Path(doc).name
        if not (root / BOOK_DIR / name / EXERCISE_FILE).is_file():
            continue
        assignments = [
            {"title": a["title"], "assesses": a["assesses"][name]}
            for a in spec["assignments"]
            if name in a["assesses"]
        ]
        rows.append((read_chapter(root, name), assignments))
    return OutcomeMap(tuple(rows))

"""Every "fix the post" exercise of the course by its id: ``chapter/exercise-id`` for the book's
self-checks and ``fix_the_posts/post-id`` for the graded assignment's posts.

The judge's training (the model rewrites), the rewrite command line (``python -m
autograder.rewrite``) and the benchmark look posts up here. The exercise files are read as data,
so the judge imports nothing from the book or the widgets. ``export`` writes the same table as
JSON for the Node twin of the command line.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
ASSIGNMENT = ROOT / "autograder" / "grading" / "course" / "notebooks" / "fix_the_posts.yml"
JSON_OUTPUT = ROOT / "autograder" / "js" / "fix-posts.json"


def _entries(path: Path, chapter: str) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for ex in data.get("exercises") or []:
        if ex.get("type") == "fix_the_post":
            out[f"{chapter}/{ex['id']}"] = {
                "post": ex["post"]["text"],
                "account": ex["post"].get("account", "professional"),
                "purpose": ex["purpose"],
                "model_rewrite": ex.get("model_rewrite", ""),
            }
    return out


@cache
def fix_posts() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for path in sorted(BOOK.glob("*/exercises.yml")):
        table.update(_entries(path, path.parent.name))
    table.update(_entries(ASSIGNMENT, "fix_the_posts"))
    return table


def export(path: Path = JSON_OUTPUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fix_posts(), ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    export()
    sys.exit(0)

"""The book platform built the way Sphinx extensions should behave, on a two-chapter fixture
book (tests/fixtures/minibook): a parallel build gives the same site as a serial one, and a
changed course setting reaches every page of a cached rebuild."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT, venv_env

FIXTURE = ROOT / "tests" / "fixtures" / "minibook"
BIN = Path(sys.executable).parent
STATE = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S
)

pytestmark = pytest.mark.slow


def make_book(tmp_path: Path, name: str) -> Path:
    book = tmp_path / name
    shutil.copytree(FIXTURE, book)
    subprocess.run(
        [str(BIN / "jupyter-book"), "config", "sphinx", str(book)],
        check=True,
        capture_output=True,
        env=venv_env(),
    )
    return book


def build(book: Path, jobs: int) -> Path:
    out = book / "_build" / "html"
    result = subprocess.run(
        [
            *(str(BIN / "sphinx-build"), "-b", "html", "-j", str(jobs)),
            *("-n", "-W", "--keep-going", str(book), str(out)),
        ],
        capture_output=True,
        text=True,
        env=venv_env(),
        cwd=book,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def without_model_ids(html: str) -> str:
    """Each execution gives widgets new random model ids; number them in order instead."""
    seen: dict[str, str] = {}
    return MODEL_ID.sub(lambda m: seen.setdefault(m.group(), f"model-{len(seen)}"), html)


def pages(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


def course_ids(html: str) -> set[str]:
    ids = set()
    for body in STATE.findall(html):
        state = json.loads(body.replace("<\\/script>", "</script>"))
        for model in state["state"].values():
            if model.get("model_module") == "anywidget":
                ids.add(model["state"]["course_id"])
    return ids


def manifest(site: Path) -> dict:
    text = (site / "_static" / "course-manifest.js").read_text(encoding="utf-8")
    # the build minifies every script, this one too ("window.COURSE_MANIFEST={...};")
    return json.loads(text.split("=", 1)[1].strip().rstrip(";"))


def test_a_parallel_build_gives_the_same_site_as_a_serial_one(tmp_path):
    serial = build(make_book(tmp_path, "serial"), jobs=1)
    parallel = build(make_book(tmp_path, "parallel"), jobs=2)
    a, b = pages(serial), pages(parallel)
    assert a.keys() == b.keys() and {"book/alpha.html", "book/beta.html"} <= a.keys()
    for name in a:
        assert without_model_ids(a[name]) == without_model_ids(b[name]), name
    assert manifest(serial) == manifest(parallel)
    chapters = manifest(parallel)["chapters"]
    assert [c["exercises"] for c in chapters] == [["alpha/alpha-check"], ["beta/beta-check"]]
    # course.instructor_pages decides which pages count toward completion
    assert [c["required"] for c in chapters] == [True, False]


def test_changing_the_course_id_reaches_every_page_of_a_cached_rebuild(tmp_path):
    book = make_book(tmp_path, "cached")
    site = build(book, jobs=1)
    for name, html in pages(site).items():
        if name.startswith("book/"):
            assert course_ids(html) == {"mini-course"}, name
    config = book / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("id: mini-course", "id: mini-renamed"),
        encoding="utf-8",
    )
    subprocess.run(
        [str(BIN / "jupyter-book"), "config", "sphinx", str(book)],
        check=True,
        capture_output=True,
        env=venv_env(),
    )
    site = build(book, jobs=1)  # same output folder and execution cache
    for name, html in pages(site).items():
        if name.startswith("book/"):
            assert course_ids(html) == {"mini-renamed"}, name
    assert manifest(site)["course"]["id"] == "mini-renamed"

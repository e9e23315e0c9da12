"""The SCORM packager (lms/package.py) on a small made-up site: fast, no browser.

What goes into a package, the manifests (XML schemas and structural checks), the launch page's
settings, and the messages ``make scorm`` gives for bad configuration.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.scorm_harness.support import (
    launch_config,
    structural_problems,
    unzip,
    validate_with_schemas,
)

import lms.package as scorm

TITLE = 'Tips & <Tricks> for "Two" Presences'
CONFIG = f"""
title: Ignored book title
course:
  id: demo-course
  title: '{TITLE}'
  mastery_score: 0.75
  completion: all_chapters_visited
"""
TOC = """
format: jb-book
root: book/intro
parts:
  - caption: Learning
    chapters:
      - file: book/lesson
  - caption: For instructors
    chapters:
      - file: book/teach
"""
PAGE = """<!DOCTYPE html><html data-content_root="../"><head>
<title>{title}</title>
<link rel="stylesheet" href="../_static/style.css?v=1" />
<link rel="icon" href="../_static/favicon.svg"/>
<script src="../_static/app.js?digest=abc"></script>
<script src="../_static/course-manifest.js"></script>
<style>.x {{ background: url('../_static/inline.png') }}</style>
</head><body>
<a href="../_sources/book/{name}.md">Download source</a>
<a href="lesson.html#part">Next</a> <a href="teach.html">Teach</a> <a href="intro.html">Intro</a>
<a href="https://example.org/elsewhere.html">Elsewhere</a> <a href="mailto:a@b.c">Mail</a>
<form action="../search.html"></form>
<img src="../_images/diagram%20one.svg" alt="A diagram" />
<div style="background-image: url(../_static/styled.png)"></div>
</body></html>
"""
MANIFEST = {
    "version": 1,
    "course": {"id": "demo-course", "title": TITLE, "masteryScore": 0.75},
    "chapters": [
        {
            "id": "intro",
            "page": "book/intro",
            "title": "Intro",
            "exercises": [],
            "graded": [],
            "required": True,
        },
        {
            "id": "lesson",
            "page": "book/lesson",
            "title": "Lesson",
            "exercises": ["lesson/q1", "lesson/q2"],
            "graded": [True, False],
            "required": True,
        },
        # an instructor page: packaged and linked, but not needed to complete the course
        {
            "id": "teach",
            "page": "book/teach",
            "title": "Teach",
            "exercises": [],
            "graded": [],
            "required": False,
        },
    ],
}
CSS = """@font-face { font-family: "Icons"; font-display: block;
  src: url(fonts/icons.woff2) format("woff2"), url(fonts/icons.ttf) format("truetype"); }
@font-face { font-family: "Old"; src: url(fonts/old.ttf) format("truetype"); }
@import "more.css";
body { background: url("img.png"); }
/*# sourceMappingURL=style.css.map */"""

USED = {
    "index.html",  # the launch page in SCORM packages, the redirect in the website zip
    "book/intro.html",
    "book/lesson.html",
    "book/teach.html",
    "search.html",
    "_sources/book/intro.md",
    "_sources/book/lesson.md",
    "_sources/book/teach.md",
    "_static/style.css",
    "_static/more.css",
    "_static/img.png",
    "_static/inline.png",
    "_static/styled.png",
    "_static/favicon.svg",
    "_static/app.js",
    "_static/app.js.LICENSE.txt",
    "_static/course-manifest.js",
    "_static/fonts/icons.woff2",
    "_static/fonts/old.ttf",
    "_images/diagram one.svg",
}
UNUSED = {
    ".buildinfo",
    "objects.inv",
    "reports/book/lesson.err.log",
    "_static/app.js.map",
    "_static/style.css.map",
    "_static/fonts/icons.ttf",
    "_static/locales/de/LC_MESSAGES/booktheme.mo",
    "_static/webpack-macros.html",
    "_static/unused.js",
    "_images/old.svg",
}


def make_project(folder: Path, config: str = CONFIG) -> Path:
    (folder / "_config.yml").write_text(config, encoding="utf-8")
    (folder / "_toc.yml").write_text(TOC, encoding="utf-8")
    site = folder / "_build" / "html"
    files = {name: f"content of {name}" for name in USED | UNUSED}
    for chapter in MANIFEST["chapters"]:
        name = chapter["id"]
        files[f"book/{name}.html"] = PAGE.format(title=chapter["title"], name=name)
    files["index.html"] = '<meta http-equiv="Refresh" content="0; url=book/intro.html" />'
    files["search.html"] = '<html><script src="_static/app.js"></script></html>'
    files["_static/style.css"] = CSS
    files["_static/app.js"] = "/*! For license information see app.js.LICENSE.txt */\nvar a=1;\n"
    # the book's progress store, which the packager joins into the SCORM runtime
    files["_static/progress_store.js"] = "var SMX_STORE = 'smcourse';\n"
    files["_static/app.js"] += "//# sourceMappingURL=app.js.map"
    text = json.dumps(MANIFEST, ensure_ascii=False)
    files["_static/course-manifest.js"] = f"window.COURSE_MANIFEST = {text};\n"
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> dict[str, Path]:
    project = make_project(tmp_path_factory.mktemp("project"))
    written = scorm.package_all(project / "_build" / "html", project / "out", project)
    return {item.path.name: item.path for item in written}


def names(archive: Path) -> set[str]:
    with zipfile.ZipFile(archive) as zf:
        return {n for n in zf.namelist() if not n.endswith("/")}


COURSE = {"id": "demo-course", "title": TITLE, "mastery_score": 0.75}


def test_three_zips_are_written(packaged):
    assert set(packaged) == {
        "demo-course-scorm12.zip",
        "demo-course-scorm2004.zip",
        "demo-course-website.zip",
    }


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_package_holds_exactly_the_files_the_site_uses(packaged, version):
    suffix = scorm.SCORM_VERSIONS[version]["suffix"]
    inside = names(packaged[f"demo-course-{suffix}.zip"])
    control = {"imsmanifest.xml", *scorm.SCORM_VERSIONS[version]["schemas"]}
    runtime = {"_scorm/launch.js", "_scorm/launch.css"}
    assert inside == USED | control | runtime
    assert not inside & UNUSED


def test_the_website_zip_is_the_plain_site(packaged):
    archive = packaged["demo-course-website.zip"]
    assert names(archive) == USED
    with zipfile.ZipFile(archive) as zf:
        assert b"url=book/intro.html" in zf.read("index.html")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_manifest_passes_the_structural_checks(packaged, version):
    suffix = scorm.SCORM_VERSIONS[version]["suffix"]
    assert structural_problems(packaged[f"demo-course-{suffix}.zip"], version, COURSE) == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_manifest_is_valid_against_the_scorm_schemas(packaged, version, tmp_path):
    suffix = scorm.SCORM_VERSIONS[version]["suffix"]
    folder = unzip(packaged[f"demo-course-{suffix}.zip"], tmp_path / suffix)
    verdict = validate_with_schemas(folder)
    assert verdict == {"valid": True, "version": version, "errors": []}


def test_schema_validation_catches_a_broken_manifest(packaged, tmp_path):
    folder = unzip(packaged["demo-course-scorm2004.zip"], tmp_path / "broken")
    manifest = folder / "imsmanifest.xml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('scormType="sco"', 'scormType="page"'),
        encoding="utf-8",
    )
    verdict = validate_with_schemas(folder)
    assert verdict["valid"] is False
    assert any("scormType" in error for error in verdict["errors"])


def test_structural_checks_catch_a_missing_file(packaged, tmp_path):
    source = packaged["demo-course-scorm12.zip"]
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for info in zin.infolist():
            if info.filename != "book/lesson.html":
                zout.writestr(info, zin.read(info))
    problems = structural_problems(damaged, "1.2", COURSE)
    assert problems == ["listed file 'book/lesson.html' is not in the zip"]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_launch_page_settings(packaged, version, tmp_path):
    suffix = scorm.SCORM_VERSIONS[version]["suffix"]
    folder = unzip(packaged[f"demo-course-{suffix}.zip"], tmp_path / suffix)
    settings = launch_config(folder)
    assert settings == {
        "scorm": version,
        "course": "demo-course",
        "title": TITLE,
        "start": "book/intro",
        "pages": ["book/intro", "book/lesson", "book/teach"],
        # The pages in the "For instructors" part do not count towards completion.
        "requiredPages": ["book/intro", "book/lesson"],
        "completion": "all_chapters_visited",
        "masteryScore": 0.75,
    }
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<title>Tips &amp; &lt;Tricks&gt; for &quot;Two&quot; Presences</title>" in page
    assert '<link rel="icon" href="_static/favicon.svg">' in page
    assert 'url=book/intro.html"' in page  # the no-script way in


def test_source_map_comments_go_with_the_maps(packaged):
    with zipfile.ZipFile(packaged["demo-course-scorm12.zip"]) as zf:
        assert b"sourceMappingURL" not in zf.read("_static/app.js")
        assert b"sourceMappingURL" not in zf.read("_static/style.css")
        assert zf.read("_static/app.js").endswith(b"var a=1;\n")


def test_packages_are_reproducible(packaged, tmp_path):
    (tmp_path / "again").mkdir()
    project = make_project(tmp_path / "again")
    again = scorm.package_all(project / "_build" / "html", tmp_path / "out", project)
    for item in again:
        assert item.path.read_bytes() == packaged[item.path.name].read_bytes(), item.path.name


def test_identifier_that_is_not_an_xml_id_is_prefixed():
    assert scorm.xml_id("2-presences") == "course-2-presences"
    assert scorm.xml_id("two-presences") == "two-presences"


def test_css_fallback_fonts_are_not_followed():
    assert scorm.css_references(CSS) == [
        "fonts/icons.woff2",
        "fonts/old.ttf",
        "img.png",
        "more.css",
    ]


# ---------------------------------------------------------------- bad configuration


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "lms", *args],
        cwd=cwd,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


BAD_CONFIGS = {
    "no title": (
        CONFIG.replace(f"  title: '{TITLE}'\n", "").replace("title: Ignored book title\n", ""),
        "'course.title' (or 'title') is missing or empty",
    ),
    "mastery above 1": (
        CONFIG.replace("mastery_score: 0.75", "mastery_score: 80"),
        "'course.mastery_score' must be a number from 0 to 1, got 80",
    ),
    "mastery below 0": (
        CONFIG.replace("mastery_score: 0.75", "mastery_score: -0.1"),
        "'course.mastery_score' must be a number from 0 to 1, got -0.1",
    ),
    "mastery not a number": (
        CONFIG.replace("mastery_score: 0.75", "mastery_score: high"),
        "'course.mastery_score' must be a number from 0 to 1, got 'high'",
    ),
    "bad completion rule": (
        CONFIG.replace("all_chapters_visited", "all_pages"),
        "'course.completion' must be one of",
    ),
    "not YAML": ("course: [unclosed", "not valid YAML"),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_configuration_fails_with_a_clear_message(tmp_path, case):
    config, message = BAD_CONFIGS[case]
    project = make_project(tmp_path, config)
    done = run_cli(cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("make scorm: error: ")
    assert "_config.yml" in done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "_build" / "scorm").exists()


def test_missing_site_fails_with_a_clear_message(tmp_path):
    project = make_project(tmp_path)
    (project / "_build" / "html" / "_static" / "course-manifest.js").unlink()
    done = run_cli(cwd=project)
    assert done.returncode == 2
    assert "course-manifest.js is missing: build the book first (make book)" in done.stderr
    assert "Traceback" not in done.stderr


def test_site_built_for_another_course_fails_with_a_clear_message(tmp_path):
    project = make_project(tmp_path, CONFIG.replace("id: demo-course", "id: other-course"))
    done = run_cli(cwd=project)
    assert done.returncode == 2
    assert "belongs to course id 'demo-course' but _config.yml says 'other-course'" in done.stderr
    assert "rebuild the book (make book)" in done.stderr


def test_the_command_line_reports_what_it_wrote(tmp_path):
    project = make_project(tmp_path)
    done = run_cli(cwd=project)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "wrote _build/scorm/demo-course-scorm12.zip",
        "wrote _build/scorm/demo-course-scorm2004.zip",
        "wrote _build/scorm/demo-course-website.zip",
    ]
    assert all(" files, " in line and "unpacked)" in line for line in lines)


def test_script_files_named_only_in_the_widget_state_are_packaged_too():
    """The judge and the widgets' modules are loaded by course.js, not linked: the packager
    finds them in the page's widget state (coursebook/page_state.py)."""
    from lms.crawler import files_named_in_state

    judge, helpers, own = "0123456789abcdef", "a" * 16, "b" * 16
    judge_ref = f'"judge_rules":{{"$smxfile":"{judge}"}}'
    module_ref = f'"_esm":{{"$smxmodule":["{helpers}", "{own}"]}}'
    state = "{" + judge_ref + "," + module_ref + "}"
    assert files_named_in_state("book/a.html", state) == [
        f"../_static/judge/judge-{judge}.js",
        f"../_static/smx/module-{helpers}.js",
        f"../_static/smx/module-{own}.js",
    ]
    top = files_named_in_state("index.html", f'"$smxmodule":["{own}"]')
    assert top == [f"_static/smx/module-{own}.js"]

"""Package the built book for a learning management system (LMS).

``python -m lms`` (``make scorm``) reads the static site in ``_build/html`` and writes
three zips to ``_build/scorm/``:

* ``<id>-scorm12.zip``: a SCORM 1.2 package;
* ``<id>-scorm2004.zip``: a SCORM 2004 4th edition package;
* ``<id>-website.zip``: the same pages as a plain static site, for an LMS "file" or "folder"
  resource, or any web host.

Each SCORM package holds ``imsmanifest.xml`` at its root (course id and title from the ``course:``
block of ``_config.yml``, every file listed), the schema files the manifest names, and a launch
page (``index.html``) that finds the LMS's SCORM API, keeps one session for the whole visit and
shows the book in a frame. The runtime is ``lms/static/launch/*.js``, joined into one script;
it reads the learner's progress from the pages the way the progress page does
(``window.COURSE_MANIFEST`` and the ``smcourse:<course-id>:...`` records in the browser's storage).

Only files the site uses go in: the packager follows every reference from the book's pages (links,
scripts, styles, images, and ``url()`` and ``@import`` in style sheets) and leaves out the rest,
such as ``.buildinfo``, ``objects.inv``, build reports, source maps, the theme's translations and
template fragments, and ``.ttf`` fonts that a style sheet lists only as a fallback after a
``.woff2`` file (every browser an LMS supports reads woff2). A script's ``*.LICENSE.txt`` notice
goes wherever the script goes. ``tests/lms/test_scorm_runtime.py`` proves the rule by opening every
page of a package in Chromium and comparing the files requested with the files packaged.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coursebook.settings import (
    CourseConfig,
    CourseConfigError,
    find_project_root,
    load_course_config,
)
from lms.crawler import _References, _resolve, css_references, strip_source_map, used_files
from lms.manifest import LAUNCH_PAGE, SCORM_VERSIONS, imsmanifest, xml_id

HERE = Path(__file__).resolve().parent
RUNTIME_DIR = HERE / "static"
SCHEMA_DIR = RUNTIME_DIR / "schemas"
RUNTIME_FOLDER = "_scorm"
MANIFEST_JS = "_static/course-manifest.js"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries get a fixed date: same input, same zip


class PackagingError(Exception):
    """Something the person running ``make scorm`` has to fix; the message says what."""


__all__ = ["SCORM_VERSIONS", "css_references", "package_all", "xml_id"]  # used by the tests


# ------------------------------------------------------------------ the course's outline


@dataclass
class Outline:
    start: str  # the first page, e.g. "book/welcome"
    pages: list[str]  # every page of the course manifest, in reading order
    required: list[str]  # the pages a learner must open for "every chapter visited"
    course: dict[str, Any] = field(default_factory=dict)


def read_site_manifest(site: Path) -> dict[str, Any]:
    path = site / MANIFEST_JS
    if not path.is_file():
        raise PackagingError(
            f"{path} is missing: build the book first (make book), "
            "or pass --site with the folder the book was built into"
        )
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    except (IndexError, json.JSONDecodeError) as exc:
        raise PackagingError(f"{path} is damaged ({exc}); rebuild the book") from None


def course_outline(site: Path, root: Path, config: CourseConfig) -> Outline:
    manifest = read_site_manifest(site)
    built = manifest.get("course", {})
    if built.get("id") != config.id:
        raise PackagingError(
            f"the built site belongs to course id {built.get('id')!r} but _config.yml says "
            f"{config.id!r}: rebuild the book (make book) before packaging"
        )
    pages = [c["page"] for c in manifest.get("chapters", [])]
    if not pages:
        raise PackagingError(f"{site / MANIFEST_JS} lists no pages; rebuild the book")
    for page in pages:
        if not (site / f"{page}.html").is_file():
            raise PackagingError(f"the built site has no {page}.html; rebuild the book")
    # which pages count toward completion: the flag the book's build wrote for each page
    required = [c["page"] for c in manifest["chapters"] if c.get("required", True)] or pages
    return Outline(start=pages[0], pages=pages, required=required, course=config.as_dict())


# ------------------------------------------------------------------ the launch page


def launch_config(outline: Outline, config: CourseConfig, version: str) -> dict[str, Any]:
    return {
        "scorm": version,
        "course": config.id,
        "title": config.title,
        "start": outline.start,
        "pages": outline.pages,
        "requiredPages": outline.required,
        "completion": config.completion,
        "masteryScore": config.mastery_score,
    }


def favicon_href(site: Path, start: str) -> str | None:
    parser = _References()
    text = (site / f"{start}.html").read_text(encoding="utf-8", errors="replace")
    match = re.search(r"<link[^>]*rel=\"(?:shortcut )?icon\"[^>]*>", text)
    if not match:
        return None
    parser.feed(match.group(0))
    target = _resolve(f"{start}.html", parser.urls[0]) if parser.urls else None
    return target if target and (site / target).is_file() else None


def launch_page(site: Path, outline: Outline, config: CourseConfig, version: str) -> str:
    template = (RUNTIME_DIR / "launch.html").read_text(encoding="utf-8")
    settings = json.dumps(launch_config(outline, config, version), ensure_ascii=False)
    icon = favicon_href(site, outline.start)
    icon_tag = f'<link rel="icon" href="{html.escape(quote(icon))}">' if icon else ""
    values = {
        "{{TITLE}}": html.escape(config.title),
        "{{CONFIG}}": settings.replace("</", "<\\/"),
        "{{START}}": html.escape(quote(f"{outline.start}.html")),
        "{{ICON}}": icon_tag,
        "{{SCORM}}": version,
    }
    for key, value in values.items():
        template = template.replace(key, value)
    return template


# ------------------------------------------------------------------ building the zips


def site_contents(site: Path, outline: Outline, extra_entries: list[str]) -> dict[str, bytes]:
    """The used files of the site, keyed by their path in the package."""
    entries = [f"{p}.html" for p in outline.pages] + [MANIFEST_JS, *extra_entries]
    used, _missing = used_files(site, entries)
    contents: dict[str, bytes] = {}
    for rel in sorted(used):
        data = (site / rel).read_bytes()
        if rel.endswith((".js", ".css")):
            text = data.decode("utf-8", errors="surrogateescape")
            stripped = strip_source_map(text)
            if stripped != text:
                data = stripped.encode("utf-8", errors="surrogateescape")
        contents[rel] = data
    return contents


LAUNCH_PARTS = RUNTIME_DIR / "launch"


PROGRESS_STORE = "_static/progress_store.js"


def launch_script(site: Path) -> str:
    """The launch runtime: ``static/launch/*.js`` joined in name order in one function scope,
    after the book's own progress store (taken from the built site, so the runtime reads
    progress exactly as the pages write it).

    The parts are small files of one job each (finding the API, the two dialects, suspend data,
    the session, ...); ``00_about.js`` is the comment that describes the whole runtime.
    """
    store = site / PROGRESS_STORE
    if not store.is_file():
        raise PackagingError(f"the built site has no {PROGRESS_STORE}; rebuild the book")
    about, *parts = sorted(LAUNCH_PARTS.glob("*.js"))
    texts = [store.read_text(encoding="utf-8"), *(p.read_text(encoding="utf-8") for p in parts)]
    body = "\n".join(texts)
    return (
        about.read_text(encoding="utf-8") + '(function () {\n"use strict";\n\n' + body + "})();\n"
    )


def runtime_files(site: Path) -> dict[str, bytes]:
    return {
        f"{RUNTIME_FOLDER}/launch.js": launch_script(site).encode("utf-8"),
        f"{RUNTIME_FOLDER}/launch.css": (RUNTIME_DIR / "launch.css").read_bytes(),
    }


def build_package(site: Path, outline: Outline, config: CourseConfig, version: str) -> dict:
    """Every file of one SCORM package, keyed by path in the zip."""
    spec = SCORM_VERSIONS[version]
    contents = site_contents(site, outline, [])
    contents.pop(LAUNCH_PAGE, None)  # the site's redirect stub; the launch page takes its place
    contents.update(runtime_files(site))
    contents[LAUNCH_PAGE] = launch_page(site, outline, config, version).encode("utf-8")
    listed = sorted(contents)
    package = {"imsmanifest.xml": imsmanifest(config, version, listed).encode("utf-8")}
    for name in spec["schemas"]:
        package[name] = (SCHEMA_DIR / spec["schema_dir"] / name).read_bytes()
    package.update(contents)
    return package


def build_website(site: Path, outline: Outline) -> dict:
    contents = site_contents(site, outline, ["index.html"])
    if "index.html" not in contents:
        start = quote(f"{outline.start}.html")
        contents["index.html"] = (
            f'<meta http-equiv="Refresh" content="0; url={start}" />\n'.encode()
        )
    return contents


def write_zip(target: Path, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    order = sorted(files, key=lambda name: (name != "imsmanifest.xml", name))
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    tmp.replace(target)


def human_size(n: int) -> str:
    return f"{n / 1_000_000:.2f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"


@dataclass
class Written:
    path: Path
    files: int
    unpacked: int

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def package_all(
    site: Path, out: Path, root: Path, versions: list[str] | None = None, website: bool = True
) -> list[Written]:
    config = load_course_config(root)
    outline = course_outline(site, root, config)
    written = []
    for version in versions or list(SCORM_VERSIONS):
        files = build_package(site, outline, config, version)
        target = out / f"{config.id}-{SCORM_VERSIONS[version]['suffix']}.zip"
        write_zip(target, files)
        written.append(Written(target, len(files), sum(len(b) for b in files.values())))
    if website:
        files = build_website(site, outline)
        target = out / f"{config.id}-website.zip"
        write_zip(target, files)
        written.append(Written(target, len(files), sum(len(b) for b in files.values())))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lms",
        description="Write SCORM 1.2 and SCORM 2004 packages (and a plain website zip) "
        "of the built book.",
    )
    parser.add_argument("--root", type=Path, help="the course folder (default: found from here)")
    parser.add_argument("--site", type=Path, help="the built site (default: ROOT/_build/html)")
    parser.add_argument("--out", type=Path, help="where to write (default: ROOT/_build/scorm)")
    parser.add_argument(
        "--version",
        choices=[*SCORM_VERSIONS, "all"],
        default="all",
        help="which SCORM version to write (default: all)",
    )
    parser.add_argument("--no-website", action="store_true", help="skip the plain website zip")
    args = parser.parse_args(argv)
    try:
        root = (args.root or find_project_root()).resolve()
        site = (args.site or root / "_build" / "html").resolve()
        out = (args.out or root / "_build" / "scorm").resolve()
        versions = list(SCORM_VERSIONS) if args.version == "all" else [args.version]
        written = package_all(site, out, root, versions, website=not args.no_website)
    except (CourseConfigError, PackagingError) as exc:
        print(f"make scorm: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"make scorm: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2
    for item in written:
        try:
            shown = item.path.relative_to(Path.cwd())
        except ValueError:
            shown = item.path
        print(
            f"wrote {shown}: {human_size(item.size)} "
            f"({item.files} files, {human_size(item.unpacked)} unpacked)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

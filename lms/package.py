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
shows the book in a frame. The runtime is ``lms/static/launch.js``; it reads the
learner's progress from the pages the way the progress page does (``window.COURSE_MANIFEST`` and
the ``smcourse:<course-id>:...`` records in the browser's storage).

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
import posixpath
import re
import sys
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from coursebook.settings import (
    CourseConfig,
    CourseConfigError,
    find_project_root,
    load_course_config,
)

HERE = Path(__file__).resolve().parent
RUNTIME_DIR = HERE / "static"
SCHEMA_DIR = RUNTIME_DIR / "schemas"
LAUNCH_PAGE = "index.html"
RUNTIME_FOLDER = "_scorm"
MANIFEST_JS = "_static/course-manifest.js"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries get a fixed date: same input, same zip
# Files a style sheet names but that no page of this theme ever shows, found by opening every
# page in Chromium (tests/lms/test_scorm_runtime.py): each is left out unless some page uses one of
# the classes that would show it. Should a page start to need one, that test fails ("requested
# but not in the package"), and the entry must go.
NEVER_SHOWN = {
    # Sphinx's basic.css puts it on search results; pydata-sphinx-theme sets no background there.
    "_static/file.png": (),
    # Font Awesome's regular and brands faces; the theme's icons use the solid face (or inline SVG
    # drawn by fontawesome.js).
    "_static/vendor/fontawesome/webfonts/fa-regular-400.woff2": ("fa-regular", "far"),
    "_static/vendor/fontawesome/webfonts/fa-brands-400.woff2": ("fa-brands", "fab"),
}

SCORM_VERSIONS: dict[str, dict[str, Any]] = {
    "1.2": {
        "suffix": "scorm12",
        "schemas": ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"],
        "schema_dir": "scorm12",
    },
    "2004": {
        "suffix": "scorm2004",
        "schemas": [
            "imscp_v1p1.xsd",
            "adlcp_v1p3.xsd",
            "xml.xsd",
            "XMLSchema.dtd",
            "datatypes.dtd",
        ],
        "schema_dir": "scorm2004",
    },
}


class PackagingError(Exception):
    """Something the person running ``make scorm`` has to fix; the message says what."""


# ------------------------------------------------------------------ what the site uses

_SKIP_SCHEMES = ("http", "https", "mailto", "tel", "data", "javascript", "blob", "about", "ftp")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.S)
_FONT_SRC = re.compile(r"src\s*:[^;}]*")
_SOURCE_MAP = re.compile(r"(?://[#@] sourceMappingURL=\S+|/\*[#@] sourceMappingURL=\S+?\s*\*/)\s*$")


class _References(HTMLParser):
    """Collects every URL an HTML page points at."""

    ATTRIBUTES = ("href", "src", "poster", "data", "action", "xlink:href")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.classes: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.classes.update(values.get("class", "").split())
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls.extend(
                part.split()[0] for part in values["srcset"].split(",") if part.strip()
            )
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*(\S+)", values.get("content", ""), re.I)
            if match:
                self.urls.append(match.group(1).strip("'\""))
        if values.get("style"):
            self.urls.extend(m.group(2) for m in _CSS_URL.finditer(values["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(css_references(data))


def css_references(text: str) -> list[str]:
    """The files a style sheet loads, leaving out font formats listed only as fallbacks."""

    def keep_woff2_only(face: re.Match[str]) -> str:
        def trim(src: re.Match[str]) -> str:
            urls = [m.group(2) for m in _CSS_URL.finditer(src.group(0))]
            if any(u.split("?")[0].split("#")[0].endswith(".woff2") for u in urls):
                return "src:" + ",".join(
                    f"url({u})" for u in urls if u.split("?")[0].split("#")[0].endswith(".woff2")
                )
            return src.group(0)

        return _FONT_SRC.sub(trim, face.group(0))

    text = _FONT_FACE.sub(keep_woff2_only, text)
    found = [m.group(2) for m in _CSS_URL.finditer(text)]
    found += [m.group(2) for m in _CSS_IMPORT.finditer(text)]
    return found


def _resolve(base: str, url: str) -> str | None:
    """The site-relative path ``url`` points at from the file ``base``, or None if elsewhere."""
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() in _SKIP_SCHEMES or parts.netloc:
        return None
    if parts.scheme:  # some other scheme (for example "chrome-extension:"): not a site file
        return None
    joined = urlsplit(urljoin("http://site.invalid/" + quote(base), url))
    path = unquote(joined.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return posixpath.normpath(path)


_JUDGE_FILE = re.compile(r'"\$smxfile"\s*:\s*"([0-9a-f]{16})"')


def judge_files(page: str, text: str) -> list[str]:
    """The judge file a page's exercises load when reached (see sphinx_ext.move_judge_to_file).

    It is named only inside the page's widget state, not by a link, so it is looked for there;
    returned relative to the page, like any other reference.
    """
    depth = page.count("/")
    up = "../" * depth
    return sorted({f"{up}_static/judge/judge-{key}.js" for key in _JUDGE_FILE.findall(text)})


def used_files(site: Path, entries: list[str]) -> tuple[set[str], set[str]]:
    """Follow references from the ``entries`` pages; returns (files used, missing targets)."""
    seen: set[str] = set()
    missing: set[str] = set()
    classes: set[str] = set()
    queue = list(entries)
    while queue:
        rel = queue.pop()
        if rel in seen or rel in missing:
            continue
        path = site / rel
        if not path.is_file():
            missing.add(rel)
            continue
        seen.add(rel)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            parser = _References()
            text = path.read_text(encoding="utf-8", errors="replace")
            parser.feed(text)
            urls = parser.urls + judge_files(rel, text)
            classes |= parser.classes
        elif suffix == ".css":
            urls = css_references(path.read_text(encoding="utf-8", errors="replace"))
        else:
            continue
        for url in urls:
            target = _resolve(rel, url)
            if target and not target.startswith("../"):
                queue.append(target)
    for rel, shown_by in NEVER_SHOWN.items():
        if not classes & set(shown_by):
            seen.discard(rel)
    # A bundled script's licence notice travels with it.
    for rel in list(seen):
        notice = f"{rel}.LICENSE.txt"
        if (site / notice).is_file():
            seen.add(notice)
    return seen, missing


def strip_source_map(text: str) -> str:
    return _SOURCE_MAP.sub("", text)


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


# ------------------------------------------------------------------ manifests


def xml_id(text: str) -> str:
    """An XML ID (NCName) made from ``text``: it may not start with a digit or hyphen."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"course-{cleaned}"


NAMESPACES = {
    "1.2": {
        "cp": ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        "adlcp": ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        "schemaversion": "1.2",
        "scormtype": "adlcp:scormtype",
    },
    "2004": {
        "cp": ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        "adlcp": ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        "schemaversion": "2004 4th Edition",
        "scormtype": "adlcp:scormType",
    },
}


def imsmanifest(config: CourseConfig, version: str, files: list[str]) -> str:
    """The package's manifest: one organisation, one item, one SCO resource listing ``files``."""
    esc = html.escape
    spec = NAMESPACES[version]
    ident = xml_id(config.id)
    title = esc(config.title, quote=False)
    locations = " ".join(f"{ns} {xsd}" for ns, xsd in (spec["cp"], spec["adlcp"]))
    # SCORM 1.2 carries the mastery score in the manifest, as a percentage; the LMS hands it to
    # the SCO as cmi.student_data.mastery_score. SCORM 2004 has no such field outside sequencing
    # objectives, so there the launch page applies the mastery score itself.
    mastery = (
        f"\n        <adlcp:masteryscore>{round(config.mastery_score * 100)}</adlcp:masteryscore>"
        if version == "1.2"
        else ""
    )
    file_lines = "\n".join(f'      <file href="{esc(quote(f))}"/>' for f in files)
    scormtype = spec["scormtype"]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="1.0"
  xmlns="{spec["cp"][0]}"
  xmlns:adlcp="{spec["adlcp"][0]}"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="{locations}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{spec["schemaversion"]}</schemaversion>
  </metadata>
  <organizations default="{ident}-org">
    <organization identifier="{ident}-org">
      <title>{title}</title>
      <item identifier="{ident}-item" identifierref="{ident}-sco" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{ident}-sco" type="webcontent" {scormtype}="sco" href="{LAUNCH_PAGE}">
{file_lines}
    </resource>
  </resources>
</manifest>
"""


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


def runtime_files() -> dict[str, bytes]:
    return {
        f"{RUNTIME_FOLDER}/{name}": (RUNTIME_DIR / name).read_bytes()
        for name in ("launch.js", "launch.css")
    }


def build_package(site: Path, outline: Outline, config: CourseConfig, version: str) -> dict:
    """Every file of one SCORM package, keyed by path in the zip."""
    spec = SCORM_VERSIONS[version]
    contents = site_contents(site, outline, [])
    contents.pop(LAUNCH_PAGE, None)  # the site's redirect stub; the launch page takes its place
    contents.update(runtime_files())
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

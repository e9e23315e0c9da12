"""Which files of the built site the pages really use.

The packager follows every reference from the book's pages (links, scripts, styles, images,
``url()`` and ``@import`` in style sheets, and the judge file named in a page's widget state)
and leaves out the rest. ``tests/lms/test_scorm_runtime.py`` proves the rule by opening every
page of a package in Chromium and comparing the files requested with the files packaged.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

# Files a style sheet names but that no page of this theme ever shows, found by opening every
# page in Chromium (tests/lms/test_scorm_runtime.py): each is left out unless some page uses one of
# the classes that would show it. Should a page start to need one, that test fails ("requested
# but not in the package"), and the entry must go.
NEVER_SHOWN = {
    # Sphinx's basic.css puts it on search results; pydata-sphinx-theme sets no background there.
    "_static/file.png": (),
    # Font Awesome's regular and brands faces; the theme's icons use the solid face. The theme
    # marks links to GitHub and GitLab (class github / gitlab) with the brands face's logo, as on
    # the references page.
    "_static/vendor/fontawesome/webfonts/fa-regular-400.woff2": ("fa-regular", "far"),
    "_static/vendor/fontawesome/webfonts/fa-brands-400.woff2": (
        "fa-brands",
        "fab",
        "github",
        "gitlab",
    ),
}


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
_MODULE_FILES = re.compile(r'"\$smxmodule"\s*:\s*\[([^\]]*)\]')
_KEY = re.compile(r'"([0-9a-f]{16})"')


def files_named_in_state(page: str, text: str) -> list[str]:
    """The script files a page's exercises load when reached: the judge (see
    coursebook/page_state.py, move_judge_to_file) and the widgets' modules (move_modules_to_files).

    They are named only inside the page's widget state, not by a link, so they are looked for
    there; returned relative to the page, like any other reference.
    """
    up = "../" * page.count("/")
    found = {f"{up}_static/judge/judge-{key}.js" for key in _JUDGE_FILE.findall(text)}
    for keys in _MODULE_FILES.findall(text):
        found |= {f"{up}_static/smx/module-{key}.js" for key in _KEY.findall(keys)}
    return sorted(found)


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
            urls = parser.urls + files_named_in_state(rel, text)
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

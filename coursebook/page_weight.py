"""Lighter pages for slow phones and LMS file servers that send files uncompressed.

Run once the site is written (``build-finished``), on the output folder; each step is safe to
repeat, because Sphinx copies the theme's files afresh on every build.

- ``drop_search_scripts``: the theme loads Sphinx's search code and the whole search index
  (searchindex.js, about 70 KB, growing with the book) on every page, for a search-as-you-type
  box this site does not turn on: its search box sends the reader to search.html, which loads
  them itself. Every other page leaves them out (about 90 KB less per page).
- ``trim_theme_css``: the theme's stylesheet (pydata-sphinx-theme.css, 397 KB, Bootstrap and
  Font Awesome included) styles far more than this site shows. tinycss2 parses it; a selector is
  kept when every class and id it needs appears in a page or a script of the site, a rule when
  one of its selectors is kept (about 290 KB less on every page, the biggest render-blocking
  file). Selector parts inside functions (``:not(.x)``, ``:is(...)``) are not read, so such
  selectors are kept; classes that scripts build from pieces are kept when the pieces appear.
- ``subset_icon_fonts``: the theme's Font Awesome fonts hold about 2,000 icons (the solid font
  alone is 157 KB); the site shows a couple of dozen. fontTools keeps only the icons that the
  pages and their scripts name (``fa-bars``, ...) and those the stylesheets draw by code point
  (admonition icons and the course's own), which cuts the solid font to a few KB.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="(?:\.\./)*(?:_static/searchtools\.js|_static/language_data\.js|'
    r'searchindex\.js)"></script>'
)
FONT_DIR = Path("_static") / "vendor" / "fontawesome" / "webfonts"
# `.fa-bars:before,.fa-navicon:before{content:"\f0c9"}`: the icon font's map of class to glyph.
CLASS_RULE = re.compile(r'((?:\.fa-[\w-]+:before,?)+)\{content:"((?:\\[0-9a-f]+|[^"])+)"\}')
CLASS_NAME = re.compile(r"\.(fa-[\w-]+):before")
ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,6})")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def drop_search_scripts(outdir: Path) -> int:
    """Leave the search code and index out of every page but search.html; pages changed."""
    changed = 0
    for page in outdir.rglob("*.html"):
        if page.name == "search.html" and page.parent == outdir:
            continue
        text = page.read_text(encoding="utf-8")
        lighter = SEARCH_SCRIPTS.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
            changed += 1
    return changed


THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
WORD = re.compile(r"[A-Za-z_][\w-]*")


def names_in_use(outdir: Path) -> set[str]:
    """Every class and id in the pages, and every word in their scripts (a class that a script
    adds is one of its words)."""
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        for value in re.findall(r'(?:class|id)="([^"]*)"', text):
            names |= set(value.split())
        for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S):
            names |= set(WORD.findall(script))
    for script in outdir.glob("_static/**/*.js"):
        names |= set(WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
    return names


def _selectors(prelude: list) -> list[list]:
    """A rule's selectors: its prelude split at the commas outside any function."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _needs(selector: list) -> set[str]:
    """The classes and ids a selector needs (those inside :not(), :is() ... are not read)."""
    needed = set()
    for before, token in zip([None, *selector], selector, strict=False):
        if token.type == "ident" and before is not None and before.type == "literal":
            if before.value == ".":
                needed.add(token.value)
        elif token.type == "hash" and token.is_identifier:
            needed.add(token.value)
    return needed


def _trim(rules: list, names: set[str]) -> list:
    import tinycss2

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if _needs(s) <= names]
            if not selectors:
                continue
            text = ",".join(tinycss2.serialize(s) for s in selectors)
            rule.prelude = tinycss2.parse_component_value_list(text)
            kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer"):
            if rule.content is None:
                kept.append(rule)
                continue
            inner = _trim(tinycss2.parse_rule_list(rule.content), names)
            if inner:
                rule.content = tinycss2.parse_component_value_list(tinycss2.serialize(inner))
                kept.append(rule)
        elif rule.type not in ("whitespace", "comment"):
            kept.append(rule)  # @font-face, @keyframes, @import ...
    return kept


def trim_theme_css(outdir: Path) -> tuple[int, int]:
    """Keep the rules of the theme's stylesheet that can match; (bytes before, after)."""
    import tinycss2

    sheet = outdir / THEME_CSS
    if not sheet.is_file():
        return (0, 0)
    source = sheet.read_text(encoding="utf-8")
    trimmed = tinycss2.serialize(_trim(tinycss2.parse_stylesheet(source), names_in_use(outdir)))
    sheet.write_text(trimmed, encoding="utf-8")
    return (len(source.encode()), len(trimmed.encode()))


def _code_points(text: str) -> set[int]:
    found = {int(m.group(1), 16) for m in ESCAPE.finditer(text)}
    found |= {ord(ch) for ch in PRIVATE_USE.findall(text)}
    return found


def icons_in_use(outdir: Path) -> set[int]:
    """The code points of every icon the site can show."""
    used_names: set[str] = set()
    for path in [*outdir.rglob("*.html"), *outdir.glob("_static/**/*.js")]:
        used_names |= set(
            re.findall(r"\bfa-[\w-]+", path.read_text(encoding="utf-8", errors="ignore"))
        )
    points: set[int] = set()
    for sheet in outdir.glob("_static/**/*.css"):
        css = sheet.read_text(encoding="utf-8", errors="ignore")
        for rule in CLASS_RULE.finditer(css):
            if used_names & set(CLASS_NAME.findall(rule.group(1))):
                points |= _code_points(rule.group(2))
        # Icons drawn by code point (admonition titles, the course's own boxes).
        points |= {p for p in _code_points(CLASS_RULE.sub("", css)) if p >= 0xE000}
    return points


def subset_icon_fonts(outdir: Path) -> dict[str, tuple[int, int]]:
    """Cut each icon font to the icons in use; returns {file: (bytes before, bytes after)}."""
    from fontTools import subset

    folder = outdir / FONT_DIR
    if not folder.is_dir():
        return {}
    keep = sorted(icons_in_use(outdir) | set(range(0x20, 0x7F)))
    sizes = {}
    for font_file in sorted(folder.glob("*.woff2")) + sorted(folder.glob("*.ttf")):
        before = font_file.stat().st_size
        options = subset.Options()
        options.flavor = "woff2" if font_file.suffix == ".woff2" else None
        options.layout_features = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(font_file), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        subset.save_font(font, str(font_file), options)
        sizes[font_file.name] = (before, font_file.stat().st_size)
    return sizes


def lighten_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    drop_search_scripts(outdir)
    try:
        subset_icon_fonts(outdir)  # first: it reads the icon classes from the whole stylesheet
    except Exception as exc:  # a font the subsetter cannot read: keep the whole font
        logger.warning(f"could not cut the icon fonts down to the icons in use: {exc}")
    trim_theme_css(outdir)

"""Lighter pages for slow phones and LMS file servers that send files uncompressed.

Run once the site is written (``build-finished``), on the output folder; each step is safe to
repeat, because Sphinx copies the theme's files afresh on every build.

- ``drop_search_scripts``: the theme loads Sphinx's search code and the whole search index
  (searchindex.js, about 70 KB, growing with the book) on every page, for a search-as-you-type
  box this site does not turn on: its search box sends the reader to search.html, which loads
  them itself. Every other page leaves them out (about 90 KB less per page).
- ``trim_stylesheets``: the theme's stylesheet (pydata-sphinx-theme.css, 397 KB, Bootstrap and
  Font Awesome included) styles far more than this site shows. tinycss2 parses it; a selector is
  kept when every class and id it needs appears in a page or a script of the site, a rule when
  one of its selectors is kept (about 290 KB less on every page, the biggest render-blocking
  file). Selector parts inside functions (``:not(.x)``, ``:is(...)``) are not read, so such
  selectors are kept; classes that scripts build from pieces are kept when the pieces appear.
  The same cut goes for the other stylesheets the theme and the extensions
  add to every page (sphinx-design 55 KB, myst-nb 43 KB, basic.css 15 KB, pygments 13 KB ...):
  about 110 KB less on every page. The course's own sheets are left whole.
- ``subset_icon_fonts``: the theme's Font Awesome fonts hold about 2,000 icons (the solid font
  alone is 157 KB); the site shows a couple of dozen. fontTools keeps only the icons that the
  pages and their scripts name (``fa-bars``, ...) and those the stylesheets draw by code point
  (admonition icons and the course's own), which cuts the solid font to a few KB.
- ``minify_static``: rcssmin and rjsmin (well-kept C-accelerated minifiers, also used by
  django-compressor) strip comments and white space from every stylesheet and every script
  that is not minified already (course.js 33 KB to 21 KB, togglebutton.js, doctools.js,
  the theme's CSS ...); ``font-display: block`` becomes ``swap`` so that text never waits for
  the icon font (Lighthouse's "font-display" finding).
- ``bundle_and_defer``: each page asked for nine stylesheets (one of them only to @import a
  tenth) and eight scripts in its <head>, every one of them render-blocking: a slow phone
  paid a round trip for each before it could paint. The stylesheets become one file (the same
  for every page, so the browser caches it once); the scripts are deferred, in their order
  (documentation_options.js, which inline scripts need at once, is inlined: 300 bytes);
  the colour theme is resolved in the first script (see THEME_GUESS: no restyle of the whole
  page once it is parsed); Bootstrap's script (81 KB) and its preload are left out (course.js
  loads it when a learner reaches the download menu, the only thing on these pages that
  needs it); sphinx-design's tab script (7 KB) is left out of pages without tabs; the icon
  font is preloaded; the widget state moves from the top of the <head> to the end of the
  page, so that it no longer holds back the stylesheet and the text.
- ``move_charts_to_files``: charts drawn into the page as base64 SVG become files loaded lazily
  (the digital footprint chapter: 145 KB less in its HTML); ``lazy_images`` does the same for
  every other picture in a page's text.
"""

from __future__ import annotations

import copy
import hashlib
import json
import posixpath
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


# Scripts whose words say nothing about the classes in use: the theme's Font Awesome script
# (never loaded, see theme.py, but it names all 2,000 icons) and the judge's rules and word
# lists (data for the widgets, which bring their own stylesheet). Leaving their words out
# keeps about 10 KB fewer rules.
NEVER_LOADED = {"fontawesome.js"}
JUDGE_DIR = "judge"
WORD = re.compile(r"[A-Za-z_][\w-]*")


# Bootstrap's script bundles every Bootstrap component, but these pages use two of them: the
# tooltips the theme puts on its header buttons and the download menu's dropdown. The words
# of the components nobody uses (a modal's "modal-dialog", a carousel's "carousel-item" ...)
# would keep their rules in the stylesheet, so Bootstrap's words that start with these names
# are not counted, unless a page or another script uses them too. About 10 KB of rules.
BOOTSTRAP_JS = "bootstrap.js"
UNUSED_BOOTSTRAP = (
    "accordion",
    "carousel",
    "collapse",
    "collapsing",
    "list-group",
    "modal",
    "offcanvas",
    "placeholder",
    "popover",
    "scrollspy",
    "spinner",
    "toast",
)


def names_in_use(outdir: Path) -> set[str]:
    """Every class and id in the pages, and every word in their scripts (a class that a script
    adds is one of its words), but Bootstrap's words for components the site never shows."""
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        for value in re.findall(r'(?:class|id)="([^"]*)"', text):
            names |= set(value.split())
        for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S):
            names |= set(WORD.findall(script))
    bootstrap: set[str] = set()
    for script in outdir.glob("_static/**/*.js"):
        if script.name in NEVER_LOADED or JUDGE_DIR in script.parts:
            continue
        words = set(WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
        if script.name == BOOTSTRAP_JS:
            bootstrap |= words
        else:
            names |= words
    return names | {w for w in bootstrap if w in names or not w.startswith(UNUSED_BOOTSTRAP)}


VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
CUSTOM_NAME = re.compile(r"--[\w-]+")
NESTING = ("media", "supports", "layer")


def _walk_declarations(rules: list, visit, whole=None) -> list:
    """Call ``visit(declarations)`` on every style rule's declarations (inside @media and the
    like too); it returns the ones to keep. Rules left empty go; the rest is rewritten. Other
    at-rules (@font-face, @keyframes ...) are kept whole, and given to ``whole``."""
    import tinycss2

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            items = tinycss2.parse_declaration_list(
                rule.content, skip_whitespace=True, skip_comments=True
            )
            keep = visit([d for d in items if d.type == "declaration"])
            if not keep:
                continue
            rule.content = tinycss2.parse_component_value_list(
                ";".join(d.serialize() for d in keep)
            )
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING and rule.content:
            inner = _walk_declarations(tinycss2.parse_rule_list(rule.content), visit, whole)
            if not inner:
                continue
            rule.content = tinycss2.parse_component_value_list(tinycss2.serialize(inner))
        elif rule.type in ("whitespace", "comment"):
            continue
        elif whole is not None:
            whole(rule)
        kept.append(rule)
    return kept


def drop_unused_properties(css: str, elsewhere: str) -> str:
    """The sheet without the custom properties (``--name: ...``) that nothing reads.

    Bootstrap and the theme define about 640 custom properties (every colour in every shade,
    for both colour schemes); the trimmed sheet reads fewer than half. A property is read when
    a kept declaration uses it with ``var()`` (directly or through other properties), or when
    ``elsewhere`` (the pages, with their widgets' styles, and the scripts) names it at all, as
    a script's ``getPropertyValue("--x")`` does. About 20 KB less on every page.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    defined: dict[str, list[str]] = {}
    read = set(CUSTOM_NAME.findall(elsewhere))

    def collect(declarations: list) -> list:
        for d in declarations:
            value = tinycss2.serialize(d.value)
            if d.name.startswith("--"):
                defined.setdefault(d.name, []).append(value)
            else:
                read.update(VAR_USE.findall(value))
        return declarations

    def kept_whole(rule) -> None:
        read.update(VAR_USE.findall(tinycss2.serialize([rule])))

    _walk_declarations(copy.deepcopy(rules), collect, kept_whole)
    live, todo = set(), list(read)
    while todo:
        name = todo.pop()
        if name in live:
            continue
        live.add(name)
        for value in defined.get(name, []):
            todo.extend(VAR_USE.findall(value))

    def prune(declarations: list) -> list:
        return [d for d in declarations if not d.name.startswith("--") or d.name in live]

    return tinycss2.serialize(_walk_declarations(rules, prune))


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


# The course's own stylesheets: every rule in them is meant to be used, some by classes that
# course.js builds from parts, so they are minified but never trimmed.
OWN_SHEETS = {"course.css", "postcard.css"}


def trim_css(sheet: Path, names: set[str]) -> tuple[int, int]:
    """Keep the rules of one stylesheet that can match; (bytes before, after)."""
    import tinycss2

    source = sheet.read_text(encoding="utf-8")
    trimmed = tinycss2.serialize(_trim(tinycss2.parse_stylesheet(source), names))
    sheet.write_text(trimmed, encoding="utf-8")
    return (len(source.encode()), len(trimmed.encode()))


def trim_stylesheets(outdir: Path) -> dict[str, tuple[int, int]]:
    """Trim every stylesheet in _static but the course's own; {file: (before, after)}."""
    names = names_in_use(outdir)
    sizes = {}
    for sheet in sorted((outdir / "_static").rglob("*.css")):
        if sheet.name in OWN_SHEETS or sheet.name.startswith(BUNDLE_PREFIX):
            continue
        sizes[str(sheet.relative_to(outdir))] = trim_css(sheet, names)
    return sizes


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


# ---------------------------------------------------------------- minify

# A script whose lines average more than this is minified already (webpack's bundles, the
# judge's file, which is one JSON literal): rjsmin would find nothing to take out.
MINIFIED_LINE = 300
FONT_DISPLAY_BLOCK = re.compile(r"font-display:\s*block")


def is_minified(text: str) -> bool:
    return len(text) / (text.count("\n") + 1) > MINIFIED_LINE


def minify_css(text: str) -> str:
    import rcssmin

    # `swap`: the page's text paints at once in the body font; an icon shows when its font
    # arrives (a few KB, preloaded) instead of holding back the paint of everything around it.
    return FONT_DISPLAY_BLOCK.sub(
        "font-display:swap", rcssmin.cssmin(text, keep_bang_comments=True)
    )


def minify_js(text: str) -> str:
    import rjsmin

    return rjsmin.jsmin(text, keep_bang_comments=True)  # /*! ... */ keeps licence notices


def minify_static(outdir: Path) -> tuple[int, int]:
    """Minify every stylesheet and script in _static in place; total (bytes before, after)."""
    before = after = 0
    for path in sorted((outdir / "_static").rglob("*")):
        if path.suffix not in (".css", ".js") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".js" and is_minified(text):
            continue
        smaller = minify_css(text) if path.suffix == ".css" else minify_js(text)
        path.write_text(smaller, encoding="utf-8")
        before += len(text.encode())
        after += len(smaller.encode())
    return (before, after)


# ---------------------------------------------------------------- one stylesheet, scripts deferred

BUNDLE_PREFIX = "smx-styles-"
BUNDLES = Path("_static") / "smx-bundles.json"  # {bundle: [source sheets]}, kept across builds
SHEET_LINK = re.compile(
    r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*?\bhref="((?:\.\./)*)_static/([^"?]+\.css)'
    r'(?:\?[^"]*)?"[^>]*>\n?'
)
# rcssmin drops the semicolon that ends a sheet.
IMPORT = re.compile(r'@import\s*(?:url\()?\s*["\']?([^"\')\s;]+)["\']?\s*\)?\s*(?:;|$)')
URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
SCRIPT_PRELOAD = re.compile(
    r'[ \t]*<link rel="preload" as="script" href="[^"]*/scripts/'
    r'(?:bootstrap|pydata-sphinx-theme)\.js[^"]*" />\n?'
)
BOOTSTRAP_SCRIPT = re.compile(
    r'[ \t]*<script defer src="([^"]*/scripts/bootstrap\.js[^"]*)"></script>\n?'
)
ON_DEMAND = "smx-on-demand"
TABS_SCRIPT = re.compile(r'[ \t]*<script [^>]*src="[^"]*_static/design-tabs\.js[^"]*"></script>\n?')
OPTIONS_SCRIPT = re.compile(
    r'<script src="(?:\.\./)*_static/documentation_options\.js[^"]*"></script>'
)
BLOCKING_SCRIPT = re.compile(r"<script (?![^>]*\b(?:defer|async|type)\b)([^>]*\bsrc=)")
WIDGET_STATE = re.compile(
    r'[ \t]*<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>\n?', re.S
)
FONT = Path("_static") / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
# The theme's first script sets <html data-theme> to the stored theme or, on a first visit, to
# the default mode ("auto"), which no colour rule matches; its main script, once the page is
# parsed, resolves "auto" to "light" or "dark". That change of an attribute of <html>, which
# the colour variables hang on, made the browser restyle the whole page (724 elements, 120 to
# 210 ms on Lighthouse's 4x slower CPU, the longest task Lighthouse named on the exercise
# pages) and paint it again. The theme is now resolved at once, exactly as its setTheme()
# will (a mode "light" or "dark" is kept, anything else follows the system's colour scheme),
# so the first paint is already in the right colours and setTheme() changes nothing.
THEME_GUESS = re.compile(
    r'document\.documentElement\.dataset\.theme = localStorage\.getItem\("theme"\) \|\| "[a-z]*";'
)
RESOLVED_THEME = (
    "document.documentElement.dataset.theme = (function (mode) {"
    ' return mode === "light" || mode === "dark" ? mode :'
    ' window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";'
    " })(document.documentElement.dataset.mode);"
)


def _rebase(css: str, folder: str) -> str:
    """The url()s of a sheet in _static/<folder>, made relative to _static itself."""

    def fix(match: re.Match) -> str:
        target = match.group(2).strip()
        if re.match(r"(?:[a-z]+:|/|#)", target):
            return match.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, target))}")'

    return URL.sub(fix, css)


def _sheet_text(static: Path, name: str, seen: frozenset = frozenset()) -> str:
    """A sheet's rules with its @imports put in their place and every url() rebased."""
    folder = posixpath.dirname(name)
    css = (static / name).read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(1)))
        if target in seen or not (static / target).is_file():
            return match.group(0)
        return _sheet_text(static, target, seen | {name})

    return _rebase(IMPORT.sub(inline, css), folder)


def _bundle_name(sheets: list[str]) -> str:
    return BUNDLE_PREFIX + hashlib.sha256("\n".join(sheets).encode()).hexdigest()[:10] + ".css"


def _in_bundles(static: Path, bundles: dict[str, list[str]]) -> set[Path]:
    """The stylesheets the bundles are made of, with the sheets they @import."""
    todo = [s for sheets in bundles.values() for s in sheets]
    found: set[Path] = set()
    while todo:
        name = todo.pop()
        path = (static / name).resolve()
        if path in found or not path.is_file():
            continue
        found.add(path)
        folder = posixpath.dirname(name)
        for target in IMPORT.findall(path.read_text(encoding="utf-8", errors="ignore")):
            todo.append(posixpath.normpath(posixpath.join(folder, target)))
    return found


def _readers_of_properties(outdir: Path, pages: list[str], bundles: dict[str, list[str]]) -> str:
    """The text that may read a bundle's custom properties besides the bundle itself: the
    pages' text (inline styles, the widgets' own stylesheets in their state), every script,
    and every stylesheet in _static that is not part of a bundle."""
    static = outdir / "_static"
    bundled = _in_bundles(static, bundles)
    parts = list(pages)
    for path in sorted(static.rglob("*")):
        if path.suffix not in (".js", ".css") or not path.is_file() or JUDGE_DIR in path.parts:
            continue
        if path.name.startswith(BUNDLE_PREFIX) or path.resolve() in bundled:
            continue
        parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


def write_bundles(outdir: Path, bundles: dict[str, list[str]], readers: str = "") -> dict[str, str]:
    """Write each bundle from its sources, in their order, without the custom properties
    nothing reads (``readers``: see _readers_of_properties); {bundle: version}."""
    static = outdir / "_static"
    versions = {}
    for name, sheets in bundles.items():
        if not all((static / s).is_file() for s in sheets):
            continue
        text = "\n".join(_sheet_text(static, s) for s in sheets)
        text = drop_unused_properties(text, readers)
        (static / name).write_text(text, encoding="utf-8")
        versions[name] = hashlib.sha256(text.encode()).hexdigest()[:8]
    (outdir / BUNDLES).write_text(json.dumps(bundles, indent=1, sort_keys=True), "utf-8")
    return versions


def _one_page(text: str, options: str, bundles: dict[str, list[str]], font: bool) -> str:
    head_end = text.find("</head>")
    if head_end < 0:
        return text
    head, body = text[:head_end], text[head_end:]
    links = list(SHEET_LINK.finditer(head))
    sheets = [m.group(2) for m in links]
    if links and not all(s.startswith(BUNDLE_PREFIX) for s in sheets):
        prefix = links[0].group(1)
        name = _bundle_name(sheets)
        bundles[name] = sheets
        tag = f'    <link rel="stylesheet" href="{prefix}_static/{name}" />\n'
        if font:
            # Found only once the stylesheet is parsed; asked for at once instead.
            tag += (
                f'    <link rel="preload" href="{prefix}{FONT.as_posix()}" as="font" '
                'type="font/woff2" crossorigin="anonymous" />\n'
            )
        head = head[: links[0].start()] + tag + SHEET_LINK.sub("", head[links[0].start() :])
    head = SCRIPT_PRELOAD.sub("", head)
    head = THEME_GUESS.sub(RESOLVED_THEME, head)
    head = OPTIONS_SCRIPT.sub(lambda _: f"<script>{options}</script>", head)
    if "sd-tab-set" not in body:
        head = TABS_SCRIPT.sub("", head)
    state = WIDGET_STATE.search(head)
    if state:
        # myst-nb puts the widget state (30 to 90 KB of JSON) near the top of the <head>, ahead
        # of the stylesheet: a slow phone received all of it before it could ask for the
        # stylesheet or paint a word. course.js reads it only once the page is parsed.
        head = head[: state.start()] + head[state.end() :]
        body = body.replace("</body>", state.group(0).strip() + "\n</body>", 1)
    # Bootstrap stays named in the page, for course.js to load on demand and for the SCORM
    # packager (lms/crawler.py follows every href), but as a link browsers do not fetch.
    body = BOOTSTRAP_SCRIPT.sub(lambda m: f'<link rel="{ON_DEMAND}" href="{m.group(1)}" />\n', body)
    return BLOCKING_SCRIPT.sub(r"<script defer \1", head) + body


def bundle_and_defer(outdir: Path) -> int:
    """One stylesheet per page, scripts deferred, unneeded scripts left out; pages changed."""
    bundles: dict[str, list[str]] = {}
    if (outdir / BUNDLES).is_file():
        bundles = json.loads((outdir / BUNDLES).read_text(encoding="utf-8"))
    options_file = outdir / "_static" / "documentation_options.js"
    options = options_file.read_text(encoding="utf-8").strip() if options_file.is_file() else ""
    font = (outdir / FONT).is_file()
    pages = sorted(outdir.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    changed: dict[Path, str] = {}
    for page, text in texts.items():
        if not options and OPTIONS_SCRIPT.search(text):
            continue
        lighter = _one_page(text, options, bundles, font)
        if lighter != text:
            changed[page] = lighter
    current = [changed.get(page, text) for page, text in texts.items()]
    versions = write_bundles(outdir, bundles, _readers_of_properties(outdir, current, bundles))
    for page in pages:
        text = changed.get(page) or texts[page]
        # The bundle's address carries its content's digest, so browsers never use a stale copy.
        versioned = re.sub(
            r"(_static/(" + re.escape(BUNDLE_PREFIX) + r'[0-9a-f]+\.css))(?:\?v=[0-9a-f]+)?"',
            lambda m: f'{m.group(1)}?v={versions.get(m.group(2), "0")}"',
            text,
        )
        if versioned != texts[page]:
            page.write_text(versioned, encoding="utf-8")
    return len(changed)


# ---------------------------------------------------------------- charts out of the page

CHART_IMG = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
SVG_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"')
CHART_DIR = "_images"


def move_charts_to_files(outdir: Path) -> int:
    """Serve each chart as its own file, loaded lazily; charts moved.

    coursebook/figures.py draws the charts as SVG inside the page (base64, a third bigger
    than the file): the chapter on digital footprints carried 145 KB of them in its HTML, all
    downloaded before its first words could show. As files they cost nothing until the
    reader scrolls near them, and the browser caches them; the width and height (from the
    SVG) keep their place on the page, so nothing moves when they arrive. As files they can
    also be opened full size and zoomed on a phone: course.js gives them the same "Open the
    diagram full size" link as the other diagrams (it cannot open a data: address).
    """
    import base64

    moved = 0
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data:image/svg+xml;base64," not in text:
            continue
        prefix = "../" * (len(page.relative_to(outdir).parts) - 1)

        def to_file(match: re.Match, prefix: str = prefix) -> str:
            svg = base64.b64decode(match.group(1))
            name = f"smx-chart-{hashlib.sha256(svg).hexdigest()[:12]}.svg"
            (outdir / CHART_DIR).mkdir(exist_ok=True)
            (outdir / CHART_DIR / name).write_bytes(svg)
            size = SVG_SIZE.search(svg.decode("utf-8", errors="ignore"))
            # SVG points to CSS pixels (96 / 72)
            box = (
                f' width="{round(float(size.group(1)) * 4 / 3)}"'
                f' height="{round(float(size.group(2)) * 4 / 3)}"'
                if size
                else ""
            )
            return f'<img src="{prefix}{CHART_DIR}/{name}"{box} loading="lazy" decoding="async"'

        lighter, count = CHART_IMG.subn(to_file, text)
        page.write_text(lighter, encoding="utf-8")
        moved += count
    return moved


SVG_IMG = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?\bsrc="([^":]+\.svg)"[^>]*?)(\s*/?>)')
SVG_ROOT_SIZE = re.compile(r'<svg[^>]*?\bviewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def _with_svg_size(match: re.Match, folder: Path) -> str:
    """A diagram's <img> with the width and height of its SVG, so the browser keeps its place
    before a lazy load: without them the box is empty until the file arrives, and the question
    under the diagram jumps down half a phone screen after the reader has scrolled to it."""
    try:
        svg = (folder / match.group(2)).read_text(encoding="utf-8", errors="ignore")[:2000]
    except OSError:
        return match.group(0)
    size = SVG_ROOT_SIZE.search(svg)
    if not size:
        return match.group(0)
    width, height = (round(float(n)) for n in size.groups())
    return f'<img width="{width}" height="{height}" {match.group(1)}{match.group(3)}'


def lazy_images(outdir: Path) -> int:
    """Let the browser fetch a page's pictures only as the reader nears them; pages changed.

    The grading chapter's screenshot (65 KB) was fetched with the page wherever it sits;
    ``loading="lazy"`` leaves pictures far below the screen for later (Chromium loads those
    within about a screen or two at once, so nothing shows up blank while reading).
    """
    changed = 0
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        main = text.find("<main")
        if main < 0:
            continue
        body = re.sub(r"<img (?![^>]*\bloading=)", '<img loading="lazy" ', text[main:])
        body = SVG_IMG.sub(lambda m, page=page: _with_svg_size(m, page.parent), body)
        if body != text[main:]:
            page.write_text(text[:main] + body, encoding="utf-8")
            changed += 1
    return changed


def lighten_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    lighten_site(Path(app.outdir))


def lighten_site(outdir: Path) -> None:
    """Every step, in order, on a written site (also run by hand on a copy: see benchmarks/)."""
    drop_search_scripts(outdir)
    try:
        subset_icon_fonts(outdir)  # first: it reads the icon classes from the whole stylesheet
    except Exception as exc:  # a font the subsetter cannot read: keep the whole font
        logger.warning(f"could not cut the icon fonts down to the icons in use: {exc}")
    trim_stylesheets(outdir)
    minify_static(outdir)
    bundle_and_defer(outdir)
    move_charts_to_files(outdir)
    lazy_images(outdir)

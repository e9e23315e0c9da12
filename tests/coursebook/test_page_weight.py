"""Pages light enough for a slow phone (issue 13, item 6): what the build does to each page.

A small site made here shows each step on its own (one stylesheet with @imports and url()s
resolved, scripts deferred in their order, Bootstrap left out); the built book shows that its
files are minified and that a page's bytes, as Chromium receives them uncompressed, stay within
budget: a text page at most 300 KB, a page with exercises at most 45 KB more. These are size
checks on what the browser receives, not timings (Lighthouse scores are in benchmarks/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.site_driver import count_bytes, open_page, pages

from coursebook.page_weight import (
    BUNDLE_PREFIX,
    RESOLVED_THEME,
    bundle_and_defer,
    drop_unused_properties,
    minify_static,
    names_in_use,
)

TEXT_PAGE_BUDGET = 300 * 1024
WIDGET_PAGE_BUDGET = TEXT_PAGE_BUDGET + 45 * 1024
COURSE_JS = Path(__file__).resolve().parents[2] / "coursebook" / "static" / "site" / "course.js"

PAGE = """<!DOCTYPE html><html><head>
  <script data-cfasync="false">
    document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto";
    document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";
  </script>
  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
  <link rel="stylesheet" type="text/css" href="../_static/course.css?v=2" />
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />
  <script src="../_static/documentation_options.js?v=3"></script>
  <script src="../_static/doctools.js?v=4"></script>
  <script>DOCUMENTATION_OPTIONS.pagename = 'book/a';</script>
  <script data-sd-tabs-storage-prefix="x-" src="../_static/design-tabs.js?v=5"></script>
  <script type="application/vnd.jupyter.widget-state+json">{"a": 1}</script>
</head><body><p class="note">Text</p>
<script defer src="../_static/scripts/bootstrap.js?digest=1"></script>
</body></html>
"""


def copy_static_files(tmp_path: Path) -> None:
    """What Sphinx does on every build: fresh copies of the theme's and extensions' files."""
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True, exist_ok=True)
    (static / "scripts").mkdir(exist_ok=True)
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n', "utf-8")
    (static / "basic.css").write_text("/* basic */\np.note {\n  color: red;\n}\n", "utf-8")
    (static / "course.css").write_text(
        '.smx-icon { background: url("images/icon.svg"); }\n'
        ".smx-font { src: url(../fonts/a.woff2); }\n",
        "utf-8",
    )
    (static / "documentation_options.js").write_text(
        "const DOCUMENTATION_OPTIONS = {\n    VERSION: '',\n};\n", "utf-8"
    )
    (static / "doctools.js").write_text("// helpers\nvar  doctools  =  1 ;\n", "utf-8")
    (static / "design-tabs.js").write_text("var tabs = 1;\n", "utf-8")
    (static / "scripts" / "bootstrap.js").write_text("window.bootstrap = {};\n", "utf-8")


def small_site(tmp_path: Path) -> Path:
    copy_static_files(tmp_path)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.html").write_text(PAGE, "utf-8")
    return tmp_path


def test_a_page_gets_one_stylesheet_and_no_render_blocking_script(tmp_path):
    site = small_site(tmp_path)
    minify_static(site)
    assert bundle_and_defer(site) == 1
    html = (site / "book" / "a.html").read_text("utf-8")
    head = html.split("</head>")[0]
    sheets = re.findall(r'<link rel="stylesheet" href="\.\./_static/([^"?]+)', head)
    assert len(sheets) == 1 and sheets[0].startswith(BUNDLE_PREFIX)
    bundle = (site / "_static" / sheets[0]).read_text("utf-8")
    # The @import is replaced by the sheet it named; url()s now start from _static/.
    assert "@import" not in bundle and "p.note{color:red}" in bundle
    assert bundle.index("p.note") < bundle.index(".smx-icon")  # the cascade keeps its order
    assert 'url("images/icon.svg")' in bundle and 'url("../fonts/a.woff2")' in bundle
    # No script blocks the first paint; the options inline scripts need are in the page.
    assert not re.search(r"<script (?![^>]*\bdefer\b)[^>]*\bsrc=", html)
    assert "<script>const DOCUMENTATION_OPTIONS={VERSION:'',};</script>" in html
    assert html.index("DOCUMENTATION_OPTIONS={") < html.index("DOCUMENTATION_OPTIONS.pagename")
    assert '<script defer src="../_static/doctools.js' in html
    # Left out: Bootstrap and its preload (course.js loads it on demand), tabs on a tab-less page.
    assert "design-tabs.js" not in html and "bootstrap.js" not in head
    assert not re.search(r"<script[^>]*bootstrap\.js", html)
    # ... but still named, for course.js and the SCORM packager, by a link browsers do not fetch.
    assert '<link rel="smx-on-demand" href="../_static/scripts/bootstrap.js?digest=1" />' in html
    # The widget state waits at the end of the page, after the text it would hold back.
    assert html.index('<p class="note">') < html.index("widget-state+json") < html.index("</body>")
    # The colour theme is decided in the first script, not guessed as "auto" (see below).
    assert RESOLVED_THEME in head and 'getItem("theme") || "auto"' not in head


@pytest.mark.browser
@pytest.mark.parametrize(
    ("mode", "system", "theme"),
    [
        ("auto", "light", "light"),
        ("auto", "dark", "dark"),
        ("light", "dark", "light"),
        ("dark", "light", "dark"),
        ("", "dark", "dark"),
        ("bogus", "light", "light"),
    ],
)
def test_the_first_script_sets_the_theme_the_theme_script_will(page, mode, system, theme):
    """What the theme's setTheme() would make of the stored mode and the system's scheme, set
    before the first paint, so that setTheme() changes nothing (no restyle of the page)."""
    page.emulate_media(color_scheme=system)
    page.set_content("<html><head></head><body></body></html>")
    found = page.evaluate(
        "([mode, script]) => { document.documentElement.dataset.mode = mode;"
        " new Function(script)(); return document.documentElement.dataset.theme; }",
        [mode, RESOLVED_THEME],
    )
    assert found == theme


def test_custom_properties_nothing_reads_are_dropped():
    css = (
        ":root{--used:1px;--chain:var(--base);--base:red;--dead:blue;--dead-too:var(--base)}"
        "@media (min-width:9px){.a{--only-dead:0;--script:2}.b{margin:var(--used)}}"
        ".c{color:var(--chain)}.d{--wide:1}"
        "@keyframes k{from{width:var(--frames)}}:root{--frames:3px}"
    )
    out = drop_unused_properties(css, elsewhere='el.style.getPropertyValue("--script")')
    assert "--used:1px" in out and "--chain:var(--base)" in out and "--base:red" in out
    assert "--frames:3px" in out  # read inside @keyframes, which is kept whole
    assert "--script:2" in out  # named by a script
    for gone in ("--dead:", "--dead-too", "--only-dead", "--wide"):
        assert gone not in out
    assert ".d{" not in out  # a rule left with no declarations goes
    assert ".b{margin:var(--used)}" in out and "@media (min-width:9px)" in out
    # a page's own styles (a widget's stylesheet in its state) read properties too
    kept = drop_unused_properties(":root{--w:1}", elsewhere='{"_css": ".x{color:var(--w)}"}')
    assert "--w:1" in kept


def test_bootstraps_unused_components_keep_no_rules_unless_a_page_uses_them(tmp_path):
    site = small_site(tmp_path)
    (site / "_static" / "scripts" / "bootstrap.js").write_text(
        'var m="modal-dialog",t="toast",d="dropdown-menu",c="carousel-item";', "utf-8"
    )
    names = names_in_use(site)
    assert "dropdown-menu" in names  # the download menu's dropdown is used
    assert not {"modal-dialog", "toast"} & names
    (site / "book" / "b.html").write_text('<div class="carousel-item"></div>', "utf-8")
    assert "carousel-item" in names_in_use(site)  # a page that shows one keeps its rules


def test_the_bundle_keeps_the_properties_the_pages_read(tmp_path):
    site = small_site(tmp_path)
    (site / "_static" / "basic.css").write_text(
        ":root{--page-colour:red;--nobody:blue}p.note{color:red}", "utf-8"
    )
    (site / "book" / "a.html").write_text(
        PAGE.replace("<p class", '<p style="color: var(--page-colour)" class'), "utf-8"
    )
    bundle_and_defer(site)
    (bundle,) = (site / "_static").glob(BUNDLE_PREFIX + "*.css")
    text = bundle.read_text("utf-8")
    assert "--page-colour:red" in text and "--nobody" not in text


def test_a_second_build_changes_nothing(tmp_path):
    """Sphinx rewrites only changed pages but copies the static files afresh every time."""
    site = small_site(tmp_path)
    minify_static(site)
    bundle_and_defer(site)
    first = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    copy_static_files(site)
    minify_static(site)
    assert bundle_and_defer(site) == 0
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == first


def test_scripts_and_stylesheets_are_minified(tmp_path):
    site = small_site(tmp_path)
    minify_static(site)
    assert (site / "_static" / "doctools.js").read_text("utf-8") == "var doctools=1;"
    assert (site / "_static" / "basic.css").read_text("utf-8") == "p.note{color:red}"


# ---------------------------------------------------------------- the built book


@pytest.mark.browser
@pytest.mark.slow
def test_the_built_site_is_minified(built_site):
    static = built_site / "_static"
    course = (static / "course.js").read_text("utf-8")
    assert len(course) < 0.8 * len(COURSE_JS.read_text("utf-8"))
    assert not re.search(r"^\s*//|\n\s{2,}", course), "course.js still has comments or indents"
    bundles = sorted(static.glob(f"{BUNDLE_PREFIX}*.css"))
    assert bundles, "no page stylesheet bundle was written"
    for sheet in bundles:
        text = sheet.read_text("utf-8")
        assert "/*" not in text.replace("/*!", "") and "\n  " not in text
        assert "font-display:block" not in text
    for path in pages(built_site):
        html = (built_site / path).read_text("utf-8")
        assert "data:image/svg+xml;base64," not in html, f"{path} still carries a chart inline"
        head = html.split("</head>")[0]
        assert len(re.findall(r'rel="stylesheet"', head)) <= 1, path  # index.html has none
        assert not re.search(r"<script (?![^>]*\b(?:defer|async|type)\b)[^>]*\bsrc=", head), path


def _bytes_at_load(browser, url: str) -> tuple[int, list[str]]:
    """Bytes Chromium received (no cache, no compression) until the page and its widgets are
    ready and the network is quiet; and the addresses asked for."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    received = count_bytes(context, page)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    open_page(page, url)
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(received.values()), asked


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_stays_within_its_byte_budget(browser, site_url, built_site):
    over = []
    for path in pages(built_site):
        text = (built_site / path).read_text("utf-8")
        has_widgets = "application/vnd.jupyter.widget-state+json" in text
        budget = WIDGET_PAGE_BUDGET if has_widgets else TEXT_PAGE_BUDGET
        size, asked = _bytes_at_load(browser, site_url + path)
        if path == "search.html":  # the one page that needs the search index: count the rest
            size -= (built_site / "searchindex.js").stat().st_size
        assert not [u for u in asked if "bootstrap.js" in u], path
        if size > budget:
            over.append(f"{path}: {size // 1024} KB, budget {budget // 1024} KB")
    assert over == []
    glossary, _ = _bytes_at_load(browser, site_url + "book/glossary.html")
    assert glossary <= TEXT_PAGE_BUDGET


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("how", ["tap", "keyboard"])
def test_the_download_menu_opens_without_bootstrap_at_load(browser, site_url, how):
    touch = how == "tap"
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if touch else {"width": 1280, "height": 900},
        has_touch=touch,
        is_mobile=touch,
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    open_page(page, site_url + "book/pitfalls.html")
    assert not [u for u in asked if "bootstrap.js" in u]
    toggle = page.locator(".article-header-buttons .dropdown-toggle")
    menu = page.locator(".article-header-buttons .dropdown-menu")
    expect(menu).to_be_hidden()
    if touch:
        toggle.tap()
    else:
        toggle.focus()
        page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_text(".md")).to_be_visible()
    assert [u for u in asked if "bootstrap.js" in u]
    # From then on Bootstrap's own handlers close and reopen it. (On a phone the theme also
    # shows the menu while its button is "hovered", which a tap leaves until the next tap
    # elsewhere: so a tap on the page closes it.)
    if touch:
        page.locator("article h1").first.tap()
        expect(menu).to_be_hidden()
        toggle.tap()
    else:
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert problems == []
    context.close()

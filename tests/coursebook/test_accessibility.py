"""WCAG 2.2 AA checks with axe-core on the built pages.

axe-core comes from npm, pinned in package.json (4.14.1: newer than the 4.12 bundled with
axe-playwright-python, and it checks more, for example label-content-name-mismatch on the theme's
search buttons). Its source is put into each page as it is checked. Every page is checked as it
loads, and widget pages again after answering (feedback colours, highlights and live regions),
in the light and the dark theme.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect
from support.paths import ROOT
from support.site_driver import DRIVERS, all_exercises, exercise, open_page, pages, read_to_the_end

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _pinned_version() -> str:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return package["devDependencies"]["axe-core"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_FILE.is_file():
        message = "axe-core is not installed: run `npm ci` in the project folder"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_FILE.read_text(encoding="utf-8")


def violations(page, source: str) -> list[str]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    version = page.evaluate("axe.version")
    assert version == _pinned_version(), f"axe-core {version} ran, package.json pins another"
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in result["violations"]
    ]


def test_the_pinned_axe_is_the_one_that_runs(axe_source):
    assert _pinned_version().startswith("4.14.")
    assert f"axe v{_pinned_version()}" in axe_source[:400]


def test_every_page_meets_wcag_aa_as_loaded(page, site_url, built_site, axe_source):
    found = {}
    for path in pages(built_site):
        open_page(page, site_url + path)
        # course.js draws each widget as the reader nears it: read to the end first, so that
        # every widget on the page is drawn when axe looks.
        read_to_the_end(page)
        problems = violations(page, axe_source)
        if problems:
            found[path] = problems
    assert found == {}


def test_the_search_field_is_named_by_what_it_shows(page, site_url):
    """WCAG 2.5.3: the search field shows "Search Ctrl + K", so its name must contain that."""
    open_page(page, site_url + "book/pitfalls.html")
    fields = page.locator("button.search-button-field")
    expect(fields.first).to_be_visible()
    assert [f.get_attribute("aria-label") for f in fields.all()] == [None] * fields.count()
    expect(page.get_by_role("button", name=re.compile(r"^Search Ctrl ?\+ ?K$"))).to_have_count(2)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("chapter", ["pitfalls", "positioning_statements", "separate_or_joint"])
def test_exercises_meet_wcag_aa_after_answering(page, site_url, chapter, mode, axe_source):
    page.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    open_page(page, f"{site_url}book/{chapter}.html")
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    for key, spec in all_exercises().items():
        if key.startswith(chapter + "/") and spec["type"] in DRIVERS:
            DRIVERS[spec["type"]](exercise(page, key), spec, right=False)
    assert violations(page, axe_source) == []

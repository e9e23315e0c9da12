"""WCAG 2.2 AA checks with axe-core (bundled by axe-playwright-python) on the built pages.

Every page is checked as it loads, and widget pages again after answering (feedback colours,
highlights and live regions), in the light and the dark theme.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from support.site_driver import DRIVERS, all_exercises, exercise, open_page, pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def violations(page) -> list[str]:
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in result.response["violations"]
    ]


def test_every_page_meets_wcag_aa_as_loaded(page, site_url, built_site):
    found = {}
    for path in pages(built_site):
        open_page(page, site_url + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("chapter", ["pitfalls", "positioning_statements", "separate_or_joint"])
def test_exercises_meet_wcag_aa_after_answering(page, site_url, chapter, mode):
    page.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    open_page(page, f"{site_url}book/{chapter}.html")
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    for key, spec in all_exercises().items():
        if key.startswith(chapter + "/") and spec["type"] in DRIVERS:
            DRIVERS[spec["type"]](exercise(page, key), spec, right=False)
    assert violations(page) == []

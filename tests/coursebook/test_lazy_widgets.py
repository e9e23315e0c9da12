"""Widgets are drawn as the reader nears them (course.js, "mounting, lazily"), and nothing that
depends on them notices: progress, saved answers, links into an exercise, the keyboard and
print. The built book in headless Chromium at 390 px (touch) and 1280 px, driven as a learner.

Expected values come from the chapter's exercise files, never from the code under test.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from support.site_driver import (
    DRIVERS,
    all_exercises,
    exercise,
    feedback,
    manifest,
    open_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHAPTER = "review"  # the longest chapter: 15 self-checks
COURSE = "two-presences"
SIZES = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def device(request, browser):
    touch = request.param < 992
    context = browser.new_context(viewport=SIZES[request.param], has_touch=touch, is_mobile=touch)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def _keys(site) -> list[str]:
    chapter = next(c for c in manifest(site)["chapters"] if c["page"] == f"book/{CHAPTER}")
    return chapter["exercises"]


def _host(page, key: str):
    chapter, ident = key.split("/", 1)
    return page.locator(f'[id="exercise-{chapter}-{ident}"]')


def _drawn(page, key: str) -> bool:
    return _host(page, key).evaluate("(el) => el.hasAttribute('data-smx-mounted')")


def _last_driven(site) -> tuple[str, dict]:
    """The last exercise of the chapter that a driver in support/ can answer."""
    specs = all_exercises()
    key = [k for k in _keys(site) if specs[k]["type"] in DRIVERS][-1]
    return key, specs[key]


def test_a_widget_far_down_is_drawn_only_when_the_reader_nears_it(device, site_url, built_site):
    page = device
    keys = _keys(built_site)
    key, spec = _last_driven(built_site)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    ready = int(page.evaluate("document.documentElement.dataset.smxReady"))
    assert ready == len(keys)
    drawn = [k for k in keys if _drawn(page, k)]
    assert len(drawn) < len(keys), "every widget was drawn at load"
    assert not _drawn(page, key)
    expect(_host(page, key).locator(".smx-loading")).to_have_count(1)
    expect(page.locator(f'section.smx[data-exercise="{key}"]')).to_have_count(0)
    # Scrolled to, it is drawn and works.
    section = exercise(page, key)
    expect(section).to_be_visible()
    assert _drawn(page, key)
    DRIVERS[spec["type"]](section, spec, right=True)
    record = page.evaluate(f"localStorage.getItem('smcourse:{COURSE}:{key}')")
    assert json.loads(record)["completed"] is True
    assert page.problems == []


def test_a_saved_answer_counts_before_its_widget_is_drawn(device, site_url, built_site):
    page = device
    keys = _keys(built_site)
    key, spec = _last_driven(built_site)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    DRIVERS[spec["type"]](exercise(page, key), spec, right=True)
    # A new visit: the page opens at the top, the answered widget is far below, not drawn.
    open_page(page, f"{site_url}book/glossary.html")
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    page.evaluate("window.scrollTo(0, 0)")
    assert not _drawn(page, key)
    place = page.locator(".smx-chapter-place")
    expect(place).to_contain_text(f"1 of {len(keys)} self-checks done")
    left = page.locator(".smx-chapter-end-left a")
    expect(left).to_have_count(len(keys) - 1)
    expect(
        page.locator(".smx-chapter-end-left").get_by_text(spec["title"], exact=True)
    ).to_have_count(0)
    # The links left are named by the exercises' titles, drawn or not.
    specs = all_exercises()
    assert left.all_inner_texts() == [specs[k]["title"] for k in keys if k != key]
    summary = page.evaluate("window.CourseProgress.summary()")
    chapter = next(c for c in summary["chapters"] if c["page"] == f"book/{CHAPTER}")
    assert chapter["completed"] == 1
    # Reached, it comes back answered.
    section = exercise(page, key)
    expect(section).to_be_visible()
    if spec["type"] == "multiple_choice":
        expect(feedback(section)).to_contain_text("Correct.")
    assert page.problems == []


def test_a_link_to_an_exercise_shows_it_drawn(device, site_url, built_site):
    page = device
    keys = _keys(built_site)
    specs = all_exercises()
    target = keys[-1]
    chapter, ident = target.split("/", 1)
    # Opened from another page with the exercise's address.
    open_page(page, f"{site_url}book/{CHAPTER}.html#exercise-{chapter}-{ident}")
    section = page.locator(f'section.smx[data-exercise="{target}"]')
    expect(section).to_be_visible()
    expect(section).to_contain_text(specs[target]["title"])
    expect(section).to_be_in_viewport()
    # From the chapter's end card, "still to do": a link to an exercise not drawn yet.
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    page.evaluate("window.scrollTo(0, 0)")
    middle = keys[len(keys) // 2]
    link = page.locator(".smx-chapter-end-left").get_by_role(
        "link", name=specs[middle]["title"], exact=True
    )
    link.scroll_into_view_if_needed()
    if page.viewport_size["width"] < 992:
        link.tap()
    else:
        link.click()
    section = page.locator(f'section.smx[data-exercise="{middle}"]')
    expect(section).to_be_visible()
    expect(section).to_be_in_viewport()
    assert page.problems == []


def test_the_keyboard_reaches_every_widget(page, site_url, built_site):
    """Tab moves through the page in order: at the first Tab every widget is drawn (one per
    task), so none is skipped because it was not drawn yet."""
    keys = _keys(built_site)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    assert not all(_drawn(page, k) for k in keys)
    page.keyboard.press("Tab")
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-smx-mounted]').length === n", arg=len(keys)
    )
    # From the last focusable thing before the last widget, Tab goes into that widget.
    last = exercise(page, keys[-1])
    expect(last).to_be_visible()
    assert last.evaluate(
        """(section) => {
            const all = [...document.querySelectorAll(
              'a[href], button, input, select, textarea, summary, [tabindex]')]
              .filter((el) => el.tabIndex >= 0
                  && el.checkVisibility({visibilityProperty: true}));
            const before = all[all.findIndex((el) => section.contains(el)) - 1];
            before.focus();
            return before === document.activeElement;
        }"""
    )
    page.keyboard.press("Tab")
    assert last.evaluate("(section) => section.contains(document.activeElement)")
    assert page.problems == []


@pytest.mark.parametrize("width", [390, 1280])
def test_print_shows_every_exercise_drawn_or_not(browser, site_url, built_site, width):
    """A printed chapter shows each exercise as its question and options, the ones far down
    that were never drawn on screen too, and the answer key after them."""
    context = browser.new_context(viewport=SIZES[width])
    page = context.new_page()
    specs = all_exercises()
    keys = _keys(built_site)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    assert not all(_drawn(page, k) for k in keys)
    page.emulate_media(media="print")
    for key in keys:
        spec = specs[key]
        section = page.locator(f'section.smx[data-exercise="{key}"]')
        expect(section).to_be_visible()
        expect(section).to_contain_text(spec["title"])
        if spec.get("prompt"):
            expect(section).to_contain_text(" ".join(spec["prompt"].split()[:6]))
        for option in spec.get("options", []):
            expect(section).to_contain_text(option["text"])
    key = page.locator(".smx-answer-key")
    expect(key).to_be_visible()
    expect(key.locator(".smx-key-item")).to_have_count(len(keys))
    context.close()

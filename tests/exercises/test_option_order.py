"""Each learner sees options in their own order, the same on every visit, and answers are kept
by option id: the built book in headless Chromium, driven as learners would use it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from support.site_driver import (
    all_exercises,
    exercise,
    feedback,
    manifest,
    open_page,
    option_row,
    read_to_the_end,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COURSE = "two-presences"
LEARNER_KEY = f"smcourse:{COURSE}:learner"

# The order of every option or choice on screen, per exercise.
SHOWN = """() => Object.fromEntries([...document.querySelectorAll('section.smx[data-exercise]')]
    .map((s) => [s.dataset.exercise, [...s.querySelectorAll('[data-option], [data-choice]')]
        .map((e) => e.dataset.option || e.dataset.choice)])
    .filter(([, ids]) => ids.length))"""


def shown(page) -> dict:
    """What SHOWN reads, once every widget is drawn (course.js draws each as the reader
    nears it: scroll through the page first)."""
    read_to_the_end(page)
    return page.evaluate(SHOWN)


def _busiest_chapter(site) -> dict:
    """The chapter with the most multiple-choice self-checks."""
    specs = all_exercises()

    def count(chapter):
        return sum(specs[k]["type"] == "multiple_choice" for k in chapter["exercises"])

    return max(manifest(site)["chapters"], key=count)


def _learner(browser, seed: str | None = None, *, lms_learner: str | None = None, width=1280):
    """A browser of its own (its own storage), optionally with a learner id already kept."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    if seed is not None:
        context.add_init_script(
            f"if (!localStorage.getItem('{LEARNER_KEY}')) localStorage.setItem('{LEARNER_KEY}', "
            f"{json.dumps(seed)});"
        )
    if lms_learner is not None:
        marker = json.dumps(json.dumps({"learner": lms_learner}))
        context.add_init_script(f"localStorage.setItem('smcourse:{COURSE}:lms-learner', {marker});")
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    return context, page


def _source_order(key: str) -> list[str]:
    spec = all_exercises()[key]
    if spec["type"] == "multiple_choice":
        return [o["id"] for o in spec["options"]]
    start = next(s for s in spec["steps"] if s["id"] == spec["start"])
    return [c["id"] for c in start["choices"]]


def test_two_learners_see_different_orders_and_neither_sees_the_source_order(
    browser, site_url, built_site
):
    url = f"{site_url}{_busiest_chapter(built_site)['page']}.html"
    orders = []
    for seed in ("learner-one", "learner-two"):
        context, page = _learner(browser, seed)
        open_page(page, url)
        orders.append(shown(page))
        assert page.problems == []
        context.close()
    one, two = orders
    assert one.keys() == two.keys() and len(one) >= 3
    for key in one:
        assert sorted(one[key]) == sorted(two[key]) == sorted(_source_order(key)), key
    assert any(one[key] != two[key] for key in one), "both learners saw every list in one order"
    # Shuffled, not the author's order: where the right answer sits tells nothing.
    assert sum(one[key] != _source_order(key) for key in one) >= len(one) // 2


def test_a_learner_keeps_one_order_across_reloads_and_visits(browser, site_url, built_site):
    url = f"{site_url}{_busiest_chapter(built_site)['page']}.html"
    context, page = _learner(browser, width=390)
    open_page(page, url)
    first = shown(page)
    seed = page.evaluate(f"localStorage.getItem('{LEARNER_KEY}')")
    assert seed, "no learner id was kept"
    page.reload()
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    assert shown(page) == first
    open_page(page, f"{site_url}book/progress.html")
    open_page(page, url)
    assert shown(page) == first
    assert page.evaluate(f"localStorage.getItem('{LEARNER_KEY}')") == seed
    assert page.problems == []
    context.close()


def test_inside_an_lms_the_order_follows_the_learner_to_another_device(
    browser, site_url, built_site
):
    url = f"{site_url}{_busiest_chapter(built_site)['page']}.html"
    orders = []
    for device_seed in ("laptop", "phone"):
        context, page = _learner(browser, device_seed, lms_learner="student-4711")
        open_page(page, url)
        orders.append(shown(page))
        context.close()
    assert orders[0] == orders[1]


def _single_answer(site) -> tuple[str, dict]:
    chapter = _busiest_chapter(site)
    specs = all_exercises()
    key = next(
        k
        for k in chapter["exercises"]
        if specs[k]["type"] == "multiple_choice" and specs[k].get("select", "one") == "one"
    )
    return key, specs[key]


def test_a_saved_answer_comes_back_on_the_same_option(browser, site_url, built_site):
    key, spec = _single_answer(built_site)
    url = f"{site_url}{_busiest_chapter(built_site)['page']}.html"
    wrong = next(o for o in spec["options"] if not o["correct"])
    context, page = _learner(browser)
    open_page(page, url)
    section = exercise(page, key)
    option_row(section, wrong).locator("input").check()
    section.get_by_role("button", name="Check answer").click()
    expect(feedback(section)).to_contain_text("Not yet.")
    record = json.loads(page.evaluate(f"localStorage.getItem('smcourse:{COURSE}:{key}')"))
    assert record["answer"] == [wrong["id"]]
    page.reload()
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    section = exercise(page, key)
    checked = section.locator("input:checked")
    expect(checked).to_have_count(1)
    expect(option_row(section, wrong).locator("input")).to_be_checked()
    expect(option_row(section, wrong).locator(".smx-option-feedback")).to_contain_text(
        wrong["feedback"]
    )
    assert page.problems == []
    context.close()


def test_answers_saved_by_position_before_ids_still_restore(browser, site_url, built_site):
    """Saves made before options had ids hold source positions; they restore, never crash."""
    key, spec = _single_answer(built_site)
    right = next(i for i, o in enumerate(spec["options"]) if o["correct"])
    specs = all_exercises()
    story_key = next(k for k, s in specs.items() if s["type"] == "scenario")
    story = specs[story_key]
    step = next(s for s in story["steps"] if s["id"] == story["start"])
    old = {
        key: {"answer": [right], "correct": True, "completed": True},
        story_key: {
            "answer": [{"step": step["id"], "choice": 0, "rating": step["choices"][0]["rating"]}],
            "correct": False,
            "completed": True,
        },
    }
    context, page = _learner(browser)
    for k, fields in old.items():
        chapter, ident = k.split("/")
        record = {"v": 1, "course": COURSE, "chapter": chapter, "exercise": ident, **fields}
        context.add_init_script(
            f"localStorage.setItem({json.dumps(f'smcourse:{COURSE}:{k}')}, "
            f"{json.dumps(json.dumps(record))});"
        )
    pages = {c["id"]: c["page"] for c in manifest(built_site)["chapters"]}
    open_page(page, f"{site_url}{pages[key.split('/')[0]]}.html")
    section = exercise(page, key)
    expect(option_row(section, spec["options"][right]).locator("input")).to_be_checked()
    expect(feedback(section)).to_contain_text("Correct.")
    open_page(page, f"{site_url}{pages[story_key.split('/')[0]]}.html")
    debrief = exercise(page, story_key).locator(".smx-debrief")
    expect(debrief.locator(".smx-path li")).to_have_count(1)
    expect(debrief.locator(".smx-path")).to_contain_text(step["choices"][0]["text"])
    assert page.problems == []
    context.close()

"""The capstone page, "My presence plan", in the built site: a learner answers exercises in
their chapters, finds those answers in the plan, edits it, keeps it across a reload, downloads
it and prints it, by pointer and by keyboard, at phone and laptop widths."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from support.site_driver import (
    GOOD_STATEMENTS,
    all_exercises,
    build_statements,
    exercise,
    open_page,
    use_checklist,
    use_decision_helper,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PLAN = "my_presence_plan/my-plan"
STATEMENTS = "positioning_statements/build-your-statements"
HELPER = "separate_or_joint/choose-your-setup"
AUDIT = "privacy_settings/privacy-audit"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def sentence(kind: str) -> str:
    role, field, audience = GOOD_STATEMENTS[kind]
    return f"I am a {role} in {field} for {audience}."


def suggestion(spec: dict, picks: list[int]) -> tuple[str, list[str]]:
    """What the decision helper suggests for these picks, worked out from its data."""
    totals = {o["id"]: 0 for o in spec["outcomes"]}
    reasons = []
    for question, pick in zip(spec["questions"], picks, strict=True):
        option = question["options"][pick]
        for key, points in option["points"].items():
            totals[key] += points
        reasons.append(option["reason"])
    best = max(totals.values())
    title = " or ".join(o["title"] for o in spec["outcomes"] if totals[o["id"]] == best)
    return title, reasons


def part(page, ident: str):
    return exercise(page, PLAN).locator(f'section.smx-plan-part[data-part="{ident}"]')


def saved(page) -> None:
    status = exercise(page, PLAN).locator(".smx-plan-status")
    expect(status).to_contain_text("Saved in this browser")


def violations(page) -> list[str]:
    """WCAG 2.2 AA problems axe-core finds, as in test_accessibility.py."""
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    found = result.response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']} {v['help']}" for v in found]


def test_an_empty_plan_says_where_to_do_each_part(page, site_url):
    open_page(page, f"{site_url}book/my_presence_plan.html")
    specs = all_exercises()[PLAN]["parts"]
    for spec in specs:
        box = part(page, spec["id"])
        note = box.locator(".smx-plan-empty")
        expect(note).to_be_visible()
        expect(note).to_contain_text(spec["empty"].split(".")[0])
        chapter = spec.get("chapter") or spec["from"].split("/")[0]
        expect(note.get_by_role("link")).to_have_attribute("href", f"../book/{chapter}.html")
    total = len(all_exercises()[AUDIT]["items"])
    status = part(page, "privacy").locator(".smx-checklist-status")
    expect(status).to_have_text(f"0 of {total} steps done.")
    part(page, "statements").get_by_role("link").click()
    page.wait_for_url("**/book/positioning_statements.html")
    assert page.problems == []
    page.go_back()
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    assert violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_plan_gathers_keeps_downloads_and_prints_the_learners_answers(
    page, site_url, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    specs = all_exercises()
    own = urlparse(site_url).netloc
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("blob:", "data:")) or urlparse(r.url).netloc == own
            else foreign.append(r.url)
        ),
    )

    # The learner answers three exercises in their chapters.
    open_page(page, f"{site_url}book/positioning_statements.html")
    build_statements(exercise(page, STATEMENTS), specs[STATEMENTS], right=True)
    open_page(page, f"{site_url}book/separate_or_joint.html")
    use_decision_helper(exercise(page, HELPER), specs[HELPER], right=True)
    open_page(page, f"{site_url}book/privacy_settings.html")
    use_checklist(exercise(page, AUDIT), specs[AUDIT], right=False)  # all but the last step
    items = specs[AUDIT]["items"]

    # The plan shows those answers, each with where it came from.
    open_page(page, f"{site_url}book/my_presence_plan.html")
    plan = exercise(page, PLAN)
    statements = part(page, "statements")
    expect(statements.get_by_label("My professional statement")).to_have_value(
        sentence("professional")
    )
    expect(statements.get_by_label("My personal statement")).to_have_value(sentence("personal"))
    expect(statements.locator(".smx-plan-origin")).to_contain_text(
        "From your answers in Positioning statements"
    )
    expect(statements.locator(".smx-plan-empty")).to_be_hidden()
    title, reasons = suggestion(specs[HELPER], [0] * len(specs[HELPER]["questions"]))
    account = part(page, "account")
    expect(account.get_by_label("The set-up I chose")).to_have_value(title)
    expect(account.get_by_label(re.compile("^Why it fits me"))).to_have_value("\n".join(reasons))
    privacy = part(page, "privacy")
    boxes = privacy.locator('input[type="checkbox"]')
    for i in range(len(items)):
        assert boxes.nth(i).is_checked() == (i < len(items) - 1)
    expect(privacy.locator(".smx-checklist-status")).to_have_text(
        f"{len(items) - 1} of {len(items)} steps done."
    )
    for ident in ("weekly-habit", "first-hour"):
        expect(part(page, ident).locator(".smx-plan-empty")).to_be_visible()

    # The learner edits the plan; learner text that looks like HTML stays text.
    habit = "Fridays at lunch: congratulate two classmates and pass on one job lead."
    first_hour = "Stop.\nCall Dana <b>before</b> 10 & delete the post."
    professional = "I am a junior nurse in pediatric care for parents of newborns."
    part(page, "weekly-habit").get_by_label("My weekly add-value habit").fill(habit)
    part(page, "first-hour").get_by_label("My first hour if a post goes wrong").fill(first_hour)
    statements.get_by_label("My professional statement").fill(professional)
    saved(page)
    expect(plan.locator(".smx-plan-status")).to_contain_text("Every part of your plan is filled in")
    expect(statements.locator(".smx-plan-origin")).to_have_text("Edited on this page.")
    record = page.evaluate(f"JSON.parse(localStorage.getItem('smcourse:two-presences:{PLAN}'))")
    assert record["completed"] is True and record["graded"] is False
    assert record["answer"]["parts"]["weekly-habit"]["value"] == {"text": habit}

    # A reload keeps every edit; the chapter's own record is unchanged.
    page.reload()
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    expect(part(page, "weekly-habit").locator("textarea")).to_have_value(habit)
    expect(part(page, "first-hour").locator("textarea")).to_have_value(first_hour)
    expect(statements.get_by_label("My professional statement")).to_have_value(professional)
    expect(statements.get_by_label("My personal statement")).to_have_value(sentence("personal"))
    chapter_record = page.evaluate(
        f"JSON.parse(localStorage.getItem('smcourse:two-presences:{STATEMENTS}'))"
    )
    assert chapter_record["answer"]["professional"]["role"] == GOOD_STATEMENTS["professional"][0]

    # Downloaded: one self-contained page with every part, the learner's text as text.
    with page.expect_download() as info:
        plan.get_by_role("button", name="Download my plan").click()
    download = info.value
    assert download.suggested_filename == "my-presence-plan.html"
    html = Path(download.path()).read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    for text in (professional, sentence("personal"), title, *reasons, habit, "Stop."):
        assert text.replace("&", "&amp;") in html
    assert "Call Dana &lt;b&gt;before&lt;/b&gt; 10 &amp; delete the post." in html
    assert "<b>" not in html
    assert f"{len(items) - 1} of {len(items)} steps done." in html
    assert items[-1]["text"] in html.split("Still to do", 1)[1]
    assert items[0]["text"] not in html  # done steps are only counted
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the file loads nothing"
    expect(plan.locator(".smx-plan-status")).to_contain_text("my-presence-plan.html")

    # The file opens on its own and prints on one page.
    viewer = page.context.new_page()
    viewer.set_content(html)
    expect(viewer.locator("h1")).to_have_text("My presence plan")
    pdf = viewer.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    viewer.screenshot(path=str(tmp_path / "file.png"), full_page=True)
    viewer.close()

    # Printed from the page: the plan alone, not the prose or the site's menus.
    page.emulate_media(media="print")
    expect(plan.locator(".smx-plan-sheet")).to_be_visible()
    expect(plan.locator(".smx-plan-sheet")).to_contain_text(habit)
    expect(plan.locator(".smx-plan-form")).to_be_hidden()
    expect(page.get_by_role("heading", name="Why write a plan")).to_be_hidden()
    expect(page.locator(".bd-header")).to_be_hidden()
    assert len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4"))) == 1
    page.emulate_media(media="screen")
    expect(plan.locator(".smx-plan-sheet")).to_be_hidden()

    assert foreign == []
    assert page.problems == []


def test_a_chapter_answer_newer_than_the_plan_wins_and_an_edit_can_be_undone(page, site_url):
    specs = all_exercises()
    open_page(page, f"{site_url}book/my_presence_plan.html")
    statements = part(page, "statements")
    statements.get_by_label("My personal statement").fill("I am a runner in Leeds for my club.")
    saved(page)
    again = statements.get_by_role("button", name="Use my answers from the chapter again")
    expect(again).to_be_hidden()
    # Redone in the chapter afterwards: the plan shows the newer answer.
    open_page(page, f"{site_url}book/positioning_statements.html")
    build_statements(exercise(page, STATEMENTS), specs[STATEMENTS], right=True)
    open_page(page, f"{site_url}book/my_presence_plan.html")
    statements = part(page, "statements")  # scrolled to again: the plan is drawn when reached
    expect(statements.get_by_label("My personal statement")).to_have_value(sentence("personal"))
    # Edited again here, then put back to the chapter's answer.
    statements.get_by_label("My personal statement").fill("I am a runner in Leeds for my club.")
    expect(again).to_be_visible()
    again.click()
    expect(statements.get_by_label("My personal statement")).to_have_value(sentence("personal"))
    expect(statements.locator(".smx-plan-origin")).to_contain_text("From your answers in")
    page.reload()
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    statements = part(page, "statements")
    expect(statements.get_by_label("My personal statement")).to_have_value(sentence("personal"))
    assert page.problems == []


def _focus_ring(page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""
    )


def _tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_plan_by_keyboard_alone_and_accessible(page, site_url, mode):
    page.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    open_page(page, f"{site_url}book/my_presence_plan.html")
    plan = f'section[data-exercise="{PLAN}"]'
    _tab_to(page, f'{plan} [data-part="privacy"] input[type="checkbox"]')
    assert _focus_ring(page)
    page.keyboard.press("Space")
    total = len(all_exercises()[AUDIT]["items"])
    status = part(page, "privacy").locator(".smx-checklist-status")
    expect(status).to_have_text(f"1 of {total} steps done.")
    _tab_to(page, f'{plan} [data-part="weekly-habit"] textarea')
    assert _focus_ring(page)
    page.keyboard.type("Mondays: one real comment.")
    _tab_to(page, f"{plan} .smx-plan-actions button")
    assert page.evaluate("document.activeElement.textContent") == "Download my plan"
    assert _focus_ring(page)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Mondays: one real comment." in text
    assert f"1 of {total} steps done." in text
    record = page.evaluate(f"JSON.parse(localStorage.getItem('smcourse:two-presences:{PLAN}'))")
    assert record["answer"]["parts"]["weekly-habit"]["value"] == {
        "text": "Mondays: one real comment."
    }
    assert page.problems == []
    # (axe itself asks for a stylesheet at a wrong address, so problems are checked before it)
    assert violations(page) == []


def test_with_storage_blocked_the_plan_says_so_and_still_downloads(page, site_url):
    """Private windows and some LMS frames refuse storage: nothing can be gathered or kept,
    and the page says so instead of pretending."""
    page.add_init_script(
        """Object.defineProperty(window, 'localStorage', {get() {
             throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
    )
    open_page(page, f"{site_url}book/my_presence_plan.html")
    plan = exercise(page, PLAN)
    expect(plan).to_contain_text("This browser is not letting the course keep anything")
    part(page, "weekly-habit").locator("textarea").fill("Tuesdays: reply to two posts.")
    expect(plan.locator(".smx-plan-status")).to_contain_text(
        "Not saved: this browser keeps nothing"
    )
    with page.expect_download() as info:
        plan.get_by_role("button", name="Download my plan").click()
    assert "Tuesdays: reply to two posts." in Path(info.value.path()).read_text(encoding="utf-8")
    assert page.problems == []

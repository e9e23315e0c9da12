"""The book on a 390 px phone (touch: hasTouch and isMobile, taps) and a 1280 px laptop (keyboard).

Navigation (menu focus, where am I, the chapter's end card), feedback in view after Check,
fix the post and the statement builder, honest progress, the phone layout and the meta
descriptions. Expected values come from the chapter files and the exercise files, never from
the code under test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support.paths import ROOT
from support.site_driver import (
    all_exercises,
    exercise,
    feedback,
    manifest,
    open_page,
    option_row,
    pages,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
CHAPTER = "pitfalls"


def _context(browser, width: int, **extra):
    touch = width < 992
    viewport = PHONE if width == 390 else {"width": width, "height": 900}
    return browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch, **extra)


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def device(request, browser):
    """A page at phone width driven by touch, or at laptop width driven by mouse and keys."""
    context = _context(browser, request.param)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on(
        "console",
        lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.width = request.param
    yield page
    context.close()


def press(page, locator) -> None:
    """Tap on a phone, click on a laptop."""
    if page.width < 992:
        locator.scroll_into_view_if_needed()
        locator.tap()
    else:
        locator.click()


def learner_chapters() -> list[tuple[str, int]]:
    """(page, minutes) of each chapter with a "Time" box, in the order of _toc.yml."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    found = []
    for doc in docs:
        text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
        box = re.search(r":class: time-estimate\n(.*?)\n:::", text, re.S)
        if box and "instructor" not in doc:
            found.append((doc, int(re.match(r"About (\d+) minutes", box.group(1)).group(1))))
    return found


def in_view(page, locator) -> bool:
    return locator.evaluate(
        """(el) => { const r = el.getBoundingClientRect();
                     return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )


def wait_in_view(page, locator) -> None:
    locator.evaluate(
        """(el) => new Promise((resolve, reject) => {
             const t0 = performance.now();
             (function poll() {
               const r = el.getBoundingClientRect();
               if (r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight) return resolve();
               if (performance.now() - t0 > 3000) return reject(new Error(
                 'not in view: top ' + r.top + ', bottom ' + r.bottom + ' of ' + innerHeight));
               requestAnimationFrame(poll);
             })();
           })"""
    )


# ---------------------------------------------------------------- 1. navigation


def _menu_takes_focus_and_gives_it_back(page, open_menu) -> None:
    """`open_menu()` opens the chapter menu: focus goes into it; Escape closes it and puts focus
    back on the menu button."""
    open_menu()
    menu = page.locator("#pst-primary-sidebar-modal")
    expect(menu).to_be_visible()
    assert menu.evaluate("(dialog) => dialog.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.primary-toggle')")


def test_the_menu_by_touch(browser, site_url):
    context = _context(browser, 390)
    page = context.new_page()
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    toggle = page.locator(".primary-toggle:visible")
    _menu_takes_focus_and_gives_it_back(page, toggle.tap)
    toggle.tap()
    page.locator("#pst-primary-sidebar-modal").get_by_role(
        "link", name="Adding value and sharing opportunity"
    ).tap()
    page.wait_for_url("**/book/adding_value.html")
    context.close()


def test_the_menu_by_keyboard_alone(browser, site_url):
    context = browser.new_context(viewport={"width": 800, "height": 900})
    page = context.new_page()
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.primary-toggle')"):
            break
    else:
        raise AssertionError("Tab never reached the menu button")
    assert _ring(page) >= 2, "the menu button shows no focus ring"
    _menu_takes_focus_and_gives_it_back(page, lambda: page.keyboard.press("Enter"))
    context.close()


def test_each_chapter_says_where_the_learner_is_and_ends_with_a_next_button(device, site_url):
    page = device
    chapters = learner_chapters()
    # Every page with an exercises folder is a learner chapter (book-quality's rule).
    assert len(chapters) == len(list((ROOT / "book").glob("*/exercises.yml")))
    index = [doc for doc, _ in chapters].index(f"book/{CHAPTER}")
    minutes = chapters[index][1]
    keys = [k for k in all_exercises() if k.startswith(CHAPTER + "/")]
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    place = page.locator(".smx-chapter-place")
    expect(place).to_have_text(
        f"Chapter {index + 1} of {len(chapters)}, about {minutes} minutes, "
        f"0 of {len(keys)} self-checks done"
    )
    # Answer the first multiple-choice question right: the count goes up at once.
    key, spec = next(
        (k, s)
        for k, s in all_exercises().items()
        if k.startswith(CHAPTER + "/") and s["type"] == "multiple_choice"
    )
    section = exercise(page, key)
    for option in spec["options"]:
        if option["correct"]:
            press(page, option_row(section, option).locator("label"))
    press(page, section.get_by_role("button", name="Check answer"))
    expect(place).to_contain_text(f"1 of {len(keys)} self-checks done")

    card = page.locator(".smx-chapter-end")
    expect(card.get_by_role("heading", level=2)).to_contain_text(f"End of chapter {index + 1}")
    expect(card).to_contain_text(f"You have done 1 of {len(keys)} self-checks")
    # Every exercise still to do is linked; the one just answered is not.
    expect(card.locator(".smx-chapter-end-left a")).to_have_count(len(keys) - 1)
    expect(card.get_by_role("link", name=spec["title"], exact=True)).to_have_count(0)
    nxt = card.get_by_role("link", name=re.compile("^Next: chapter"))
    expect(nxt).to_have_text(re.compile(f"chapter {index + 2}, "))
    box = nxt.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 200
    press(page, nxt)
    page.wait_for_url(f"**/{chapters[index + 1][0]}.html")
    assert page.problems == []


# ---------------------------------------------------------------- 2. feedback in view


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_after_check_the_summary_is_on_screen_and_nothing_jumps(browser, site_url, motion):
    """Every multiple-choice check in a chapter, tapped on a phone: the summary ends up on
    screen (at once when less motion is asked for), and it is a live region."""
    context = _context(browser, 390, reduced_motion=motion)
    page = context.new_page()
    page.width = 390
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    checked = 0
    for key, spec in all_exercises().items():
        if not key.startswith(CHAPTER + "/") or spec["type"] != "multiple_choice":
            continue
        section = exercise(page, key)
        wrong = next(o for o in spec["options"] if not o["correct"])
        press(page, option_row(section, wrong).locator("label"))
        check = section.get_by_role("button", name="Check answer")
        check.scroll_into_view_if_needed()
        before = check.evaluate("(el) => el.getBoundingClientRect().top")
        check.tap()
        summary = feedback(section)
        expect(summary).to_contain_text("Not yet.")
        assert summary.get_attribute("aria-live") == "polite"
        if motion == "reduce":
            assert in_view(page, summary), f"{key}: the summary is off screen"
            # The explanation opened above the button; the page did not move it down.
            after = check.evaluate("(el) => el.getBoundingClientRect().top")
            assert after <= before + 1, f"{key}: the button moved from {before} to {after}"
        else:
            wait_in_view(page, summary)
        checked += 1
    assert checked >= 2
    context.close()


def test_a_sort_links_to_the_cards_that_need_another_look(device, site_url):
    page = device
    key, spec = next((k, s) for k, s in all_exercises().items() if s["type"] == "sort_the_posts")
    chapter = key.split("/")[0]
    open_page(page, f"{site_url}book/{chapter}.html")
    section = exercise(page, key)
    items = section.locator(".smx-card-item")
    wrong = {0, len(spec["cards"]) - 1}
    for i, card in enumerate(spec["cards"]):
        good = card["answer"] if isinstance(card["answer"], list) else [card["answer"]]
        ids = [c["id"] for c in spec["categories"]]
        pick = next(c for c in ids if c not in good) if i in wrong else good[0]
        press(page, items.nth(i).locator(f'input[value="{pick}"]'))
    press(page, section.get_by_role("button", name="Check my sorting"))
    links = feedback(section).locator(".smx-look-again a")
    expect(links).to_have_text([f"Post {i + 1}" for i in sorted(wrong)])
    press(page, links.first)
    first = items.nth(0)
    wait_in_view(page, first.locator(".smx-sort-choices"))
    assert first.evaluate("(el) => el.contains(document.activeElement)")
    assert page.problems == []


def test_the_recommendation_takes_focus_and_is_in_view(page, site_url):
    key, spec = next((k, s) for k, s in all_exercises().items() if s["type"] == "decision_helper")
    open_page(page, f"{site_url}book/{key.split('/')[0]}.html")
    section = exercise(page, key)
    for i, _question in enumerate(spec["questions"]):
        section.locator(".smx-question").nth(i).locator("input").first.check()
    show = section.get_by_role("button", name="Show my recommendation")
    show.focus()
    page.keyboard.press("Enter")
    heading = section.locator(".smx-recommendation .smx-feedback-heading")
    expect(heading).to_be_focused()
    wait_in_view(page, section.locator(".smx-recommendation"))


# ---------------------------------------------------------------- 3. fix the post, statements


def _fix_the_post(chapter_prefix: str = ""):
    return next(
        (k, s)
        for k, s in all_exercises().items()
        if s["type"] == "fix_the_post" and k.startswith(chapter_prefix)
    )


def test_fix_the_post_notes_once_and_verdicts_differ_in_shape(device, site_url):
    page = device
    key, spec = _fix_the_post(CHAPTER)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    section = exercise(page, key)
    box = section.locator("textarea")
    verdict = section.locator(".smx-verdict")
    box.fill(spec["post"]["text"] + " " + spec["post"]["text"])
    expect(verdict).to_contain_text("For a")  # the checker is ready and has judged it
    notes = section.locator(".smx-finding-list li").all_inner_texts()
    assert len(notes) == len(set(notes)), f"a note is shown twice: {notes}"
    bad = verdict.evaluate("(el) => [getComputedStyle(el, '::before').content, el.className]")
    box.fill(spec["model_rewrite"])
    expect(verdict).to_contain_text("Done")
    good = verdict.evaluate("(el) => [getComputedStyle(el, '::before').content, el.className]")
    assert bad[0] not in ("none", "normal") and good[0] not in ("none", "normal")
    assert bad[0] != good[0], "the verdicts differ only in colour"


def test_the_verdict_stays_in_view_while_typing_on_a_phone(browser, site_url):
    context = _context(browser, 390)
    page = context.new_page()
    key, _spec = _fix_the_post(CHAPTER)
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    section = exercise(page, key)
    box = section.locator("textarea")
    box.tap()
    # Bring the box's top to the top of the screen, as a phone does when typing starts.
    box.evaluate("(el) => window.scrollBy(0, el.getBoundingClientRect().top - 70)")
    page.keyboard.type(" and more words")
    verdict = section.locator(".smx-verdict")
    expect(verdict).to_contain_text("For a")
    assert in_view(page, verdict)
    assert in_view(page, box) or box.evaluate("(el) => el.getBoundingClientRect().top < 200")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_statement_builder_labels_and_first_message(browser, site_url, width):
    context = _context(browser, width)
    page = context.new_page()
    key = next(k for k, s in all_exercises().items() if s["type"] == "statement_builder")
    open_page(page, f"{site_url}book/{key.split('/')[0]}.html")
    section = exercise(page, key)
    section.scroll_into_view_if_needed()
    status = section.locator(".smx-verdict")
    expect(status).to_contain_text("Fill in the boxes")
    expect(status).not_to_contain_text("fix the points")
    row = section.locator(".smx-statement-row").first
    label, field = row.locator("label").bounding_box(), row.locator("input").bounding_box()
    group = section.locator(".smx-statement").first.bounding_box()
    if width == 390:
        assert label["y"] + label["height"] <= field["y"] + 1, "the label is not above its box"
        assert field["width"] >= group["width"] - 40, "the box is not full width"
    else:
        assert label["x"] + label["width"] <= field["x"] + 1, "the label is not beside its box"
    section.locator("input.smx-input").first.fill("nurse")
    expect(status).to_contain_text("Keep going")
    context.close()


# ---------------------------------------------------------------- 4. honest progress


def _progress_row(page, title: str):
    return page.locator("table.smx-progress-table tr", has=page.get_by_role("link", name=title))


def test_a_finished_scenario_and_a_part_ticked_checklist_count(page, site_url, built_site):
    outline = manifest(built_site)
    # A scenario ended on a strong choice after a weaker one: done, correct, scored below 100%.
    key, spec = next(
        (k, s)
        for k, s in all_exercises().items()
        if s["type"] == "scenario"
        and len(s["steps"]) >= 3
        and any(c["rating"] != "best" and c.get("next") for c in s["steps"][0]["choices"])
    )
    chapter_id = key.split("/")[0]
    open_page(page, f"{site_url}book/{chapter_id}.html")
    section = exercise(page, key)
    steps = {s["id"]: s for s in spec["steps"]}
    current, first, best_count, count = spec["start"], True, 0, 0
    while True:
        choices = steps[current]["choices"]
        if first:  # a weaker choice first, then the strongest each time
            index = next(
                i for i, c in enumerate(choices) if c["rating"] != "best" and c.get("next")
            )
        else:
            index = next(i for i, c in enumerate(choices) if c["rating"] == "best")
        first = False
        count += 1
        best_count += choices[index]["rating"] == "best"
        choice_id = choices[index]["id"]  # options are shown in a per-learner order
        section.locator(f'.smx-choice-list button[data-choice="{choice_id}"]').click()
        if choices[index].get("next"):
            section.get_by_role("button", name="Continue").click()
            current = choices[index]["next"]
        else:
            section.get_by_role("button", name="See the debrief").click()
            break
    percent = round(best_count / count * 100)
    expect(section.locator(".smx-score")).to_contain_text("counts as answered correctly")
    expect(section.locator(".smx-score")).to_contain_text(f"{percent}%")

    # A checklist with all but one step ticked counts for its share.
    key2, spec2 = next(
        (k, s)
        for k, s in all_exercises().items()
        if s["type"] == "privacy_checklist" and k.split("/")[0] != chapter_id
    )
    assert key2.split("/")[0] != chapter_id
    open_page(page, f"{site_url}book/{key2.split('/')[0]}.html")
    boxes = exercise(page, key2).locator('input[type="checkbox"]')
    total = len(spec2["items"])
    for i in range(total - 1):
        boxes.nth(i).check()

    open_page(page, f"{site_url}book/progress.html")
    chapter = next(c for c in outline["chapters"] if c["id"] == chapter_id)
    row = _progress_row(page, chapter["title"])
    expect(row.locator("td").nth(1)).to_have_text(f"1 of {len(chapter['exercises'])}")
    expect(row.locator("td").nth(2)).to_have_text(f"1 of {sum(chapter['graded'])}")
    checklist_chapter = next(c for c in outline["chapters"] if c["id"] == key2.split("/")[0])
    share = round((total - 1) / total, 1)
    row2 = _progress_row(page, checklist_chapter["title"])
    expect(row2.locator("td").nth(1)).to_contain_text(
        f"{share:.1f} of {len(checklist_chapter['exercises'])}"
    )
    expect(row2).to_contain_text(f"{int((total - 1) / total * 100 + 0.5)}% ticked")


def test_start_again_asks_before_deleting_a_saved_answer(device, site_url):
    page = device
    key, spec = next(
        (k, s)
        for k, s in all_exercises().items()
        if k.startswith(CHAPTER + "/") and s["type"] == "multiple_choice"
    )
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    page.on("dialog", lambda d: page.problems.append(f"browser dialog: {d.message}"))
    section = exercise(page, key)
    again = section.get_by_role("button", name="Start again")
    press(page, again)  # nothing saved yet: nothing to ask
    expect(
        section.get_by_role("group", name=re.compile("deletes your saved answer"))
    ).to_be_hidden()
    for option in (o for o in spec["options"] if o["correct"]):
        press(page, option_row(section, option).locator("label"))
    press(page, section.get_by_role("button", name="Check answer"))
    stored = f"localStorage.getItem('smcourse:two-presences:{key}')"
    assert page.evaluate(stored)
    press(page, again)
    ask = section.get_by_role("group", name=re.compile("deletes your saved answer"))
    expect(ask).to_be_visible()
    expect(ask.get_by_role("button", name="Yes, delete it")).to_be_focused()
    press(page, ask.get_by_role("button", name="No, keep it"))
    expect(ask).to_be_hidden()
    assert page.evaluate(stored), "keeping the answer deleted it"
    expect(feedback(section)).to_contain_text("Correct.")
    press(page, again)
    press(page, ask.get_by_role("button", name="Yes, delete it"))
    assert page.evaluate(stored) is None
    expect(feedback(section)).to_be_empty()
    assert page.problems == []


def test_the_progress_page_explains_itself_lists_learner_pages_and_fits(
    device, site_url, built_site
):
    page = device
    outline = manifest(built_site)
    open_page(page, f"{site_url}book/progress.html")
    table = page.locator("table.smx-progress-table")
    titles = table.locator("tbody th").all_inner_texts()
    assert titles == [c["title"] for c in outline["chapters"] if c["required"]]
    assert not any("instructor" in t.lower() for t in titles)
    words = page.locator(".smx-definitions")
    pass_mark = round(outline["course"]["masteryScore"] * 100)
    expect(words).to_contain_text(f"{pass_mark}% or more")
    expect(words).to_contain_text("Complete means you have opened every page below")
    expect(words.locator("dt")).to_have_text(["Complete", "Done", "Correct"])
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert table.bounding_box()["width"] <= width


# ---------------------------------------------------------------- 5. phone layout


def _overflow(page) -> list[str]:
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll('article *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1
                    && !el.closest('.smx-table-scroll, .pst-scrollable-table-container'))
            .slice(0, 3).map((el) => el.tagName + '.' + el.className);
        }"""
    )


@pytest.mark.parametrize(
    "name,viewport,scale",
    [("320px", {"width": 320, "height": 720}, 1), ("200% zoom", {"width": 640, "height": 450}, 2)],
)
def test_no_page_scrolls_sideways(browser, site_url, built_site, name, viewport, scale):
    """At 320 px, and at 200% zoom of a 1280 px window (640 CSS px at twice the pixels)."""
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    wide = {}
    for path in pages(built_site):
        open_page(page, site_url + path)
        scroll = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll[0] > scroll[1]:
            wide[path] = (scroll, _overflow(page))
    context.close()
    assert wide == {}, f"pages wider than the screen at {name}"


def test_nothing_covers_content_and_every_control_is_big_enough(browser, site_url):
    context = _context(browser, 390)
    page = context.new_page()
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    page.mouse.wheel(0, 4000)
    page.evaluate("window.scrollTo(0, 4000)")
    page.wait_for_timeout(300)
    assert page.locator("#pst-back-to-top:visible").count() == 0, "the Back to top pill is shown"
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              'button, input, select, textarea, summary, .smx-chapter-end a, .prev-next-area a')]
            .filter((el) => el.getClientRects().length
                    && getComputedStyle(el).visibility !== 'hidden')
            .filter((el) => !el.closest('dialog:not([open]), .smx-visually-hidden'))
            .map((el) => {
              const target = el.matches('input') && el.id
                ? document.querySelector(`label[for="${el.id}"]`) || el : el;
              const r = target.getBoundingClientRect();
              const text = (el.textContent || '').trim().slice(0, 30);
              return [el.tagName + '.' + el.className + ' ' + text,
                      Math.round(r.width), Math.round(r.height)];
            })
            .filter(([, w, h]) => w < 24 || h < 24)"""
    )
    assert small == []
    context.close()


def test_diagrams_open_full_size(page, site_url):
    open_page(page, f"{site_url}book/separate_or_joint.html")
    link = page.get_by_role("link", name=re.compile("Open the diagram full size")).first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href.endswith(".svg")
    response = page.request.get(link.evaluate("(a) => a.href"))
    assert response.ok


# An exercise uses a diagram when its title or prompt sends the learner to a chart, a flow
# chart or a diagram (the word "figures" in a prompt means numbers, so it does not count).
USES_A_DIAGRAM = re.compile(r"\b(chart|diagram)\b", re.IGNORECASE)


def _exercises_with_diagrams() -> list[str]:
    return sorted(
        key
        for key, spec in all_exercises().items()
        if USES_A_DIAGRAM.search(f"{spec.get('title', '')} {spec.get('prompt', '')}")
    )


def test_the_book_has_exercises_that_use_a_diagram():
    keys = _exercises_with_diagrams()
    assert "separate_or_joint/read-the-diagram" in keys  # the separate-or-joint flow chart
    assert len(keys) >= 3, keys


# Where the diagram nearest above the question is, in page pixels, and what lies between them.
_DIAGRAM_ABOVE = """(section) => {
    const figures = [...document.querySelectorAll('article.bd-article figure')]
      .filter((f) => f.querySelector('img'));
    const before = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
    const inside = figures.find((f) => section.contains(f));
    const figure = inside || figures.filter((f) => before(f, section)).pop();
    if (!figure) return null;
    const between = [...document.querySelectorAll('section.smx[data-exercise]')]
      .filter((s) => s !== section && before(figure, s) && before(s, section))
      .map((s) => s.dataset.exercise);
    const img = figure.querySelector('img');
    return {
      inside: Boolean(inside),
      gap: section.getBoundingClientRect().top - figure.getBoundingClientRect().bottom,
      between,
      alt: img.getAttribute('alt') || '',
      loaded: img.complete && img.naturalWidth > 0,
      id: img.getAttribute('src'),
    };
}"""


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "laptop"])
def test_each_diagram_sits_just_before_the_question_that_uses_it(browser, site_url, width):
    """Within half a screen above the question (or inside it), with no other exercise in
    between, so a learner on a phone sees the diagram and then the question it feeds; the
    question does not jump when the diagram loads."""
    context = _context(browser, width)
    page = context.new_page()
    height = page.viewport_size["height"]
    for key in _exercises_with_diagrams():
        chapter = key.split("/")[0]
        open_page(page, f"{site_url}book/{chapter}.html")
        section = exercise(page, key)
        # The question's place below its diagram (widgets further up are drawn as the reader
        # scrolls, which moves both alike; a diagram that took no room until it loaded would
        # push the question down by its height).
        where = """(s) => {
            const figure = [...document.querySelectorAll('article.bd-article figure')]
              .filter((f) => f.querySelector('img') && (s.contains(f)
                || f.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)).pop();
            return s.getBoundingClientRect().top - figure.getBoundingClientRect().top;
        }"""
        before_loading = section.evaluate(where)
        section.scroll_into_view_if_needed()
        found = section.evaluate(_DIAGRAM_ABOVE)
        assert found is not None, f"{key}: no diagram above the question"
        diagram = page.locator(f'article.bd-article figure img[src="{found["id"]}"]').first
        diagram.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=diagram.element_handle()
        )
        section.scroll_into_view_if_needed()
        # The diagram kept its place while it loaded: the question did not jump down.
        assert abs(section.evaluate(where) - before_loading) < 2, f"{key}: the question moved"
        found = section.evaluate(_DIAGRAM_ABOVE)
        assert found is not None, f"{key}: no diagram above the question"
        assert found["between"] == [], f"{key}: other exercises between: {found['between']}"
        # Beside it: the diagram ends at most half a screen above the question (before the
        # chapters were reordered it was 537 to 1285 px above on a 844 px tall phone).
        assert found["inside"] or 0 <= found["gap"] <= height / 2, (
            f"{key}: diagram {found['id']} ends {found['gap']:.0f} px above the question "
            f"(the screen is {height} px tall)"
        )
        assert found["loaded"], f"{key}: the diagram did not load"
        assert len(found["alt"]) > 40, f"{key}: the diagram needs alt text"
    context.close()


def test_each_diagram_opens_full_size_by_keyboard_on_a_phone(browser, site_url):
    """From the diagram, Tab reaches its full-size link, which shows a focus ring; Enter opens
    the image itself, bigger than it is drawn on the phone, where it can be zoomed."""
    context = _context(browser, 390)
    page = context.new_page()
    for key in _exercises_with_diagrams():
        chapter = key.split("/")[0]
        open_page(page, f"{site_url}book/{chapter}.html")
        section = exercise(page, key)
        section.scroll_into_view_if_needed()
        drawn_width = section.evaluate(
            """(section) => {
                const figures = [...document.querySelectorAll('article.bd-article figure')]
                  .filter((f) => f.querySelector('img') && (section.contains(f)
                    || f.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING));
                const figure = figures.pop();
                figure.dataset.smxTestDiagram = '1';
                figure.tabIndex = -1;
                figure.focus();
                return figure.querySelector('img').getBoundingClientRect().width;
            }"""
        )
        figure = page.locator("[data-smx-test-diagram]")
        link = figure.locator(".smx-zoom-link")
        expect(link).to_have_count(1)
        for _ in range(4):
            page.keyboard.press("Tab")
            if link.evaluate("(a) => a === document.activeElement"):
                break
        else:
            pytest.fail(f"{key}: Tab from the diagram does not reach its full-size link")
        assert _ring(page) >= 2, f"{key}: no focus ring on the full-size link"
        expect(link).to_be_in_viewport()
        with page.expect_navigation() as navigation:
            page.keyboard.press("Enter")
        response = navigation.value
        assert response is not None and response.ok, f"{key}: the full-size link failed"
        assert response.headers["content-type"].startswith("image/svg+xml"), key
        assert page.url.endswith(".svg"), page.url
        full_width = page.evaluate("() => document.documentElement.getBoundingClientRect().width")
        assert full_width > drawn_width, (
            f"{key}: full size ({full_width:.0f} px) is no bigger than on the page "
            f"({drawn_width:.0f} px)"
        )
    context.close()


# ---------------------------------------------------------------- 6. focus and descriptions


def _ring(page) -> float:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"""
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_header_buttons_show_a_focus_ring(page, site_url, mode):
    page.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        which = page.evaluate(
            """() => { const el = document.activeElement;
                       return el.closest('.bd-header-article') ? el.className : null; }"""
        )
        if which:
            assert _ring(page) >= 2, f"no focus ring on {which}"
            seen.add(which)
    assert any("primary-toggle" in c for c in seen)
    assert any("dropdown-toggle" in c for c in seen), seen


def test_every_page_has_a_meta_description(built_site):
    from bs4 import BeautifulSoup

    missing = []
    for path in pages(built_site):
        soup = BeautifulSoup((built_site / path).read_text(encoding="utf-8"), "html.parser")
        tags = soup.find_all("meta", attrs={"name": "description"})
        if len(tags) != 1 or len(tags[0]["content"].strip()) < 20:
            missing.append(path)
    assert missing == []
    for doc, _minutes in learner_chapters():
        text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
        question = " ".join(
            re.search(r":class: chapter-question\n(.*?)\n:::", text, re.S).group(1).split()
        )
        soup = BeautifulSoup(
            (built_site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser"
        )
        content = soup.find("meta", attrs={"name": "description"})["content"]
        plain = re.sub(r"[*_`]", "", question)
        assert content.rstrip("…") in plain or plain == content, doc


# ---------------------------------------------------------------- 8. print


def test_a_printed_chapter_is_a_handout_with_an_answer_key(page, site_url):
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    key = page.locator(".smx-answer-key")
    expect(key).to_be_hidden()  # on screen the key would give the answers away
    page.emulate_media(media="print")
    for hidden in [".bd-sidebar-primary", ".bd-header-article", ".prev-next-area", ".smx-actions"]:
        expect(page.locator(hidden).first).to_be_hidden()
    assert page.locator("article button:not(.smx-button-choice):visible").count() == 0
    expect(key).to_be_visible()
    specs = {k: s for k, s in all_exercises().items() if k.startswith(CHAPTER + "/")}
    expect(key.locator(".smx-key-item")).to_have_count(len(specs))
    for spec in specs.values():
        section = page.locator(f'section.smx[data-exercise="{CHAPTER}/{spec["id"]}"]')
        if spec["type"] == "multiple_choice":
            # The question shows its options; the key names the right one and explains it.
            for option in spec["options"]:
                expect(section).to_contain_text(option["text"])
                if option["correct"]:
                    expect(key).to_contain_text(f"Right: {option['text']}")
                    expect(key).to_contain_text(option["feedback"])
        elif spec["type"] == "fix_the_post":
            expect(key).to_contain_text(spec["model_rewrite"])


# ---------------------------------------------------------------- 7. page weight


def test_the_search_index_loads_only_to_search(page, site_url, built_site):
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    open_page(page, f"{site_url}book/glossary.html")
    assert not [u for u in loaded if "searchindex.js" in u or "searchtools.js" in u]
    # Searching from the page (Ctrl+K, type, Enter) opens the search page with results.
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    expect(box).to_be_focused()
    box.fill("employer")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=employer*")
    expect(page.locator("#search-results li").first).to_be_visible(timeout=15000)
    assert [u for u in loaded if u.endswith("searchindex.js")]
    assert page.problems == []


def test_every_icon_shown_is_in_the_cut_down_fonts(page, site_url, built_site):
    from fontTools.ttLib import TTFont

    folder = built_site / "_static" / "vendor" / "fontawesome" / "webfonts"
    solid = folder / "fa-solid-900.woff2"
    assert solid.stat().st_size < 20_000, "the icon font was not cut down"
    cmap: set[int] = set()
    for font in folder.glob("*.woff2"):
        cmap |= set(TTFont(font).getBestCmap())
    shown: set[int] = set()
    for path in ["book/pitfalls.html", "book/glossary.html", "book/progress.html"]:
        open_page(page, site_url + path)
        for content in page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap((el) =>
                 ['::before', '::after'].map((p) => getComputedStyle(el, p))
                   .filter((s) => /Font Awesome/.test(s.fontFamily)).map((s) => s.content))"""
        ):
            shown |= {ord(ch) for ch in content if 0xE000 <= ord(ch) <= 0xF8FF}
    assert len(shown) >= 8
    assert shown - cmap == set()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_trimmed_theme_stylesheet_still_styles_the_page(page, site_url, built_site, width):
    """The theme's stylesheet is cut to the rules that can match; what the pages use stays."""
    sheet = built_site / "_static" / "styles" / "pydata-sphinx-theme.css"
    assert sheet.stat().st_size < 150_000
    page.set_viewport_size({"width": width, "height": 844})
    open_page(page, f"{site_url}book/{CHAPTER}.html")
    style = page.evaluate(
        """() => { const s = (sel) => getComputedStyle(document.querySelector(sel));
          return {header: s('.bd-header-article').position,
                  admonition: s('div.admonition').borderLeftStyle,
                  icon: getComputedStyle(document.querySelector('.admonition-title'), '::after')
                          .fontFamily}; }"""
    )
    assert style["header"] == "sticky"
    assert style["admonition"] == "solid"
    assert "Font Awesome" in style["icon"]
    # The chapter list is a side column on a laptop and behind the menu button on a phone.
    assert page.locator(".bd-sidebar-primary").is_visible() == (width >= 992)

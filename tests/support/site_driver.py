"""Drive the book's exercises in a real browser page the way a learner does.

The exercises' content comes from the same YAML files the book is built from, so the tests know
which answers are right without hard-coding them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from exercises.data import find_exercise_files, load_exercise_file

ROOT = Path(__file__).resolve().parents[2]


@cache
def all_exercises() -> dict[str, dict[str, Any]]:
    """Every exercise in the book, keyed "chapter/id"."""
    found = {}
    for path in find_exercise_files(ROOT / "book"):
        exercise_set = load_exercise_file(path, root=ROOT)
        for spec in exercise_set.exercises:
            found[f"{exercise_set.chapter}/{spec['id']}"] = spec
    return found


def manifest(site: Path) -> dict[str, Any]:
    text = (site / "_static" / "course-manifest.js").read_text(encoding="utf-8")
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def pages(site: Path) -> list[str]:
    """Every content page of the built site, relative to its root."""
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith(("_", "reports"))
    )


def count_bytes(context: Any, page: Page) -> dict[str, int]:
    """Turn the browser cache off and count the bytes each response brings over the wire,
    by request id; the mapping fills in as the page loads (tests and benchmarks/ share it)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    return received


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")


# Scroll down the page half a screen at a time, as a reader does (tests and benchmarks/).
READ_TO_THE_END = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
        window.scrollTo(0, y);
        await new Promise((resolve) => setTimeout(resolve, 30));
    }
}"""


def read_to_the_end(page: Page) -> None:
    """Scroll through the whole page as a reader does; course.js draws each widget as the
    reader nears it, so afterwards every widget on the page is drawn (or shows its notice)."""
    page.evaluate(READ_TO_THE_END)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.smx-host .smx-mount')]
                   .every((m) => !m.querySelector('.smx-loading'))"""
    )


def exercise(page: Any, key: str) -> Locator:
    """An exercise (in a page or a frame), scrolled to first as a reader would: course.js
    draws a widget only when it comes near the screen."""
    chapter, ident = key.split("/", 1)
    page.locator(f'[id="exercise-{chapter}-{ident}"]').scroll_into_view_if_needed()
    return page.locator(f'section.smx[data-exercise="{key}"]')


def feedback(section: Locator) -> Locator:
    """The exercise's main feedback region (the last live region in it)."""
    return section.locator(":scope > .smx-feedback")


def start_again(section: Locator) -> None:
    """Press "Start again"; when it asks first (a saved answer would be deleted), say yes."""
    again = section.get_by_role("button", name=re.compile("^(Start again|Clear my ticks)$"))
    if again.count():
        again.click()
        yes = section.get_by_role("button", name="Yes, delete it")
        if yes.is_visible():
            yes.click()


# ---------------------------------------------------------------- multiple choice


def option_row(section: Locator, option: dict[str, Any]) -> Locator:
    """An option's row, wherever this learner's order puts it (options are shuffled)."""
    return section.locator(f'.smx-option[data-option="{option["id"]}"]')


def answer_multiple_choice(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    start_again(section)
    options = spec["options"]
    if right:
        picks = [o for o in options if o["correct"]]
    else:
        picks = [next(o for o in options if not o["correct"])]
    for option in picks:
        option_row(section, option).locator("input").check()
    section.get_by_role("button", name="Check answer").click()
    if right:
        expect(feedback(section)).to_contain_text("Correct.")
        for option in options:
            note = option_row(section, option).locator(".smx-option-feedback")
            expect(note).to_contain_text(option["feedback"])
    else:
        expect(feedback(section)).to_contain_text("Not yet.")
        note = option_row(section, picks[0]).locator(".smx-option-feedback")
        expect(note).to_contain_text(picks[0]["feedback"])
        expect(note).to_contain_text("Not this one.")


# ---------------------------------------------------------------- sort the posts


def _answers(card: dict[str, Any]) -> list[str]:
    return card["answer"] if isinstance(card["answer"], list) else [card["answer"]]


def answer_sort(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    start_again(section)
    categories = [c["id"] for c in spec["categories"]]
    items = section.locator(".smx-card-item")
    for i, card in enumerate(spec["cards"]):
        good = _answers(card)
        pick = good[0] if right else next(c for c in categories if c not in good)
        items.nth(i).locator(f'input[value="{pick}"]').check()
    section.get_by_role("button", name="Check my sorting").click()
    total = len(spec["cards"])
    if right:
        expect(feedback(section)).to_contain_text(f"All {total} posts sorted well.")
    else:
        expect(feedback(section)).to_contain_text(f"0 of {total} posts are in a good place.")
    for i, card in enumerate(spec["cards"]):
        note = items.nth(i).locator(".smx-card-feedback")
        expect(note).to_contain_text(card["feedback"])
        expect(note).to_contain_text("Right:" if right else "better:")


# ---------------------------------------------------------------- scenario


def play_scenario(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    """Take the best choice at every step (right) or the first poor/acceptable one (wrong)."""
    steps = {s["id"]: s for s in spec["steps"]}
    again = section.get_by_role("button", name="Play again")
    if again.count():
        again.click()
    current, seen = spec["start"], 0
    while True:
        step = steps[current]
        choices = step["choices"]
        if right:
            choice = next(c for c in choices if c["rating"] == "best")
        else:
            choice = next(c for c in choices if c["rating"] != "best")
        expect(section.locator(".smx-situation")).to_contain_text(step["situation"])
        section.locator(f'.smx-choice-list button[data-choice="{choice["id"]}"]').click()
        outcome = section.locator(".smx-outcome")
        expect(outcome).to_contain_text(choice["consequence"])
        label = {"best": "Strong choice", "acceptable": "Workable", "poor": "Risky choice"}
        expect(outcome).to_contain_text(label[choice["rating"]])
        seen += 1
        if not right:
            return
        if choice.get("next"):
            section.get_by_role("button", name="Continue").click()
            current = choice["next"]
        else:
            section.get_by_role("button", name="See the debrief").click()
            break
        assert seen < 50, "the best path never ends"
    expect(section).to_contain_text("You made the strongest choice at every step.")
    expect(section).to_contain_text(spec["debrief"])


# ---------------------------------------------------------------- decision helper and checklist


def use_decision_helper(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    start_again(section)
    questions = section.locator(".smx-question")
    answered = spec["questions"] if right else spec["questions"][:-1]
    for i, _question in enumerate(answered):
        questions.nth(i).locator("input").first.check()
    section.get_by_role("button", name="Show my recommendation").click()
    if not right:
        expect(feedback(section)).to_contain_text("Answer every question first (1 left).")
        return
    result = section.locator(".smx-recommendation")
    expect(result).to_contain_text(re.compile("Our suggestion:|fit you equally well"))
    for question in spec["questions"]:
        expect(result).to_contain_text(question["options"][0]["reason"])


def use_checklist(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    start_again(section)
    boxes = section.locator('input[type="checkbox"]')
    total = len(spec["items"])
    ticked = total if right else total - 1
    for i in range(ticked):
        boxes.nth(i).check()
    status = section.locator(".smx-checklist-status")
    if right:
        expect(status).to_contain_text(f"All {total} steps done.")
    else:
        expect(status).to_contain_text(f"{ticked} of {total} steps done.")
    section.locator(".smx-why").first.locator("summary").click()
    expect(section.locator(".smx-why").first).to_contain_text(spec["items"][0]["why"])


DRIVERS = {
    "multiple_choice": answer_multiple_choice,
    "sort_the_posts": answer_sort,
    "scenario": play_scenario,
    "decision_helper": use_decision_helper,
    "privacy_checklist": use_checklist,
}


# ---------------------------------------------------------------- exercises on the judge


def fix_the_post(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    """Type a rewrite; the browser's judge must say exactly what the Python judge says."""
    from autograder.judge.posts import load_rules
    from autograder.judge.rewrite import check_rewrite

    start_again(section)
    account = spec["post"]["account"]
    text = spec["model_rewrite"] if right else spec["post"]["text"]
    box = section.locator("textarea")
    box.fill(text)
    verdict = section.locator(".smx-verdict")
    check = check_rewrite(text, spec["post"]["text"], account, spec["purpose"])
    review, purpose = check.review, check.purpose
    if right:
        assert check.passes, (spec["id"], check.to_dict())
        expect(verdict).to_contain_text("Done: this version is ready")
    else:
        assert review.verdict != "ok", f"{spec['id']}: the original post is not risky"
        expect(verdict).to_contain_text(load_rules().data["verdict_labels"][review.verdict])
        expect(section.locator("mark").first).to_be_visible()
    for finding in review.findings:
        expect(section.locator(".smx-findings")).to_contain_text(finding.message)
    expect(section.locator(".smx-findings")).to_contain_text(purpose.message)
    expect(section.locator(".smx-findings")).not_to_contain_text("null")
    section.get_by_role("button", name="Show a model rewrite").click()
    expect(section.locator(".smx-model-rewrite")).to_contain_text(spec["model_rewrite"])


GOOD_STATEMENTS = {
    "professional": ("nurse", "pediatric care", "parents of toddlers"),
    "personal": ("weekend baker", "sourdough bread", "friends who love baking"),
}


def build_statements(section: Locator, spec: dict[str, Any], *, right: bool) -> None:
    from autograder import check_statement

    start_again(section)
    kinds = spec.get("statements", ["professional", "personal"])
    inputs = section.locator("input.smx-input")
    for i, kind in enumerate(kinds):
        role, field, audience = GOOD_STATEMENTS[kind]
        if not right and i == 0:
            audience = "people"
        for j, value in enumerate((role, field, audience)):
            inputs.nth(3 * i + j).fill(value)
        sentence = f"I am a {role} in {field} for {audience}."
        expect(section.locator(".smx-preview").nth(i)).to_have_text(sentence)
        for problem in check_statement(sentence).problems:
            expect(section.locator(".smx-statement").nth(i)).to_contain_text(problem.message)
    status = section.locator(".smx-verdict")
    expect(status).to_contain_text("Done:" if right else "Keep going:")


DRIVERS["fix_the_post"] = fix_the_post
DRIVERS["statement_builder"] = build_statements

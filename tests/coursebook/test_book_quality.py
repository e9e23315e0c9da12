"""The course's writing, measured: structure, objectives, alt text, citations, reading level.

Structure is checked on the built pages (what readers get); wording on the Markdown sources.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from support.book_quality import SEEDS, chapter_prose, reading_grade, shared_runs
from support.site_driver import all_exercises, manifest, pages

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
# A chapter is a page with its own exercises folder.
CHAPTERS = sorted(p.parent.name for p in BOOK.glob("*/exercises.yml"))
# A capstone (``kind: capstone`` in its exercises.yml) gathers the learner's own work from the
# chapters before it. It keeps a chapter's structure (question, time, objectives, key points,
# reading level) but has no self-checks of its own, so it is not asked for any.
CAPSTONES = sorted(
    name
    for name in CHAPTERS
    if yaml.safe_load((BOOK / name / "exercises.yml").read_text(encoding="utf-8")).get("kind")
    == "capstone"
)

# Verbs a reader can be seen doing (after Bloom's revised taxonomy). Extend it when a new
# observable verb is needed; the vague ones below are never allowed.
OBSERVABLE_VERBS = set(
    """apply assess audit build carry check choose classify compare contrast create decide define
    describe design detect diagnose distinguish draft edit estimate evaluate explain find fix
    give identify judge justify list locate map match name outline pick plan predict prepare
    prioritise prioritize rank recall recognise recognize recommend reflect rephrase repair
    rewrite run search select set sort spot state summarise summarize tag test tell trace use
    weigh write adjust answer argue calculate categorise categorize complete construct convert
    demonstrate differentiate discuss examine follow frame illustrate interpret measure
    organise organize practise practice produce propose rate reorganise report respond review
    revise separate share show solve suggest translate update verify""".split()
)
VAGUE = {"understand", "know", "learn", "appreciate", "grasp", "realise", "realize", "become"}


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def article(site: Path, page: str):
    return soup(site, page).select_one("article.bd-article") or soup(site, page)


def test_the_book_has_its_chapters():
    for name in (
        "welcome personal_and_professional digital_footprint positioning_statements "
        "separate_or_joint pitfalls adding_value privacy_settings when_a_post_goes_wrong "
        "profession_norms review"
    ).split():
        assert name in CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_question_time_objectives_and_key_points(built_site, chapter):
    page = article(built_site, f"book/{chapter}.html")
    for kind in ("chapter-question", "time-estimate", "objectives", "key-points"):
        assert page.select_one(f"div.admonition.{kind}"), f"{chapter}: no '{kind}' box"
    time = page.select_one("div.admonition.time-estimate").get_text(" ", strip=True)
    assert re.search(r"\d+\s*(minutes|hours?)", time), f"{chapter}: time estimate says {time!r}"
    assert len(page.select("div.admonition.key-points li")) >= 3, f"{chapter}: key points"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_objective_starts_with_an_observable_verb(built_site, chapter):
    items = article(built_site, f"book/{chapter}.html").select("div.admonition.objectives li")
    assert len(items) >= 2, f"{chapter}: fewer than two objectives"
    for item in items:
        text = item.get_text(" ", strip=True)
        verb = text.split()[0].strip(".,:").lower()
        assert verb not in VAGUE, f"{chapter}: '{text}' is not observable"
        assert verb in OBSERVABLE_VERBS, f"{chapter}: '{verb}' (in '{text}') is not a known verb"
        assert item.find("strong"), f"{chapter}: the verb of '{text}' is not in bold"


def test_exercises_across_the_book(built_site):
    specs = all_exercises()
    assert len(specs) >= 60
    assert len({s["type"] for s in specs.values()}) >= 6
    outline = manifest(built_site)
    for chapter in outline["chapters"]:
        if chapter["id"] in CHAPTERS and chapter["id"] not in CAPSTONES:
            assert len(chapter["exercises"]) >= 3, chapter["id"]


def test_the_capstone_is_the_plan_alone():
    """The exception above covers only a page whose exercises are the learner's own ungraded
    plan, never a chapter that is simply short of self-checks."""
    assert CAPSTONES == ["my_presence_plan"]
    for name in CAPSTONES:
        data = yaml.safe_load((BOOK / name / "exercises.yml").read_text(encoding="utf-8"))
        assert {e["type"] for e in data["exercises"]} == {"presence_plan"}


@pytest.mark.parametrize(
    "page",
    ["book/welcome.html", "book/glossary.html", "book/references.html", "book/pitfalls.html"],
)
def test_pages_have_one_h1(built_site, page):
    assert len(article(built_site, page).find_all("h1")) == 1


def test_heading_levels_never_skip_and_one_h1_per_page(built_site):
    for page in pages(built_site):
        if page in ("genindex.html", "search.html", "index.html"):
            continue
        headings = article(built_site, page).find_all(re.compile("^h[1-6]$"))
        levels = [int(h.name[1]) for h in headings]
        assert levels.count(1) == 1, f"{page}: {levels.count(1)} H1 headings"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{page}: heading level jumps from {before} to {after}"


def test_every_image_has_alt_text(built_site):
    seen = 0
    for page in pages(built_site):
        for img in soup(built_site, page).find_all("img"):
            seen += 1
            assert (img.get("alt") or "").strip(), f"{page}: an image without alt text: {img}"
    assert seen >= 5  # the book has charts and diagrams


def test_chapters_have_figures(built_site):
    with_figures = [c for c in CHAPTERS if article(built_site, f"book/{c}.html").find("img")]
    assert "personal_and_professional" in with_figures
    assert "digital_footprint" in with_figures
    assert "separate_or_joint" in with_figures  # the decision diagram


def _bib_keys() -> set[str]:
    text = (BOOK / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", text, re.M))


def test_every_citation_resolves_to_the_references():
    keys = _bib_keys()
    cited: set[str] = set()
    for md in BOOK.glob("*.md"):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", md.read_text(encoding="utf-8")):
            cited |= {k.strip() for k in group.split(",")}
    assert cited, "the book cites nothing"
    assert cited <= keys, f"unknown citation keys: {sorted(cited - keys)}"
    # every source in sources.md that carries a statistic or case is cited somewhere
    for key in (
        "careerbuilder2017",
        "careerbuilder2018",
        "pew2016workplace",
        "redcross2011",
        "microsoft2012",
        "ama2010",
        "ncsbn2011",
        "gmc2013",
        "moran_career_tool",
        "presences_differ_2011",
    ):
        assert key in cited, f"{key} is never cited"


def test_references_page_lists_the_cited_sources(built_site):
    text = article(built_site, "book/references.html").get_text(" ", strip=True)
    for needle in ("CareerBuilder", "Pew Research Center", "American Red Cross", "Moran"):
        assert needle in text


def _glossary_terms() -> list[str]:
    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line and not line.startswith(" ")]


def test_every_glossary_term_is_used_in_a_chapter():
    used = set()
    for md in BOOK.glob("*.md"):
        for term in re.findall(r"\{term\}`([^`<]+?)(?:\s*<[^`]+>)?`", md.read_text("utf-8")):
            used.add(term.strip().lower())
        for term in re.findall(r"\{term\}`[^`<]*<([^>]+)>`", md.read_text("utf-8")):
            used.add(term.strip().lower())
    terms = _glossary_terms()
    assert len(terms) >= 10
    unused = [t for t in terms if t.lower() not in used]
    assert unused == [], f"glossary terms no chapter links to: {unused}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_reading_level_is_grade_ten_or_below(chapter):
    prose = chapter_prose((BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    assert len(prose.split()) >= 600, f"{chapter}: only {len(prose.split())} words of prose"
    grade = reading_grade(prose)
    assert grade <= 10.0, f"{chapter}: Flesch-Kincaid grade {grade:.1f}"


def _exercise_text(chapter: str) -> str:
    data = yaml.safe_load((BOOK / chapter / "exercises.yml").read_text(encoding="utf-8"))
    parts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return "\n".join(parts)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_sentence_is_copied_from_the_sources(chapter):
    if not SEEDS.is_dir():
        pytest.skip(f"the source articles are not beside the project ({SEEDS})")
    prose = chapter_prose((BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    runs = shared_runs(prose) + shared_runs(_exercise_text(chapter))
    assert runs == [], f"{chapter} shares these runs of 12+ words with a source: {runs[:3]}"


def test_the_originality_check_catches_a_copied_sentence():
    if not SEEDS.is_dir():
        pytest.skip(f"the source articles are not beside the project ({SEEDS})")
    seed = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    copied = " ".join(seed.split()[40:60])
    assert shared_runs(f"Our own words first. {copied} And more of ours.")
    assert shared_runs(f'As the article put it, "{copied}", and we agree.') == []


def test_instructor_guide_maps_every_chapter_to_objectives_checks_and_assignments(built_site):
    table = article(built_site, "book/instructor_guide.html").select_one("table.smx-outcome-map")
    assert table is not None
    rows = table.select("tbody tr")
    assert len(rows) == len(CHAPTERS)
    for row in rows:
        objectives, checks, graded = row.select("td")
        assert len(objectives.select("li")) >= 2
        assert checks.select("li")
        assert graded.select("li")
    text = table.get_text(" ", strip=True)
    assert "Assignment: Positioning statements" in text and "Assignment: Fix the posts" in text

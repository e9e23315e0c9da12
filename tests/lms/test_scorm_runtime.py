"""The SCORM packages of the real book, run under a real SCORM run-time in headless Chromium.

A stand-in LMS page (tests/support/scorm_harness/harness.html) hosts scorm-again's SCORM 1.2 or
2004 API object, as an LMS player does, and opens the unzipped package, served over HTTP under
a sub-path,
in a frame. The tests answer exercises, move between pages, close the course and launch it again
with the data the run-time kept (on another "device": a fresh browser profile), and assert what
the run-time holds. They also validate both manifests, prove every packaged file is used, and
check the package still behaves as the plain site outside an LMS.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect
from support.scorm_harness.support import (
    launch_config,
    make_lms,
    structural_problems,
    unzip,
    validate_with_schemas,
)
from support.site_driver import (
    READ_TO_THE_END,
    all_exercises,
    answer_multiple_choice,
    exercise,
    feedback,
)

import lms.package as scorm
from coursebook.settings import load_course_config

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
CONTENT = "lms/content/{id}/{suffix}/"  # where the stand-in LMS keeps an unpacked package


@pytest.fixture(scope="module")
def lms(built_site, tmp_path_factory, serve_directory):
    config = load_course_config(ROOT)
    out = tmp_path_factory.mktemp("scorm-zips")
    written = {item.path.name: item for item in scorm.package_all(built_site, out, ROOT)}
    webroot = tmp_path_factory.mktemp("lms-webroot")
    make_lms(webroot)
    dirs = {}
    for version, spec in scorm.SCORM_VERSIONS.items():
        archive = out / f"{config.id}-{spec['suffix']}.zip"
        dirs[version] = unzip(
            archive, webroot / CONTENT.format(id=config.id, suffix=spec["suffix"])
        )
    dirs["website"] = unzip(out / f"{config.id}-website.zip", webroot / "hosted" / config.id)
    base = serve_directory(webroot)
    return SimpleNamespace(
        base=base,
        config=config,
        zips={name: item.path for name, item in written.items()},
        written=written,
        dirs=dirs,
        settings=launch_config(dirs["1.2"]),
        url={
            version: base + CONTENT.format(id=config.id, suffix=spec["suffix"])
            for version, spec in scorm.SCORM_VERSIONS.items()
        },
        webroot=webroot,
    )


# ---------------------------------------------------------------- the course's exercises


def manifest(lms) -> dict:
    text = (lms.dirs["1.2"] / "_static" / "course-manifest.js").read_text(encoding="utf-8")
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def graded_total(lms) -> int:
    return sum(sum(1 for g in c["graded"] if g) for c in manifest(lms)["chapters"])


def graded_multiple_choice(lms, page: str) -> tuple[str, dict]:
    specs = all_exercises()
    chapter = next(c for c in manifest(lms)["chapters"] if c["page"] == page)
    for key, graded in zip(chapter["exercises"], chapter["graded"], strict=True):
        if graded and specs[key]["type"] == "multiple_choice":
            return key, specs[key]
    raise AssertionError(f"no graded multiple-choice exercise on {page}")


# ---------------------------------------------------------------- driving the stand-in LMS


class Session:
    """One browser profile (a learner's device) in front of the stand-in LMS."""

    def __init__(self, browser, lms, version: str):
        self.lms = lms
        self.version = version
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.closed = False
        self.page.on(
            "response",
            lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )

    def launch(self, data: dict, refuse: list[str] | None = None) -> None:
        self.page.goto(self.lms.base + "lms/harness.html")
        url = self.lms.url[self.version] + "index.html"
        self.page.evaluate(
            "([v, u, d, x]) => harnessLaunch(v, u, d, x)", [self.version, url, data, refuse or []]
        )
        self.wait_for_book()

    @property
    def book(self):
        return self.page.frame_locator("#sco").frame_locator("#smx-book")

    def sco_frame(self):
        return self.page.query_selector("#sco").content_frame()

    def book_frame(self):
        return self.sco_frame().query_selector("#smx-book").content_frame()

    def wait_for_book(self) -> None:
        self.book.locator("html[data-smx-ready]").wait_for(state="attached")

    def open(self, page_name: str) -> None:
        """Follow a link to another page, as the learner does, by its address."""
        self.book_frame().goto(self.lms.url[self.version] + f"{page_name}.html")
        self.wait_for_book()

    def result(self) -> dict:
        return self.page.evaluate("harnessResult()")

    def wait_until(self, condition: str, timeout: float = 10000) -> dict:
        """Wait until ``condition`` (JS over `r`, the harness result) holds; returns the result."""
        self.page.wait_for_function(
            f"() => {{ const r = harnessResult(); return {condition}; }}", timeout=timeout
        )
        return self.result()

    def close(self) -> dict:
        """Leave the course (the LMS removes its frame); the launch page must finish."""
        finish = "LMSFinish" if self.version == "1.2" else "Terminate"
        self.state = self.sco_frame().evaluate("SmxLms.state()")
        self.page.evaluate("harnessClose()")
        if not self.state["started"]:
            self.page.wait_for_function("() => !document.querySelector('#sco')")
            return self.result()
        return self.wait_until(f"r.calls.{finish} >= 1")

    def end(self) -> None:
        if not self.closed:
            self.closed = True
            self.context.close()


def values(version: str, cmi: dict) -> dict:
    """The values the tests look at, with the same names for both versions."""
    if version == "1.2":
        core = cmi["core"]
        return {
            "status": core["lesson_status"],
            "location": core["lesson_location"],
            "raw": core["score"]["raw"],
            "min": core["score"]["min"],
            "max": core["score"]["max"],
            "exit": core["exit"],
            "session_time": core["session_time"],
            "suspend": cmi["suspend_data"],
        }
    return {
        "status": (cmi["completion_status"], cmi["success_status"]),
        "location": cmi["location"],
        "raw": cmi["score"]["raw"],
        "min": cmi["score"]["min"],
        "max": cmi["score"]["max"],
        "scaled": cmi["score"]["scaled"],
        "progress": cmi["progress_measure"],
        "exit": cmi["exit"],
        "session_time": cmi["session_time"],
        "suspend": cmi["suspend_data"],
    }


@pytest.fixture
def new_session(browser, lms):
    """Make sessions; each one's browser profile is closed when the test ends, pass or fail."""
    made: list[Session] = []

    def make(version: str) -> Session:
        made.append(Session(browser, lms, version))
        return made[-1]

    yield make
    for session in made:
        session.end()


LEARNER = {"id": "learner-1", "name": "Okafor, Ada"}


def first_launch(version: str, learner: dict = LEARNER, mastery: str | None = None) -> dict:
    """What an LMS hands a SCO on the learner's first launch (1.2 mastery from the manifest)."""
    if version == "1.2":
        return {
            "core": {
                "student_id": learner["id"],
                "student_name": learner["name"],
                "entry": "ab-initio",
                "lesson_status": "not attempted",
            },
            "student_data": {"mastery_score": mastery or "80"},
        }
    data = {"learner_id": learner["id"], "learner_name": learner["name"], "entry": "ab-initio"}
    if mastery:
        data["scaled_passing_score"] = mastery
    return data


def next_launch(version: str, cmi: dict, mastery: str | None = None) -> dict:
    """What an LMS keeps from a session and hands back on the next launch of the attempt."""
    if version == "1.2":
        core = cmi["core"]
        return {
            "core": {
                "student_id": core["student_id"],
                "student_name": core["student_name"],
                "lesson_location": core["lesson_location"],
                "lesson_status": core["lesson_status"],
                "entry": "resume" if core["exit"] == "suspend" else "",
                "score": core["score"],
            },
            "suspend_data": cmi["suspend_data"],
            "student_data": {"mastery_score": mastery or cmi["student_data"]["mastery_score"]},
        }
    data = {
        key: cmi[key]
        for key in (
            "learner_id",
            "learner_name",
            "location",
            "completion_status",
            "success_status",
            "progress_measure",
            "suspend_data",
            "score",
        )
    }
    data["entry"] = "resume" if cmi["exit"] == "suspend" else ""
    if mastery:
        data["scaled_passing_score"] = mastery
    return data


def assert_clean(session: Session, result: dict) -> None:
    assert result["lastError"] == "0"
    assert [s for s in result["set"] if s[2] != 0 and s[2] != "0"] == [], "a SetValue failed"
    assert session.state["errors"] == []
    assert session.state["calls"]["init"] == 1
    foreign = [
        u for u in session.requests if urlparse(u).netloc != urlparse(session.lms.base).netloc
    ]
    assert [u for u in foreign if not u.startswith(("blob:", "data:"))] == [], "left the machine"
    assert session.problems == []


def calls(version: str, result: dict) -> tuple[int, int]:
    init, finish = (
        ("LMSInitialize", "LMSFinish") if version == "1.2" else ("Initialize", "Terminate")
    )
    return result["calls"][init], result["calls"][finish]


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_real_packages_pass_schema_and_structural_checks(lms, version):
    assert validate_with_schemas(lms.dirs[version]) == {
        "valid": True,
        "version": version,
        "errors": [],
    }
    course = {
        "id": lms.config.id,
        "title": lms.config.title,
        "mastery_score": lms.config.mastery_score,
    }
    archive = lms.zips[f"{lms.config.id}-{scorm.SCORM_VERSIONS[version]['suffix']}.zip"]
    assert structural_problems(archive, version, course) == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_progress_score_and_bookmark_across_attempts(new_session, lms, version):
    start, second = lms.settings["pages"][0], lms.settings["pages"][1]
    right_key, right_spec = graded_multiple_choice(lms, start)
    wrong_key, wrong_spec = graded_multiple_choice(lms, second)
    total = graded_total(lms)
    percent = round(100 / total, 2) if version == "2004" else round(100 / total)

    # First session: answer one self-check right, move on, answer one wrong, close.
    one = new_session(version)
    one.launch(first_launch(version))
    r = one.wait_until("!!r.cmi && JSON.stringify(r.cmi).includes('incomplete')")
    v = values(version, r["cmi"])
    assert v["location"] == start
    assert v["status"] == ("incomplete" if version == "1.2" else ("incomplete", "unknown"))
    assert v["raw"] == ""  # no score before any graded answer
    answer_multiple_choice(exercise(one.book, right_key), right_spec, right=True)
    one.book.locator("a.right-next").click()
    one.book.locator(f'html[data-smx-ready] meta[name="smx-page"][content="{second}"]').wait_for(
        state="attached"
    )
    answer_multiple_choice(exercise(one.book, wrong_key), wrong_spec, right=False)
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    one.wait_until(f"r.set.some(s => s[0] === '{location}' && s[1] === '{second}')")
    one.wait_until(
        f"Number(r.set.filter(s => s[0].endsWith('score.raw')).pop()?.[1]) === {percent}"
    )
    summary = one.book_frame().evaluate("CourseProgress.summary()")
    assert summary["score"] == pytest.approx(1 / total)
    r = one.close()
    assert calls(version, r) == (1, 1)
    v = values(version, r["cmi"])
    assert v["location"] == second
    assert float(v["raw"]) == percent and v["min"] == "0" and v["max"] == "100"
    assert v["exit"] == "suspend" and v["session_time"] not in ("", "PT0S", "00:00:00")
    if version == "2004":
        assert float(v["scaled"]) == pytest.approx(round(1 / total, 4))
        assert v["status"] == ("incomplete", "unknown")
        assert 0 < float(v["progress"]) < 1
    else:
        assert v["status"] == "incomplete"
    assert_clean(one, r)

    # Second session, on another device: it reopens at the bookmark with the answers restored.
    two = new_session(version)
    two.launch(next_launch(version, r["cmi"]))
    assert two.book_frame().url.endswith(f"{second}.html")
    expect(feedback(exercise(two.book, wrong_key))).to_contain_text("Not yet.")
    two.open(start)
    expect(feedback(exercise(two.book, right_key))).to_contain_text("Correct.")
    required = lms.settings["requiredPages"]
    for page_name in required[2:]:
        two.open(page_name)
    verdict = "failed"  # 1 of `total` answered correctly is below the 80 % mastery score
    expected = verdict if version == "1.2" else ("completed", verdict)
    r = two.wait_until(f"JSON.stringify(r.cmi).includes('\"{verdict}\"')")
    r = two.close()
    assert calls(version, r) == (1, 1)
    v = values(version, r["cmi"])
    assert v["status"] == expected
    assert float(v["raw"]) == percent
    assert v["location"] == required[-1]
    if version == "2004":
        assert v["progress"] == "1"
    assert_clean(two, r)

    # Third session, same device; the LMS now sets its own, lower mastery score: passed.
    # Half the learner's score: below it however many graded self-checks the book has.
    mastery = f"{50 / total:.2f}" if version == "1.2" else f"{0.5 / total:.4f}"
    two.launch(next_launch(version, r["cmi"], mastery=mastery))
    assert two.book_frame().url.endswith(f"{required[-1]}.html")
    r = two.wait_until("JSON.stringify(r.cmi).includes('\"passed\"')")
    r = two.close()
    assert calls(version, r) == (1, 1)
    v = values(version, r["cmi"])
    assert v["status"] == ("passed" if version == "1.2" else ("completed", "passed"))
    assert_clean(two, r)


def test_another_learner_on_the_same_browser_starts_afresh(new_session, lms):
    version = "2004"
    start = lms.settings["pages"][0]
    key, spec = graded_multiple_choice(lms, start)
    session = new_session(version)
    session.launch(first_launch(version))
    answer_multiple_choice(exercise(session.book, key), spec, right=True)
    session.wait_until("r.set.some(s => s[0] === 'cmi.score.raw')")
    session.close()
    other = {"id": "learner-2", "name": "Berg, Bo"}
    session.launch(first_launch(version, other))
    section = exercise(session.book, key)
    expect(section.get_by_role("button", name="Check answer")).to_be_visible()
    expect(feedback(section)).not_to_contain_text("Correct.")
    r = session.close()
    assert values(version, r["cmi"])["raw"] == ""
    assert '"e":{}' in r["cmi"]["suspend_data"]


def test_an_lms_that_refuses_an_optional_element(new_session, lms):
    """Some LMSs do not implement cmi.progress_measure: the course tries a few times, then stops."""
    session = new_session("2004")
    session.launch(first_launch("2004"), refuse=["cmi.progress_measure"])
    for page_name in lms.settings["requiredPages"][1:6]:
        session.open(page_name)
    r = session.wait_until(f"r.cmi.location === '{lms.settings['requiredPages'][5]}'")
    assert r["refused"] == {"cmi.progress_measure": 3}
    assert r["cmi"]["completion_status"] == "incomplete"
    r = session.close()
    assert calls("2004", r) == (1, 1)
    assert [e["element"] for e in session.state["errors"]] == ["cmi.progress_measure"] * 3


def test_course_opened_in_a_new_window_finds_the_api_through_the_opener(new_session, lms):
    session = new_session("2004")
    session.page.goto(lms.base + "lms/harness.html")
    url = lms.url["2004"] + "index.html"
    with session.page.expect_popup() as opened:
        session.page.evaluate(
            "([v, u, d]) => harnessPopup(v, u, d)", ["2004", url, first_launch("2004")]
        )
    window = opened.value
    book = window.frame_locator("#smx-book")
    book.locator("html[data-smx-ready]").wait_for(state="attached")
    key, spec = graded_multiple_choice(lms, lms.settings["start"])
    answer_multiple_choice(exercise(book, key), spec, right=True)
    session.wait_until("r.cmi.score.raw !== ''")
    window.close(run_before_unload=False)
    r = session.wait_until("r.calls.Terminate >= 1")
    assert calls("2004", r) == (1, 1)
    assert r["cmi"]["exit"] == "suspend" and r["cmi"]["location"] == lms.settings["start"]


def test_an_lms_that_refuses_the_session_still_shows_the_course(new_session, lms):
    session = new_session("1.2")
    session.launch(first_launch("1.2"), refuse=["call:LMSInitialize"])
    notice = session.page.frame_locator("#sco").locator("#smx-lms-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("will not see your progress")
    key, spec = graded_multiple_choice(lms, lms.settings["start"])
    answer_multiple_choice(exercise(session.book, key), spec, right=True)
    r = session.close()  # closing must not try to finish a session that never started
    assert r["refused"] == {"call:LMSInitialize": 1}
    assert r["calls"]["LMSFinish"] == 0 and r["calls"]["LMSCommit"] == 0
    assert session.state["started"] is False and session.state["calls"]["finish"] == 0


def test_tracking_still_works_when_the_browser_blocks_storage(new_session, lms):
    """Private modes and some LMS frames refuse localStorage: the LMS still hears the score."""
    version = "1.2"
    start = lms.settings["pages"][0]
    key, spec = graded_multiple_choice(lms, start)
    session = new_session(version)
    session.context.add_init_script(
        """Object.defineProperty(window, 'localStorage', {get() {
             throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
    )
    session.launch(first_launch(version))
    answer_multiple_choice(exercise(session.book, key), spec, right=True)
    expected = str(round(100 / graded_total(lms)))
    r = session.wait_until(f"r.cmi.core.score.raw === '{expected}'")
    assert json.loads(r["cmi"]["suspend_data"])["e"]
    r = session.close()
    assert calls(version, r) == (1, 1)


def test_suspend_data_fits_the_scorm_limits(new_session, lms):
    """Every exercise answered, with long answers: 1.2's 4096 characters still hold every result."""
    session = new_session("1.2")
    session.launch(first_launch("1.2"))
    out = session.sco_frame().evaluate(
        """() => {
            const keys = COURSE_MANIFEST.chapters.flatMap((c) => c.exercises);
            const records = {};
            keys.forEach((k, i) => { records[k] = {completed: true, correct: i % 3 !== 0,
              attempts: 3, updated: Date.now() - i * 1000, score: i % 3 ? 1 : 0.5,
              answer: Array.from({length: 12}, (_, j) => 'option-' + j)}; });
            const visits = {};
            COURSE_MANIFEST.chapters.forEach((c) => { visits[c.page] = true; });
            const state = {records, visits};
            const small = SmxLms.encodeSuspend(state, 4096);
            const large = SmxLms.encodeSuspend(state, 64000);
            return {keys, small, large, back: SmxLms.decodeSuspend(small),
                    backLarge: SmxLms.decodeSuspend(large)};
        }"""
    )
    assert len(out["small"]) <= 4096
    assert len(out["large"]) <= 64000
    assert set(out["back"]["records"]) == set(out["keys"])
    assert len(out["back"]["visits"]) == len(manifest(lms)["chapters"])
    for i, key in enumerate(out["keys"]):
        record = out["back"]["records"][key]
        assert record["completed"] is True and record["correct"] is (i % 3 != 0), key
        assert out["backLarge"]["records"][key]["answer"] == [f"option-{j}" for j in range(12)]
        assert out["backLarge"]["records"][key]["score"] == (1 if i % 3 else 0.5)
    session.close()


def test_outside_an_lms_the_package_is_the_plain_site(page, lms):
    start = lms.settings["start"]
    key, spec = graded_multiple_choice(lms, start)
    page.goto(lms.url["2004"] + "index.html")
    page.wait_for_url(re.compile(re.escape(f"{start}.html") + "$"))
    page.wait_for_function("document.documentElement.hasAttribute('data-smx-ready')")
    assert page.evaluate("typeof window.SmxLms") == "undefined"
    answer_multiple_choice(exercise(page, key), spec, right=True)
    assert page.problems == []


def test_inside_an_lms_the_book_cannot_clear_recorded_progress(new_session, lms):
    """Clearing answers in the book would lower the score the LMS holds: the button is gone."""
    session = new_session("2004")
    session.launch(first_launch("2004"))
    session.open("book/progress")
    note = session.book.locator(".smx-progress-note")
    note.wait_for()
    assert "Your learning system keeps this progress" in note.inner_text()
    assert session.book.get_by_role("button", name="Clear my progress in this browser").count() == 0
    result = session.close()
    assert_clean(session, result)


def test_launch_page_in_a_frame_from_another_origin(browser, lms, tmp_path, serve_directory):
    """An LMS page from another origin with no SCORM API: the walk up the frames must not fail."""
    host = tmp_path / "other"
    host.mkdir()
    (host / "index.html").write_text(
        f'<!doctype html><title>Portal</title><iframe title="Course" width="1200" height="800" '
        f'src="{lms.url["1.2"]}index.html"></iframe>',
        encoding="utf-8",
    )
    portal = serve_directory(host).replace("127.0.0.1", "localhost")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(f"{e}\n{e.stack}"))
        page.goto(portal + "index.html")
        frame = page.frame_locator("iframe")
        frame.locator("html[data-smx-ready]").wait_for(state="attached")
        assert page.frames[1].url == f"{lms.url['1.2']}{lms.settings['start']}.html"
        key, spec = graded_multiple_choice(lms, lms.settings["start"])
        answer_multiple_choice(exercise(frame, key), spec, right=True)
        # Only the course's own scripts are judged here: when the browser denies storage to
        # frames from another site, the theme's script fails to read its colour mode (a known
        # problem of the plain site too, see test_site.py).
        assert [e for e in errors if "/_scorm/" in e or "course.js" in e] == []
    finally:
        context.close()


# ---------------------------------------------------------------- every packaged file is used

# Files a package holds that no page load requests, and why each is there.
NOT_REQUESTED = {
    r"imsmanifest\.xml": "the package's manifest: the LMS reads it when the package is uploaded",
    r"[^/]+\.(xsd|dtd)": "the schema files the manifest names: read by the LMS's import, if at all",
    r"_sources/.+\.md": "the theme's 'Download source' button links each page's source",
    r"_downloads/.+": "files a page offers for download (the assignments' notebooks)",
    r".+\.LICENSE\.txt": "licence notices of bundled scripts (their first line points here)",
    r"_static/favicon\.svg": "the tab icon: fetched for a page in its own tab, not in a frame",
    r"_static/scripts/bootstrap\.js": "the menu script: course.js loads it when a learner first "
    "reaches the download menu (coursebook/page_weight.py)",
    r"_images/[^/]+\.phone\.svg": "a diagram's phone layout: only a narrow screen asks for it "
    "(coursebook/diagrams.py)",
}


def test_every_packaged_file_is_requested_by_the_site(new_session, lms):
    """Open every page of a package in Chromium and compare what it asks for with the zip."""
    version = "1.2"
    session = new_session(version)
    session.launch(first_launch(version))
    root = lms.url[version]
    with zipfile.ZipFile(lms.zips[f"{lms.config.id}-scorm12.zip"]) as zf:
        packaged = {n for n in zf.namelist() if not n.endswith("/")}
    pages = sorted(n for n in packaged if n.endswith(".html") and n != "index.html")
    for name in pages:
        session.book_frame().goto(root + name)
        session.book_frame().wait_for_load_state("load")
        # Read to the end, as a learner does: exercises load their checker when reached.
        session.book_frame().evaluate(READ_TO_THE_END)
        session.book_frame().wait_for_load_state("networkidle")
    # Search: type a word and let the results (and their summaries) load.
    session.book_frame().goto(root + "search.html?q=privacy")
    session.book.locator("#search-results li").first.wait_for(timeout=20000)
    session.close()
    requested = {
        unquote(urlparse(u).path).removeprefix(urlparse(root).path)
        for u in session.requests
        if u.startswith(root)
    }
    assert session.problems == []
    assert requested - packaged == set(), "requested but not in the package"
    unrequested = packaged - requested
    unexplained = {n for n in unrequested if not any(re.fullmatch(p, n) for p in NOT_REQUESTED)}
    assert unexplained == set(), "packaged but never requested"
    # Each allowance is used, so the list stays honest (downloads come and go with the book).
    for pattern in NOT_REQUESTED:
        if pattern.startswith("_downloads"):
            continue
        assert any(re.fullmatch(pattern, n) for n in unrequested), pattern
    # The download links that the sources and downloads are kept for exist.
    linked = set()
    for name in pages:
        text = (lms.dirs[version] / name).read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"#?:]+)"', text):
            linked.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), href)))
    downloads = {n for n in unrequested if n.startswith(("_sources/", "_downloads/"))}
    assert downloads <= linked, "kept for a download link that no page has"


def test_the_website_zip_is_the_same_site_without_the_lms_parts(lms):
    with zipfile.ZipFile(lms.zips[f"{lms.config.id}-website.zip"]) as zf:
        website = {n for n in zf.namelist() if not n.endswith("/")}
    with zipfile.ZipFile(lms.zips[f"{lms.config.id}-scorm12.zip"]) as zf:
        package = {n for n in zf.namelist() if not n.endswith("/")}
    lms_only = {
        n for n in package if re.fullmatch(r"imsmanifest\.xml|[^/]+\.(xsd|dtd)|_scorm/.*", n)
    }
    assert website == package - lms_only
    redirect = (lms.dirs["website"] / "index.html").read_text(encoding="utf-8")
    assert f"url={lms.settings['start']}.html" in redirect


def test_package_sizes(lms, capsys):
    """Print the sizes for the README (and fail if a package grows past 5 MB zipped)."""
    with capsys.disabled():
        for name, item in sorted(lms.written.items()):
            print(
                f"\n{name}: {item.size} bytes zipped, {item.files} files, {item.unpacked} unpacked"
            )
    for item in lms.written.values():
        assert item.size < 5_000_000


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_presence_plan_follows_the_learner_to_another_device(new_session, lms, version):
    """The capstone reads the learner's answers from the progress the LMS restores, and its own
    fields travel in the suspend data too."""
    from support.site_driver import GOOD_STATEMENTS, build_statements

    key = "positioning_statements/build-your-statements"
    role, field, audience = GOOD_STATEMENTS["professional"]
    statement = f"I am a {role} in {field} for {audience}."
    habit = "Thursdays: two congratulations and one shared article."
    one = new_session(version)
    one.launch(first_launch(version))
    one.open("book/positioning_statements")
    build_statements(exercise(one.book, key), all_exercises()[key], right=True)
    one.open("book/my_presence_plan")
    plan = exercise(one.book, "my_presence_plan/my-plan")
    expect(plan.get_by_label("My professional statement")).to_have_value(statement)
    plan.locator('[data-part="weekly-habit"] textarea').fill(habit)
    expect(plan.locator(".smx-plan-status")).to_contain_text("Saved in this browser")
    one.wait_until(f"JSON.stringify(r.cmi).includes('{habit}')")
    r = one.close()
    assert_clean(one, r)

    two = new_session(version)  # another device: nothing in its browser storage
    two.launch(next_launch(version, r["cmi"]))
    two.open("book/my_presence_plan")
    plan = exercise(two.book, "my_presence_plan/my-plan")
    expect(plan.get_by_label("My professional statement")).to_have_value(statement)
    expect(plan.locator('[data-part="weekly-habit"] textarea')).to_have_value(habit)
    r = two.close()
    assert_clean(two, r)

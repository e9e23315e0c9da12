"""The instructor pages are true: every command they show exists and takes the options shown.

Each ``make ...`` command in ``book/instructor_*.md`` is dry-run (``make -n``: the Makefile
checks its variables and prints what it would run), each ``python -m`` module is found, and
each ``nbgrader`` sub-command is one nbgrader has. What the commands do is tested by running
the same tools in ``test_nbgrader_pipeline.py``.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT, venv_env

PAGES = sorted((ROOT / "book").glob("instructor_*.md"))
_INLINE = re.compile(r"`((?:make|python -m|nbgrader) [^`]+)`")


def commands() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for command in _INLINE.findall(page.read_text(encoding="utf-8")):
            found.append((page.name, command))
    return sorted(set(found))


# What a bare mention in the prose ("`make autograde` grades one notebook at a time") stands for.
_BARE = {
    **{
        target: ["ASSIGNMENT=fix_the_posts"]
        for target in (
            "release",
            "release-exchange",
            "collect",
            "zip-collect",
            "autograde",
            "feedback",
            "release-feedback",
            "report",
        )
    },
    "class-list": ["FILE=students.csv"],
}


def _expand(command: str) -> list[list[str]]:
    """The command lines a shown command stands for (``...`` and ``a|b`` filled in)."""
    command = command.replace("ASSIGNMENT=...", "ASSIGNMENT=fix_the_posts")
    words = shlex.split(command)
    if len(words) > 1 and "|" in words[1]:
        return [[words[0], target, *words[2:]] for target in words[1].split("|")]
    if words[0] == "make" and len(words) == 2 and words[1] in _BARE:
        return [[*words, *_BARE[words[1]]]]
    return [words]


def test_the_pages_show_commands():
    assert len(commands()) >= 30


@pytest.mark.parametrize(("page", "command"), commands())
def test_every_command_on_the_instructor_pages_exists(page, command):
    for words in _expand(command):
        if words[0] == "make":
            done = subprocess.run(
                ["make", "-n", *words[1:]],
                cwd=ROOT,
                env=venv_env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, f"{page}: `{command}`: {done.stderr[-800:]}"
            assert "No rule to make target" not in done.stderr
        elif words[:2] == ["python", "-m"]:
            assert importlib.util.find_spec(words[2]) is not None, f"{page}: {words[2]}"
        elif words[0] == "nbgrader":
            nbgrader = Path(sys.executable).parent / "nbgrader"
            done = subprocess.run(
                [str(nbgrader), words[1], "--help"],
                env=venv_env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, f"{page}: `{command}`: {done.stderr[-800:]}"


def test_a_make_target_without_its_options_says_what_is_missing():
    for words, expected in (
        (["zip-collect"], "Say which assignment"),
        (["due-date", "ASSIGNMENT=fix_the_posts"], "Say when"),
        (["class-list"], "Say which file"),
        (["feedback-bundle", "ASSIGNMENT=fix_the_posts"], "Say which LMS"),
    ):
        done = subprocess.run(
            ["make", "-n", *words], cwd=ROOT, env=venv_env(), capture_output=True, text=True
        )
        assert done.returncode != 0 and expected in done.stderr, (words, done.stderr)

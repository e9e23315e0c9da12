"""The command lines: Python and Node print the same bytes, and bad input fails cleanly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.judge.export_rules import DEFAULT_OUTPUT, export
from autograder.judge.node import node_path

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "autograder" / "js"


@pytest.fixture(scope="module")
def node() -> str:
    path = node_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed")
        pytest.skip("node is not installed")
    export(DEFAULT_OUTPUT)  # the Node command lines read autograder/judge/js/rules.json
    return path


def run(cmd: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, input=stdin, capture_output=True, cwd=ROOT, timeout=60)


def py_review(*args: str, stdin: bytes | None = None):
    return run([sys.executable, "-m", "autograder.review", *args], stdin)


def js_review(node: str, *args: str, stdin: bytes | None = None):
    return run([node, str(JS / "review-cli.mjs"), *args], stdin)


def py_statement(*args: str, stdin: bytes | None = None):
    return run([sys.executable, "-m", "autograder.statement", *args], stdin)


def js_statement(node: str, *args: str, stdin: bytes | None = None):
    return run([node, str(JS / "statement-cli.mjs"), *args], stdin)


TEXTS = [
    "My boss is an idiot 🙄 f**k",
    "Huge thanks to @priya for the guide: https://example.org/guide",
    "Wasted at the keg party 🍻🍻, call me at 555-201-4477",
    'Quotes "inside", back\\slash, tab\tand new\nline, control \x01',
    "",
    "東京 👩🏽‍💻 Café",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("account", ["personal", "professional", "joint"])
def test_review_prints_the_same_bytes_in_both_languages(node, text, account):
    py = py_review("--account", account, text)
    js = js_review(node, f"--account={account}", text)
    assert py.returncode == js.returncode == 0, (py.stderr, js.stderr)
    assert py.stdout == js.stdout
    assert py.stdout.startswith(b'{"verdict": "') and py.stdout.endswith(b"}\n")


def test_text_can_come_on_stdin(node):
    data = b"Proud of my team!\n"
    py = py_review("--account", "professional", stdin=data)
    js = js_review(node, "--account", "professional", stdin=data)
    assert py.returncode == js.returncode == 0
    assert py.stdout == js.stdout
    assert py.stdout == py_review("--account", "professional", "Proud of my team!").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["I am a nurse in pediatrics for families."],
        ["i'm a ___ in stuff for"],
        [
            "--compare",
            "I am a nurse in pediatrics for kids",
            "I am a nurse in pediatrics for families",
        ],
        ["--post", "New pediatric nursing guide", "I am a nurse in pediatrics for families"],
        [""],
    ],
)
def test_statement_prints_the_same_bytes_in_both_languages(node, args):
    py, js = py_statement(*args), js_statement(node, *args)
    assert py.returncode == js.returncode == 0, (py.stderr, js.stderr)
    assert py.stdout == js.stdout


BAD_INPUT = [
    (["--account", "boss", "hi"], None, "unknown account"),
    (["hi"], None, "choose an account"),
    (["--account"], None, "needs a value"),
    (["--acount", "personal", "hi"], None, "unknown option"),
    (["--account", "personal", "two", "texts"], None, "one argument"),
    (["--account", "personal"], b"caf\xe9 \xff\xfe", "not valid UTF-8"),
    (["--account", "personal", "x" * 5001], None, "the limit is 5000"),
    (["--account", "personal"], ("é" * 5001).encode(), "the limit is 5000"),
]


@pytest.mark.parametrize(("args", "stdin", "needle"), BAD_INPUT)
def test_bad_input_gives_one_line_and_exit_code_2(node, args, stdin, needle):
    for result in (py_review(*args, stdin=stdin), js_review(node, *args, stdin=stdin)):
        assert result.returncode == 2
        assert result.stdout == b""
        err = result.stderr.decode()
        assert err.count("\n") == 1 and err.startswith("error: "), err
        assert needle in err and "Traceback" not in err
    assert py_review(*args, stdin=stdin).stderr == js_review(node, *args, stdin=stdin).stderr


def test_exactly_the_maximum_length_is_accepted(node):
    text = "🙂" * 5000
    assert py_review("--account", "joint", text).returncode == 0
    assert js_review(node, "--account", "joint", text).returncode == 0


def test_python_rejects_undecodable_argument_bytes():
    result = subprocess.run(
        [
            os.fsencode(sys.executable),
            b"-m",
            b"autograder.review",
            b"--account",
            b"personal",
            b"caf\xe9",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == b"error: the text is not valid UTF-8 (see --help)\n"


def test_statement_bad_input(node):
    for result in (
        py_statement("--compare", "a", "--post", "b", "c"),
        js_statement(node, "--compare", "a", "--post", "b", "c"),
    ):
        assert result.returncode == 2
        assert result.stderr == b"error: use --compare or --post, not both (see --help)\n"


def test_help_exits_0(node):
    for result in (py_review("--help"), js_review(node, "-h"), py_statement("-h")):
        assert result.returncode == 0
        assert result.stdout.startswith(b"usage:")


def test_node_says_how_to_make_a_missing_rules_json(node, tmp_path):
    for name in ("judge.mjs", "cli.mjs", "review-cli.mjs"):
        shutil.copy(JS.parent / "judge" / "js" / name, tmp_path / name)
    result = run([node, str(tmp_path / "review-cli.mjs"), "--account", "personal", "hi"])
    assert result.returncode == 1
    assert b"python -m autograder.judge.export_rules" in result.stderr
    assert b"Error" not in result.stderr and b"at " not in result.stderr

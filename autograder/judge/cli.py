"""Shared command-line handling for ``python -m autograder.review`` and ``autograder.statement``.

The Node command lines in ``autograder/judge/js/`` behave the same way: the same options, the same
one-line error messages on standard error, exit code 2 for bad input, and the same JSON on
standard output (``json.dumps(..., ensure_ascii=False)`` plus a newline, in UTF-8).

Text comes from the single positional argument, or from standard input when there is none
(one trailing newline is dropped). It must be valid UTF-8 and at most MAX_CHARS characters
(Unicode code points).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

MAX_CHARS = 5000
EXIT_OK, EXIT_RULES, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input: printed as one line, exit code 2."""


def parse(argv: list[str], options: tuple[str, ...]) -> tuple[dict[str, str], str | None]:
    """Split ``--name value`` / ``--name=value`` options from one positional text."""
    opts: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            positional.extend(argv[i + 1 :])
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            if name not in options:
                raise UsageError(f"unknown option --{name}")
            if not eq:
                if i + 1 >= len(argv):
                    raise UsageError(f"--{name} needs a value")
                i += 1
                value = argv[i]
            opts[name] = value
        else:
            positional.append(arg)
        i += 1
    if len(positional) > 1:
        raise UsageError("give the text as one argument in quotes, or on standard input")
    return opts, (positional[0] if positional else None)


def check_text(text: str, what: str = "text") -> str:
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise UsageError(f"the {what} is not valid UTF-8")
    if len(text) > MAX_CHARS:
        raise UsageError(f"the {what} is {len(text)} characters long; the limit is {MAX_CHARS}")
    return text


def read_text(positional: str | None) -> str:
    if positional is not None:
        return check_text(positional)
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the text on standard input is not valid UTF-8") from None
    if text.endswith("\n"):
        text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
    return check_text(text)


def emit(obj: Any) -> None:
    sys.stdout.buffer.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


def run(main: Callable[[list[str]], Any], usage: str, argv: list[str] | None = None) -> int:
    """Run ``main``; print its result as JSON, or one error line. Never a traceback."""
    from autograder.judge.rules import RulesError

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["-h"], ["--help"]):
        print(usage)
        return EXIT_OK
    try:
        emit(main(argv))
    except UsageError as exc:
        print(f"error: {exc} (see --help)", file=sys.stderr)
        return EXIT_USAGE
    except RulesError as exc:
        print(f"error: the rules file is broken: {exc}", file=sys.stderr)
        return EXIT_RULES
    except KeyboardInterrupt:
        return 130
    return EXIT_OK

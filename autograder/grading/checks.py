"""The checks the assignments' grading cells call, one function per criterion.

Each ``assert_*`` function passes silently or raises :class:`CheckNotPassed` (an
``AssertionError``) with a message a student can act on; nbgrader gives a test cell its points
when the cell raises nothing. The same functions run twice when a notebook is graded: in the
student's kernel, and again outside it on the answers exactly as typed (see
``nbgrader_plugins.VerifyOutsideKernel``), so a notebook that patches the judge or swaps an
answer for a look-alike object gains nothing.

Answers must be plain ``str`` objects: ``type(x) is str`` is checked, never ``isinstance``,
and the text is read with ``str`` methods called on the class, so an object that overrides
``__eq__``, ``strip`` or ``__len__`` cannot steer a check.
"""

from __future__ import annotations

import textwrap
from typing import Any

from autograder.judge.posts import Review, load_rules, review_post
from autograder.judge.purpose import check_purpose
from autograder.judge.rewrite import still_risky
from autograder.judge.statements import check_statement, compare_statements
from autograder.judge.tokens import tokenize

PLACEHOLDER = "YOUR ANSWER HERE"
# The same minimum the book's "fix the post" exercise applies (rules.yml, section purpose).
MIN_WORDS = load_rules().data["purpose"]["min_words"]
MAX_CHARACTERS = 1000
# In the instructor's source notebook the model answer sits between nbgrader's markers inside
# the quotes; the markers are not part of the answer.
_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
_VERDICT_WORDS = {
    "ok": "ok",
    "revise": "revise",
    "do_not_post": "do not post",
    "cannot_read": "cannot read this",
}
HUMAN_CHECK_ENAME = "NeedsHumanCheck"
WIDTH = 88  # notebook and feedback pages do not wrap long output lines


def wrap(message: str, width: int = WIDTH) -> str:
    """Wrap each line of a message; a continued list item lines up with its text."""
    lines = []
    for line in message.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- "):
            indent += 2
        lines.append(
            textwrap.fill(
                line,
                width,
                subsequent_indent=" " * indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if line.strip()
            else line
        )
    return "\n".join(lines)


class CheckNotPassed(AssertionError):
    """A check that does not pass yet; the message says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(wrap(message))

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error: the message alone, never a traceback.

        IPython (and so Jupyter, Colab and nbgrader's saved outputs) calls this hook instead of
        formatting the stack, so a student reads one plain explanation, not grading code.
        """
        return [f"Not yet: {self}"]


class NeedsHumanCheck(CheckNotPassed):
    """An answer the judge cannot read (mostly not in English): a person grades it instead.

    The nbgrader plugin ``MarkForHumanCheck`` turns this cell's grade into "needs manual grade"
    instead of an automatic 0 (its name is HUMAN_CHECK_ENAME)."""


def answer_text(value: object, label: str) -> str:
    """The answer as clean text, or an AssertionError that says what to fix."""
    __tracebackhide__ = True
    if type(value) is not str:
        raise CheckNotPassed(
            f"{label} must be plain text between the quote marks, like this:\n"
            f'    """\n    My text here\n    """\n'
            "Put the quote marks back as they were and type only your text between them."
        )
    lines = [line for line in str.split(value, "\n") if str.strip(line) not in _MARKERS]
    text = str.strip("\n".join(lines))
    if not text or text == PLACEHOLDER:
        raise CheckNotPassed(
            f"{label} is not written yet: replace YOUR ANSWER HERE with your own text, then "
            "run the cell."
        )
    if len(text) > MAX_CHARACTERS:
        raise CheckNotPassed(
            f"{label} is {len(text):,} characters long. Keep it under {MAX_CHARACTERS:,}: a "
            "post or a statement should be short."
        )
    return text


def count_words(text: str) -> int:
    """Words as the judge counts them (emoji, links and @mentions are not words)."""
    return sum(1 for token in tokenize(text) if token.kind == "w")


def _words(text: str) -> list[str]:
    return [token.norm for token in tokenize(text) if token.kind in ("w", "m")]


def flagged(text: str, review: Review, kinds: tuple[str, ...]) -> str:
    """The findings of these severities, one line each: the flagged words and the message."""
    lines = []
    for finding in review.findings:
        if finding.severity in kinds:
            lines.append(f'  - "{text[finding.start : finding.end]}": {finding.message}')
    return "\n".join(lines)


# ---------------------------------------------------------------- positioning statements


def assert_follows_template(statement: object, label: str) -> None:
    """The statement reads "I am a ROLE in FIELD for AUDIENCE" with specific parts."""
    __tracebackhide__ = True
    text = answer_text(statement, label)
    check = check_statement(text)
    if not check.ok:
        problems = "\n".join(f"  - {problem.message}" for problem in check.problems)
        raise CheckNotPassed(f"{label} does not follow the template yet:\n{problems}")


def assert_not_the_example(statement: object, label: str, example: str) -> None:
    """The statement is the student's own, not (nearly) the example given in the notebook."""
    __tracebackhide__ = True
    text = answer_text(statement, label)
    if compare_statements(text, example).problems:
        raise CheckNotPassed(
            f"{label} is the same as, or very close to, the example in the instructions. "
            "Write one about your own work and life."
        )


def assert_statements_differ(personal: object, professional: object) -> None:
    """The two statements are not the same or nearly the same sentence."""
    __tracebackhide__ = True
    personal_text = answer_text(personal, "Your personal statement")
    professional_text = answer_text(professional, "Your professional statement")
    comparison = compare_statements(personal_text, professional_text)
    if comparison.problems:
        raise CheckNotPassed(
            comparison.problems[0].message
            + f" (They share {comparison.similarity_percent}% of their words.)"
        )


def assert_different_audiences(personal: object, professional: object) -> None:
    """The two statements name different audiences."""
    __tracebackhide__ = True
    personal_check = check_statement(answer_text(personal, "Your personal statement"))
    professional_check = check_statement(answer_text(professional, "Your professional statement"))
    a, b = personal_check.audience, professional_check.audience
    if a is None or b is None:
        raise CheckNotPassed(
            'Both statements need an audience (the part after "for") before they can be compared.'
        )
    if compare_statements(a, b).problems:
        raise CheckNotPassed(
            "Your two statements are for the same audience. Your personal account and your "
            "professional account should speak to different people: change the audience of "
            "one of them."
        )


def assert_no_risk(statement: object, label: str, account: str) -> None:
    """The judge finds nothing at "risk" level in the statement on this account."""
    __tracebackhide__ = True
    text = answer_text(statement, label)
    review = review_post(text, account)
    risky = flagged(text, review, ("risk",))
    if risky:
        raise CheckNotPassed(
            f"The judge says {label.lower()} should not be posted on a {account} account:\n{risky}"
        )


# ---------------------------------------------------------------- fixing posts


def assert_real_post(rewrite: object, label: str) -> str:
    """Plain text of at least MIN_WORDS words; returns the text."""
    __tracebackhide__ = True
    text = answer_text(rewrite, f"{label}: your rewrite")
    words = count_words(text)
    if words < MIN_WORDS:
        raise CheckNotPassed(
            f"{label}: your rewrite has {words} word{'s' if words != 1 else ''}. Write a real "
            f"post of at least {MIN_WORDS} words."
        )
    return text


def assert_changed(rewrite: object, label: str, original: str) -> None:
    """The rewrite is not the original post with only spacing, case or punctuation changed."""
    __tracebackhide__ = True
    text = answer_text(rewrite, f"{label}: your rewrite")
    if _words(text) == _words(original):
        raise CheckNotPassed(
            f"{label}: your rewrite has the same words as the original post. Rewrite it."
        )


def assert_judged_ok(
    rewrite: object, label: str, account: str, original: str | None = None
) -> None:
    """A real post that the judge gives the verdict "ok" for its account; given the
    ``original``, also not still risky in softer words beside it (the same check as the book's
    widget: autograder.judge.rewrite.still_risky)."""
    __tracebackhide__ = True
    text = assert_real_post(rewrite, label)
    review = review_post(text, account)
    if review.verdict == "cannot_read":
        raise NeedsHumanCheck(
            f"{label}: the judge reads English only and cannot read this rewrite, so your "
            "instructor will check it by hand."
        )
    if review.verdict != "ok":
        raise CheckNotPassed(
            f'{label}: the judge says "{_VERDICT_WORDS[review.verdict]}" for a {account} '
            f"account. It flagged:\n{flagged(text, review, ('risk', 'warning'))}"
        )
    softer = still_risky(text, original) if original is not None else None
    if softer is not None and softer.flagged:
        raise CheckNotPassed(
            f"{label}: read beside the original post, your rewrite is still risky. The judge "
            f'flagged:\n  - "{text[softer.start : softer.end]}": {softer.message}'
        )


def assert_keeps_purpose(
    rewrite: object, label: str, purpose: dict[str, Any], original: str | None = None
) -> None:
    """The rewrite keeps the post's purpose: each of its parts, on the same topic, as a post
    (the same check as the book's widget: autograder.judge.purpose.check_purpose)."""
    __tracebackhide__ = True
    text = assert_real_post(rewrite, label)
    if review_post(text, "professional").verdict == "cannot_read":
        raise NeedsHumanCheck(
            f"{label}: the judge reads English only and cannot tell whether this rewrite keeps "
            "the post's purpose, so your instructor will check it by hand."
        )
    result = check_purpose(text, dict(purpose), original)
    if not result.kept:
        raise CheckNotPassed(f"{label}: {result.message}")

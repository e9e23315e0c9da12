"""``check_my_answers``: the check students run in an assignment notebook before they submit.

It prints what the course's judge says about their answers, in the words the book's widgets
use, and never raises for an unfinished answer. It shows only what the judge finds: it knows
nothing of the hidden tests (they live in the instructor's copy of the notebook) or of the
model answers, and it does not change a grade.
"""

from __future__ import annotations

from autograder.grading.checks import MIN_WORDS, answer_text, count_words, flagged, wrap
from autograder.judge.posts import Review, review_post
from autograder.judge.rewrite import still_risky
from autograder.judge.statements import check_statement, compare_statements

ACCOUNTS = ("personal", "professional", "joint")
_SEVERITY_WORDS = {
    "risk": "do not post",
    "warning": "revise",
    "info": "worth knowing",
}
_VERDICT_WORDS = {
    "ok": "ok",
    "revise": "revise",
    "do_not_post": "do not post",
    "cannot_read": "cannot read this (it reads English only; your instructor will check it)",
}


def check_my_answers(
    rewrite: object = None,
    *,
    account: str | None = None,
    original: str | None = None,
    professional: object = None,
    personal: object = None,
) -> None:
    """Show the judge's findings on your answers.

    ``check_my_answers(rewrite_1, account="personal")`` checks a rewritten post for its account;
    with ``original=`` (the post it rewrites) it also checks that it is not still risky in softer
    words.
    ``check_my_answers(professional=..., personal=...)`` checks positioning statements.
    """
    if rewrite is not None:
        if account not in ACCOUNTS:
            print(
                'Say which account the post is for: account="personal", "professional" or "joint".'
            )
            return
        print(wrap(_post_report(rewrite, account, original)))
        return
    if professional is None and personal is None:
        print(
            "Give the check your answers, for example:\n"
            '    check_my_answers(rewrite_1, account="personal")\n'
            "    check_my_answers(professional=professional_statement, "
            "personal=personal_statement)"
        )
        return
    print(wrap(_statements_report(professional, personal)))


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text)]


def _marked(text: str, review: Review) -> str:
    """The text with every word the judge flagged at warning or risk level in [brackets]."""
    spans = [(f.start, f.end) for f in review.findings if f.severity in ("risk", "warning")]
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # overlapping findings: keep the first bracket
            continue
        out += [text[position:start], "[", text[start:end], "]"]
        position = end
    out.append(text[position:])
    return "".join(out)


def _post_report(rewrite: object, account: str, original: str | None = None) -> str:
    lines = _heading(f"Your rewrite, checked for a {account} account")
    try:
        text = answer_text(rewrite, "Your rewrite")
    except AssertionError as problem:
        return "\n".join([*lines, f"To fix: {problem}"])
    words = count_words(text)
    if words >= MIN_WORDS:
        lines.append(f"Good: {words} words (at least {MIN_WORDS} are needed).")
    else:
        counted = "1 word" if words == 1 else f"{words} words"
        lines.append(f"To fix: {counted}. Write a real post of at least {MIN_WORDS} words.")
    review = review_post(text, account)
    verdict = _VERDICT_WORDS[review.verdict]
    softer = still_risky(text, original) if original and review.verdict == "ok" else None
    if softer is not None and softer.flagged:
        lines.append("To fix: read beside the original post, your rewrite is still risky.")
        lines.append(f'  - "{text[softer.start : softer.end]}": {softer.message}')
    elif review.verdict == "ok":
        lines.append('Good: the judge\'s verdict is "ok".')
    else:
        lines.append(f'To fix: the judge\'s verdict is "{verdict}". It must be "ok".')
        lines.append("Your text, with the words the judge flagged in [brackets]:")
        lines.append(f"    {_marked(text, review)}")
    lines += _findings_lines(text, review)
    lines.append(
        'Also check yourself: does your rewrite still do what "What the post is for" says? '
        "That is graded too."
    )
    return "\n".join(lines)


def _findings_lines(text: str, review: Review) -> list[str]:
    lines = []
    for kinds, title in ((("risk", "warning"), "What the judge found:"), (("info",), "Notes:")):
        found = [f for f in review.findings if f.severity in kinds]
        if not found:
            continue
        lines.append(title)
        for finding in found:
            words = text[finding.start : finding.end]
            lines.append(f'  - "{words}" ({_SEVERITY_WORDS[finding.severity]}): {finding.message}')
    return lines


def _statement_lines(statement: object, label: str, account: str) -> tuple[list[str], str | None]:
    lines = _heading(label)
    try:
        text = answer_text(statement, label)
    except AssertionError as problem:
        return [*lines, f"To fix: {problem}"], None
    check = check_statement(text)
    for part in ("role", "field", "audience"):
        value = check.parts[part]
        lines.append(f"  {part.capitalize()}: {value if value else '(missing)'}")
    if check.ok:
        lines.append('Good: it follows "I am a ROLE in FIELD for AUDIENCE".')
    else:
        lines.append("To fix:")
        lines += [f"  - {problem.message}" for problem in check.problems]
    review = review_post(text, account)
    risky = flagged(text, review, ("risk",))
    if risky:
        lines.append(f"To fix: the judge says this should not be posted on a {account} account:")
        lines.append(risky)
    else:
        lines.append(f"Good: the judge finds nothing risky in it for a {account} account.")
    return lines, text


def _statements_report(professional: object, personal: object) -> str:
    lines: list[str] = []
    texts = {}
    for value, label, account in (
        (professional, "Your professional statement", "professional"),
        (personal, "Your personal statement", "personal"),
    ):
        if value is None:
            continue
        part, texts[account] = _statement_lines(value, label, account)
        lines += [*part, ""]
    personal, professional = texts.get("personal"), texts.get("professional")
    if personal and professional:
        comparison = compare_statements(personal, professional)
        lines += _heading("Your two statements together")
        share = f"the two share {comparison.similarity_percent}% of their words."
        if comparison.problems:
            lines.append(f"To fix: {share} {comparison.problems[0].message}")
        else:
            lines.append(f"Good: {share[:-1]}, so they are different enough.")
    return "\n".join(lines).rstrip()

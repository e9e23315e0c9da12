"""A class report: one static, offline HTML page on how the class did on one assignment.

``make report ASSIGNMENT=...`` runs this in the course folder after autograding (and, for the
full picture, manual grading). It reads the gradebook and the graded notebooks and writes
``report-ASSIGNMENT.html``: the grade distribution, each check's pass rate, the posts and the
judge's findings the class struggled with most, late submissions, manual-grading progress and
the autograde time. Each chart is an inline SVG with a text alternative and the same numbers
in a table beside it; the page loads nothing from anywhere.

The judge's findings come from running the course's judge again on each answer exactly as typed
(read without running the notebook, as ``VerifyOutsideKernel`` does).
"""

from __future__ import annotations

import argparse
import html
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograder.grading.feedback import check_title
from autograder.grading.nbgrader_plugins import GRADING_SECONDS, typed_answers
from autograder.judge.posts import review_post

COURSE = Path(__file__).resolve().parent / "course"
POSTS = COURSE / "notebooks" / "fix_the_posts.yml"


@dataclass
class Check:
    name: str
    title: str
    passed: int = 0
    graded: int = 0

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


@dataclass
class ClassData:
    assignment: str
    max_score: float
    scores: dict[str, float] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    late: list[tuple[str, float, float]] = field(default_factory=list)  # student, hours, penalty
    manual_done: int = 0
    manual_total: int = 0
    waiting: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    post_trouble: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)  # autograding failed (see its log)


def _post_accounts() -> dict[str, str]:
    if not POSTS.is_file():
        return {}
    data = yaml.safe_load(POSTS.read_text(encoding="utf-8"))
    return {
        f"rewrite_{number}": exercise["post"]["account"]
        for number, exercise in enumerate(data["exercises"], start=1)
    }


def gather(course: Path, assignment: str, db_url: str) -> ClassData:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            record = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(
                f"{assignment} is not in the gradebook yet: run make autograde first."
            ) from None
        data = ClassData(assignment, float(record.max_score))
        checks: dict[str, Check] = {}
        for notebook in record.notebooks:
            sources = {cell.name: cell.source for cell in notebook.source_cells}
            for cell in notebook.grade_cells:
                if cell.cell_type == "code":
                    checks[cell.name] = Check(
                        cell.name, check_title(sources.get(cell.name, "")) or cell.name
                    )
        for submission in record.submissions:
            student = submission.student_id
            if not (course / "autograded" / student / assignment).is_dir():
                data.not_graded.append(student)
                continue
            penalty = float(submission.late_submission_penalty or 0)
            data.scores[student] = max(0.0, float(submission.score) - penalty)
            late_seconds = float(submission.total_seconds_late or 0)
            if late_seconds > 0:
                data.late.append((student, late_seconds / 3600, penalty))
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.name in checks:
                        check = checks[grade.name]
                        if grade.auto_score is not None:
                            check.graded += 1
                            check.passed += grade.auto_score >= grade.max_score
                    if grade.cell.cell_type == "markdown" or grade.needs_manual_grade:
                        data.manual_total += 1
                        if grade.needs_manual_grade:
                            data.waiting[grade.name] += 1
                        else:
                            data.manual_done += 1
        data.checks = sorted(checks.values(), key=lambda c: c.name)
    _read_notebooks(course, assignment, data)
    return data


def _read_notebooks(course: Path, assignment: str, data: ClassData) -> None:
    accounts = _post_accounts() if assignment == "fix_the_posts" else {}
    for path in sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        except Exception:  # a broken notebook is reported by autograde itself
            continue
        seconds = nb.metadata.get(GRADING_SECONDS)
        if isinstance(seconds, int | float):
            data.seconds.append(float(seconds))
        answers = typed_answers(nb.cells, set())
        for name, account in accounts.items():
            text = answers.get(name)
            if type(text) is not str or not text.strip():
                continue
            review = review_post(text, account)
            if review.verdict != "ok":
                data.post_trouble[name.replace("rewrite_", "Post ")] += 1
            for finding in review.findings:
                if finding.severity in ("risk", "warning"):
                    data.findings[finding.category.replace("_", " ")] += 1


# ---------------------------------------------------------------- drawing


def _unit(unit: str, value: float) -> str:
    """ " students" -> " student" for exactly one."""
    return unit[:-1] if value == 1 and unit.endswith("s") else unit


def bar_chart(title: str, rows: Sequence[tuple[str, float]], maximum: float, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG, with a text alternative listing every value."""
    if not rows:
        return f"<p>{html.escape(title)}: nothing to show yet.</p>"
    height = 28 * len(rows) + 10
    label_width = 300
    width = 640
    scale = (width - label_width - 70) / (maximum or 1)
    alt = f"{title}: " + "; ".join(
        f"{label} {value:g}{_unit(unit, value)}" for label, value in rows
    )
    parts = [
        f'<svg role="img" aria-labelledby="t-{id(rows)}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px">',
        f'<title id="t-{id(rows)}">{html.escape(alt)}</title>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 8 + 28 * i
        shown = label if len(label) <= 44 else label[:43] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{html.escape(shown)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{max(value * scale, 1):.1f}" height="20" '
            f'fill="#1f5f8b"></rect>'
            f'<text x="{label_width + value * scale + 6:.1f}" y="{y + 15}" font-size="13">'
            f"{value:g}{html.escape(_unit(unit, value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def distribution(scores: dict[str, float], maximum: float) -> list[tuple[str, float]]:
    bins: Counter[int] = Counter()
    for score in scores.values():
        share = score / maximum if maximum else 0
        bins[min(int(share * 5), 4)] += 1
    labels = ["0 to 19%", "20 to 39%", "40 to 59%", "60 to 79%", "80 to 100%"]
    return [(labels[i], float(bins[i])) for i in range(5)]


def render(data: ClassData) -> str:
    n = len(data.scores)
    mean = sum(data.scores.values()) / n if n else 0
    ordered = sorted(data.scores.values())
    median = ordered[n // 2] if n % 2 else (sum(ordered[n // 2 - 1 : n // 2 + 1]) / 2 if n else 0)
    # Charts name each check by its grade id ("Post 2 safe"); the table gives the full sentence.
    rates = [(c.label, round(100 * c.passed / c.graded)) for c in data.checks if c.graded]
    hardest = sorted(
        ((c.title, round(100 * c.passed / c.graded)) for c in data.checks if c.graded),
        key=lambda r: r[1],
    )[:5]
    sections = [
        "<h2>Grades</h2>",
        f"<p>{n} submissions graded. Mean {mean:.1f} and median {median:g} of "
        f"{data.max_score:g} points.</p>",
        (
            f"<p>Not graded: {html.escape(', '.join(sorted(data.not_graded)))}. Autograding "
            "could not read these submissions; the autograde output names the problem.</p>"
            if data.not_graded
            else ""
        ),
        bar_chart(
            "Students by share of the points",
            distribution(data.scores, data.max_score),
            max(1, n),
            " students",
        ),
        "<h2>Each check's pass rate</h2>",
        "<p>The share of graded submissions that earned the check's full points, hardest first."
        "</p>",
        bar_chart("Pass rate by check", sorted(rates, key=lambda r: r[1]), 100, "%"),
        table(
            ["Check", "Passed", "Graded", "Pass rate"],
            [
                [c.title, str(c.passed), str(c.graded), f"{round(100 * c.passed / c.graded)}%"]
                for c in sorted(data.checks, key=lambda c: c.passed / c.graded if c.graded else 1)
                if c.graded
            ],
        ),
        "<h2>What the class struggled with most</h2>",
    ]
    if hardest:
        sections.append(
            "<p>Hardest checks: "
            + html.escape("; ".join(f"{t} ({r}% passed)" for t, r in hardest[:3]))
            + ".</p>"
        )
    if data.post_trouble:
        sections.append(
            bar_chart(
                "Rewrites the judge did not pass, by post",
                sorted(data.post_trouble.items(), key=lambda kv: -kv[1]),
                max(1, n),
                " students",
            )
        )
    if data.findings:
        sections.append(
            bar_chart(
                "The judge's findings in the class's answers, by kind",
                data.findings.most_common(8),
                max(data.findings.values()),
                "",
            )
        )
    sections.append("<h2>Late submissions</h2>")
    if data.late:
        sections.append(
            table(
                ["Student", "Hours late", "Points taken off"],
                [[s, f"{h:.1f}", f"{p:g}"] for s, h, p in sorted(data.late)],
            )
        )
    else:
        sections.append("<p>No submission was late (or no due date is set: make due-date).</p>")
    sections.append("<h2>Manual grading</h2>")
    if data.manual_total:
        done = round(100 * data.manual_done / data.manual_total)
        sections.append(
            f"<p>{data.manual_done} of {data.manual_total} parts graded by hand ({done}%).</p>"
        )
        sections.append(
            bar_chart(
                "Manual grading",
                [
                    ("Graded", data.manual_done),
                    ("Still to grade", data.manual_total - data.manual_done),
                ],
                data.manual_total,
                " parts",
            )
        )
    sections.append("<h2>Autograde time</h2>")
    if data.seconds:
        total = sum(data.seconds)
        sections.append(
            f"<p>{len(data.seconds)} notebooks took {total:.0f} s to grade, "
            f"{total / len(data.seconds):.1f} s each on average "
            f"(slowest {max(data.seconds):.1f} s).</p>"
        )
    else:
        sections.append("<p>No timing recorded in the graded notebooks.</p>")
    body = "\n".join(sections)
    title = f"Class report: {html.escape(data.assignment.replace('_', ' '))}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 1rem auto; padding: 0 1rem;
  line-height: 1.5; color: #1a1a1a; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }}
th, td {{ border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }}
svg text {{ fill: #1a1a1a; }}
</style></head>
<body><main>
<h1>{title}</h1>
{body}
</main></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the class report of one assignment.")
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd())
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args(argv)
    db_url = args.db_url or f"sqlite:///{args.course / 'gradebook.db'}"
    data = gather(args.course, args.assignment, db_url)
    target = args.course / f"report-{args.assignment}.html"
    target.write_text(render(data), encoding="utf-8")
    print(f"Wrote {target.name}: {len(data.scores)} submissions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

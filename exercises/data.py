"""Load and validate exercise content files (``book/<chapter>/exercises.yml``).

Exercise content is data a course author edits, so every problem is reported in the author's
terms: the file, the exercise id and the field, e.g.::

    book/pitfalls/exercises.yml: exercise 'vent-or-not', field 'options[2].feedback':
    this field is required but missing

Validation happens twice: when the book builds (the Sphinx extension stops the build) and when a
widget is created in a notebook (the widget class raises :class:`ExerciseDataError`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .registry import GRADED_TYPES, KINDS

SCHEMA_PATH = Path(__file__).with_name("exercise.schema.json")
EXERCISE_FILE = "exercises.yml"

# Types whose completion has a right answer (the registry says which); the others (decision
# helper, checklist) are complete when the learner has worked through them.
__all__ = ["GRADED_TYPES"]


# What each pattern in the schema means, in an author's words.
PATTERN_RULES = {
    "^[a-z0-9]+([_-][a-z0-9]+)*$": "use lower-case letters and digits joined by hyphens, "
    "like 'vent-or-not'",
    "^@[A-Za-z0-9_.]{1,40}$": "start with @ and use only letters, digits, _ and . "
    "(at most 40), like '@sam_lee'",
}


class ExerciseDataError(ValueError):
    """Exercise content that cannot be used, with one readable line per problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ExerciseSet:
    """The validated exercises of one chapter."""

    chapter: str
    source: str
    exercises: tuple[dict[str, Any], ...]

    def get(self, exercise_id: str) -> dict[str, Any]:
        for exercise in self.exercises:
            if exercise["id"] == exercise_id:
                return exercise
        known = ", ".join(e["id"] for e in self.exercises)
        raise ExerciseDataError(
            [f"{self.source}: there is no exercise '{exercise_id}' (this file has: {known})"]
        )

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.exercises]


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The schema's list of types must be the registry's: a type added in one place only would
    # validate content that no widget can show, or refuse content that one can.
    listed = schema["$defs"]["exercise"]["properties"]["type"]["enum"]
    if tuple(listed) != KINDS:
        raise RuntimeError(
            f"{SCHEMA_PATH.name}: the exercise types {listed} differ from exercises/registry.py "
            f"{list(KINDS)}; list the same types in the same order"
        )
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _field_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(error: jsonschema.ValidationError) -> tuple[list[Any], str]:
    """Turn a jsonschema error into (path, plain-language message)."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return [*path, missing], "this field is required but missing"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        names = ", ".join(repr(name) for name in extra)
        return path, f"unknown field(s) {names}; check the spelling"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return path, f"{error.instance!r} is not allowed; use one of {allowed}"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return path, "must not be empty"
    if error.validator == "pattern":
        rule = PATTERN_RULES.get(error.validator_value, f"must match {error.validator_value}")
        return path, f"{error.instance!r} has the wrong form: {rule}"
    if error.validator == "type":
        return path, f"must be a {error.validator_value}, not {type(error.instance).__name__}"
    if error.validator in ("minItems", "maxItems"):
        count = len(error.instance)
        word = "at least" if error.validator == "minItems" else "at most"
        return path, f"has {count} item(s); it needs {word} {error.validator_value}"
    if error.validator == "maxLength":
        return (
            path,
            f"is too long ({len(error.instance)} characters; at most {error.validator_value})",
        )
    if error.validator == "oneOf":
        return path, "must be one category id or a list of category ids"
    return path, error.message


def _locate(data: Any, path: list[Any]) -> tuple[str | None, list[Any]]:
    """Split a path into the exercise id it falls in and the field path inside it."""
    if len(path) >= 2 and path[0] == "exercises" and isinstance(path[1], int):
        exercises = data.get("exercises") if isinstance(data, Mapping) else None
        ident = None
        if isinstance(exercises, list) and path[1] < len(exercises):
            item = exercises[path[1]]
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                ident = item["id"]
        return ident or f"#{path[1] + 1}", path[2:]
    return None, path


def _line(source: str, exercise: str | None, field: list[Any] | str, message: str) -> str:
    where = source
    if exercise is not None:
        where += f": exercise '{exercise}'"
    field_text = field if isinstance(field, str) else _field_path(field)
    if field_text:
        where += f", field '{field_text}'"
    return f"{where}: {message}"


def _schema_problems(data: Any, source: str) -> list[str]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    problems = []
    for error in errors:
        # An if/then branch reports its own detailed errors; skip the summary of the branch.
        if error.validator in ("allOf", "if", "then"):
            continue
        path, message = _describe(error)
        exercise, field = _locate(data, path)
        problems.append(_line(source, exercise, field, message))
    return problems


def _duplicates(values: list[str]) -> list[str]:
    seen, dups = set(), []
    for value in values:
        if value in seen and value not in dups:
            dups.append(value)
        seen.add(value)
    return dups


# The widgets already say whether an answer is right ("Right choice.", "Not this one."), so a
# feedback text that starts with a verdict word would repeat it.
_VERDICT_START = re.compile(
    r"^(Right|Correct|Wrong|Incorrect|Yes|No|True|False|Exactly|Not quite)[.!,:]\s", re.I
)


def _verdict_start(text: str) -> str | None:
    match = _VERDICT_START.match(text.strip())
    return match.group(1) if match else None


def option_id(item: Mapping[str, Any]) -> str:
    """An option's or choice's id: the author's, or one made from its text.

    The widgets show options in each learner's own order and save answers by this id, so an id
    must not depend on position; one made from the text stays the same when options are
    reordered (an edited text is a different answer, so its old saves no longer match).
    """
    if isinstance(item.get("id"), str):
        return item["id"]
    return "o-" + hashlib.sha1(item["text"].encode("utf-8")).hexdigest()[:8]


def _with_option_ids(exercise: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a valid exercise in which every option and scenario choice has its id."""
    out = copy.deepcopy(dict(exercise))
    groups = [out.get("options", [])] if out["type"] == "multiple_choice" else []
    if out["type"] == "scenario":
        groups = [step["choices"] for step in out["steps"]]
    for items in groups:
        for item in items:
            item["id"] = option_id(item)
    return out


def _same_ids(items: list[Mapping[str, Any]]) -> str | None:
    dups = _duplicates([option_id(item) for item in items])
    if not dups:
        return None
    return f"two options have the same id or text ('{dups[0]}'); make each one different"


def _semantic_problems(exercise: Mapping[str, Any], source: str) -> list[str]:
    """Checks JSON Schema cannot express: references, right answers, reachability."""
    ex_id, kind = exercise["id"], exercise["type"]
    out: list[str] = []

    def add(field: str, message: str) -> None:
        out.append(_line(source, ex_id, field, message))

    if kind == "multiple_choice":
        if same := _same_ids(exercise["options"]):
            add("options", same)
        for i, option in enumerate(exercise["options"]):
            if word := _verdict_start(option["feedback"]):
                add(
                    f"options[{i}].feedback",
                    f"starts with '{word}'; the exercise already says whether a choice is "
                    "right, so start with the reason",
                )
        correct = sum(1 for option in exercise["options"] if option["correct"])
        if exercise.get("select", "one") == "one" and correct != 1:
            add(
                "options",
                f"a one-answer question needs exactly one correct option, found {correct}",
            )
        if correct == 0:
            add("options", "no option is marked correct: true")
    elif kind == "sort_the_posts":
        categories = [c["id"] for c in exercise["categories"]]
        for dup in _duplicates(categories):
            add("categories", f"category id '{dup}' is used twice")
        for dup in _duplicates([c["id"] for c in exercise["cards"]]):
            add("cards", f"card id '{dup}' is used twice")
        for i, card in enumerate(exercise["cards"]):
            if word := _verdict_start(card["feedback"]):
                add(
                    f"cards[{i}].feedback",
                    f"starts with '{word}'; the exercise already says whether a choice is "
                    "right, so start with the reason",
                )
            answers = card["answer"] if isinstance(card["answer"], list) else [card["answer"]]
            for answer in answers:
                if answer not in categories:
                    known = ", ".join(categories)
                    add(
                        f"cards[{i}].answer",
                        f"'{answer}' is not a category id (use one of {known})",
                    )
    elif kind == "scenario":
        steps = {step["id"]: step for step in exercise["steps"]}
        for dup in _duplicates([s["id"] for s in exercise["steps"]]):
            add("steps", f"step id '{dup}' is used twice")
        if exercise["start"] not in steps:
            add("start", f"'{exercise['start']}' is not the id of a step")
        ends = 0
        for i, step in enumerate(exercise["steps"]):
            if same := _same_ids(step["choices"]):
                add(f"steps[{i}].choices", same)
            for j, choice in enumerate(step["choices"]):
                nxt = choice.get("next")
                if nxt is None:
                    ends += 1
                elif nxt not in steps:
                    add(f"steps[{i}].choices[{j}].next", f"'{nxt}' is not the id of a step")
        if ends == 0:
            add("steps", "no choice ends the scenario (leave out 'next' on at least one choice)")
        if exercise["start"] in steps:
            reached, todo = set(), [exercise["start"]]
            while todo:
                current = todo.pop()
                if current in reached or current not in steps:
                    continue
                reached.add(current)
                todo.extend(c["next"] for c in steps[current]["choices"] if c.get("next"))
            for unreachable in [s for s in steps if s not in reached]:
                add("steps", f"step '{unreachable}' can never be reached from the start")
            if not any(c.get("rating") == "best" for s in reached for c in steps[s]["choices"]):
                add("steps", "no choice is rated 'best'")
    elif kind == "decision_helper":
        outcomes = [o["id"] for o in exercise["outcomes"]]
        for dup in _duplicates(outcomes):
            add("outcomes", f"outcome id '{dup}' is used twice")
        for i, question in enumerate(exercise["questions"]):
            for j, option in enumerate(question["options"]):
                for key in option["points"]:
                    if key not in outcomes:
                        add(
                            f"questions[{i}].options[{j}].points",
                            f"'{key}' is not an outcome id (use one of {', '.join(outcomes)})",
                        )
    elif kind == "privacy_checklist":
        for dup in _duplicates([item["id"] for item in exercise["items"]]):
            add("items", f"item id '{dup}' is used twice")
    elif kind == "fix_the_post":
        purpose = exercise["purpose"]
        need = purpose.get("min_keywords", 1)
        if need > len(purpose["keywords"]):
            add(
                "purpose.min_keywords",
                f"asks for {need} keywords but only lists {len(purpose['keywords'])}",
            )
    return out


def validate_exercise_data(data: Any, source: str, chapter: str | None = None) -> ExerciseSet:
    """Validate parsed YAML; raise :class:`ExerciseDataError` listing every problem."""
    if not isinstance(data, Mapping):
        raise ExerciseDataError(
            [_line(source, None, "", "the file must hold 'chapter:' and 'exercises:' at the top")]
        )
    problems = _schema_problems(data, source)
    if not problems:
        if chapter is not None and data["chapter"] != chapter:
            problems.append(
                _line(
                    source,
                    None,
                    "chapter",
                    f"says '{data['chapter']}' but the file belongs to '{chapter}'",
                )
            )
        for dup in _duplicates([e["id"] for e in data["exercises"]]):
            problems.append(_line(source, dup, "id", "this exercise id is used twice in the file"))
        for exercise in data["exercises"]:
            problems.extend(_semantic_problems(exercise, source))
    if problems:
        raise ExerciseDataError(problems)
    return ExerciseSet(
        data["chapter"], source, tuple(_with_option_ids(e) for e in data["exercises"])
    )


def load_exercise_file(path: str | Path, *, root: str | Path | None = None) -> ExerciseSet:
    """Read, parse and validate one exercise file; errors name the file relative to ``root``."""
    path = Path(path)
    source = str(path.relative_to(root)) if root else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExerciseDataError([f"{source}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise ExerciseDataError([f"{source}: not UTF-8 text (byte {exc.start})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ExerciseDataError([f"{source}: not valid YAML{where}: {problem}"]) from None
    return validate_exercise_data(data, source, chapter=path.parent.name)


def find_exercise_files(book_dir: str | Path) -> list[Path]:
    """Every chapter's exercise file under ``book_dir``, in a stable order."""
    return sorted(Path(book_dir).glob(f"*/{EXERCISE_FILE}"))

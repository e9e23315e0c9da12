"""Exercise widgets: thin anywidget classes over small ES modules.

All answer checking runs in the browser, so the same widget gives feedback in JupyterLab (with a
kernel) and in the static book (without one). The Python side only validates the content, ships it
to the front end in the ``spec`` trait and mirrors the learner's latest answer in ``response``.

Each type's front end is ``static/<type>.js`` (``registry.py`` lists the types); it is
concatenated after ``core.js`` (shared helpers: progress storage, events, post cards) into one
ES module, because anywidget loads a single module per widget and a module imported from a
Blob URL cannot import its neighbours.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets

from .compact import compact_css, compact_js
from .data import ExerciseDataError, validate_exercise_data
from .presence_plan import find_book_dir, plan_sources
from .registry import BY_KIND, EXERCISE_TYPES

STATIC = Path(__file__).with_name("static")
POSTCARD_CSS = STATIC / "postcard.css"
POSTCARD_TEMPLATE = STATIC / "postcard.json"


@cache
def post_card_template() -> dict[str, Any]:
    """The post card's one template (static/postcard.json): the widgets' ``postCard`` builds it
    and the book's ``{post}`` directive (coursebook/post_card.py) renders it."""
    template: dict[str, Any] = json.loads(POSTCARD_TEMPLATE.read_text(encoding="utf-8"))
    return template


@cache
def shared_constants() -> str:
    """What every module needs from the one place it lives: the account labels (the judge's
    rules.yml) and the post card's template (its explanatory comments left out)."""
    from autograder.judge.posts import load_rules

    labels = json.dumps(load_rules().data["account_labels"], ensure_ascii=False)
    card = json.dumps(
        {"card": post_card_template()["card"]}, ensure_ascii=False, separators=(",", ":")
    )
    return f"const ACCOUNT_LABELS = {labels};\nconst POST_CARD = {card};\n"


@cache
def front_end(kind: str, extra: tuple[str, ...] = ()) -> str:
    """The ES module source for one exercise type: shared constants, core helpers, extras,
    then the type."""
    parts = [
        STATIC / "progress_store.js",
        STATIC / "core.js",
        *(Path(p) for p in extra),
        STATIC / BY_KIND[kind].module,
    ]
    code = "".join(compact_js(p.read_text(encoding="utf-8"), p.name) for p in parts)
    return shared_constants() + code


@cache
def stylesheet(extra: tuple[str, ...] = ()) -> str:
    parts = (POSTCARD_CSS, STATIC / "exercises.css", *(Path(p) for p in extra))
    return "".join(compact_css(p.read_text(encoding="utf-8")) for p in parts)


class Exercise(anywidget.AnyWidget):
    """Base class: one exercise from a chapter's ``exercises.yml``."""

    kind: ClassVar[str] = ""
    extra_modules: ClassVar[tuple[str, ...]] = ()
    extra_css: ClassVar[tuple[str, ...]] = ()

    spec = traitlets.Dict().tag(sync=True)
    exercise_id = traitlets.Unicode().tag(sync=True)
    chapter = traitlets.Unicode().tag(sync=True)
    course_id = traitlets.Unicode("course").tag(sync=True)
    graded = traitlets.Bool(True).tag(sync=True)
    # Written by the front end: {"answer": ..., "correct": bool, "completed": bool, "attempts": n}
    response = traitlets.Dict().tag(sync=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only for classes that declare a kind themselves: anywidget creates a subclass per
        # instance to hold the _esm trait, which must not be overwritten here.
        if "kind" in cls.__dict__ and cls.kind:
            cls._esm = front_end(cls.kind, cls.extra_modules)
            cls._css = stylesheet(cls.extra_css)

    def __init__(
        self,
        spec: dict[str, Any],
        *,
        chapter: str = "scratch",
        course_id: str = "course",
        source: str = "<exercise>",
    ) -> None:
        if not self.kind:
            raise TypeError("use a concrete exercise class such as MultipleChoice")
        if not isinstance(spec, dict):
            raise ExerciseDataError(
                [f"{source}: an exercise must be a mapping, got {type(spec).__name__}"]
            )
        spec = {"type": self.kind, **spec}
        if spec["type"] != self.kind:
            raise ExerciseDataError(
                [
                    f"{source}: exercise '{spec.get('id')}' has type '{spec['type']}', "
                    f"but {type(self).__name__} shows '{self.kind}' exercises"
                ]
            )
        # The validated copy: it gives every option the id answers are saved by.
        checked = validate_exercise_data({"chapter": chapter, "exercises": [spec]}, source)
        spec = checked.exercises[0]
        super().__init__(
            spec=spec,
            exercise_id=spec["id"],
            chapter=chapter,
            course_id=course_id,
            graded=BY_KIND[self.kind].graded,
        )

    @property
    def completed(self) -> bool:
        return bool(self.response.get("completed"))

    @property
    def correct(self) -> bool:
        return bool(self.response.get("correct"))


class MultipleChoice(Exercise):
    """One or several right options; every option explains itself when chosen."""

    kind = "multiple_choice"


class SortThePosts(Exercise):
    """Put each post card into a category (personal, professional, either, don't post...)."""

    kind = "sort_the_posts"


class Scenario(Exercise):
    """A branching story: situation, choices, consequences, and a debrief at the end."""

    kind = "scenario"


class DecisionHelper(Exercise):
    """Questions about the learner's situation lead to a recommended approach with reasons."""

    kind = "decision_helper"
    extra_modules = (str(STATIC / "decision_result.js"),)


class PrivacyChecklist(Exercise):
    """A privacy audit: the learner works through each item and sees why it matters."""

    kind = "privacy_checklist"


class PresencePlan(Exercise):
    """The capstone: the learner's own answers from earlier chapters and two fields of their
    own, edited on the page and downloaded as one printable file. ``sources`` carries the
    exercises its parts read (see presence_plan.py)."""

    kind = "presence_plan"
    extra_modules = (str(STATIC / "statement_sentence.js"), str(STATIC / "decision_result.js"))
    extra_css = (str(STATIC / "presence_plan.css"),)
    sources = traitlets.Dict().tag(sync=True)

    def __init__(
        self, spec: dict[str, Any], *, book_dir: str | Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(spec, **kwargs)
        source = kwargs.get("source", "<exercise>")
        found = Path(book_dir) if book_dir else find_book_dir(source)
        self.sources = plan_sources(self.spec, found, source)


BRIDGE = str(STATIC / "judge_bridge.js")


@cache
def judge_assets() -> tuple[str, str]:
    """The judge's browser module and its compiled rules (the same rules as Python's judge)."""
    from autograder.judge.rules import HERE, compile_rules

    source = compact_js((HERE / "js" / "judge.mjs").read_text(encoding="utf-8"), "judge.mjs")
    rules = json.dumps(compile_rules(), ensure_ascii=False, separators=(",", ":"))
    return source, rules


class JudgeExercise(Exercise):
    """An exercise whose feedback comes from the course's judge, running in the browser."""

    extra_modules = (BRIDGE,)
    judge_source = traitlets.Unicode().tag(sync=True)
    judge_rules = traitlets.Unicode().tag(sync=True)

    def __init__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(spec, **kwargs)
        self.judge_source, self.judge_rules = judge_assets()


class FixThePost(JudgeExercise):
    """Rewrite a risky post until it is fit for its account and still does its job."""

    kind = "fix_the_post"


class StatementBuilder(JudgeExercise):
    """Write positioning statements in three fields, checked and compared live."""

    kind = "statement_builder"
    extra_modules = (BRIDGE, str(STATIC / "statement_sentence.js"))


WIDGET_CLASSES: dict[str, type[Exercise]] = {
    t.kind: globals()[t.class_name] for t in EXERCISE_TYPES
}


def widget_for(spec: dict[str, Any], **kwargs: Any) -> Exercise:
    kind = spec.get("type") if isinstance(spec, dict) else None
    try:
        cls = WIDGET_CLASSES[kind]
    except KeyError:
        source = kwargs.get("source", "<exercise>")
        known = ", ".join(sorted(WIDGET_CLASSES))
        raise ExerciseDataError(
            [f"{source}: exercise type {kind!r} has no widget yet (known: {known})"]
        ) from None
    return cls(spec, **kwargs)

"""Build the nbgrader source notebooks from their readable sources.

The readable sources live in ``autograder/grading/course/notebooks/``:

- ``<assignment>.md``: a MyST Markdown notebook (jupytext), becomes
  ``source/<assignment>/<assignment>.ipynb``; ``header.md`` becomes ``source/header.ipynb``,
  the instructions nbgrader puts at the top of every released notebook.
- ``<assignment>.yml``: optional data, in the book's ``fix_the_post`` exercise format (checked
  by the same schema, ``exercises/exercise.schema.json``). A markdown cell whose metadata is
  ``{"expand": "NAME"}`` is replaced by one copy of ``<assignment>.NAME.md`` per exercise,
  with ``$fields`` filled in (``string.Template``).

Cells say what they are with one compact option, turned into nbgrader's metadata here:

=============  =============================================================================
``role``        nbgrader cell
=============  =============================================================================
``answer``      autograded answer (a solution cell; ``### BEGIN/END SOLUTION`` inside)
``test``        autograded test (needs ``points``; ``### BEGIN/END HIDDEN TESTS`` inside)
``manual``      manually graded answer (markdown; needs ``points``; its text is the model)
``readonly``    read-only cell, restored from the instructor's copy when grading
=============  =============================================================================

Every such cell also needs a ``grade_id``. Cell ids are made from the grade ids and the
position, so the same sources always give byte-identical notebooks.

Usage::

    python -m autograder.grading.notebooks            # write the source notebooks
    python -m autograder.grading.notebooks --check    # exit 1 if any is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
import textwrap
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

COURSE = Path(__file__).resolve().parent / "course"
ROOT = COURSE.parents[2]
NOTEBOOKS = COURSE / "notebooks"
SOURCE = COURSE / "source"
HEADER = "header"
SCHEMA_VERSION = 3
GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class BuildError(ValueError):
    """A readable source that cannot be built; the message names the file and the cell."""


def _nbgrader(role: str, grade_id: str, points: Any, where: str) -> dict[str, Any]:
    if not isinstance(grade_id, str) or not GRADE_ID.match(grade_id):
        raise BuildError(f"{where}: grade_id must be snake_case, got {grade_id!r}")
    needs_points = role in ("test", "manual")
    if needs_points and (not isinstance(points, int | float) or points <= 0):
        raise BuildError(f"{where}: a '{role}' cell needs points > 0")
    if not needs_points and points is not None:
        raise BuildError(f"{where}: a '{role}' cell takes no points")
    meta = {
        "grade": needs_points,
        "grade_id": grade_id,
        "locked": role in ("test", "readonly"),
        "schema_version": SCHEMA_VERSION,
        "solution": role in ("answer", "manual"),
        "task": False,
    }
    if needs_points:
        meta["points"] = points
    return dict(sorted(meta.items()))


def _check_cell(cell: Any, role: str, where: str) -> None:
    source = cell.source
    expected = {"answer": "code", "test": "code", "manual": "markdown", "readonly": None}
    kind = expected[role]
    if kind and cell.cell_type != kind:
        raise BuildError(f"{where}: a '{role}' cell must be a {kind} cell")
    if role == "answer" and not ("### BEGIN SOLUTION" in source and "### END SOLUTION" in source):
        raise BuildError(f"{where}: an answer cell needs ### BEGIN SOLUTION / ### END SOLUTION")
    if role == "test":
        if not source.lstrip().startswith('"""'):
            raise BuildError(f"{where}: a test cell starts with a docstring saying what it checks")
        if "SOLUTION" in source:
            raise BuildError(f"{where}: a test cell holds no solution")
    if role != "test" and "HIDDEN TESTS" in source:
        raise BuildError(f"{where}: hidden tests belong in test cells only")


def _py_text(text: str, indent: int = 0, width: int = 92) -> str:
    """A Python string literal for ``text``, wrapped in parentheses when it is long."""
    one_line = json.dumps(text, ensure_ascii=False)
    if len(one_line) + indent <= width:
        return one_line
    pieces = textwrap.wrap(
        text,
        width - indent - 6,
        drop_whitespace=False,
        replace_whitespace=False,
        expand_tabs=False,
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert "".join(pieces) == text
    pad = " " * (indent + 4)
    body = "\n".join(pad + json.dumps(piece, ensure_ascii=False) for piece in pieces)
    return "(\n" + body + "\n" + " " * indent + ")"


def _plain(value: str, field: str, where: str) -> str:
    if '"""' in value or "\\" in value or "$" in value:
        raise BuildError(f'{where}: field \'{field}\' may not contain """, \\ or $')
    return value


def fix_the_post_fields(exercise: dict[str, Any], number: int, where: str) -> dict[str, str]:
    """The ``$fields`` a ``fix_the_post`` exercise fills in a template."""
    post, purpose = exercise["post"], exercise["purpose"]
    for field in ("account", "author", "handle", "platform"):
        if field not in post:
            raise BuildError(f"{where}: field 'post.{field}' is required in an assignment")
    if "hint" not in exercise:
        raise BuildError(f"{where}: field 'hint' (the model explanation) is required")
    return {
        "number": str(number),
        "id": exercise["id"],
        "title": exercise.get("title", f"Post {number}"),
        "prompt": exercise["prompt"],
        "author": post["author"],
        "handle": post["handle"],
        "platform": post["platform"],
        "account": post["account"],
        "text": post["text"],
        "summary": purpose["summary"],
        "model_rewrite": _plain(exercise["model_rewrite"], "model_rewrite", where),
        "hint": exercise["hint"],
        "original": _py_text(post["text"]),
        "purpose": _py_value(purpose),
    }


def _py_value(value: Any) -> str:
    """A Python literal for a mapping of text, lists and numbers (JSON is valid Python here,
    as long as no true/false/null appears, which the schema rules out for a purpose)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def load_exercises(path: Path) -> list[dict[str, Any]]:
    """The exercises of an assignment's data file, validated like the book's."""
    from exercises.data import ExerciseDataError, validate_exercise_data

    rel = str(path.relative_to(ROOT))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        exercise_set = validate_exercise_data(data, rel, chapter=path.stem)
    except yaml.YAMLError as error:
        raise BuildError(f"{rel}: not valid YAML: {error}") from None
    except ExerciseDataError as error:
        raise BuildError(str(error)) from None
    for exercise in exercise_set.exercises:
        if exercise["type"] != "fix_the_post":
            raise BuildError(f"{rel}: exercise '{exercise['id']}': only fix_the_post is supported")
    return list(exercise_set.exercises)


def _expand(name: str, template_name: str, exercises: list[dict[str, Any]]) -> list[Any]:
    template_path = NOTEBOOKS / f"{name}.{template_name}.md"
    if not template_path.is_file():
        raise BuildError(f"{template_path.name}: template not found")
    template = string.Template(template_path.read_text(encoding="utf-8"))
    cells = []
    for number, exercise in enumerate(exercises, start=1):
        where = f"{name}.yml: exercise '{exercise['id']}'"
        text = template.substitute(fix_the_post_fields(exercise, number, where))
        cells += jupytext.reads(text, fmt="md:myst").cells
    return cells


def build_notebook(name: str) -> nbformat.NotebookNode:
    """The nbgrader source notebook for ``notebooks/<name>.md``."""
    path = NOTEBOOKS / f"{name}.md"
    readable = jupytext.read(path, fmt="md:myst")
    data = NOTEBOOKS / f"{name}.yml"
    exercises = load_exercises(data) if data.is_file() else []
    cells = []
    for cell in readable.cells:
        expand = cell.metadata.get("expand")
        if expand:
            if not exercises:
                raise BuildError(f"{path.name}: 'expand: {expand}' needs {data.name}")
            cells += _expand(name, expand, exercises)
        else:
            cells.append(cell)

    out = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    out.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        meta = dict(cell.metadata)
        role = meta.pop("role", None)
        grade_id = meta.pop("grade_id", None)
        points = meta.pop("points", None)
        where = f"{path.name}: cell {index + 1} ({grade_id or cell.cell_type})"
        if meta:
            raise BuildError(f"{where}: unknown cell options {sorted(meta)}")
        source = cell.source.strip("\n")
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)  # type: ignore[no-untyped-call]
        else:
            new = nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
        if role is not None:
            if role not in ("answer", "test", "manual", "readonly"):
                raise BuildError(f"{where}: unknown role {role!r}")
            _check_cell(cell, role, where)
            new.metadata["nbgrader"] = _nbgrader(role, grade_id, points, where)
            if grade_id in seen:
                raise BuildError(f"{where}: grade_id '{grade_id}' is used twice")
            seen.add(grade_id)
        elif grade_id is not None or points is not None:
            raise BuildError(f"{where}: grade_id and points need a role")
        elif "HIDDEN TESTS" in source or "SOLUTION" in source:
            raise BuildError(f"{where}: solutions and hidden tests belong in answer/test cells")
        new.id = f"{name}-{index:03d}" + (f"-{grade_id}" if grade_id else "")
        out.cells.append(new)
    nbformat.validate(out)
    notebook: nbformat.NotebookNode = out
    return notebook


def notebook_json(nb: nbformat.NotebookNode) -> str:
    text: str = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    return text + "\n"


def targets() -> dict[Path, str]:
    """Every source notebook and its expected JSON text."""
    out = {}
    for path in sorted(NOTEBOOKS.glob("*.md")):
        name = path.stem
        if "." in name:  # a template such as fix_the_posts.post.md
            continue
        nb = build_notebook(name)
        # the header sits beside the assignment folders, as nbgrader expects
        target = SOURCE / f"{name}.ipynb" if name == HEADER else SOURCE / name / f"{name}.ipynb"
        out[target] = notebook_json(nb)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    try:
        wanted = targets()
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = []
    for target, text in wanted.items():
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        stale.append(target)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    root = ROOT
    for target in stale:
        verb = "out of date" if args.check else "written"
        print(f"{target.relative_to(root)}: {verb}")
    if args.check and stale:
        print("run: python -m autograder.grading.notebooks", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``course_check.py``: the one file a student needs beside an assignment notebook.

A student who gets the notebook from the LMS or the book's download and opens it on a laptop,
in Colab or on a university hub has Jupyter and nothing else: no ``autograder`` package. The
notebook's set-up cell imports ``check_my_answers`` from the installed course when there is one
(the instructor's grading machine, a clone of this repository) and otherwise from
``course_check.py``, which this module writes.

That file carries the formative check and the judge it needs: the Python modules listed in
``MODULES`` and the rules already compiled (so PyYAML and the rule sources are not needed),
compressed into one string, and a small import hook that serves those modules from memory. It
needs only the Python standard library.

Why our own few lines instead of a library: ``zipimport`` and ``zipapp`` need the zip as a file
of its own (a second file to lose), and ``pip``/wheels need an install step. A ``sys.meta_path``
finder over a dict of sources is the documented import-system hook for exactly this case.

Grading never trusts the student's copy: the hidden tests import ``autograder.grading.checks``
from the instructor's installed package, the file appends its finder *after* the normal ones (an
installed ``autograder`` always wins), and ``VerifyOutsideKernel`` re-runs every grading cell
outside the student's kernel.

Usage::

    python -m autograder.grading.bundle OUT.py     # write the file
"""

from __future__ import annotations

import base64
import json
import sys
import zlib
from pathlib import Path

from autograder.judge.rules import compile_rules

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
FILENAME = "course_check.py"
# The modules the formative check imports, as (module name, is a package). A test imports the
# written file in a bare interpreter, so a missing module shows there.
MODULES = (
    ("autograder", True),
    ("autograder.judge", True),
    ("autograder.judge.tokens", False),
    ("autograder.judge.rules", False),
    ("autograder.judge.learned", False),
    ("autograder.judge.softer", False),
    ("autograder.judge.posts", False),
    ("autograder.judge.purpose", False),
    ("autograder.judge.rewrite", False),
    ("autograder.judge.statements", False),
    ("autograder.grading", True),
    ("autograder.grading.checks", False),
    ("autograder.grading.formative", False),
)
_LINE = 100

_LOADER = '''\
"""The course's own check for this assignment: keep this file in the same folder as the notebook.

The notebook's first cell loads ``check_my_answers`` from here when the course is not installed.
It needs nothing but Python. It was written by ``python -m autograder.grading.bundle``: do not
edit it (your instructor grades with the course's own copy, never with this file).
"""

import base64 as _base64
import importlib.abc as _abc
import importlib.util as _util
import json as _json
import sys as _sys
import zlib as _zlib

_PAYLOAD = (
{payload}
)


class _Modules(_abc.MetaPathFinder, _abc.Loader):
    """Serves the course's modules from the payload above, after every installed package."""

    def __init__(self, modules):
        self.modules = modules

    def find_spec(self, name, path=None, target=None):
        if name not in self.modules:
            return None
        return _util.spec_from_loader(name, self, is_package=self.modules[name][0])

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        is_package, source = self.modules[module.__name__]
        module.__file__ = __file__
        if is_package:
            module.__path__ = []
        exec(compile(source, f"<course_check {{module.__name__}}>", "exec"), module.__dict__)


def _install():
    data = _json.loads(_zlib.decompress(_base64.b85decode("".join(_PAYLOAD))))
    if _util.find_spec("autograder") is None:
        _sys.meta_path.append(_Modules(data["modules"]))
        from autograder.judge import posts

        posts.use_compiled_rules(data["rules"])


_install()

from autograder.grading import check_my_answers  # noqa: E402

__all__ = ["check_my_answers"]
'''


def _module_source(name: str, is_package: bool) -> str:
    path = PACKAGE_ROOT.joinpath(*name.split("."))
    path = path / "__init__.py" if is_package else path.with_suffix(".py")
    return path.read_text(encoding="utf-8")


def course_check_source() -> str:
    """The text of ``course_check.py`` for the judge and rules installed here (deterministic)."""
    data = {
        "modules": {name: [pkg, _module_source(name, pkg)] for name, pkg in MODULES},
        "rules": compile_rules(),
    }
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    packed = base64.b85encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii")
    lines = [f'    "{packed[i : i + _LINE]}"' for i in range(0, len(packed), _LINE)]
    return _LOADER.format(payload="\n".join(lines))


def write(folder: Path, source: str | None = None) -> Path:
    """Write ``course_check.py`` into ``folder`` (unchanged files are left alone)."""
    target = folder / FILENAME
    text = source if source is not None else course_check_source()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m autograder.grading.bundle FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    folder.mkdir(parents=True, exist_ok=True)
    print(write(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Keep myst-nb's execution cache honest about what a chapter's outputs depend on.

myst-nb caches executed notebooks by their code. A chapter's outputs also depend on its data
folder (``book/<name>/``: exercises, chart data), on the widgets' front end, on the judge's rules
and on the ``course:`` settings (the course id is in every widget). A digest of those goes into
a hidden cell appended at build time (never to the file), so a change re-executes the chapter.
The digest of each document is per-document state, kept by ``collector.CourseCollector``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .collector import CourseCollector

ROOT = Path(__file__).resolve().parent.parent
CONTENT_INPUTS = (
    "exercises/**/*.py",
    "exercises/**/*.js",
    "exercises/**/*.css",
    "exercises/**/*.json",
    "coursebook/*.py",
    "autograder/judge/rules.yml",
    "autograder/judge/model.json",
    "autograder/judge/lexicons/*",
    "autograder/judge/js/judge.mjs",
    "autograder/judge/*.py",
)


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _content_version(app: Sphinx, docname: str) -> str:
    shared = getattr(app.env, "smx_code_digest", None)
    if shared is None:
        code = _digest([p for g in CONTENT_INPUTS for p in ROOT.glob(g)], ROOT)
        settings = json.dumps(app.config.smx_course, sort_keys=True).encode("utf-8")
        shared = f"{code}{hashlib.sha256(settings).hexdigest()[:8]}"
        app.env.smx_code_digest = shared
    folder = Path(app.srcdir) / docname
    own = _digest(list(folder.rglob("*")), Path(app.srcdir)) if folder.is_dir() else "none"
    return f"{shared}-{own}"


def add_content_version(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append the hidden cell that carries the chapter's content version (see the module)."""
    text = source[0]
    if "{code-cell}" not in text:
        return
    version = _content_version(app, docname)
    CourseCollector.set_version(app.env, docname, version)
    source[0] = (
        text.rstrip("\n")
        + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + f"# content version {version} (added by the build; not part of the chapter)\n"
        + "```\n"
    )


def outdated_by_content(app: Sphinx, env: Any, _added, changed, _removed) -> list[str]:
    """Re-read a chapter when its data folder, the widgets or the rules changed."""
    app.env.smx_code_digest = None
    versions = CourseCollector.versions(env)
    return [
        doc
        for doc, version in versions.items()
        if doc in env.found_docs and doc not in changed and _content_version(app, doc) != version
    ]

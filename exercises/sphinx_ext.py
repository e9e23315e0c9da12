"""Sphinx extension: offline exercises, progress and post cards for the Jupyter Book build.

What it does, and why it exists (no maintained extension covers these):

* validates ``_config.yml``'s ``course:`` block and every ``book/*/exercises.yml`` before any page
  is read, stopping the build with messages naming the file, exercise and field;
* adds the one page script (``course.js``: the static anywidget host and progress) and its styles;
* shrinks each page's embedded widget state: the front-end source that several exercises on a page
  share is stored once (``smx_shared``) instead of once per widget;
* writes ``_static/course-manifest.js``: the chapters in reading order and the exercises each one
  shows, read from what the executed pages really display;
* warns (an error under ``-W``) when an exercise in a YAML file is never shown, or shown twice;
* provides the ``{post}`` directive that draws a social media post as an accessible card.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .course import BOOK_DIR, CourseConfigError, find_project_root, load_course_config
from .data import ExerciseDataError, find_exercise_files, load_exercise_file

logger = logging.getLogger(__name__)
SITE_STATIC = Path(__file__).with_name("static") / "site"
STATE_KEY = "ipywidgets_state"
SHARE_MIN_LENGTH = 512  # strings shorter than this are cheaper to repeat than to reference


# ------------------------------------------------------------------ validation at start


def validate_content(app: Sphinx) -> None:
    root = find_project_root(app.srcdir)
    try:
        app.env.smx_course = load_course_config(root)
    except CourseConfigError as exc:
        raise ExtensionError(f"course settings: {exc}") from None
    problems: list[str] = []
    declared: dict[str, list[str]] = {}
    for path in find_exercise_files(root / BOOK_DIR):
        try:
            exercise_set = load_exercise_file(path, root=root)
        except ExerciseDataError as exc:
            problems.extend(exc.problems)
            continue
        declared[exercise_set.chapter] = exercise_set.ids
    if problems:
        listing = "\n  ".join(problems)
        raise ExtensionError(f"exercise content has {len(problems)} problem(s):\n  {listing}")
    app.env.smx_declared = declared


# ------------------------------------------------------------------ execution cache


PACKAGE = Path(__file__).resolve().parent
CONTENT_INPUTS = (
    "exercises/**/*.py",
    "exercises/**/*.js",
    "exercises/**/*.css",
    "exercises/*.json",
    "autograder/rules.yml",
    "autograder/lexicons/*",
    "autograder/js/judge.mjs",
    "autograder/*.py",
)


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _content_version(app: Sphinx, docname: str) -> str:
    root = PACKAGE.parent
    shared = getattr(app.env, "smx_code_digest", None)
    if shared is None:
        shared = _digest([p for g in CONTENT_INPUTS for p in root.glob(g)], root)
        app.env.smx_code_digest = shared
    folder = Path(app.srcdir) / docname
    own = _digest(list(folder.rglob("*")), Path(app.srcdir)) if folder.is_dir() else "none"
    return f"{shared}-{own}"


def add_content_version(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make the execution cache notice changes that are not in the chapter's own code.

    myst-nb caches executed notebooks by their code. A chapter's outputs also depend on its
    data folder (``book/<name>/``: exercises, chart data), on the widgets' front end and on the
    judge's rules; without this, editing an exercise file would show stale exercises. The
    digest of those files goes into a hidden cell appended at build time (never to the file).
    """
    text = source[0]
    if "{code-cell}" not in text:
        return
    version = _content_version(app, docname)
    if not hasattr(app.env, "smx_versions"):
        app.env.smx_versions = {}
    app.env.smx_versions[docname] = version
    source[0] = (
        text.rstrip("\n")
        + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + f"# content version {version} (added by the build; not part of the chapter)\n"
        + "```\n"
    )


def outdated_by_content(app: Sphinx, env: Any, added, changed, removed) -> list[str]:
    """Re-read a chapter when its data folder, the widgets or the rules changed."""
    app.env.smx_code_digest = None
    versions: dict[str, str] = getattr(env, "smx_versions", {})
    return [
        doc
        for doc, version in versions.items()
        if doc in env.found_docs and doc not in changed and _content_version(app, doc) != version
    ]


# ------------------------------------------------------------------ widget state per page


def _widget_state(env: Any, docname: str) -> tuple[dict, tuple[str | None, dict]] | None:
    files = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    entry = files.get(STATE_KEY)
    if not entry:
        return None
    uri, kwargs = entry
    return files, (uri, kwargs)


def _parse_state(body: str) -> dict:
    return json.loads(body.replace("<\\/script>", "</script>"))


def drop_unused_layouts(state: dict) -> dict:
    """Remove ipywidgets Layout models when only anywidget models refer to them.

    The course host never reads layouts, and each one costs about 1.4 KB per widget.
    """
    models = state.get("state", {})
    if all(
        m.get("model_module") == "anywidget" or m.get("model_name") == "LayoutModel"
        for m in models.values()
    ):
        state["state"] = {k: m for k, m in models.items() if m.get("model_name") != "LayoutModel"}
    return state


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _common_prefix(values: list[str]) -> str:
    """The longest run of whole lines every value starts with."""
    first, last = min(values), max(values)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[: first.rfind("\n", 0, size) + 1] if size else ""


def share_long_strings(state: dict) -> dict:
    """Store each long string the page's models share only once; idempotent.

    A value shared whole becomes ``{"$smx": [key]}``. The front-end modules of different
    exercise types start with the same helpers (core.js), so those become
    ``{"$smx": [prefix_key, rest_key]}``: the host joins the parts back together.
    """
    shared: dict[str, str] = dict(state.get("smx_shared", {}))
    models = [m.get("state", {}) for m in state.get("state", {}).values()]
    counts: dict[str, int] = {}
    modules: set[str] = set()
    for inner in models:
        for name, value in inner.items():
            if isinstance(value, str) and len(value) >= SHARE_MIN_LENGTH:
                counts[value] = counts.get(value, 0) + 1
                if name == "_esm":
                    modules.add(value)
    prefix = _common_prefix(sorted(modules)) if len(modules) > 1 else ""
    if len(prefix) < SHARE_MIN_LENGTH:
        prefix = ""
    for inner in models:
        for name, value in inner.items():
            if not isinstance(value, str):
                continue
            if prefix and name == "_esm" and value.startswith(prefix):
                parts = [prefix, value[len(prefix) :]]
            elif counts.get(value, 0) > 1:
                parts = [value]
            else:
                continue
            keys = []
            for part in parts:
                shared[_key(part)] = part
                keys.append(_key(part))
            inner[name] = {"$smx": keys}
    if shared:
        state["smx_shared"] = shared
    return state


JUDGE_FIELDS = ("judge_source", "judge_rules")
JUDGE_DIR = "judge"


def move_judge_to_file(state: dict, outdir: Path) -> dict:
    """Serve the judge (its module and rules, about 85 KB) as one static file, not in the page.

    The browser then caches it across pages, and the exercises load it only when a learner
    reaches them (see judge_bridge.js), so a page's first load stays light. The model keeps
    ``{"$smxfile": key}`` in place of each value; the static host resolves it on demand. A
    classic script, not JSON, so that it also loads from file:// pages.
    """
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if not all(isinstance(inner.get(name), str) for name in JUDGE_FIELDS):
            continue
        payload = {name: inner[name] for name in JUDGE_FIELDS}
        key = _key(payload["judge_source"] + payload["judge_rules"])
        target = outdir / "_static" / JUDGE_DIR / f"judge-{key}.js"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            target.write_text(
                "window.smxJudgeFiles = window.smxJudgeFiles || {};\n"
                f'window.smxJudgeFiles["{key}"] = {text};\n',
                encoding="utf-8",
            )
        for name in JUDGE_FIELDS:
            inner[name] = {"$smxfile": key}
    return state


def shrink_page_state(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any):
    found = _widget_state(app.env, pagename)
    if found is None:
        return
    files, (uri, kwargs) = found
    state = move_judge_to_file(_parse_state(kwargs["body"]), Path(app.outdir))
    state = share_long_strings(drop_unused_layouts(state))
    body = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    files[STATE_KEY] = (uri, {**kwargs, "body": body.replace("</script>", "<\\/script>")})


STORAGE_GUARD = (PACKAGE / "static" / "storage_guard.js").read_text(encoding="utf-8")


def fix_citation_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    """Docutils marks bibliography entries with the deprecated ARIA role doc-biblioentry inside a
    role="list", which axe reports as a critical failure; make them plain list items."""
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def add_page_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any):
    """The page's name for course.js, and the storage guard ahead of the theme's own scripts."""
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="smx-page" content="{html.escape(pagename)}" />'
        f"\n<script>{STORAGE_GUARD}</script>"
    )


def exercises_on_page(env: Any, docname: str) -> list[dict[str, Any]]:
    """The exercise widgets a page displays, in the order of its chapter's exercise file."""
    found = _widget_state(env, docname)
    if found is None:
        return []
    state = _parse_state(found[1][1]["body"])
    shown = []
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if model.get("model_module") == "anywidget" and inner.get("exercise_id"):
            shown.append(
                {
                    "chapter": inner.get("chapter"),
                    "id": inner["exercise_id"],
                    "graded": bool(inner.get("graded", True)),
                }
            )
    declared: dict[str, list[str]] = getattr(env, "smx_declared", {})

    def position(item: dict[str, Any]) -> tuple[int, str]:
        ids = declared.get(item["chapter"], [])
        return (ids.index(item["id"]) if item["id"] in ids else len(ids), item["id"])

    return sorted(shown, key=position)


# ------------------------------------------------------------------ consistency and manifest


def _reading_order(env: Any, root_doc: str) -> list[str]:
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(root_doc)
    return order


def check_exercises_shown(app: Sphinx, env: Any) -> None:
    declared: dict[str, list[str]] = getattr(env, "smx_declared", {})
    shown: dict[str, list[str]] = {}
    for docname in sorted(env.found_docs):
        for item in exercises_on_page(env, docname):
            key = f"{item['chapter']}/{item['id']}"
            if item["id"] in shown.get(item["chapter"], []):
                logger.warning(f"exercise '{key}' is shown more than once", location=docname)
            shown.setdefault(item["chapter"], []).append(item["id"])
    for chapter, ids in declared.items():
        if f"{BOOK_DIR}/{chapter}" not in env.found_docs:
            continue  # a partial build (jupyter-book build --toc ...) without this chapter
        for ident in ids:
            if ident not in shown.get(chapter, []):
                logger.warning(
                    f"{BOOK_DIR}/{chapter}/exercises.yml: exercise '{ident}' is never shown; "
                    f"add a cell with chapter.show('{ident}') to the chapter",
                )


def build_manifest(env: Any, root_doc: str, course: dict[str, Any]) -> dict[str, Any]:
    chapters = []
    for docname in _reading_order(env, root_doc):
        items = exercises_on_page(env, docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        chapters.append(
            {
                "id": Path(docname).name,
                "page": docname,
                "title": title,
                "exercises": [f"{i['chapter']}/{i['id']}" for i in items],
                "graded": [i["graded"] for i in items],
            }
        )
    return {"version": 1, "course": course, "chapters": chapters}


REDIRECT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={target}" />
<link rel="icon" href="_static/{favicon}" />
</head>
<body><p><a href="{target}">Open the course: {title}</a></p></body>
</html>
"""


def write_front_door(app: Sphinx, exception: Exception | None) -> None:
    """A complete index.html that sends readers to the first page.

    The redirect sphinx-external-toc writes is a bare meta tag, without a title (an accessibility
    failure) or an icon (so browsers ask the server root for /favicon.ico and log a 404).
    """
    if exception is not None or app.builder.format != "html":
        return
    favicon = Path(app.config.html_favicon or "").name
    (Path(app.outdir) / "index.html").write_text(
        REDIRECT.format(
            title=html.escape(app.env.smx_course.title),
            target=html.escape(app.config.root_doc + ".html"),
            favicon=html.escape(favicon),
        ),
        encoding="utf-8",
    )


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    course = app.env.smx_course.as_dict()
    manifest = build_manifest(app.env, app.config.root_doc, course)
    target = Path(app.outdir) / "_static" / "course-manifest.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=1).replace("</", "<\\/")
    target.write_text(f"window.COURSE_MANIFEST = {text};\n", encoding="utf-8")


# ------------------------------------------------------------------ the {post} directive

ACCOUNT_LABELS = {
    "personal": "Personal account",
    "professional": "Professional account",
    "joint": "Joint account",
}


def post_card_html(
    text: str,
    author: str = "Someone",
    handle: str | None = None,
    account: str | None = None,
    meta: str | None = None,
    image_alt: str | None = None,
) -> str:
    """The same markup the widgets' ``postCard`` draws, with every value escaped."""
    esc = html.escape
    initials = "".join(word[:1] for word in author.split())[:2].upper() or "?"
    parts = [
        '<article class="smx-post">',
        '<header class="smx-post-head">',
        f'<span class="smx-avatar" aria-hidden="true">{esc(initials)}</span>',
        '<span class="smx-post-who">',
        f'<span class="smx-post-author">{esc(author)}</span>',
    ]
    if handle:
        parts.append(f'<span class="smx-post-handle">{esc(handle)}</span>')
    parts.append("</span>")
    if account:
        label = ACCOUNT_LABELS[account]
        parts.append(f'<span class="smx-badge smx-badge-{account}">{esc(label)}</span>')
    parts.append("</header>")
    parts.append(f'<p class="smx-post-text">{esc(text)}</p>')
    if image_alt:
        alt = esc(f"Photo: {image_alt}")
        parts.append(
            f'<figure class="smx-post-image" role="img" aria-label="{alt}">'
            f'<span aria-hidden="true">{alt}</span></figure>'
        )
    if meta:
        parts.append(f'<p class="smx-post-meta">{esc(meta)}</p>')
    parts.append("</article>")
    return "".join(parts)


def _account(value: str) -> str:
    return directives.choice(value, tuple(ACCOUNT_LABELS))


class PostDirective(SphinxDirective):
    """Draw a social media post as a card::

    :::{post}
    :author: Dana Ortiz
    :handle: @dana_builds
    :account: professional
    :meta: LinkedIn · 2 h
    Our team just shipped the new volunteer sign-up page. Thank you @sam for the tests!
    :::
    """

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "author": directives.unchanged_required,
        "handle": directives.unchanged,
        "account": _account,
        "meta": directives.unchanged,
        "image-alt": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content).strip()
        if not text:
            raise self.error("a {post} needs the text of the post as its content")
        markup = post_card_html(
            text,
            author=self.options.get("author", "Someone"),
            handle=self.options.get("handle"),
            account=self.options.get("account"),
            meta=self.options.get("meta"),
            image_alt=self.options.get("image-alt"),
        )
        return [nodes.raw("", markup, format="html")]


# ------------------------------------------------------------------ a lighter theme

FONTAWESOME_JS = "scripts/fontawesome.js"


def drop_icon_script(app: Sphinx, config: Any) -> None:
    """Leave out the theme's 1.5 MB Font Awesome script.

    The theme's stylesheet already draws every icon with the Font Awesome web font, so the
    script (which swaps each icon for an inline SVG) only adds weight: about 60% of every page.
    It is loaded from one macro of pydata-sphinx-theme's templates; a copy of that macro
    without the script line is put ahead of the theme's templates.
    """
    import pydata_sphinx_theme

    theme_dir = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    source = (theme_dir / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if FONTAWESOME_JS not in line]
    if len(lines) == len(source.splitlines()):
        logger.warning("the theme no longer loads fontawesome.js from webpack-macros.html")
        return
    target = Path(app.outdir).parent / "smx_templates"
    (target / "static").mkdir(parents=True, exist_ok=True)
    (target / "static" / "webpack-macros.html").write_text("\n".join(lines) + "\n", "utf-8")
    config.templates_path = [str(target), *config.templates_path]


# ------------------------------------------------------------------ set-up


def add_static_files(app: Sphinx) -> None:
    app.config.html_static_path.append(str(SITE_STATIC))
    app.add_css_file("postcard.css")
    app.add_css_file("course.css")
    app.add_js_file("course-manifest.js")
    app.add_js_file("course.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", drop_icon_script)
    app.connect("builder-inited", validate_content)
    app.connect("env-get-outdated", outdated_by_content)
    app.connect("source-read", add_content_version)
    app.connect("builder-inited", add_static_files)
    app.connect("html-page-context", shrink_page_state, priority=400)
    app.connect("html-page-context", add_page_meta)
    app.connect("html-page-context", fix_citation_roles)
    app.connect("env-check-consistency", check_exercises_shown)
    app.connect("build-finished", write_manifest)
    app.connect("build-finished", write_front_door, priority=900)
    app.add_directive("post", PostDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

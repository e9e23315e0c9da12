"""The course's Sphinx extension (``coursebook`` in ``_config.yml``): joins the modules that
each do one job for the Jupyter Book build.

- ``validation``: check the course settings and every exercise file before reading;
- ``execution_cache``: re-execute a chapter when its data, the widgets, the judge's rules or the
  course settings change (per-document state in ``collector.CourseCollector``);
- ``page_state``: shrink each page's embedded widget state; serve the judge as one static file;
- ``page_meta``: the page's name and the storage guard in every page's head; citation markup;
- ``manifest``: ``_static/course-manifest.js``; warn when an exercise is never shown, or twice;
- ``front_door``: the site's ``index.html``;
- ``post_card``: the ``{post}`` directive;
- ``theme``: leave out the theme's Font Awesome script; name the search field by what it shows;
- ``page_weight``: the search index only on the search page; icon fonts cut to the icons used.
- ``diagrams``: a diagram's phone layout (``name.phone.svg``) offered to narrow screens.

The ``course:`` block of ``_config.yml`` is registered as the config value ``smx_course``
(rebuild: ``env``), so changing a setting re-reads every page, and the execution cache digest
includes it, so every page is executed again with the new value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from exercises.widgets import STATIC as WIDGET_STATIC

from .collector import CourseCollector
from .diagrams import add_phone_layouts
from .execution_cache import add_content_version, outdated_by_content
from .front_door import write_front_door
from .manifest import check_course_pages, check_exercises_shown, write_manifest
from .page_meta import add_page_meta, fix_citation_roles
from .page_state import shrink_page_state
from .page_weight import lighten_pages
from .post_card import PostDirective
from .settings import CourseConfigError, find_project_root, load_course_config
from .theme import drop_icon_script
from .validation import validate_content

SITE_STATIC = Path(__file__).with_name("static") / "site"
POSTCARD_CSS = WIDGET_STATIC / "postcard.css"
PROGRESS_STORE = WIDGET_STATIC / "progress_store.js"  # shared with the widgets and the LMS


def read_course_settings(app: Sphinx, config: Config) -> None:
    """Fill ``smx_course`` from ``_config.yml`` (Jupyter Book passes only ``sphinx.config``)."""
    if config.smx_course:
        return
    try:
        config.smx_course = load_course_config(find_project_root(app.srcdir)).as_dict()
    except CourseConfigError as exc:
        raise ExtensionError(f"course settings: {exc}") from None


def add_static_files(app: Sphinx) -> None:
    app.config.html_static_path.append(str(SITE_STATIC))
    app.config.html_static_path.append(str(POSTCARD_CSS))
    app.config.html_static_path.append(str(PROGRESS_STORE))
    app.add_css_file("postcard.css")
    app.add_css_file("course.css")
    app.add_js_file("progress_store.js")
    app.add_js_file("course-manifest.js")
    app.add_js_file("course.js", loading_method="defer")


PROGRESS_HOLDER = 'id="smx-progress"'


def add_progress_script(app: Sphinx, _pagename: str, _template: str, context: dict, _doctree):
    """The progress page's own script, on the page that has the progress holder only (every
    other page is 5 KB lighter for it)."""
    if PROGRESS_HOLDER in context.get("body", ""):
        app.add_js_file("course_progress.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("smx_course", {}, "env", types=[dict])
    app.add_env_collector(CourseCollector)
    app.connect("config-inited", read_course_settings)
    app.connect("config-inited", drop_icon_script)
    app.connect("builder-inited", validate_content)
    app.connect("env-get-outdated", outdated_by_content)
    app.connect("source-read", add_content_version)
    app.connect("builder-inited", add_static_files)
    app.connect("html-page-context", shrink_page_state, priority=400)
    app.connect("html-page-context", add_page_meta)
    app.connect("html-page-context", fix_citation_roles)
    app.connect("html-page-context", add_progress_script)
    app.connect("env-check-consistency", check_exercises_shown)
    app.connect("env-check-consistency", check_course_pages)
    app.connect("build-finished", write_manifest)
    app.connect("build-finished", write_front_door, priority=900)
    app.connect("build-finished", lighten_pages, priority=950)
    app.connect("build-finished", add_phone_layouts, priority=960)
    app.add_directive("post", PostDirective)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""The book platform: everything that turns ``book/`` into the static course site.

- ``chapter``: ``Chapter("pitfalls").show("vent-or-not")``, what a chapter's hidden cells call;
- ``settings``: the ``course:`` block of ``_config.yml``;
- ``figures``, ``outline``: charts drawn from data files; the instructor guide's outcomes map;
- the Sphinx extension (``coursebook`` in ``_config.yml``), one module per job: ``validation``,
  ``execution_cache``, ``page_state``, ``page_meta``, ``manifest``, ``front_door``, ``post_card``,
  ``theme``, ``collector`` (per-document state), joined in ``extension``;
- ``static/site/course.js``: the static page host that runs the widgets without a kernel.

Dependencies point one way: coursebook -> exercises -> autograder.judge.
"""

from __future__ import annotations

from typing import Any

from .chapter import Chapter
from .settings import CourseConfig, CourseConfigError, load_course_config

__all__ = ["Chapter", "CourseConfig", "CourseConfigError", "load_course_config", "setup"]


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (imported only by Sphinx, so notebooks never load Sphinx)."""
    from .extension import setup as setup_extension

    return setup_extension(app)

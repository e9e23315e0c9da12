"""What every page gets in its head (its name for course.js, the storage guard), and a fix for
docutils' bibliography markup."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STORAGE_GUARD = (Path(__file__).with_name("static") / "storage_guard.js").read_text(
    encoding="utf-8"
)


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

"""What every page gets in its head (its name for course.js, the storage guard), and a fix for
docutils' bibliography markup."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import rjsmin
from docutils import nodes
from sphinx.application import Sphinx

# Inlined in every page, so minified here (rjsmin, as the build minifies the static files):
# about 0.8 KB less on every page.
STORAGE_GUARD = rjsmin.jsmin(
    (Path(__file__).with_name("static") / "storage_guard.js").read_text(encoding="utf-8")
)


def fix_citation_roles(app: Sphinx, pagename: str, _templatename: str, context: dict, doctree):
    """Docutils marks bibliography entries with the deprecated ARIA role doc-biblioentry inside a
    role="list", which axe reports as a critical failure; make them plain list items."""
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


DESCRIPTION_LENGTH = 160  # search engines show about this much


def page_description(doctree: Any) -> str | None:
    """What the page is about, for ``<meta name="description">``: the chapter's question (its
    ``chapter-question`` box), else the page's first paragraph; shortened at a word."""
    if doctree is None:
        return None
    text = None
    for box in doctree.findall(nodes.admonition):
        if "chapter-question" in box.get("classes", []):
            text = " ".join(p.astext() for p in box.findall(nodes.paragraph))
            break
    if text is None:
        first = next(iter(doctree.findall(nodes.paragraph)), None)
        text = first.astext() if first is not None else None
    if not text:
        return None
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def add_page_meta(app: Sphinx, pagename: str, _templatename: str, context: dict, doctree: Any):
    """The page's name for course.js, its description, and the storage guard ahead of the
    theme's own scripts."""
    description = page_description(doctree) or app.config.smx_course.get("title", "")
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="description" content="{html.escape(description)}" />'
        f'\n<meta name="smx-page" content="{html.escape(pagename)}" />'
        f"\n<script>{STORAGE_GUARD}</script>"
    )

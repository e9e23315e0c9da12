"""A lighter, more accessible theme: leave out the scripts the site does not need, and name
the search field by what it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

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
    name_search_field(theme_dir, target)
    config.templates_path = [str(target), *config.templates_path]


SEARCH_LABEL = " aria-label=\"{{ _('Search') }}\""
SEARCH_ICON = '<i class="fa-solid fa-magnifying-glass"></i>'
QUIET_ICON = '<i class="fa-solid fa-magnifying-glass" aria-hidden="true"></i>'


def name_search_field(theme_dir: Path, target: Path) -> None:
    """The theme's search field shows "Search Ctrl + K" but is labelled "Search" alone, which
    WCAG 2.5.3 (label in name; axe's label-content-name-mismatch) forbids. Without the
    aria-label its name comes from what it shows. A copy of the component without the label
    is put ahead of the theme's own."""
    source = (theme_dir / "components" / "search-button-field.html").read_text(encoding="utf-8")
    if SEARCH_LABEL not in source:
        logger.warning("the theme's search field no longer has the aria-label this fix removes")
        return
    # The icon is decoration: without aria-hidden its private-use glyph starts the name.
    source = source.replace(SEARCH_LABEL, "").replace(SEARCH_ICON, QUIET_ICON)
    (target / "search-button-field.html").write_text(source, "utf-8")

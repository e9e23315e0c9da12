"""The site's ``index.html``: a complete page that sends readers to the first chapter."""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx

REDIRECT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>{title}</title>
<meta name="description" content="{title}: open the course." />
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
            title=html.escape(app.config.smx_course["title"]),
            target=html.escape(app.config.root_doc + ".html"),
            favicon=html.escape(favicon),
        ),
        encoding="utf-8",
    )

"""myst-nb mime renderer: a widget view becomes a placeholder the page script fills in.

myst-nb's own renderer writes a bare ``<script type="...widget-view+json">``; when scripts do not
run, the reader would see nothing at all. Ours wraps it with a visible "loading" line (replaced by
the exercise, or by a notice if it cannot start) and a ``<noscript>`` explanation.
Registered through the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from docutils import nodes

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

NOSCRIPT = (
    "This interactive exercise needs JavaScript. Turn JavaScript on in your browser, "
    "or open this chapter as a notebook in JupyterLab."
)


def widget_view_html(view: dict[str, Any]) -> str:
    content = json.dumps(view).replace("</", "<\\/")
    return (
        '<div class="smx-host">'
        f'<script type="{WIDGET_VIEW}">{content}</script>'
        '<div class="smx-mount"><p class="smx-loading">Loading the exercise&hellip;</p></div>'
        f'<noscript><p class="smx-static-notice">{NOSCRIPT}</p></noscript>'
        "</div>"
    )


class WidgetViewRenderer:
    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = []

    @staticmethod
    def handle_mime(_renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if inline or data.mime_type != WIDGET_VIEW:
            return None
        raw = data.content
        view = raw if isinstance(raw, dict) else json.loads(raw)
        return [nodes.raw(text=widget_view_html(view), format="html")]

"""Charts drawn at build time from small data files that carry their own source and alt text.

A chapter's hidden cell calls ``chart("digital_footprint/screening_by_year.yml")``; the file sits
in the chapter's folder and looks like::

    kind: bar                # bar (horizontal bars) or line
    title: Employers who screen candidates on social media
    unit: "%"                # appended to every value label
    x_label: Survey year     # line charts only
    alt: >-                  # what a reader who cannot see the chart needs to know
      A line rising from 11% in 2006 to 70% in 2017 and 2018.
    caption: The share of employers that screen candidates on social media has grown.
    source: CareerBuilder annual social media recruitment surveys, 2006-2018.
    data:
      - {label: "2006", value: 11}

The result displays as an HTML ``<figure>`` holding an SVG image (with the alt text) and a
caption ending in the source, in JupyterLab and in the static book alike. Nothing is fetched.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .settings import BOOK_DIR, find_project_root

PALETTE = {"bar": "#0b5cad", "accent": "#b35900", "text": "#1f2328", "grid": "#d0d7de"}
REQUIRED = ("kind", "title", "alt", "caption", "source", "data")


class FigureDataError(ValueError):
    """A chart data file that cannot be drawn."""


@dataclass(frozen=True)
class Figure:
    svg: str
    alt: str
    caption: str
    source: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return (
            '<figure class="smx-chart">'
            f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(self.alt)}" />'
            f"<figcaption>{html.escape(self.caption)} "
            f'<span class="smx-chart-source">Source: {html.escape(self.source)}</span>'
            "</figcaption></figure>"
        )


def _load(path: Path, source: str) -> dict[str, Any]:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FigureDataError(f"{source}: file not found") from None
    except yaml.YAMLError as exc:
        raise FigureDataError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise FigureDataError(f"{source}: the file must be a mapping of fields")
    for field in REQUIRED:
        if not spec.get(field):
            raise FigureDataError(f"{source}: field '{field}' is required")
    if spec["kind"] not in ("bar", "line"):
        raise FigureDataError(f"{source}: field 'kind' must be 'bar' or 'line'")
    for i, row in enumerate(spec["data"]):
        if not isinstance(row, dict) or "label" not in row or "value" not in row:
            raise FigureDataError(f"{source}: field 'data[{i}]' needs a label and a value")
        if not isinstance(row["value"], (int, float)) or isinstance(row["value"], bool):
            raise FigureDataError(f"{source}: field 'data[{i}].value' must be a number")
    return spec


def _draw(spec: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 12,
            "svg.fonttype": "path",  # no font files needed to view the SVG
            "svg.hashsalt": "smx",  # stable ids, so rebuilds produce identical files
            "axes.edgecolor": PALETTE["text"],
            "text.color": PALETTE["text"],
            "axes.labelcolor": PALETTE["text"],
            "xtick.color": PALETTE["text"],
            "ytick.color": PALETTE["text"],
        }
    )
    labels = [str(row["label"]) for row in spec["data"]]
    values = [row["value"] for row in spec["data"]]
    unit = spec.get("unit", "")
    if spec["kind"] == "bar":
        fig, ax = plt.subplots(figsize=(8, 0.55 * len(values) + 1.3))
        wrapped = ["\n".join(textwrap.wrap(label, 34)) for label in labels]
        positions = range(len(values))
        ax.barh(positions, values, color=PALETTE["bar"], height=0.62)
        ax.set_yticks(list(positions), wrapped)
        ax.invert_yaxis()
        for pos, value in zip(positions, values, strict=True):
            ax.text(value + max(values) * 0.01, pos, f"{value:g}{unit}", va="center")
        ax.set_xlim(0, max(values) * 1.15)
        ax.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
    else:
        fig, ax = plt.subplots(figsize=(8, 4.2))
        ax.plot(labels, values, color=PALETTE["bar"], marker="o", linewidth=2.5)
        for label, value in zip(labels, values, strict=True):
            ax.annotate(
                f"{value:g}{unit}",
                (label, value),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
            )
        ax.set_ylim(0, max(values) * 1.2)
        ax.grid(axis="y", color=PALETTE["grid"])
        ax.set_xlabel(spec.get("x_label", ""))
        ax.set_ylabel(spec.get("y_label", ""))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    # The title belongs to the whole figure, not the plot area, so long bar labels on the left
    # cannot push it off the edge; long titles wrap.
    title = "\n".join(textwrap.wrap(spec["title"], 70))
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def chart(data_file: str, *, root: str | Path | None = None) -> Figure:
    """Draw the chart described by ``book/<data_file>``."""
    root = Path(root) if root else find_project_root()
    path = root / BOOK_DIR / data_file
    source = f"{BOOK_DIR}/{data_file}"
    spec = _load(path, source)
    return Figure(
        svg=_draw(spec),
        alt=spec["alt"].strip(),
        caption=spec["caption"].strip(),
        source=spec["source"].strip(),
    )

"""Diagrams with a phone layout: ``name.phone.svg`` beside ``name.svg`` in a chapter's folder.

A diagram drawn to fill a laptop's text column is shrunk to fit a phone: the separate-or-joint
flow chart (760 units wide, text 18 units high) came out at 46% on a 390 px phone, its text
about 8 px high. Where the chapter's folder holds a second drawing of the same diagram laid out
for a narrow screen (taller, its text at least 16 units in a 340-unit width, so about 16 px on
that phone), the page offers it to narrow screens: after the build, the diagram's ``<img>``
becomes a ``<picture>`` whose ``<source media="(max-width: 575.98px)">`` names the phone
layout, with its own width and height so that its place is kept while it loads. One alt text
and one caption serve both; the "Open the diagram full size" link (course.js) still opens the
wide drawing, which a phone can zoom. Browsers fetch only the drawing they show.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

PHONE_SUFFIX = ".phone.svg"
# Bootstrap's "sm" breakpoint, as the theme uses: below it, one narrow column.
PHONE_MEDIA = "(max-width: 575.98px)"
PICTURE = "smx-phone-layout"
VIEW_BOX = re.compile(r'<svg[^>]*?\bviewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def phone_layout(source: Path) -> Path | None:
    """The phone layout drawn for the diagram at `source`, if there is one."""
    if source.suffix != ".svg" or source.name.endswith(PHONE_SUFFIX):
        return None
    candidate = source.with_name(source.stem + PHONE_SUFFIX)
    return candidate if candidate.is_file() else None


def _size(svg: Path) -> str:
    found = VIEW_BOX.search(svg.read_text(encoding="utf-8", errors="ignore")[:2000])
    if not found:
        return ""
    width, height = (round(float(n)) for n in found.groups())
    return f' width="{width}" height="{height}"'


def offer_phone_layout(html: str, image: str, phone: str, size: str) -> str:
    """`html` with every <img> of `image` (an address ending in _images/<name>) wrapped in a
    <picture> that offers `phone` to narrow screens; a page already done is left as it is."""
    if f'srcset="{phone}"' in html:
        return html
    tag = re.compile(r'<img\b[^>]*\bsrc="' + re.escape(image) + r'"[^>]*>')
    source = f'<source media="{PHONE_MEDIA}" srcset="{phone}"{size} />'
    return tag.sub(lambda m: f'<picture class="{PICTURE}">{source}{m.group(0)}</picture>', html)


def add_phone_layouts(app: Sphinx, exception: Exception | None) -> None:
    """Copy each phone layout next to its diagram in _images and offer it in the pages."""
    if exception is not None or app.builder.format != "html":
        return
    srcdir, outdir = Path(app.srcdir), Path(app.outdir)
    images_dir = outdir / app.builder.imagedir
    # env.images: {path from the source folder: ({documents using it}, name in _images)}
    for path, (docnames, name) in app.env.images.items():
        phone = phone_layout(srcdir / path)
        if phone is None or not (images_dir / name).is_file():
            continue
        phone_name = Path(name).stem + PHONE_SUFFIX
        shutil.copyfile(phone, images_dir / phone_name)
        size = _size(phone)
        for docname in docnames:
            page = outdir / app.builder.get_target_uri(docname)
            if not page.is_file():
                continue
            prefix = "../" * docname.count("/")
            folder = f"{prefix}{app.builder.imagedir}/"
            html = page.read_text(encoding="utf-8")
            done = offer_phone_layout(html, folder + name, folder + phone_name, size)
            if done != html:
                page.write_text(done, encoding="utf-8")

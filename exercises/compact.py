"""Make the widgets' front-end source smaller before it is embedded in every page.

Each exercise carries its module and stylesheet in the page's widget state, so comments and
indentation cost every reader bytes. These functions remove only what cannot change meaning:
whole-line comments, leading indentation and blank lines (JavaScript keeps its line breaks, so
automatic semicolon insertion sees the same code). A multi-line template literal would change
meaning if its lines lost their indentation, so one is refused with a clear error instead.
No minifier from npm is used: the course must build with Python alone.
"""

from __future__ import annotations

import re

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def compact_js(source: str, name: str = "<module>") -> str:
    out: list[str] = []
    in_block = False
    for number, line in enumerate(source.splitlines(), 1):
        text = line.strip()
        if in_block:
            if "*/" in text:
                in_block = False
                rest = text.split("*/", 1)[1].strip()
                if rest:
                    out.append(rest)
            continue
        if text.startswith("/*"):
            if "*/" not in text:
                in_block = True
            elif not text.endswith("*/"):
                out.append(text.split("*/", 1)[1].strip())
            continue
        if not text or text.startswith("//"):
            continue
        if text.count("`") % 2:
            raise ValueError(
                f"{name}, line {number}: a template literal spans several lines; "
                "keep each one on a single line so the module can be compacted"
            )
        out.append(text)
    return "\n".join(out) + "\n"


def compact_css(source: str) -> str:
    text = _CSS_COMMENT.sub("", source)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"

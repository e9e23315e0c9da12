"""The ``{post}`` directive: a social media post drawn as an accessible card.

The card's markup is described once, in ``exercises/static/postcard.json``: this module renders
that template to static HTML and the widgets' ``postCard`` (``exercises/static/core.js``) builds
the same elements in the browser. The account labels come from the judge's rules.yml.
"""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from autograder.judge.posts import load_rules
from exercises.widgets import post_card_template

# The account labels live in the judge's rules.yml (account_labels), the one place for them;
# the widgets' modules get the same words (exercises/widgets.py).
ACCOUNT_LABELS: dict[str, str] = load_rules().data["account_labels"]
_FIELD = re.compile(r"\{(\w+)\}")


def initials_of(author: str | None) -> str:
    """The first letters of the author's first two words ("?" without an author), as
    ``initialsOf`` in core.js."""
    firsts = "".join(word[:1] for word in (author or "").split())
    return firsts[:2].upper() or "?"


def render_template(node: dict[str, Any], fields: dict[str, str]) -> str:
    """One node of the card's template as HTML, every field escaped (``fromTemplate`` in
    core.js builds the same node as DOM)."""
    if node.get("if") and not fields.get(node["if"]):
        return ""

    def fill(pattern: str) -> str:
        return html.escape(_FIELD.sub(lambda m: fields.get(m[1]) or "", pattern))

    attrs = {"class": node["class"]} if "class" in node else {}
    attrs.update(node.get("attrs", {}))
    opening = "".join(f' {name}="{fill(value)}"' for name, value in attrs.items())
    if "text" in node:
        inner = fill(node["text"])
    else:
        inner = "".join(render_template(child, fields) for child in node.get("children", []))
    return f"<{node['tag']}{opening}>{inner}</{node['tag']}>"


def post_card_html(
    text: str,
    author: str | None = None,
    handle: str | None = None,
    account: str | None = None,
    meta: str | None = None,
    image_alt: str | None = None,
) -> str:
    """The card the widgets' ``postCard`` draws, as HTML with every value escaped."""
    fields = {
        "initials": initials_of(author),
        "author": author or "Someone",
        "handle": handle or "",
        "account": account or "",
        "account_label": ACCOUNT_LABELS.get(account, account) if account else "",
        "text": text,
        "image_alt": image_alt or "",
        "meta": meta or "",
    }
    return render_template(post_card_template()["card"], fields)


def _account(value: str) -> str:
    return directives.choice(value, tuple(ACCOUNT_LABELS))


class PostDirective(SphinxDirective):
    """Draw a social media post as a card::

    :::{post}
    :author: Dana Ortiz
    :handle: @dana_builds
    :account: professional
    :meta: LinkedIn · 2 h
    Our team just shipped the new volunteer sign-up page. Thank you @sam for the tests!
    :::
    """

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "author": directives.unchanged_required,
        "handle": directives.unchanged,
        "account": _account,
        "meta": directives.unchanged,
        "image-alt": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content).strip()
        if not text:
            raise self.error("a {post} needs the text of the post as its content")
        markup = post_card_html(
            text,
            author=self.options.get("author"),
            handle=self.options.get("handle"),
            account=self.options.get("account"),
            meta=self.options.get("meta"),
            image_alt=self.options.get("image-alt"),
        )
        return [nodes.raw("", markup, format="html")]

"""The ``{post}`` directive: a social media post drawn as an accessible card.

The card's markup is the one template in ``exercises/static/postcard.html`` that the widgets'
``postCard`` (core.js) also follows; the account labels come from the judge's rules.
"""

from __future__ import annotations

import html
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from autograder.judge.posts import load_rules

# The account labels live in the judge's rules.yml (account_labels), the one place for them;
# the widgets' modules get the same words (exercises/widgets.py).
ACCOUNT_LABELS: dict[str, str] = load_rules().data["account_labels"]


def post_card_html(
    text: str,
    author: str = "Someone",
    handle: str | None = None,
    account: str | None = None,
    meta: str | None = None,
    image_alt: str | None = None,
) -> str:
    """The same markup the widgets' ``postCard`` draws, with every value escaped."""
    esc = html.escape
    initials = "".join(word[:1] for word in author.split())[:2].upper() or "?"
    parts = [
        '<article class="smx-post">',
        '<header class="smx-post-head">',
        f'<span class="smx-avatar" aria-hidden="true">{esc(initials)}</span>',
        '<span class="smx-post-who">',
        f'<span class="smx-post-author">{esc(author)}</span>',
    ]
    if handle:
        parts.append(f'<span class="smx-post-handle">{esc(handle)}</span>')
    parts.append("</span>")
    if account:
        label = ACCOUNT_LABELS[account]
        parts.append(f'<span class="smx-badge smx-badge-{account}">{esc(label)}</span>')
    parts.append("</header>")
    parts.append(f'<p class="smx-post-text">{esc(text)}</p>')
    if image_alt:
        alt = esc(f"Photo: {image_alt}")
        parts.append(
            f'<figure class="smx-post-image" role="img" aria-label="{alt}">'
            f'<span aria-hidden="true">{alt}</span></figure>'
        )
    if meta:
        parts.append(f'<p class="smx-post-meta">{esc(meta)}</p>')
    parts.append("</article>")
    return "".join(parts)


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
            author=self.options.get("author", "Someone"),
            handle=self.options.get("handle"),
            account=self.options.get("account"),
            meta=self.options.get("meta"),
            image_alt=self.options.get("image-alt"),
        )
        return [nodes.raw("", markup, format="html")]

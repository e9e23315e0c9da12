"""The post card has one template (exercises/static/postcard.json): the ``{post}`` directive's
HTML (Python) and the widgets' ``postCard`` (JavaScript, run in headless Chromium) give the same
DOM for the same post, and every value a post carries goes in as text, never as markup."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursebook.post_card import ACCOUNT_LABELS, post_card_html
from exercises import widgets
from exercises.data import find_exercise_files, load_exercise_file

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'

# Posts as the exercise data gives them (platform and time; the directive's :meta: is both).
POSTS: list[dict[str, str]] = [
    {
        "author": "Dana Ortiz",
        "handle": "@dana_builds",
        "account": "professional",
        "platform": "LinkedIn",
        "time": "2 h",
        "text": "Shipped the sign-up page #volunteers #a11y, thanks @sam! https://example.org/?a=1&b=2",
    },
    {"author": "émile zola", "account": "personal", "text": "Bonjour 👋 #Paris"},
    {"author": "🎉 Party People", "text": "Tonight! RSVP at www.example.com @everyone"},
    {"text": "No author, no account, no meta."},
    {"author": "Ng", "platform": "Instagram", "text": "", "image_alt": "a cat on a keyboard"},
    *({"author": "Sam Lee", "account": account, "text": "x"} for account in ACCOUNT_LABELS),
    {
        "author": f"<b>Eve</b> {HOSTILE}",
        "handle": "@eve",
        "account": "joint",
        "platform": f"<i>X</i>{HOSTILE}",
        "time": "1 h & more",
        "text": f"{HOSTILE} & \"quotes\" 'too' </article></p>",
        "image_alt": f'a "quote" {HOSTILE}',
    },
]

# The DOM of a node as plain data: the tag, its attributes (order does not matter), its children.
TREE_JS = """
window.smxTree = function tree(node) {
  if (node.nodeType === Node.TEXT_NODE) return ["#text", node.data];
  const attrs = Object.fromEntries(Array.from(node.attributes, (a) => [a.name, a.value]));
  return [node.localName, attrs, Array.from(node.childNodes, tree)];
};
window.smxParse = function parse(markup) {
  const holder = document.createElement("template");
  holder.innerHTML = markup;  // test only: the Python side's HTML, to compare with postCard's
  if (holder.content.childNodes.length !== 1) throw new Error("not one card: " + markup);
  return holder.content.firstChild;
};
"""


def python_card(post: dict[str, str]) -> str:
    meta = " · ".join(part for part in (post.get("platform"), post.get("time")) if part)
    return post_card_html(
        post["text"],
        author=post.get("author"),
        handle=post.get("handle"),
        account=post.get("account"),
        meta=meta or None,
        image_alt=post.get("image_alt"),
    )


def posts_in(value: Any) -> Iterator[dict[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "post" and isinstance(item, dict):
                yield item
            else:
                yield from posts_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from posts_in(item)


def book_exercise_posts() -> list[dict[str, str]]:
    found = []
    for path in find_exercise_files(ROOT / "book"):
        found.extend(posts_in(load_exercise_file(path, root=ROOT).exercises))
    return found


_DIRECTIVE = re.compile(r"^:::\{post\}\n((?::[\w-]+:[^\n]*\n)*)(.*?)^:::$", re.M | re.S)


def book_directive_posts() -> list[dict[str, str]]:
    """Every ``{post}`` in the book's pages, as a post (its :meta: standing for the platform)."""
    found = []
    for page in sorted((ROOT / "book").glob("*.md")):
        for options, content in _DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            opts = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", options, re.M))
            post = {"text": content.strip(), "platform": opts.get("meta", "")}
            post |= {
                k: opts[o]
                for k, o in [
                    ("author", "author"),
                    ("handle", "handle"),
                    ("account", "account"),
                    ("image_alt", "image-alt"),
                ]
                if o in opts
            }
            found.append(post)
    return found


def load_post_card(page, module: str) -> None:
    page.set_content("<!doctype html><html lang='en'><body></body></html>")
    page.add_script_tag(content=TREE_JS)
    # The module a widget ships (progress store, core.js, one type), exposing its postCard.
    page.add_script_tag(content=f"{module}\nwindow.smxPostCard = postCard;\n", type="module")
    page.wait_for_function("typeof window.smxPostCard === 'function'")


def compare(page, posts: list[dict[str, str]]) -> list[dict[str, Any]]:
    """For each post: the JS card's tree, the Python card's tree and whether the DOM is equal."""
    return page.evaluate(
        """([posts, markups]) => posts.map((post, i) => {
            const js = window.smxPostCard(post);
            const py = window.smxParse(markups[i]);
            return { js: window.smxTree(js), py: window.smxTree(py), equal: js.isEqualNode(py) };
        })""",
        [posts, [python_card(post) for post in posts]],
    )


def assert_same_cards(page, posts: list[dict[str, str]]) -> None:
    for post, result in zip(posts, compare(page, posts), strict=True):
        assert result["js"] == result["py"], f"the two cards differ for {post}"
        assert result["equal"], f"isEqualNode says the cards differ for {post}"


def test_python_and_javascript_draw_the_same_card(page):
    load_post_card(page, widgets.front_end("multiple_choice"))
    assert_same_cards(page, POSTS)
    assert not page.problems


def test_every_post_in_the_book_is_drawn_the_same_by_both(page):
    posts = book_exercise_posts() + book_directive_posts()
    # Widgets show posts in several exercise types; the book's pages hold many {post} cards.
    assert len(book_directive_posts()) >= 30 and len(book_exercise_posts()) >= 30
    load_post_card(page, widgets.front_end("sort_the_posts"))
    assert_same_cards(page, posts)


def test_the_card_is_the_template_in_both_languages(page, tmp_path, monkeypatch):
    """Change the template file and both cards change with it: neither keeps its own markup."""
    template = widgets.post_card_template()
    changed = json.loads(json.dumps(template))
    card = changed["card"]
    card["attrs"] = {"data-edited": "yes"}
    card["children"].reverse()
    card["children"].append({"tag": "footer", "class": "smx-new", "text": "By {author}"})
    edited = tmp_path / "postcard.json"
    edited.write_text(json.dumps(changed), encoding="utf-8")
    monkeypatch.setattr(widgets, "POSTCARD_TEMPLATE", edited)
    caches = (widgets.post_card_template, widgets.shared_constants, widgets.front_end)
    for cached in caches:
        cached.cache_clear()
    try:
        markup = python_card(POSTS[0])
        assert markup.startswith('<article class="smx-post" data-edited="yes"><p class="smx-post')
        assert markup.endswith('<footer class="smx-new">By Dana Ortiz</footer></article>')
        load_post_card(page, widgets.front_end("multiple_choice"))
        assert_same_cards(page, POSTS)
    finally:
        for cached in caches:
            cached.cache_clear()


def test_post_values_go_in_as_text_never_as_markup(page):
    load_post_card(page, widgets.front_end("multiple_choice"))
    hostile = POSTS[-1]
    found = page.evaluate(
        """([post, markup]) => {
            const cards = [window.smxPostCard(post, { id: "c1", "aria-label": "Post 1" }),
                           window.smxParse(markup)];
            return cards.map((card) => {
                document.body.append(card);
                const pick = (selector) => card.querySelector(selector);
                return {
                    tags: [...new Set(Array.from(card.querySelectorAll("*"), (e) => e.localName))],
                    author: pick(".smx-post-author").textContent,
                    text: pick(".smx-post-text").textContent,
                    meta: pick(".smx-post-meta").textContent,
                    photo: pick(".smx-post-image").getAttribute("aria-label"),
                    id: card.id,
                    label: card.getAttribute("aria-label"),
                };
            });
        }""",
        [hostile, python_card(hostile)],
    )
    page.wait_for_timeout(200)  # an injected <img onerror> would have fired by now
    assert page.evaluate("window.pwned") is None
    for card in found:
        assert sorted(card["tags"]) == ["figure", "header", "p", "span"]
        assert card["author"] == hostile["author"]
        assert card["text"] == hostile["text"]
        assert card["meta"] == f"{hostile['platform']} · {hostile['time']}"
        assert card["photo"] == f"Photo: {hostile['image_alt']}"
    js, py = found
    # The widgets' extra attributes (a sort-the-posts card's id and name) land on the card.
    assert (js["id"], js["label"]) == ("c1", "Post 1") and (py["id"], py["label"]) == ("", None)


def test_post_card_html_escapes_every_value():
    markup = post_card_html(
        "<script>alert(1)</script> & more",
        author="<b>Eve</b>",
        handle="@eve",
        account="personal",
        meta="X · 1 h",
        image_alt='a "quote"',
    )
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in markup
    assert 'aria-label="Photo: a &quot;quote&quot;"' in markup
    assert "Personal account" in markup


def test_editing_the_template_re_executes_the_chapters():
    """The template is among the inputs of the execution cache's digest, so a cached build
    cannot keep widgets that carry the old card."""
    from coursebook.execution_cache import CONTENT_INPUTS

    inputs = {path.resolve() for pattern in CONTENT_INPUTS for path in ROOT.glob(pattern)}
    assert widgets.POSTCARD_TEMPLATE.resolve() in inputs

"""Compacting the widgets' source must remove only what cannot change its meaning."""

from __future__ import annotations

import pytest

from exercises.compact import compact_css, compact_js


def test_comments_indentation_and_blank_lines_go():
    source = """// header comment
/* a block
   comment */
function f(a) {
    // inside
    const url = "https://example.org/x"; // trailing comments stay (they are harmless)

    return `${a} // not a comment`;
}
"""
    assert compact_js(source) == (
        "function f(a) {\n"
        'const url = "https://example.org/x"; // trailing comments stay (they are harmless)\n'
        "return `${a} // not a comment`;\n"
        "}\n"
    )


def test_line_breaks_are_kept_for_automatic_semicolons():
    assert compact_js("let a = 1\nlet b = a\n  (b)\n") == "let a = 1\nlet b = a\n(b)\n"


def test_a_multi_line_template_literal_is_refused():
    with pytest.raises(ValueError, match=r"x\.js, line 1: a template literal spans several lines"):
        compact_js("const t = `one\n  two`;\n", "x.js")


def test_css_comments_and_indentation_go():
    assert compact_css("/* c */\n.a {\n  color: red; /* x */\n}\n") == ".a {\ncolor: red;\n}\n"

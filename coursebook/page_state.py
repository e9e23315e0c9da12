"""Shrink the widget state myst-nb embeds in each page, and serve the judge as one static file.

The state is read and written through myst-nb's public ``NbMetadataCollector`` hooks.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx

STATE_KEY = "ipywidgets_state"
SHARE_MIN_LENGTH = 512  # strings shorter than this are cheaper to repeat than to reference


def _widget_state(env: Any, docname: str) -> tuple[str | None, dict] | None:
    """The page's embedded widget state as myst-nb registered it: (uri, script attributes)."""
    return NbMetadataCollector.get_js_files(env, docname).get(STATE_KEY) or None


def _parse_state(body: str) -> dict:
    return json.loads(body.replace("<\\/script>", "</script>"))


def drop_unused_layouts(state: dict) -> dict:
    """Remove ipywidgets Layout models when only anywidget models refer to them.

    The course host never reads layouts, and each one costs about 1.4 KB per widget.
    """
    models = state.get("state", {})
    if all(
        m.get("model_module") == "anywidget" or m.get("model_name") == "LayoutModel"
        for m in models.values()
    ):
        state["state"] = {k: m for k, m in models.items() if m.get("model_name") != "LayoutModel"}
    return state


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _common_prefix(values: list[str]) -> str:
    """The longest run of whole lines every value starts with."""
    first, last = min(values), max(values)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[: first.rfind("\n", 0, size) + 1] if size else ""


def share_long_strings(state: dict) -> dict:
    """Store each long string the page's models share only once; idempotent.

    A value shared whole becomes ``{"$smx": [key]}``. The front-end modules of different
    exercise types start with the same helpers (core.js), so those become
    ``{"$smx": [prefix_key, rest_key]}``: the host joins the parts back together.
    """
    shared: dict[str, str] = dict(state.get("smx_shared", {}))
    models = [m.get("state", {}) for m in state.get("state", {}).values()]
    counts: dict[str, int] = {}
    modules: set[str] = set()
    for inner in models:
        for name, value in inner.items():
            if isinstance(value, str) and len(value) >= SHARE_MIN_LENGTH:
                counts[value] = counts.get(value, 0) + 1
                if name == "_esm":
                    modules.add(value)
    prefix = _common_prefix(sorted(modules)) if len(modules) > 1 else ""
    if len(prefix) < SHARE_MIN_LENGTH:
        prefix = ""
    for inner in models:
        for name, value in inner.items():
            if not isinstance(value, str):
                continue
            if prefix and name == "_esm" and value.startswith(prefix):
                parts = [prefix, value[len(prefix) :]]
            elif counts.get(value, 0) > 1:
                parts = [value]
            else:
                continue
            keys = []
            for part in parts:
                shared[_key(part)] = part
                keys.append(_key(part))
            inner[name] = {"$smx": keys}
    if shared:
        state["smx_shared"] = shared
    return state


def _write_keyed_script(target: Path, registry: str, key: str, value_json: str) -> None:
    """Write (once) a classic script that puts a value in ``window[registry][key]``: course.js
    loads it with a <script> element, which also works from file:// pages. Written whole or not
    at all, since pages are written by parallel processes (sphinx -j) and two of them may write
    the same file at once."""
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_text(
        f"window.{registry} = window.{registry} || {{}};\n"
        f'window.{registry}["{key}"] = {value_json};\n',
        encoding="utf-8",
    )
    os.replace(partial, target)


JUDGE_FIELDS = ("judge_source", "judge_rules")
JUDGE_DIR = "judge"


def move_judge_to_file(state: dict, outdir: Path) -> dict:
    """Serve the judge (its module and rules, about 85 KB) as one static file, not in the page.

    The browser then caches it across pages, and the exercises load it only when a learner
    reaches them (see judge_bridge.js), so a page's first load stays light. The model keeps
    ``{"$smxfile": key}`` in place of each value; the static host resolves it on demand. A
    classic script, not JSON, so that it also loads from file:// pages.
    """
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if not all(isinstance(inner.get(name), str) for name in JUDGE_FIELDS):
            continue
        payload = {name: inner[name] for name in JUDGE_FIELDS}
        key = _key(payload["judge_source"] + payload["judge_rules"])
        target = outdir / "_static" / JUDGE_DIR / f"judge-{key}.js"
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        _write_keyed_script(target, "smxJudgeFiles", key, text)
        for name in JUDGE_FIELDS:
            inner[name] = {"$smxfile": key}
    return state


MODULE_DIR = "smx"
MODULE_REF = "$smxmodule"


def module_file(key: str) -> str:
    """Where a part of a widget module is served, relative to _static."""
    return f"{MODULE_DIR}/module-{key}.js"


def move_modules_to_files(state: dict, outdir: Path) -> dict:
    """Serve the widgets' front-end modules as static files, not in the page; idempotent.

    The modules (about 40 KB of an exercise page's HTML, the same on every page) were part of
    each page, so a slow phone downloaded them again with every chapter before it could paint
    the first word (Lighthouse counts the whole HTML document before the first paint). As files,
    the browser keeps them across pages, and course.js asks for a module only when a widget
    that needs it is about to be drawn, or when the page is idle. A module keeps its parts
    (``share_long_strings``: the helpers every type shares, then its own rest), one file per
    part, so the shared helpers are one file for the whole site; the model keeps
    ``{"$smxmodule": [key, ...]}``. Classic scripts, not JSON, so that they load from file://
    pages too.
    """
    shared: dict[str, str] = state.get("smx_shared", {})
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        value = inner.get("_esm")
        if isinstance(value, str):
            parts = [value]
        elif isinstance(value, dict) and isinstance(value.get("$smx"), list):
            parts = [shared[k] for k in value["$smx"]]
        else:
            continue
        keys = []
        for part in parts:
            key = _key(part)
            target = outdir / "_static" / module_file(key)
            _write_keyed_script(target, "smxModules", key, json.dumps(part, ensure_ascii=False))
            keys.append(key)
        inner["_esm"] = {MODULE_REF: keys}
    still = {  # the parts other values (a stylesheet several widgets share ...) still need
        key
        for model in state.get("state", {}).values()
        for value in model.get("state", {}).values()
        if isinstance(value, dict) and isinstance(value.get("$smx"), list)
        for key in value["$smx"]
    }
    for key in set(shared) - still:
        del shared[key]
    if "smx_shared" in state and not shared:
        del state["smx_shared"]
    return state


def minify_modules(state: dict) -> dict:
    """Minify each widget's module (rjsmin) and stylesheet (rcssmin); idempotent.

    The widgets' source arrives compacted (exercises/compact.py keeps one statement a line, no
    comments or indentation); rjsmin also takes out the spaces inside each line, and rcssmin
    the rest of the stylesheet's: about 3.5 KB less on every exercise page (41.2 to 37.7 KB
    of shared module and style text on the review page). Each line is minified on its own
    and the line breaks stay, so automatic semicolon insertion sees the same code and the
    modules still share their common lines (``share_long_strings``).
    """
    import rcssmin
    import rjsmin

    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if isinstance(inner.get("_esm"), str):
            lines = inner["_esm"].split("\n")
            inner["_esm"] = "\n".join(rjsmin.jsmin(line) for line in lines)
        if isinstance(inner.get("_css"), str):
            inner["_css"] = rcssmin.cssmin(inner["_css"])
    return state


def shrink_page_state(app: Sphinx, pagename: str, _templatename: str, context: dict, doctree: Any):
    found = _widget_state(app.env, pagename)
    if found is None:
        return
    uri, kwargs = found
    state = move_judge_to_file(_parse_state(kwargs["body"]), Path(app.outdir))
    state = share_long_strings(minify_modules(drop_unused_layouts(state)))
    state = move_modules_to_files(state, Path(app.outdir))
    body = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    escaped = body.replace("</script>", "<\\/script>")
    NbMetadataCollector.add_js_file(app.env, pagename, STATE_KEY, uri, {**kwargs, "body": escaped})


def exercises_on_page(env: Any, docname: str) -> list[dict[str, Any]]:
    """The exercise widgets a page displays, in the order of its chapter's exercise file."""
    found = _widget_state(env, docname)
    if found is None:
        return []
    state = _parse_state(found[1]["body"])
    shown = []
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if model.get("model_module") == "anywidget" and inner.get("exercise_id"):
            shown.append(
                {
                    "chapter": inner.get("chapter"),
                    "id": inner["exercise_id"],
                    "graded": bool(inner.get("graded", True)),
                }
            )
    declared: dict[str, list[str]] = getattr(env, "smx_declared", {})

    def position(item: dict[str, Any]) -> tuple[int, str]:
        ids = declared.get(item["chapter"], [])
        return (ids.index(item["id"]) if item["id"] in ids else len(ids), item["id"])

    return sorted(shown, key=position)

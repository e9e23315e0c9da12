"""The packages depend on each other in one direction only.

coursebook (the book platform) -> exercises (the widgets) -> autograder.judge;
autograder.grading -> autograder.judge and the exercise data schema (exercises.data);
lms reads the built site and the course settings (coursebook.settings) only.
Every import is found by walking the source, including imports inside functions (lazy ones).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("coursebook", "exercises", "lms", "autograder.judge", "autograder.grading")
# package -> the packages (or single modules) it may import
ALLOWED = {
    "coursebook": {"exercises", "autograder.judge"},
    "exercises": {"autograder.judge"},
    "lms": {"coursebook.settings"},
    "autograder.judge": set(),
    # the grading package reads the exercise data schema, and the list of fix-the-post
    # exercises comes from the book's data files (read as data, not imported)
    "autograder.grading": {"autograder.judge", "exercises.data"},
}


def package_of(module: str) -> str | None:
    for name in sorted(PACKAGES, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path)
    found = set()
    for node in ast.walk(tree):  # every node: lazy imports inside functions too
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = here.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def edges() -> list[tuple[str, str, str]]:
    out = []
    for top in ("coursebook", "exercises", "lms", "autograder"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "course" in path.relative_to(ROOT).parts[2:3]:
                continue  # the nbgrader course folder holds notebooks' support files
            source = package_of(module_name(path))
            if source is None:
                continue
            for target in imports_of(path):
                dest = package_of(target)
                if dest is not None and dest != source:
                    out.append((source, target, str(path.relative_to(ROOT))))
    return out


def allowed(source: str, target: str) -> bool:
    return any(target == a or target.startswith(a + ".") for a in ALLOWED[source])


def test_every_import_between_packages_points_the_allowed_way():
    found = edges()
    assert found, "the walk found no imports between packages at all"
    wrong = [(f, s, t) for s, t, f in found if not allowed(s, t)]
    assert not wrong, wrong


def test_there_is_no_cycle_between_packages():
    graph: dict[str, set[str]] = {p: set() for p in PACKAGES}
    for source, target, _ in edges():
        dest = package_of(target)
        if dest is not None:
            graph[source].add(dest)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [p for p in PACKAGES if reaches(p, p, {p})]
    assert not cycles, {p: graph[p] for p in cycles}


def test_the_walk_sees_lazy_imports(tmp_path):
    """A lazy import inside a function counts (the walk would otherwise miss hidden cycles)."""
    sample = ROOT / "exercises" / "widgets.py"
    assert any(t.startswith("autograder.judge") for t in imports_of(sample))

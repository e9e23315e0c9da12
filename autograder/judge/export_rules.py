"""Export the rules for the browser engine, and refresh derived word lists.

    python -m autograder.judge.export_rules                     # writes js/rules.json
    python -m autograder.judge.export_rules --output FILE       # writes somewhere else
    python -m autograder.judge.export_rules --refresh-lexicons  # re-derives lexicons/*.txt

rules.json is the compiled form of rules.yml (see autograder/judge/rules.py); it is generated, not
committed. The derived word list lexicons/better_profanity.txt is committed, so the judge needs no
extra package at run time; --refresh-lexicons rebuilds it from the installed ``better-profanity``
package (MIT licence), whose version is pinned for that purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from importlib import metadata, resources
from pathlib import Path

from autograder.judge.rules import DEFAULT_RULES, HERE, CompiledRules, RulesError, compile_rules

DEFAULT_OUTPUT = HERE / "js" / "rules.json"
PROFANITY_SNAPSHOT = HERE / "lexicons" / "better_profanity.txt"


def rules_json(rules: CompiledRules) -> str:
    return json.dumps(rules, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def export(output: Path = DEFAULT_OUTPUT, source: Path = DEFAULT_RULES) -> Path:
    """Compile ``source`` and write it to ``output`` atomically (other processes may read it)."""
    text = rules_json(compile_rules(source))
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".json", dir=output.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, output)
    return output


def better_profanity_words() -> tuple[str, list[str], str]:
    """The better-profanity word list, its version and its licence text."""
    version = metadata.version("better-profanity")
    words = (
        resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text("utf-8")
    )
    dist = metadata.distribution("better-profanity")
    licence = next(
        (f.read_text() for f in dist.files or [] if f.name.upper().startswith("LICENSE")), ""
    )
    return version, [w.strip() for w in words.splitlines() if w.strip()], licence or ""


def snapshot_text() -> str:
    version, words, licence = better_profanity_words()
    header = [
        f"# Word list of the better-profanity package, version {version}, unchanged.",
        "# Regenerate with: python -m autograder.judge.export_rules --refresh-lexicons",
        "# rules.yml decides which of these words the judge uses, and in which category.",
        "#",
        "# Licence of the word list (MIT), as shipped with the package:",
    ]
    header += [("# " + line).rstrip() for line in licence.strip().splitlines()]
    return "\n".join(header + words) + "\n"


def refresh_lexicons() -> Path:
    PROFANITY_SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    PROFANITY_SNAPSHOT.write_text(snapshot_text(), encoding="utf-8")
    return PROFANITY_SNAPSHOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="rules file (YAML)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    parser.add_argument(
        "--refresh-lexicons",
        action="store_true",
        help="re-derive lexicons/better_profanity.txt from the better-profanity package",
    )
    args = parser.parse_args(argv)
    try:
        if args.refresh_lexicons:
            try:
                print(f"wrote {refresh_lexicons()}")
            except metadata.PackageNotFoundError:
                print(
                    "error: install better-profanity first (pip install better-profanity)",
                    file=sys.stderr,
                )
                return 2
        print(f"wrote {export(args.output, args.rules)}")
    except RulesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

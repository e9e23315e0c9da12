"""The judge's labelled corpus: reading it, and how it was split (see ``corpus/README.md``).

``corpus/train.yml``, ``corpus/dev.yml`` and ``corpus/test.yml`` hold the posts; ``rewrites.yml``
the labelled rewrites of the course's own fix-the-post posts. The old vectors
(``tests/vectors/posts.yml``) join the training split (their ``dev`` posts) or stay apart as the
old held-out split (``heldout``), which the benchmark still reports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
OLD_VECTORS = HERE.parents[1] / "tests" / "vectors" / "posts.yml"
SECOND = CORPUS / "second"  # the second round of batches, kept as written (one file each)
THIRD = CORPUS / "third"  # the third round: training and dev only, no test split of its own
FOURTH = CORPUS / "fourth"  # the fourth round: the same (see corpus/README.md)
FIFTH = CORPUS / "fifth"  # the fifth round: the same
SIXTH = CORPUS / "sixth"  # the sixth round: the same
SPLITS = ("train", "dev", "test", "test2")
TEST_SHARE, DEV_SHARE = 22, 20  # per cent of the written batches, by a hash of the post id
# The second round's own frozen test split ("test2") and its dev share, by the same kind of hash.
TEST2_SHARE, DEV2_SHARE = 15, 20
LATER_DEV_SHARE = 20  # the third to sixth rounds: this share to dev, the rest to train
# The rounds written after both test splits were scored, to train and tune on only.
LATER_ROUNDS = (("third", THIRD), ("fourth", FOURTH), ("fifth", FIFTH), ("sixth", SIXTH))


@dataclass(frozen=True)
class Post:
    id: str
    account: str
    text: str
    verdict: str
    categories: tuple[str, ...]
    partial: bool = False  # fine to post, but the info-level categories were not labelled


@dataclass(frozen=True)
class Rewrite:
    id: str
    post: str  # chapter/exercise-id or fix_the_posts/post-id
    kind: str
    passes: bool
    text: str
    split: str
    # the second round's still_risky and sarcastic rewrites: what makes them risky as posts
    categories: tuple[str, ...] = ()
    verdict: str | None = None


REWRITE_FILES = ("rewrites.yml", "rewrites_second.yml", "rewrites_fourth.yml")


@lru_cache(maxsize=32)
def _read(path: Path) -> Any:
    """A corpus file, parsed once per process: the splits, the benchmark and the tests read
    the same files many times (the second round alone is eight files, 5,165 posts)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _post(item: dict[str, Any]) -> Post:
    return Post(
        str(item["id"]),
        item["account"],
        item["text"],
        item["verdict"],
        tuple(item.get("categories") or ()),
    )


def course_rewrites() -> list[Post]:
    """Training posts from the course's own fix-the-post exercises: every model rewrite and
    every good rewrite of the dev split, as posts that are fine on their account (their
    info-level categories, such as adds_value, were not labelled); and the dev rewrites that
    carry a verdict (the second round's still_risky and sarcastic ones) as the risky posts they
    are. The test split's rewrites are never used."""
    from autograder.judge.course_posts import fix_posts

    table = fix_posts()
    out = [
        Post(f"model:{ident}", e["account"], e["model_rewrite"], "ok", (), True)
        for ident, e in sorted(table.items())
    ]
    good, risky = [], []  # in this order: the training rows (and so the model) depend on it
    for r in load_rewrites("dev"):
        account = table[r.post]["account"]
        if r.passes:
            good.append(Post(f"rewrite:{r.id}", account, r.text, "ok", (), True))
        elif r.verdict:
            risky.append(Post(f"rewrite:{r.id}", account, r.text, r.verdict, r.categories, True))
    return out + good + risky


def split_of(ident: str) -> str:
    """Where a written post goes: fixed by its id, so the split never depends on the order."""
    n = int(hashlib.sha256(ident.encode("utf-8")).hexdigest(), 16) % 100
    return "test" if n < TEST_SHARE else "dev" if n < TEST_SHARE + DEV_SHARE else "train"


def second_split_of(ident: str) -> str:
    """Where a second-round post goes: ``test2`` (frozen, like ``test``), ``dev`` or ``train``.
    The first round's ``test`` split is never changed by the second round."""
    if ident.startswith("m"):  # batch m is contrast pairs (m0001 and m0002, ...): one split
        ident = f"m-pair-{(int(ident[1:]) + 1) // 2}"
    n = int(hashlib.sha256(("second:" + ident).encode("utf-8")).hexdigest(), 16) % 100
    return "test2" if n < TEST2_SHARE else "dev" if n < TEST2_SHARE + DEV2_SHARE else "train"


def later_split_of(ident: str, round_name: str) -> str:
    """Where a post of a later round (``LATER_ROUNDS``) goes: ``dev`` or ``train``. Those rounds
    were written after both test splits had been scored, to train on; they have no test split
    of their own. The hash is salted with the round's name."""
    n = int(hashlib.sha256(f"{round_name}:{ident}".encode()).hexdigest(), 16) % 100
    return "dev" if n < LATER_DEV_SHARE else "train"


def second_round(folder: Path = SECOND) -> list[dict[str, Any]]:
    """Every post of a later round's batch files (``second/*.yml`` by default), in file order."""
    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yml")):
        out += _read(path)["posts"]
    return out


def load_posts(split: str) -> list[Post]:
    """The posts of one split; ``train`` includes the old vectors' dev posts and ``heldout`` is
    the old held-out split. ``train`` and ``dev`` also take their share of the second round
    (``second/``), and ``test2`` is the second round's frozen test split."""
    if split == "heldout" or split == "old_dev":
        data = _read(OLD_VECTORS)["posts"]
        want = "heldout" if split == "heldout" else "dev"
        return [_post(p) for p in data if p["split"] == want]
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use {', '.join(SPLITS)} or heldout")
    posts = []
    if split != "test2":
        posts = [_post(p) for p in _read(CORPUS / f"{split}.yml")["posts"]]
    if split != "test":
        posts += [_post(p) for p in second_round() if second_split_of(str(p["id"])) == split]
    if split in ("train", "dev"):
        for name, folder in LATER_ROUNDS:
            posts += [
                _post(p)
                for p in second_round(folder)
                if later_split_of(str(p["id"]), name) == split
            ]
    if split == "train":
        posts += load_posts("old_dev")
    return posts


def load_rewrites(split: str | None = None) -> list[Rewrite]:
    data = [r for name in REWRITE_FILES for r in _read(CORPUS / name)["rewrites"]]
    out = [
        Rewrite(
            str(r["id"]),
            r["post"],
            r["kind"],
            bool(r["passes"]),
            r["text"],
            r.get("split") or split_of(str(r["id"])).replace("train", "dev"),
            tuple(r.get("categories") or ()),
            r.get("verdict"),
        )
        for r in data
    ]
    return [r for r in out if split is None or r.split == split]


def second_labels() -> list[Post]:
    """A second, independent label for 500 dev posts (``corpus/second_labels.yml``): the same
    posts (id, account and text) with the second labeller's verdict and categories, to measure
    how often two careful readers agree (the benchmark prints it). Never used to train."""
    dev = {p.id: p for p in load_posts("dev")}
    out = []
    for item in _read(CORPUS / "second_labels.yml")["labels"]:
        post = dev[str(item["id"])]
        out.append(_post({**item, "account": post.account, "text": post.text}))
    return out


def split_batches(batches: list[Path]) -> dict[str, int]:
    """How the written batch files became train.yml, dev.yml and test.yml (done once, in
    December 2026, before any training; kept so the procedure can be checked)."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in ("train", "dev", "test")}
    for path in batches:
        for post in yaml.safe_load(path.read_text(encoding="utf-8"))["posts"]:
            out[split_of(str(post["id"]))].append(post)
    for split, posts in out.items():
        header = (CORPUS / "README.md").read_text(encoding="utf-8").split("\n")[0].lstrip("# ")
        lines = [f"# {header}: the {split} split. See README.md beside this file.", "posts:"]
        for p in posts:
            lines.append(f"- id: {p['id']}")
            for key in ("account", "platform", "persona"):
                if p.get(key):
                    lines.append(f"  {key}: {_quote(p[key])}")
            lines.append(f"  text: {_quote(p['text'])}")
            lines.append(f"  verdict: {p['verdict']}")
            lines.append(f"  categories: [{', '.join(p.get('categories') or [])}]")
            if p.get("note"):
                lines.append(f"  note: {_quote(p['note'])}")
        (CORPUS / f"{split}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {s: len(p) for s, p in out.items()}


def _quote(value: Any) -> str:
    import json

    return json.dumps(str(value), ensure_ascii=False)

"""Run the JavaScript engine under Node from Python (for the tests and the benchmark).

All calls go to one Node process (``autograder/judge/js/judge-batch.mjs``), one JSON line each way,
so thousands of posts cost one process start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from autograder.judge.rules import HERE

BATCH = HERE / "js" / "judge-batch.mjs"


def node_path() -> str | None:
    return os.environ.get("NODE") or shutil.which("node")


def run_batch(calls: list[dict[str, Any]], rules_json: Path, timeout: float = 600) -> list[str]:
    """Run ``calls`` ({"op": ..., "args": [...]}) and return one JSON text per call."""
    node = node_path()
    if node is None:
        raise FileNotFoundError("node is not installed")
    payload = "".join(json.dumps(c) + "\n" for c in calls)
    proc = subprocess.run(
        [node, str(BATCH), str(rules_json)],
        input=payload.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node failed: {proc.stderr.decode('utf-8', 'replace')}")
    lines = proc.stdout.decode("utf-8").splitlines()
    if len(lines) != len(calls):
        raise RuntimeError(f"node answered {len(lines)} of {len(calls)} calls")
    return lines


def time_batch(calls: list[dict[str, Any]], rules_json: Path, repeat: int = 1) -> float:
    """Seconds Node needs for ``repeat`` rounds of ``calls`` (after one warm-up round)."""
    node = node_path()
    if node is None:
        raise FileNotFoundError("node is not installed")
    payload = "".join(json.dumps(c) + "\n" for c in calls)
    proc = subprocess.run(
        [node, str(BATCH), str(rules_json), "--time"],
        input=payload.encode("utf-8"),
        capture_output=True,
        check=True,
        env={**os.environ, "JUDGE_REPEAT": str(repeat)},
    )
    return float(json.loads(proc.stdout)["seconds"])

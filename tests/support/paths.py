"""Paths, the browser's location and the environment for the project's tools: what tests share.

Tests import helpers from ``support`` (on the test path through ``pythonpath`` in
``pyproject.toml``), never from ``conftest``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


BUILD_DIR = ROOT / "_build"
SITE_DIR = BUILD_DIR / "html"
SUB_PATH = "lms/courses/two-presences/"


def venv_env() -> dict[str, str]:
    """The environment for running the project's tools: the venv's bin/ first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env

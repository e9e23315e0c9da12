"""Run every benchmark and print their tables (`make bench`). Nothing here asserts a time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["site_performance.py", "judge_quality.py", "judge_speed_pair.py", "grading_speed.py"]


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        print(f"\n===== {name} =====\n", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / name)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())

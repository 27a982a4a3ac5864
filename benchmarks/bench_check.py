"""Benchmark: checking the example, in process and as a whole command.

Prints figures, asserts nothing (these machines are shared and noisy; compare the
ratios measured in one run).  Targets from the core issue:
  - the example checked in under 50 ms after import (in process);
  - `perfxl check` on the example, as a whole process, at most 1.5× `python -c "import perfxl"`.

Run:  python benchmarks/bench_check.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"


def whole_process(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(runs: int) -> float:
    sys.path.insert(0, str(ROOT))
    from perfxl import check, load, load_profile, score_evaluation

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        loaded = load(EXAMPLE)
        profile = load_profile(loaded.evaluation.profile)
        check(loaded.evaluation, profile, score_evaluation(loaded.evaluation, profile))
        times.append(time.perf_counter() - start)
    return min(times[1:]) if len(times) > 1 else times[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    floor = whole_process([py, "-c", "import perfxl"], args.runs)
    check = whole_process([py, "-m", "perfxl", "check", str(EXAMPLE)], args.runs)
    inproc = in_process(args.runs)
    print(f"python -c 'import perfxl'      median {floor * 1000:7.1f} ms")
    print(f"perfxl check example (process) median {check * 1000:7.1f} ms")
    print(f"ratio check / import             {check / floor:5.2f}×   (target ≤ 1.5×)")
    print(f"check example in process (best)  {inproc * 1000:7.2f} ms  (target < 50 ms)")


if __name__ == "__main__":
    main()

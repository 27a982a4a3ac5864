"""Benchmark of the workbook side: build time, and reading vs openpyxl alone.

Targets (issue "workbook/PerfEval.xlsm"): a build under 2 s; reading the example
workbook into the model at most 1.5 × the time of ``openpyxl.load_workbook`` alone on
the same file, both measured as whole processes (interpreter start and imports
included), each run several times, medians compared.

    python benchmarks/bench_workbook.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUILD_TARGET = 2.0
READ_RATIO_TARGET = 1.5

READ = "from perfxl.workbook.reader import read_workbook; read_workbook({path!r})"
LOAD = "import openpyxl; openpyxl.load_workbook({path!r})"


def _process_seconds(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from perfxl.core.serde import evaluation_from_dict
    from perfxl.workbook.builder import build_workbook

    example = evaluation_from_dict(json.loads((ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json").read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.xlsm"
        start = time.perf_counter()
        build_workbook(example, out)
        first = time.perf_counter() - start
        builds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            build_workbook(example, out)
            builds.append(time.perf_counter() - start)
        build = statistics.median(builds)
        build_process = _process_seconds(
            "import json; from perfxl.core.serde import evaluation_from_dict; from perfxl.workbook.builder import build_workbook; "
            f"build_workbook(evaluation_from_dict(json.load(open({str(ROOT / 'perfxl' / 'examples' / 'hengshan-kexie-2023.json')!r}, encoding='utf-8'))), {str(out)!r})",
            max(3, args.runs // 2),
        )

    book = str(ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm")
    _process_seconds(LOAD.format(path=book), 1)  # warm the file cache
    load = _process_seconds(LOAD.format(path=book), args.runs)
    read = _process_seconds(READ.format(path=book), args.runs)
    ratio = read / load

    ok_build = build < BUILD_TARGET
    ok_read = ratio <= READ_RATIO_TARGET
    print(f"build (in process, median of {args.runs}): {build:.3f} s  (first build {first:.3f} s)  target < {BUILD_TARGET} s  {'OK' if ok_build else 'MISSED'}")
    print(f"build (whole process incl. imports):       {build_process:.3f} s")
    print(f"openpyxl.load_workbook alone (process):     {load:.3f} s  (median of {args.runs})")
    print(f"read_workbook into the model (process):     {read:.3f} s  (median of {args.runs})")
    print(f"ratio read / load_workbook:                 {ratio:.2f} ×  target ≤ {READ_RATIO_TARGET} ×  {'OK' if ok_read else 'MISSED'}")
    return 0 if ok_build and ok_read else 1


if __name__ == "__main__":
    sys.exit(main())

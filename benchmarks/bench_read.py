"""Benchmark of reading workbooks (issue 11 items 1 and 6), side by side in one run.

1. N copies of the example workbook (default 200), each read three ways in this process:
   python-calamine reading every sheet (the floor), ``CalamineSource`` + ``read_evaluation``
   (the default reader) and ``OpenpyxlSource`` + ``read_evaluation``; ms per file and the
   ratio to the floor.
2. Large departments: the example with 10, 100 and 300 copies of its project, made by
   ``perfxl fill``; read / check / score / report timed in this process (warm, best of
   --runs), and the peak RSS of ``perfxl report`` as a whole process.  Linear means the
   ms per project stays flat from 10 to 300.  The report is written with ``--draft``
   (the copies of the example have 错误, so a plain report would be refused after
   rendering): rendering, the 表文一致 read-back, the review document and writing all count.

    python benchmarks/bench_read.py [--files 200] [--projects 10,100,300] [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"
REPORT_RSS_TARGET_MIB = 150


def _seconds(fn: Callable[[], object], runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def read_files(count: int) -> None:
    import python_calamine

    from perfxl.workbook.calamine import CalamineSource
    from perfxl.workbook.reader import OpenpyxlSource, read_evaluation

    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(shutil.copy(EXAMPLE_XLSM, Path(tmp) / f"dept-{i:05d}.xlsm")) for i in range(count)]

        def floor() -> None:
            for f in files:
                book = python_calamine.CalamineWorkbook.from_path(f)
                for name in book.sheet_names:
                    book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                book.close()

        def through(cls: type) -> Callable[[], None]:
            def run() -> None:
                for f in files:
                    source = cls(f)
                    try:
                        read_evaluation(source)
                    finally:
                        source.close()
            return run

        through(CalamineSource)()  # warm: imports, the layout cache
        through(OpenpyxlSource)()
        base = _seconds(floor, 2)
        fast = _seconds(through(CalamineSource), 2)
        slow = _seconds(through(OpenpyxlSource))
    print(f"reading {count} copies of the example (ms per file, ratio to the floor):")
    print(f"  python-calamine, every sheet (floor):   {1000 * base / count:7.2f} ms  1.0x")
    print(f"  CalamineSource + read_evaluation:       {1000 * fast / count:7.2f} ms  {fast / base:.1f}x")
    print(f"  OpenpyxlSource + read_evaluation:       {1000 * slow / count:7.2f} ms  {slow / base:.1f}x")
    print(f"  calamine reader is {slow / fast:.1f}x faster than the openpyxl reader")


def _department(projects: int) -> dict:
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    first = data["projects"][0]
    data["projects"] = []
    for i in range(projects):
        item = copy.deepcopy(first)
        item["name"] = f"{first['name']}{i + 1}"
        data["projects"].append(item)
    return data


def _cli(*args: str) -> None:
    from perfxl.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(list(args))


def _report_rss_mib(path: Path, out: Path) -> float:
    """The peak RSS of ``perfxl report`` in a process of its own.  The child reads its own
    VmHWM: ru_maxrss would keep this benchmark's size at the fork (Linux carries it over
    exec), and this process has grown by then."""
    code = ("import sys; from perfxl.cli import main; main(sys.argv[1:]); "
            "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')))")
    done = subprocess.run([sys.executable, "-c", code, "report", str(path), "-o", str(out), "--force", "--draft"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def large_departments(counts: list[int], runs: int) -> None:
    from perfxl.workbook.reader import read_workbook

    print("large departments (ms per project; flat = linear):")
    print(f"  {'projects':>8} {'read':>16} {'check':>16} {'score':>16} {'report':>16} {'report peak RSS':>16}")
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            data_file = Path(tmp) / f"dept-{n}.json"
            data_file.write_text(json.dumps(_department(n), ensure_ascii=False), encoding="utf-8")
            book = Path(tmp) / f"dept-{n}.xlsm"
            _cli("fill", str(data_file), "-o", str(book), "--force")
            out = Path(tmp) / f"report-{n}.docx"
            times = {
                "read": _seconds(lambda: read_workbook(book), runs),  # noqa: B023 - called at once
                "check": _seconds(lambda: _cli("check", str(book)), runs),  # noqa: B023
                "score": _seconds(lambda: _cli("score", str(book)), runs),  # noqa: B023
                "report": _seconds(lambda: _cli("report", str(book), "-o", str(out), "--force", "--draft"),  # noqa: B023
                                   1),
            }
            rss = _report_rss_mib(book, out)
            peaks[n] = rss
            cells = " ".join(f"{1000 * t:7.0f}ms {1000 * t / n:5.1f}/p" for t in times.values())
            print(f"  {n:>8} {cells} {rss:10.0f} MiB")
    top = max(peaks)
    verdict = "ok" if peaks[top] < REPORT_RSS_TARGET_MIB else "OVER"
    print(f"  target: report peak RSS under {REPORT_RSS_TARGET_MIB} MiB at 300 projects "
          f"({top} projects: {peaks[top]:.0f} MiB — {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--projects", default="10,100,300")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"maxrss of this process so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    if args.files:
        read_files(args.files)
    if args.projects:
        large_departments([int(n) for n in args.projects.split(",")], args.runs)


if __name__ == "__main__":
    main()

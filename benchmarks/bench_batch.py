"""Benchmark: ``perfxl batch`` against the read floor, on N copies of the example workbook.

Prints figures, asserts nothing (shared, noisy machines: compare the ratios measured
side by side in one run).  Targets from issue 11:
  - 1,000 workbooks: batch wall time ≤ 2× python-calamine reading every sheet of the
    same files in one process;
  - 10,000 workbooks: peak memory ≤ 200 MiB, throughput within 10% of 1,000 files;
  - two processes at least 1.6× faster than one: ``--jobs 2`` against one process doing
    the same work file after file (``SERIAL``); ``--jobs 1`` is printed too, but it is
    two processes already (its worker reads while the parent writes);
  - summary writing ≤ 3 ms per department.

Each batch run is the whole command ``perfxl batch DIR -o out.xlsx --jobs N --no-state``
in a fresh process (interpreter start included); the peak memory is the whole process tree's resident
size (PSS, so pages shared by the forked workers count once), sampled from /proc every
50 ms (Linux), next to ``getrusage``'s largest single process.  Each run's CPU time (the
process and its workers, from ``getrusage(RUSAGE_CHILDREN)``) per file is printed beside
the floor's: on a loaded machine the wall-time ratios drift, the CPU per file much less; CPU ÷ wall
is how many cores the run kept busy.  ``--jobs N`` is N worker processes; the parent writes the review
workbook's 问题清单 while they read, so even ``--jobs 1`` keeps more than one core busy.  Summary
writing is measured in CPU time as well as wall time: the machines are shared.

Run:  python benchmarks/bench_batch.py [N]      (default 200)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _pss(pid: int, rss: int) -> int:
    """Proportional set size (shared pages split between the processes that share them)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return rss


def tree_rss(root: int) -> int:
    """Memory of *root* and all its descendants (Linux /proc): the sum of their PSS, so
    pages a forked worker shares with the parent count once."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss(pid, rss.get(pid, 0))
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


class PeakSampler:
    """The largest memory of the process tree under *pid* (and of *pid* alone) seen while running."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.own = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.own = max(self.own, _pss(self.pid, 0))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakSampler:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def calamine_floor(files: list[Path]) -> tuple[float, float] | None:
    """(wall s, CPU s) of python-calamine reading every sheet of *files* in this process."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch(folder: Path, out: Path, jobs: int) -> tuple[float, int, int, int, float]:
    """``perfxl batch`` as a whole process: (wall s, files, peak tree PSS, peak parent PSS, CPU s of
    the process and its workers)."""
    cmd = [sys.executable, "-m", "perfxl", "batch", str(folder), "-o", str(out), "--jobs", str(jobs), "--no-state",
           "--quiet", "--force"]
    start, cpu = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakSampler(process.pid) as sampler:
        _, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"perfxl batch failed ({process.returncode}): {err.decode(errors='replace')}")
    return wall, len(list(folder.iterdir())), sampler.peak, sampler.own, _children_cpu() - cpu


#: the same work as ``perfxl batch`` in one process, one file after the other (no workers)
SERIAL = """
import sys
from pathlib import Path
from perfxl.batch import write_summary
from perfxl.batch.collect import input_files
from perfxl.batch.worker import evaluate_file
files = input_files([sys.argv[1]], sys.argv[2])
write_summary([evaluate_file(path) for path in files], sys.argv[2], base=Path(sys.argv[1]), overwrite=True)
"""


def serial(folder: Path, out: Path) -> float:
    """Wall seconds of one process reading, assessing and writing every file in turn (``SERIAL``),
    interpreter start included as for the batch runs: what "two processes" is compared with."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", SERIAL, str(folder), str(out)], cwd=ROOT, check=True)
    return time.perf_counter() - start


def summary_ms(folder: Path, out: Path) -> tuple[float, float]:
    """Writing the review workbook (spool + XlsxWriter), per department."""
    from perfxl.batch import run_batch, write_summary

    results = run_batch([folder])
    write_summary(results, out, overwrite=True)  # warm: pandas and XlsxWriter imported
    start, cpu = time.perf_counter(), time.process_time()
    write_summary(results, out, overwrite=True)
    return (time.perf_counter() - start) * 1000 / len(results), (time.process_time() - cpu) * 1000 / len(results)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory(prefix="perfxl-bench-") as tmp:
        folder = Path(tmp) / "inbox"
        folder.mkdir()
        for i in range(n):
            shutil.copy(EXAMPLE, folder / f"dept-{i:05d}.xlsm")
        files = sorted(folder.iterdir())
        floor = calamine_floor(files)
        runs = {jobs: batch(folder, Path(tmp) / f"out-{jobs}.xlsx", jobs) for jobs in (1, 2)}
        # now: the serial run below holds every record, and summary_ms forks workers from this
        # process once it holds them too; neither is a perfxl batch process
        child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        one = serial(folder, Path(tmp) / "out-serial.xlsx")
        per_dept = summary_ms(folder, Path(tmp) / "out-summary.xlsx")
        print(f"files                                {n}")
        if floor is None:
            print("python-calamine floor                (python-calamine not installed)")
        else:
            print(f"python-calamine floor (1 process)    {floor[0]:8.2f} s  {n / floor[0]:8.1f} files/s"
                  f"  CPU {floor[1] * 1000 / n:6.2f} ms per file")
        for jobs, (wall, total, peak, own, cpu) in runs.items():
            ratio = f"  {wall / floor[0]:6.1f}× floor (target ≤ 2×)" if floor else ""
            print(f"perfxl batch --jobs {jobs} (process)       {wall:8.2f} s  {total / wall:8.1f} files/s{ratio}"
                  f"  peak PSS: tree {peak / 2**20:6.1f} MiB, parent {own / 2**20:6.1f} MiB"
                  f"  CPU {cpu * 1000 / total:6.2f} ms per file (all processes), {cpu / wall:4.2f} cores busy")
        print(f"one process, every file in turn      {one:8.2f} s  {n / one:8.1f} files/s")
        print(f"speed-up --jobs 2 / one process      {one / runs[2][0]:8.2f}×  (target ≥ 1.6×; two workers and"
              " the parent writing, on 2 cores)")
        print(f"speed-up --jobs 2 / --jobs 1         {runs[1][0] / runs[2][0]:8.2f}×  (--jobs 1 is two processes"
              " already: the parent writes while its one worker reads)")
        print(f"summary writing                      {per_dept[0]:8.2f} ms per department wall, {per_dept[1]:.2f} ms CPU"
              "  (target ≤ 3 ms)")
        print(f"getrusage maxrss of the largest waited-for process (a perfxl batch parent): {child_kib / 1024:.1f} MiB"
              "  (peak tree PSS above: target ≤ 200 MiB at 10,000 files)")


if __name__ == "__main__":
    main()

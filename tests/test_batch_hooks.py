"""Test-only hooks for the batch's worker processes (no tests here).

``install_faults`` is passed as the pool's *initializer* by tests/test_batch_faults.py:
in that worker only, a file whose name contains "hang" sleeps, "hog" eats memory and
"crash" kills the process.  A department's file cannot install it: without the
initializer the worker runs ``evaluate_file`` and these names mean nothing.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from perfxl.batch.records import FileResult
from perfxl.batch.worker import evaluate_file, set_task


def faulty(path: Path, chosen: object) -> FileResult:
    name = path.name
    if "hang" in name:
        time.sleep(3600)
    if "hog" in name:
        hoard = [bytearray(64 << 20) for _ in range(1024)]  # 64 GiB, a block at a time
        del hoard
    if "crash" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    return evaluate_file(path, chosen)  # type: ignore[arg-type]


def install_faults() -> None:
    set_task(faulty)


def note_heavy_modules(out: str) -> None:
    """Write which heavy libraries the (forked) worker started with: those the parent had imported."""
    import sys

    Path(out).write_text(" ".join(m for m in ("pandas", "numpy", "openpyxl") if m in sys.modules), encoding="utf-8")


def note_starts(log: str) -> None:
    """Append "<file name> <monotonic time>" to *log* as the worker starts each file."""

    def noting(path: Path, chosen: object) -> FileResult:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{path.name} {time.monotonic()}\n")
        return evaluate_file(path, chosen)  # type: ignore[arg-type]

    set_task(noting)

"""What runs inside a worker process: read and assess one file, return a small record.

``evaluate_file`` is the one assessment of a batch file (in a worker, or in process for
a caller that wants it).  ``serve`` is a worker's loop: it sets its memory limit once,
then answers one task at a time over its pipe until told to stop.

Decisions:
- The memory limit is ``RLIMIT_AS`` (address space) where the platform has it (Linux):
  the worker's own size when it starts plus ``memory_mib``, so the limit is what one file
  may cost, whatever the libraries already loaded.  Python then raises ``MemoryError``,
  which becomes the file's row; a reader that dies instead (Rust, C) is seen by the pool
  as a dead worker and also becomes a row.  Without ``resource`` only the time limit holds.
- The time limit is the pool's: it kills a worker that has not answered in time.
- A bug met on one file (any other exception) is that file's row "内部错误", not the end
  of the batch; a missing optional part of perfxl is the same for every file and ends
  the batch with its Chinese message (``fatal``).
- ``task`` is ``evaluate_file`` unless the pool's *initializer* installs another with
  ``set_task`` — only the tests do, to simulate a file that hangs or eats memory; nothing
  in a department's file can reach it.
"""

from __future__ import annotations

import gc
import os
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..app.assessing import ProfileChoice, assess_input
from ..core.findings import sort_findings
from ..errors import InputError, MissingExtraError, ProfileError
from .records import FileResult, ScoreSummary, Totals, failed

Task = Callable[[Path, ProfileChoice], FileResult]


def evaluate_file(path: Path, profile_name: ProfileChoice = None) -> FileResult:
    """Read, score and check one file; a file perfxl cannot read becomes ``error``.

    *profile_name* is the finance bureau's own choice (``--profile``: a name or a .toml
    path); without it, a file may only name a built-in profile (``app.profiles``): a
    department's file never makes perfxl read another file.
    """
    path = Path(path)
    try:
        checked = assess_input(path, profile_name)
    except MissingExtraError:  # perfxl itself is incomplete: every workbook would fail the same way
        raise
    except (InputError, ProfileError) as exc:
        return failed(path, "unreadable", str(exc))
    ev, assessed = checked.loaded.evaluation, checked.assessment
    o = assessed.scores.overall
    totals = Totals(o.full_year_budget, o.actual, o.execution_rate, o.self_total, o.self_grade, o.rule_total,
                    o.grade)
    return FileResult(path, "", ev.department, ev.year or None, assessed.profile.name, ScoreSummary(totals),
                      tuple(sort_findings(assessed.findings)))


_task: Task = evaluate_file


def set_task(task: Task) -> None:
    """Replace the task of this worker (tests only, from the pool's initializer)."""
    global _task
    _task = task


def memory_message(memory_mib: int | None) -> str:
    limit = f"（{memory_mib} MiB）" if memory_mib else ""
    return f"处理该文件所需内存超出上限{limit}，已跳过。文件可能过大或已损坏（例如压缩炸弹）；如确属正常，请用 --memory 调高上限。"


def limit_memory(memory_mib: int | None) -> None:
    """Cap this process's address space at its present size plus *memory_mib* (Linux)."""
    if not memory_mib:
        return
    try:
        import resource
    except ImportError:  # Windows: only the time limit applies
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            present = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        present = 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = present + memory_mib * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def answer(path: Path, chosen: ProfileChoice, memory_mib: int | None) -> tuple[str, Any]:
    """("ok", record), ("memory", record: the worker must go) or ("fatal", message)."""
    try:
        return "ok", _task(path, chosen)
    except MissingExtraError as exc:
        return "fatal", str(exc)
    except MemoryError:
        return "memory", failed(path, "memory", memory_message(memory_mib))
    except RecursionError:
        return "ok", failed(path, "unreadable", f"{path}：文件结构嵌套过深，无法读取。")
    except Exception as exc:  # a bug met on this file: its row, not the end of the batch
        return "ok", failed(path, "internal", f"内部错误（{type(exc).__name__}: {exc}），请把该文件报告给开发者。")


def serve(conn: Connection, memory_mib: int | None, initializer: Callable[..., None] | None,
          initargs: tuple[Any, ...]) -> None:
    """A worker's loop: "ready" (and when), then tasks ``(path, chosen)`` in, ``(kind, value)`` out; ``None`` stops it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy (via openpyxl) must not reserve memory per core
    gc.freeze()  # what the parent had (perfxl, the readers): never walked by this worker's collector
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's: it stops the workers
    if initializer is not None:
        initializer(*initargs)
    limit_memory(memory_mib)
    conn.send(("ready", time.monotonic()))  # system-wide: the parent starts the file's time from it
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        kind, value = answer(Path(task[0]), task[1], memory_mib)
        try:
            conn.send((kind, value))
        except MemoryError:
            conn.send(("memory", failed(Path(task[0]), "memory", memory_message(memory_mib))))
            return
        if kind != "ok":
            return

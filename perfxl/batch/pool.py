"""A pool of worker processes with a time limit per file: read and assess in parallel.

Why not ``concurrent.futures.ProcessPoolExecutor``: it cannot end one task.  A file that
hangs the reader would hold its worker for ever, and killing that worker breaks the
whole executor.  This pool is small instead: one pipe per worker, one file at a time
per worker, and the parent waits on every pipe and every worker's sentinel with a
timeout until the nearest deadline.  Then:

- an answer is a record, yielded at once (results stream, in the order they finish);
  the worker is handed its next file first, so it reads while the caller writes the
  record (issue 11: with one worker the two took turns, 16.5 s for 1,000 files; 14.0 s
  overlapped, measured side by side);
- a worker past its deadline is killed and replaced, its file a row "超时";
- a worker that dies (a reader killed by the memory limit, a crash) is replaced, its
  file a row "处理进程异常退出";
- a worker that met ``MemoryError`` sends its row and leaves; it is replaced;
- after ``max_tasks`` files a worker is retired and replaced (``maxtasksperchild``), so
  whatever a reader leaks cannot grow with the number of files.

Start method: "fork" on Linux.  A worker then starts in a millisecond with perfxl and
the readers already imported (``PRELOAD``, imported by the parent first) and does not
run the caller's main module again ("forkserver" and "spawn" do: a script without an
``if __name__ == "__main__"`` guard, or ``python -`` on stdin, then fails in every
worker).  The parent has imported nothing heavy by then: XlsxWriter (small) is imported
and the review workbook opened before the workers start, since 问题清单 is written while
they run; pandas (with numpy) only after the pool has finished, for 排名 and 图表 — a
worker forked from a parent holding pandas would copy its pages as its garbage collector
walks them.  "spawn" elsewhere (macOS, Windows), where fork is unsafe
or absent.  A worker says "ready" once started; one that dies before that has not seen
its file, which goes back to the queue; after ``START_FAILURES`` such deaths in a row
the pool stops with ``WorkerStartError`` (the installation, not a file, is at fault)
instead of turning every file into a "crashed" row.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from ..app.assessing import ProfileChoice
from ..errors import EXIT_BUG, MissingExtraError, PerfxlError
from .records import FileResult, failed
from .worker import serve

#: what the parent imports once for all workers (fork)
PRELOAD = ["perfxl.workbook.reader"]
#: workers that may die before the first answer before the pool gives up
START_FAILURES = 3
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MIB = 1024
DEFAULT_MAX_TASKS = 200


def default_jobs() -> int:
    return os.cpu_count() or 1


def _context() -> BaseContext:
    if sys.platform.startswith("linux"):
        for module in PRELOAD:
            try:
                importlib.import_module(module)
            except ImportError:  # a workbook then fails in its worker with the usual message
                pass
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class WorkerStartError(PerfxlError):
    """The worker processes die before reading anything: the installation, not a file."""

    exit_code = EXIT_BUG


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: Path | None = None
    deadline: float = 0.0
    sent: float = 0.0  # when the task was sent
    done: int = 0
    ready: bool = False


@dataclass(frozen=True)
class Limits:
    """Per-file limits and the pool's size.

    Attributes:
      jobs: worker processes.  timeout: seconds per file.  memory_mib: memory per file
      (MiB, ``None``/0: none).  max_tasks: files before a worker is replaced.
    """

    jobs: int = 0
    timeout: float = DEFAULT_TIMEOUT
    memory_mib: int | None = DEFAULT_MEMORY_MIB
    max_tasks: int = DEFAULT_MAX_TASKS


class WorkerPool:
    """``run(files)`` yields one ``FileResult`` per file, as each finishes."""

    def __init__(self, chosen: ProfileChoice = None, limits: Limits | None = None, *,
                 initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> None:
        self.chosen = chosen
        self.limits = limits or Limits()
        self.jobs = self.limits.jobs or default_jobs()
        self.initializer, self.initargs = initializer, initargs
        self._ctx = _context()
        self._workers: list[_Worker] = []
        self._early_deaths = 0
        self._pending: deque[Path] = deque()

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(  # type: ignore[attr-defined]  # BaseContext has Process at run time
            target=serve, args=(child, self.limits.memory_mib, self.initializer, self.initargs), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=None if kill else 5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def _replace(self, worker: _Worker, *, kill: bool) -> None:
        self._stop(worker, kill=kill)
        self._workers[self._workers.index(worker)] = self._start()

    def run(self, files: Iterable[Path]) -> Iterator[FileResult]:
        self._pending = deque(files)
        if not self._pending:
            return
        try:
            self._workers = [self._start() for _ in range(min(self.jobs, len(self._pending)))]
            while True:
                self._dispatch()
                busy = [w for w in self._workers if w.task is not None]
                if not busy:
                    return
                wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for))
                results = [result for worker in busy if (result := self._collect(worker, ready)) is not None]
                self._dispatch()  # the workers start their next files before the caller handles these records
                yield from results
        finally:
            for worker in self._workers:
                self._stop(worker, kill=worker.task is not None)
            self._workers = []

    def _dispatch(self) -> None:
        """Give every idle worker the next pending file."""
        for worker in self._workers:
            if worker.task is None and self._pending:
                worker.task = self._pending.popleft()
                worker.sent = time.monotonic()
                worker.deadline = worker.sent + self.limits.timeout
                try:
                    worker.conn.send((str(worker.task), self.chosen))
                except OSError:  # dead already: its sentinel tells, below
                    pass

    def _collect(self, worker: _Worker, ready: set[Any]) -> FileResult | None:
        """The record of *worker*'s file if it has one now (answered, dead or late)."""
        task = worker.task
        assert task is not None
        if worker.conn in ready:
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "dead", None
            if kind == "ready":  # the file's time starts when the worker was ready (it said when), not
                worker.ready, self._early_deaths = True, 0  # while it started, nor when the parent reads this
                started = value if isinstance(value, float) else time.monotonic()
                worker.deadline = max(started, worker.sent) + self.limits.timeout
                return None
            if kind in ("ok", "memory"):
                worker.task, worker.done = None, worker.done + 1
                if kind == "memory" or worker.done >= self.limits.max_tasks:
                    self._replace(worker, kill=kind == "memory")
                return value
            if kind == "fatal":
                raise MissingExtraError(value)
        elif worker.process.sentinel not in ready and time.monotonic() < worker.deadline:
            return None
        worker.task = None
        if not worker.ready:  # died or hung starting: the file was never read
            self._early_deaths += 1
            if self._early_deaths >= START_FAILURES:
                raise WorkerStartError(f"批量处理的工作进程启动时接连失败（退出码 {worker.process.exitcode}）："
                                       "请检查 perfxl 的安装，或设置 PERFXL_DEBUG=1 重试并报告给开发者。")
            self._pending.appendleft(task)
            self._replace(worker, kill=True)
            return None
        if time.monotonic() >= worker.deadline and worker.process.is_alive():
            self._replace(worker, kill=True)
            return failed(task, "timeout", f"处理该文件超过时间上限（{self.limits.timeout:g} 秒），已停止并跳过。"
                                           "文件可能已损坏或异常庞大；如确属正常，请用 --timeout 调高上限。")
        self._replace(worker, kill=True)
        memory = f"（可能超出内存上限 {self.limits.memory_mib} MiB）" if self.limits.memory_mib else ""
        return failed(task, "crashed", f"处理该文件时进程异常退出{memory}，已跳过。文件可能已损坏或含有恶意构造的内容。")

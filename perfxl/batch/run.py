"""A batch, end to end: collect, skip what has not changed, assess in workers, write.

``summarize`` is what ``perfxl batch`` runs: records stream from the worker pool into
the spool (and to *on_result*, which prints a line and moves the progress bar).  A
review workbook's 问题清单 is written as they come, in the summary's order (``InOrder``):
the parent writes while the workers read, instead of after them (issue 11: the parent's
writing, ~3 ms a file, was added to the run's time); its other sheets, a CSV summary and
the new state file are written from the spool at the end.  ``run_batch`` and
``write_summary`` are the same steps for a caller that wants the records as a list
(tests, a notebook); they hold every record in memory, ``summarize`` does not.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..app.assessing import ProfileChoice
from ..fileio import InputError, atomic_write
from .collect import common_base, input_files
from .pool import Limits, WorkerPool
from .records import FileResult
from .spool import InOrder, Spool
from .state import Changes, State
from .summary_csv import write_csv
from .summary_xlsx import EXCEL_MAX_ROWS, ReviewWorkbook, write_xlsx
from .tables import Row

OUTPUT_SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class Outcome:
    """What a batch did.

    Attributes:
      total: files in the summary.  failed: files with 错误 or without scores.
      changes: against the previous run (``None`` without a state file).
      output / state: the files written (``None`` when not asked for).
    """

    total: int
    failed: int
    changes: Changes | None
    output: Path | None
    state: Path | None


def _write(spool: Spool, out: str | os.PathLike[str], overwrite: bool, max_rows: int) -> Path:
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        return write_csv(spool, out, overwrite=overwrite)
    if suffix != ".xlsx":
        raise InputError(f"{out}：汇总文件请用 .xlsx 或 .csv。")
    return write_xlsx(spool, out, overwrite=overwrite, max_rows=max_rows)


def _records(reuse: Sequence[Path], todo: Sequence[Path], memo: State | None, profile: ProfileChoice,
             limits: Limits | None, initializer: Callable[..., None] | None,
             initargs: tuple[Any, ...]) -> Iterator[tuple[FileResult, bool]]:
    """(record, reused) of every file: the stored ones first, then the workers' as they finish."""
    for path in reuse:
        assert memo is not None
        yield memo.stored(path), True
    pool = WorkerPool(profile, limits, initializer=initializer, initargs=initargs)
    for record in pool.run(todo):
        yield record, False


def _stream_xlsx(spool: Spool, out: str | os.PathLike[str], overwrite: bool, max_rows: int,
                 assess_all: Callable[[Callable[[Row, FileResult], None] | None], None]) -> Path:
    """The review workbook, its 问题清单 written while the files are assessed.

    It is made in a private temporary folder and placed at *out* (``atomic_write``) only
    once complete: the assessment runs outside ``atomic_write``, so an error or Ctrl+C
    while files are read is reported as itself (not as a failure to write *out*), and a
    run that stops leaves neither a file nor a folder behind."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="perfxl-batch-", ignore_cleanup_errors=True) as scratch:
        made = Path(scratch) / "review.xlsx"
        with ReviewWorkbook(made, out, max_rows) as review:
            assess_all(review.add_findings)
            review.finish(spool.rows())
        return atomic_write(out, lambda tmp: shutil.copyfile(made, tmp), overwrite=overwrite)


def summarize(paths: Sequence[str | Path], output: str | os.PathLike[str] | None = None, *,
              profile: ProfileChoice = None, limits: Limits | None = None, state: str | os.PathLike[str] | None = None,
              overwrite: bool = False, on_start: Callable[[int], None] | None = None,
              on_result: Callable[[FileResult, bool], None] | None = None,
              initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
              max_rows: int = EXCEL_MAX_ROWS) -> Outcome:
    """Assess every file under *paths*; write the summary to *output* and the state to *state*.

    *on_start(files)* is called once the files are known, *on_result(record, reused)* for
    each file as its record arrives."""
    files = input_files(paths, output)
    if on_start:
        on_start(len(files))
    base = common_base(paths)
    memo = State(Path(state), profile) if state is not None else None
    changes = None
    todo, reuse = files, list[Path]()
    if memo is not None:
        todo, reuse, changes = memo.split(files)
    counts = {"failed": 0}
    try:
        with Spool(base) as spool:
            todo = spool.order(todo)  # dispatched in the summary's order: few records wait for their turn

            def assess_all(sink: Callable[[Row, FileResult], None] | None) -> None:
                feed = InOrder(spool, spool.order(files), sink) if sink is not None else None
                for record, reused in _records(reuse, todo, memo, profile, limits, initializer, initargs):
                    row = spool.add(record)
                    counts["failed"] += not record.passed
                    if feed is not None:
                        feed.arrived(record, row)
                    if on_result:
                        on_result(record, reused)
                if feed is not None:
                    feed.finish()

            written = None
            if output is not None and Path(output).suffix.lower() == ".xlsx":
                written = _stream_xlsx(spool, output, overwrite, max_rows, assess_all)
            else:
                assess_all(None)
                written = _write(spool, output, overwrite, max_rows) if output is not None else None
            saved = memo.write(spool.records) if memo is not None else None
    finally:
        if memo is not None:
            memo.close()
    failed = counts["failed"]
    return Outcome(len(files), failed, changes, written, saved)


def run_batch(paths: Sequence[str | Path], profile_name: ProfileChoice = None, *,
              output: str | Path | None = None, limits: Limits | None = None,
              initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> list[FileResult]:
    """Every file under *paths*, assessed in worker processes, in the order collected;
    *output* (the summary to be written) is never an input."""
    files = input_files(paths, output)
    pool = WorkerPool(profile_name, limits, initializer=initializer, initargs=initargs)
    by_path = {record.path: record for record in pool.run(files)}
    return [by_path[path] for path in files]


def write_summary(results: Sequence[FileResult], out: str | Path, *, base: Path | None = None,
                  overwrite: bool = False, max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """The review workbook (.xlsx: 汇总, 问题清单, 排名, 图表) or 汇总 alone (.csv) of *results*."""
    out = Path(out)
    if any(r.path.resolve() == out.resolve() for r in results):
        raise InputError(f"{out} 是汇总的输入文件之一，不能作为输出。")
    with Spool(base, keep=True) as spool:
        return _write(spool.extend(results), out, overwrite, max_rows)

"""Where a running batch puts each record: memory flat in the number of files.

The parent process keeps one ``tables.Row`` per file (what 汇总, 排名 and 图表 show);
the record itself, with its findings, is appended as one JSON line to a temporary file,
read back one file at a time in the order of the file names for a CSV summary and the
state file.  So a batch of 20,000 departments holds 20,000 small rows, not 1.2 million
findings.  The review workbook's 问题清单 is written as records arrive, put back in that
order by ``InOrder`` (early ones wait in memory, up to a bound, then in the spool): the
output never depends on which worker finished first.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .records import FileResult, from_json, to_json
from .tables import Row, display_name, summary_row


class Spool:
    """Records in arrival order on disk (in memory with *keep*), rows in memory; read back sorted by file name."""

    def __init__(self, base: Path | None = None, *, keep: bool = False) -> None:
        self.base = base
        self._file = None if keep else tempfile.TemporaryFile(prefix="perfxl-batch-", suffix=".jsonl")
        self._kept: list[FileResult] = []
        self._entries: list[tuple[str, int, Row]] = []
        self._last = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def add(self, record: FileResult) -> Row:
        if self._file is None:
            offset = len(self._kept)
            self._kept.append(record)
        else:
            offset = self._file.seek(0, 2)
            self._file.write(json.dumps(to_json(record), ensure_ascii=False).encode("utf-8") + b"\n")
        row = summary_row(record, self.base)
        self._entries.append((row.name, offset, row))
        self._last = offset
        return row

    def record_at(self, offset: int) -> FileResult:
        """The record added at *offset* (``last_offset`` right after ``add``)."""
        if self._file is None:
            return self._kept[offset]
        self._file.seek(offset)
        return from_json(json.loads(self._file.readline()))

    @property
    def last_offset(self) -> int:
        return self._last

    def order(self, paths: Iterable[Path]) -> list[Path]:
        """*paths* in the order the summary lists them (``rows``)."""
        return sorted(paths, key=lambda path: display_name(path, self.base))

    def extend(self, records: Iterable[FileResult]) -> Spool:
        for record in records:
            self.add(record)
        return self

    def __len__(self) -> int:
        return len(self._entries)

    def _sorted(self) -> list[tuple[str, int, Row]]:
        self._entries.sort(key=lambda entry: entry[0])
        return self._entries

    def rows(self) -> list[Row]:
        """One per file, sorted by the file as shown."""
        return [row for _, _, row in self._sorted()]

    def records(self) -> Iterator[tuple[FileResult, dict[str, Any]]]:
        """Each record (with its JSON), sorted like ``rows``, read back one at a time."""
        for _, offset, _ in self._sorted():
            if self._file is None:
                yield self._kept[offset], to_json(self._kept[offset])
                continue
            self._file.seek(offset)
            data = json.loads(self._file.readline())
            yield from_json(data), data

    def findings(self) -> Iterator[tuple[Row, FileResult]]:
        """(row, record) of every file with findings, sorted like ``rows``."""
        for _, offset, row in self._sorted():
            if row.errors or row.warnings or row.notices:
                yield row, self.record_at(offset)


class InOrder:
    """Hands records to *sink* in the summary's order (*order*), whatever order they arrive in.

    The workers finish files out of order; 问题清单 must not depend on that.  A record that
    arrives early waits in memory, at most *keep* of them (a few KiB each), then in the
    spool (read back when its turn comes): a file that hangs until its time limit holds
    back at most *keep* records in memory, not every file finished meanwhile.
    """

    def __init__(self, spool: Spool, order: Sequence[Path], sink: Callable[[Row, FileResult], None],
                 keep: int = 256) -> None:
        self.spool, self.sink, self.keep = spool, sink, keep
        self._turns: dict[str, list[int]] = {}  # by the path's text: Windows' Path equality ignores case
        for index, path in enumerate(order):
            self._turns.setdefault(str(path), []).append(index)
        for turns in self._turns.values():
            turns.reverse()  # a path given twice: its records take its turns in order (pop from the end)
        self._next = 0
        self._waiting: dict[int, tuple[Row, FileResult | int]] = {}
        self._in_memory = 0

    def arrived(self, record: FileResult, row: Row) -> None:
        """*record* was just added to the spool (its summary row *row*)."""
        index = self._turns[str(record.path)].pop()
        if index != self._next:
            if self._in_memory < self.keep:
                self._waiting[index] = (row, record)
                self._in_memory += 1
            else:
                self._waiting[index] = (row, self.spool.last_offset)
            return
        self.sink(row, record)
        self._next += 1
        while self._next in self._waiting:
            self._deliver(self._next)
            self._next += 1

    def _deliver(self, index: int) -> None:
        row, held = self._waiting.pop(index)
        if isinstance(held, int):
            held = self.spool.record_at(held)
        else:
            self._in_memory -= 1
        self.sink(row, held)

    def finish(self) -> None:
        """Hand on whatever still waits (nothing, unless a file's record never came: then the
        files after it are not lost with it), in order."""
        for index in sorted(self._waiting):
            self._deliver(index)

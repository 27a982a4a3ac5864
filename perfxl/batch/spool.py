"""Where a running batch puts each record: memory flat in the number of files.

The parent process keeps one ``tables.Row`` per file (what 汇总, 排名 and 图表 show);
the record itself, with its findings, is appended as one JSON line to a temporary file
and read back, one file at a time and in the order of the file names, when 问题清单
and the state file are written.  So a batch of 20,000 departments holds 20,000 small
rows, not 1.2 million findings, and the output does not depend on which worker finished
first.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .records import FileResult, from_json, to_json
from .tables import Row, summary_row


class Spool:
    """Records in arrival order on disk, rows in memory; read back sorted by file name."""

    def __init__(self, base: Path | None = None) -> None:
        self.base = base
        self._file = tempfile.TemporaryFile(prefix="perfxl-batch-", suffix=".jsonl")
        self._entries: list[tuple[str, int, Row]] = []

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def add(self, record: FileResult) -> Row:
        offset = self._file.seek(0, 2)
        self._file.write(json.dumps(to_json(record), ensure_ascii=False).encode("utf-8") + b"\n")
        row = summary_row(record, self.base)
        self._entries.append((row.name, offset, row))
        return row

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
            self._file.seek(offset)
            data = json.loads(self._file.readline())
            yield from_json(data), data

    def findings(self) -> Iterator[tuple[Row, FileResult]]:
        """(row, record) of every file with findings, sorted like ``rows``."""
        for _, offset, row in self._sorted():
            if row.errors or row.warnings or row.notices:
                self._file.seek(offset)
                yield row, from_json(json.loads(self._file.readline()))

"""Where the reader's cells come from: the ``CellSource`` protocol, its implementations
(a file through openpyxl, an open Excel book through xlwings; the fast file reader,
``calamine.CalamineSource``, lives in its own module) and defined names' targets.

A ``CellSource`` answers three questions: which sheets, which defined names, the values
of some cells.  Every source reads each sheet once as a grid, so a book in Excel is
read exactly like a file.  The values are openpyxl's ``data_only`` values (numbers as
int/float, text, bool, datetime, error texts such as "#DIV/0!", None for an empty
cell): ``convert.py`` judges them, and the other sources give the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

from .a1 import col_index, split_cell


class CellSource(Protocol):
    """What the reader asks of a workbook."""

    def sheet_names(self) -> list[str]:
        """The sheets, in workbook order (hidden ones too)."""

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        """(scope sheet or None for the workbook, name, refers-to text such as "'附件2 整体自评表'!$C$3")."""

    def values(self, sheet: str, cells: Sequence[str]) -> list[object]:
        """The values of *cells* ("C3") of *sheet*: numbers, text, dates, or None."""


class GridSource:
    """A ``CellSource`` that reads each sheet once as a grid (rows from A1)."""

    def __init__(self) -> None:
        self._grids: dict[str, list[Sequence[object]]] = {}

    def grid(self, sheet: str) -> list[Sequence[object]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def values(self, sheet: str, cells: Sequence[str]) -> list[object]:
        grid = self._grids.get(sheet)
        if grid is None:
            grid = self._grids[sheet] = self.grid(sheet)
        out = []
        for cell in cells:
            r, c = _position(cell)
            line = grid[r] if r < len(grid) else ()
            out.append(line[c] if c < len(line) else None)
        return out


@lru_cache(maxsize=1 << 16)
def _position(cell: str) -> tuple[int, int]:
    """"C3" → (row 2, column 2), from 0; cached: the same cells are read in every file."""
    col, row = split_cell(cell)
    return row - 1, col_index(col)


class OpenpyxlSource(GridSource):
    """A workbook file opened with openpyxl, read-only, with cached formula values."""

    def __init__(self, path: Path):
        super().__init__()
        import openpyxl

        self.book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        out: list[tuple[str | None, str, str]] = [(None, n, d.attr_text or "") for n, d in self.book.defined_names.items()]
        for ws in self.book.worksheets:
            out += [(ws.title, n, d.attr_text or "") for n, d in getattr(ws, "defined_names", {}).items()]
        return out

    def grid(self, sheet: str) -> list[Sequence[object]]:
        return list(self.book[sheet].iter_rows(min_row=1, min_col=1, values_only=True))

    def close(self) -> None:
        self.book.close()


class XlwingsSource(GridSource):
    """An open Excel book (``xlwings.Book``): the xlwings entry points read through this.

    Each sheet is read with one call (A1 to the last used cell); a sheet-scoped name
    comes from Excel as "'附件3 项目自评表'!project.name".
    """

    def __init__(self, book: Any):
        super().__init__()
        self.book = book

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        out: list[tuple[str | None, str, str]] = []
        for name in self.book.names:
            full, refers_to = name.name, name.refers_to or ""
            scope, bang, local = full.rpartition("!")
            out.append(((scope.strip("'").replace("''", "'") if bang else None), local, refers_to))
        return out

    def grid(self, sheet: str) -> list[Sequence[object]]:
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        return ws.range((1, 1), (last.row, last.column)).options(ndim=2).value or []


# --------------------------------------------------------------------------- names

_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


@dataclass(frozen=True)
class Place:
    """Where a name points: a sheet and a block of cells (one cell: first == last)."""

    sheet: str
    first_col: str
    first_row: int
    last_col: str
    last_row: int


def named_place(names: Mapping[tuple[str | None, str], str], scope: str | None, name: str, sheet: str) -> Place | Literal[False] | None:
    """Where the defined name (*scope*, *name*) points on *sheet*: None when there is no such
    name, False when it is broken (#REF!, or pointing to another sheet)."""
    text = names.get((scope, name))
    if text is None:
        return None
    found = parse_refers_to(text)
    return found if found is not None and found.sheet == sheet else False


@lru_cache(maxsize=1 << 14)
def parse_refers_to(text: str) -> Place | None:
    """"'附件2 整体自评表'!$B$19:$K$34" → Place; None for "#REF!" and other shapes (cached:
    every file of a batch has the same names)."""
    m = _REF.match(text.strip())
    if not m:
        return None
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    first_col, first_row = m.group(3), int(m.group(4))
    last_col, last_row = (m.group(5), int(m.group(6))) if m.group(5) else (first_col, first_row)
    return Place(sheet, first_col, first_row, last_col, last_row)


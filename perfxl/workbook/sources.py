"""Where the reader's cells come from: the ``CellSource`` protocol, its implementations
(a file through openpyxl, an open Excel book through xlwings; the fast file reader,
``calamine.CalamineSource``, lives in its own module) and defined names' targets.

A ``CellSource`` answers three questions: which sheets, which defined names, the values
of some cells.  Every source reads each sheet once as a grid, so a book in Excel is
read exactly like a file.  The values are openpyxl's ``data_only`` values (numbers as
int/float, text, bool, datetime, error texts such as "#DIV/0!", None for an empty
cell): ``convert.py`` judges them, and the other sources give the same.

Merged cells (issue 10): the forms merge a run of rows with the same 一级指标 or 二级指标
into one cell; only its first cell holds the text, Excel keeps the others blank.  Every
source reads a cell inside a merged range as the range's value, as a reader of the
printed form does: ``spread_merged`` maps each merged range of a sheet to its top-left
value, once per grid, with the ranges each source knows (openpyxl's read-only mode does
not parse them: ``merge_spans`` reads the ``<mergeCell ref>`` elements of the sheet part;
python-calamine lists them; an open Excel book is asked, ``XlwingsSource``).  So
``perfxl fill`` then ``perfxl export`` stays the identity on merged runs.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol

from .a1 import col_index, split_cell

#: a merged range: (first row, first column, last row, last column), from 0, inclusive
Span = tuple[int, int, int, int]
_MERGE_CELL = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref=["']\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?["']""")


def merge_spans(xml: bytes) -> list[Span]:
    """The merged ranges of a sheet part (its ``<mergeCells>`` follow ``<sheetData>``)."""
    tail = xml.rfind(b"</sheetData>")
    out = []
    for m in _MERGE_CELL.finditer(xml, max(tail, 0)):
        first_col, first_row = m.group(1).decode(), int(m.group(2))
        last_col, last_row = (m.group(3).decode(), int(m.group(4))) if m.group(3) else (first_col, first_row)
        out.append((first_row - 1, col_index(first_col), last_row - 1, col_index(last_col)))
    return out


def spread_merged(grid: list[Sequence[object]], spans: Sequence[Span], top: int = 0, left: int = 0) -> list[Sequence[object]]:
    """*grid* (its first cell at row *top*, column *left*, from 0) with every cell of each
    merged range holding the range's top-left value.

    Only the cells of the grid are set (a range reaching beyond it adds none; one whose
    first cell is outside it is left as it is), and at most as many as the grid has
    (valid ranges never overlap, so a file whose ranges cover more is damaged or
    hostile: the rest are left as they are)."""
    if not spans:
        return grid
    budget = sum(len(line) for line in grid)
    lines: dict[int, list[object]] = {}
    for span in spans:
        r1, c1, r2, c2 = span[0] - top, span[1] - left, span[2] - top, span[3] - left
        if not (0 <= r1 < len(grid) and 0 <= c1 < len(grid[r1])) or (r1, c1) == (r2, c2):
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            line = lines.get(r)
            if line is None:
                line = lines[r] = list(grid[r])
            for c in range(c1, min(c2, len(line) - 1) + 1):
                line[c] = value
                budget -= 1
        if budget < 0:
            break
    return [lines.get(r, line) for r, line in enumerate(grid)]


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

    def __init__(self, path: Path | BinaryIO):
        """*path*: the file, or its bytes already read (``io.BytesIO``)."""
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
        ws = self.book[sheet]
        rows = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
        return spread_merged(rows, merge_spans(self.book._archive.read(ws._worksheet_path)))

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
        rows = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
        return spread_merged(rows, excel_merges(ws, rows))


def excel_merges(ws: Any, rows: Sequence[Sequence[object]], top: int = 0, left: int = 0,
                 wanted: Collection[tuple[int, int]] | None = None) -> list[Span]:
    """The merged ranges of an open sheet that cover the empty cells of *rows* (a block whose
    first cell is at row *top*, column *left*, from 0; Excel gives a merged range's other
    cells as empty), of the cells *wanted* ((row, column) in the block; default: all).

    Each COM question costs about a millisecond in Excel, so: one per column, over the
    rows of that column's empty wanted cells (most columns have no merged cell there),
    then one per empty wanted cell of the other columns, and one for the range of each
    merged cell found.  An engine that cannot say (xlwings' remote engine answers no
    such question synchronously) gives none."""
    width = max((len(line) for line in rows), default=0)
    empty: dict[int, list[int]] = {}
    for r, line in enumerate(rows):
        for c in range(len(line)):
            if line[c] is None and (wanted is None or (r, c) in wanted):
                empty.setdefault(c, []).append(r)
    spans: list[Span] = []
    covered: set[tuple[int, int]] = set()
    try:
        for c, at in sorted(empty.items()):
            if ws.range((top + at[0] + 1, left + c + 1), (top + at[-1] + 1, left + c + 1)).merge_cells is False:
                continue
            for r in at:
                if (r, c) in covered or not ws.range((top + r + 1, left + c + 1)).merge_cells:
                    continue
                area = ws.range((top + r + 1, left + c + 1)).merge_area
                span = (area.row - 1, area.column - 1, area.last_cell.row - 1, area.last_cell.column - 1)
                spans.append(span)
                covered.update((i - top, j - left) for i in range(max(span[0], top), min(span[2] + 1, top + len(rows)))
                               for j in range(max(span[1], left), min(span[3] + 1, left + width)))
    except NotImplementedError:
        return []
    return spans


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


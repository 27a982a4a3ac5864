"""The reading logic is the same for a file and for an open Excel book (xlwings).

``XlwingsSource`` is exercised with a stand-in that answers as xlwings' Book API does
(sheets, names with "'Sheet'!local" for sheet-scoped ones, a 2-D block of values);
it is fed from the example file, so both sources must give the same model.
"""

from __future__ import annotations

import subprocess
import sys

import openpyxl

from perfxl.workbook.reader import (
    OpenpyxlSource,
    XlwingsSource,
    parse_refers_to,
    read_evaluation,
)

from .conftest import ROOT, load_example


class _Range:
    def __init__(self, rows, merged=(), first=(1, 1), last=(1, 1)):
        self._rows, self._merged, self._first, self._last = rows, merged, first, last
        self.row, self.column = first
        self.last_cell = _Cell(*last)

    def options(self, ndim=None):
        return self

    @property
    def value(self):
        return self._rows

    def _area(self, row, col):
        return next((m for m in self._merged if m.min_row <= row <= m.max_row and m.min_col <= col <= m.max_col), None)

    @property
    def merge_cells(self):
        """As Excel's MergeCells: True when every cell is merged, False when none, None when mixed."""
        flags = {self._area(r, c) is not None for r in range(self._first[0], self._last[0] + 1)
                 for c in range(self._first[1], self._last[1] + 1)}
        return flags.pop() if len(flags) == 1 else None

    @property
    def merge_area(self):
        m = self._area(*self._first)
        return self if m is None else _Range([], self._merged, (m.min_row, m.min_col), (m.max_row, m.max_col))


class _Cell:
    def __init__(self, row, column):
        self.row, self.column = row, column


class _Sheet:
    """A sheet as xlwings shows it: a merged range's other cells are empty (openpyxl's full
    mode reads them as None too), and Range.merge_cells / merge_area answer from its merges."""

    def __init__(self, ws):
        self.name = ws.title
        self._rows = [list(r) for r in ws.iter_rows(values_only=True)]
        self._merged = list(ws.merged_cells.ranges)
        width = max((len(r) for r in self._rows), default=1)
        self.used_range = type("U", (), {"last_cell": _Cell(len(self._rows), width)})()

    def range(self, first, last=None):
        last = last or first
        rows = [r + [None] * (last[1] - len(r)) for r in self._rows[: last[0]]]
        # xlwings gives floats for numbers
        return _Range([[float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in r] for r in rows],
                      self._merged, first, last)


class _Name:
    def __init__(self, name, refers_to):
        self.name, self.refers_to = name, refers_to


class _Sheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)


class _Book:
    """What XlwingsSource asks of an xlwings.Book, answered from an openpyxl workbook."""

    def __init__(self, path):
        wb = openpyxl.load_workbook(path, data_only=True)
        self.sheets = _Sheets(_Sheet(ws) for ws in wb.worksheets)
        self.names = [_Name(n, "=" + d.attr_text) for n, d in wb.defined_names.items()]
        for ws in wb.worksheets:
            quoted = "'" + ws.title.replace("'", "''") + "'"
            self.names += [_Name(f"{quoted}!{n}", "=" + d.attr_text) for n, d in ws.defined_names.items()]


def test_xlwings_source_reads_like_the_file(fresh_example):
    from_excel = read_evaluation(XlwingsSource(_Book(fresh_example)))
    source = OpenpyxlSource(fresh_example)
    try:
        from_file = read_evaluation(source)
    finally:
        source.close()
    assert from_excel.evaluation == from_file.evaluation == load_example()
    assert from_excel.findings == from_file.findings == []
    for path in ("overall.funds[0].printed_rate", "projects[0].indicators[8].tier", "basic.frugality"):
        assert from_excel.locator(path) == from_file.locator(path)


def test_parse_refers_to():
    place = parse_refers_to("='附件2 整体自评表'!$B$19:$K$34")
    assert (place.sheet, place.first_col, place.first_row, place.last_col, place.last_row) == ("附件2 整体自评表", "B", 19, "K", 34)
    assert parse_refers_to("'It''s'!$A$1").sheet == "It's"
    assert parse_refers_to("基本情况!$B$4").first_row == 4
    assert parse_refers_to("#REF!") is None
    assert parse_refers_to("='附件2 整体自评表'!#REF!") is None


def test_reader_imports_nothing_heavy():
    code = (
        "import sys; from perfxl.workbook.reader import read_workbook; "
        f"read_workbook({str(ROOT / 'perfxl' / 'examples' / 'hengshan-kexie-2023.xlsm')!r}); "
        "print(sorted(m for m in ('xlsxwriter', 'xlwings', 'pyopenvba', 'formulas', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""The review workbook (.xlsx) a finance bureau opens: 汇总, 问题清单, 排名, 图表.

XlsxWriter writes it in ``constant_memory`` mode (``ReviewWorkbook``): each sheet's rows go
to a temporary file as they are written, so writing costs the same memory for 100 or
20,000 departments.  问题清单 is written a file at a time — during ``perfxl batch`` as
the records arrive (``run.summarize``), else from the spool (``write_xlsx``); 汇总, 排名
and 图表 at the end from the small per-file rows.  pandas builds the tables of 排名 and 图表.

Decisions:
- Every text cell is written with ``write_string``: a department name "=HYPERLINK(…)"
  stays text; no formula is ever built from department data (the file links are
  ``write_url`` cells, not HYPERLINK formulas).
- 问题清单 holds at most ``max_rows`` rows a sheet (Excel: 1,048,576, the header
  included), then continues on 问题清单(2), 问题清单(3)…, each with its header, filter
  and frozen first row.
- A link opens the department's file (relative to the summary, so the folder can be
  moved together) at the finding's sheet and cell.  XlsxWriter holds every link of the
  workbook in memory until it closes (about 1 KiB each, measured), and Excel keeps at
  most 65,530 a sheet: so 问题清单 links its first ``FINDING_LINKS`` rows (a county's
  whole list) and shows the file name as plain text after that; 汇总 links every file.
  A path with "#" (which would be read as the cell part) or too long for Excel gets no link.
- Amounts and scores become binary numbers only here, at the edge.
- 排名 ranks the files that have a rule total, ties sharing a rank (1, 2, 2, 4); its 差值
  (self minus rule) is red from ``GAP_ALERT`` points up: a self-score well above what the
  rules give is what a reviewer looks at first.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..app.extras import missing_extra, needs
from ..fileio import atomic_write
from .records import FileResult
from .spool import Spool
from .tables import (
    FINDING_COLUMNS,
    PASSED,
    SUMMARY_COLUMNS,
    UNREADABLE,
    WITH_ERRORS,
    WITH_WARNINGS,
    Row,
    finding_values,
)

PURPOSE = "写出汇总表"
EXCEL_MAX_ROWS = 1_048_576
MAX_LINKS = 65_530
FINDING_LINKS = 20_000
MAX_URL = 2_079
GAP_ALERT = 10
GRADE_ORDER = ("优", "良", "中", "差")
RATE_BINS = ((Decimal("0.6"), "60%以下"), (Decimal("0.8"), "60%–80%"), (Decimal("0.9"), "80%–90%"),
             (Decimal("1"), "90%–100%"), (Decimal("1.0000001"), "100%"), (None, "100%以上"))
RANK_COLUMNS = ("名次", "单位", "文件", "年度", "规则总分", "规则等级", "自评总分", "自评等级", "差值（自评−规则）",
                "执行率", "错误")
STATUS_COLOURS = {PASSED: ("#C6EFCE", "#006100"), WITH_WARNINGS: ("#FFEB9C", "#9C5700"),
                  WITH_ERRORS: ("#FFC7CE", "#9C0006"), UNREADABLE: ("#D9D9D9", "#404040")}


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _put(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


class _Links:
    """Links to the departments' files, relative to the summary's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def target(self, path: Path) -> str | None:
        """"external:<relative path>", or ``None`` when it cannot be a link."""
        try:
            target = os.path.relpath(path.resolve(), self.folder)
        except ValueError:  # another drive (Windows)
            target = str(path.resolve())
        return None if "#" in target or len(target) > MAX_URL else "external:" + target

    @staticmethod
    def at(target: str | None, sheet: str = "", cell: str = "") -> str | None:
        """*target* opened at *sheet*!*cell*."""
        if target is None:
            return None
        url = target + "#'" + sheet.replace("'", "''") + "'!" + cell if sheet and cell else target
        return url if len(url) <= MAX_URL else None

    def put(self, ws: Any, row: int, col: int, text: str, url: str | None, fmt: Any) -> bool:
        """A link cell showing *text* (or plain text without *url*); whether a link was written."""
        if url is not None and ws.write_url(row, col, url, fmt, text) == 0:
            return True
        ws.write_string(row, col, text)
        return False


def write_xlsx(spool: Spool, out: str | os.PathLike[str], *, overwrite: bool = False,
               max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """The review workbook of everything in *spool*, written atomically to *out*."""
    out = Path(out)

    def write(tmp: Path) -> None:
        with ReviewWorkbook(tmp, out, max_rows) as review:
            for row, record in spool.findings():
                review.add_findings(row, record)
            review.finish(spool.rows())

    return atomic_write(out, write, overwrite=overwrite)


class ReviewWorkbook:
    """The review workbook being written: 问题清单 as records come, the rest at the end.

    ``add_findings`` writes one file's rows of 问题清单 (call it in the summary's order,
    ``Spool.rows``'s); ``finish`` writes 汇总, 排名 and 图表 from every file's ``Row`` and
    closes the file.  So ``perfxl batch`` writes 问题清单 while the workers are still
    reading (``run.summarize``).  *path* is where the file is written (a temporary file),
    *out* what it will be called (the links to the departments' files are relative to its
    folder).  XlsxWriter's own temporary files (one a sheet) are in a private folder that
    is removed on leaving the ``with``, however it is left (an error, Ctrl+C).
    """

    WIDTHS = (30, 24, 8, 24, 24, 28, 22, 8, 60, 12, 12)

    def __init__(self, path: Path, out: Path, max_rows: int = EXCEL_MAX_ROWS) -> None:
        # pandas is imported by ``finish``, after the workers: a worker forked from a parent
        # holding pandas copies its pages as soon as its garbage collector walks them
        # (+50 MiB a worker, measured); here it is only looked for, so a missing one is said first
        if importlib.util.find_spec("pandas") is None:
            raise missing_extra("batch", PURPOSE, "pandas")
        try:
            import xlsxwriter
        except ModuleNotFoundError as exc:
            raise missing_extra("batch", PURPOSE, "xlsxwriter") from exc
        self.links = _Links(out.resolve().parent)
        self.max_rows = max_rows
        self._scratch = tempfile.TemporaryDirectory(prefix="perfxl-xlsx-", ignore_cleanup_errors=True)
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                    "strings_to_numbers": False, "strings_to_urls": False,
                                                    "tmpdir": self._scratch.name})
        self.f = _formats(self.book)
        self._summary = self.book.add_worksheet("汇总")  # first in the book, written last
        self._sheets = self._row = self._linked = 0
        self._ws = self._new_sheet()

    def __enter__(self) -> ReviewWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is not None and not self.book.fileclosed:
                try:  # close the sheets' temporary files (Windows cannot remove open files); the caller drops *path*
                    self.book.close()
                except Exception:  # already failing: the first error is the one to report
                    self.book.fileclosed = True
        finally:
            self._scratch.cleanup()

    def _new_sheet(self) -> Any:
        self._sheets += 1
        sheet = self.book.add_worksheet("问题清单" if self._sheets == 1 else f"问题清单({self._sheets})")
        _header(sheet, self.f, FINDING_COLUMNS, self.WIDTHS)
        self._row = 0
        return sheet

    def _finish_sheet(self) -> None:
        self._ws.autofilter(0, 0, max(self._row, 1), len(FINDING_COLUMNS) - 1)

    def add_findings(self, summary: Row, record: FileResult) -> None:
        """问题清单's rows of one file; 问题清单 continues on a new sheet before Excel's row limit."""
        if not record.findings:
            return
        links, ws, link = self.links, self._ws, self.f["link"]
        target = links.target(record.path)
        write = ws.write_string
        for values in finding_values(record, summary.name):
            if self._row + 1 >= self.max_rows:
                self._finish_sheet()
                ws = self._ws = self._new_sheet()
                write = ws.write_string
            self._row += 1
            row = self._row
            url = links.at(target, values[6], values[7]) if self._linked < FINDING_LINKS else None
            self._linked += links.put(ws, row, 0, values[0], url, link)
            for col in range(1, len(values)):  # the hottest loop of the parent process: no slices, no enumerate
                if values[col]:
                    write(row, col, values[col])

    def finish(self, rows: list[Row]) -> None:
        """汇总, 排名 and 图表 from every file's row (in the summary's order); closes the book."""
        with needs("batch", PURPOSE):
            import pandas as pd
        self._finish_sheet()
        _summary_sheet(self._summary, self.f, rows, self.links)
        ranked = _ranking_sheet(self.book, self.f, pd, rows)
        _charts_sheet(self.book, self.f, pd, rows, ranked)
        self.book.close()


def _formats(book: Any) -> dict[str, Any]:
    f = {
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True,
                                 "valign": "vcenter"}),
        "link": book.add_format({"font_color": "#0563C1", "underline": 1}),
        "pct": book.add_format({"num_format": "0.00%"}),
        "score": book.add_format({"num_format": "0.00"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "title": book.add_format({"bold": True, "font_size": 12}),
        "alert": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
    }
    for kind, (fill, font) in STATUS_COLOURS.items():
        f[kind] = book.add_format({"bg_color": fill, "font_color": font})
    return f


def _header(ws: Any, f: dict[str, Any], columns: Iterable[str], widths: Iterable[int]) -> None:
    for col, (name, width) in enumerate(zip(columns, widths, strict=True)):
        ws.write_string(0, col, name, f["head"])
        ws.set_column(col, col, max(width, _width(name) + 2))
    ws.freeze_panes(1, 0)


def _summary_sheet(ws: Any, f: dict[str, Any], rows: list[Row], links: _Links) -> None:
    name_width = min(50, max([_width(r.name) for r in rows] + [8]) + 2)
    unit_width = min(40, max([_width(r.department) for r in rows] + [8]) + 2)
    widths = [name_width, unit_width, 6, 10, 10, 12, 12, 9, 9, 8, 9, 8, 6, 6, 6, 16]
    _header(ws, f, SUMMARY_COLUMNS, widths)
    ws.freeze_panes(1, 1)
    formats = {5: f["money"], 6: f["money"], 7: f["pct"], 8: f["score"], 10: f["score"]}
    for i, row in enumerate(rows, start=1):
        values = row.values()
        links.put(ws, i, 0, row.name, links.target(row.path) if i <= MAX_LINKS else None, f["link"])
        for col, value in enumerate(values[1:-1], start=1):
            _put(ws, i, col, value, formats.get(col))
        ws.write_string(i, len(values) - 1, values[-1], f[row.status_kind])
    ws.autofilter(0, 0, max(len(rows), 1), len(SUMMARY_COLUMNS) - 1)


def _frame(pd: Any, rows: list[Row]) -> Any:
    return pd.DataFrame(
        [(r.department, r.name, r.year, r.rule_total, r.grade, r.self_total, r.self_grade,
          None if r.self_total is None or r.rule_total is None else r.self_total - r.rule_total,
          r.execution_rate, r.errors) for r in rows if r.rule_total is not None],
        columns=list(RANK_COLUMNS[1:]), dtype=object)


def _ranking_sheet(book: Any, f: dict[str, Any], pd: Any, rows: list[Row]) -> int:
    """排名; returns how many files it ranks."""
    ws = book.add_worksheet("排名")
    table = _frame(pd, rows)
    if len(table):
        table = table.sort_values(by=["规则总分", "文件"], ascending=[False, True], kind="stable")
        table.insert(0, "名次", table["规则总分"].astype(float).rank(method="min", ascending=False).astype(int))
    else:
        table.insert(0, "名次", [])
    _header(ws, f, RANK_COLUMNS, [6, 30, 30, 6, 9, 8, 9, 8, 12, 9, 6])
    formats = {4: f["score"], 6: f["score"], 8: f["score"], 9: f["pct"]}
    for i, values in enumerate(table.itertuples(index=False, name=None), start=1):
        for col, value in enumerate(values):
            _put(ws, i, col, None if value is None or value != value else value, formats.get(col))
    if len(table):
        ws.conditional_format(1, 8, len(table), 8, {"type": "cell", "criteria": ">=", "value": GAP_ALERT,
                                                    "format": f["alert"]})
    ws.autofilter(0, 0, max(len(table), 1), len(RANK_COLUMNS) - 1)
    return len(table)


def _rate_bin(rate: Decimal | None) -> str:
    if rate is None:
        return "无执行率"
    return next(label for bound, label in RATE_BINS if bound is None or rate < bound)


def _charts_sheet(book: Any, f: dict[str, Any], pd: Any, rows: list[Row], ranked: int) -> None:
    ws = book.add_worksheet("图表")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 2, 10)
    scored = [r for r in rows if r.rule_total is not None]
    rule = pd.Series([r.grade for r in scored], dtype=object).value_counts()
    self_ = pd.Series([r.self_grade for r in scored if r.self_grade], dtype=object).value_counts()
    grades = [g for g in GRADE_ORDER if g in rule or g in self_] + sorted(
        {g for g in (*rule.index, *self_.index) if g not in GRADE_ORDER})
    ws.write_string(0, 0, "等级分布（文件数）", f["title"])
    for col, name in enumerate(("等级", "规则等级", "自评等级")):
        ws.write_string(1, col, name, f["head"])
    for i, grade in enumerate(grades, start=2):
        ws.write_string(i, 0, grade)
        ws.write_number(i, 1, int(rule.get(grade, 0)))
        ws.write_number(i, 2, int(self_.get(grade, 0)))
    top = 3 + max(len(grades), 1)
    bins = pd.Series([_rate_bin(r.execution_rate) for r in scored], dtype=object).value_counts()
    labels = [label for _, label in RATE_BINS] + ["无执行率"]
    ws.write_string(top, 0, "执行率分布（文件数）", f["title"])
    ws.write_string(top + 1, 0, "执行率", f["head"])
    ws.write_string(top + 1, 1, "文件数", f["head"])
    for i, label in enumerate(labels, start=top + 2):
        ws.write_string(i, 0, label)
        ws.write_number(i, 1, int(bins.get(label, 0)))
    diag = top + 3 + len(labels)
    ws.write_string(diag, 0, "自评=规则", f["title"])
    for i, point in enumerate((0, 100), start=diag + 1):
        ws.write_number(i, 0, point)
        ws.write_number(i, 1, point)

    grade_chart = book.add_chart({"type": "column"})
    for col, name in ((1, "规则等级"), (2, "自评等级")):
        grade_chart.add_series({"name": name, "categories": ["图表", 2, 0, 1 + max(len(grades), 1), 0],
                                "values": ["图表", 2, col, 1 + max(len(grades), 1), col]})
    grade_chart.set_title({"name": "等级分布"})
    grade_chart.set_y_axis({"name": "文件数"})
    ws.insert_chart(0, 4, grade_chart)

    rate_chart = book.add_chart({"type": "column"})
    rate_chart.add_series({"name": "文件数", "categories": ["图表", top + 2, 0, top + 1 + len(labels), 0],
                           "values": ["图表", top + 2, 1, top + 1 + len(labels), 1]})
    rate_chart.set_title({"name": "执行率分布"})
    rate_chart.set_legend({"none": True})
    ws.insert_chart(16, 4, rate_chart)

    scatter = book.add_chart({"type": "scatter"})
    if ranked:
        scatter.add_series({"name": "各单位", "categories": ["排名", 1, 4, ranked, 4],
                            "values": ["排名", 1, 6, ranked, 6], "marker": {"type": "circle", "size": 5}})
    scatter.add_series({"name": "自评=规则", "categories": ["图表", diag + 1, 0, diag + 2, 0],
                        "values": ["图表", diag + 1, 1, diag + 2, 1], "marker": {"type": "none"},
                        "line": {"color": "#A0A0A0", "dash_type": "dash"}})
    scatter.set_title({"name": "自评总分与规则总分"})
    scatter.set_x_axis({"name": "规则总分", "min": 0, "max": 100})
    scatter.set_y_axis({"name": "自评总分", "min": 0, "max": 100})
    ws.insert_chart(32, 4, scatter)

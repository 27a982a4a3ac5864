"""Writing to an open Excel book through xlwings: what the buttons (``perfxl.xlentry``) use.

Split by concern; every name is re-exported here:

* ``xlbook``: ``XlwingsSource`` answers the reader's three questions from an xlwings ``Book``: the
  sheets, the defined names (``book.names``) and the values of cells, one range read
  per sheet, so that a book in Excel is read exactly like a file (``reader.read_evaluation``);
  ``BookMap`` says where each declared sheet, field and region is in *this* book: the
  sheets are found as the reader finds them (renamed sheets, every 附件3 sheet) and the
  cells through the defined names, which Excel moves when rows are inserted.
* this module: small pure functions that turn the model, findings and layout into
  blocks of values and formulas, and ``apply``, which writes them with one xlwings call
  per block; ``xlpaint``: the fill colours and ``paint``, the same way.

Only the public xlwings API is used (no ``xlwings.pro``), so the same code runs in
Windows and macOS Excel and, in the tests, on xlwings' remote engine.  Text written into
cells goes through ``excel_text``: a leading ``'`` keeps "100%", "2023-01" or "=…" as
the text the department typed (tablib's escaping of formulas, style.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core import model
from ..core.findings import Finding, sort_findings
from ..core.money import to_decimal
from . import layout as L
from .decl import MARK_SET, get_path
from .xlbook import BookMap, SheetAt, XlEntryError, XlwingsSource, split_name
from .xlpaint import MARK_FILL, Cell, Fills, layout_fills, marked_fills, paint, rectangles, style_fill

__all__ = [
    "MARK_FILL", "Block", "BookMap", "Cell", "Fills", "SheetAt", "XlEntryError", "XlwingsSource", "apply", "cell_value",
    "excel_text", "findings_rows", "formula_blocks", "hyperlink", "layout_fills", "marked_fills", "paint", "record_blocks",
    "record_of", "rectangles", "severity_fills", "split_name", "style_fill", "unmerge_runs",
]

# --------------------------------------------------------------------------- cell values


_DATE_LIKE = re.compile(r"^(\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?|\d{1,4}年\d{1,2}月(\d{1,2}日)?|\d{1,2}:\d{2}(:\d{2})?)$")


def excel_text(text: str) -> str:
    """*text* as a cell must receive it to stay that text: a leading ``'`` when Excel would
    otherwise read a formula, a number, a percentage, a date or a truth value."""
    plain = text.strip()
    if (plain[:1] in ("=", "+", "-", "@", "'") or to_decimal(plain.rstrip("%％")) is not None
            or _DATE_LIKE.match(plain) or plain.upper() in ("TRUE", "FALSE")):
        return "'" + text
    return text


def cell_value(kind: L.Kind, value: Any) -> Any:
    """A model value as xlwings writes it: int/float for numbers, escaped text, None for empty."""
    if kind is L.Kind.MARK:
        return MARK_SET if value else None
    if value is None or value == "" or (kind is L.Kind.INT and not value):
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return excel_text(str(value))


def hyperlink(sheet: str, cell: str) -> str:
    """A formula that jumps to *cell* of *sheet* when clicked."""
    target = f"#{L.quote_sheet(sheet)}!{cell}".replace('"', '""')
    return f'=HYPERLINK("{target}","{cell}")'


# --------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """A rectangle of values (or formulas) to write, from its top-left cell."""

    sheet: str
    row: int
    col: int  # 0-based column index
    values: list[list[Any]]
    formula: bool = False

    @property
    def cell(self) -> str:
        return L.cell_at(L.col_letters(self.col), self.row)


def apply(book: Any, blocks: Iterable[Block]) -> int:
    """Write *blocks*: one xlwings call each.  Returns how many were written."""
    n = 0
    for b in blocks:
        rng = book.sheets[b.sheet].range((b.row, b.col + 1), (b.row + len(b.values) - 1, b.col + len(b.values[0])))
        if b.formula:
            rng.formula = b.values
        else:
            rng.value = b.values
        n += 1
    return n


def _runs(columns: Sequence[str]) -> list[list[str]]:
    """Columns split into runs of adjacent columns (each run is one block)."""
    runs: list[list[str]] = []
    for col in sorted(columns, key=L.col_index):
        if runs and L.col_index(col) == L.col_index(runs[-1][-1]) + 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    return runs


def record_of(evaluation: model.Evaluation, at: SheetAt) -> Any:
    """The part of *evaluation* that sheet *at* shows."""
    key = at.decl.key
    if key in ("general", "report"):
        return evaluation
    if key == "basic":
        return evaluation.basic
    if key == "overall":
        return evaluation.overall
    if key == "project":
        return evaluation.projects[at.index]
    raise KeyError(key)


def _region_items(region: L.Region, items: Any, rows: int) -> list[Any]:
    """One entry per row: the items, then empty rows (a dict region: (key, value) with
    the unused default keys, as the builder writes them)."""
    if region.item is dict:
        entries = list((items or {}).items())
        used = {k for k, _ in entries}
        spare = [k for k in region.default_keys if k not in used]
        return entries + [(spare.pop(0) if spare else None, None) for _ in range(rows - len(entries))]
    return list(items or []) + [None] * (rows - len(items or []))


def record_blocks(bm: BookMap, at: SheetAt, record: Any) -> tuple[list[Block], list[str]]:
    """The blocks that write every input of sheet *at* from *record*, and the problems
    (a region with fewer rows than items, a field whose cells were deleted)."""
    decl, blocks, problems = at.decl, [], []
    for f in decl.inputs:
        cell = bm.cell(at, f.path, f.cell)
        if cell is None:
            problems.append(f"{at.name}：“{f.label}”所在的单元格已被删除")
            continue
        col, row = L.split_cell(cell)
        blocks.append(Block(at.name, row, L.col_index(col), [[cell_value(f.kind, get_path(record, f.path))]]))
    for region in decl.regions:
        found = bm.rows(at, region)
        items = get_path(record, region.path)
        if found is None:
            if items:
                problems.append(f"{at.name}：“{region.label}”区域的名称已失效，无法写入")
            continue
        first, rows = found
        if len(items or ()) > rows:
            problems.append(f"{at.name}：“{region.label}”有 {len(items)} 行数据，表中只有 {rows} 行，"
                            f"请在该区域内插入 {len(items) - rows} 行（再点“重新计算”）")
            continue
        entries = _region_items(region, items, rows)
        by_col = {c.col: c for c in region.columns}
        for run in _runs(list(by_col)):
            values = [[cell_value(by_col[col].kind, L.item_value(region, by_col[col], entry)) for col in run]
                      for entry in entries]
            blocks.append(Block(at.name, first, L.col_index(run[0]), values))
    return blocks, problems


def unmerge_runs(book: Any, bm: BookMap, at: SheetAt) -> int:
    """Unmerge the merged runs (一级指标, 二级指标: ``Column.runs``) of sheet *at*'s regions
    before its rows are written: a run merged for earlier data would cover the new rows'
    values (every reader reads a merged range's cells as its first cell's value).  The
    rows are then written unmerged, one value a row; ``perfxl fill`` merges them again.
    Returns how many ranges were unmerged."""
    n = 0
    for region in at.decl.regions:
        found = bm.rows(at, region)
        if found is None:
            continue
        first, rows = found
        for column in (c for c in region.columns if c.runs):
            rng = book.sheets[at.name].range(f"{column.col}{first}:{column.col}{first + rows - 1}")
            try:
                merged = rng.merge_cells
            except NotImplementedError:  # an engine that cannot say (xlwings' remote engine): unmerge anyway
                merged = None
            if merged is False:
                continue
            try:
                rng.unmerge()
            except Exception:  # a protected sheet (macOS Excel): the user lifts the protection
                raise XlEntryError(f"“{at.name}”中合并的{column.label}单元格无法取消合并（工作表受保护？）："
                                   "请在“审阅”中撤消工作表保护后再试。") from None
            n += 1
    return n


def formula_blocks(bm: BookMap, at: SheetAt) -> tuple[list[Block], int]:
    """The per-row formulas (and the 序号 column) of every region of *at*, for the rows
    the region has now: (blocks, rows covered)."""
    blocks, covered = [], 0
    for region in at.decl.regions:
        if not region.formulas and not region.index_col:
            continue
        found = bm.rows(at, region)
        if found is None:
            continue
        first, rows = found
        covered += rows
        formulas = [region.row_formulas(first + i) for i in range(rows)]
        for col in (rf.col for rf in region.formulas):
            values = [["=" + row[col].formula(at.decl.name)] for row in formulas]
            blocks.append(Block(at.name, first, L.col_index(col), values, formula=True))
        if region.index_col:
            blocks.append(Block(at.name, first, L.col_index(region.index_col), [[i + 1] for i in range(rows)]))
    return blocks, covered


# --------------------------------------------------------------------------- the findings table


def findings_rows(findings: Sequence[Finding]) -> list[list[Any]]:
    """The rows of 校验结果 in ``layout.FINDINGS_COLUMNS`` order, errors first, each with a
    link to its cell."""
    rows = []
    for i, f in enumerate(sort_findings(findings), start=1):
        fields = {
            "index": i,
            "severity": str(f.severity),
            "code": f.code,
            "table": f.table_title or str(f.table),
            "cell": hyperlink(f.sheet, f.cell) if f.sheet and f.cell else None,
            "location": f.location,
            "message": f.message,
            "expected": f.expected,
            "actual": f.actual,
        }
        row = []
        for _, attr, _ in L.FINDINGS_COLUMNS:
            value = fields[attr]
            if isinstance(value, str) and attr != "cell":
                value = excel_text(value) if value else None
            row.append(value)
        rows.append(row)
    return rows


def severity_fills(findings: Sequence[Finding], first_row: int) -> dict[Cell, str | None]:
    """The 严重程度 cells of the rows of ``findings_rows`` in their mark colour."""
    col = next(L.col_index(c) for c, attr, _ in L.FINDINGS_COLUMNS if attr == "severity")
    return {(first_row + i, col): MARK_FILL[f.severity] for i, f in enumerate(sort_findings(findings))}

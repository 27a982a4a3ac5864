"""An open Excel book through xlwings: the reader's ``CellSource`` and the writers the
buttons (``perfxl.xlentry``) use.

* ``XlwingsSource`` answers the reader's three questions from an xlwings ``Book``: the
  sheets, the defined names (``book.names``) and the values of cells, one range read
  per sheet, so that a book in Excel is read exactly like a file (``reader.read_evaluation``).
* ``BookMap`` says where each declared sheet, field and region is in *this* book: the
  sheets are found as the reader finds them (renamed sheets, every 附件3 sheet) and the
  cells through the defined names, which Excel moves when rows are inserted.
* The rest are small pure functions that turn the model, findings and layout into
  blocks of values, formulas and fill colours, and ``apply``/``paint``, which write them
  with one xlwings call per block.

Only the public xlwings API is used (no ``xlwings.pro``), so the same code runs in
Windows and macOS Excel and, in the tests, on xlwings' remote engine.  Text written into
cells goes through ``excel_text``: a leading ``'`` keeps "100%", "2023-01" or "=…" as
the text the department typed (tablib's escaping of formulas, style.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core import model
from ..core.findings import Finding, Severity, sort_findings
from ..core.money import to_decimal
from ..errors import PerfxlError
from . import layout as L
from .builder import GREY, YELLOW, get_path
from .reader import Place, find_sheet, parse_refers_to, project_sheets


class XlEntryError(PerfxlError):
    """What a button cannot do, said in Chinese for the user (no traceback)."""


# --------------------------------------------------------------------------- reading


def split_name(full: str) -> tuple[str | None, str]:
    """"'附件3 项目自评表'!project.name" → ("附件3 项目自评表", "project.name"); "a.b" → (None, "a.b")."""
    if "!" not in full:
        return None, full
    sheet, _, local = full.rpartition("!")
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, local


class XlwingsSource:
    """The reader's ``CellSource`` over an open xlwings ``Book``.

    ``values`` reads the block spanning the asked cells with one range read; the reader
    asks once per sheet, so reading a workbook costs one call per sheet plus the names.
    """

    def __init__(self, book: Any):
        self.book = book
        self._names: list[tuple[str | None, str, str]] | None = None

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        if self._names is None:
            out = []
            for name in self.book.names:
                try:
                    full, refers_to = name.name, name.refers_to or ""
                except Exception:  # a name Excel cannot show (hidden, external): not one of ours
                    continue
                scope, local = split_name(full)
                out.append((scope, local, refers_to))
            self._names = out
        return self._names

    def values(self, sheet: str, cells: Sequence[str]) -> list[object]:
        if not cells:
            return []
        coords = [L.split_cell(c) for c in cells]
        rows = [row for _, row in coords]
        cols = [L.col_index(col) for col, _ in coords]
        r1, c1 = min(rows), min(cols)
        block = self.book.sheets[sheet].range((r1, c1 + 1), (max(rows), max(cols) + 1)).options(ndim=2).value
        return [block[row - r1][L.col_index(col) - c1] for col, row in coords]


# --------------------------------------------------------------------------- where things are


@dataclass(frozen=True)
class SheetAt:
    """A declared sheet and the sheet of the book that holds it.

    ``names_of`` is the sheet whose sheet-scoped names locate the cells: the sheet
    itself, or for a fresh copy of a project sheet its source (same rows).
    """

    decl: L.SheetLayout
    name: str
    names_of: str = ""

    @property
    def names_sheet(self) -> str:
        return self.names_of or self.name

    @property
    def index(self) -> int:
        """The project index of a 附件3 sheet."""
        return int(self.decl.root[len("projects["):-1])


class BookMap:
    """Where each declared sheet, field and region is in one book (the reader's rules)."""

    def __init__(self, sheet_names: Sequence[str], names: dict[tuple[str | None, str], str]):
        self.sheet_names = list(sheet_names)
        self.names = names
        self.project_names = project_sheets(self.sheet_names, names)
        self.layout = L.workbook_layout(L.Shape(projects=max(1, len(self.project_names))))

    @classmethod
    def of(cls, source: XlwingsSource) -> BookMap:
        return cls(source.sheet_names(), {(scope, local): text for scope, local, text in source.defined_names()})

    # sheets

    def find(self, key: str) -> SheetAt | None:
        decl = self.layout.sheet(key)
        name = find_sheet(decl, self.sheet_names, self.names, [])
        return SheetAt(decl, name) if name else None

    def require(self, key: str) -> SheetAt:
        found = self.find(key)
        if found is None:
            raise XlEntryError(f"找不到工作表“{self.layout.sheet(key).name}”（被删除或改名？），请从 perfxl 模板中恢复该表。")
        return found

    def projects(self) -> list[SheetAt]:
        return [SheetAt(self.layout.projects[i], name) for i, name in enumerate(self.project_names)]

    def data_sheets(self) -> list[SheetAt]:
        """The sheets holding the model (inputs, regions, formulas) that are in the book."""
        out = []
        for key in ("general", "basic", "overall"):
            found = self.find(key)
            if found:
                out.append(found)
        out += self.projects()
        found = self.find("report")
        if found:
            out.append(found)
        return out

    def output(self, key: str) -> tuple[str, str]:
        """(sheet, cell) of an output (``check.summary`` …), through its name when present."""
        for decl in self.layout.sheets:
            for out in decl.outputs:
                if out.key == key:
                    place = parse_refers_to(self.names.get((None, key), ""))
                    if place is not None and place.sheet in self.sheet_names:
                        return place.sheet, L.cell_at(place.first_col, place.first_row)
                    if decl.name not in self.sheet_names:
                        raise XlEntryError(f"找不到工作表“{decl.name}”（被删除或改名？），请从 perfxl 模板中恢复该表。")
                    return decl.name, out.cell
        raise KeyError(key)  # pragma: no cover - a programming error

    # cells

    def place(self, at: SheetAt, rel: str) -> Place | bool | None:
        """The named place of *rel* on *at*; None when not named; False when the name is broken."""
        scope = at.names_sheet if at.decl.scoped else None
        text = self.names.get((scope, at.decl.name_of(rel)))
        if text is None:
            return None
        found = parse_refers_to(text)
        return found if found is not None and found.sheet == at.names_sheet else False

    def cell(self, at: SheetAt, rel: str, declared: str) -> str | None:
        """The first cell of a field (its name, else the declaration); None when deleted."""
        found = self.place(at, rel)
        if found is False:
            return None
        return L.cell_at(found.first_col, found.first_row) if found else declared

    def rows(self, at: SheetAt, region: L.Region) -> tuple[int, int] | None:
        """(first row, rows) of *region*; None when its name is broken."""
        found = self.place(at, region.path)
        if found is False:
            return None
        return (found.first_row, found.last_row - found.first_row + 1) if found else (region.first_row, region.capacity)


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


# --------------------------------------------------------------------------- fill colours

#: the marks of the 校验数据 button, by severity
MARK_FILL = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFD8A8", Severity.NOTICE: "#DDEBF7"}
_GREY_STYLES = frozenset({L.Style.OUT_MONEY, L.Style.OUT_RATE, L.Style.OUT_SCORE, L.Style.OUT_TEXT})

Cell = tuple[int, int]  # (row, 0-based column)


def style_fill(style: L.Style) -> str | None:
    """The fill the builder gives *style*: yellow inputs (``in_*``), grey formulas, else none."""
    if style.value.startswith("in_"):
        return YELLOW
    return GREY if style in _GREY_STYLES else None


def _ref_cells(ref: str, row: int, declared_row: int) -> list[Cell]:
    """The cells of *ref* (a cell or a merged range) moved by ``row - declared_row``."""
    first, _, last = ref.partition(":")
    c1, r1 = L.split_cell(first)
    c2, r2 = L.split_cell(last or first)
    shift = row - declared_row
    return [(r + shift, c) for r in range(r1, r2 + 1) for c in range(L.col_index(c1), L.col_index(c2) + 1)]


@dataclass
class Fills:
    """The layout's fill of every input and formula cell of one sheet.

    ``base``: cell → fill; ``groups``: the first cell of a field → all its cells (a
    merged input is marked as a whole).  Only these cells are ever marked, so that the
    next check restores every mark it made.
    """

    base: dict[Cell, str | None] = field(default_factory=dict)
    groups: dict[Cell, list[Cell]] = field(default_factory=dict)

    def add(self, cells: list[Cell], fill: str | None) -> None:
        for cell in cells:
            self.base[cell] = fill
        self.groups[cells[0]] = cells


def layout_fills(bm: BookMap, at: SheetAt) -> Fills:
    decl, fills = at.decl, Fills()
    for f in decl.inputs:
        cell = bm.cell(at, f.path, f.cell)
        if cell is not None:
            fills.add(_ref_cells(f.ref, L.split_cell(cell)[1], L.split_cell(f.cell)[1]), style_fill(f.style))
    for c in decl.computed:
        if c.path and "#" not in c.path:
            cell = bm.cell(at, c.path, c.cell)
            if cell is not None:
                fills.add(_ref_cells(c.ref, L.split_cell(cell)[1], L.split_cell(c.cell)[1]), style_fill(c.style))
    for region in decl.regions:
        found = bm.rows(at, region)
        if found is None:
            continue
        first, rows = found
        for i in range(rows):
            row = first + i
            for c in region.columns:
                cols = range(L.col_index(c.col), L.col_index(c.col) + c.span + 1)
                fills.add([(row, k) for k in cols], style_fill(c.style))
            for rf in region.formulas:
                fills.add([(row, L.col_index(rf.col))], style_fill(rf.style))
    return fills


def marked_fills(fills: Fills, findings: Iterable[Finding], sheet: str) -> dict[Cell, str | None]:
    """The layout's fills with the cells of *findings* on *sheet* marked by severity (the
    most severe finding of a cell wins)."""
    out = dict(fills.base)
    done: set[Cell] = set()
    for f in sort_findings(findings):
        if f.sheet != sheet or not f.cell:
            continue
        col, row = L.split_cell(f.cell)
        key = (row, L.col_index(col))
        if key in fills.groups and key not in done:
            done.add(key)
            for cell in fills.groups[key]:
                out[cell] = MARK_FILL[f.severity]
    return out


def rectangles(fills: dict[Cell, str | None]) -> list[tuple[int, int, int, int, str | None]]:
    """Cells of equal fill merged into rectangles (row1, col1, row2, col2, fill): rows
    into runs of adjacent cells, then equal runs of adjacent rows into one."""
    runs: list[tuple[int, int, int, str | None]] = []  # (row, c1, c2, fill)
    for row, col in sorted(fills):
        fill = fills[(row, col)]
        if runs and runs[-1][0] == row and runs[-1][2] == col - 1 and runs[-1][3] == fill:
            runs[-1] = (row, runs[-1][1], col, fill)
        else:
            runs.append((row, col, col, fill))
    open_: dict[tuple[int, int, str | None], list[int]] = {}  # (c1, c2, fill) → [row1, row2]
    out = []
    for row, c1, c2, fill in runs:
        key = (c1, c2, fill)
        span = open_.get(key)
        if span and span[1] == row - 1:
            span[1] = row
        else:
            if span:
                out.append((span[0], c1, span[1], c2, fill))
            open_[key] = [row, row]
    out += [(r1, c1, r2, c2, fill) for (c1, c2, fill), (r1, r2) in open_.items()]
    return sorted(out)


def paint(book: Any, sheet: str, fills: dict[Cell, str | None]) -> int:
    """Set the fills with one xlwings call per rectangle; returns the number of calls."""
    rects = rectangles(fills)
    xl = book.sheets[sheet]
    for r1, c1, r2, c2, fill in rects:
        xl.range((r1, c1 + 1), (r2, c2 + 1)).color = fill
    return len(rects)


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

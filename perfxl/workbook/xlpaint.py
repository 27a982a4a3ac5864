"""Fill colours of an open book: the layout's yellow and grey, and the marks of findings.

``layout_fills`` gives each declared cell its colour (following rows Excel moved),
``marked_fills`` overlays the findings' colours (``MARK_FILL``), ``rectangles`` merges
equal neighbours into blocks and ``paint`` writes each block with one xlwings call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, Severity, sort_findings
from . import layout as L
from .constants import GREY, YELLOW
from .xlbook import BookMap, SheetAt

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
    for comp in decl.computed:
        if comp.path and "#" not in comp.path:
            cell = bm.cell(at, comp.path, comp.cell)
            if cell is not None:
                fills.add(_ref_cells(comp.ref, L.split_cell(cell)[1], L.split_cell(comp.cell)[1]), style_fill(comp.style))
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


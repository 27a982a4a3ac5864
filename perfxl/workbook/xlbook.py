"""Where things are in an open Excel book: ``XlwingsSource`` (the reader's ``CellSource``
over an xlwings ``Book``) and ``BookMap`` (each declared sheet, field and region in *this*
book, found as the reader finds them: renamed sheets, every 附件3 sheet, defined names
that Excel moved when rows were inserted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import PerfxlError
from . import layout as L
from . import sources
from .reader import Place, find_sheet, named_place, parse_refers_to, project_sheets


class XlEntryError(PerfxlError):
    """What a button cannot do, said in Chinese for the user (no traceback)."""



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
        ws = self.book.sheets[sheet]
        block = ws.range((r1, c1 + 1), (max(rows), max(cols) + 1)).options(ndim=2).value
        wanted = {(row - r1, L.col_index(col) - c1) for col, row in coords}
        block = sources.spread_merged(block, sources.excel_merges(ws, block, r1 - 1, c1, wanted), r1 - 1, c1)
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

    def place(self, at: SheetAt, rel: str) -> Place | Literal[False] | None:
        """The named place of *rel* on *at*; None when not named; False when the name is broken."""
        scope = at.names_sheet if at.decl.scoped else None
        return named_place(self.names, scope, at.decl.name_of(rel), at.names_sheet)

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


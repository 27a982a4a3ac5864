"""Declaration types of the layout: what a sheet holds, cell by cell and region by region.

``SheetLayout`` lists a sheet's ``Static`` texts, ``Input`` fields, ``Computed`` formula
cells, ``Output`` cells the buttons write, variable-length ``Region``\\ s (their
``Column``\\ s and per-row ``RowFormula``\\ s) and form ``Button``\\ s.  The sheet builders
(``sheets/``) fill them; the builder, reader and xlwings writers only read them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core import model
from ..core.findings import Table
from ..core.rules import Tier
from .a1 import cell_at, col_index, quote_sheet
from .buttons import Button
from .formula import Expr, Rng


class Kind(enum.StrEnum):
    """How a cell maps to a model field."""

    AMOUNT = "amount"  # Decimal | str | None: a number, "——" or text the checker reports
    TEXT = "text"  # str ("" when empty)
    OPT_TEXT = "opt_text"  # str | None: printed rates such as "100%"
    INT = "int"  # the year
    KEY = "key"  # the key of a dict entry (level1_weights)
    MARK = "mark"  # bool: "是" when set, an empty cell when not (核心指标)


class Style(enum.StrEnum):
    """Cell styles; the builder turns them into formats (yellow inputs, grey computed)."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    LABEL = "label"  # a label in the table (bordered)
    LABEL_LEFT = "label_left"
    HEADER = "header"  # a column header (bold, centred, wrapped)
    NOTE = "note"  # plain text without border
    IN_TEXT = "in_text"
    IN_KEY = "in_key"  # text typed, centred: 一级指标 and 二级指标, merged by runs as on the form
    IN_LONG = "in_long"  # long text, wrapped, left-top
    IN_MONEY = "in_money"  # 万元, 0.00
    IN_NUMBER = "in_number"  # people, weights, scores: General
    IN_RATE = "in_rate"  # a printed rate typed as text ("100%")
    IN_INT = "in_int"
    OUT_MONEY = "out_money"
    OUT_RATE = "out_rate"  # 0.00%
    OUT_SCORE = "out_score"  # 0.00
    OUT_TEXT = "out_text"
    OUT_HEADER = "out_header"  # a header whose text is a formula (the year)
    OUT_TITLE = "out_title"


class Check(enum.StrEnum):
    """Data validations on input cells."""

    LEVEL1 = "level1"
    LEVEL2 = "level2"
    TIER = "tier"
    WEIGHT = "weight"  # a decimal ≥ 0
    PROFILE = "profile"


#: what a set mark (``Kind.MARK``: 核心指标) shows in its cell; the reader takes other words too
MARK_SET = "是"
#: the tiers of a qualitative indicator (domain.md "qualitative")
TIERS = tuple(t.value for t in Tier)
LEVEL2_ALL = tuple(name for names in model.LEVEL2_NAMES.values() for name in names)


class _AtRef:
    """Something placed at ``ref``: a cell, or a range whose first cell is the one that counts."""

    ref: str

    @property
    def cell(self) -> str:
        return self.ref.split(":")[0]


@dataclass(frozen=True)
class Static(_AtRef):
    """Fixed text (or a number, or a formula of the year only) on a cell or a merged range."""

    ref: str  # "A1" or "A1:K1"
    text: str | Decimal | Expr
    style: Style = Style.LABEL


@dataclass(frozen=True)
class Input(_AtRef):
    """A single model field typed by the department.

    Attributes:
      path: the model path, relative to the sheet's root ("unit_name" on 附件2 means
        "overall.unit_name"; on a project sheet "name" means "projects[i].name").
      ref: the cell, or a merged range whose first cell holds the value.
      kind: how the value maps to the model.  label: the field as users name it.
      check: the data validation, if any.
      label_ref: a static label cell whose text the reader checks (row deletions).
    """

    path: str
    ref: str
    kind: Kind
    label: str
    style: Style
    check: Check | None = None
    label_ref: str | None = None


@dataclass(frozen=True)
class Computed(_AtRef):
    """A formula cell, locked and grey; ``path`` names it for findings (may be "")."""

    ref: str
    expr: Expr
    style: Style
    path: str = ""
    label: str = ""


@dataclass(frozen=True)
class Output(_AtRef):
    """A cell (or a block, "A5:B16") the entry points write (校验结果's summary, the report's status)."""

    key: str
    ref: str
    label: str
    style: Style = Style.OUT_TEXT


@dataclass(frozen=True)
class Column:
    """One column of a region; ``attr`` None means the row's item is the text itself.

    ``span`` merges the cell with the next columns of the row (wide text).  ``runs``
    merges a run of rows with the same value into one cell down the column, as the
    official forms print 一级指标 and 二级指标 (``merged_runs``).
    """

    attr: str | None
    col: str
    kind: Kind
    label: str
    style: Style
    check: Check | None = None
    span: int = 0
    runs: bool = False


@dataclass(frozen=True)
class RowFormula:
    """A formula repeated on every row of a region; ``attr`` names it in paths."""

    attr: str
    col: str
    make: Callable[[int], Expr]
    style: Style
    label: str


@dataclass(frozen=True)
class Region:
    """A variable-length part: one item per row from ``first_row``.

    Attributes:
      path: the model list (or dict, for ``item is dict``), relative to the sheet root.
      item: the model class of a row, ``str`` for a text list, ``dict`` for a dict.
      header: the header row above the region: {column: text}, checked by the reader.
      index_col: a column numbering the rows (1, 2, …), or None.
      default_labels: texts pre-filled into the label column of rows without an item.
    """

    path: str
    first_row: int
    capacity: int
    item: type
    columns: tuple[Column, ...]
    formulas: tuple[RowFormula, ...] = ()
    header: Mapping[str, str] = field(default_factory=dict)
    index_col: str | None = None
    label: str = ""
    default_keys: tuple[str, ...] = ()

    @property
    def last_row(self) -> int:
        return self.first_row + self.capacity - 1

    @property
    def header_row(self) -> int:
        return self.first_row - 1

    def column(self, attr: str | None) -> Column:
        for c in self.columns:
            if c.attr == attr:
                return c
        raise KeyError(attr)

    def span(self, col: str, first: int | None = None, last: int | None = None) -> Rng:
        return Rng(cell_at(col, first or self.first_row), cell_at(col, last or self.last_row))

    def row_formulas(self, row: int) -> dict[str, Expr]:
        """{column: expression} of the formulas of *row* (for rows inserted in Excel)."""
        return {f.col: f.make(row) for f in self.formulas}


def item_value(region: Region, column: Column, item: Any) -> Any:
    """The model value *column* of *region* shows for *item*: a record's attribute, a text
    (lists of str), or a key or value (dict entries, given as (key, value)); ``None`` for none."""
    if region.item is dict:
        return item[0] if column.kind is Kind.KEY else item[1]
    if column.attr is None:
        return item
    return getattr(item, column.attr) if item is not None else None


def merged_runs(region: Region, items: list[Any]) -> dict[str, list[tuple[int, int]]]:
    """{column: [(first, last) row index]} of the runs the builder merges down the ``runs``
    columns of *region* for *items* (one per row, ``None`` for an empty row).

    A run is two or more adjacent rows with the same non-empty value; in each column the
    runs lie inside the runs of the ``runs`` columns left of it (a 二级指标 run never
    crosses the border of its 一级指标 run, as on the form).
    """
    out: dict[str, list[tuple[int, int]]] = {}
    keys: list[tuple[Any, ...]] = [() for _ in items]
    for column in sorted((c for c in region.columns if c.runs), key=lambda c: col_index(c.col)):
        values = [item_value(region, column, item) for item in items]
        keys = [(*key, value) for key, value in zip(keys, values, strict=True)]
        spans, start = [], 0
        for i in range(1, len(items) + 1):
            if i < len(items) and keys[i] == keys[start]:
                continue
            if i - start > 1 and values[start] not in (None, ""):
                spans.append((start, i - 1))
            start = i
        if spans:
            out[column.col] = spans
    return out


def get_path(obj: Any, path: str) -> Any:
    """``get_path(ev, "basic.three_public.budget")``; lists by ``[i]``."""
    for part in path.split("."):
        name, _, index = part.partition("[")
        obj = getattr(obj, name)
        if index:
            obj = obj[int(index.rstrip("]"))]
    return obj


@dataclass
class SheetLayout:
    """One sheet.

    Attributes:
      key: "guide", "general", "basic", "overall", "project", "findings", "report", "conf".
      name: the sheet's name.  table: the ``Table`` of its findings.
      root: the model path of the sheet's record ("", "basic", "overall", "projects[0]").
      scoped: True when its defined names are sheet-scoped (project sheets).
      widths: {column: width}.  heights: {row: height}.
      print_area / print_rows: the printed range and the rows repeated on every page.
      pages_tall: the print fits 1 page wide and this many tall (0: as many as it takes).
      landscape / protect / hidden: page and sheet settings.
    """

    key: str
    name: str
    table: Table
    root: str = ""
    scoped: bool = False
    statics: list[Static] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    computed: list[Computed] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    print_area: str = ""
    print_rows: tuple[int, int] | None = None
    pages_tall: int = 0
    landscape: bool = False
    protect: bool = True
    hidden: bool = False

    def full_path(self, rel: str) -> str:
        if not self.root:
            return rel
        return f"{self.root}.{rel}" if rel else self.root

    def name_of(self, rel: str) -> str:
        """The defined name of a field or region given by its relative path."""
        if self.scoped:
            return f"project.{rel}"
        return self.full_path(rel)

    def name_ref(self, rel: str) -> str:
        """The name as XlsxWriter's ``define_name`` wants it (scoped names carry the sheet)."""
        local = self.name_of(rel)
        return f"{quote_sheet(self.name)}!{local}" if self.scoped else local

    def region(self, rel: str) -> Region:
        for r in self.regions:
            if r.path == rel:
                return r
        raise KeyError(rel)

"""The one declaration of PerfEval.xlsm: every sheet, every cell, every formula.

The builder renders it, the reader reads through it, the xlwings entry points and
the tests look cells up in it; nothing else names a cell address.  The sheets follow
the three annex tables of the sample (``shared/seeds``, domain.md "The three annex
tables"): 附件一 基础数据表, 附件二 整体自评表 and one 附件三 项目自评表 per project,
plus 基本情况 (the report's data that no annex holds), 自评报告 (the department's own
texts), 校验结果 (filled by the 校验数据 button) and 填表说明.

Where things are
----------------
* ``workbook_layout(shape)`` gives a ``WorkbookLayout``; ``LAYOUT`` is the one for the
  default shape (one project, default capacities), ``layout_for(evaluation)`` the one
  the builder uses for *evaluation*.
* ``WorkbookLayout.locate(path)`` → ``(sheet, cell)`` for a model path such as
  ``"overall.funds[0].printed_rate"``, ``"projects[0].indicators[1].target"``,
  ``"basic.project_items[0].actual"`` or ``"overall.level1_weights.产出指标"``; a
  path to a row or a record gives its first cell.  Computed cells have paths too
  (``"overall.funds[0].rule_score"``, ``"overall.indicators[3].rule_score"``,
  ``"overall.rule_total"``, ``"overall.rule_grade"`` …, see ``Computed.path``).
* Every single field has a defined name (its model path: ``overall.unit_name``; on a
  project sheet a sheet-scoped ``project.name``) and every variable-length part is a
  ``Region`` with a defined name covering its rows (``overall.indicators``).  Excel
  moves the names when rows are inserted or deleted, so the reader follows them.

Expansion rule of a region
--------------------------
A region has ``capacity`` rows (``DEFAULT_CAPACITY``, or more when the data has more
items: ``capacity = max(default, len(items))``).  Every sum over a region covers the
whole region, so rows inserted inside it (Excel widens the name and the sums) are
counted; the per-row formulas of a new row come from ``Region.row_formulas`` (the
重新计算 button writes them).  Reading drops the trailing rows that are entirely empty
and keeps empty rows in between.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..core import model
from ..core.findings import Table
from ..core.rules import Tier
from ..errors import DataError

# --------------------------------------------------------------------------- sheets

GUIDE_SHEET = "填表说明"
GENERAL_SHEET = "基本情况"
BASIC_SHEET = "附件1 基础数据表"
OVERALL_SHEET = "附件2 整体自评表"
PROJECT_SHEET = "附件3 项目自评表"
FINDINGS_SHEET = "校验结果"
REPORT_SHEET = "自评报告"
CONF_SHEET = "xlwings.conf"

#: the xlwings version whose VBA module is embedded; the Python xlwings must match it
XLWINGS_VERSION = "0.37.8"
#: the module RunPython and the UDF wrappers call (the ``UDF Modules`` setting)
UDF_MODULE = "perfxl.udfs"
#: the Python module of the buttons' entry points
ENTRY_MODULE = "perfxl.xlentry"


def project_sheet_name(index: int) -> str:
    """"附件3 项目自评表", "附件3 项目自评表(2)", … for the 0-based *index*."""
    return PROJECT_SHEET if index == 0 else f"{PROJECT_SHEET}({index + 1})"


# --------------------------------------------------------------------------- the buttons


@dataclass(frozen=True)
class Action:
    """One button: the VBA macro, its ribbon callback and the Python entry point.

    Attributes:
      macro: the VBA Sub a form button runs, e.g. "Perf_Check".
      ribbon: the ribbon callback ``Sub Ribbon_Check(control As Object)``.
      entry: the function of ``perfxl.xlentry`` it runs (``def check(book=None)``).
      caption: the Chinese caption on the button and on the ribbon.
      tip: the ribbon's screen tip.
    """

    macro: str
    ribbon: str
    entry: str
    caption: str
    tip: str


ACTIONS: tuple[Action, ...] = (
    Action("Perf_Check", "Ribbon_Check", "check", "校验数据", "按规则校验各表，结果写入“校验结果”表"),
    Action("Perf_Recalc", "Ribbon_Recalc", "recalc", "重新计算", "补齐新增行的公式并重新计算规则得分"),
    Action("Perf_Report", "Ribbon_Report", "report", "生成报告", "生成自评报告（Word）"),
    Action("Perf_ExportPdf", "Ribbon_ExportPdf", "export_pdf", "导出PDF", "把附件表导出为 PDF"),
    Action("Perf_AddProject", "Ribbon_AddProject", "add_project", "新增项目表", "复制一张空白的附件3 项目自评表"),
    Action("Perf_Import", "Ribbon_Import", "import_data", "导入数据", "从 perfxl 数据文件（JSON）导入"),
    Action("Perf_SelfTest", "Ribbon_SelfTest", "self_test", "环境自检", "检查 Python、xlwings 和 perfxl 是否就绪"),
)
#: the functions perfxl.xlentry must define, each ``def f(book=None)``
ENTRY_POINTS: tuple[str, ...] = tuple(a.entry for a in ACTIONS)
_ACTION = {a.entry: a for a in ACTIONS}


def action(entry: str) -> Action:
    return _ACTION[entry]


# --------------------------------------------------------------------------- cell addresses


def col_index(letters: str) -> int:
    """"A" → 0, "K" → 10, "AA" → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    """0 → "A"."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


_CELL_RE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def split_cell(cell: str) -> tuple[str, int]:
    """"C12" → ("C", 12)."""
    m = _CELL_RE.match(cell)
    if not m:
        raise ValueError(f"not a cell: {cell!r}")
    return m.group(1), int(m.group(2))


def cell_at(col: str, row: int) -> str:
    return f"{col}{row}"


def shift_col(col: str, by: int) -> str:
    return col_letters(col_index(col) + by)


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# --------------------------------------------------------------------------- formulas
#
# A computed cell is a tiny expression tree, so that one declaration gives both the
# Excel formula and (in the builder) the cached value computed with the Python core.


class Expr:
    def formula(self, sheet: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def refs(self) -> Iterator[Ref | Rng]:
        return iter(())


@dataclass(frozen=True)
class Ref(Expr):
    """A cell; ``sheet=None`` means the formula's own sheet (relative reference)."""

    cell: str
    sheet: str | None = None

    def formula(self, sheet: str) -> str:
        if self.sheet is None or self.sheet == sheet:
            return self.cell
        col, row = split_cell(self.cell)
        return f"{quote_sheet(self.sheet)}!${col}${row}"

    def refs(self) -> Iterator[Ref | Rng]:
        yield self


@dataclass(frozen=True)
class Rng(Expr):
    """A block of cells on the formula's own sheet, e.g. G19:G33."""

    first: str
    last: str

    def formula(self, sheet: str) -> str:
        return f"{self.first}:{self.last}"

    def cells(self) -> list[str]:
        c1, r1 = split_cell(self.first)
        c2, r2 = split_cell(self.last)
        return [cell_at(col_letters(c), r) for r in range(r1, r2 + 1) for c in range(col_index(c1), col_index(c2) + 1)]

    def refs(self) -> Iterator[Ref | Rng]:
        yield self


@dataclass(frozen=True)
class Lit(Expr):
    value: str | int

    def formula(self, sheet: str) -> str:
        if isinstance(self.value, str):
            return '"' + self.value.replace('"', '""') + '"'
        return str(self.value)


@dataclass(frozen=True)
class Call(Expr):
    """A function call: SUM, SUMIF or one of the PERF_* UDFs."""

    fn: str
    args: tuple[Expr, ...]

    def formula(self, sheet: str) -> str:
        return f"{self.fn}({','.join(a.formula(sheet) for a in self.args)})"

    def refs(self) -> Iterator[Ref | Rng]:
        for a in self.args:
            yield from a.refs()


@dataclass(frozen=True)
class Concat(Expr):
    parts: tuple[Expr, ...]

    def formula(self, sheet: str) -> str:
        return "&".join(p.formula(sheet) for p in self.parts)

    def refs(self) -> Iterator[Ref | Rng]:
        for p in self.parts:
            yield from p.refs()


@dataclass(frozen=True)
class Plus(Expr):
    left: Expr
    right: int

    def formula(self, sheet: str) -> str:
        return f"({self.left.formula(sheet)}{self.right:+d})"

    def refs(self) -> Iterator[Ref | Rng]:
        yield from self.left.refs()


@dataclass(frozen=True)
class IfBlank(Expr):
    """``IF(test="",blank,other)``: a formula cell stays empty until its input is typed."""

    test: Ref
    blank: Expr
    other: Expr

    def formula(self, sheet: str) -> str:
        return f'IF({self.test.formula(sheet)}="",{self.blank.formula(sheet)},{self.other.formula(sheet)})'

    def refs(self) -> Iterator[Ref | Rng]:
        yield from self.test.refs()
        yield from self.blank.refs()
        yield from self.other.refs()


EMPTY = Lit("")


def udf(fn: str, *args: Expr) -> Call:
    return Call(fn, tuple(args))


def fsum(*args: Expr) -> Call:
    return Call("SUM", tuple(args))


# --------------------------------------------------------------------------- declarations


class Kind(enum.StrEnum):
    """How a cell maps to a model field."""

    AMOUNT = "amount"  # Decimal | str | None: a number, "——" or text the checker reports
    TEXT = "text"  # str ("" when empty)
    OPT_TEXT = "opt_text"  # str | None: printed rates such as "100%"
    INT = "int"  # the year
    KEY = "key"  # the key of a dict entry (level1_weights)


class Style(enum.StrEnum):
    """Cell styles; the builder turns them into formats (yellow inputs, grey computed)."""

    TITLE = "title"
    SUBTITLE = "subtitle"
    LABEL = "label"  # a label in the table (bordered)
    LABEL_LEFT = "label_left"
    HEADER = "header"  # a column header (bold, centred, wrapped)
    NOTE = "note"  # plain text without border
    IN_TEXT = "in_text"
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
    """Fixed text (or a formula of the year only) on a cell or a merged range."""

    ref: str  # "A1" or "A1:K1"
    text: str | Expr
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

    ``span`` merges the cell with the next columns of the row (wide text).
    """

    attr: str | None
    col: str
    kind: Kind
    label: str
    style: Style
    check: Check | None = None
    span: int = 0


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


@dataclass(frozen=True)
class Button:
    cell: str
    action: Action
    width: int = 110
    height: int = 30


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



# --------------------------------------------------------------------------- the shape

#: rows of each region when the data does not need more (key: path with [*] for any project)
DEFAULT_CAPACITY: dict[str, int] = {
    "duties": 20,
    "staffing.internal_units": 8,
    "basic.project_items": 6,
    "basic.special_funds": 6,
    "overall.funds": 1,
    "overall.level1_weights": 3,
    "overall.indicators": 16,
    "projects[*].funds": 4,
    "projects[*].level1_weights": 3,
    "projects[*].indicators": 16,
    "narrative.achievements": 10,
    "narrative.problems": 8,
    "narrative.measures": 8,
    "narrative.dropped_suggestions": 6,
}
#: regions whose rows are the form's rows and cannot grow
FIXED_REGIONS = frozenset({"overall.funds", "projects[*].funds", "overall.level1_weights", "projects[*].level1_weights"})


def capacity_key(path: str) -> str:
    return re.sub(r"^projects\[\d+\]", "projects[*]", path)


@dataclass(frozen=True)
class Shape:
    """How many project sheets, and how many rows each region has."""

    projects: int = 1
    capacities: tuple[tuple[str, int], ...] = ()

    def capacity(self, path: str) -> int:
        wanted = dict(self.capacities).get(path)
        default = DEFAULT_CAPACITY[capacity_key(path)]
        return max(default, wanted or 0)


class CapacityError(DataError):
    """The data has more rows than a fixed part of the form (e.g. 5 fund rows in 附件三)."""


def _list_paths(evaluation: model.Evaluation) -> Iterator[tuple[str, int]]:
    yield "duties", len(evaluation.duties)
    yield "staffing.internal_units", len(evaluation.staffing.internal_units)
    yield "basic.project_items", len(evaluation.basic.project_items)
    yield "basic.special_funds", len(evaluation.basic.special_funds)
    for root, table in [("overall", evaluation.overall)] + [(f"projects[{i}]", p) for i, p in enumerate(evaluation.projects)]:
        yield f"{root}.funds", len(table.funds)
        yield f"{root}.level1_weights", len(table.level1_weights)
        yield f"{root}.indicators", len(table.indicators)
    for name in ("achievements", "problems", "measures", "dropped_suggestions"):
        yield f"narrative.{name}", len(getattr(evaluation.narrative, name))


def shape_for(evaluation: model.Evaluation) -> Shape:
    """The shape that holds *evaluation*; raises ``CapacityError`` for a fixed part overflowing."""
    caps = []
    for path, n in _list_paths(evaluation):
        key = capacity_key(path)
        if key in FIXED_REGIONS and n > DEFAULT_CAPACITY[key]:
            raise CapacityError(f"{path} 有 {n} 行，表格只有 {DEFAULT_CAPACITY[key]} 行")
        if n > DEFAULT_CAPACITY[key]:
            caps.append((path, n))
    return Shape(projects=max(1, len(evaluation.projects)), capacities=tuple(caps))


# --------------------------------------------------------------------------- the sheets

# the year and the profile on 基本情况, which titles and UDF calls refer to
# (``workbook_layout`` checks that the 基本情况 declaration puts them there)
_YEAR = Ref("B4", GENERAL_SHEET)
_PROFILE = Ref("B5", GENERAL_SHEET)


def _year_text(prefix: str, offset: int, suffix: str, blank: str) -> Expr:
    """"{prefix}2023年{suffix}" from the year on 基本情况; "{prefix}{blank}{suffix}" without a year."""
    year: Expr = _YEAR if offset == 0 else Plus(_YEAR, offset)
    inner = IfBlank(_YEAR, Lit(blank), Concat((year, Lit("年"))))
    parts: list[Expr] = [inner, Lit(suffix)]
    if prefix:
        parts.insert(0, Lit(prefix))
    return Concat(tuple(parts))


def _text_region(s: SheetLayout, shape: Shape, row: int, path: str, title: str, column_title: str) -> int:
    """A numbered list of texts (职责, 成绩, 问题 …) from *row*: title, header, rows; the next free row."""
    s.statics.append(Static(f"A{row}:B{row}", title, Style.SUBTITLE))
    row += 1
    header = {"A": "序号", "B": column_title}
    for col, text in header.items():
        s.statics.append(Static(f"{col}{row}", text, Style.HEADER))
    cap = shape.capacity(path)
    s.regions.append(Region(path, row + 1, cap, str, (Column(None, "B", Kind.TEXT, column_title, Style.IN_LONG),),
                            header=header, index_col="A", label=title))
    return row + cap + 2


def _general(shape: Shape) -> SheetLayout:
    s = SheetLayout("general", GENERAL_SHEET, Table.GENERAL, widths={"A": 26, "B": 90})
    s.statics.append(Static("A1:B1", "基本情况", Style.TITLE))
    s.statics.append(Static("A2:B2", "黄色单元格填写；本表数据用于自评报告第一至五部分及各附件标题。", Style.NOTE))
    row = 3

    def single(path: str, label: str, kind: Kind, style: Style, check: Check | None = None) -> None:
        nonlocal row
        s.statics.append(Static(f"A{row}", label, Style.LABEL_LEFT))
        s.inputs.append(Input(path, f"B{row}", kind, label, style, check, label_ref=f"A{row}"))
        if style is Style.IN_LONG:
            s.heights[row] = 48
        row += 1

    def text_region(path: str, title: str, column_title: str) -> None:
        nonlocal row
        row = _text_region(s, shape, row, path, title, column_title)

    single("department", "单位名称", Kind.TEXT, Style.IN_TEXT)
    single("year", "评价年度", Kind.INT, Style.IN_INT)
    single("profile", "评分规则方案", Kind.TEXT, Style.IN_TEXT, Check.PROFILE)
    row += 1
    text_region("duties", "一、部门主要职责（每行一条，编号自动生成）", "职责")
    s.statics.append(Static(f"A{row}:B{row}", "二、人员编制情况", Style.SUBTITLE))
    row += 1
    single("staffing.basis", "三定依据及机构级别", Kind.TEXT, Style.IN_LONG)
    single("staffing.establishment_kind", "编制类型", Kind.TEXT, Style.IN_TEXT)
    single("staffing.as_of", "人数统计时点", Kind.TEXT, Style.IN_TEXT)
    for attr, label in (("authorized", "编制数（名）"), ("actual", "实有人数（人）"), ("in_service", "财政供养在职（人）"),
                        ("retired", "退休人员（人）"), ("survivors", "抚恤人员（人）"),
                        ("vehicles_quota", "公务用车定编（台）"), ("vehicles_actual", "现有车辆（台）")):
        single(f"staffing.{attr}", label, Kind.AMOUNT, Style.IN_NUMBER)
    row += 1
    text_region("staffing.internal_units", "内设股室（每行一个）", "股室名称")
    s.statics.append(Static(f"A{row}:B{row}", "三、报告引用的预算支出（万元）", Style.SUBTITLE))
    row += 1
    single("expenditure.personnel", "人员经费", Kind.AMOUNT, Style.IN_MONEY)
    single("expenditure.state_capital", "国有资本经营预算支出", Kind.AMOUNT, Style.IN_MONEY)
    single("expenditure.social_insurance", "社会保险基金预算支出", Kind.AMOUNT, Style.IN_MONEY)
    s.print_area = f"A1:B{row}"
    s.print_rows = (1, 1)
    s.buttons += [Button("D3", action("check")), Button("D5", action("import_data")), Button("D7", action("self_test"))]
    return s


def _basic(shape: Shape) -> SheetLayout:
    sh = BASIC_SHEET
    s = SheetLayout("basic", sh, Table.BASIC, root="basic",
                    widths={"A": 34, "B": 13, "C": 13, "D": 13, "E": 13, "F": 13, "G": 13, "H": 13})
    s.statics.append(Static("A1", "附件一", Style.NOTE))
    s.statics.append(Static("A2:H2", _year_text("", 0, "度部门整体支出绩效评价基础数据表", ""), Style.OUT_TITLE))
    s.heights[2] = 30
    # 财政供养人员情况
    s.statics += [
        Static("A3", "财政供养人员情况（人）", Style.HEADER),
        Static("B3", "编制数", Style.HEADER),
        Static("C3", _year_text("", 0, "实际在职人数", "本"), Style.OUT_HEADER),
        Static("D3", "控制率", Style.HEADER),
        Static("E3", "控制率（计算）", Style.HEADER),
        Static("A4", "", Style.LABEL),
    ]
    s.heights[3] = 30
    s.inputs += [
        Input("staff_authorized", "B4", Kind.AMOUNT, "编制数", Style.IN_NUMBER),
        Input("staff_actual", "C4", Kind.AMOUNT, "实际在职人数", Style.IN_NUMBER),
        Input("printed_staff_rate", "D4", Kind.OPT_TEXT, "控制率", Style.IN_RATE),
    ]
    s.computed.append(Computed("E4", IfBlank(Ref("B4"), EMPTY, udf("PERF_CONTROLRATE", Ref("C4"), Ref("B4"))),
                               Style.OUT_RATE, "staff_rate", "人员控制率（计算）"))
    # 经费控制情况
    s.statics += [
        Static("A5", "经费控制情况（万元）", Style.HEADER),
        Static("B5", _year_text("", -1, "决算数", "上"), Style.OUT_HEADER),
        Static("C5", _year_text("", 0, "预算数", "本"), Style.OUT_HEADER),
        Static("D5", _year_text("", 0, "决算数", "本"), Style.OUT_HEADER),
        Static("E5", "核算：上年决算", Style.HEADER),
        Static("F5", "核算：预算", Style.HEADER),
        Static("G5", "核算：决算", Style.HEADER),
        Static("H5", "变动率（计算）", Style.HEADER),
    ]
    s.heights[5] = 30
    money = ("prior_actual", "budget", "actual")
    value_cols = ("B", "C", "D")
    check_cols = ("E", "F", "G")
    labels = {"prior_actual": "上年决算数", "budget": "预算数", "actual": "决算数"}

    defaults = model.BasicData()

    def cost_row(attr: str, row: int) -> None:
        name = getattr(defaults, attr).label
        s.inputs.append(Input(f"{attr}.label", f"A{row}", Kind.TEXT, f"{name} 行名称", Style.IN_TEXT))
        for m, col in zip(money, value_cols, strict=False):
            s.inputs.append(Input(f"{attr}.{m}", f"{col}{row}", Kind.AMOUNT, f"{name} {labels[m]}", Style.IN_MONEY))

    rows = {}
    row = 6
    for attr in ("three_public", "vehicles", "vehicle_purchase", "vehicle_operation", "overseas", "reception", "project_total"):
        rows[attr] = row
        cost_row(attr, row)
        row += 1
    cost_cols = lambda: (Column("label", "A", Kind.TEXT, "行名称", Style.IN_TEXT),  # noqa: E731
                         *(Column(m, c, Kind.AMOUNT, labels[m], Style.IN_MONEY) for m, c in zip(money, value_cols, strict=False)))
    items_cap = shape.capacity("basic.project_items")
    # no header check: the row above is 项目支出 itself, whose label is the department's text
    items = Region("project_items", row, items_cap, model.CostRow, cost_cols(), label="项目支出明细")
    s.regions.append(items)
    row += items_cap
    s.statics.append(Static(f"A{row}", "省级专项资金（每个专项一行）", Style.LABEL_LEFT))
    for col in ("B", "C", "D"):
        s.statics.append(Static(f"{col}{row}", "", Style.LABEL))
    funds_cap = shape.capacity("basic.special_funds")
    special = Region("special_funds", row + 1, funds_cap, model.CostRow, cost_cols(), label="省级专项资金",
                     header={"A": "省级专项资金（每个专项一行）"})
    s.regions.append(special)
    row += 1 + funds_cap
    for attr in ("public_funds", "office", "utilities_travel", "meetings_training", "procurement", "budget_adjustment"):
        rows[attr] = row
        cost_row(attr, row)
        row += 1
    last_cost = row - 1
    # the sums the form implies (三公经费 = 车 + 出国 + 接待, 车 = 购置 + 运维, 项目支出 = items)
    for m, vcol, ccol in zip(money, value_cols, check_cols, strict=False):
        r = rows
        s.computed.append(Computed(f"{ccol}{r['three_public']}", fsum(Ref(f"{vcol}{r['vehicles']}"), Ref(f"{vcol}{r['overseas']}"),
                                                                     Ref(f"{vcol}{r['reception']}")),
                                   Style.OUT_MONEY, f"three_public.{m}_sum", f"三公经费{labels[m]}（合计）"))
        s.computed.append(Computed(f"{ccol}{r['vehicles']}", fsum(Ref(f"{vcol}{r['vehicle_purchase']}"), Ref(f"{vcol}{r['vehicle_operation']}")),
                                   Style.OUT_MONEY, f"vehicles.{m}_sum", f"公务用车购置和维护经费{labels[m]}（合计）"))
        s.computed.append(Computed(f"{ccol}{r['project_total']}", fsum(items.span(vcol), special.span(vcol)),
                                   Style.OUT_MONEY, f"project_total.{m}_sum", f"项目支出{labels[m]}（合计）"))
    tp = rows["three_public"]
    s.computed.append(Computed(f"H{tp}", IfBlank(Ref(f"B{tp}"), EMPTY, udf("PERF_CHANGERATE", Ref(f"D{tp}"), Ref(f"B{tp}"))),
                               Style.OUT_RATE, "three_public.change_rate", "三公经费变动率（计算）"))
    # the other computed-column cells stay grey
    computed_cells = {c.cell for c in s.computed}
    for r in range(6, last_cost + 1):
        for col in (*check_cols, "H"):
            if f"{col}{r}" not in computed_cells:
                s.statics.append(Static(f"{col}{r}", "", Style.OUT_TEXT))
    # 楼堂馆所控制情况
    row = last_cost + 1
    s.statics += [
        Static(f"A{row}", _year_text("楼堂馆所控制情况（", 0, "完工项目）", "本"), Style.OUT_HEADER),
        Static(f"B{row}", "批复规模（㎡）", Style.HEADER),
        Static(f"C{row}", "实际规模（㎡）", Style.HEADER),
        Static(f"D{row}", "规模控制率", Style.HEADER),
        Static(f"E{row}", "预算投资（万元）", Style.HEADER),
        Static(f"F{row}", "实际投资（万元）", Style.HEADER),
        Static(f"G{row}", "投资概算控制率", Style.HEADER),
        Static(f"A{row + 1}", "", Style.LABEL),
        Static(f"A{row + 2}", "控制率（计算）", Style.LABEL_LEFT),
    ]
    s.heights[row] = 30
    b = row + 1
    s.inputs += [
        Input("buildings.approved_area", f"B{b}", Kind.AMOUNT, "批复规模", Style.IN_NUMBER, label_ref=f"B{row}"),
        Input("buildings.actual_area", f"C{b}", Kind.AMOUNT, "实际规模", Style.IN_NUMBER, label_ref=f"C{row}"),
        Input("buildings.printed_area_rate", f"D{b}", Kind.OPT_TEXT, "规模控制率", Style.IN_RATE, label_ref=f"D{row}"),
        Input("buildings.budget_investment", f"E{b}", Kind.AMOUNT, "预算投资", Style.IN_MONEY, label_ref=f"E{row}"),
        Input("buildings.actual_investment", f"F{b}", Kind.AMOUNT, "实际投资", Style.IN_MONEY, label_ref=f"F{row}"),
        Input("buildings.printed_investment_rate", f"G{b}", Kind.OPT_TEXT, "投资概算控制率", Style.IN_RATE, label_ref=f"G{row}"),
    ]
    c = row + 2
    s.computed += [
        Computed(f"D{c}", IfBlank(Ref(f"B{b}"), EMPTY, udf("PERF_CONTROLRATE", Ref(f"C{b}"), Ref(f"B{b}"))), Style.OUT_RATE,
                 "buildings.area_rate", "规模控制率（计算）"),
        Computed(f"G{c}", IfBlank(Ref(f"E{b}"), EMPTY, udf("PERF_CONTROLRATE", Ref(f"F{b}"), Ref(f"E{b}"))), Style.OUT_RATE,
                 "buildings.investment_rate", "投资概算控制率（计算）"),
    ]
    for col in ("B", "C", "E", "F"):
        s.statics.append(Static(f"{col}{c}", "", Style.OUT_TEXT))
    row = c + 1
    s.statics.append(Static(f"A{row}", "厉行节约保障措施", Style.LABEL))
    s.inputs.append(Input("frugality", f"B{row}:H{row}", Kind.TEXT, "厉行节约保障措施", Style.IN_LONG, label_ref=f"A{row}"))
    s.heights[row] = 45
    row += 1
    s.statics.append(Static(f"A{row}:H{row}", "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，"
                                            "“公用经费”填报基本支出中的一般商品和服务支出。", Style.NOTE))
    s.heights[row] = 30
    row += 1
    _signature(s, row, ("A", "B", "C", "D", "E", "F", "G", "H"))
    s.print_area = f"A1:H{row}"
    s.print_rows = (1, 2)
    s.buttons += [Button("J2", action("check")), Button("J4", action("recalc"))]
    return s


def _signature(s: SheetLayout, row: int, cols: Sequence[str]) -> None:
    """填表人 / 填报日期 / 联系电话 / 单位负责人签字 on one row: label, value, label, value …"""
    pairs = (("filler", "填表人："), ("date", "填报日期："), ("phone", "联系电话："), ("head", "单位负责人签字："))
    for i, (attr, label) in enumerate(pairs):
        lcol, vcol = cols[2 * i], cols[2 * i + 1]
        s.statics.append(Static(f"{lcol}{row}", label, Style.NOTE))
        s.inputs.append(Input(f"signature.{attr}", f"{vcol}{row}", Kind.TEXT, label.rstrip("："), Style.IN_TEXT,
                              label_ref=f"{lcol}{row}"))


_PERF_WIDTHS = {"A": 11, "B": 15, "C": 15, "D": 26, "E": 13, "F": 13, "G": 9, "H": 9, "I": 11, "J": 26, "K": 22}


def _performance(s: SheetLayout, shape: Shape, row: int, overall: bool) -> None:
    """What 附件二 and 附件三 share, from the fund header at *row* to the signature."""
    fund_label = "年度预算申请（万元）" if overall else "项目资金（万元）"
    head = row
    header = {"C": "年初预算数", "D": "全年预算数", "E": "全年执行数", "F": "分值", "G": "执行率", "H": "自评得分",
              "I": "执行率得分（计算）", "J": "执行率（计算）"}
    s.statics.append(Static(f"B{head}", "", Style.HEADER))
    for col, text in header.items():
        s.statics.append(Static(f"{col}{head}", text, Style.HEADER))
    s.statics.append(Static(f"K{head}", "", Style.HEADER))
    s.heights[head] = 30
    funds_path = "funds"
    cap = shape.capacity(s.full_path(funds_path))
    funds = Region(
        funds_path, head + 1, cap, model.FundRow,
        (
            Column("label", "B", Kind.TEXT, "资金行名称", Style.IN_TEXT),
            Column("initial_budget", "C", Kind.AMOUNT, "年初预算数", Style.IN_MONEY),
            Column("full_year_budget", "D", Kind.AMOUNT, "全年预算数", Style.IN_MONEY),
            Column("actual", "E", Kind.AMOUNT, "全年执行数", Style.IN_MONEY),
            Column("weight", "F", Kind.AMOUNT, "分值", Style.IN_NUMBER, Check.WEIGHT),
            Column("printed_rate", "G", Kind.OPT_TEXT, "执行率", Style.IN_RATE),
            Column("self_score", "H", Kind.AMOUNT, "自评得分", Style.IN_NUMBER, Check.WEIGHT),
        ),
        (
            RowFormula("rule_score", "I", lambda r: IfBlank(Ref(f"F{r}"), EMPTY, udf(
                "PERF_BUDGETSCORE", Ref(f"E{r}"), Ref(f"D{r}"), Ref(f"F{r}"), _PROFILE)), Style.OUT_SCORE, "执行率得分（计算）"),
            RowFormula("execution_rate", "J", lambda r: IfBlank(Ref(f"D{r}"), EMPTY, udf(
                "PERF_EXECRATE", Ref(f"E{r}"), Ref(f"D{r}"))), Style.OUT_RATE, "执行率（计算）"),
        ),
        header=header, label="资金",
    )
    s.regions.append(funds)
    for r in range(funds.first_row, funds.last_row + 1):
        s.statics.append(Static(f"K{r}", "", Style.LABEL))
    row = funds.last_row + 1
    if overall:
        s.statics += [Static(f"B{row}:D{row}", "按收入性质分：", Style.LABEL_LEFT), Static(f"E{row}:H{row}", "按支出性质分：", Style.LABEL_LEFT),
                      Static(f"I{row}:K{row}", "", Style.LABEL)]
        income = (("general_budget", "其中：一般公共预算"), ("government_fund", "政府性基金拨款"),
                  ("special_account", "纳入专户管理的非税收入拨款"), ("other_funds", "其他资金"))
        spending = (("basic_expenditure", "其中：基本支出"), ("project_expenditure", "项目支出"))
        first = row + 1
        for i in range(4):
            r = first + i
            attr, label = income[i]
            s.statics.append(Static(f"B{r}:C{r}", label, Style.LABEL_LEFT))
            s.inputs.append(Input(attr, f"D{r}", Kind.AMOUNT, label.removeprefix("其中："), Style.IN_MONEY, label_ref=f"B{r}"))
            if i < 2:
                attr, label = spending[i]
                s.statics.append(Static(f"E{r}:F{r}", label, Style.LABEL_LEFT))
                s.inputs.append(Input(attr, f"G{r}", Kind.AMOUNT, label.removeprefix("其中："), Style.IN_MONEY, label_ref=f"E{r}"))
            else:
                s.statics.append(Static(f"E{r}:G{r}", "", Style.LABEL))
            s.statics.append(Static(f"H{r}:K{r}", "", Style.LABEL))
        total = first + 4
        s.statics += [Static(f"B{total}:C{total}", "合计（计算）", Style.LABEL_LEFT), Static(f"E{total}:F{total}", "合计（计算）", Style.LABEL_LEFT),
                      Static(f"H{total}:K{total}", "", Style.LABEL)]
        s.computed += [
            Computed(f"D{total}", fsum(Rng(f"D{first}", f"D{first + 3}")), Style.OUT_MONEY, "income_total", "按收入性质分合计（计算）"),
            Computed(f"G{total}", fsum(Rng(f"G{first}", f"G{first + 1}")), Style.OUT_MONEY, "spending_total", "按支出性质分合计（计算）"),
        ]
        row = total + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", fund_label, Style.HEADER))
    # 年度总体目标
    s.statics += [Static(f"A{row}:A{row + 1}", "年度总体目标", Style.HEADER), Static(f"B{row}:E{row}", "预期目标", Style.HEADER),
                  Static(f"F{row}:K{row}", "实际完成情况", Style.HEADER)]
    s.inputs += [Input("goal_expected", f"B{row + 1}:E{row + 1}", Kind.TEXT, "预期目标", Style.IN_LONG, label_ref=f"B{row}"),
                 Input("goal_actual", f"F{row + 1}:K{row + 1}", Kind.TEXT, "实际完成情况", Style.IN_LONG, label_ref=f"F{row}")]
    s.heights[row + 1] = 66
    row += 2
    # 一级指标分值
    head = row
    l1_header = {"B": "一级指标", "C": "分值", "D": "三级指标分值合计（计算）"}
    for col, text in l1_header.items():
        s.statics.append(Static(f"{col}{head}", text, Style.HEADER))
    s.statics.append(Static(f"E{head}:K{head}", "一级指标分值即表头“产出指标（50 分）”中的分值；三级指标分值之和应与之相等。", Style.LABEL_LEFT))
    l1 = Region("level1_weights", head + 1, shape.capacity(s.full_path("level1_weights")), dict,
                (Column(None, "B", Kind.KEY, "一级指标", Style.IN_TEXT, Check.LEVEL1),
                 Column("weight", "C", Kind.AMOUNT, "一级指标分值", Style.IN_NUMBER, Check.WEIGHT)),
                header=l1_header, label="一级指标分值", default_keys=model.LEVEL1_NAMES)
    s.regions.append(l1)
    row = l1.last_row + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "一级指标分值", Style.HEADER))
    for r in range(l1.first_row, l1.last_row + 1):
        s.statics.append(Static(f"E{r}:K{r}", "", Style.LABEL))
    # 绩效指标
    head = row
    ind_header = {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值", "F": "实际完成值", "G": "分值",
                  "H": "自评得分", "I": "规则得分（计算）", "J": "偏差原因分析及改进措施", "K": "完成档次（定性指标）"}
    for col, text in ind_header.items():
        s.statics.append(Static(f"{col}{head}", text, Style.HEADER))
    s.heights[head] = 30
    ind = Region(
        "indicators", head + 1, shape.capacity(s.full_path("indicators")), model.Indicator,
        (
            Column("level1", "B", Kind.TEXT, "一级指标", Style.IN_TEXT, Check.LEVEL1),
            Column("level2", "C", Kind.TEXT, "二级指标", Style.IN_TEXT, Check.LEVEL2),
            Column("name", "D", Kind.TEXT, "三级指标", Style.IN_LONG),
            Column("target", "E", Kind.TEXT, "年度指标值", Style.IN_RATE),
            Column("actual", "F", Kind.TEXT, "实际完成值", Style.IN_RATE),
            Column("weight", "G", Kind.AMOUNT, "分值", Style.IN_NUMBER, Check.WEIGHT),
            Column("self_score", "H", Kind.AMOUNT, "自评得分", Style.IN_NUMBER, Check.WEIGHT),
            Column("deviation", "J", Kind.TEXT, "偏差原因分析及改进措施", Style.IN_LONG),
            Column("tier", "K", Kind.TEXT, "完成档次", Style.IN_TEXT, Check.TIER),
        ),
        (
            RowFormula("rule_score", "I", lambda r: IfBlank(Ref(f"G{r}"), EMPTY, udf(
                "PERF_SCORE", Ref(f"E{r}"), Ref(f"F{r}"), Ref(f"G{r}"), Ref(f"K{r}"), _PROFILE, Ref(f"H{r}"),
                _YEAR)), Style.OUT_SCORE, "规则得分（计算）"),
        ),
        header=ind_header, label="绩效指标",
    )
    s.regions.append(ind)
    row = ind.last_row + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "绩效指标", Style.HEADER))
    # the 一级 sums need the indicator region
    for r in range(l1.first_row, l1.last_row + 1):
        s.computed.append(Computed(f"D{r}", Call("SUMIF", (ind.span("B"), Ref(f"B{r}"), ind.span("G"))), Style.OUT_SCORE,
                                   f"level1_weights#{r - l1.first_row}.indicator_sum", "三级指标分值合计（计算）"))
    # 总分 as printed, then the computed totals and grades
    f0 = funds.first_row
    s.statics += [Static(f"A{row}:F{row}", "总分", Style.HEADER), Static(f"I{row}:K{row}", "", Style.LABEL)]
    s.inputs += [Input("printed_total_weight", f"G{row}", Kind.AMOUNT, "总分 分值", Style.IN_NUMBER, label_ref=f"A{row}"),
                 Input("printed_total_score", f"H{row}", Kind.AMOUNT, "总分 自评得分", Style.IN_NUMBER, label_ref=f"A{row}")]
    printed = row
    row += 1
    s.statics += [Static(f"A{row}:F{row}", "合计（计算）：分值 / 自评得分 / 规则总分", Style.LABEL_LEFT), Static(f"J{row}:K{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"G{row}", fsum(Ref(f"F{f0}"), ind.span("G")), Style.OUT_SCORE, "weight_total", "分值合计（计算）"),
        Computed(f"H{row}", fsum(Ref(f"H{f0}"), ind.span("H")), Style.OUT_SCORE, "self_total", "自评得分合计（计算）"),
        Computed(f"I{row}", fsum(Ref(f"I{f0}"), ind.span("I")), Style.OUT_SCORE, "rule_total", "规则总分（计算）"),
    ]
    totals = row
    row += 1
    s.statics += [Static(f"A{row}:F{row}", "等级（计算）：按表上总分 / 按规则总分", Style.LABEL_LEFT), Static(f"G{row}", "", Style.OUT_TEXT),
                  Static(f"J{row}:K{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"H{row}", IfBlank(Ref(f"H{printed}"), EMPTY, udf("PERF_GRADE", Ref(f"H{printed}"), _PROFILE)), Style.OUT_TEXT,
                 "self_grade", "按表上总分的等级（计算）"),
        Computed(f"I{row}", udf("PERF_GRADE", Ref(f"I{totals}"), _PROFILE), Style.OUT_TEXT, "rule_grade", "规则等级（计算）"),
    ]
    row += 2
    _signature(s, row, ("B", "C", "D", "E", "F", "G", "H", "I"))
    s.print_area = f"A1:K{row}"


def _overall(shape: Shape) -> SheetLayout:
    s = SheetLayout("overall", OVERALL_SHEET, Table.OVERALL, root="overall", widths=dict(_PERF_WIDTHS), landscape=True)
    s.statics.append(Static("A1", "附件二", Style.NOTE))
    s.statics.append(Static("A2:K2", _year_text("", 0, "度部门整体支出绩效自评表", ""), Style.OUT_TITLE))
    s.heights[2] = 30
    s.statics.append(Static("A3:B3", "预算部门、单位名称", Style.LABEL))
    s.inputs.append(Input("unit_name", "C3:K3", Kind.TEXT, "预算部门、单位名称", Style.IN_TEXT, label_ref="A3"))
    _performance(s, shape, 4, overall=True)
    s.print_rows = (1, 2)
    s.buttons += [Button("M2", action("check")), Button("M4", action("recalc")), Button("M6", action("report"))]
    return s


def _project(shape: Shape, index: int) -> SheetLayout:
    s = SheetLayout("project", project_sheet_name(index), Table.PROJECT, root=f"projects[{index}]", scoped=True,
                    widths=dict(_PERF_WIDTHS), landscape=True)
    s.statics.append(Static("A1", "附件三", Style.NOTE))
    s.statics.append(Static("A2:K2", _year_text("", 0, "度项目支出绩效自评表", ""), Style.OUT_TITLE))
    s.heights[2] = 30
    s.statics += [Static("A3:B3", "项目支出名称", Style.LABEL), Static("A4:B4", "主管部门", Style.LABEL),
                  Static("G4:H4", "实施单位", Style.LABEL)]
    s.inputs += [Input("name", "C3:K3", Kind.TEXT, "项目支出名称", Style.IN_TEXT, label_ref="A3"),
                 Input("competent_department", "C4:F4", Kind.TEXT, "主管部门", Style.IN_TEXT, label_ref="A4"),
                 Input("implementing_unit", "I4:K4", Kind.TEXT, "实施单位", Style.IN_TEXT, label_ref="G4")]
    _performance(s, shape, 5, overall=False)
    s.print_rows = (1, 2)
    s.buttons += [Button("M2", action("check")), Button("M4", action("recalc")), Button("M6", action("add_project"))]
    return s


#: columns of the 校验结果 table the 校验数据 button fills from FINDINGS_FIRST_ROW down
FINDINGS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "index", "序号"),
    ("B", "severity", "严重程度"),
    ("C", "code", "代码"),
    ("D", "table", "表"),
    ("E", "cell", "单元格"),
    ("F", "location", "位置"),
    ("G", "message", "说明"),
    ("H", "expected", "应为"),
    ("I", "actual", "实际"),
)
FINDINGS_FIRST_ROW = 5


def _findings() -> SheetLayout:
    s = SheetLayout("findings", FINDINGS_SHEET, Table.FILE, protect=False, landscape=True,
                    widths={"A": 6, "B": 9, "C": 24, "D": 26, "E": 9, "F": 28, "G": 60, "H": 14, "I": 14})
    s.statics.append(Static("A1:I1", "校验结果", Style.TITLE))
    s.statics.append(Static("A2", "摘要", Style.LABEL))
    s.outputs.append(Output("check.summary", "B2:I2", "校验摘要"))
    s.statics.append(Static("A3:I3", "点“校验数据”按钮（或命令行 perfxl check）后在此列出；双击单元格列中的地址可跳转。", Style.NOTE))
    for col, _, text in FINDINGS_COLUMNS:
        s.statics.append(Static(f"{col}{FINDINGS_FIRST_ROW - 1}", text, Style.HEADER))
    s.print_area = "A1:I200"
    s.print_rows = (FINDINGS_FIRST_ROW - 1, FINDINGS_FIRST_ROW - 1)
    s.buttons.append(Button("K2", action("check")))
    return s


def _report(shape: Shape) -> SheetLayout:
    s = SheetLayout("report", REPORT_SHEET, Table.GENERAL, widths={"A": 26, "B": 90})
    s.statics.append(Static("A1:B1", "自评报告：部门撰写的文字", Style.TITLE))
    s.statics.append(Static("A2", "最近一次生成", Style.LABEL_LEFT))
    s.outputs.append(Output("report.status", "B2", "报告生成状态"))
    s.statics.append(Static("A3:B3", "报告的数字部分由各表自动生成；这里只填写部门自己的文字。编号自动生成，每行一条。", Style.NOTE))
    row = 4

    def single(path: str, label: str) -> None:
        nonlocal row
        s.statics.append(Static(f"A{row}", label, Style.LABEL_LEFT))
        s.inputs.append(Input(path, f"B{row}", Kind.TEXT, label, Style.IN_LONG, label_ref=f"A{row}"))
        s.heights[row] = 60
        row += 1

    def text_region(path: str, title: str, column_title: str) -> None:
        nonlocal row
        row = _text_region(s, shape, row, path, title, column_title)

    single("narrative.overall_completion", "六、1.整体绩效目标完成情况")
    row += 1
    text_region("narrative.achievements", "六、其他绩效情况（编号从 2 起，每行一条：“标题。正文”）", "绩效情况")
    text_region("narrative.problems", "七、存在的问题及原因分析", "问题")
    text_region("narrative.measures", "八、下一步改进措施", "措施")
    single("narrative.disclosure", "九、自评结果拟应用和公开情况")
    single("narrative.other", "十、其他需要说明的情况")
    row += 1
    text_region("narrative.dropped_suggestions", "不采用的自动建议（填建议代码）", "建议代码")
    s.print_area = f"A1:B{row}"
    s.print_rows = (1, 1)
    # the 校验数据 button lists the suggestions for sections 七/八 here, code beside text
    s.statics.append(Static(f"A{row}:B{row}", "自动建议（点“校验数据”后更新；生成报告时写入七、八部分，"
                            "不采用的请把代码填入上方“不采用的自动建议”）", Style.SUBTITLE))
    s.outputs.append(Output("check.suggestions", f"A{row + 1}:B{row + SUGGESTION_ROWS}", "自动建议", Style.NOTE))
    row += SUGGESTION_ROWS + 2
    # the 生成报告 button writes the report's paragraphs from here down, one per row (not printed)
    s.statics.append(Static(f"A{row + 1}:B{row + 1}", "报告预览（点“生成报告”后自动更新）", Style.SUBTITLE))
    s.outputs.append(Output("report.preview", f"B{row + 2}", "报告预览", Style.NOTE))
    s.buttons += [Button("D2", action("report")), Button("D4", action("export_pdf"))]
    return s


#: rows of the 自动建议 block on 自评报告 (the checker makes at most 12 suggestions)
SUGGESTION_ROWS = 12

#: the lines of 填表说明
GUIDE_LINES = (
    "1. 本工作簿按湖南省县级“部门整体支出绩效自评报告”的三张附表制作：附件1 基础数据表、附件2 整体自评表、附件3 项目自评表（每个项目一张）。",
    "2. 黄色单元格由部门填写；灰色单元格是公式，自动计算，已锁定（工作表保护无密码，可随时取消）。",
    "3. 金额单位均为万元，保留两位小数；执行率、控制率等“表上填写”的比率按原样填文本（如 100%），旁边的灰色单元格是按规则计算的值。",
    "4. “规则得分（计算）”紧挨“自评得分”，两者不同时请在“偏差原因分析及改进措施”中说明。定性指标请在“完成档次”中选择档次。",
    "5. 指标、职责等可变长度部分可在区域内插入行；插入后点“重新计算”补齐公式。",
    "6. 先填“基本情况”（单位名称、年度、规则方案），各表标题中的年度随之变化。",
    "7. 报告中部门自己撰写的文字（六至十部分）填在“自评报告”表；一至五部分和各项数字由表格自动生成，不必重复录入。",
    "8. 点“校验数据”检查各表，结果列在“校验结果”表（可点击跳到单元格），给报告“存在问题”“改进措施”的建议列在“自评报告”表；"
    "点“生成报告”在工作簿所在文件夹生成自评报告（Word），点“导出PDF”同时导出 PDF。",
    "9. 按钮需要本机安装 Python 与 xlwings " + XLWINGS_VERSION + "（与工作簿内的 VBA 模块同一版本）以及 perfxl；点“环境自检”检查。"
    "规则得分等自定义函数（PERF_*）只在 Windows 版 Excel 中计算；其他软件打开时显示上次保存的值。",
)


def _guide() -> SheetLayout:
    s = SheetLayout("guide", GUIDE_SHEET, Table.FILE, widths={"A": 100, "B": 4, "C": 16})
    s.statics.append(Static("A1", "部门整体支出绩效自评工作簿 · 填表说明", Style.TITLE))
    for i, line in enumerate(GUIDE_LINES):
        s.statics.append(Static(f"A{3 + i}", line, Style.NOTE))
        s.heights[3 + i] = 36
    legend = 4 + len(GUIDE_LINES)
    s.statics += [Static(f"A{legend}", "填写单元格（黄色）", Style.IN_TEXT), Static(f"A{legend + 1}", "计算单元格（灰色，锁定）", Style.OUT_TEXT)]
    s.buttons += [Button(f"C{3 + 2 * i}", a) for i, a in enumerate(ACTIONS)]
    # the 导入数据 button reads the data file's path here; the 环境自检 button writes its lines below
    s.statics.append(Static(f"A{legend + 3}", "导入数据：在下面的黄色单元格填写数据文件（.json 或 .xlsm）的完整路径，再点“导入数据”。", Style.NOTE))
    s.outputs.append(Output("import.path", f"A{legend + 4}", "导入数据文件路径", Style.IN_TEXT))
    s.statics.append(Static(f"A{legend + 6}", "环境自检（点“环境自检”后更新）", Style.SUBTITLE))
    s.outputs.append(Output("selftest.result", f"A{legend + 7}", "环境自检结果", Style.NOTE))
    s.print_area = f"A1:A{legend + 1}"
    return s


def _conf() -> SheetLayout:
    s = SheetLayout("conf", CONF_SHEET, Table.FILE, protect=False, hidden=True, widths={"A": 18, "B": 30})
    # xlwings reads this sheet (GetConfigFromSheet): keys in column A, values in column B.
    s.statics += [Static("A1", "UDF Modules", Style.NOTE), Static("B1", UDF_MODULE, Style.NOTE)]
    return s


# --------------------------------------------------------------------------- the workbook


@dataclass
class WorkbookLayout:
    """All sheets, in workbook order, for one ``Shape``."""

    shape: Shape
    sheets: list[SheetLayout]
    _cells: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._cells = cell_map(self.sheets)

    def sheet(self, key_or_name: str) -> SheetLayout:
        for s in self.sheets:
            if s.name == key_or_name or s.key == key_or_name:
                return s
        raise KeyError(key_or_name)

    @property
    def projects(self) -> list[SheetLayout]:
        return [s for s in self.sheets if s.key == "project"]

    def locate(self, path: str) -> tuple[str, str] | None:
        """(sheet, cell) of a model path (or of its first cell, for a row/record), or None."""
        return locate_in(self._cells, path)


def workbook_layout(shape: Shape = Shape()) -> WorkbookLayout:
    general = _general(shape)
    cells = {f.path: f.cell for f in general.inputs}
    assert (cells["year"], cells["profile"]) == (_YEAR.cell, _PROFILE.cell), "move _YEAR/_PROFILE with the fields"
    sheets = [_guide(), general, _basic(shape), _overall(shape)]
    sheets += [_project(shape, i) for i in range(shape.projects)]
    sheets += [_findings(), _report(shape), _conf()]
    return WorkbookLayout(shape, sheets)


@cache
def _cached_layout(shape: Shape) -> WorkbookLayout:
    return workbook_layout(shape)


def layout_for(evaluation: model.Evaluation | None) -> WorkbookLayout:
    return _cached_layout(shape_for(evaluation) if evaluation is not None else Shape())



def item_path(sheet: SheetLayout, region: Region, index: int, key: str | None = None) -> str:
    """The model path of row *index* of *region* (``key`` for a dict region)."""
    base = sheet.full_path(region.path)
    if region.item is dict:
        return f"{base}.{key}" if key is not None else f"{base}#{index}"
    return f"{base}[{index}]"


def cell_map(sheets: Sequence[SheetLayout], regions_first: Mapping[tuple[str, str], tuple[int, int]] | None = None,
             names: Mapping[tuple[str, str], str] | None = None, dict_keys: Mapping[tuple[str, str], Sequence[str]] | None = None,
             sheet_names: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Model path → (sheet, cell) for *sheets*.

    The reader passes where it actually found things: ``regions_first`` {(sheet key
    name, region path): (first_row, rows)}, ``names`` {(sheet, rel path): cell} for the
    single fields and ``dict_keys`` for the keys of dict regions; the defaults are the
    declaration's own cells.
    """
    out: dict[str, tuple[str, str]] = {}

    def put(path: str, sheet: str, cell: str) -> None:
        out.setdefault(path, (sheet, cell))
        # a row or a record is located at its first cell
        while True:
            cut = max(path.rfind("."), path.rfind("["), path.rfind("#"))
            if cut <= 0:
                break
            path = path[:cut]
            out.setdefault(path, (sheet, cell))

    for s in sheets:
        sheet_name = (sheet_names or {}).get(s.name, s.name)
        for f in s.inputs:
            cell = (names or {}).get((s.name, f.path), f.cell)
            put(s.full_path(f.path), sheet_name, cell)
        for r in s.regions:
            first, rows = (regions_first or {}).get((s.name, r.path), (r.first_row, r.capacity))
            keys = list((dict_keys or {}).get((s.name, r.path), r.default_keys))
            for i in range(rows):
                row = first + i
                for c in r.columns:
                    if r.item is dict:
                        if c.kind is Kind.KEY or i >= len(keys):
                            continue
                        put(item_path(s, r, i, keys[i]), sheet_name, cell_at(c.col, row))
                    elif c.attr is None:
                        put(item_path(s, r, i), sheet_name, cell_at(c.col, row))
                    else:
                        put(f"{item_path(s, r, i)}.{c.attr}", sheet_name, cell_at(c.col, row))
                for rf in r.formulas:
                    put(f"{item_path(s, r, i)}.{rf.attr}", sheet_name, cell_at(rf.col, row))
        for c in s.computed:
            if c.path:
                put(s.full_path(c.path), sheet_name, (names or {}).get((s.name, c.path), c.cell))
    return out


def locate_in(cells: Mapping[str, tuple[str, str]], path: str) -> tuple[str, str] | None:
    if path in cells:
        return cells[path]
    # an unknown attribute of a known row (e.g. "…indicators[3].direction") → the row
    while True:
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
        if path in cells:
            return cells[path]


# --------------------------------------------------------------------------- the blank template


def blank_evaluation() -> model.Evaluation:
    """What the blank template shows: the forms' own row labels, no numbers."""
    ev = model.Evaluation()
    ev.basic.project_items = [model.CostRow("1、业务工作经费"), model.CostRow("2、运行维护经费")]

    def table(t: model.PerformanceTable, labels: Sequence[str]) -> None:
        t.funds = [model.FundRow(label) for label in labels]
        t.level1_weights = {}
        t.indicators = [model.Indicator(level1=l1, level2=l2) for l1, names in model.LEVEL2_NAMES.items() for l2 in names]

    table(ev.overall, ["年度资金总额"])
    project = model.ProjectTable()
    table(project, ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"])
    ev.projects = [project]
    return ev


#: the layout of the blank template (one project sheet, default capacities)
LAYOUT = _cached_layout(Shape())

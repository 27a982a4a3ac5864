"""基本情况: the department, year and profile, its duties and staffing, and the report's expenditures.

The fields are listed in ``FIELDS`` (model path, label, kind, style) in their order
down the sheet; ``None`` entries are the section breaks and text lists between them.
"""

from __future__ import annotations

from ...core.findings import Table
from ..buttons import sheet_buttons
from ..constants import GENERAL_SHEET
from ..decl import Check, Input, Kind, SheetLayout, Static, Style
from ..shape import Shape
from .common import text_region

#: one single field: (model path, label, kind, style, check)
Field = tuple[str, str, Kind, Style, Check | None]

HEAD_FIELDS: tuple[Field, ...] = (
    ("department", "单位名称", Kind.TEXT, Style.IN_TEXT, None),
    ("year", "评价年度", Kind.INT, Style.IN_INT, None),
    ("profile", "评分规则方案", Kind.TEXT, Style.IN_TEXT, Check.PROFILE),
)
#: (path, title, column title) of the 职责 list
DUTIES = ("duties", "一、部门主要职责（每行一条，编号自动生成）", "职责")
STAFFING_FIELDS: tuple[Field, ...] = (
    ("staffing.basis", "三定依据及机构级别", Kind.TEXT, Style.IN_LONG, None),
    ("staffing.establishment_kind", "编制类型", Kind.TEXT, Style.IN_TEXT, None),
    ("staffing.as_of", "人数统计时点", Kind.TEXT, Style.IN_TEXT, None),
    *((f"staffing.{attr}", label, Kind.AMOUNT, Style.IN_NUMBER, None) for attr, label in (
        ("authorized", "编制数（名）"), ("actual", "实有人数（人）"), ("in_service", "财政供养在职（人）"),
        ("retired", "退休人员（人）"), ("survivors", "抚恤人员（人）"),
        ("vehicles_quota", "公务用车定编（台）"), ("vehicles_actual", "现有车辆（台）"))),
)
INTERNAL_UNITS = ("staffing.internal_units", "内设股室（每行一个）", "股室名称")
EXPENDITURE_FIELDS: tuple[Field, ...] = (
    ("expenditure.personnel", "人员经费", Kind.AMOUNT, Style.IN_MONEY, None),
    ("expenditure.state_capital", "国有资本经营预算支出", Kind.AMOUNT, Style.IN_MONEY, None),
    ("expenditure.social_insurance", "社会保险基金预算支出", Kind.AMOUNT, Style.IN_MONEY, None),
)


def general(shape: Shape) -> SheetLayout:
    s = SheetLayout("general", GENERAL_SHEET, Table.GENERAL, widths={"A": 26, "B": 90})
    s.statics.append(Static("A1:B1", "基本情况", Style.TITLE))
    s.statics.append(Static("A2:B2", "黄色单元格填写；本表数据用于自评报告第一至五部分及各附件标题。", Style.NOTE))
    row = 3

    def singles(fields: tuple[Field, ...]) -> None:
        nonlocal row
        for path, label, kind, style, check in fields:
            s.statics.append(Static(f"A{row}", label, Style.LABEL_LEFT))
            s.inputs.append(Input(path, f"B{row}", kind, label, style, check, label_ref=f"A{row}"))
            if style is Style.IN_LONG:
                s.heights[row] = 48
            row += 1

    def subtitle(text: str) -> None:
        nonlocal row
        s.statics.append(Static(f"A{row}:B{row}", text, Style.SUBTITLE))
        row += 1

    singles(HEAD_FIELDS)
    row += 1
    row = text_region(s, shape, row, *DUTIES)
    subtitle("二、人员编制情况")
    singles(STAFFING_FIELDS)
    row += 1
    row = text_region(s, shape, row, *INTERNAL_UNITS)
    subtitle("三、报告引用的预算支出（万元）")
    singles(EXPENDITURE_FIELDS)
    s.print_area = f"A1:B{row}"
    s.print_rows = (1, 1)
    s.buttons += sheet_buttons("general")
    return s

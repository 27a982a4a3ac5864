"""What several sheets share: the year and profile cells, titles with the year, text lists, signatures."""

from __future__ import annotations

from collections.abc import Sequence

from ..a1 import split_cell
from ..constants import GENERAL_SHEET
from ..decl import Column, Input, Kind, Region, SheetLayout, Static, Style
from ..formula import Concat, Expr, IfBlank, Lit, Plus, Ref
from ..shape import Shape

# the year and the profile on 基本情况, which titles and UDF calls refer to
# (``workbook_layout`` checks that the 基本情况 declaration puts them there)
YEAR = Ref("B4", GENERAL_SHEET)
PROFILE = Ref("B5", GENERAL_SHEET)


def year_text(prefix: str, offset: int, suffix: str, blank: str) -> Expr:
    """"{prefix}2023年{suffix}" from the year on 基本情况; "{prefix}{blank}{suffix}" without a year."""
    year: Expr = YEAR if offset == 0 else Plus(YEAR, offset)
    inner = IfBlank(YEAR, Lit(blank), Concat((year, Lit("年"))))
    parts: list[Expr] = [inner, Lit(suffix)]
    if prefix:
        parts.insert(0, Lit(prefix))
    return Concat(tuple(parts))


#: an annex whose printed form has at most this many rows prints on one landscape page
#: (scaled to fit); a longer one is one page wide and as many tall, its title rows repeated
ONE_PAGE_ROWS = 60


def one_page(s: SheetLayout) -> None:
    """Print *s* on one page when its form is short enough (``ONE_PAGE_ROWS``)."""
    last = split_cell(s.print_area.rsplit(":", 1)[1])[1]
    s.pages_tall = 1 if last <= ONE_PAGE_ROWS else 0


def title_text(title: str) -> Expr:
    """An annex title: "2023年度部门整体支出绩效自评表", and without a year "部门整体支出绩效自评表"
    (not "度部门…": the form's "年度" belongs to the year)."""
    return IfBlank(YEAR, Lit(title), Concat((YEAR, Lit("年度" + title))))


def text_region(s: SheetLayout, shape: Shape, row: int, path: str, title: str, column_title: str) -> int:
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



def signature(s: SheetLayout, row: int, cols: Sequence[str]) -> None:
    """填表人 / 填报日期 / 联系电话 / 单位负责人签字 on one row: label, value, label, value …
    (a column "G:H" merges the two cells, for a label that needs the width)."""
    pairs = (("filler", "填表人："), ("date", "填报日期："), ("phone", "联系电话："), ("head", "单位负责人签字："))

    def at(col: str) -> str:
        return ":".join(f"{c}{row}" for c in col.split(":"))

    for i, (attr, label) in enumerate(pairs):
        lcol, vcol = cols[2 * i], cols[2 * i + 1]
        s.statics.append(Static(at(lcol), label, Style.NOTE))
        s.inputs.append(Input(f"signature.{attr}", at(vcol), Kind.TEXT, label.rstrip("："), Style.IN_TEXT,
                              label_ref=at(lcol).split(":")[0]))


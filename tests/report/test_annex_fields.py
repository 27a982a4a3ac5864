"""The report's 附件二/三 show other provinces' indicator columns (计量单位, 指标性质 … issue 9)
only when the table uses them: the Hunan example's annexes keep the Hunan form."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from docx import Document

from perfxl.report.annexes import ANNEX_WIDTH_MM, PERFORMANCE_COLUMNS, overall_annex, project_annex, used_columns

from .conftest import load_example


def _widths(annex: dict) -> list[int]:
    """Every row's cells span exactly the grid (the layout check of ``_Grid``), so the columns it lists."""
    return annex["columns"]


def _texts(annex: dict) -> list[list[str]]:
    return [[cell["text"] for cell in row] for row in annex["rows"]]


def test_the_hunan_example_shows_no_optional_column() -> None:
    ev = load_example()
    assert used_columns(ev.overall) == () and used_columns(ev.projects[0]) == ()
    assert _widths(overall_annex(ev, None, "2023")) == list(PERFORMANCE_COLUMNS)
    assert _widths(project_annex(ev.projects[0], None, "2023", "附件三")) == list(PERFORMANCE_COLUMNS)


def test_a_table_with_units_and_nature_shows_those_two() -> None:
    ev = load_example()
    p = ev.projects[0]
    p.indicators[0].unit, p.indicators[1].nature = "次", "定量"
    p.indicators[2].score_coefficient, p.indicators[2].core = D("0.95"), True
    annex = project_annex(p, None, "2023", "附件三")
    widths = _widths(annex)
    assert len(widths) == len(PERFORMANCE_COLUMNS) + 4 and sum(widths) == ANNEX_WIDTH_MM
    texts = _texts(annex)
    header = next(row for row in texts if "三级指标" in row)
    assert header[-4:] == ["指标性质", "计量单位", "得分系数", "核心指标"]
    first = texts[texts.index(header) + 1]
    assert first[-4:] == ["", "次", "", ""]
    third = texts[texts.index(header) + 3]
    assert third[-4:] == ["", "", "0.95", "是"]
    # every other row spans the new columns with its last cell (the grid checks the count)
    name_row = annex["rows"][0]
    assert name_row[-1]["colspan"] == 7 + 4
    # 附件二 uses none of them: unchanged
    assert _widths(overall_annex(ev, None, "2023")) == list(PERFORMANCE_COLUMNS)


def test_the_written_report_prints_the_column(tmp_path: Path) -> None:
    from perfxl.report.render import write_report

    ev = load_example()
    ev.projects[0].indicators[0].unit = "次"
    ev.projects[0].indicators[0].standard = "每少1次扣1分"
    result = write_report(ev, tmp_path / "r.docx", draft=True)
    tables = Document(str(result.docx)).tables
    texts = [{c.text for row in t.rows for c in row.cells} for t in tables]
    project = next(t for t in texts if "项目支出名称" in t)
    overall = next(t for t in texts if "预算部门、单位名称" in t)
    assert {"计量单位", "评分标准", "每少1次扣1分"} <= project
    assert "计量单位" not in overall and "评分标准" not in overall

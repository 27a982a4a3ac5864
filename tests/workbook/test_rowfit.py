"""Rows fit their text (issue 10, item 5; ``perfxl/workbook/rowfit.py``).

The heights are hand arithmetic: a CJK character is 2 width units, any other 1; a line
is 13.5 pt at 10 pt, plus 4 pt of air, rounded up to a pixel (0.75 pt).  LibreOffice shows that nothing is clipped: a
long 偏差原因 and a long 三级指标 name print whole (a clipped cell's last line is missing
from the PDF's text, as with the fixed heights before; checked by hand once).
"""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from perfxl.workbook import layout as L
from perfxl.workbook.builder import build_workbook
from perfxl.workbook.rowfit import MAX_HEIGHT, RowFit, height_for, lines_needed, text_units

from ..tools import SOFFICE, soffice_convert
from .conftest import load_example


def test_widths_and_lines():
    assert text_units("服务对象满意度指标") == 18 and text_units("≥90%") == 4 and text_units("ａ") == 2
    assert lines_needed("服务对象满意度指标", 15) == 2  # 18 units in a column of 15 wrap, as in Excel
    assert lines_needed("可持续影响指标", 15) == 1  # 14 units fit
    assert lines_needed("一\n二\n三", 40) == 3  # each line break starts a line
    assert height_for("服务对象满意度指标", 15) == 31.5  # 2 × 13.5 + 4 = 31, up to a pixel
    assert height_for("标" * 2000, 10) == MAX_HEIGHT  # Excel's largest row
    assert lines_needed("标题" * 10, 30, size=16) == 3  # 40 units × 16/10 = 64 in 30


def test_a_row_takes_the_tallest_text_and_never_shrinks():
    fit = RowFit({"A": 10, "B": 20})
    fit.note("A1:B1", "字" * 20)  # 40 units in 30: 2 lines
    fit.note("A1", "字" * 12)  # 24 units in 10: 3 lines, the tallest
    fit.note("A2:A5", "字" * 100)  # spans rows (a merged run): not measured
    fit.note("C3", "短")
    assert fit.heights({3: 30.0, 7: 12.0}) == {1: 45.0, 3: 30.0, 7: 12.0}  # 3 × 13.5 + 4 = 44.5, up to a pixel


def _long_texts():
    ev = load_example()
    ev.overall.indicators[1].deviation = "偏差原因：" + "本年度受天气影响部分线下活动改为线上开展，参与人数统计口径有变化" * 3 + "。完"
    ev.overall.indicators[0].name = "举办科普活动、其他科学技术普及等活动，" * 3 + "名完"
    return ev


def test_long_texts_get_tall_rows(tmp_path):
    ev = _long_texts()
    path = build_workbook(ev, tmp_path / "long.xlsm")
    ws = openpyxl.load_workbook(path)[L.OVERALL_SHEET]
    ind = L.LAYOUT.sheet("overall").region("indicators")
    width = L.LAYOUT.sheet("overall").widths[ind.column("deviation").col]
    assert ws.row_dimensions[ind.first_row + 1].height == height_for(ev.overall.indicators[1].deviation, width)
    assert ws.row_dimensions[ind.first_row].height > 2 * 13.5 + 4  # the name needs 3 lines or more
    assert build_workbook(ev, tmp_path / "again.xlsm").read_bytes() == path.read_bytes()  # reproducible


@pytest.mark.soffice
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice) and poppler-utils")
def test_libreoffice_prints_long_texts_whole(tmp_path):
    pdf = soffice_convert(build_workbook(_long_texts(), tmp_path / "long.xlsm"), "pdf", tmp_path, tmp_path / "lo")
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "。完" in text and "名完" in text  # the last words of the long cells are printed


@pytest.mark.soffice
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice) and poppler-utils")
def test_libreoffice_prints_the_guide_whole(fresh_template, tmp_path):
    """填表说明 on its portrait page: every line begins and ends on the page (at a column
    width of 100 LibreOffice cut both sides) and no row clips its last line."""
    pdf = soffice_convert(fresh_template, "pdf", tmp_path, tmp_path / "lo")
    page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s", "", page)
    for line in L.GUIDE_LINES:
        plain = re.sub(r"\s", "", line)
        assert plain[:8] in text and plain[-8:] in text, line[:12]

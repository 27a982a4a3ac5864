"""The annex sheets print like the official forms (issue 10, item 5).

The example workbook and the blank template are converted to PDF by LibreOffice; each
annex (附件一, 附件二, 附件三) is one landscape A4 page holding its title and its
signature row, and none of the sheet's own check columns or rows ("核算：", "（计算）",
"需Python", 完成档次, 一级指标分值); the blank template's titles read "部门整体支出绩效…表"
without a year (never "度部门…").  The page images go to
``$PERFXL_TEST_OUTPUT/workbook/`` (else a temporary folder) for a person to look at.

The page setup is read from the file too: the print area is the form's, 1 page wide
(and 1 tall for these forms), landscape, and black and white, so the yellow and grey
fills do not print in Excel and WPS (LibreOffice ignores that setting: its PDF shows
the fills).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from perfxl.workbook import layout as L

from ..tools import SOFFICE, kept_output, soffice_convert

POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")

#: what only the sheet's own checks print; none of it may appear on an annex page
HELPER_TEXTS = ("核算：", "（计算）", "需Python", "完成档次", "一级指标分值", "变动率", "规则")
ANNEX_TITLES = {"basic": "部门整体支出绩效评价基础数据表", "overall": "部门整体支出绩效自评表",
                "project": "项目支出绩效自评表"}


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory) -> Path:
    return kept_output("workbook", tmp_path_factory)


def _pdf(book: Path, out_dir: Path, tmp: Path) -> Path:
    return soffice_convert(book, "pdf", out_dir, tmp / "lo-profile")


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, count + 1)]


def _annex_pages(pages: list[str]) -> dict[str, int]:
    """{annex key: its page index}: the page with the form's number and title."""
    out = {}
    for key, number in (("basic", "附件一"), ("overall", "附件二"), ("project", "附件三")):
        found = [i for i, text in enumerate(pages) if number in text and ANNEX_TITLES[key] in text]
        assert len(found) == 1, (key, found)  # one page per form
        out[key] = found[0]
    return out


def _check_annex_pages(pdf: Path, output_dir: Path, stem: str) -> dict[str, str]:
    pages = _pages(pdf)
    at = _annex_pages(pages)
    texts = {}
    for key, i in at.items():
        text = pages[i]
        texts[key] = text
        assert "单位负责人签字" in text, key  # the whole form, signature included, on its one page
        shown = [h for h in HELPER_TEXTS if h in text]
        assert not shown, (key, shown)
        assert "度部门" not in text.replace("年度部门", "")
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(i + 1), "-l", str(i + 1), str(pdf),
                        str(output_dir / f"{stem}-{key}")], check=True)
    size = subprocess.run(["pdfinfo", "-f", str(at["overall"] + 1), "-l", str(at["overall"] + 1), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"size:\s+([\d.]+) x ([\d.]+)", size).groups())
    assert width > height and round(width) == 842 and round(height) == 595  # A4 landscape
    return texts


needs_tools = pytest.mark.skipif(SOFFICE is None or not POPPLER, reason="needs LibreOffice (soffice) and poppler-utils")


@pytest.mark.soffice
@pytest.mark.slow
@needs_tools
def test_the_example_prints_one_page_per_form(fresh_example, output_dir, tmp_path):
    texts = _check_annex_pages(_pdf(fresh_example, output_dir, tmp_path), output_dir, "example")
    assert "2023年度部门整体支出绩效自评表" in texts["overall"]
    assert "衡山县科学技术协会" in texts["overall"] and "偏差原因分析及改进措施" in texts["overall"]
    assert "2023年度部门整体支出绩效评价基础数据表" in texts["basic"] and "投资概算控制率" in texts["basic"]


@pytest.mark.soffice
@pytest.mark.slow
@needs_tools
def test_the_blank_template_prints_its_titles_without_a_year(fresh_template, output_dir, tmp_path):
    texts = _check_annex_pages(_pdf(fresh_template, output_dir, tmp_path), output_dir, "blank")
    for key, title in ANNEX_TITLES.items():
        assert re.search(r"^\s*" + title + r"\s*$", texts[key], re.M), key  # "部门整体…表", nothing before it
    # the headings with a year read as words without one: 上年决算数, not 上决算数
    for heading in ("上年决算数", "本年预算数", "本年决算数", "本年实际在职人数", "（本年完工项目）"):
        assert heading in texts["basic"].replace(" ", ""), heading


def _sheet_xml(book: Path, name: str) -> str:
    import openpyxl

    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    with zipfile.ZipFile(book) as z:
        return z.read(f"xl/worksheets/sheet{names.index(name) + 1}.xml").decode("utf-8")


def test_page_setup_of_the_annexes(fresh_example):
    for key in ("basic", "overall", "project"):
        sheet = L.LAYOUT.sheet(key)
        xml = _sheet_xml(fresh_example, sheet.name)
        setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
        assert 'orientation="landscape"' in setup and 'paperSize="9"' in setup, key
        assert 'blackAndWhite="1"' in setup, key  # the fills are for the screen
        assert 'fitToHeight="0"' not in setup, key  # 1 page wide and 1 tall (these forms are short)
        assert '<pageSetUpPr fitToPage="1"/>' in xml


def _inside(print_area: str, cell: str) -> bool:
    last_col, last_row = L.split_cell(print_area.split(":")[1])
    col, row = L.split_cell(cell)
    return L.col_index(col) <= L.col_index(last_col) and row <= last_row


def test_the_print_area_is_the_form_only():
    """Every computed cell and every helper text is outside the print area."""
    for key in ("basic", "overall", "project"):
        sheet = L.LAYOUT.sheet(key)
        area = sheet.print_area
        computed = [c.cell for c in sheet.computed] + [f"{f.col}{r.first_row}" for r in sheet.regions for f in r.formulas]
        assert computed and not [c for c in computed if _inside(area, c)], key
        helpers = [st.cell for st in sheet.statics if isinstance(st.text, str) and any(h in st.text for h in HELPER_TEXTS)]
        assert not [c for c in helpers if _inside(area, c)], key
        tier = [f"{c.col}{r.first_row}" for r in sheet.regions for c in r.columns if c.attr == "tier"]
        assert (bool(tier) or key == "basic") and not [c for c in tier if _inside(area, c)], key


def test_titles_read_without_a_year():
    from decimal import Decimal

    from perfxl.workbook.cached import Values

    for key, title in ANNEX_TITLES.items():
        sheet = L.LAYOUT.sheet(key)
        expr = next(st.text for st in sheet.statics if st.cell == "A2")
        assert Values({}).eval(expr, sheet.name) == title  # not "度部门…"
        values = Values({})
        values.cells[(L.GENERAL_SHEET, "B4")] = Decimal(2024)
        assert values.eval(expr, sheet.name) == "2024年度" + title

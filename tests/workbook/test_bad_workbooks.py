"""Damaged and foreign workbooks give Chinese findings (or WorkbookError), never a traceback.

The damaged copies are made with openpyxl, as a tool that does not know the layout
would damage them (openpyxl does not move defined names); perfxl itself never writes
a workbook that way.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl.core.findings import Severity, Table
from perfxl.workbook import layout as L
from perfxl.workbook.reader import WorkbookError, read_workbook

from .conftest import load_example

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _damage(src: Path, out: Path, change) -> Path:
    book = openpyxl.load_workbook(src)
    change(book)
    book.save(out)
    return out


def _codes(findings):
    return [f.code for f in findings]


def _assert_chinese(findings):
    for f in findings:
        assert CHINESE.search(f.message), f


def test_missing_sheet(example_copy, tmp_path):
    path = _damage(example_copy, tmp_path / "missing.xlsx", lambda b: b.remove(b[L.BASIC_SHEET]))
    evaluation, findings, _ = read_workbook(path)
    missing = [f for f in findings if f.code == "SHEET_MISSING"]
    assert len(missing) == 1 and missing[0].table is Table.BASIC and missing[0].severity is Severity.ERROR
    assert L.BASIC_SHEET in missing[0].message
    example = load_example()
    assert evaluation.overall == example.overall and evaluation.projects == example.projects
    _assert_chinese(findings)


def test_sheet_renamed_by_a_tool_that_keeps_the_names(example_copy, tmp_path):
    def rename(book):
        book[L.OVERALL_SHEET].title = "附件二"

    path = _damage(example_copy, tmp_path / "renamed.xlsx", rename)
    evaluation, findings, _ = read_workbook(path)
    assert next(f for f in findings if f.code == "SHEET_MISSING").table is Table.OVERALL
    assert evaluation.basic == load_example().basic
    _assert_chinese(findings)


def test_sheet_renamed_in_excel(example_copy, tmp_path):
    """Excel rewrites the defined names with the new sheet name: the reader follows them."""
    out = tmp_path / "renamed-in-excel.xlsm"
    old, new = L.OVERALL_SHEET, "整体自评"
    with zipfile.ZipFile(example_copy) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.decode().replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"'{new}'!").encode()
            dst.writestr(item, data)
    evaluation, findings, locator = read_workbook(out)
    assert evaluation == load_example()
    assert _codes(findings) == ["SHEET_RENAMED"]
    assert findings[0].severity is Severity.NOTICE and new in findings[0].message
    assert locator("overall.unit_name") == (new, "C3")


def test_text_in_number_cells(example_copy, tmp_path):
    funds = L.LAYOUT.sheet("overall").region("funds")
    ind = L.LAYOUT.sheet("project").region("indicators")

    def typo(book):
        book[L.OVERALL_SHEET][f"D{funds.first_row}"] = "一百三十三"
        book[L.PROJECT_SHEET][f"G{ind.first_row + 1}"] = "12分"
        book[L.BASIC_SHEET]["B4"] = "８"  # a full-width digit typed as text: read, with a notice
        book[L.GENERAL_SHEET]["B4"] = "二〇二三"

    path = _damage(example_copy, tmp_path / "typo.xlsm", typo)
    evaluation, findings, _locator = read_workbook(path)
    assert evaluation.overall.funds[0].full_year_budget == "一百三十三"
    assert evaluation.projects[0].indicators[1].weight == "12分"
    assert evaluation.basic.staff_authorized == 8
    assert evaluation.year == 0
    by_code = {(f.code, f.sheet, f.cell): f for f in findings}
    f = by_code[("CELL_NOT_NUMBER", L.OVERALL_SHEET, f"D{funds.first_row}")]
    assert f.severity is Severity.ERROR and f.path == "overall.funds[0].full_year_budget" and "一百三十三" in f.message
    f = by_code[("CELL_NOT_NUMBER", L.PROJECT_SHEET, f"G{ind.first_row + 1}")]
    assert f.path == "projects[0].indicators[1].weight" and f.table is Table.PROJECT and "业务经费" in f.table_title
    assert ("CELL_TEXT_NUMBER", L.BASIC_SHEET, "B4") in by_code
    assert ("CELL_NOT_INTEGER", L.GENERAL_SHEET, "B4") in by_code
    assert "NO_VBA" in _codes(findings)  # openpyxl dropped the macros
    _assert_chinese(findings)


def test_deleted_rows_are_reported(example_copy, tmp_path):
    path = _damage(example_copy, tmp_path / "deleted.xlsx", lambda b: b[L.BASIC_SHEET].delete_rows(8, 2))
    _, findings, _ = read_workbook(path)
    changed = [f for f in findings if f.code == "LAYOUT_CHANGED"]
    assert changed and changed[0].sheet == L.BASIC_SHEET and changed[0].cell
    assert "删除或插入了行" in changed[0].message
    _assert_chinese(findings)


def test_xlsx_without_macros(example_copy, tmp_path):
    path = _damage(example_copy, tmp_path / "plain.xlsx", lambda b: None)
    evaluation, findings, _ = read_workbook(path)
    assert evaluation == load_example()
    assert _codes(findings) == ["NO_VBA"]
    assert findings[0].severity is Severity.WARNING and findings[0].table is Table.FILE
    _assert_chinese(findings)


def test_project_sheet_added_by_copying(example_copy, tmp_path):
    """A copied 附件3 sheet (as 新增项目表 makes one) is read as a second project."""
    def add(book):
        copy = book.copy_worksheet(book[L.PROJECT_SHEET])
        copy.title = "附件3 项目自评表(2)"
        copy["C3"] = "第二个项目"

    path = _damage(example_copy, tmp_path / "two.xlsx", add)
    evaluation, _findings, locator = read_workbook(path)
    assert [p.name for p in evaluation.projects] == ["业务经费", "第二个项目"]
    assert locator("projects[1].funds[0].actual")[0] == "附件3 项目自评表(2)"


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("notes.xlsm", b"this is just text", "不是 Excel 工作簿"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        ("empty.xlsm", b"", "不是 Excel 工作簿"),
    ],
)
def test_not_a_workbook(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    assert words in str(info.value) and CHINESE.search(str(info.value))


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsm"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookError, match="不是 Excel 工作簿"):
        read_workbook(path)


def test_truncated_workbook(example_copy, tmp_path):
    path = tmp_path / "truncated.xlsm"
    path.write_bytes(example_copy.read_bytes()[:5000])
    with pytest.raises(WorkbookError):
        read_workbook(path)


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookError, match="找不到文件"):
        read_workbook(tmp_path / "nope.xlsm")


def test_reading_never_writes(example_copy):
    before = example_copy.read_bytes(), example_copy.stat().st_mtime_ns
    read_workbook(example_copy)
    assert (example_copy.read_bytes(), example_copy.stat().st_mtime_ns) == before


def test_cells_deleted_in_excel(example_copy, tmp_path):
    """Excel turns the name of a deleted cell or block into #REF!: a finding, the rest is read."""
    out = tmp_path / "ref.xlsm"
    with zipfile.ZipFile(example_copy) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = data.decode()
                for name in ("overall.unit_name", "overall.indicators"):
                    text, n = re.subn(rf'(<definedName name="{re.escape(name)}">)[^<]*(</definedName>)', r"\1#REF!\2", text)
                    assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    evaluation, findings, _ = read_workbook(out)
    codes = {f.code: f for f in findings}
    assert codes["FIELD_DELETED"].path == "overall.unit_name" and "预算部门" in codes["FIELD_DELETED"].message
    assert codes["REGION_DELETED"].path == "overall.indicators"
    assert evaluation.overall.unit_name == "" and evaluation.overall.indicators == []
    assert evaluation.overall.funds == load_example().overall.funds
    _assert_chinese(findings)


def test_each_damaged_cell_is_one_finding_through_the_whole_assessment(example_copy, tmp_path, default_profile):
    """Parse once (issue 7): the reader judges a cell where it reads it and marks the value
    (``core/cells.py``); the checker does not judge it again — also for the year (an int)
    and for a deleted region (a list), which once gave a second MISSING_FIELD."""
    from perfxl.core.assessment import assess

    funds = L.LAYOUT.sheet("overall").region("funds")

    def damage(book):
        book[L.OVERALL_SHEET][f"D{funds.first_row}"] = "一百三十三"
        book[L.GENERAL_SHEET]["B4"] = "二〇二三"

    typed = _damage(example_copy, tmp_path / "typed.xlsm", damage)
    path = tmp_path / "damaged.xlsm"  # and the 绩效指标 block deleted in Excel: its name becomes #REF!
    with zipfile.ZipFile(typed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data, n = re.subn(rb'(<definedName name="overall.indicators">)[^<]*(</definedName>)', rb"\1#REF!\2", data)
                assert n == 1
            dst.writestr(item, data)
    evaluation, reading, _ = read_workbook(path)
    findings = assess(evaluation, default_profile, reading=reading).findings
    about = lambda path: sorted(f.code for f in findings if f.path == path)  # noqa: E731
    assert about("overall.funds[0].full_year_budget") == ["CELL_NOT_NUMBER"]
    assert about("year") == ["CELL_NOT_INTEGER"]
    assert about("overall.indicators") == ["REGION_DELETED"]

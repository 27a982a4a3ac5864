"""The calamine reader gives what the openpyxl reader gives: cell for cell and model for model.

Compared on the committed example, the blank template (committed and fresh), a workbook
made by ``perfxl fill``, every damaged workbook of ``test_bad_workbooks.py`` (made with its
own ``_damage`` helper and the same changes) and a workbook of awkward values (0.1+0.2,
2**53+1, percentages, dates, booleans, errors, empty and rich and inline strings).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl.workbook import layout as L
from perfxl.workbook.a1 import cell_at, col_letters
from perfxl.workbook.calamine import CalamineSource, Inexact
from perfxl.workbook.reader import OpenpyxlSource, WorkbookError, read_evaluation, read_workbook

from ..cli_runner import run
from .conftest import COMMITTED_EXAMPLE, COMMITTED_TEMPLATE, EXAMPLE_JSON
from .test_bad_workbooks import _damage

pytest.importorskip("python_calamine")


def _same_number(value: object) -> object:
    """openpyxl gives 100.0 for "1E+2" and calamine 100: the converter reads both alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _all_cells(path: Path) -> dict[str, list[str]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        out = {}
        for ws in book.worksheets:
            rows = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
            width = max((len(r) for r in rows), default=0) + 2
            out[ws.title] = [cell_at(col_letters(c), r) for r in range(1, len(rows) + 3) for c in range(width)]
        return out
    finally:
        book.close()


def assert_same_cells(path: Path) -> None:
    fast, slow = CalamineSource(path), OpenpyxlSource(path)
    try:
        assert fast.sheet_names() == slow.sheet_names()
        assert sorted(fast.defined_names(), key=repr) == sorted(slow.defined_names(), key=repr)
        for sheet, cells in _all_cells(path).items():
            expected = [_same_number(v) for v in slow.values(sheet, cells)]
            got = fast.values(sheet, cells)
            diffs = [(c, g, e) for c, g, e in zip(cells, got, expected, strict=True) if g != e or type(g) is not type(e)]
            assert not diffs, f"{sheet}: {diffs[:5]}"
    finally:
        fast.close()
        slow.close()


def assert_same_reading(path: Path) -> None:
    assert_same_cells(path)
    fast = read_workbook(path, "calamine")
    slow = read_workbook(path, "openpyxl")
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert [(f.code, f.sheet, f.cell) for f in fast[1]] == [(f.code, f.sheet, f.cell) for f in slow[1]]
    for path_ in ("overall.unit_name", "overall.funds[0].printed_rate", "projects[0].indicators[3].target", "basic.frugality"):
        assert fast[2](path_) == slow[2](path_)
    # read_evaluation on each source (no fallback in between) agrees as well
    sources = CalamineSource(path), OpenpyxlSource(path)
    try:
        a, b = (read_evaluation(s) for s in sources)
    finally:
        for s in sources:
            s.close()
    assert a.evaluation == b.evaluation and a.findings == b.findings


@pytest.mark.parametrize("path", [COMMITTED_EXAMPLE, COMMITTED_TEMPLATE], ids=["example", "template"])
def test_committed_workbooks(path):
    assert_same_reading(path)


def test_fresh_template(fresh_template):
    assert_same_reading(fresh_template)


def test_filled_by_perfxl_fill(tmp_path):
    out = tmp_path / "filled.xlsm"
    ran = run("fill", str(EXAMPLE_JSON), "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    assert_same_reading(out)


def _rewrite(src: Path, out: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as d:
        for item in z.infolist():
            data = z.read(item.filename)
            d.writestr(item, change(data.decode()).encode() if item.filename == part else data)
    return out


def _typo(book):
    funds = L.LAYOUT.sheet("overall").region("funds")
    ind = L.LAYOUT.sheet("project").region("indicators")
    book[L.OVERALL_SHEET][f"D{funds.first_row}"] = "一百三十三"
    book[L.PROJECT_SHEET][f"G{ind.first_row + 1}"] = "12分"
    book[L.BASIC_SHEET]["B4"] = "８"
    book[L.GENERAL_SHEET]["B4"] = "二〇二三"


def _add_project(book):
    copy = book.copy_worksheet(book[L.PROJECT_SHEET])
    copy.title = "附件3 项目自评表(2)"
    copy["C3"] = "第二个项目"


def _rename(book):
    book[L.OVERALL_SHEET].title = "附件二"


DAMAGES = {  # the changes of test_bad_workbooks.py, by test name
    "missing_sheet": lambda b: b.remove(b[L.BASIC_SHEET]),
    "renamed_by_a_tool": _rename,
    "text_in_number_cells": _typo,
    "deleted_rows": lambda b: b[L.BASIC_SHEET].delete_rows(8, 2),
    "xlsx_without_macros": lambda b: None,
    "project_sheet_added": _add_project,
}


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_damaged_workbooks(example_copy, tmp_path, name):
    assert_same_reading(_damage(example_copy, tmp_path / f"{name}.xlsx", DAMAGES[name]))


def test_renamed_in_excel(example_copy, tmp_path):
    old, new = L.OVERALL_SHEET, "整体自评"
    out = _rewrite(example_copy, tmp_path / "renamed.xlsm", "xl/workbook.xml",
                   lambda t: t.replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"'{new}'!"))
    assert_same_reading(out)


def test_cells_deleted_in_excel(example_copy, tmp_path):
    def ref(text):
        for name in ("overall.unit_name", "overall.indicators"):
            text = re.sub(rf'(<definedName name="{re.escape(name)}">)[^<]*(</definedName>)', r"\1#REF!\2", text)
        return text

    assert_same_reading(_rewrite(example_copy, tmp_path / "ref.xlsm", "xl/workbook.xml", ref))


@pytest.mark.parametrize("content", [b"this is just text", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b""])
def test_not_a_workbook_is_refused_alike(tmp_path, content):
    path = tmp_path / "x.xlsm"
    path.write_bytes(content)
    messages = []
    for engine in ("calamine", "openpyxl"):
        with pytest.raises(WorkbookError) as info:
            read_workbook(path, engine)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_zip_and_missing_file_are_refused_alike(tmp_path):
    archive = tmp_path / "archive.xlsm"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    for path in (archive, tmp_path / "nope.xlsm"):
        messages = []
        for engine in ("calamine", "openpyxl"):
            with pytest.raises(WorkbookError) as info:
                read_workbook(path, engine)
            messages.append(str(info.value))
        assert messages[0] == messages[1]


def test_truncated_is_refused_alike(example_copy, tmp_path):
    path = tmp_path / "truncated.xlsm"
    path.write_bytes(example_copy.read_bytes()[:5000])
    for engine in ("calamine", "openpyxl"):
        with pytest.raises(WorkbookError):
            read_workbook(path, engine)


# --------------------------------------------------------------------------- awkward values

AWKWARD = [0.1 + 0.2, 0.1, 2**53 - 1, 3, 1.5, 0.755, 1e-7, 123456789.123456789, 2.0, -4, True, False,
           "text", "  ", "#DIV/0!", "多行\n文本", "'quoted", "100%"]


def _awkward_book(tmp_path: Path) -> Path:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "值"
    for i, v in enumerate(AWKWARD, 1):
        ws.cell(i, 1, v)
    ws.cell(1, 2, 0.75).number_format = "0%"
    ws.cell(2, 2, 1.0).number_format = "0.00%"
    ws.cell(3, 2, CellRichText([TextBlock(InlineFont(b=True), "富"), "文本"]))
    ws.cell(4, 2, "=1/0")
    ws["D4"] = "共享"
    ws["D5"] = "共享"
    path = tmp_path / "awkward.xlsx"
    wb.save(path)
    # what openpyxl does not write: errors with cached values, inline and empty strings, a formula's cached text
    cells = ('<c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D1" t="str"><f>""</f><v></v></c>'
             '<c r="E1" t="inlineStr"><is><t>内联</t></is></c><c r="F1" t="inlineStr"><is><t></t></is></c>'
             '<c r="G1" t="str"><f>"a"</f><v>a</v></c><c r="H1" t="e"><v>#N/A</v></c>'
             '<c r="I1" t="inlineStr"><is><r><t>多</t></r><r><t>段</t></r></is></c><c r="J1"><v>1E+2</v></c>')

    def add(text):
        text = re.sub(r'(<row r="1"[^>]*>.*?)(</row>)', lambda m: m.group(1) + cells + m.group(2), text, count=1, flags=re.S)
        return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:J{len(AWKWARD)}"/>', text)

    return _rewrite(path, tmp_path / "awkward2.xlsx", "xl/worksheets/sheet1.xml", add)


def test_awkward_values_cell_for_cell(tmp_path):
    assert_same_cells(_awkward_book(tmp_path))


@pytest.mark.parametrize("empty", ["<si><t></t></si>", "<si><t/></si>", '<si><t xml:space="preserve"/></si>',
                                   "<si><r><t></t></r></si>"])
def test_empty_shared_strings(example_copy, tmp_path, empty):
    """An empty shared string is "" (openpyxl), not an empty cell (calamine): two labels emptied."""
    def change(text):
        return re.sub(r"<si>.*?</si>", empty, text, count=2, flags=re.S)

    assert_same_reading(_rewrite(example_copy, tmp_path / "sst.xlsm", "xl/sharedStrings.xml", change))


def _sheet_part(path: Path, sheet: str) -> str:
    source = CalamineSource(path)
    try:
        return source._parts[sheet]
    finally:
        source.close()


@pytest.mark.parametrize("ref", ["A1:C20", "A1", "A1:K12"])
def test_a_wrong_dimension_hides_cells_alike(example_copy, tmp_path, ref):
    """openpyxl's read-only mode reads only the declared <dimension>; calamine is cut to it."""
    part = _sheet_part(example_copy, L.BASIC_SHEET)
    out = _rewrite(example_copy, tmp_path / "dim.xlsm", part,
                   lambda t: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', t))
    assert_same_reading(out)
    assert any(f.code == "LAYOUT_CHANGED" for f in read_workbook(out, "calamine")[1])


def test_a_dimension_calamine_refuses_is_read_through_openpyxl(example_copy, tmp_path):
    part = _sheet_part(example_copy, L.BASIC_SHEET)
    out = _rewrite(example_copy, tmp_path / "dim.xlsm", part,
                   lambda t: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="$A$1:$K$12"/>', t))
    fast, slow = read_workbook(out, "calamine"), read_workbook(out, "openpyxl")
    assert fast[0] == slow[0] and fast[1] == slow[1]


def test_a_missing_dimension_reads_everything_alike(example_copy, tmp_path):
    part = _sheet_part(example_copy, L.OVERALL_SHEET)
    assert_same_reading(_rewrite(example_copy, tmp_path / "nodim.xlsm", part,
                                 lambda t: re.sub(r'<dimension ref="[^"]*"/>', "", t)))


def test_escaped_shared_strings_are_read_through_openpyxl(example_copy, tmp_path):
    """calamine unescapes "_x000D_", openpyxl does not: Inexact, and openpyxl reads the file."""
    out = _rewrite(example_copy, tmp_path / "esc.xlsm", "xl/sharedStrings.xml",
                   lambda t: re.sub(r"<si><t>", "<si><t>_x000D_", t, count=3))
    with pytest.raises(Inexact):
        CalamineSource(out)
    fast, slow = read_workbook(out, "calamine"), read_workbook(out, "openpyxl")
    assert fast[0] == slow[0] and fast[1] == slow[1]


@pytest.mark.parametrize("value, fmt", [(dt.datetime(2023, 5, 1), "yyyy-mm-dd"), (45000, "yyyy-mm-dd"),
                                        (0.5, "hh:mm"), (2**53 + 1, "General"), (1e20, "General")])
def test_inexact_values_fall_back_to_openpyxl(tmp_path, value, fmt):
    """Dates (calamine and openpyxl tell them by different rules) and integers beyond 2**53:
    calamine says Inexact for the cell, and read_workbook reads the file through openpyxl."""
    from perfxl.workbook.builder import build_workbook

    from .conftest import load_example

    path = build_workbook(load_example(), tmp_path / "base.xlsm")

    def put(book):
        cell = book[L.BASIC_SHEET]["B4"]
        cell.value = value
        cell.number_format = fmt

    damaged = _damage(path, tmp_path / "date.xlsx", put)
    source = CalamineSource(damaged)
    try:
        with pytest.raises(Inexact):
            source.values(L.BASIC_SHEET, ["B4"])
    finally:
        source.close()
    fast, slow = read_workbook(damaged, "calamine"), read_workbook(damaged, "openpyxl")
    assert fast[0] == slow[0] and fast[1] == slow[1]
    assert any(f.cell == "B4" for f in fast[1])


def test_doctype_is_refused(example_copy, tmp_path):
    out = _rewrite(example_copy, tmp_path / "dtd.xlsm", "xl/workbook.xml",
                   lambda t: t.replace("?>", '?><!DOCTYPE workbook [<!ENTITY a "aaaa">]>', 1))
    with pytest.raises(WorkbookError, match="DOCTYPE"):
        read_workbook(out, "calamine")


def test_auto_reads_through_calamine(monkeypatch, fresh_example):
    opened = []
    real = CalamineSource.__init__

    def spy(self, path, *rest, **options):  # rest: the package reader.open_source already opened
        opened.append(path)
        real(self, path, *rest, **options)

    monkeypatch.setattr(CalamineSource, "__init__", spy)
    read_workbook(fresh_example)
    assert opened == [fresh_example]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_the_vetted_copy_is_what_is_read(engine, example_copy, tmp_path):
    """``load`` reads a workbook once (``app.zipvet.Vetted``): the readers parse that copy, so a
    file replaced after the check cannot slip past it, and read the same model as from the file."""
    from perfxl.app.zipvet import vet_input

    vetted = vet_input(example_copy)
    assert vetted is not None and vetted.data == example_copy.read_bytes()
    example_copy.write_bytes(COMMITTED_TEMPLATE.read_bytes())  # another valid workbook (no fallback hides a re-read)
    from_copy = read_workbook(example_copy, engine, data=vetted.data, kept=vetted.parts)
    assert from_copy[:2] == read_workbook(COMMITTED_EXAMPLE, engine)[:2]
    assert from_copy[0] != read_workbook(example_copy, engine)[0]  # the file itself now reads otherwise


def test_load_reads_the_copy_it_vetted(example_copy, monkeypatch):
    """``fileio.load`` hands the vetted copy to the reader: a file replaced right after the check
    is not what is read."""
    from perfxl import fileio

    real = fileio.vet_input

    def vet_then_replace(path, limits):
        vetted = real(path, limits)
        example_copy.write_bytes(COMMITTED_TEMPLATE.read_bytes())
        return vetted

    monkeypatch.setattr(fileio, "vet_input", vet_then_replace)
    assert fileio.load(example_copy).evaluation == read_workbook(COMMITTED_EXAMPLE)[0]


def test_parts_the_vetting_decompressed_are_not_decompressed_again(example_copy, monkeypatch):
    """The reader takes xl/workbook.xml, its relationships, the shared strings and the sheet parts
    from ``Vetted.parts``; only what was not kept is read from the package."""
    from perfxl.app import zipvet
    from perfxl.app.zipvet import vet_input

    vetted = vet_input(example_copy)
    assert vetted is not None
    assert {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"} <= set(vetted.parts)
    read: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, mode="r", *args, **kwargs):
        if mode == "r":  # not the package made for calamine, written from the kept parts
            read.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    kept = read_workbook(example_copy, "calamine", data=vetted.data, kept=vetted.parts)
    assert not set(read) & set(vetted.parts)
    read.clear()
    assert read_workbook(example_copy, "calamine", data=vetted.data)[:2] == kept[:2]
    assert {"xl/workbook.xml", "xl/sharedStrings.xml"} <= set(read)  # without them: read from the package
    monkeypatch.setattr(zipvet, "KEEP_BYTES", 20_000)  # more than that: none kept (all or none), read as before
    small = vet_input(example_copy)
    assert small is not None and small.parts == {}
    assert read_workbook(example_copy, "calamine", data=small.data, kept=small.parts)[:2] == kept[:2]


@pytest.mark.parametrize("projects", [1, 3, 2])
def test_data_sheets_are_the_layouts(projects):
    """The reader's own list of sheet declarations is ``workbook_layout``'s, minus 填表说明/校验结果/conf."""
    from perfxl.workbook.reader import _data_sheets

    layout = L.workbook_layout(L.Shape(projects=projects))
    expected = [s for s in layout.sheets if s.key not in ("guide", "findings", "conf")]
    assert [_comparable(s) for s in _data_sheets(projects)] == [_comparable(s) for s in expected]


def _comparable(sheet):
    """A sheet declaration with each row formula's maker replaced by what it makes for two
    rows (makers are closures, equal only to themselves)."""
    import dataclasses

    def formulas(region):
        return tuple((f.attr, f.col, f.style, f.label, f.make(region.first_row), f.make(region.first_row + 7))
                     for f in region.formulas)

    regions = [(dataclasses.replace(r, formulas=()), formulas(r)) for r in sheet.regions]
    return dataclasses.replace(sheet, regions=[]), regions


def test_calamine_reads_the_parts_the_vetting_read_and_no_others(example_copy):
    """python-calamine parses a package made of the vetted parts alone (``Vetted``): its own zip reader
    could find bytes ``zipfile`` never gave the vetting.  A value changed in the kept sheet part is
    the value read, whatever the file's bytes say."""
    from perfxl.app.zipvet import vet_input

    vetted = vet_input(example_copy)
    assert vetted is not None
    source = CalamineSource(example_copy)
    try:
        part = dict(source._sheets)[L.BASIC_SHEET]
    finally:
        source.close()
    kept = dict(vetted.parts)
    kept[part] = re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", kept[part], flags=re.S)  # emptied
    changed = CalamineSource(example_copy, data=vetted.data, kept=kept)
    plain = CalamineSource(example_copy, data=vetted.data)
    try:
        assert changed.book.get_sheet_by_name(L.BASIC_SHEET).to_python() != plain.book.get_sheet_by_name(
            L.BASIC_SHEET).to_python()
    finally:
        changed.close()
        plain.close()

"""The parts of PerfEval.xlsm, on the committed template and on a fresh build.

The VBA read back with oletools' olevba (an independent reader) must be exactly the
sources: macros/*.bas, xlwings' own module and class, and the UDF wrappers that
xlwings generates; every macro a button or the ribbon names must exist, and every
RunPython must name a function of perfxl.xlentry.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import xml.etree.ElementTree as ET
import zipfile

import pytest

from perfxl.workbook import layout as L
from perfxl.workbook import parts, vba


def _olevba_modules(path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _norm(source: str) -> str:
    return source.replace("\r\n", "\n").rstrip("\n")


def test_check_parts_is_empty(template, example_book):
    assert parts.check_parts(template) == []
    assert parts.check_parts(example_book) == []


def test_macro_enabled_content_type_and_vba_project(template):
    with zipfile.ZipFile(template) as z:
        types = z.read("[Content_Types].xml").decode()
        assert f'PartName="/xl/workbook.xml" ContentType="{parts.MACRO_WORKBOOK_TYPE}"' in types
        assert parts.XLSX_WORKBOOK_TYPE not in types
        assert "xl/vbaProject.bin" in z.namelist()
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        assert any(r.get("Type") == parts.VBA_REL_TYPE and r.get("Target") == "vbaProject.bin" for r in rels)


def test_olevba_gives_back_exactly_the_sources(template):
    got = _olevba_modules(template)
    own = vba.own_modules()
    assert [m.name for m in own] == ["PerfButtons"]
    for module in own:
        source = (vba.MACROS_DIR / f"{module.name}.bas").read_text(encoding="ascii")
        assert _norm(got[module.name]) == _norm(source), module.name
    xlwings_bas = (vba.xlwings_dir() / "xlwings.bas").read_text(encoding="ascii")
    assert _norm(got["xlwings"]) == _norm(xlwings_bas)
    assert _norm(got["xlwings_udfs"]) == _norm(vba.udf_wrapper_module().source)
    from pyopenvba.vba import normalize_class_source

    dictionary = (vba.xlwings_dir() / "addin" / "Dictionary.cls").read_text(encoding="ascii")
    assert _norm(got["Dictionary"]) == _norm(normalize_class_source(vba.crlf(dictionary)))
    # nothing else but the document modules Excel keeps for the workbook and each sheet
    extra = set(got) - {"PerfButtons", "xlwings", "xlwings_udfs", "Dictionary"}
    assert extra == {"ThisWorkbook", *(f"Sheet{i}" for i in range(1, len(L.LAYOUT.sheets) + 1))}


def test_udf_wrappers_cover_every_udf():
    from perfxl import udfs

    wrapper = vba.udf_wrapper_module().source
    assert wrapper.startswith('Attribute VB_Name = "xlwings_udfs"')
    procs = vba.procedures(wrapper)
    assert set(procs) == set(udfs.UDF_NAMES)
    for name in udfs.UDF_NAMES:
        assert f'XLPy.CallUDF("{L.UDF_MODULE}", "{name}"' in wrapper
        params = list(inspect.signature(getattr(udfs, name)).parameters)
        assert [p.replace("Optional ", "").strip() for p in procs[name].split(",")] == params
    # generating it leaves no pywin32 stubs and no decorated perfxl.udfs behind
    import sys

    if sys.platform != "win32":
        assert "pythoncom" not in sys.modules and "xlwings.udfs" not in sys.modules
        assert not hasattr(udfs.PERF_SCORE, "__xlfunc__")


def test_macros_are_ascii_and_well_formed():
    for path in sorted(vba.MACROS_DIR.glob("*.bas")):
        text = path.read_bytes().decode("ascii")  # raises on any non-ASCII byte
        assert text.startswith(f'Attribute VB_Name = "{path.stem}"')
        assert "Option Explicit" in text


def test_ribbon_part_relationship_and_callbacks(template):
    with zipfile.ZipFile(template) as z:
        root_rels = ET.fromstring(z.read("_rels/.rels"))
        ribbon_rels = [r for r in root_rels if r.get("Type") == parts.RIBBON_REL_TYPE]
        assert [r.get("Target") for r in ribbon_rels] == [parts.RIBBON_PART]
        types = z.read("[Content_Types].xml").decode()
        assert f'<Override PartName="/{parts.RIBBON_PART}" ContentType="application/xml"/>' in types
        xml = z.read(parts.RIBBON_PART)
    assert xml == (vba.MACROS_DIR / "customUI14.xml").read_bytes()
    root = ET.fromstring(xml)
    ns = {"ui": parts.RIBBON_NS}
    assert root.tag == f"{{{parts.RIBBON_NS}}}customUI"
    tab = root.find("ui:ribbon/ui:tabs/ui:tab", ns)
    assert tab is not None and tab.get("label") == "绩效评价"
    buttons = root.findall(".//ui:button", ns)
    by_action = {b.get("onAction"): b.get("label") for b in buttons}
    assert by_action == {a.ribbon: a.caption for a in L.ACTIONS}
    subs = {name: params for src in _olevba_modules(template).values() for name, params in vba.procedures(src).items()}
    for action in L.ACTIONS:
        assert subs[action.ribbon] == "control As Object"


def test_buttons_are_bound_to_existing_macros(template):
    subs = {name for src in _olevba_modules(template).values() for name in vba.procedures(src)}
    with zipfile.ZipFile(template) as z:
        vml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".vml"))
    import re

    bound = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    declared = [b.action.macro for s in L.LAYOUT.sheets for b in s.buttons]
    assert sorted(bound) == sorted(declared)
    assert set(bound) == {a.macro for a in L.ACTIONS}
    assert set(bound) <= subs
    for caption in {a.caption for a in L.ACTIONS}:
        assert caption in vml


def test_every_runpython_names_an_entry_point(template):
    sources = _olevba_modules(template)
    targets = vba.runpython_targets(sources["PerfButtons"])
    assert sorted(targets) == sorted((L.ENTRY_MODULE, e) for e in L.ENTRY_POINTS)
    procs = vba.procedures(sources["PerfButtons"])
    for action in L.ACTIONS:
        assert action.macro in procs and procs[action.macro] == ""
    if importlib.util.find_spec(L.ENTRY_MODULE) is None:
        pytest.skip(f"{L.ENTRY_MODULE} does not exist yet: the macro side is checked, the Python side is not")
    entry = importlib.import_module(L.ENTRY_MODULE)
    for name in L.ENTRY_POINTS:
        fn = getattr(entry, name, None)
        assert callable(fn), f"{L.ENTRY_MODULE}.{name} is missing"
        params = inspect.signature(fn).parameters
        assert list(params) == ["book"] and params["book"].default is None, name


def test_xlwings_version_is_pinned():
    import xlwings

    assert xlwings.__version__ == L.XLWINGS_VERSION
    assert f'"xlwings64-{L.XLWINGS_VERSION}.dll"' in (vba.xlwings_dir() / "xlwings.bas").read_text(encoding="ascii")


def test_xlwings_conf_sheet_names_the_udf_module(template):
    import openpyxl

    book = openpyxl.load_workbook(template, read_only=True)
    try:
        assert L.CONF_SHEET in book.sheetnames
        ws = book[L.CONF_SHEET]
        assert ws.sheet_state == "hidden"
        assert [tuple(r) for r in ws.iter_rows(min_row=1, max_row=1, max_col=2, values_only=True)] == [("UDF Modules", "perfxl.udfs")]
    finally:
        book.close()


def test_sheets_names_and_protection(template):
    import openpyxl

    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [s.name for s in L.LAYOUT.sheets]
    for s in L.LAYOUT.sheets:
        ws = book[s.name]
        assert bool(ws.protection.sheet) == s.protect, s.name
        assert ws.protection.password is None
        if s.print_area:
            assert ws.page_setup.paperSize == 9  # A4
        for f in s.inputs:
            assert ws[f.cell].protection.locked is False, (s.name, f.cell)
        for c in s.computed:
            assert ws[c.cell].protection.locked is True, (s.name, c.cell)
            assert str(ws[c.cell].value).startswith("="), (s.name, c.cell)
    overall = book[L.OVERALL_SHEET]
    assert overall.print_title_rows == "$1:$2"
    assert overall.page_setup.orientation == "landscape"


def test_data_validations(template):
    import openpyxl

    ws = openpyxl.load_workbook(template)[L.OVERALL_SHEET]
    ind = L.LAYOUT.sheet("overall").region("indicators")
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    level1 = rules[f"B{ind.first_row}:B{ind.last_row}"]
    assert level1.type == "list" and level1.formula1 == '"产出指标,效益指标,满意度指标"'
    level2 = rules[f"C{ind.first_row}:C{ind.last_row}"]
    assert "服务对象满意度指标" in level2.formula1
    tier = rules[f"K{ind.first_row}:K{ind.last_row}"]
    assert tier.formula1 == '"达成年度指标,部分达成年度指标并具有一定效果,未达成年度指标且效果较差"'
    weight = rules[f"G{ind.first_row}:G{ind.last_row}"]
    assert (weight.type, weight.operator, weight.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_formulas_are_native_and_the_udfs_fall_back(example_book):
    """Rates, the 执行率 score, totals and grades are native formulas (they compute in Excel
    with macros off, WPS and LibreOffice); PERF_SCORE falls back to "需Python" (sheets/native.py)."""
    import openpyxl

    book = openpyxl.load_workbook(example_book)
    overall = book[L.OVERALL_SHEET]
    s = L.LAYOUT.sheet("overall")
    funds = s.region("funds")
    row = funds.first_row
    # issue 9: the profile's 执行率 denominator and score method, looked up in xlwings.conf's 当前方案 row (row 7)
    conf = "'xlwings.conf'!"
    initial, carry = f'LEFT({conf}$E$7,7)="initial"', f'RIGHT({conf}$E$7,9)="carryover"'
    den = f"(IF({initial},C{row},D{row})+IF(AND({carry},ISNUMBER(L{row})),L{row},0))"
    assert overall[f"K{row}"].value == (f'=IF(IF({initial},C{row}="",D{row}=""),"",IF({conf}$D$7="","需Python",'
                                        f'IF(AND(ISNUMBER(E{row}),IF({initial},ISNUMBER(C{row}),ISNUMBER(D{row})),'
                                        f'OR(NOT({carry}),ISNUMBER(L{row}),L{row}="")),IF({den}>0,E{row}/{den},"—"),"—")))')
    score = overall[f"J{row}"].value
    assert score.startswith(f'=IF(F{row}="","",IF({conf}$D$7="",IFERROR(PERF_BUDGETSCORE(E{row},D{row},F{row},'
                            f"'基本情况'!$B$5,C{row}),\"需Python\"),IF(AND(ISNUMBER(E{row}),ISNUMBER(F{row}),")
    assert f"IF(AND({den}>0,F{row}>=0),ROUND(ROUND(IF({conf}$F$7=\"uncapped\",MAX(E{row},0)/{den}*F{row}," in score
    assert score.endswith(f'MIN(MAX(E{row},0)/{den},1)*F{row}))),9),IF({conf}$G$7="whole",0,2)),"—"),"—")))')
    ind = s.region("indicators")
    r, last = ind.first_row, ind.last_row
    # issue 9: PERF_SCORE also gets 指标方向 (else 指标性质), 计量单位, 评分标准, the name, 调整后/年初指标值
    assert overall[f"J{r}"].value == (f"=IF(G{r}=\"\",\"\",IFERROR(PERF_SCORE(E{r},F{r},G{r},K{r},'基本情况'!$B$5,H{r},"
                                      f"'基本情况'!$B$4,IF(L{r}=\"\",N{r},L{r}),M{r},S{r},D{r},P{r},O{r}),\"需Python\"))")
    cell = L.LAYOUT.locate("overall.rule_total")[1]
    total = L.split_cell(cell)[1]
    rule_total = overall[cell].value
    assert rule_total.startswith(f'=IF(SUMPRODUCT(ISTEXT(J{r}:J{last})*(J{r}:J{last}<>"")*(J{r}:J{last}<>"—")*'
                                 f'(LEFT(J{r}:J{last},1)<>"#"))>0,"部分指标需Python计算",')
    assert f"ROUND(SUM(J{row},J{r}:J{last}),2)" in rule_total
    grade = overall[L.LAYOUT.locate("overall.rule_grade")[1]].value
    conf_rows = list(book["xlwings.conf"].iter_rows(min_row=1, max_row=7, min_col=4, values_only=True))
    header = conf_rows[0]
    at = {name: L.col_letters(3 + header.index(name)) for name in ("优", "良", "中", "变动率本年口径", "变动率上年口径")}
    assert (f'IF(J{total}>={conf}${at["优"]}$7,"优",IF(J{total}>={conf}${at["良"]}$7,"良",'
            f'IF(J{total}>={conf}${at["中"]}$7,"中","差")))') in grade
    table = {r[0]: dict(zip(header, r, strict=True)) for r in conf_rows[1:5]}
    assert [table["default"][k] for k in ("优", "良", "中")] == [90, 80, 60]  # the grade bands
    assert [table["strict"][k] for k in ("优", "良", "中")] == [80, 70, 60]
    basic = book[L.BASIC_SHEET]
    staff = L.LAYOUT.locate("basic.staff_rate")[1]
    assert basic[staff].value == '=IF(B4="","",IF(AND(ISNUMBER(C4),ISNUMBER(B4)),IF(B4>0,C4/B4,"—"),"—"))'
    # 三公经费 变动率 on the profile's columns: 本年 决算数 D or 预算数 C, 上年 决算数 B or 上年预算数
    prior_budget = L.split_cell(L.LAYOUT.locate("basic.three_public.prior_budget")[1])[0]
    this = f'IF({conf}${at["变动率本年口径"]}$7="budget",C6,D6)'
    last = f'IF({conf}${at["变动率上年口径"]}$7="budget",{prior_budget}6,B6)'
    assert f"({this}-{last})/{last}" in basic[L.LAYOUT.locate("basic.three_public.change_rate")[1]].value
    # every UDF call is inside IFERROR(…,"需Python"): without Python no cell shows #NAME?
    calls = 0
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("=") and "PERF_" in cell.value:
                    calls += 1
                    assert cell.value.count("PERF_") == cell.value.count("IFERROR(PERF_"), (ws.title, cell.coordinate)
    assert calls > 20


def test_excel_does_not_recalculate_at_load(template):
    """No fullCalcOnLoad and a current calcId: Excel shows the cached values until something
    changes (a recalculation before content is enabled makes every UDF cell "需Python")."""
    import re
    import zipfile

    with zipfile.ZipFile(template) as z:
        calc = re.search(r"<calcPr[^>]*/>", z.read("xl/workbook.xml").decode("utf-8")).group(0)
    assert "fullCalcOnLoad" not in calc and 'calcId="191029"' in calc and "calcMode" not in calc  # automatic

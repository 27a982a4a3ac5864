"""The buttons' entry points (perfxl.xlentry) run against real xlwings code.

There is no Excel here.  xlwings' remote engine (``xw.Book(json=payload)``, the xlwings
Server protocol; licence key ``noncommercial`` in tests only) runs the same Range /
Sheet / Name API code as Excel and records every write as an action in
``book.json()``.  The payload is made from a workbook built by ``build_workbook``
(values, sheets and defined names, as xlwings' VBA client sends them), so the entry
points read a real PerfEval book through ``XlwingsSource`` and the tests assert on the
actions: the rows of 校验结果, the colours, the formulas, the alerts.

Writes are not read back by the remote engine; ``replay`` below applies the value
actions to the payload the way Excel would (a leading ' makes text), so that a book
written by ``import_data`` / ``add_project`` can be read again.

What the remote engine cannot show: the status bar (it has none, so an alert is shown,
which these tests see), the answer to an alert (it returns None: the safe choice is
tested), sheet protection, the file dialog, Excel's recalculation result and Excel's
own copying of sheet-scoped names.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

from perfxl import xlentry
from perfxl.core.findings import Severity, sort_findings
from perfxl.core.serde import evaluation_from_dict
from perfxl.present import summary_line
from perfxl.workbook import layout as L
from perfxl.workbook.builder import GREY, YELLOW, build_workbook
from perfxl.workbook.reader import parse_refers_to, read_evaluation, read_workbook
from perfxl.workbook.xlwrite import (
    MARK_FILL,
    BookMap,
    XlwingsSource,
    layout_fills,
    rectangles,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"
CORRECTED_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023-corrected.json"
OVERALL = L.OVERALL_SHEET


# --------------------------------------------------------------------------- payloads


def _example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example workbook and the blank template, built from the current sources."""
    folder = tmp_path_factory.mktemp("xlentry")
    example = build_workbook(evaluation_from_dict(_example_data()), folder / "hengshan-kexie-2023.xlsm")
    template = build_workbook(None, folder / "PerfEval.xlsm")
    # the example with its errors corrected (issue 10: only such data is published), under the
    # example's own file name so that the reports it gives are named alike
    (folder / "corrected").mkdir()
    corrected_data = json.loads(CORRECTED_JSON.read_text(encoding="utf-8"))
    corrected = build_workbook(evaluation_from_dict(corrected_data), folder / "corrected" / "hengshan-kexie-2023.xlsm")
    return {"example": example, "template": template, "corrected": corrected}


def _address(place) -> str:
    first = f"{place.first_col}{place.first_row}"
    last = f"{place.last_col}{place.last_row}"
    return first if first == last else f"{first}:{last}"


def payload_from(path: Path) -> dict:
    """The xlwings Server payload of a workbook file, as xlwings' VBA client sends it:
    cached values from A1 ("" for empty), and the names that refer to ranges with
    ``sheet_index``/``address`` and the scope (a sheet-scoped name reads "'Sheet'!name")."""
    wb = openpyxl.load_workbook(path, data_only=True)
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    sheets = []
    for ws in wb.worksheets:
        values = [["" if v is None else v for v in row]
                  for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": [],
                       "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                       MERGED: [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]})
    names = []

    def add(full: str, text: str, scope: str | None) -> None:
        place = parse_refers_to(text)
        if place is None:
            return  # the VBA client sends only names that refer to ranges
        names.append({"name": full, "sheet_index": index[place.sheet], "address": _address(place),
                      "book_scope": scope is None, "scope_sheet_name": scope,
                      "scope_sheet_index": None if scope is None else index[scope]})

    for name, d in wb.defined_names.items():
        add(name, d.attr_text, None)
    for ws in wb.worksheets:
        for name, d in ws.defined_names.items():
            add(f"{L.quote_sheet(ws.title)}!{name}", d.attr_text, ws.title)
    wb.close()
    payload = {"client": "VBA", "version": xw.__version__,
               "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
               "names": names, "sheets": sheets}
    return json.loads(json.dumps(payload, default=str))


@pytest.fixture(scope="module")
def example_payload(built):
    return payload_from(built["example"])


@pytest.fixture(scope="module")
def corrected_payload(built):
    return payload_from(built["corrected"])


@pytest.fixture(scope="module")
def template_payload(built):
    return payload_from(built["template"])


#: the payload's record of a sheet's merged ranges (not part of xlwings' payload: see ``open_book``)
MERGED = "perfxl_test_merged"


@pytest.fixture()
def open_book(monkeypatch):
    """Open a payload on the remote engine (noncommercial licence, tests only).

    The remote engine answers no question about merged cells synchronously; Excel does
    (``sources.excel_merges``).  So the merged ranges are answered as Excel would, from
    the file the payload was made of (kept in the payload's sheet under ``MERGED``)."""
    from perfxl.workbook import sources

    monkeypatch.setattr(sources, "excel_merges", lambda ws, *block: ws.api.get(MERGED, []))
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        # xlwings registers the engine at import time, when the key is set then; other
        # tests may have imported xlwings without it
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))

    def open_(payload: dict):
        return xw.Book(json=copy.deepcopy(payload))

    return open_


def sheet_index(payload: dict, name: str) -> int:
    return next(i for i, s in enumerate(payload["sheets"]) if s["name"] == name)


def set_cell(payload: dict, sheet: str, cell: str, value) -> None:
    col, row = L.split_cell(cell)
    _write(payload["sheets"][sheet_index(payload, sheet)], row - 1, L.col_index(col), [[value]])


def _write(sheet: dict, row: int, col: int, values: list[list]) -> None:
    grid = sheet["values"]
    width = max(max((len(r) for r in grid), default=0), col + max(len(r) for r in values))
    while len(grid) < row + len(values):
        grid.append([])
    for r in grid:
        r.extend([""] * (width - len(r)))
    for i, line in enumerate(values):
        for j, value in enumerate(line):
            if isinstance(value, str) and value.startswith("'"):
                value = value[1:]  # Excel keeps the text and drops the apostrophe
            grid[row + i][col + j] = "" if value is None else value


def insert_row(payload: dict, sheet: str, row: int) -> dict:
    """*payload* after inserting an empty row at *row* in Excel: the cells below move
    down, and so do the names; a name spanning the row grows by one."""
    p = copy.deepcopy(payload)
    ix = sheet_index(p, sheet)
    grid = p["sheets"][ix]["values"]
    grid.insert(row - 1, [""] * len(grid[0]))
    # a merged range below the row moves down, one spanning it grows by one (Excel's rule)
    p["sheets"][ix][MERGED] = [(r1 + (r1 >= row - 1), c1, r2 + (r2 >= row - 1), c2)
                               for r1, c1, r2, c2 in p["sheets"][ix].get(MERGED, [])]
    for name in p["names"]:
        if name["sheet_index"] != ix:
            continue
        place = parse_refers_to(f"'x'!{name['address']}")
        first, last = place.first_row, place.last_row
        first += first >= row
        last += last >= row
        name["address"] = f"{place.first_col}{first}" + ("" if name["address"].count(":") == 0 else f":{place.last_col}{last}")
    return p


def replay(payload: dict, actions: list[dict]) -> dict:
    """*payload* after Excel has applied the recorded value/sheet/name actions."""
    p = copy.deepcopy(payload)
    sheets = p["sheets"]
    for a in actions:
        func, pos = a["func"], a["sheet_position"]
        if func == "setValues":
            _write(sheets[pos], a["start_row"], a["start_column"], a["values"])
        elif func == "rangeUnmerge":  # the merged ranges inside the range are gone
            r1, c1 = a["start_row"], a["start_column"]
            r2, c2 = r1 + a["row_count"] - 1, c1 + a["column_count"] - 1
            sheets[pos][MERGED] = [m for m in sheets[pos].get(MERGED, [])
                                   if not (r1 <= m[0] and m[2] <= r2 and c1 <= m[1] and m[3] <= c2)]
        elif func in ("rangeClear", "rangeClearContents"):
            _write(sheets[pos], a["start_row"], a["start_column"],
                   [[None] * a["column_count"] for _ in range(a["row_count"])])
        elif func == "copySheet":
            where, target, name = a["args"]
            new = copy.deepcopy(sheets[pos])
            new["name"] = name
            at = target + 1 if where == "After" else target
            sheets.insert(at, new)
            for n in p["names"]:
                for key in ("sheet_index", "scope_sheet_index"):
                    if n[key] is not None and n[key] >= at:
                        n[key] += 1
        elif func == "setSheetName":
            old, new = sheets[pos]["name"], a["args"][0]
            sheets[pos]["name"] = new
            for n in p["names"]:
                if n["scope_sheet_index"] == pos:
                    n["scope_sheet_name"] = new
                    n["name"] = f"{L.quote_sheet(new)}!{n['name'].rpartition('!')[2]}"
            assert old != new
        elif func == "namesAdd":
            name, refers_to = a["args"]
            place = parse_refers_to(refers_to)
            scoped = pos is not None
            p["names"].append({"name": f"{L.quote_sheet(sheets[pos]['name'])}!{name}" if scoped else name,
                               "sheet_index": sheet_index(p, place.sheet), "address": _address(place),
                               "book_scope": not scoped, "scope_sheet_name": sheets[pos]["name"] if scoped else None,
                               "scope_sheet_index": pos if scoped else None})
    return p


# --------------------------------------------------------------------------- reading the actions


def actions(book, func: str | None = None, sheet: str | None = None) -> list[dict]:
    names = [s.name for s in book.sheets]
    return [a for a in book.json()["actions"]
            if (func is None or a["func"] == func)
            and (sheet is None or (a["sheet_position"] is not None and names[a["sheet_position"]] == sheet))]


def written_at(book, sheet: str, cell: str, func: str = "setValues") -> dict:
    """The last action of *func* whose block starts at *cell* of *sheet*."""
    col, row = L.split_cell(cell)
    found = [a for a in actions(book, func, sheet) if (a["start_row"], a["start_column"]) == (row - 1, L.col_index(col))]
    assert found, f"nothing written at {sheet}!{cell}"
    return found[-1]


def fills_of(book, sheet: str, cell: str) -> list[str | None]:
    """The fills set on *cell* of *sheet*, in order."""
    col, row = L.split_cell(cell)
    r, c = row - 1, L.col_index(col)
    return [a["args"][0] for a in actions(book, "setRangeColor", sheet)
            if a["start_row"] <= r < a["start_row"] + a["row_count"]
            and a["start_column"] <= c < a["start_column"] + a["column_count"]]


def alerts(book) -> list[dict]:
    return [{"prompt": a["args"][0], "buttons": a["args"][2], "mode": a["args"][3]} for a in actions(book, "alert")]


# --------------------------------------------------------------------------- the entry points exist


@pytest.mark.parametrize("action", L.ACTIONS, ids=lambda a: a.entry)
def test_every_button_has_its_entry_point(action):
    from perfxl.workbook.vba import runpython_targets

    func = getattr(xlentry, action.entry)
    params = list(inspect.signature(func).parameters.values())
    assert [p.name for p in params] == ["book"] and params[0].default is None
    bas = (ROOT / "perfxl" / "workbook" / "macros" / "PerfButtons.bas").read_text(encoding="ascii")
    body = re.search(rf"Public Sub {action.macro}\(\)\n(.*?)End Sub", bas, re.DOTALL)
    assert body and runpython_targets(body.group(1)) == [(L.ENTRY_MODULE, action.entry)]
    assert set(xlentry.__all__) == set(L.ENTRY_POINTS)


# --------------------------------------------------------------------------- reading through xlwings


def test_xlwings_source_reads_like_the_file_reader(built, example_payload, open_book):
    book = open_book(example_payload)
    through_xlwings = read_evaluation(XlwingsSource(book))
    evaluation, findings, _ = read_workbook(built["example"])
    assert through_xlwings.evaluation == evaluation
    assert through_xlwings.findings == findings
    assert through_xlwings.locator("overall.funds[0].printed_rate") == (OVERALL, "G5")


# --------------------------------------------------------------------------- 校验数据


def _cli_findings(path: Path):
    from perfxl.app.assessing import assess_input  # what `perfxl check` runs

    return sort_findings(assess_input(path).assessment.findings)


def test_check_writes_the_findings_of_the_cli(built, example_payload, open_book):
    book = open_book(example_payload)
    assert xlentry.check(book) is None
    first = L.FINDINGS_FIRST_ROW
    header = written_at(book, L.FINDINGS_SHEET, f"A{first - 1}")["values"][0]
    assert header == [text for _, _, text in L.FINDINGS_COLUMNS]
    rows = written_at(book, L.FINDINGS_SHEET, f"A{first}")["values"]
    cli = _cli_findings(built["example"])
    assert len(rows) == len(cli)
    cols = {attr: i for i, (_, attr, _) in enumerate(L.FINDINGS_COLUMNS)}
    assert [r[cols["code"]] for r in rows] == [f.code for f in cli]
    assert [r[cols["severity"]] for r in rows] == [str(f.severity) for f in cli]  # errors first
    assert [r[cols["index"]] for r in rows] == list(range(1, len(cli) + 1))
    links = [f'=HYPERLINK("#{L.quote_sheet(f.sheet)}!{f.cell}","{f.cell}")' if f.cell else "" for f in cli]
    assert [r[cols["cell"]] for r in rows] == links
    rate = next(r for r in rows if r[cols["code"]] == "RATE_MISMATCH" and r[cols["table"]] == OVERALL)
    assert rate[cols["cell"]] == """=HYPERLINK("#'附件2 整体自评表'!G5","G5")"""
    assert rate[cols["expected"]] == "'99.64%" and rate[cols["actual"]] == "'100%"  # kept as text
    assert "99.64%" in rate[cols["message"]]
    assert rate[cols["severity"]] == "错误"

    summary = written_at(book, L.FINDINGS_SHEET, "B2")["values"][0][0]
    assert summary.startswith(summary_line(cli) + "（") and "错误 16 项，警告 10 项，提示 12 项" in summary
    # the old rows were cleared (values and colours) before the new ones were written
    clear = written_at(book, L.FINDINGS_SHEET, f"A{first}", func="rangeClear")
    assert book.json()["actions"].index(clear) < book.json()["actions"].index(written_at(book, L.FINDINGS_SHEET, f"A{first}"))
    assert fills_of(book, L.FINDINGS_SHEET, f"B{first}") == [MARK_FILL[Severity.ERROR]]
    assert fills_of(book, L.FINDINGS_SHEET, f"B{first + len(rows) - 1}") == [MARK_FILL[Severity.NOTICE]]
    # the status: an alert, since the remote engine has no status bar; 校验结果 is shown
    assert alerts(book)[-1]["prompt"].startswith("校验完成：错误 16 项，警告 10 项，提示 12 项")
    assert actions(book, "activateSheet")[-1]["args"] == [sheet_index(example_payload, L.FINDINGS_SHEET)]


def test_check_lists_the_report_suggestions_with_their_codes(example_payload, open_book):
    book = open_book(example_payload)
    xlentry.check(book)
    sheet, cell = next((d.name, o.cell) for d in L.LAYOUT.sheets for o in d.outputs if o.key == "check.suggestions")
    block = written_at(book, sheet, cell)["values"]
    assert len(block) == L.SUGGESTION_ROWS  # the whole block, so old suggestions are cleared
    codes = [code for code, _ in block if code]
    # the example's suggestions (tests/test_golden_example.py): budget adjusted 56.41%, printed rates…
    assert codes[:4] == ["BUDGET_ADJUSTED.problem", "BUDGET_ADJUSTED.measure", "UNSPENT.problem",
                         "UNSPENT.measure"]  # issue 10: no RATE_MISMATCH (the report prints the rate corrected)
    assert "56.41%" in block[0][1]
    assert not any(block[-1])  # padded with empty cells


def test_check_marks_the_cells_and_restores_the_others(example_payload, open_book):
    book = open_book(example_payload)
    xlentry.check(book)
    # each cell is painted once: its mark, or the layout's colour (which removes an old mark)
    assert fills_of(book, OVERALL, "G5") == [MARK_FILL[Severity.ERROR]]  # 执行率 100% vs 99.64%
    assert fills_of(book, OVERALL, "F14") == [MARK_FILL[Severity.WARNING]]  # OVER_ACHIEVEMENT
    assert fills_of(book, OVERALL, "D5") == [MARK_FILL[Severity.NOTICE]]  # BUDGET_ADJUSTED
    assert fills_of(book, OVERALL, "C5") == [YELLOW]  # an input without a finding
    assert fills_of(book, OVERALL, "J5") == [GREY]  # a formula cell
    assert fills_of(book, OVERALL, "D3") == fills_of(book, OVERALL, "I3") == [YELLOW]  # a merged input C3:I3
    assert fills_of(book, L.PROJECT_SHEET, "G6") == [MARK_FILL[Severity.ERROR]]
    assert fills_of(book, L.GENERAL_SHEET, "B54") == [MARK_FILL[Severity.NOTICE]]
    assert fills_of(book, OVERALL, "A1") == []  # labels are never touched
    # a few calls per sheet, not one per cell
    bm = BookMap.of(XlwingsSource(book))
    cells = layout_fills(bm, bm.find("overall")).base
    assert len(actions(book, "setRangeColor", OVERALL)) < len(cells) / 4


def test_check_clears_every_old_row(example_payload, open_book):
    payload = copy.deepcopy(example_payload)
    for row in range(L.FINDINGS_FIRST_ROW, 81):
        set_cell(payload, L.FINDINGS_SHEET, f"G{row}", f"旧的结果 {row}")
    book = open_book(payload)
    xlentry.check(book)
    clear = written_at(book, L.FINDINGS_SHEET, f"A{L.FINDINGS_FIRST_ROW}", func="rangeClear")
    assert clear["start_row"] + clear["row_count"] == 80 and clear["column_count"] == len(L.FINDINGS_COLUMNS)


def _linked_cells(book, sheet: str) -> list[str]:
    rows = written_at(book, L.FINDINGS_SHEET, f"A{L.FINDINGS_FIRST_ROW}")["values"]
    return [re.search(r'"([A-Z]+\d+)"\)$', r[4]).group(1) for r in rows if r[3] == sheet and r[4]]


def test_check_follows_inserted_rows(example_payload, open_book):
    before = open_book(example_payload)
    xlentry.check(before)
    book = open_book(insert_row(example_payload, OVERALL, 16))  # a row inserted inside the indicators
    xlentry.check(book)
    moved = []
    for cell in _linked_cells(before, OVERALL):
        col, row = L.split_cell(cell)
        moved.append(f"{col}{row + (row >= 16)}")
    after = _linked_cells(book, OVERALL)
    # the findings found before, moved down; the empty new row is reported too (a row left blank)
    assert [c for c in after if L.split_cell(c)[1] != 16] == moved
    assert {c for c in after if L.split_cell(c)[1] == 16} == {"E16", "F16", "G16", "C16"}
    assert "I16" in _linked_cells(before, OVERALL) and "I17" in moved  # DEVIATION_MISSING of 时效指标
    assert fills_of(book, OVERALL, "I17") == [MARK_FILL[Severity.ERROR]]
    assert fills_of(book, OVERALL, "I16") == [YELLOW]  # the new, empty row


def test_check_without_findings_sheet_says_so(example_payload, open_book):
    payload = copy.deepcopy(example_payload)
    ix = sheet_index(payload, L.FINDINGS_SHEET)
    del payload["sheets"][ix]
    payload["names"] = [n for n in payload["names"] if n["sheet_index"] != ix]
    for n in payload["names"]:
        for key in ("sheet_index", "scope_sheet_index"):
            if n[key] is not None and n[key] > ix:
                n[key] -= 1
    book = open_book(payload)
    assert xlentry.check(book) is None  # no exception
    (alert,) = alerts(book)
    assert alert["mode"] == "critical"
    assert alert["prompt"] == "校验数据未完成：找不到工作表“校验结果”（被删除或改名？），请从 perfxl 模板中恢复该表。"
    assert not actions(book, "setValues")


def test_check_with_a_sheet_missing_reports_it(example_payload, open_book):
    payload = copy.deepcopy(example_payload)
    payload["sheets"][sheet_index(payload, L.BASIC_SHEET)]["name"] = "别的表"
    payload["names"] = [n for n in payload["names"] if not n["name"].startswith("basic.")]
    book = open_book(payload)
    xlentry.check(book)
    rows = written_at(book, L.FINDINGS_SHEET, f"A{L.FINDINGS_FIRST_ROW}")["values"]
    assert any(r[2] == "SHEET_MISSING" and L.BASIC_SHEET in r[6] for r in rows)


def test_an_internal_error_is_logged_not_raised(example_payload, open_book, monkeypatch, tmp_path):
    import perfxl.core.assessment

    def broken(*args, **kwargs):
        raise RuntimeError("模拟的故障")

    monkeypatch.setattr(perfxl.core.assessment, "score_evaluation", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    book = open_book(example_payload)
    assert xlentry.check(book) is None
    (alert,) = alerts(book)
    log = tmp_path / xlentry.LOG_NAME
    assert alert["mode"] == "critical" and "内部错误" in alert["prompt"] and str(log) in alert["prompt"]
    assert "Traceback" not in alert["prompt"]
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: 模拟的故障" in text and "perfxl.xlentry.check" in text


@pytest.mark.parametrize("entry", L.ENTRY_POINTS)
def test_no_entry_point_raises_on_a_foreign_book(entry, open_book, monkeypatch, tmp_path):
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    book = open_book({"client": "VBA", "version": xw.__version__, "book": {"name": "Book1.xlsx", "active_sheet_index": 0,
                      "selection": "A1"}, "names": [], "sheets": [{"name": "Sheet1", "values": [[""]], "pictures": [],
                                                                   "tables": []}]})
    assert getattr(xlentry, entry)(book) is None
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and alert["prompt"].startswith(L.action(entry).caption + "未完成：")
    assert not (tmp_path / xlentry.LOG_NAME).exists(), (tmp_path / xlentry.LOG_NAME).read_text("utf-8")


@pytest.mark.parametrize("entry", L.ENTRY_POINTS)
def test_every_entry_point_logs_an_unexpected_error(entry, example_payload, open_book, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("模拟的故障")

    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(xlentry.BookMap, "of", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    # 导出PDF first looks for a converter; the fault to log comes after it, with or without LibreOffice
    monkeypatch.setattr("perfxl.report.pdf.pdf_converter", lambda: "libreoffice")
    book = open_book(example_payload)
    assert getattr(xlentry, entry)(book) is None
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "内部错误（RuntimeError：模拟的故障）" in alert["prompt"]
    assert f"perfxl.xlentry.{entry}\nTraceback" in (tmp_path / xlentry.LOG_NAME).read_text("utf-8")


def test_outside_excel_nothing_is_raised(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    assert xlentry.check() is None  # xw.Book.caller() fails: no Excel called us
    assert "需要从 Excel 的按钮运行" in capsys.readouterr().err


# --------------------------------------------------------------------------- 重新计算


def test_recalc_writes_the_row_formulas_of_inserted_rows(example_payload, open_book):
    book = open_book(insert_row(example_payload, OVERALL, 20))
    xlentry.recalc(book)
    region = L.LAYOUT.sheet("overall").region("indicators")
    written = written_at(book, OVERALL, f"J{region.first_row}", func="setFormula")
    assert len(written["values"]) == region.capacity + 1  # the region grew with the inserted row
    expected = ["=" + region.row_formulas(row)["J"].formula(OVERALL) for row in range(region.first_row, region.last_row + 2)]
    assert [v[0] for v in written["values"]] == expected
    assert expected[20 - region.first_row].startswith('=IF(G20="","",IFERROR(PERF_SCORE(E20,F20,G20,')
    funds = L.LAYOUT.sheet("overall").region("funds")
    assert written_at(book, OVERALL, "J5", func="setFormula")["values"] == [["=" + funds.row_formulas(5)["J"].formula(OVERALL)]]
    assert written_at(book, L.PROJECT_SHEET, "J6", func="setFormula")
    duties = L.LAYOUT.sheet("general").region("duties")  # 序号 renumbered
    numbers = written_at(book, L.GENERAL_SHEET, f"A{duties.first_row}")["values"]
    assert numbers == [[i] for i in range(1, duties.capacity + 1)]
    acts = book.json()["actions"]
    assert acts.index(actions(book, "calculate")[-1]) > acts.index(written)
    assert alerts(book)[-1]["prompt"].startswith("重新计算完成")


# --------------------------------------------------------------------------- 生成报告 / 导出PDF


def _paragraphs(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_report_writes_the_docx_status_and_preview(corrected_payload, open_book, monkeypatch, tmp_path):
    example_payload = corrected_payload  # errors stop publication (issue 10): the corrected example is published
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    book = open_book(example_payload)
    xlentry.report(book)
    out = tmp_path / "hengshan-kexie-2023-自评报告.docx"
    assert out.is_file()
    status = written_at(book, L.REPORT_SHEET, "B2")["values"][0][0]
    assert f"已生成报告：{out}" in status
    preview_sheet, preview_cell = BookMap.of(XlwingsSource(book)).output("report.preview")
    assert preview_sheet == L.REPORT_SHEET
    preview = written_at(book, preview_sheet, preview_cell)["values"]
    paragraphs = _paragraphs(out)
    assert [row[0].lstrip("'") for row in preview] == paragraphs
    assert "2023年度衡山县科学技术协会部门整体支出绩效自评报告" in "".join(paragraphs)
    assert alerts(book)[-1]["prompt"].startswith(f"已生成报告：{out}")

    # a second time: the user is asked; the engine gives no answer, so a new name is taken
    before = out.read_bytes()
    book = open_book(example_payload)
    xlentry.report(book)
    assert alerts(book)[0]["buttons"] == "yes_no" and out.name in alerts(book)[0]["prompt"]
    second = tmp_path / "hengshan-kexie-2023-自评报告(2).docx"
    assert second.is_file() and out.read_bytes() == before
    assert f"已生成报告：{second}" in written_at(book, L.REPORT_SHEET, "B2")["values"][0][0]


def test_report_needs_a_folder(example_payload, open_book, monkeypatch, tmp_path):
    monkeypatch.delenv(xlentry.OUTPUT_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    book = open_book(example_payload)  # a remote book's fullname has no folder
    xlentry.report(book)
    (alert,) = [a for a in alerts(book) if a["mode"] == "critical"]
    assert "无法确定工作簿所在的文件夹" in alert["prompt"] and xlentry.OUTPUT_DIR_ENV in alert["prompt"]
    assert not list(tmp_path.iterdir())


def test_export_pdf_without_libreoffice_says_so(example_payload, open_book, monkeypatch, tmp_path):
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("PERFXL_SOFFICE", str(tmp_path / "no-such-soffice"))
    book = open_book(example_payload)
    xlentry.export_pdf(book)
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "未找到 LibreOffice" in alert["prompt"]
    assert not list(tmp_path.iterdir())


def test_report_on_data_with_errors_is_refused_unless_a_draft_is_chosen(example_payload, open_book, monkeypatch,
                                                                         tmp_path):
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    book = open_book(example_payload)
    xlentry.report(book)  # the remote engine answers no question: no draft
    question, refusal = alerts(book)
    assert question["buttons"] == "yes_no" and "项错误，不能生成报送用的正式报告" in question["prompt"]
    assert "草稿" in question["prompt"] and "\n1. " in question["prompt"]  # the errors are listed
    assert refusal["mode"] == "critical" and "未生成自评报告" in refusal["prompt"]
    assert not any(p.suffix == ".docx" for p in tmp_path.iterdir())

    monkeypatch.setattr(xlentry.ui, "ask", lambda book, question: True)  # the user chooses a draft
    book = open_book(example_payload)
    xlentry.report(book)
    out = tmp_path / "hengshan-kexie-2023-自评报告.docx"
    review = tmp_path / "hengshan-kexie-2023-自评报告-校验说明.docx"
    assert out.is_file() and review.is_file()
    status = written_at(book, L.REPORT_SHEET, "B2")["values"][0][0]
    assert f"已生成草稿：{out}" in status and f"校验说明：{review}" in status


def test_export_pdf_with_libreoffice(corrected_payload, open_book, monkeypatch, tmp_path):
    from perfxl.report.pdf import find_soffice

    example_payload = corrected_payload  # errors stop publication (issue 10)
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    book = open_book(example_payload)
    xlentry.export_pdf(book)
    pdf = tmp_path / "hengshan-kexie-2023-自评报告.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert f"PDF：{pdf}" in alerts(book)[-1]["prompt"]


# --------------------------------------------------------------------------- 新增项目表


def test_add_project_copies_the_sheet_and_clears_it(built, example_payload, open_book):
    book = open_book(example_payload)
    xlentry.add_project(book)
    new = L.project_sheet_name(1)
    source = sheet_index(example_payload, L.PROJECT_SHEET)
    (copied,) = actions(book, "copySheet")
    assert copied["sheet_position"] == source and copied["args"][:2] == ["After", source]
    assert actions(book, "setSheetName")[-1]["args"] == [new]
    added = {a["args"][0]: a["args"][1] for a in actions(book, "namesAdd", new)}
    assert added["project.name"] == f"='{new}'!$C$3"
    assert added["project.indicators"].startswith(f"='{new}'!$B$")
    assert written_at(book, new, "C3")["values"] == [[""]]  # the project's name cleared
    # the copy's merged 一级/二级指标 runs are unmerged before its rows are written (issue 10)
    indicators = L.LAYOUT.sheet("project").region("indicators")
    unmerged = {(a["start_column"], a["start_row"], a["row_count"]) for a in actions(book, "rangeUnmerge", new)}
    assert {(L.col_index(indicators.column(attr).col), indicators.first_row - 1, indicators.capacity)
            for attr in ("level1", "level2")} <= unmerged
    assert alerts(book)[-1]["prompt"] == f"已新增工作表“{new}”。请填写项目名称和各栏数据。"

    # Excel applies the actions: the new sheet reads as the blank template's project
    after = open_book(replay(example_payload, book.json()["actions"]))
    result = read_evaluation(XlwingsSource(after))
    blank_project = read_workbook(built["template"])[0].projects[0]
    assert result.evaluation.projects[0] == read_workbook(built["example"])[0].projects[0]
    assert result.evaluation.projects[1] == blank_project
    assert result.locator("projects[1].name") == (new, "C3")


# --------------------------------------------------------------------------- 导入数据


def _import_into(payload: dict, data_path: Path, open_book):
    payload = copy.deepcopy(payload)
    sheet, cell = BookMap.of(XlwingsSource(open_book(payload))).output("import.path")
    set_cell(payload, sheet, cell, str(data_path))
    book = open_book(payload)
    xlentry.import_data(book)
    return book, payload


def test_import_fills_the_blank_workbook(built, template_payload, open_book):
    book, payload = _import_into(template_payload, EXAMPLE_JSON, open_book)
    assert written_at(book, OVERALL, "C3")["values"] == [["衡山县科学技术协会"]]
    assert written_at(book, OVERALL, "B5")["values"][0][5] == "'100%"  # the printed rate stays text
    assert alerts(book)[-1]["prompt"].startswith("已从“hengshan-kexie-2023.json”导入数据")
    after = open_book(replay(payload, book.json()["actions"]))
    assert read_evaluation(XlwingsSource(after)).evaluation == read_workbook(built["example"])[0]


def test_import_adds_project_sheets(template_payload, open_book, tmp_path):
    data = _example_data()
    second = copy.deepcopy(data["projects"][0])
    second["name"] = "第二个项目"
    data["projects"].append(second)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book, payload = _import_into(template_payload, path, open_book)
    new = L.project_sheet_name(1)
    assert f"新增工作表：{new}" in alerts(book)[-1]["prompt"]
    after = open_book(replay(payload, book.json()["actions"]))
    expected = read_workbook(build_workbook(evaluation_from_dict(data), tmp_path / "two.xlsm"))[0]
    got = read_evaluation(XlwingsSource(after))
    assert got.evaluation == expected
    assert got.locator("projects[1].name") == (new, "C3")


def test_import_never_overwrites_without_an_answer(example_payload, open_book):
    book, _ = _import_into(example_payload, EXAMPLE_JSON, open_book)
    question, refusal = alerts(book)
    assert question["buttons"] == "yes_no" and "覆盖" in question["prompt"]
    assert refusal["mode"] == "critical" and "无法弹出确认框" in refusal["prompt"]
    assert not actions(book, "setValues", OVERALL)


def test_import_without_a_path_tells_where_to_type_it(template_payload, open_book):
    book = open_book(template_payload)
    xlentry.import_data(book)
    sheet, cell = BookMap.of(XlwingsSource(book)).output("import.path")
    (alert,) = alerts(book)
    assert sheet == L.GUIDE_SHEET and f"请在“{sheet}”表的 {cell} 单元格填写数据文件" in alert["prompt"]


def test_import_of_a_missing_file(template_payload, open_book, tmp_path):
    book, _ = _import_into(template_payload, tmp_path / "nothing.json", open_book)
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "找不到文件" in alert["prompt"]


def test_import_refuses_data_that_does_not_fit(template_payload, open_book, tmp_path):
    data = _example_data()
    data["duties"] = [f"职责{i}" for i in range(30)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book, _ = _import_into(template_payload, path, open_book)
    (alert,) = alerts(book)
    assert "有 30 行数据，表中只有 20 行" in alert["prompt"] and "插入 10 行" in alert["prompt"]
    assert not [a for a in actions(book, "setValues") if book.sheets[a["sheet_position"] + 1].name != L.GUIDE_SHEET]


# --------------------------------------------------------------------------- 环境自检


def test_self_test_writes_the_environment(template_payload, open_book):
    from perfxl.report.pdf import find_soffice

    book = open_book(template_payload)
    xlentry.self_test(book)
    sheet, cell = BookMap.of(XlwingsSource(book)).output("selftest.result")
    lines = [row[0] for row in written_at(book, sheet, cell)["values"]]
    assert lines[0].startswith("自检时间：")
    assert f"【正常】xlwings 版本：{L.XLWINGS_VERSION}" in lines
    assert any(line.startswith("【正常】Python 版本：3.") for line in lines)
    assert any(line.startswith("【正常】perfxl 版本") for line in lines)
    assert f"【正常】自定义函数模块：{L.UDF_MODULE}" in lines
    assert any(line.startswith("【正常】LibreOffice" if find_soffice() else "【异常】LibreOffice") for line in lines)
    assert alerts(book)[-1]["prompt"].startswith("环境自检：")


def test_self_test_reports_a_wrong_xlwings(template_payload, open_book, monkeypatch):
    book = open_book(template_payload)
    monkeypatch.setattr(xw, "__version__", "0.30.0")
    xlentry.self_test(book)
    sheet, cell = BookMap.of(XlwingsSource(book)).output("selftest.result")
    lines = [row[0] for row in written_at(book, sheet, cell)["values"]]
    assert any(line.startswith("【异常】xlwings 版本：0.30.0") and f"pip install xlwings=={L.XLWINGS_VERSION}" in line
               for line in lines)
    assert alerts(book)[-1]["mode"] == "critical"


# --------------------------------------------------------------------------- the helpers


def test_rectangles_cover_each_cell_once():
    fills = {(r, c): ("a" if c < 3 else "b") for r in range(1, 5) for c in range(5)}
    fills[(2, 1)] = "x"
    rects = rectangles(fills)
    covered = [(r, c) for r1, c1, r2, c2, _ in rects for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
    assert sorted(covered) == sorted(fills)
    assert all(fills[(r, c)] == f for r1, c1, r2, c2, f in rects for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    assert len(rects) == 6


# --------------------------------------------------------------------------- the profile rule (issue 7)


def test_a_workbook_cannot_name_a_profile_path(open_book, monkeypatch, tmp_path):
    """The 评分规则方案 cell of 基本情况 may only name a built-in profile: a path there is
    refused before any file is opened, by the buttons as by the command line."""
    custom = tmp_path / "custom.toml"
    custom.write_text('extends = "default"\nname = "custom"\ntitle = "SECRET-7f3a"\n', encoding="utf-8")
    data = dict(_example_data(), profile=str(custom))
    book_path = build_workbook(evaluation_from_dict(data), tmp_path / "named.xlsm")
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    for entry in ("check", "report"):
        book = open_book(payload_from(book_path))
        getattr(xlentry, entry)(book)
        (alert,) = alerts(book)
        assert alert["prompt"].startswith(L.action(entry).caption + "未完成：") and "不是内置方案" in alert["prompt"]
        assert "SECRET" not in alert["prompt"]
    assert not list(tmp_path.glob("*.docx"))


# --------------------------------------------------------------------------- perfxl broken (issue 8)


def test_log_names_agree():
    from perfxl import xlbook

    assert xlentry.LOG_NAME == xlbook.LOG_NAME


@pytest.mark.parametrize("entry", ["check", "self_test"])
def test_a_broken_dependency_is_told_in_chinese(template_payload, open_book, monkeypatch, tmp_path, entry):
    """perfxl.xlentry imports even when a module it needs cannot: each button then shows one
    Chinese message (what happened, what to do) and logs the traceback."""
    import importlib
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setitem(sys.modules, "perfxl.workbook.xlwrite", None)  # "import perfxl.workbook.xlwrite" fails
    monkeypatch.delitem(sys.modules, "perfxl.xlentry")
    broken = importlib.import_module("perfxl.xlentry")
    try:
        assert isinstance(broken._IMPORT_ERROR, ImportError)
        book = open_book(template_payload)
        getattr(broken, entry)(book)
        (alert,) = alerts(book)
        assert alert["mode"] == "critical"
        assert alert["prompt"].startswith("perfxl 无法运行：") and "install.cmd" in alert["prompt"]
        assert "perfxl doctor" in alert["prompt"] and "Traceback" not in alert["prompt"]
        log = (tmp_path / xlentry.LOG_NAME).read_text(encoding="utf-8")
        assert f"perfxl.xlentry.{entry}" in log and "Traceback" in log and "perfxl.workbook.xlwrite" in log
    finally:
        import perfxl

        sys.modules["perfxl.xlentry"] = xlentry
        perfxl.xlentry = xlentry  # the package attribute the re-import rebound


def test_broken_without_an_alert_writes_chinese_to_stderr(monkeypatch, tmp_path, capsys):
    """No book to alert: the message on stderr and exit code 1, which xlwings' RunPython shows."""
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(xlentry, "_IMPORT_ERROR", ModuleNotFoundError("No module named 'openpyxl'"))
    with pytest.raises(SystemExit) as exited:
        xlentry.check(object())  # a "book" without .app: the alert fails
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("perfxl 无法运行：") and "openpyxl" in err and "install.cmd" in err


def test_self_test_reads_the_conf_sheet(template_payload, open_book):
    book = open_book(template_payload)
    xlentry.self_test(book)
    sheet, cell = BookMap.of(XlwingsSource(book)).output("selftest.result")
    lines = [row[0] for row in written_at(book, sheet, cell)["values"]]
    assert any(line.startswith(f"【正常】工作簿的 {L.CONF_SHEET} 表：UDF Modules = {L.UDF_MODULE}") for line in lines), lines


def test_a_module_loaded_on_demand_is_missing(example_payload, open_book, monkeypatch, tmp_path):
    """A button that loads a module only when clicked (the report needs python-docx) and
    cannot: the same Chinese message naming install.cmd, not 内部错误."""
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setenv(xlentry.OUTPUT_DIR_ENV, str(tmp_path))
    monkeypatch.setitem(sys.modules, "perfxl.app.reports", None)
    monkeypatch.setitem(sys.modules, "perfxl.report.pdf", None)
    book = open_book(example_payload)
    xlentry.report(book)
    prompt = alerts(book)[-1]["prompt"]
    assert "未完成：perfxl 无法运行" in prompt and "install.cmd" in prompt and "内部错误" not in prompt
    assert "Traceback" in (tmp_path / xlentry.LOG_NAME).read_text(encoding="utf-8")

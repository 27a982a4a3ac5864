"""The per-row fields of provinces' indicator tables (issue 9) in the workbook: each has a cell
right of the form (L:S, outside the print area), ``perfxl fill`` then ``perfxl export`` gives
them back unchanged, and a workbook built before them reads them as blank."""

from __future__ import annotations

import copy
import json
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from perfxl.core import model, serde
from perfxl.workbook import layout as L
from perfxl.workbook.builder import build_workbook
from perfxl.workbook.convert import mark_value
from perfxl.workbook.reader import read_workbook

from ..cli_runner import run
from .conftest import COMMITTED_EXAMPLE, load_example
from .test_roundtrip import assert_identity

FIELDS = ("direction", "unit", "nature", "initial_target", "adjusted_target", "score_coefficient", "core", "standard")


def filled() -> model.Evaluation:
    """The example with every new field filled somewhere (and left blank elsewhere)."""
    ev = load_example()
    rows = ev.overall.indicators
    rows[0].direction, rows[0].unit, rows[0].nature = "反向", "次", "定量"
    rows[1].initial_target, rows[1].adjusted_target = "≥90%", "≥85%"
    rows[2].score_coefficient, rows[2].core = D("0.95"), True
    rows[3].standard = "每低于1个百分点扣1分；\n未达到60%不得分"
    rows[4].nature, rows[4].unit, rows[4].direction = "≤", "百分比", ""
    rows[5].core, rows[5].score_coefficient = True, D("1")
    rows[6].direction, rows[6].standard = "定性", "=1（不是公式）"
    project = ev.projects[0].indicators
    project[0].direction, project[0].unit, project[0].nature = "正向", "万元", "正向"
    project[1].initial_target, project[1].adjusted_target, project[1].score_coefficient = "12月底前", "11月底前", D("0.8")
    project[2].core, project[2].standard = True, "按时完成得满分，逾期不得分"
    return ev


def test_every_new_field_has_a_cell_right_of_the_form() -> None:
    layout = L.layout_for(filled())
    sheet = layout.sheet("overall")
    ind = sheet.region("indicators")
    cols = {attr: ind.column(attr).col for attr in FIELDS}
    assert cols == dict(zip(FIELDS, "LMNOPQRS", strict=True))
    assert sheet.print_area.startswith("A1:I")  # the official form's columns do not move
    assert {c.col for c in ind.columns if c.attr in ("target", "actual", "deviation")} == {"E", "F", "I"}
    for attr in FIELDS:
        assert layout.locate(f"overall.indicators[3].{attr}") == (L.OVERALL_SHEET, f"{cols[attr]}{ind.first_row + 3}")


@pytest.mark.parametrize("engine", ["openpyxl", "auto"])
def test_build_then_read_gives_every_field_back(tmp_path: Path, engine: str) -> None:
    ev = filled()
    path = build_workbook(ev, tmp_path / "fields.xlsm")
    read, findings, _ = read_workbook(path, engine=engine)  # type: ignore[arg-type]
    assert_identity(ev, read)
    assert findings == []
    book = openpyxl.load_workbook(path)
    ws = book[L.OVERALL_SHEET]
    first = L.LAYOUT.sheet("overall").region("indicators").first_row
    assert ws[f"R{first + 2}"].value == "是" and ws[f"R{first + 3}"].value is None  # a mark: 是 or empty
    assert ws[f"L{first - 1}"].value == "指标方向" and ws[f"S{first - 1}"].value == "评分标准"


def test_fill_then_export_is_the_identity(tmp_path: Path) -> None:
    ev = filled()
    data = tmp_path / "in.json"
    data.write_text(json.dumps(serde.evaluation_to_dict(ev), ensure_ascii=False, indent=2), encoding="utf-8")
    book, back = tmp_path / "book.xlsm", tmp_path / "out.json"
    assert run("fill", str(data), "-o", str(book)).returncode == 0
    assert run("export", str(book), "-o", str(back)).returncode == 0
    exported = serde.evaluation_from_dict(json.loads(back.read_text(encoding="utf-8")))
    assert_identity(ev, exported)
    row = serde.evaluation_to_dict(exported)["overall"]["indicators"][2]
    assert row["core"] is True and row["score_coefficient"] == "0.95"


def test_the_example_reads_the_new_fields_blank() -> None:
    evaluation, findings, _ = read_workbook(COMMITTED_EXAMPLE)
    assert findings == []
    assert all(getattr(row, attr) in ("", None, False) for row in evaluation.overall.indicators for attr in FIELDS)


def test_an_older_workbook_without_the_headers_has_no_layout_finding(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(COMMITTED_EXAMPLE, keep_vba=True)
    ws = book[L.OVERALL_SHEET]
    head = L.LAYOUT.sheet("overall").region("indicators").first_row - 1
    for col in "LMNOPQRS":
        ws[f"{col}{head}"].value = None
    path = tmp_path / "older.xlsm"
    book.save(path)
    evaluation, findings, _ = read_workbook(path, engine="openpyxl")
    assert [f.code for f in findings] == []
    assert evaluation == read_workbook(COMMITTED_EXAMPLE)[0]


@pytest.mark.parametrize(("value", "mark"), [
    (None, False), ("", False), ("  ", False), ("否", False), ("无", False), ("×", False), (0, False), (False, False),
    ("非核心", False), ("非核心指标", False), ("不是核心指标", False), ("一般", False),
    ("是", True), ("√", True), ("★", True), ("核心", True), ("核心指标", True), (True, True), (1, True), (1.0, True),
])
def test_mark_cells(value: object, mark: bool) -> None:
    assert mark_value(value) is mark


def test_a_typed_mark_reads_as_set(tmp_path: Path) -> None:
    ev = copy.deepcopy(filled())
    path = build_workbook(ev, tmp_path / "mark.xlsm")
    book = openpyxl.load_workbook(path, keep_vba=True)
    first = L.LAYOUT.sheet("overall").region("indicators").first_row
    book[L.OVERALL_SHEET][f"R{first}"].value = "★"
    book.save(path)
    read, _, _ = read_workbook(path, engine="openpyxl")
    assert read.overall.indicators[0].core is True


CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.mark.parametrize("stem", ["chongqing-kexuecheng-rongmeiti-2021", "sichuan-qingshen-fagai-2023-gongzi"])
def test_corpus_tables_with_these_columns_round_trip(tmp_path: Path, stem: str) -> None:
    data = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))
    data.pop("_source")
    ev = serde.evaluation_from_dict(data)
    path = build_workbook(ev, tmp_path / f"{stem}.xlsm")
    read, _findings, _ = read_workbook(path)
    assert_identity(ev, read)

"""`fill` then `export` is the identity, or `fill` refuses naming the field (issue 12 item 3).

Each case goes data (JSON) → ``serde`` → ``build_workbook`` → ``read_workbook`` with both
readers (calamine, which hands texts with escapes to openpyxl, and openpyxl alone) and
compares the models (``assert_identity``: Decimals compare as numbers, 5.40 = 5.4).
The property test draws texts with CR/LF/tabs/control characters, a leading
=/+/-/@, literal ``_x000D_``/``_x005F_`` and "<r>" markup, blank vs missing amounts,
Decimals of 0–4 places and years of any size.
"""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfxl.core import serde
from perfxl.workbook import xltext
from perfxl.workbook.builder import BuildError, build_workbook
from perfxl.workbook.reader import read_workbook

from .conftest import EXAMPLE_JSON
from .workbook.test_roundtrip import assert_identity

ENGINES = ("calamine", "openpyxl")
EXAMPLE = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))

TRICKY = ["a\rb", "\r\n", "line1\nline2", "\ttab", "x\x01y\x1fz", "\x00", "\ufffe\uffff",
          "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "=1+1", "_x000D_", "a_x000d_b",
          "_x005F_x000D_", "_x005F_", "x005F_", "_x000D\r", "<r><t>x</t></r>", "<r>&</r>", "&<>\"'",
          "  leading and trailing  ", "中文：衡山县科学技术协会", "_X000D_", "_x12345_", "\u2028\u202e"]


def _fill_export(data: dict, tmp: Path, engine: str, *, macros: bool = False):
    evaluation = serde.evaluation_from_dict(copy.deepcopy(data))
    out = build_workbook(evaluation, tmp / ("x.xlsm" if macros else "x.xlsx"), macros=macros)
    read, _findings, _locator = read_workbook(out, engine)  # type: ignore[arg-type]
    return evaluation, read


def _with(**changes) -> dict:
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        record = data
        *parents, last = path.split("__")
        for part in parents:
            record = record[int(part)] if part.isdigit() else record[part]
        record[int(last) if last.isdigit() else last] = value
    return data


# --------------------------------------------------------------------------- the text codec


@pytest.mark.parametrize("text", TRICKY)
def test_encode_decode_exact(text):
    raw = xltext.encode(text)
    assert xltext.decode(raw) == text
    # openpyxl deletes "x005F_" from shared strings: the encoding never holds it
    assert "x005F_" not in raw
    assert not any(ch in raw for ch in "\r\x00\x01\ufffe")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("_x005Ff0D1aA\r\x01\n\ufffe中"))))
def test_encode_decode_property(text):
    raw = xltext.encode(text)
    assert xltext.decode(raw) == text
    assert xltext.decode(raw.replace("x005F_", "")) == text  # what openpyxl does to it


# --------------------------------------------------------------------------- named cases


@pytest.mark.parametrize("macros", [False, True])
@pytest.mark.parametrize("engine", ENGINES)
def test_tricky_texts_round_trip(engine, macros, tmp_path):
    data = _with(department=TRICKY[0], staffing__basis="".join(TRICKY),
                 overall__goal_expected="=cmd|' /C calc'!A0", overall__goal_actual="_x000D_",
                 narrative__other="\r".join(TRICKY), duties=TRICKY)
    original, read = _fill_export(data, tmp_path, engine, macros=macros)  # the .xlsm: through pyopenvba too
    assert_identity(original, read)
    assert read.staffing.basis == "".join(TRICKY)
    assert read.overall.goal_actual == "_x000D_"
    assert read.duties == TRICKY


def test_leading_equals_is_a_string_not_a_formula(tmp_path):
    data = _with(overall__goal_expected="=1+1", department="@SUM(A1)")
    evaluation = serde.evaluation_from_dict(data)
    out = build_workbook(evaluation, tmp_path / "x.xlsx", macros=False)
    with zipfile.ZipFile(out) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        strings = z.read("xl/sharedStrings.xml").decode()
    assert b"<f>1+1</f>" not in sheets and b"SUM(A1)</f>" not in sheets
    assert "<t>=1+1</t>" in strings


@pytest.mark.parametrize("engine", ENGINES)
def test_blank_amount_is_one_value(engine, tmp_path):
    data = _with(staffing__authorized="", staffing__actual="   ", staffing__retired=None)
    original, read = _fill_export(data, tmp_path, engine)
    assert original.staffing.authorized is None and original.staffing.actual is None
    assert_identity(original, read)
    assert serde.evaluation_to_dict(read)["staffing"]["authorized"] is None


@pytest.mark.parametrize("engine", ENGINES)
def test_blank_printed_rate(engine, tmp_path):
    data = copy.deepcopy(EXAMPLE)
    data["overall"]["funds"][0]["printed_rate"] = ""
    original, read = _fill_export(data, tmp_path, engine)
    assert original.overall.funds[0].printed_rate is None
    assert_identity(original, read)


@pytest.mark.parametrize("year", [10**20, 10**400, -(10**17)])
def test_huge_year_is_refused_not_zero(year, tmp_path):
    data = _with(year=year)
    with pytest.raises(BuildError, match="year") as info:
        build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)
    assert "Excel" in str(info.value)
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_large_exact_year_round_trips(engine, tmp_path):
    original, read = _fill_export(_with(year=999999999999999), tmp_path, engine)
    assert read.year == 999999999999999
    assert_identity(original, read)


@pytest.mark.parametrize("number", ["1234567890123.4567", 1e308, 1e-320, "0.1234567890123456", 12345678901234567890])
def test_inexact_number_is_refused(number, tmp_path):
    """Refused by ``serde`` (beyond what it reads as a number) or by ``fill``, naming the field."""
    data = _with(overall__general_budget=number)
    with pytest.raises((BuildError, serde.DataError), match=r"overall\.general_budget"):
        build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)


def test_text_over_excel_limit_is_refused(tmp_path):
    data = _with(narrative__other="字" * 32768)
    with pytest.raises(BuildError, match=r"narrative\.other.*32768.*32767"):
        build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_text_at_excel_limit_round_trips(engine, tmp_path):
    original, read = _fill_export(_with(narrative__other="字" * 32767), tmp_path, engine)
    assert read.narrative.other == original.narrative.other


def test_huge_name_is_refused_with_a_message(tmp_path):
    """A 50 MB department name: refused before any workbook is written."""
    data = _with(department="名" * (50 * 1024 * 1024 // 3))
    with pytest.raises(BuildError, match=r"department.*超过 Excel 单元格上限"):
        build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)
    assert list(tmp_path.iterdir()) == []


def test_lone_surrogate_is_refused(tmp_path):
    data = _with(department="a\ud800b")
    with pytest.raises(BuildError, match="department"):
        build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)


def test_document_subject_is_sane(tmp_path):
    data = _with(department="部门\x1b[2J\x07" + "长" * 400)
    out = build_workbook(serde.evaluation_from_dict(data), tmp_path / "x.xlsx", macros=False)
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode()
    subject = core.split("<dc:subject>")[1].split("</dc:subject>")[0]
    assert subject.startswith("部门[2J") and len(subject) == 255 and "_x001B_" not in subject


# --------------------------------------------------------------------------- the property

_CHARS = st.sampled_from(list("ab 中文\r\n\t\x01\x0b\x1f\x00_x05FD=+-@<>&\ufffe"))
_TEXT = st.one_of(
    st.text(_CHARS, max_size=12),
    st.builds(lambda head, tail: head + tail,
              st.sampled_from(["=", "+", "-", "@", "_x000D_", "_x005F_", "<r>", "'", " "]), st.text(_CHARS, max_size=6)),
)
_NUMBER = st.integers(0, 4).flatmap(
    lambda places: st.decimals(min_value=-(10**13), max_value=10**13, places=places, allow_nan=False, allow_infinity=False))
_AMOUNT = st.one_of(st.none(), st.just(""), st.just("  "), st.just("——"), _NUMBER.map(lambda d: f"{d:f}"), _NUMBER.map(float))
_FIELDS = {
    "department": _TEXT, "staffing__basis": _TEXT, "narrative__other": _TEXT, "overall__goal_actual": _TEXT,
    "overall__indicators__0__target": _TEXT, "overall__funds__0__printed_rate": st.one_of(st.none(), _TEXT),
    "staffing__authorized": _AMOUNT, "overall__general_budget": _AMOUNT, "overall__funds__0__actual": _AMOUNT,
    "year": st.one_of(st.integers(1900, 2100), st.integers(-(10**20), 10**20)),
    # blank items too: every reader ends a list at its last filled item (core/cells.trimmed)
    "duties": st.lists(st.one_of(_TEXT, st.just("")), max_size=4),
}


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.fixed_dictionaries({}, optional=_FIELDS))
def test_fill_export_identity_property(engine, changes, tmp_path):
    data = _with(**changes)
    try:
        original, read = _fill_export(data, tmp_path, engine)
    except BuildError as exc:  # refused before writing, naming a field drawn here
        assert any(path.replace("__", ".").split(".")[0] in str(exc) for path in changes), exc
        return
    assert_identity(original, read)


def test_converter_decodes_file_text_only():
    """A file's raw text is decoded; a live workbook's text (xlwings, ``escaped=False``) is not."""
    from types import SimpleNamespace

    from perfxl.workbook.convert import convert
    from perfxl.workbook.decl import Kind

    for kind in (Kind.TEXT, Kind.OPT_TEXT):
        assert convert(kind, "a_x000D_b_x005F_x000D_", SimpleNamespace(escaped=True), "", "", "") == "a\rb_x000D_"
        assert convert(kind, "_x000D_", SimpleNamespace(escaped=False), "", "", "") == "_x000D_"

"""The Excel UDFs: what Excel passes in, what the cell shows; they never raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfxl import udfs
from perfxl.udfs import (
    PERF_BUDGETSCORE,
    PERF_CHANGERATE,
    PERF_CONTROLRATE,
    PERF_EXECRATE,
    PERF_GRADE,
    PERF_SCORE,
    UDF_NAMES,
)

DASH = "—"


def test_udf_names_are_the_module_functions() -> None:
    assert UDF_NAMES == (
        "PERF_EXECRATE", "PERF_CONTROLRATE", "PERF_CHANGERATE", "PERF_BUDGETSCORE", "PERF_SCORE", "PERF_GRADE",
    )
    for name in UDF_NAMES:
        func = getattr(udfs, name)
        assert callable(func)
        assert func.__doc__ and len(func.__doc__) <= 255  # Excel keeps 255 characters
        assert not func.__annotations__  # xlwings would turn annotations into converters


# --------------------------------------------------------------------------- rates

@pytest.mark.parametrize(
    ("actual", "budget", "expected"),
    [
        (132.61, 133.09, 132.61 / 133.09),
        ("132.61", "133.09", 132.61 / 133.09),
        (42.73, 43.27, 42.73 / 43.27),
        (5, 10, 0.5),
        (5.0, 10, 0.5),
        ("1,000", "2,000", 0.5),
        ("５", "１０", 0.5),
    ],
)
def test_execrate_numbers(actual: object, budget: object, expected: float) -> None:
    result = PERF_EXECRATE(actual, budget)
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("budget", [0, 0.0, "0", None, "", "  ", "——", "无"])
def test_execrate_dash_on_zero_or_empty_denominator(budget: object) -> None:
    assert PERF_EXECRATE(10, budget) == DASH


def test_execrate_dash_on_empty_numerator() -> None:
    assert PERF_EXECRATE(None, 10) == DASH
    assert PERF_EXECRATE("", 10) == DASH


def test_execrate_unreadable() -> None:
    assert PERF_EXECRATE("abc", 10) == "#无法识别: abc"
    assert PERF_EXECRATE(10, "12o") == "#无法识别: 12o"
    assert PERF_EXECRATE(True, 10).startswith("#无法识别")


def test_controlrate_and_changerate() -> None:
    assert PERF_CONTROLRATE(6, 8) == 0.75
    assert PERF_CONTROLRATE(6, 0) == DASH
    assert PERF_CONTROLRATE("x", 8) == "#无法识别: x"
    assert PERF_CHANGERATE(0.44, 0.14) == pytest.approx((0.44 - 0.14) / 0.14)
    assert PERF_CHANGERATE(1, 0) == DASH
    assert PERF_CHANGERATE(1, None) == DASH
    assert PERF_CHANGERATE("", 1) == DASH


# --------------------------------------------------------------------------- scores

def test_budgetscore() -> None:
    assert PERF_BUDGETSCORE(132.61, 133.09, 10) == 9.96
    assert PERF_BUDGETSCORE("42.73", "43.27", "10") == 9.88
    assert PERF_BUDGETSCORE(42.73, 43.27, 10, "strict") == 9.88
    assert PERF_BUDGETSCORE(120, 100, 10) == 10.0
    assert PERF_BUDGETSCORE(1, 0, 10) == DASH
    assert PERF_BUDGETSCORE(1, 2, None) == DASH
    assert PERF_BUDGETSCORE(1, 2, "十") == "#无法识别: 十"
    assert PERF_BUDGETSCORE(1, 2, 10, "nope") == "#方案错误: nope"
    assert PERF_BUDGETSCORE(1, 2, 10, None) == 5.0
    assert PERF_BUDGETSCORE(1, 2, 10, "") == 5.0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("6次", "8次", 13), 13.0),
        (("≥5", 20, 13), 13.0),
        (("≥5", 20.0, 13.0), 13.0),
        (("≥5", "20", "13"), 13.0),
        (("≥90%", "≥90%", 12), 12.0),
        (("≥90%", 0.85, 12), 11.33),  # a percent cell arrives as 0.85
        (("≤4", 6, 8), 4.0),
        (("≤4", 8, 8, None, "strict"), 4.0),
        (("≥5", 20, 13, None, "strict"), 11.0),
        (("=0", 0, 5), 5.0),
        (("2023年12月底前", "2023年11月", 5), 5.0),
        (("按年初预算执行", "100%", 12, "达成"), 12.0),
        (("按年初预算执行", "100%", 12, "部分达成"), 8.4),
        (("按年初预算执行", "100%", 12, ""), "#需选择档次"),
        (("按年初预算执行", "100%", 12), "#需选择档次"),
        (("无", "无", 8), DASH),
        (("无", "120万次", 7), DASH),
        (("≥90%", None, 12), DASH),
        (("≥90%", "", 12), DASH),
        ((None, None, None), DASH),
        (("≥90%", "90%", None), DASH),
        (("≥abc", "90%", 12), "#无法识别: ≥abc"),
        (("≥90%", "9o%", 12), "#无法识别: 9o%"),
        (("≥90%", "90%", "x"), "#无法识别: x"),
        (("按年初预算执行", "100%", 12, "很好"), "#无法识别: 很好"),
        (("≥90%", "90%", 12, None, "nope"), "#方案错误: nope"),
    ],
)
def test_score(args: tuple, expected: object) -> None:
    result = PERF_SCORE(*args)
    assert result == expected
    if isinstance(expected, float):
        assert isinstance(result, float)


def test_unreadable_text_is_shortened() -> None:
    result = PERF_SCORE("≥" + "x" * 100, "1", 1)
    assert isinstance(result, str) and result.startswith("#无法识别") and len(result) < 40


@pytest.mark.parametrize(
    ("total", "profile", "expected"),
    [
        (91, "default", "优"),
        (90.0, "default", "优"),
        (89.99, "default", "良"),
        (89.5, None, "良"),
        ("80", "default", "良"),
        (79.99, "default", "中"),
        (60, "default", "中"),
        (59.99, "default", "差"),
        (80, "strict", "优"),
        (70, "strict", "良"),
        (None, "default", DASH),
        ("", "default", DASH),
        ("九十", "default", "#无法识别: 九十"),
        (90, "nope", "#方案错误: nope"),
    ],
)
def test_grade(total: object, profile: object, expected: str) -> None:
    assert PERF_GRADE(total, profile) == expected


def test_grade_default_profile_argument() -> None:
    assert PERF_GRADE(85) == "良"


EXCEL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=15),
    st.sampled_from(["", "—", "无", "≥90%", "8次", "达成", "strict", "default", "0"]),
)


@settings(max_examples=200)
@given(a=EXCEL_VALUES, b=EXCEL_VALUES, c=EXCEL_VALUES, d=EXCEL_VALUES, e=EXCEL_VALUES)
def test_never_raises(a: object, b: object, c: object, d: object, e: object) -> None:
    for result in (
        PERF_EXECRATE(a, b),
        PERF_CONTROLRATE(a, b),
        PERF_CHANGERATE(a, b),
        PERF_BUDGETSCORE(a, b, c, d),
        PERF_SCORE(a, b, c, d, e),
        PERF_GRADE(a, b),
    ):
        assert isinstance(result, (float, str))


# --------------------------------------------------------------------------- review fixes

def test_negative_weight_or_denominator_is_a_dash() -> None:
    assert PERF_BUDGETSCORE(5, 10, -10) == DASH
    assert PERF_EXECRATE(5, -10) == DASH
    assert PERF_CONTROLRATE(6, -8) == DASH
    assert PERF_CHANGERATE(1, -2) == DASH


def test_rate_beyond_a_double_is_not_inf() -> None:
    for args in ((1e308, 1e-308), (1e14, 1e-300)):
        result = PERF_EXECRATE(*args)
        assert isinstance(result, str) and result.startswith("#"), result


@pytest.mark.parametrize(("total", "expected"), [(150, "#超出范围: 150"), (-5, "#超出范围: -5"),
                                                 (100.5, "#超出范围: 100.5"), (100, "优"), (0, "差")])
def test_grade_outside_0_to_100(total: object, expected: str) -> None:
    assert PERF_GRADE(total) == expected


def test_catch_all_is_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(udfs.rules, "grade", broken)
    assert PERF_GRADE(85) == "#计算出错"


def test_score_new_readings() -> None:
    assert PERF_SCORE("3个工作日内", "5个工作日", 10) == 3.33
    assert PERF_SCORE("2023.12前", "2024.1", 10) == 0.0
    assert PERF_SCORE("=5", "10", 10, None, "strict") == 8.0
    assert PERF_SCORE("达到预期", "基本达到", 10, "部分达成", None, 7.995) == 7.99


def test_unreadable_self_score_is_shown() -> None:
    # "8分" used to be dropped silently, leaving "#需选择档次"
    assert PERF_SCORE("达到预期", "基本达到", 10, None, None, "8分") == "#无法识别: 8分"
    assert PERF_SCORE("达到预期", "基本达到", 10, None, None, "—") == "#需选择档次"
    assert PERF_SCORE("达到预期", "基本达到", 10, None, None, "8") == 8.0


@settings(max_examples=200)
@given(a=st.floats(allow_nan=True, allow_infinity=True), b=st.floats(allow_nan=True, allow_infinity=True))
def test_rates_never_return_a_non_finite_number(a: float, b: float) -> None:
    import math

    for result in (PERF_EXECRATE(a, b), PERF_CONTROLRATE(a, b), PERF_CHANGERATE(a, b)):
        assert isinstance(result, str) or math.isfinite(result)



def test_perf_score_reads_a_yearless_deadline_in_the_evaluation_year():
    # "12月底前" against "2024年1月": on time by month alone, late in evaluation year 2023
    assert PERF_SCORE("12月底前", "2024年1月", 10) == 10.0
    assert PERF_SCORE("12月底前", "2024年1月", 10, None, "default", None, 2023) == 0.0
    assert PERF_SCORE("12月底前", "2023年11月", 10, None, "default", None, 2023.0) == 10.0
    assert PERF_SCORE("12月底前", "2023年11月", 10, None, "default", None, "二〇二三").startswith("#无法识别")


def test_a_formula_cannot_name_a_profile_file(tmp_path) -> None:
    """A cell formula is part of a department's workbook: it may name only a built-in
    profile (issue 7), so a valid custom .toml that would make 35 分 优 is refused."""
    custom = tmp_path / "custom.toml"
    custom.write_text('extends = "default"\nname = "custom"\n[grades]\nexcellent = 30\ngood = 20\npassing = 10\n',
                      encoding="utf-8")
    assert PERF_GRADE(35, str(custom)).startswith("#方案错误")
    assert PERF_BUDGETSCORE(1, 2, 10, str(custom)).startswith("#方案错误")
    assert PERF_GRADE(35, "strict") == "差" and PERF_GRADE(35, "") == "差"


def test_catch_all_logs_the_traceback_once(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The cell says #计算出错; the traceback is in the buttons' log, once per kind of failure."""
    import tempfile

    from perfxl import xlentry

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(udfs, "_logged", set())

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom-7c1")

    monkeypatch.setattr(udfs.rules, "grade", broken)
    assert PERF_GRADE(85) == "#计算出错"
    assert PERF_GRADE(70) == "#计算出错"
    log = (tmp_path / xlentry.LOG_NAME).read_text(encoding="utf-8")
    assert log.count("KeyError: 'boom-7c1'") == 1 and "Traceback" in log and "perfxl.udfs" in log
    assert udfs.LOG_NAME == xlentry.LOG_NAME

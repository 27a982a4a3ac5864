"""Reading 年度指标值 / 实际完成值 cells: real strings from published self-evaluation tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.core.values import ParsedValue, ValueKind, parse_value, parse_value_cached

N, DT, T, NA, E, X = (
    ValueKind.NUMBER,
    ValueKind.DATE,
    ValueKind.TEXT,
    ValueKind.NOT_APPLICABLE,
    ValueKind.EMPTY,
    ValueKind.INVALID,
)

# raw, kind, op, number, unit, date
CASES: list[tuple[object, ValueKind, str | None, str | None, str, tuple | None]] = [
    # operators: symbols, full-width forms, spaces
    ("≥90%", N, ">=", "90", "%", None),
    ("≥ 90 %", N, ">=", "90", "%", None),
    (">=90%", N, ">=", "90", "%", None),
    ("≧90％", N, ">=", "90", "%", None),
    ("＞＝90%", N, ">=", "90", "%", None),
    ("＞90%", N, ">", "90", "%", None),
    ("≥95％", N, ">=", "95", "%", None),
    ("≥80%", N, ">=", "80", "%", None),
    ("≤4", N, "<=", "4", "", None),
    ("<=5", N, "<=", "5", "", None),
    ("＜3", N, "<", "3", "", None),
    ("<3", N, "<", "3", "", None),
    ("=0", N, "=", "0", "", None),
    ("＝100%", N, "=", "100", "%", None),
    ("≥5", N, ">=", "5", "", None),
    ("≥5次", N, ">=", "5", "次", None),
    ("≥ 5 次", N, ">=", "5", "次", None),
    ("≤100万元", N, "<=", "100", "万元", None),
    ("≤2个工作日", N, "<=", "2", "个工作日", None),
    # operator words before / after the number
    ("不低于90%", N, ">=", "90", "%", None),
    ("不少于5次", N, ">=", "5", "次", None),
    ("不小于3个", N, ">=", "3", "个", None),
    ("至少2场", N, ">=", "2", "场", None),
    ("大于等于85%", N, ">=", "85", "%", None),
    ("不高于100万元", N, "<=", "100", "万元", None),
    ("不超过5%", N, "<=", "5", "%", None),
    ("控制在5%以内", N, "<=", "5", "%", None),
    ("低于3%", N, "<", "3", "%", None),
    ("高于80%", N, ">", "80", "%", None),
    ("达到90%以上", N, ">=", "90", "%", None),
    ("90%以上", N, ">=", "90", "%", None),
    ("95%及以上", N, ">=", "95", "%", None),
    ("5%以下", N, "<=", "5", "%", None),
    ("3天以内", N, "<=", "3", "天", None),
    # the bare suffix 内 is "≤" like 以内 / 之内 (the unit stays without it)
    ("3个工作日内", N, "<=", "3", "个工作日", None),
    ("5天内", N, "<=", "5", "天", None),
    ("30分钟内", N, "<=", "30", "分钟", None),
    ("10日内", N, "<=", "10", "日", None),
    ("6个月内", N, "<=", "6", "个月", None),
    ("3年内", N, "<=", "3", "年", None),
    ("5个工作日以内", N, "<=", "5", "个工作日", None),
    ("合格率≥90%", N, ">=", "90", "%", None),
    # plain numbers and units
    ("６次", N, None, "6", "次", None),
    ("8次", N, None, "8", "次", None),
    ("6次", N, None, "6", "次", None),
    ("20", N, None, "20", "", None),
    ("100%", N, None, "100", "%", None),
    ("99.64%", N, None, "99.64", "%", None),
    ("1,234.5", N, None, "1234.5", "", None),
    ("１，２３４．５", N, None, "1234.5", "", None),
    ("0", N, None, "0", "", None),
    ("-3", N, None, "-3", "", None),
    ("−3", N, None, "-3", "", None),
    ("120万次", N, None, "120", "万次", None),
    ("120万余次", N, None, "120", "万次", None),
    ("120余万次", N, None, "120", "万次", None),
    ("约5次", N, None, "5", "次", None),
    ("5次左右", N, None, "5", "次", None),
    ("1200人次", N, None, "1200", "人次", None),
    ("3.5亿元", N, None, "3.5", "亿元", None),
    ("10个", N, None, "10", "个", None),
    ("3年", N, None, "3", "年", None),
    ("12个月", N, None, "12", "个月", None),
    ("100%完成", N, None, "100", "%", None),
    ("15篇", N, None, "15", "篇", None),
    ("0.5‰", N, None, "0.5", "‰", None),
    # numbers as Excel passes them
    (0.9, N, None, "0.9", "", None),
    (8, N, None, "8", "", None),
    (13.0, N, None, "13", "", None),
    (Decimal("42.73"), N, None, "42.73", "", None),
    # dates and periods
    ("2023年", DT, None, None, "", (2023, None, None)),
    ("2023年度", DT, None, None, "", (2023, None, None)),
    ("2023 年", DT, None, None, "", (2023, None, None)),
    ("2023年12月底前", DT, "<=", None, "", (2023, 12, None)),
    ("2023年12月31日前", DT, "<=", None, "", (2023, 12, 31)),
    ("2023年12月31日", DT, None, None, "", (2023, 12, 31)),
    ("2023年12月", DT, None, None, "", (2023, 12, None)),
    ("2023年底前", DT, "<=", None, "", (2023, 12, None)),
    ("2023年内", DT, "<=", None, "", (2023, None, None)),
    ("2023年上半年", DT, None, None, "", (2023, 6, None)),
    ("2023年第三季度", DT, None, None, "", (2023, 9, None)),
    ("9月前", DT, "<=", None, "", (None, 9, None)),
    ("9月底前", DT, "<=", None, "", (None, 9, None)),
    ("7月", DT, None, None, "", (None, 7, None)),
    ("12月底", DT, None, None, "", (None, 12, None)),
    ("11月30日前", DT, "<=", None, "", (None, 11, 30)),
    ("6月以后", DT, ">=", None, "", (None, 6, None)),
    ("于2023年12月底前完成", DT, "<=", None, "", (2023, 12, None)),
    ("2023-12-31", DT, None, None, "", (2023, 12, 31)),
    ("2023/6", DT, None, None, "", (2023, 6, None)),
    # 年内 / 月内 on dates stay dates with "≤"
    ("2023年12月内", DT, "<=", None, "", (2023, 12, None)),
    ("12月内", DT, "<=", None, "", (None, 12, None)),
    # dotted (and dashed / slashed) year.month: dates when the year is 1900–2199 and the month 1–12
    ("2023.12前", DT, "<=", None, "", (2023, 12, None)),
    ("2023.12", DT, None, None, "", (2023, 12, None)),
    ("2024.1", DT, None, None, "", (2024, 1, None)),
    ("2023.12.31前", DT, "<=", None, "", (2023, 12, 31)),
    ("2023.12底前", DT, "<=", None, "", (2023, 12, None)),
    ("2023.6以后", DT, ">=", None, "", (2023, 6, None)),
    ("截至2023.12", DT, None, None, "", (2023, 12, None)),
    ("2023-12", DT, None, None, "", (2023, 12, None)),
    ("2023/12", DT, None, None, "", (2023, 12, None)),
    ("2023-12前", DT, "<=", None, "", (2023, 12, None)),
    ("3.5", N, None, "3.5", "", None),
    ("99.64", N, None, "99.64", "", None),
    ("2023.13", N, None, "2023.13", "", None),  # no month 13: a number
    ("1800.5", N, None, "1800.5", "", None),  # not a plausible year: a number
    ("2023.13前", X, None, None, "", None),
    ("2023-13", X, None, None, "", None),
    # qualitative text
    ("按年初预算执行", T, None, None, "", None),
    ("提高基层群众科普知识", T, None, None, "", None),
    ("达到预期", T, None, None, "", None),
    ("全员科普", T, None, None, "", None),
    ("有效提升", T, None, None, "", None),
    ("按时完成", T, None, None, "", None),
    ("开展3次培训", T, None, None, "", None),
    ("2023年全面完成建设任务", T, None, None, "", None),
    ("年底前", T, None, None, "", None),
    ("国内", T, None, None, "", None),
    ("县内", T, None, None, "", None),
    ("覆盖全县内", T, None, None, "", None),
    # does not apply
    ("无", NA, None, None, "", None),
    (" 无 ", NA, None, None, "", None),
    ("——", NA, None, None, "", None),
    ("—", NA, None, None, "", None),
    ("－－", NA, None, None, "", None),
    ("-", NA, None, None, "", None),
    ("/", NA, None, None, "", None),
    ("／", NA, None, None, "", None),
    ("不适用", NA, None, None, "", None),
    ("N/A", NA, None, None, "", None),
    # empty
    ("", E, None, None, "", None),
    ("  ", E, None, None, "", None),
    ("\u3000", E, None, None, "", None),
    (None, E, None, None, "", None),
    # wanted to be a number or a date, cannot be read
    ("≥abc", X, None, None, "", None),
    ("9o%", X, None, None, "", None),
    ("≥", X, None, None, "", None),
    ("≤", X, None, None, "", None),
    ("abc", X, None, None, "", None),
    ("#DIV/0!", X, None, None, "", None),
    ("#N/A", X, None, None, "", None),
    ("1,2,3", X, None, None, "", None),
    ("13月", X, None, None, "", None),
    ("2月35日", X, None, None, "", None),
    ("不低于abc", X, None, None, "", None),
    ("9o次", X, None, None, "", None),
    (True, X, None, None, "", None),
    (float("nan"), X, None, None, "", None),
]


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 70


@pytest.mark.parametrize(("raw", "kind", "op", "number", "unit", "date"), CASES, ids=[repr(c[0]) for c in CASES])
def test_parse(raw: object, kind: ValueKind, op: str | None, number: str | None, unit: str, date: tuple | None) -> None:
    parsed = parse_value(raw)
    assert parsed.kind is kind, parsed
    assert parsed.op == op, parsed
    assert parsed.number == (Decimal(number) if number is not None else None), parsed
    assert parsed.unit == unit, parsed
    assert parsed.date == date, parsed
    if kind is ValueKind.TEXT:
        assert parsed.text
    else:
        assert parsed.text is None
    if kind is ValueKind.NUMBER:
        assert isinstance(parsed.number, Decimal) and isinstance(parsed.magnitude, Decimal)


@pytest.mark.parametrize(
    ("raw", "magnitude", "base_unit"),
    [
        ("120万次", "1200000", "次"),
        ("120万余次", "1200000", "次"),
        ("≤100万元", "1000000", "元"),
        ("3.5亿元", "350000000", "元"),
        ("5千米", "5000", "米"),
        ("90%", "90", "%"),  # a percentage keeps its written number
        ("8次", "8", "次"),
    ],
)
def test_magnitude(raw: str, magnitude: str, base_unit: str) -> None:
    parsed = parse_value(raw)
    assert parsed.magnitude == Decimal(magnitude)
    assert parsed.base_unit == base_unit


def test_text_keeps_content_without_spaces() -> None:
    assert parse_value(" 按年初 预算执行 ").text == "按年初预算执行"


def test_float_keeps_typed_decimal() -> None:
    assert parse_value(0.1).number == Decimal("0.1")
    assert parse_value(132.61).number == Decimal("132.61")


def test_other_objects_are_read_as_text() -> None:
    class Odd:
        def __str__(self) -> str:
            return "≥90%"

    assert parse_value(Odd()).op == ">="


def test_cached_returns_equal_values_and_separates_types() -> None:
    assert parse_value_cached("≥90%") == parse_value("≥90%")
    assert parse_value_cached("≥90%") is parse_value_cached("≥90%")
    # 1, 1.0 and True hash alike: the cache must not mix them up
    assert parse_value_cached(1).kind is ValueKind.NUMBER
    assert parse_value_cached(True).kind is ValueKind.INVALID
    assert parse_value_cached(1.0).raw == "1.0"


def test_parsed_value_is_immutable() -> None:
    parsed = parse_value("8次")
    assert isinstance(parsed, ParsedValue)
    with pytest.raises(AttributeError):
        parsed.number = Decimal(9)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("≥ 90 %", "≥90%"), ("120万余次", "120万次"), ("2023年12月底前", "≤2023年12月"), ("无", "无"), ("", "空"),
     ("3个工作日内", "≤3个工作日"), ("2023.12前", "≤2023年12月")],
)
def test_display(raw: str, shown: str) -> None:
    assert parse_value(raw).display() == shown


def test_never_raises_on_odd_input() -> None:
    for raw in ["≥≥", "%%", "万", "年", "月", "0x1F", "1e5", "∞", "≥-", "..", "2023年13月", "≥90%%", "😀", "\x00"]:
        assert isinstance(parse_value(raw), ParsedValue)

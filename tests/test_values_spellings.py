"""What real tables from every province write in the value cells (issue 9, "Operator
spellings" and "Units"): each case is the cell, the operator, the number as written,
the unit as written and the magnitude in base units (the Chinese numerals' values are
hand arithmetic: 两千三百 = 2×1000 + 3×100 = 2300)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.core.money import to_wan
from perfxl.core.numerals import cn_number, split_multiplier
from perfxl.core.values import ValueKind, parse_value, states_quantity, with_unit

# raw, op, number, unit, magnitude (None: the same as number)
NUMBERS: list[tuple[str, str | None, str, str, str | None]] = [
    # equals signs of every block: ASCII, full-width, box-drawing, small
    ("=100%", "=", "100", "%", None),
    ("＝100%", "=", "100", "%", None),
    ("═100%", "=", "100", "%", None),
    ("﹦100%", "=", "100", "%", None),
    ("═ 0", "=", "0", "", None),
    ("﹦0次", "=", "0", "次", None),
    ("==0", "=", "0", "", None),
    ("＝＝100%", "=", "100", "%", None),
    # ≥ in every spelling
    ("≥90%", ">=", "90", "%", None),
    ("≧90%", ">=", "90", "%", None),
    (">=90%", ">=", "90", "%", None),
    ("＞＝90%", ">=", "90", "%", None),
    ("≥=90%", ">=", "90", "%", None),
    ("≧=90%", ">=", "90", "%", None),
    ("=>90%", ">=", "90", "%", None),
    ("≮90%", ">=", "90", "%", None),
    ("⩾90%", ">=", "90", "%", None),
    # ≤ in every spelling
    ("≤5%", "<=", "5", "%", None),
    ("≦5%", "<=", "5", "%", None),
    ("<=5%", "<=", "5", "%", None),
    ("＜＝5%", "<=", "5", "%", None),
    ("≤=5%", "<=", "5", "%", None),
    ("=<5%", "<=", "5", "%", None),
    ("≯5%", "<=", "5", "%", None),
    # strict signs
    (">3", ">", "3", "", None),
    ("＞3", ">", "3", "", None),
    ("﹥3", ">", "3", "", None),
    ("<3", "<", "3", "", None),
    ("＜3", "<", "3", "", None),
    ("﹤3", "<", "3", "", None),
    # words before the number
    ("不低于95%", ">=", "95", "%", None),
    ("不少于5次", ">=", "5", "次", None),
    ("不小于3个", ">=", "3", "个", None),
    ("达到90%", ">=", "90", "%", None),
    ("不高于100万元", "<=", "100", "万元", "1000000"),
    ("不多于2次", "<=", "2", "次", None),
    ("不超过5%", "<=", "5", "%", None),
    ("不大于3个", "<=", "3", "个", None),
    ("大于80%", ">", "80", "%", None),
    ("高于80%", ">", "80", "%", None),
    ("超过80%", ">", "80", "%", None),  # 民法典 §1259: 超过 excludes the number
    ("小于3%", "<", "3", "%", None),
    ("低于3%", "<", "3", "%", None),
    ("不满3次", "<", "3", "次", None),  # 民法典 §1259: 不满 excludes the number
    ("不足3次", "<", "3", "次", None),
    # words after the number: 以上/以下/以内 include it (民法典 §1259)
    ("90%以上", ">=", "90", "%", None),
    ("5次以上", ">=", "5", "次", None),
    ("5%以下", "<=", "5", "%", None),
    ("3天以内", "<=", "3", "天", None),
    ("100万元以内", "<=", "100", "万元", "1000000"),
    ("达到90%以上", ">=", "90", "%", None),
    # units: %, ％, 百分比, 个百分点, money
    ("≥95％", ">=", "95", "%", None),
    ("90百分比", None, "90", "%", None),
    ("≥90百分比", ">=", "90", "%", None),
    ("≥2个百分点", ">=", "2", "个百分点", None),
    ("2百分点", None, "2", "个百分点", None),
    ("≤0.5个百分点", "<=", "0.5", "个百分点", None),
    ("1200000元", None, "1200000", "元", None),
    ("120万元", None, "120", "万元", "1200000"),
    ("1.2亿元", None, "1.2", "亿元", "120000000"),
    ("3万", None, "3", "万", "30000"),
    ("1.5万", None, "1.5", "万", "15000"),
    ("3千万元", None, "3", "千万元", "30000000"),
    # Chinese numerals in counts and amounts
    ("八次", None, "8", "次", None),
    ("十二个", None, "12", "个", None),
    ("两次", None, "2", "次", None),
    ("二十五场", None, "25", "场", None),
    ("一百万", None, "100", "万", "1000000"),
    ("一百万元", None, "100", "万元", "1000000"),
    ("三千", None, "3000", "", None),
    ("一百零五", None, "105", "", None),
    ("两千三百", None, "2300", "", None),
    ("两千三百人次", None, "2300", "人次", None),
    ("十万人次", None, "10", "万人次", "100000"),
    ("一千零二十份", None, "1020", "份", None),
    ("一点五万元", None, "1.5", "万元", "15000"),
    ("两亿元", None, "2", "亿元", "200000000"),
    ("壹佰万元", None, "100", "万元", "1000000"),
    ("≥八次", ">=", "8", "次", None),
    ("≧十二个", ">=", "12", "个", None),
    ("＞三次", ">", "3", "次", None),
    ("≤两个工作日", "<=", "2", "个工作日", None),
    ("两个工作日内", "<=", "2", "个工作日", None),
    ("不少于两次", ">=", "2", "次", None),
    ("不低于九十%", ">=", "90", "%", None),
    ("不超过三天", "<=", "3", "天", None),
    ("达到二十五场", ">=", "25", "场", None),
    ("完成八次", None, "8", "次", None),
    ("约两次", None, "2", "次", None),
    ("十多次", None, "10", "次", None),
    ("八次以上", ">=", "8", "次", None),
    ("三天以内", "<=", "3", "天", None),
    ("九十分", None, "90", "分", None),
    ("五年", None, "5", "年", None),
    ("百分之九十", None, "90", "%", None),
    ("百分之95", None, "95", "%", None),
    ("≥百分之九十五", ">=", "95", "%", None),
    ("不低于百分之八十", ">=", "80", "%", None),
    ("百分之百", None, "100", "%", None),
    ("百分百", None, "100", "%", None),
    ("百分百完成", None, "100", "%", None),
    ("达到百分之百", ">=", "100", "%", None),
    ("合格率≥九十%", ">=", "90", "%", None),
]

# cells that stay text: a numeral followed by other words is not a count
TEXTS = ["一般", "一流", "达到一流水平", "三公经费", "十分满意", "八次培训", "开展三次培训", "两学一做",
         "万无一失", "十二月", "一月", "按年初预算执行", "达到预期",
         "百分点", "百分九十", "重点两次"]

# cells that tried to be a number and cannot be read: a finding, never text, never a guess
INVALID = ["一万二", "三百五次", "二〇二三年", "≥十两次", "≥一百十个", "═abc", "﹦", "≥=", "≯", "≥一万二"]


def test_tables_are_large_enough() -> None:
    assert len(NUMBERS) >= 90


@pytest.mark.parametrize(("raw", "op", "number", "unit", "magnitude"), NUMBERS, ids=[c[0] for c in NUMBERS])
def test_number_spellings(raw: str, op: str | None, number: str, unit: str, magnitude: str | None) -> None:
    parsed = parse_value(raw)
    assert parsed.kind is ValueKind.NUMBER, parsed
    assert parsed.op == op, parsed
    assert parsed.number == Decimal(number), parsed
    assert parsed.unit == unit, parsed
    assert parsed.magnitude == Decimal(magnitude or number), parsed


@pytest.mark.parametrize("raw", TEXTS)
def test_numerals_in_words_stay_text(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.TEXT


@pytest.mark.parametrize("raw", INVALID)
def test_unreadable_numbers_are_invalid(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.INVALID


@pytest.mark.parametrize(
    ("raw", "base_unit"),
    [("120万元", "元"), ("1.2亿元", "元"), ("1200000元", "元"), ("一百万元", "元"), ("90百分比", "%"),
     ("≥2个百分点", "个百分点"), ("3万", "")],
)
def test_base_units(raw: str, base_unit: str) -> None:
    assert parse_value(raw).base_unit == base_unit


# --------------------------------------------------------------------------- numerals

@pytest.mark.parametrize(
    ("text", "value"),
    [("零", "0"), ("〇", "0"), ("八", "8"), ("十", "10"), ("十二", "12"), ("一十二", "12"), ("二十", "20"),
     ("两", "2"), ("九十九", "99"), ("一百", "100"), ("一百零五", "105"), ("一百一十", "110"),
     ("一千零二十", "1020"), ("两千三百", "2300"), ("一万", "10000"), ("十万", "100000"),
     ("一万零三百", "10300"), ("一万零五", "10005"), ("十二万三千四百五十六", "123456"),
     ("一亿", "100000000"), ("一亿零五百万", "105000000"), ("一亿二千万", "120000000"),
     ("一万亿", "1000000000000"), ("一点五", "1.5"), ("三点一四", "3.14"), ("零点五", "0.5"),
     ("壹仟零伍", "1005"), ("萬", None)],
)
def test_cn_number(text: str, value: str | None) -> None:
    assert cn_number(text) == (Decimal(value) if value is not None else None)


@pytest.mark.parametrize(
    "text",
    ["", "百", "万", "亿", "一万二", "三百五", "两千三", "一百十", "二〇二三", "一零", "零五", "一百零",
     "一千零零五", "两十", "十两", "一万零五千", "一亿十万", "一点", "点五", "一点两", "一万点五", "一亿亿", "八次"],
)
def test_cn_number_refuses_what_it_would_guess(text: str) -> None:
    assert cn_number(text) is None


@pytest.mark.parametrize(
    ("text", "number", "mult"),
    [("一百万", "100", "万"), ("十万", "10", "万"), ("两亿", "2", "亿"), ("一万亿", "1", "万亿"),
     ("一点五万", "1.5", "万"), ("三千", "3000", ""), ("一亿零五百万", "105000000", ""), ("八", "8", "")],
)
def test_split_multiplier(text: str, number: str, mult: str) -> None:
    assert split_multiplier(text) == (Decimal(number), mult)


_DIGITS = "零一二三四五六七八九"


def _group(value: int) -> str:
    """The standard writing of 1 ≤ value < 10000 (independent of perfxl.core.numerals)."""
    out, gap = "", False
    for place, word in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = value // 10**place % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += _DIGITS[digit] + word
    return out


def render(n: int, *, liang: bool = False) -> str:
    """n (0 < n < 10⁸) in Chinese numerals as written by hand: "十二", "一百零五", "两万零三十"."""
    high, low = divmod(n, 10000)
    text = _group(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _group(low)
    if text.startswith("一十"):
        text = text[1:]
    if liang and text.startswith("二") and text[1:2] in ("千", "百", "万", ""):
        text = "两" + text[1:]
    return text


@given(n=st.integers(min_value=1, max_value=10**8 - 1), liang=st.booleans())
def test_any_count_in_chinese_numerals_reads_back(n: int, liang: bool) -> None:
    written = render(n, liang=liang)
    assert cn_number(written) == n, written
    parsed = parse_value(written + "次")
    assert parsed.kind is ValueKind.NUMBER and parsed.magnitude == n, (written, parsed)
    assert parse_value("≥" + written + "个").op == ">="


@given(n=st.integers(min_value=1, max_value=9999), m=st.integers(min_value=1, max_value=9999))
def test_amounts_in_wan_read_back(n: int, m: int) -> None:
    # "n万元" in Chinese numerals is n 万元, the same as the Arabic "n万元"
    parsed = parse_value(render(n) + "万元")
    assert (parsed.number, parsed.unit, parsed.magnitude) == (n, "万元", n * 10**4)
    assert parse_value(f"{m}万元").magnitude == m * 10**4


@given(n=st.integers(min_value=0, max_value=10**8), sign=st.sampled_from(["≥", "≧", ">=", "≥=", "不低于", "不少于"]))
def test_every_spelling_of_at_least_is_one_operator(n: int, sign: str) -> None:
    parsed = parse_value(f"{sign}{n}次")
    assert (parsed.op, parsed.number, parsed.unit) == (">=", n, "次")


# --------------------------------------------------------------------------- units, quantities

@pytest.mark.parametrize(
    ("raw", "unit", "expected_unit", "magnitude"),
    [("120", "万元", "万元", "1200000"), ("120", "元", "元", "120"), ("3", "亿元", "亿元", "300000000"),
     ("8", "次", "次", "8"), (8, "人次", "人次", "8"), ("120", " 万元 ", "万元", "1200000"),
     ("120万元", "元", "万元", "1200000"),  # a value with its own unit keeps it
     ("0.9", "百分比", "", "0.9"), ("90", "%", "", "90"),  # "%" leaves a bare number to the rules
     ("120", "", "", "120"), ("120", None, "", "120"), ("120", "以上", "", "120")],
)
def test_with_unit(raw: object, unit: object, expected_unit: str, magnitude: str) -> None:
    parsed = with_unit(parse_value(raw), unit)
    assert parsed.unit == expected_unit
    assert parsed.magnitude == Decimal(magnitude)


def test_with_unit_leaves_other_kinds() -> None:
    for raw in ("按年初预算执行", "2023年", "无", "", "≥abc"):
        assert with_unit(parse_value(raw), "万元") == parse_value(raw)


@pytest.mark.parametrize(
    ("text", "states"),
    [("开展3次培训", True), ("提高2个百分点", True), ("培训覆盖率达95%以上的乡镇", True),
     ("2023年全面完成建设任务", False), ("按年初预算执行", False), ("2023年度完成", False),
     ("2023年完成5项", True)],
)
def test_states_quantity(text: str, states: bool) -> None:
    assert states_quantity(text) is states


# --------------------------------------------------------------------------- money units of a table

@pytest.mark.parametrize(
    ("value", "unit", "wan"),
    [("1234567", "元", "123.4567"), ("89.82", "万元", "89.82"), ("1.5", "亿元", "15000"), ("500", "千元", "50"),
     ("3", "百万元", "300"), ("1234567", " 元 ", "123.4567"), ("1234567", "（元）", "123.4567")],
)
def test_to_wan(value: str, unit: str, wan: str) -> None:
    assert to_wan(Decimal(value), unit) == Decimal(wan)


def test_to_wan_refuses_what_is_not_money() -> None:
    assert to_wan(Decimal(5), "次") is None
    assert to_wan(Decimal(5), "") is None
    assert to_wan(None, "元") is None

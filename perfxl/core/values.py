"""Reading the 年度指标值 / 实际完成值 cells of the 绩效指标 table.

The forms (附件二、附件三, see ``shared/docs/domain.md``, "Formulas and scoring")
hold these values as free text typed by hand: "≥90%", "≥ 90 %", "６次", "120万次",
"八次", "2023年度", "9月前", "按年初预算执行", "无", "——" or an empty cell.  Excel
hands a number cell over as ``float``.  This module turns any of them into one
immutable ``ParsedValue`` and never raises: what cannot be read is
``ValueKind.INVALID`` (a finding for the checker, never a zero).

This module is the parser; the words, signs and patterns it matches (operator
spellings and their sources, units, multipliers, 不适用 marks, the regular
expressions) are the vocabulary in ``lexicon.py``, kept apart so that a province's
wording is a data change there; Chinese numerals are read by ``numerals.py``.

Reading rules (the forms' conventions, collected from published Hunan, Anhui,
Hebei, Sichuan and Chongqing self-evaluation tables, and from other provinces'
tables for issue 9):

* spaces anywhere are ignored ("≥ 90 %" is "≥90%"); every spelling of an operator
  (≥ ≧ >= ＞＝ ≥= 不低于 达到 以上 …, see ``lexicon.py``) is one of ">=", ">", "<=",
  "<", "="; 以上/以下/以内 include the number (民法典 第1259条), so they are ≥ / ≤;
* the operator stands in front (a sign or a word) or after the number as a suffix:
  "3个工作日内", "5天内", "30分钟内" are "≤" with the unit "个工作日", "天", "分钟"
  (domain.md, "direction": ≤ is a negative indicator); a date's 前/之前/以前/底前/内
  is "≤" and 后/以后 is "≥";
* 约/左右/余/多 ("约5次", "120万余次", "十多次") are approximations: the number is
  kept, no operator is recorded;
* ``number`` is the number as written (90 for "90%", 120 for "120万次", 100 for
  "一百万元"); ``magnitude`` is the number in base units for comparisons: 万 ×10⁴,
  亿 ×10⁸, 千 ×10³ (so "120万次" is 1 200 000 次 and "3.5亿元" 350 000 000 元).  A
  percentage keeps its written number (90 for "90%"): percentages are only compared
  with percentages, and the rules module decides how to read a bare 0.9 against a
  "90%" target; 百分比 is "%", 个百分点 a unit of its own;
* Chinese numerals are read exactly or not at all (``numerals.py``): "八次",
  "不少于两次", "一百零五", "两千三百" are numbers; a numeral that is not well formed
  in front of a counting unit ("一万二", "三百五次") is INVALID, never a guess;
* a four-digit year 1900–2199 followed by 年 is a date ("2023年", "2023年度");
  "3年" is a number of years.  A month alone ("7月", "9月前", "12月底") is a date
  whose year is unknown (``None``);
* a year and a month joined by "." "-" or "/" ("2023.12", "2024.1", "2023.12.31前",
  "2023-12", "2023/12") is a date too (domain.md: "a date or month: compare as
  dates"), the operator read from its suffix ("前" ≤, "后" ≥) — but only when the
  first part is a year 1900–2199 and the month is 1–12: "3.5", "99.64" and
  "2023.13" are numbers;
* "无", "——", "—", "/", "不适用" … mean the indicator does not apply;
* plain Chinese text ("按年初预算执行", "达到预期") is a qualitative value;
  text that tried to be a number or a date and failed ("≥abc", "9o%", "≥",
  "13月", "#DIV/0!") is INVALID.  Text that states a quantity the rules cannot
  compare ("开展3次培训") stays TEXT, and ``states_quantity`` lets the rules say so;
* ``with_unit`` applies a 计量单位 column to a number written without a unit.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .datetext import UNREADABLE_DATE, DateParts, DateReading, format_date, read_date, read_separated_date
from .lexicon import (
    CJK_RE,
    CN_NUMBER_RE,
    CN_UNITS,
    HAS_CN_NUMERAL,
    HAS_DIGIT,
    LETTER_AFTER_DIGIT,
    MULT_SCALE,
    MULTIPLIERS,
    NUMBER_RE,
    OP_FIRST,
    OP_WORDS,
    OPERATOR_FIXES,
    PREFIX_OPS,
    PREFIX_WORDS,
    SIMPLE_RE,
    SUFFIX_OPS,
    SYMBOL_OPS,
    TRANSLATE,
    UNIT_ALIASES,
    UNIT_RE,
    YEAR_IN_TEXT,
    is_na,
)
from .numerals import split_multiplier

__all__ = [
    "MULTIPLIERS",
    "DateParts",
    "ParsedValue",
    "ValueKind",
    "parse_value",
    "parse_value_cached",
    "states_quantity",
    "with_unit",
]


class ValueKind(enum.StrEnum):
    """What a cell of 年度指标值 / 实际完成值 holds."""

    NUMBER = "number"
    DATE = "date"
    TEXT = "text"  # qualitative description (定性指标)
    NOT_APPLICABLE = "na"  # 无 / —— / / / 不适用
    EMPTY = "empty"
    INVALID = "invalid"  # wanted to be a number or date but cannot be read


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One indicator value, read.

    Attributes:
      raw: the cell as text ("" for an empty cell; ``str()`` of a number).
      kind: see ``ValueKind``.
      op: ">=", ">", "<=", "<", "=" or ``None`` when no operator is written.
      number: the number as written: 90 for "90%", 120 for "120万次".
      unit: the unit as written, multiplier included: "%", "次", "万次", "万元", "".
      magnitude: ``number`` in base units (万 ×10⁴, 亿 ×10⁸, 千 ×10³); percentages
        keep their written number.
      base_unit: ``unit`` without its multiplier: "次" for "万次", "元" for "万元".
      date: (year, month, day) for dates and periods, ``None`` where not written:
        "2023年" → (2023, None, None), "9月前" → (None, 9, None).
      text: the qualitative text (spaces removed) for TEXT values, else ``None``.
    """

    raw: str
    kind: ValueKind
    op: str | None = None
    number: Decimal | None = None
    unit: str = ""
    magnitude: Decimal | None = None
    date: DateParts | None = None
    text: str | None = None
    base_unit: str = ""

    @property
    def is_value(self) -> bool:
        """True for a real value (number, date or text), False for 无 / empty / unreadable."""
        return self.kind in _REAL_KINDS

    def display(self) -> str:
        """The value for a Chinese sentence: "≥90%", "120万次", "2023年12月", "无"."""
        if self.kind is ValueKind.NUMBER and self.number is not None:
            return f"{_OP_DISPLAY.get(self.op, '')}{plain(self.number)}{self.unit}"
        if self.kind is ValueKind.DATE and self.date is not None:
            return f"{_OP_DISPLAY.get(self.op, '')}{format_date(self.date)}"
        if self.kind is ValueKind.EMPTY:
            return "空"
        return self.raw.strip()


_REAL_KINDS = frozenset({ValueKind.NUMBER, ValueKind.DATE, ValueKind.TEXT})
_OP_DISPLAY: dict[str | None, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def plain(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 90.0 → "90", 1.20E+6 → "1200000"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------- parsing

def _number_value(raw: str, value: Decimal) -> ParsedValue:
    return ParsedValue(raw=raw, kind=ValueKind.NUMBER, number=value, magnitude=value)


def parse_value(raw: object) -> ParsedValue:
    """Read one 年度指标值 / 实际完成值 cell (any type Excel passes); never raises.

    Rule source: the value conventions in ``domain.md`` ("Values come as text …")
    and the reading rules in this module's docstring.
    """
    if raw is None:
        return ParsedValue(raw="", kind=ValueKind.EMPTY)
    if isinstance(raw, bool):  # TRUE/FALSE in a value cell is not a value
        return ParsedValue(raw=str(raw).upper(), kind=ValueKind.INVALID)
    if isinstance(raw, int):
        return _number_value(str(raw), Decimal(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return ParsedValue(raw=repr(raw), kind=ValueKind.INVALID)
        if raw.is_integer() and abs(raw) < 1e15:
            return _number_value(repr(raw), Decimal(int(raw)))
        return _number_value(repr(raw), Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return ParsedValue(raw=str(raw), kind=ValueKind.INVALID)
        return _number_value(str(raw), raw)
    if not isinstance(raw, str):
        raw = str(raw)
    return _parse_text(raw)


def _parse_text(raw: str) -> ParsedValue:
    compact = "".join(raw.translate(TRANSLATE).split())
    if not compact:
        return ParsedValue(raw=raw, kind=ValueKind.EMPTY)
    if "==" in compact:  # "≥=" / "≧=" arrive as ">==": one operator (lexicon.OPERATOR_FIXES)
        for doubled, single in OPERATOR_FIXES:
            compact = compact.replace(doubled, single)

    simple = SIMPLE_RE.match(compact)
    if simple is not None:
        sym, num, unit = simple.groups()
        if sym is None and unit is None and num[4:5] == ".":  # "2023.12": a year and a month?
            dated = _date_value(raw, read_separated_date(compact))
            if dated is not None:
                return dated
        number = Decimal(num)
        if unit == "万元":
            return ParsedValue(raw, ValueKind.NUMBER, sym, number, unit, number * MULT_SCALE["万"],
                               base_unit="元")
        unit = unit or ""
        return ParsedValue(raw, ValueKind.NUMBER, sym, number, unit, number, base_unit=unit)

    if is_na(compact):
        return ParsedValue(raw=raw, kind=ValueKind.NOT_APPLICABLE)

    if HAS_CN_NUMERAL(compact) is not None:  # "八次", "≥十二个", "不少于两次", "百分之九十"
        parsed = _parse_cn_number(raw, compact)
        if parsed is not None:
            return parsed

    if HAS_DIGIT(compact) is None:  # no number and no date: text (or junk like "≥abc")
        return _text_or_invalid(raw, compact)

    if "年" in compact or "月" in compact or "-" in compact or "/" in compact or "." in compact:
        parsed = _date_value(raw, read_date(compact))
        if parsed is not None:
            return parsed

    parsed = _parse_number(raw, compact)
    if parsed is not None:
        return parsed
    return _text_or_invalid(raw, compact)


def _split_label(label: str) -> tuple[bool, str | None, bool]:
    """(readable, operator, has_free_text) for the text in front of a number."""
    if not label:
        return True, None, False
    for word in PREFIX_WORDS:
        if label.endswith(word):
            return True, PREFIX_OPS[word], len(word) != len(label)
    return False, None, True


def _label_op(label: str, sym: str | None) -> tuple[bool, str | None]:
    """(readable, operator) for what stands in front of a number: nothing, an operator
    word or neutral verb, a symbol, or an indicator name followed by a symbol."""
    label_ok, op, free_text = _split_label(label)
    if sym is not None:
        sym_op = SYMBOL_OPS[sym]
        if label and not label_ok:
            # "合格率≥90%": an indicator name repeated in front of the operator
            label_ok, op, free_text = True, None, True
        op = sym_op if sym_op is not None else op
    if not label_ok:
        return False, None  # "开展3次培训": descriptive text with a number in it
    if free_text and op is None and sym is None:
        return False, None
    return True, op


def _make_number(raw: str, op: str | None, number: Decimal, mult: str, unit: str) -> ParsedValue:
    """A NUMBER; *mult* (万, 亿 …) scales the magnitude and becomes part of the unit."""
    magnitude = number * MULT_SCALE[mult] if mult else number
    return ParsedValue(raw, ValueKind.NUMBER, op, number, mult + unit, magnitude, base_unit=unit)


def _parse_cn_number(raw: str, compact: str) -> ParsedValue | None:
    """A count or amount in Chinese numerals (``numerals.py``): "八次", "≥十二个",
    "不少于两次", "一百万元", "百分之九十"; only with a unit of ``lexicon.CN_UNITS``."""
    match = CN_NUMBER_RE.match(compact)
    if match is None:
        return None
    label, sym, pct, num, _approx, unit, suffix = match.groups()
    if pct:  # "百分之九十" is 90%; "百分之百" and "百分百" are 100%
        if unit or (pct == "百分" and num != "百"):
            return None
        num, unit = ("100" if num == "百" else num), "%"
    if unit not in CN_UNITS:
        return None  # "一流", "三公经费", "十分满意", "八次培训": text
    readable, op = _label_op(label, sym)
    if not readable:
        return None
    if num[0].isdigit():  # "百分之95", "百分之百"
        number, mult = Decimal(num), ""
    else:
        split = split_multiplier(num)
        if split is None:  # "一万二", "三百五次", "二〇二三年": not read, never guessed, and
            return ParsedValue(raw=raw, kind=ValueKind.INVALID)  # not text: a finding
        number, mult = split
    if suffix and op is None:
        op = SUFFIX_OPS[suffix]
    return _make_number(raw, op, number, mult, UNIT_ALIASES.get(unit, unit))


def _parse_number(raw: str, compact: str) -> ParsedValue | None:
    match = NUMBER_RE.match(compact)
    if match is None:
        return None
    label, sym, num, _approx1, mult, _approx2, unit, suffix = match.groups()
    readable, op = _label_op(label, sym)
    if not readable:
        return None
    if unit and not UNIT_RE.match(unit):
        return None
    if unit[:1] in ("年", "月") and len(unit) > 1 and not mult:
        return None  # "2023年度资金", "3月份完成": text about a date, not a quantity
    if suffix:
        suffix_op = SUFFIX_OPS[suffix]
        if op is None:
            op = suffix_op
    try:
        number = Decimal(num.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex guards
        return None
    # "120万次", "120万余次", "5千米": scaled to the base unit; "90百分比" is 90%
    return _make_number(raw, op, number, mult or "", UNIT_ALIASES.get(unit, unit))


def _date_value(raw: str, reading: DateReading) -> ParsedValue | None:
    """The DATE (or INVALID) value of a date reading (``datetext.py``), ``None`` for none."""
    if reading is None:
        return None
    if reading == UNREADABLE_DATE:
        return ParsedValue(raw=raw, kind=ValueKind.INVALID)  # "13月", "2月35日", "2023-13"
    date, op = reading
    return ParsedValue(raw=raw, kind=ValueKind.DATE, op=op, date=date)


def _text_or_invalid(raw: str, compact: str) -> ParsedValue:
    """Qualitative text, unless the cell plainly tried to be a number and failed."""
    first = compact[0]
    looks_numeric = (
        first in "<>=≈~+"
        or not CJK_RE.search(compact)  # "9o%", "abc", "#DIV/0!", "1,2,3"
        or LETTER_AFTER_DIGIT.search(compact) is not None  # "9o次"
        or (compact[0] in OP_FIRST
            and any(compact.startswith(word) and not CJK_RE.search(compact[len(word):])
                    for word in OP_WORDS))  # "不低于abc", "不少于"
    )
    if looks_numeric:
        return ParsedValue(raw=raw, kind=ValueKind.INVALID)
    return ParsedValue(raw=raw, kind=ValueKind.TEXT, text=compact)


def with_unit(value: ParsedValue, unit: object) -> ParsedValue:
    """*value* read in the unit of its table's 计量单位 column ("万元", "次", "百分比").

    A number written without a unit takes the column's unit, multiplier included
    ("120" under "万元" is 120万元, magnitude 1 200 000 元); a value that writes its
    own unit, or is not a number, is returned as it is.  A "%" column leaves a bare
    number bare: Excel stores "90%" as 0.9, and the rules read a bare number against
    a percentage as v or v×100 (``rules/numeric.py``), which a unit would defeat.
    """
    if value.kind is not ValueKind.NUMBER or value.unit or value.number is None:
        return value
    probe = parse_value_cached(f"1{unit}") if isinstance(unit, str) and unit.strip() else None
    if probe is None or probe.kind is not ValueKind.NUMBER or probe.op is not None or not probe.unit:
        return value
    if probe.base_unit == "%" or probe.magnitude is None:
        return value
    return ParsedValue(value.raw, ValueKind.NUMBER, value.op, value.number, probe.unit,
                       value.number * probe.magnitude, base_unit=probe.base_unit)


def states_quantity(text: str) -> bool:
    """True when qualitative text holds a number the rules could have compared
    ("开展3次培训", "提高2个百分点"): a digit that is not a year ("2023年全面完成").

    The rules score such a target as text but say so (``Note.TARGET_UNREADABLE``): a
    target that states a quantity must not be scored silently as text.
    """
    return HAS_DIGIT(YEAR_IN_TEXT.sub("", text)) is not None


#: ``parse_value`` with a cache, for the hot paths (a workbook repeats "≥90%" a lot).
#: Only hashable arguments (str, int, float, Decimal, None) may be passed.
#: ``typed=True`` keeps 1, 1.0, True and Decimal(1) apart (they hash alike).
parse_value_cached = functools.lru_cache(maxsize=4096, typed=True)(parse_value)

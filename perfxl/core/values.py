"""Reading the 年度指标值 / 实际完成值 cells of the 绩效指标 table.

The forms (附件二、附件三, see ``shared/docs/domain.md``, "Formulas and scoring")
hold these values as free text typed by hand: "≥90%", "≥ 90 %", "６次", "120万次",
"2023年度", "9月前", "按年初预算执行", "无", "——" or an empty cell.  Excel hands a
number cell over as ``float``.  This module turns any of them into one immutable
``ParsedValue`` and never raises: what cannot be read is ``ValueKind.INVALID`` (a
finding for the checker, never a zero).

This module is the parser; the words, signs and patterns it matches (operator
words, multipliers, 不适用 marks, the regular expressions) are the vocabulary in
``lexicon.py``, kept apart so that a province's wording is a data change there.

Reading rules (the forms' conventions, collected from published Hunan, Anhui,
Hebei, Sichuan and Chongqing self-evaluation tables):

* full-width digits and signs (６, ％, ＞＝, ≧) are the ASCII ones; spaces anywhere are
  ignored ("≥ 90 %" is "≥90%");
* the operator is a symbol in front (≥ ≤ > < =) or a word: 不低于/不少于/至少/达到 (≥),
  不高于/不超过/不多于/控制在 (≤), 高于/超过 (>), 低于/少于 (<), or a suffix: 以上 (≥),
  以下/以内/之内/内 (≤) — "3个工作日内", "5天内", "30分钟内" are "≤" with the unit
  "个工作日", "天", "分钟" (domain.md, "direction": ≤ is a negative indicator);
  a date's 前/之前/以前/底前/内 is "≤" and 后/以后 is "≥";
* 约/左右/余/多 ("约5次", "120万余次") are approximations: the number is kept, no
  operator is recorded;
* ``number`` is the number as written (90 for "90%", 120 for "120万次");
  ``magnitude`` is the number in base units for comparisons: 万 ×10⁴, 亿 ×10⁸,
  千 ×10³ (so "120万次" is 1 200 000 次).  A percentage keeps its written number
  (90 for "90%"): percentages are only compared with percentages, and the rules
  module decides how to read a bare 0.9 against a "90%" target;
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
  "13月", "#DIV/0!") is INVALID.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .lexicon import (
    CJK_RE,
    DATE_LABELS,
    DATE_RE,
    HAS_DIGIT,
    LETTER_AFTER_DIGIT,
    MULT_SCALE,
    MULTIPLIERS,
    NUMBER_RE,
    OP_FIRST,
    OP_WORDS,
    PREFIX_OPS,
    PREFIX_WORDS,
    QUARTER_END,
    REL_OPS,
    SEP_DATE_RE,
    SIMPLE_RE,
    SUFFIX_OPS,
    SYMBOL_OPS,
    TRANSLATE,
    UNIT_RE,
    is_na,
)

__all__ = ["MULTIPLIERS", "ParsedValue", "ValueKind", "parse_value", "parse_value_cached"]


class ValueKind(enum.StrEnum):
    """What a cell of 年度指标值 / 实际完成值 holds."""

    NUMBER = "number"
    DATE = "date"
    TEXT = "text"  # qualitative description (定性指标)
    NOT_APPLICABLE = "na"  # 无 / —— / / / 不适用
    EMPTY = "empty"
    INVALID = "invalid"  # wanted to be a number or date but cannot be read


#: a date or period as written: (year, month, day), ``None`` for a part not written
DateParts = tuple[int | None, int | None, int | None]


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


def format_date(date: DateParts) -> str:
    year, month, day = date
    return (
        (f"{year}年" if year is not None else "")
        + (f"{month}月" if month is not None else "")
        + (f"{day}日" if day is not None else "")
    )


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

    simple = SIMPLE_RE.match(compact)
    if simple is not None:
        sym, num, unit = simple.groups()
        if sym is None and unit is None and num[4:5] == ".":  # "2023.12": a year and a month?
            dated = _parse_separated_date(raw, compact)
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

    if HAS_DIGIT(compact) is None:  # no number and no date: text (or junk like "≥abc")
        return _text_or_invalid(raw, compact)

    if "年" in compact or "月" in compact or "-" in compact or "/" in compact or "." in compact:
        parsed = _parse_date(raw, compact)
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


def _parse_number(raw: str, compact: str) -> ParsedValue | None:
    match = NUMBER_RE.match(compact)
    if match is None:
        return None
    label, sym, num, _approx1, mult, _approx2, unit, suffix = match.groups()
    label_ok, op, free_text = _split_label(label)
    if sym is not None:
        sym_op = SYMBOL_OPS[sym]
        if label and not label_ok:
            # "合格率≥90%": an indicator name repeated in front of the operator
            label_ok, op, free_text = True, None, True
        op = sym_op if sym_op is not None else op
    if not label_ok:
        return None  # "开展3次培训": descriptive text with a number in it
    if free_text and op is None and sym is None:
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
    base_unit = unit
    magnitude = number
    if mult:  # "120万次", "120万余次", "5千米": scaled to the base unit
        magnitude = number * MULT_SCALE[mult]
        unit = mult + unit
    return ParsedValue(raw, ValueKind.NUMBER, op, number, unit, magnitude, base_unit=base_unit)


def _parse_date(raw: str, compact: str) -> ParsedValue | None:
    match = DATE_RE.match(compact)
    if match is not None:
        label = match.group("label")
        y, ypos, m, mpos, d, rel = match.group("y", "ypos", "m", "mpos", "d", "rel")
        if y is None and m is None:
            return None
        if label not in DATE_LABELS:
            return None
        year = int(y) if y else None
        if year is not None and not 1900 <= year <= 2199:
            return None  # "3年": a number of years, read as a number
        month = int(m) if m else None
        day = int(d) if d else None
        if ypos and month is None:
            if ypos in ("底", "末"):
                month = 12
            elif ypos == "初":
                month = 1
            elif ypos == "上半年":
                month = 6
            elif ypos == "下半年":
                month = 12
            elif ypos == "内":
                rel = rel or "内"
            elif ypos.endswith("季度"):
                month = QUARTER_END[ypos[-3]]
        if mpos in ("上旬", "中旬") and day is None:
            day = 10 if mpos == "上旬" else 20
        op = REL_OPS.get(rel) if rel else None
        if op is None and label:
            op = PREFIX_OPS.get(label)
        return _make_date(raw, year, month, day, op)
    return _parse_separated_date(raw, compact)


def _parse_separated_date(raw: str, compact: str) -> ParsedValue | None:
    """"2023.12前", "2024.1", "2023.12.31", "2023-12", "2023/12" as dates (domain.md: a
    date or month is compared as a date), or ``None`` to read the cell otherwise.

    Only a year 1900–2199 makes a date.  With dots, a month outside 1–12 and nothing
    else written ("2023.13") leaves a number; with a day or a date suffix
    ("2023.13前") or another separator ("2023-13") it is an unreadable date.
    """
    match = SEP_DATE_RE.match(compact)
    if match is None:
        return None
    label, y, sep, m, d, mpos, rel = match.group("label", "y", "sep", "m", "d", "mpos", "rel")
    if label not in DATE_LABELS:
        return None
    year, month = int(y), int(m)
    if not 1900 <= year <= 2199:
        return None
    if sep == "." and not 1 <= month <= 12 and d is None and not mpos and not rel:
        return None  # "2023.13": a number with two decimals, not a month
    op = REL_OPS.get(rel) if rel else None
    if op is None and label:
        op = PREFIX_OPS.get(label)
    return _make_date(raw, year, month, int(d) if d else None, op)


def _make_date(raw: str, year: int | None, month: int | None, day: int | None, op: str | None) -> ParsedValue:
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return ParsedValue(raw=raw, kind=ValueKind.INVALID)  # "13月", "2月35日"
    if day is not None and month is None:
        return ParsedValue(raw=raw, kind=ValueKind.INVALID)
    return ParsedValue(raw=raw, kind=ValueKind.DATE, op=op, date=(year, month, day))


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


#: ``parse_value`` with a cache, for the hot paths (a workbook repeats "≥90%" a lot).
#: Only hashable arguments (str, int, float, Decimal, None) may be passed.
#: ``typed=True`` keeps 1, 1.0, True and Decimal(1) apart (they hash alike).
parse_value_cached = functools.lru_cache(maxsize=4096, typed=True)(parse_value)

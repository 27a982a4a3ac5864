"""Reading dates and periods in the 年度指标值 / 实际完成值 cells ("2023年12月底前", "9月前").

Part of the parser in ``values.py`` (which states the reading rules and builds the
``ParsedValue``); kept apart to keep each module short.  The patterns and words are
in ``lexicon.py``.  Rules (domain.md, "a date or month: compare as dates"):

* a four-digit year 1900–2199 followed by 年 is a date ("2023年", "2023年度");
  年底/年末 is December, 年初 January, 上半年 June, 下半年 December, 第三季度
  September, 年内 "≤" that year; 上旬 and 中旬 are the 10th and the 20th;
* a year and a month joined by "." "-" or "/" are a date only when the month is
  1–12 ("2023.13" is a number), with the suffix's operator;
* a month 13 or a day 32 is an unreadable date (INVALID, a finding).
"""

from __future__ import annotations

from typing import Final, Literal

from .lexicon import DATE_LABELS, DATE_RE, PREFIX_OPS, QUARTER_END, REL_OPS, SEP_DATE_RE

__all__ = ["UNREADABLE_DATE", "DateParts", "DateReading", "format_date", "read_date", "read_separated_date"]

#: a date or period as written: (year, month, day), ``None`` for a part not written
DateParts = tuple[int | None, int | None, int | None]
#: what a cell wrote when it tried to be a date and failed ("13月")
UNREADABLE_DATE: Final = "unreadable"
#: a date and its operator, ``UNREADABLE_DATE``, or ``None`` when the cell is no date
DateReading = tuple[DateParts, str | None] | Literal["unreadable"] | None


def format_date(date: DateParts) -> str:
    """(2023, 12, None) → "2023年12月"; parts not written are left out."""
    year, month, day = date
    return (
        (f"{year}年" if year is not None else "")
        + (f"{month}月" if month is not None else "")
        + (f"{day}日" if day is not None else "")
    )


def read_date(compact: str) -> DateReading:
    """"2023年12月底前", "9月前", "2023年第三季度", or a separated date (``read_separated_date``)
    in a cell without spaces, after ``lexicon.TRANSLATE``."""
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
        return _checked(year, month, day, op)
    return read_separated_date(compact)


def read_separated_date(compact: str) -> DateReading:
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
    return _checked(year, month, int(d) if d else None, op)


def _checked(year: int | None, month: int | None, day: int | None, op: str | None) -> DateReading:
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return UNREADABLE_DATE  # "13月", "2月35日"
    if day is not None and month is None:
        return UNREADABLE_DATE
    return (year, month, day), op

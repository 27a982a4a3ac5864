"""Judging one amount cell: the one place where a typed value becomes a number or a finding.

A value of an amount field (``money.Amount``: a ``Decimal``, ``None`` or text as typed)
is judged here and nowhere else: ``judge_amount`` returns the number (or ``None``) and
the findings about it (``NOT_A_NUMBER`` for text that is neither a number nor one of
the forms' dashes "——"/"无", ``NEGATIVE_AMOUNT``).  The checker judges every amount
of the model exactly once through it (``checks/cells.py`` walks the declared forms;
the other checks read numbers with ``money.amount_value`` and never judge again).

A reader that has already judged a cell where it read it (the workbook reader reports
text in a number cell as ``CELL_NOT_NUMBER`` with its sheet and cell) stores the text
as ``Reported``: a ``str`` that says "judged and reported".  ``judge_amount`` gives
``None`` for it without a second finding, so one typo is one finding without any
deduplication afterwards.  ``Reported`` is written to a data file as plain text, so a
data file exported from such a workbook is judged again when it is read: correctly,
since the workbook's finding does not travel with it.

``read_amount`` is what a reader calls on a raw value: the model value, the number,
and whether the value is a number at all.

The same mark exists for the two values that are not text: ``ReportedInt`` (a year the
reader could not read, 0) and ``ReportedList`` (a region whose cells were deleted,
empty).  The workbook reader stores these marks itself where it reports the cell
(``workbook/convert.py``, ``workbook/sheetread.py``), so no stage filters or merges
findings afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .codes import finding
from .findings import Finding, Table
from .money import Amount, amount_value, fmt_score, is_blank, is_dash, to_decimal

T = TypeVar("T")


class Reported(str):
    """Text in a number cell that its reader has already reported (see the module docstring)."""

    __slots__ = ()


class ReportedInt(int):
    """An integer field (the year) its reader could not read and has reported; reads as 0."""

    __slots__ = ()


class ReportedList(list[object]):
    """A list its reader could not read at all (a deleted region) and has reported; empty."""


def reported(value: object) -> bool:
    """Whether *value* is one its reader has already judged and reported (not judged again)."""
    return isinstance(value, (Reported, ReportedInt, ReportedList))


@dataclass(frozen=True, slots=True)
class AmountReading:
    """A raw value read as an amount.

    Attributes:
      value: what the model holds (a ``Decimal``, ``None`` or the text as typed).
      number: the number, or ``None`` (empty, a dash or text).
      unreadable: the value is text that is neither a number nor a dash (a finding).
    """

    value: Amount
    number: Decimal | None
    unreadable: bool


def read_amount(raw: object) -> AmountReading:
    """A raw cell or JSON value as an amount: 3 / "1,234.56" / "５.40" → number; None or
    "  " → empty; "——" / "无" → the text, not a number, not a problem; other text → the
    text, unreadable."""
    if raw is None or (isinstance(raw, str) and is_blank(raw)):
        return AmountReading(None, None, False)
    number = to_decimal(raw)
    if number is not None:
        return AmountReading(number, number, False)
    text = str(raw)
    return AmountReading(text, None, not is_dash(text) and not isinstance(raw, Reported))


def judge_amount(value: Amount, table: Table, path: str, location: str, *, title: str = "", unit: str = "万元",
                 allow_negative: bool = False) -> tuple[Decimal | None, list[Finding]]:
    """The number in an amount field and the findings about it (see the module docstring)."""
    number = amount_value(value)
    found: list[Finding] = []
    if number is None and read_amount(value).unreadable:
        what = f"数字（单位：{unit}）" if unit else "数字"
        found.append(finding("NOT_A_NUMBER", table, path, location,
                             f"{location}应填写{what}，实际为“{value}”（无法识别或超出合理范围），请改正或留空。",
                             actual=str(value), title=title))
    if number is not None and number < 0 and not allow_negative:
        found.append(finding("NEGATIVE_AMOUNT", table, path, location, f"{location}不应为负数。",
                             actual=text_of(number), title=title))
    return number, found


def text_of(value: object) -> str:
    """A compared value as display text: Decimal 13 → "13", 0.5 → "0.5", None → ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt_score(value) if value == value.to_integral_value() else f"{value:f}"
    return str(value)


def unanswered(value: object) -> bool:
    """An empty field that nobody has reported yet (a deleted cell, read as blank and
    reported by its reader, is ``Reported("")``: not reported again as 未填写)."""
    if reported(value):
        return False
    return value is None or (isinstance(value, str) and not value.strip())


def blank_item(item: object) -> bool:
    """A list item that holds nothing: "" or a record whose every field is blank (None, "", {},
    or ``False`` for a mark such as 核心指标; ``is``, since 0 == False)."""
    if isinstance(item, str):
        return item == ""
    fields = getattr(item, "__dataclass_fields__", None)
    return fields is not None and all(_blank_field(getattr(item, name)) for name in fields)


def _blank_field(value: object) -> bool:
    return value is False or value in (None, "", {})


def trimmed(items: list[T]) -> list[T]:
    """*items* without the blank items at its end: a list ends at its last filled item.

    One rule for every reader (the data file's ``serde`` and the workbook's region rows): the
    form's unused rows below a list are blank, so a workbook cannot tell a trailing blank item
    from an unused row; dropping it in both keeps ``fill`` → ``export`` the identity."""
    end = len(items)
    while end and blank_item(items[end - 1]):
        end -= 1
    return items[:end]

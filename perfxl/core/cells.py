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

Left for the reader (after the merge): the year (an ``int``: an unreadable one is read
as 0) and a deleted region (a list) cannot carry the mark, so a workbook with the year
typed as "二〇二三" gives the reader's ``CELL_NOT_INTEGER`` and the checker's
``MISSING_FIELD`` on "year"; a model field for "as typed" would end that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .codes import finding
from .findings import Finding, Table
from .forms import resolve
from .money import Amount, amount_value, fmt_score, is_blank, is_dash, to_decimal


class Reported(str):
    """Text in a number cell that its reader has already reported (see the module docstring)."""

    __slots__ = ()


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


#: reader codes that judge a field where it was read: text in a number cell, a deleted cell
READER_JUDGED = ("CELL_NOT_NUMBER", "FIELD_DELETED")


def unanswered(value: object) -> bool:
    """An empty field that nobody has reported yet (a deleted cell, read as blank and
    reported by its reader, is ``Reported("")``: not reported again as 未填写)."""
    if isinstance(value, Reported):
        return False
    return value is None or (isinstance(value, str) and not value.strip())


def mark_reported(evaluation: object, reading: Iterable[Finding]) -> None:
    """Type every text or empty field a reader has already judged as ``Reported``.

    The workbook reader reports text in a number cell (``CELL_NOT_NUMBER``) and a deleted
    cell read as blank (``FIELD_DELETED``) where it reads them; until it stores such
    values as ``Reported`` itself (after the reader calls ``read_amount``),
    ``assessment.assess`` calls this on its findings, so the core does not judge the
    same field a second time.  Only the value's type changes: the same text, or
    ``Reported("")`` for an empty amount.  An integer (the year) or a list (a deleted
    region) cannot carry the mark; see the module docstring.
    """
    for f in reading:
        if f.code not in READER_JUDGED or not f.path:
            continue
        parent_path, _, attr = f.path.rpartition(".")
        parents = resolve(evaluation, parent_path) if parent_path else [("", evaluation)]
        for _, parent in parents:
            value = parent.get(attr) if isinstance(parent, dict) else getattr(parent, attr, None)
            if value is None:
                value = ""
            if isinstance(value, str) and not isinstance(value, Reported):
                if isinstance(parent, dict):
                    parent[attr] = Reported(value)
                else:
                    setattr(parent, attr, Reported(value))

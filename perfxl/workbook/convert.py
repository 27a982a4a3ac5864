"""Judging one cell: a workbook value → the model field's value, with a finding when it does not fit.

The one place where a cell's value is interpreted (issue 7 "parse once"): a number for
an amount (text that reads as a number is accepted with a notice; "——" and "无" are
the forms' marks for "not applicable"), an integer for the year, text for rates as
printed and for labels.  ``SheetReading`` collects the findings with sheet and cell.

Text read from a file is decoded here (``xltext.decode``: ``_x000D_`` → CR, ``_x005F_`` →
"_"), the one place every reader's text passes: openpyxl gives the raw text (calamine
hands texts with escapes to openpyxl).  ``SheetReading.escaped`` is ``False`` for a
live workbook (xlwings: Excel gives decoded text, a typed "_x000D_" is that text).

Blank (issue 12): an empty amount cell is ``None`` (``serde`` reads "" and spaces as
``None`` too), an empty text cell "" (an optional text: ``None``), an empty year 0 —
the model's one "blank" per field kind, which ``builder`` writes as an empty cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core import codes
from ..core.cells import Reported, ReportedInt
from ..core.findings import Finding, Table
from ..core.money import fmt_pct, is_blank, is_dash, to_decimal
from .decl import Kind, SheetLayout
from .xltext import decode


@dataclass
class SheetReading:
    """One sheet being read: its declaration, its actual name and what was found there."""

    decl: SheetLayout
    actual: str
    table: Table
    title: str
    findings: list[Finding] = field(default_factory=list)
    #: text comes from a file's XML and holds ``_xHHHH_`` escapes (not from live Excel)
    escaped: bool = True

    def finding(self, code: str, path: str, location: str, message: str, cell: str = "",
                actual: object = "", expected: str = "") -> None:
        """A finding of the registered *code* (its severity comes from ``core.codes``) at *cell*."""
        self.findings.append(codes.finding(code, self.table, path, location, message, expected=expected,
                                           actual="" if actual is None else str(actual), title=self.title,
                                           sheet=self.actual if cell else "", cell=cell))


def _number_text(value: float | int | Decimal) -> str:
    number = to_decimal(value)
    if number is None:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:f}"


def _date_text(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return value.isoformat()


def convert(kind: Kind, value: object, sheet: SheetReading, path: str, location: str, cell: str) -> Any:
    """A cell's value as the model field of *kind* wants it, with a finding when it does not fit."""
    if isinstance(value, str) and sheet.escaped:
        value = decode(value)
    if kind is Kind.AMOUNT:
        if value is None or (isinstance(value, str) and is_blank(value)):
            return None
        if isinstance(value, bool):
            sheet.finding("CELL_NOT_NUMBER", path, location, f"{location}应填数字，实际为真假值。", cell, value)
            return Reported(str(value).upper())
        if isinstance(value, (int, float, Decimal)):
            number = to_decimal(value)
            if number is None:  # NaN or infinity
                sheet.finding("CELL_NOT_NUMBER", path, location, f"{location}不是有效数字。", cell, value)
                return Reported(str(value))
            return Decimal(int(number)) if number == number.to_integral_value() else number
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            text = _date_text(value)
            sheet.finding("CELL_NOT_NUMBER", path, location, f"{location}应填数字，实际为日期“{text}”。", cell, text)
            return Reported(text)
        text = str(value)
        number = to_decimal(text)
        if number is not None:
            sheet.finding("CELL_TEXT_NUMBER", path, location,
                          f"{location}的数字“{text}”是文本格式，表内公式不会计入；请改为数字格式。", cell, text)
            return number
        if not is_dash(text):  # "——" / "无" are the forms' own marks for "not applicable"
            sheet.finding("CELL_NOT_NUMBER", path, location,
                          f"{location}应填数字，实际为文本“{text}”；请改为数字，或不适用时填“——”。", cell, text)
            return Reported(text)  # judged here: the checker does not judge it again (core/cells.py)
        return text
    if kind is Kind.INT:
        if value is None or (isinstance(value, str) and is_blank(value)):
            return 0
        number = to_decimal(value) if not isinstance(value, bool) else None
        if number is not None and number == number.to_integral_value():
            return int(number)
        sheet.finding("CELL_NOT_INTEGER", path, location, f"{location}应填整数（如 2023），实际为“{value}”。", cell, value)
        return ReportedInt(0)
    if kind is Kind.OPT_TEXT:
        if value is None:
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            # a rate typed as 100% in a number cell arrives as 1
            number = to_decimal(value)
            return fmt_pct(number) if number is not None else str(value)
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return _date_text(value)
        return str(value)
    if kind is Kind.MARK:
        return mark_value(value)
    # TEXT and KEY
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _date_text(value)
    return str(value)


#: what a mark cell (核心指标) holds when it is not set: blank, or one of these words
_NOT_SET = frozenset({"", "否", "非", "无", "不是", "N", "NO", "FALSE", "0", "×", "—", "——", "-", "一般", "一般指标", "普通"})
#: a text that says no by its first character: "非核心", "非核心指标", "不是核心", "否"
_NEGATIONS = ("非", "不", "否", "无")


def mark_value(value: object) -> bool:
    """A mark cell (核心指标): set by "是" (what ``fill`` writes), "√", "★", "核心", TRUE, 1 or any
    other text; not set when empty, FALSE, 0, "否"/"无"/"×"/"—"/"一般", or a text beginning with
    非/不/否/无 ("非核心指标") — a clerk's ways of saying no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return value != 0
    text = "".join(str(value).split()).upper()
    return text not in _NOT_SET and not text.startswith(_NEGATIONS)

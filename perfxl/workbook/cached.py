"""The cached values of the workbook's formulas, computed with the Python core.

Every formula cell is written with a cached value so that a viewer without the PERF_*
UDFs (LibreOffice, Excel on the web, openpyxl) shows numbers.  ``Values`` evaluates
the ``formula`` expression tree over the cells the builder has written, calling the
same ``perfxl.udfs`` functions Excel calls, with the arguments Excel would pass
(a float for a number, None for an empty cell).  A native formula (``formula.Native``:
rates, the 执行率 score, totals, grades, the UDF fallback) is evaluated by its Python
twin, which calls the core's rules (``sheets/native.py``); an exception in a UDF is
"#VALUE!" here as in Excel, which ``IFERROR`` turns into "需Python".

A cached text is written as XlsxWriter gives it, into the sheet's XML (not the shared
strings): ``cached`` escapes it with ``xltext.encode`` (a UDF message quoting a
department's text with a control character would otherwise make the XML unreadable).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..core.money import to_decimal
from .formula import Call, Concat, Expr, IfBlank, Lit, Native, Plus, Ref, Rng
from .xltext import encode

Value = Decimal | str | None


def udf_functions() -> dict[str, Callable[..., Any]]:
    from .. import udfs

    return {name: getattr(udfs, name) for name in udfs.UDF_NAMES}


def _excel_arg(value: Value) -> Any:
    """What Excel passes a UDF: a float for a number, None for an empty cell, else text."""
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return str(value)


class Values:
    """The cells written so far, and the cached value of any formula over them."""

    def __init__(self, functions: dict[str, Callable[..., Any]]):
        self.cells: dict[tuple[str, str], Value] = {}
        self.formulas: dict[tuple[str, str], Expr] = {}
        self.functions = functions
        self._memo: dict[tuple[str, str], Value] = {}

    def cell(self, sheet: str, cell: str) -> Value:
        key = (sheet, cell)
        if key in self._memo:
            return self._memo[key]
        if key in self.formulas:
            value = self.eval(self.formulas[key], sheet)
        else:
            value = self.cells.get(key)
        self._memo[key] = value
        return value

    def eval(self, expr: Expr, sheet: str) -> Value:
        if isinstance(expr, Ref):
            return self.cell(expr.sheet or sheet, expr.cell)
        if isinstance(expr, Lit):
            return expr.value if isinstance(expr.value, str) else Decimal(expr.value)
        if isinstance(expr, Concat):
            return "".join(_text(self.eval(p, sheet)) for p in expr.parts)
        if isinstance(expr, Plus):
            left = self.eval(expr.left, sheet)
            number = to_decimal(left)
            return None if number is None else number + expr.right
        if isinstance(expr, IfBlank):
            test = self.eval(expr.test, sheet)
            return self.eval(expr.blank if test in (None, "") else expr.other, sheet)
        if isinstance(expr, Call):
            return self._call(expr, sheet)
        if isinstance(expr, Native):
            args = [[self.cell(sheet, c) for c in a.cells()] if isinstance(a, Rng) else self.eval(a, sheet)
                    for a in expr.args]
            return expr.twin(*args)
        raise TypeError(expr)  # pragma: no cover

    def _numbers(self, expr: Expr, sheet: str) -> list[Decimal]:
        cells = expr.cells() if isinstance(expr, Rng) else None
        values = [self.cell(sheet, c) for c in cells] if cells is not None else [self.eval(expr, sheet)]
        return [v for v in values if isinstance(v, Decimal)]

    def _call(self, expr: Call, sheet: str) -> Value:
        if expr.fn == "SUM":
            return sum((n for a in expr.args for n in self._numbers(a, sheet)), Decimal(0))
        if expr.fn == "SUMIF":
            crange, crit, srange = expr.args
            key = _text(self.eval(crit, sheet)).casefold()
            assert isinstance(crange, Rng) and isinstance(srange, Rng)
            total = Decimal(0)
            for c, v in zip(crange.cells(), srange.cells(), strict=False):
                value = self.cell(sheet, v)
                if _text(self.cell(sheet, c)).casefold() == key and isinstance(value, Decimal):
                    total += value
            return total
        args = [_excel_arg(self.eval(a, sheet)) for a in expr.args]
        try:
            result = self.functions[expr.fn](*args)
        except Exception:  # a UDF error shows as an error in Excel too
            return "#VALUE!"
        if isinstance(result, bool):
            return str(result).upper()
        if isinstance(result, (int, float, Decimal)):
            return to_decimal(result)
        return "" if result is None else str(result)


def cached(value: Value) -> float | str:
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else encode(value)

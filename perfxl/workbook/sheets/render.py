"""From the core's declaration of the forms (``perfxl.core.forms``) to layout pieces.

The annex sheets (``basic``, ``performance``) keep only positions and styling; what a
row is, its label, kind and unit, and which cells add up or divide comes from the
``Form``.  This module is the dictionary between the two vocabularies:

* ``printed(label)``: a label as the sheet prints it; "{year}" / "{prior}" become a
  ``year_text`` formula of the year on 基本情况 ("{prior}年决算数" → "2022年决算数",
  without a year "上年决算数", "{year}年实际在职人数" → "本年实际在职人数": a blank
  workbook's headings read as sentences, issue 10);
* ``cell_kind`` / ``input_style`` / ``input_check``: a ``forms.Kind`` as a reader kind,
  an input style and a validation (money in 0.00, counts and scores as typed, a
  printed rate as text);
* ``rate_call`` and ``rate_expr``: a ``Rate`` as the native formula of its rule
  (``native.rate``; its Python twin is the same ``rules`` function the checker calls,
  and the PERF_* UDF of the rule stays for the users' own sheets);
* ``sum_expr``: the children of one ``Sum.terms()`` pair as a SUM of their cells;
* ``computed_path`` / ``check_header``: the names the computed cells take.

Decision: a rule without an entry in ``native.RATE_RULES`` is an error when the sheet
is laid out (``KeyError``), not a silently missing cell; add the rule's native formula
there (and its UDF in ``perfxl/udfs.py`` for the users' own sheets) together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ...core import forms
from ..decl import Check, Kind, Style
from ..formula import EMPTY, Expr, IfBlank, Ref, fsum
from . import native
from .common import year_text

#: what a year placeholder prints without a year ("{year}年预算数" → "本年预算数")
_BLANK = {"year": ("本年", 0), "prior": ("上年", -1)}
_PLACEHOLDER = re.compile(r"\{(year|prior)\}年")


def printed(label: str) -> str | Expr:
    """*label* as the sheet prints it: text, or a ``year_text`` formula for "{year}年…"."""
    match = _PLACEHOLDER.search(label)
    if match is None:
        return label
    blank, offset = _BLANK[match.group(1)]
    return year_text(label[:match.start()], offset, label[match.end():], blank)


def header_style(label: str) -> Style:
    """A heading: bold text, or the formula style when the year is in it."""
    return Style.OUT_HEADER if _PLACEHOLDER.search(label) else Style.HEADER


def cell_kind(kind: forms.Kind) -> Kind:
    """How the reader maps a cell of this kind: numbers (money, heads, ㎡, scores), a printed rate, text."""
    if kind is forms.Kind.RATE:
        return Kind.OPT_TEXT
    if kind is forms.Kind.TEXT:
        return Kind.TEXT
    return Kind.AMOUNT


def input_style(kind: forms.Kind) -> Style:
    """The input style: 0.00 for money, as typed for counts, areas and scores, text for rates."""
    return {forms.Kind.AMOUNT: Style.IN_MONEY, forms.Kind.RATE: Style.IN_RATE,
            forms.Kind.TEXT: Style.IN_TEXT}.get(kind, Style.IN_NUMBER)


def input_check(kind: forms.Kind) -> Check | None:
    """Scores (分值, 自评得分) are validated as a decimal ≥ 0."""
    return Check.WEIGHT if kind is forms.Kind.SCORE else None


def check_header(column: forms.Column) -> str:
    """The heading of a sum's check column: "上年决算数" → "核算：上年决算"."""
    return "核算：" + column.short.removesuffix("数")


def computed_path(result: str) -> str:
    """The path of the computed twin of a printed rate: "buildings.printed_area_rate" → "buildings.area_rate"."""
    return result.replace("printed_", "")


def rate_call(rule: str, numerator: str, denominator: str) -> Expr:
    """``IF(denominator="","",…)``: the native formula of *rule* on two cells (``native.rate``)."""
    num, den = Ref(numerator), Ref(denominator)
    return IfBlank(den, EMPTY, native.rate(rule, num, den))


def rate_expr(rate: forms.Rate, cell: Callable[[str], str]) -> Expr:
    """*rate* on the cells *cell* gives for its numerator and denominator paths."""
    return rate_call(rate.rule, cell(rate.numerator), cell(rate.denominator))


def sum_expr(children: Iterable[str], term: Callable[[str], Expr]) -> Expr:
    """``SUM(…)`` of the children's cells (a ``[*]`` child is its region: *term* gives a range)."""
    return fsum(*(term(child) for child in children))


R = TypeVar("R", forms.Sum, forms.SubItems, forms.Rate)


def relations(form: forms.Form, kind: type[R]) -> Iterator[R]:
    """The relations of *form* of one kind, in declaration order."""
    return (r for r in form.relations if isinstance(r, kind))

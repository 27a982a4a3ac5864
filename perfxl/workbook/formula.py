"""The formula language of computed cells: a tiny expression tree.

One declaration gives both the Excel formula (``Expr.formula(sheet)``) and, in the
builder (``cached.py``), the cached value computed with the Python core, so the two can
never disagree about which cells a formula reads.  Only what the forms need exists:
cell and range references, literals, function calls (SUM, SUMIF, the PERF_* UDFs),
``&`` concatenation, ``+ n`` on the year, ``IF(x="",…,…)``, and ``Native``: a native
Excel formula written from a template with its Python twin (``sheets/native.py`` makes
them: rates, the 执行率 score, totals, grades and the UDF fallback), so that the cached
value and the formula come from one declaration here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .a1 import cell_at, col_index, col_letters, quote_sheet, split_cell


class Expr:
    def formula(self, sheet: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self) -> tuple[Expr, ...]:
        """The sub-expressions (none for a leaf)."""
        return ()

    def refs(self) -> Iterator[Ref | Rng]:
        """Every cell and range the formula reads."""
        for child in self.children():
            yield from child.refs()


@dataclass(frozen=True)
class Ref(Expr):
    """A cell; ``sheet=None`` means the formula's own sheet (relative reference)."""

    cell: str
    sheet: str | None = None

    def formula(self, sheet: str) -> str:
        if self.sheet is None or self.sheet == sheet:
            return self.cell
        col, row = split_cell(self.cell)
        return f"{quote_sheet(self.sheet)}!${col}${row}"

    def refs(self) -> Iterator[Ref | Rng]:
        yield self


@dataclass(frozen=True)
class Rng(Expr):
    """A block of cells on the formula's own sheet, e.g. G19:G33."""

    first: str
    last: str

    def formula(self, sheet: str) -> str:
        return f"{self.first}:{self.last}"

    def cells(self) -> list[str]:
        c1, r1 = split_cell(self.first)
        c2, r2 = split_cell(self.last)
        return [cell_at(col_letters(c), r) for r in range(r1, r2 + 1) for c in range(col_index(c1), col_index(c2) + 1)]

    def refs(self) -> Iterator[Ref | Rng]:
        yield self


@dataclass(frozen=True)
class Lit(Expr):
    value: str | int

    def formula(self, sheet: str) -> str:
        if isinstance(self.value, str):
            return '"' + self.value.replace('"', '""') + '"'
        return str(self.value)


@dataclass(frozen=True)
class Call(Expr):
    """A function call: SUM, SUMIF or one of the PERF_* UDFs."""

    fn: str
    args: tuple[Expr, ...]

    def formula(self, sheet: str) -> str:
        return f"{self.fn}({','.join(a.formula(sheet) for a in self.args)})"

    def children(self) -> tuple[Expr, ...]:
        return self.args


@dataclass(frozen=True)
class Concat(Expr):
    parts: tuple[Expr, ...]

    def formula(self, sheet: str) -> str:
        return "&".join(p.formula(sheet) for p in self.parts)

    def children(self) -> tuple[Expr, ...]:
        return self.parts


@dataclass(frozen=True)
class Plus(Expr):
    left: Expr
    right: int

    def formula(self, sheet: str) -> str:
        return f"({self.left.formula(sheet)}{self.right:+d})"

    def children(self) -> tuple[Expr, ...]:
        return (self.left,)


@dataclass(frozen=True)
class IfBlank(Expr):
    """``IF(test="",blank,other)``: a formula cell stays empty until its input is typed."""

    test: Ref
    blank: Expr
    other: Expr

    def formula(self, sheet: str) -> str:
        return f'IF({self.test.formula(sheet)}="",{self.blank.formula(sheet)},{self.other.formula(sheet)})'

    def children(self) -> tuple[Expr, ...]:
        return (self.test, self.blank, self.other)


EMPTY = Lit("")


def udf(fn: str, *args: Expr) -> Call:
    return Call(fn, tuple(args))


def fsum(*args: Expr) -> Call:
    return Call("SUM", tuple(args))



@dataclass(frozen=True)
class Native(Expr):
    """A native Excel formula: *template* with ``{0}``, ``{1}`` … standing for the formulas
    of *args*, and *twin*, the same computation in Python (``cached.py`` calls it with the
    arguments' values: a list of values for a ``Rng``, a Decimal, a text or None otherwise).
    """

    template: str
    args: tuple[Expr, ...]
    twin: Callable[..., Any] = field(compare=False, repr=False)

    def formula(self, sheet: str) -> str:
        return self.template.format(*(a.formula(sheet) for a in self.args))

    def children(self) -> tuple[Expr, ...]:
        return self.args

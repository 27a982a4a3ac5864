"""A1 cell addresses: column letters ↔ indexes, "C12" ↔ ("C", 12), quoted sheet names.

The only place that knows Excel's A1 notation; formulas, the builder, the reader and
the xlwings writers all go through these helpers.
"""

from __future__ import annotations

import re


def col_index(letters: str) -> int:
    """"A" → 0, "K" → 10, "AA" → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    """0 → "A"."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


_CELL_RE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def split_cell(cell: str) -> tuple[str, int]:
    """"C12" → ("C", 12)."""
    m = _CELL_RE.match(cell)
    if not m:
        raise ValueError(f"not a cell: {cell!r}")
    return m.group(1), int(m.group(2))


def cell_at(col: str, row: int) -> str:
    return f"{col}{row}"


def shift_col(col: str, by: int) -> str:
    return col_letters(col_index(col) + by)


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


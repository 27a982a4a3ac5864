"""Row heights that fit their text (issue 10, item 5: "rows fit their text").

Excel and LibreOffice never grow a row for wrapped text in a merged range, and a file
written by XlsxWriter has no heights measured by Excel: a long 年度总体目标, 偏差原因
or 三级指标 name was clipped at the fixed height of its row.  So the builder estimates
each row's height from the texts it writes into it (``RowFit``), with what a build can
know deterministically (no font metrics, so the same data gives the same bytes):

* the width of a cell is the sum of its columns' widths (merged across: the range),
  in Excel's width units (about one digit "0" of the standard font);
* a text's width: a CJK or full-width character (``unicodedata.east_asian_width``
  W or F) counts 2 units, any other 1, scaled by the cell's font size against the
  10 pt of the sheets (a 宋体 10 pt 汉字 is about 13 px, a width unit 7 px);
* lines: each line of the text (split at line breaks) needs ceil(text width ÷ cell
  width) lines (a cell of width w is 7w + 5 px, about its text's 7w px after the
  padding: "服务对象满意度指标", 18 units, wraps in a column of 15 as in Excel);
* height: 13.5 pt a line at 10 pt (scaled with the font) and 4 pt of air, never
  below the height the layout declares for the row (or 15 pt, Excel's default), never
  above 409 pt (Excel's largest row), rounded up to a whole pixel (0.75 pt) as the
  file stores it.

Cells spanning several rows (the merged 一级指标 runs) and formula cells (the titles
with the year) are not measured: their rows keep their height.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping

from .a1 import col_index, col_letters, split_cell

#: Excel's default row height and its largest (points)
DEFAULT_HEIGHT, MAX_HEIGHT = 15.0, 409.0
#: Excel's default column width (units) for a column the layout gives none
DEFAULT_WIDTH = 8.43
#: the sheets' font size, and points a line at that size
BASE_SIZE, LINE = 10.0, 13.5
AIR = 4.0
#: a row is a whole number of pixels (0.75 pt; XlsxWriter writes the height so rounded)
PIXEL = 0.75


def text_units(text: str) -> int:
    """*text*'s width in column-width units: 2 for a CJK or full-width character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float, size: float = BASE_SIZE) -> int:
    """How many lines *text* wraps to in a cell *width* units wide at *size* points."""
    usable = max(1.0, width)
    scale = size / BASE_SIZE
    return sum(max(1, math.ceil(text_units(line) * scale / usable)) for line in text.split("\n"))


def height_for(text: str, width: float, size: float = BASE_SIZE) -> float:
    """The row height (points) that shows all of *text*, capped at Excel's largest."""
    points = lines_needed(text, width, size) * LINE * size / BASE_SIZE + AIR
    return min(MAX_HEIGHT, math.ceil(points / PIXEL) * PIXEL)


class RowFit:
    """The heights one sheet's rows need for the texts written into them."""

    def __init__(self, widths: Mapping[str, float]):
        self.widths = widths
        self.needed: dict[int, float] = {}

    def width(self, first_col: str, last_col: str) -> float:
        return sum(self.widths.get(col_letters(i), DEFAULT_WIDTH) for i in range(col_index(first_col), col_index(last_col) + 1))

    def note(self, ref: str, text: str, size: float = BASE_SIZE) -> None:
        """Text *text* written at *ref* (a cell or a range on one row)."""
        first, _, last = ref.partition(":")
        col1, row1 = split_cell(first)
        col2, row2 = split_cell(last) if last else (col1, row1)
        if row1 != row2 or not text:
            return
        need = height_for(text, self.width(col1, col2), size)
        if need > self.needed.get(row1, 0):
            self.needed[row1] = need

    def heights(self, declared: Mapping[int, float]) -> dict[int, float]:
        """{row: height} of the rows with a declared height or text taller than the default."""
        out = dict(declared)
        for row, need in self.needed.items():
            if need > out.get(row, DEFAULT_HEIGHT):
                out[row] = need
        return dict(sorted(out.items()))

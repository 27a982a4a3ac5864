"""Where a sheet's rows and cells lie, as the readers place them (``app.zipvet`` refuses a sheet
whose farthest cell is beyond the limits).

Decisions:
- A reader's grid runs from A1 to the farthest cell: one cell at XFD1048576 made
  python-calamine abort the process (a 549 GB allocation), whatever the counts of cells
  and the ``<dimension>`` say; so the farthest position is bounded by rows, columns and area.
- ``<c r="A1"``/``<row r="1"`` written as every program writes them (the common case) are
  checked by a few searches in C (``vet_positions``); anything else is parsed by expat and
  placed as calamine and openpyxl place it (``Positions``): a prefix is ignored, a tag
  without ``r`` follows the previous one, a character reference is decoded.  An ``r`` no
  program writes (``1e9``, ``A0001``, five letters), a second ``r``, or XML that does not
  parse is refused: the two readers disagree on such forms (found in review, issue 11).

Only the standard library, ``perfxl.errors`` and ``app.limits``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import InputLimitError
from .limits import Limits


def column(letters: str) -> int:
    """"AB" → 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


#: white space and quotes, all made one space: a second ``r`` however it is spelled then counts as " r="
_SPACES = bytes.maketrans(b"\t\n\r\"'", b"     ")
_CELL_POSITION = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ROW_POSITION = re.compile(r"[1-9][0-9]{0,6}")


@lru_cache(maxsize=8)
def _not_near(limits: Limits) -> re.Pattern[bytes]:
    """A ``<c r="…"``/``<row r="…"`` whose position is not plainly within *limits*: a column of more
    letters, or a row of more digits, than any position within them has (or not written the
    common way at all: lower case, a leading zero, ``1e9``).  Columns of fewer letters reach at
    most ``widest``, rows of fewer digits at most 10**digits − 1."""
    letters, widest = (2, 702) if limits.columns >= 702 else (1, 26) if limits.columns >= 26 else (0, 0)
    digits = 0
    while digits < 7 and 10 ** (digits + 1) - 1 <= limits.rows and (10 ** (digits + 1) - 1) * max(widest, 1) <= limits.area:
        digits += 1
    near_cell = rb"[A-Z]{1,%d}[1-9][0-9]{0,%d}" % (letters, max(digits - 1, 0)) if letters and digits else rb"(?!)"
    near_row = rb"[1-9][0-9]{0,%d}" % (digits - 1) if digits else rb"(?!)"
    return re.compile(rb'<(?:c r="(?!%s")|row r="(?!%s"))' % (near_cell, near_row))


def vet_positions(data: bytes, tags: int, part: object, limits: Limits) -> None:  # part: "<file> 的部件 <name>"
    """Refuse a sheet read whole whose rows or cells lie beyond the limits: a reader's grid runs
    from A1 to the farthest cell (one cell at XFD1048576 made python-calamine abort the process),
    whatever the counts and the ``<dimension>`` say.  The common case costs a few searches in C:
    each of the *tags* ``<row>``/``<c>`` begins with ``r="…"`` written the usual way, no other
    ``r`` attribute is anywhere (``_SPACES``), and no position is beyond the plainly near ones
    (``_not_near``).  Anything else — a prefix, single quotes, a tag without ``r`` (its position
    follows the previous one), a character reference, a second ``r``, a far position — is parsed
    by expat as the readers would (``Positions``)."""
    spaced = data.translate(_SPACES)
    common = (data.count(b'<c r="') + data.count(b'<row r="') == tags == spaced.count(b" r=")
              and b" r " not in spaced and _not_near(limits).search(data) is None)
    if not common:
        Positions(part, limits).feed(data, final=True)


def _refuse_far(last_row: int, last_col: int, part: object, limits: Limits) -> None:
    if last_row > limits.rows or last_col > limits.columns or last_row * max(last_col, 1) > limits.area:
        raise InputLimitError(f"{part} 中有位于第 {last_row} 行、第 {last_col} 列附近的单元格，超过上限（{limits.rows} 行、"
                              f"{limits.columns} 列、共 {limits.area} 个单元格）。请在 Excel 中删除远处多余的单元格后另存。")


class Positions:
    """The position of every ``<row>``/``<c>`` of a sheet as the readers take it, parsed by expat
    (fed whole, or chunk by chunk for a part over ``CHUNK``): a prefix is ignored, a tag without
    ``r`` follows the previous one (calamine: the previous column + 1, the previous row + 1), a
    character reference is decoded; an ``r`` in any other form (``1e9``, leading zeros, five
    letters) is refused, as is XML that does not parse (a second ``r``, a broken tag)."""

    def __init__(self, part: object, limits: Limits) -> None:
        from xml.parsers import expat

        self.part, self.limits = part, limits
        self.parser = expat.ParserCreate(encoding="utf-8")  # the chunks are UTF-8 (``_utf8_chunks``)
        self.parser.StartElementHandler = self._start
        self.error = expat.ExpatError
        self.row = self.col = self.last_row = self.last_col = 0

    def feed(self, data: bytes, *, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except self.error as exc:
            raise InputLimitError(f"{self.part} 已损坏（XML 格式错误：{exc}），已拒绝读取。"
                                  "请在 Excel 中打开该文件并另存为新文件后再试。") from None
        _refuse_far(self.last_row, self.last_col, self.part, self.limits)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local not in ("row", "c"):
            return
        r = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "r"), None)
        if local == "row":
            if r is not None and not _ROW_POSITION.fullmatch(r):
                raise self._odd(r)
            self.row, self.col = (int(r) if r is not None else self.row + 1), 0
            self.last_row = max(self.last_row, self.row)
            return
        if r is None:
            self.col += 1
            row = max(self.row, 1)
        else:
            found = _CELL_POSITION.fullmatch(r)
            if found is None:
                raise self._odd(r)
            self.col, row = column(found.group(1)), int(found.group(2))
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, self.col)

    def _odd(self, r: str) -> InputLimitError:
        return InputLimitError(f"{self.part} 中有单元格位置写作“{r[:40]}”，不是 Excel 的写法（如 A1、12），已拒绝读取。"
                               "请在 Excel 中打开该文件并另存为新文件后再试。")

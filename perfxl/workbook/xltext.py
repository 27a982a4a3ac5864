"""Values in a workbook cell, exactly: the ``_xHHHH_`` escapes, and what a cell cannot hold.

Why this module (issue 12 "lossless round trips")
-------------------------------------------------
XML 1.0 cannot hold most control characters, and an XML parser turns a carriage return
in text into a line feed.  Office Open XML therefore writes such a character as
``_xHHHH_`` (``"\\r"`` → ``_x000D_``), and a literal text that merely looks like an escape
gets its underscore escaped (``_x005F_``).  Excel decodes left to right, each
``_xHHHH_`` (hex in either case) becoming its character.

* ``encode`` is the writer's side, used for the shared strings of every workbook the
  builder makes (``builder._Workbook``).  XlsxWriter's own escaping is not used: it
  misses overlapping patterns (the literal ``_x005F_x000D_`` comes back as
  ``_x005F`` + CR) and writes a text that starts with ``<r>`` and ends with ``</r>``
  as raw XML (department text could inject markup or break the file).
  The underscore that starts a literal pattern is written ``_x005f_`` (lower-case hex:
  Excel and calamine decode it alike) and the ``x`` of a literal ``x005F_`` as
  ``_x0078_``, because openpyxl deletes every ``x005F_`` from shared strings
  (``text.replace('x005F_', '')``): with this encoding openpyxl's text is the file's
  raw text and ``decode`` gives the original back — with every reader.
* ``decode`` is the reader's side (``convert.convert``, for text read from a file;
  calamine decodes itself, and ``calamine.py`` hands any text with escapes to
  openpyxl, so the converter always receives raw text).  An escape of a lone surrogate
  (``_xD800_``) is left as it stands: no text in perfxl may hold one (JSON and .docx
  cannot write it).
* ``builder.Workbook`` writes the shared strings through ``encode`` (kept there: this
  module is imported by the reader, also where only xlwings is installed).
* ``number_refusal`` says why a number cannot be a cell's number exactly (Excel's range,
  its 15 significant digits, a double that does not read back as the same Decimal).
* ``refusal`` says why a text cannot go into a cell at all (Excel's 32,767 characters,
  a lone surrogate): ``fill`` refuses it naming the field, instead of cutting it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.money import to_decimal

#: Excel's limit on the characters of one cell ("Excel specifications and limits")
MAX_CELL_TEXT = 32767

_PATTERN = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: characters XML 1.0 cannot hold, plus CR (a parser turns it into LF) and the non-characters
_UNSAFE = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff"
#: one pass over the original text: the "_" that starts what would read as an escape
#: (its "_" may be an unsafe character's escape or a rewritten "x"), the "x" of "x005F_",
#: and the unsafe characters
_ENCODE = re.compile(
    rf"(_)(?=x[0-9A-Fa-f]{{4}}(?:[_{_UNSAFE}]|x005F[_{_UNSAFE}]))"
    rf"|(x)(?=005F[_{_UNSAFE}])"
    rf"|([{_UNSAFE}])"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    if match.group(1):
        return "_x005f_"
    if match.group(2):
        return "_x0078_"
    return f"_x{ord(match.group(3)):04X}_"


def encode(text: str) -> str:
    """*text* as a shared string's XML text must hold it (before ``&``/``<``/``>`` escaping)."""
    return _ENCODE.sub(_escape, text)


def _char(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group() if 0xD800 <= code <= 0xDFFF else chr(code)


def decode(text: str) -> str:
    """The text a cell's raw XML text stands for, decoded left to right as Excel does."""
    return _PATTERN.sub(_char, text) if "_x" in text else text


def refusal(text: str) -> str | None:
    """Why *text* cannot be a cell's text (Chinese), or ``None`` when it can."""
    if len(text) > MAX_CELL_TEXT:
        return f"文字长 {len(text)} 个字符，超过 Excel 单元格上限 {MAX_CELL_TEXT} 个字符；请删减后再填入"
    if _SURROGATE.search(text):
        return "含有无法保存的字符（孤立的代理项）；请检查并改正该处文字"
    return None


#: the largest number Excel holds ("Excel specifications and limits")
EXCEL_MAX = Decimal("9.99999999999999E+307")
#: the smallest positive number Excel holds (a smaller one becomes 0)
EXCEL_MIN = Decimal("2.2251E-308")
#: Excel keeps 15 significant digits of a number
EXCEL_DIGITS = 15


def number_refusal(number: Decimal) -> str | None:
    """Why *number* cannot be a cell's number exactly (Chinese), or ``None`` when it can."""
    if not number.is_finite() or abs(number) > EXCEL_MAX or (number and abs(number) < EXCEL_MIN):
        return f"数值 {number} 超出 Excel 能保存的范围（绝对值在 {EXCEL_MIN} 与 {EXCEL_MAX} 之间，或为 0）"
    if number and len(number.normalize().as_tuple().digits) > EXCEL_DIGITS:
        return f"数值 {number:f} 的有效数字超过 {EXCEL_DIGITS} 位，Excel 无法原样保存；请改为不超过 {EXCEL_DIGITS} 位有效数字"
    if to_decimal(float(number)) != number:
        return f"数值 {number:f} 无法在 Excel 中原样保存（过小或精度过高）"
    return None


def property_text(text: str, limit: int = 255) -> str:
    """*text* fit for a document property: printable, at most *limit* characters."""
    return "".join(ch for ch in text if ch.isprintable())[:limit]

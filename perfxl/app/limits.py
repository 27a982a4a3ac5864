"""Bounded cost before parsing: what an input may be, how large, how deep.

Files reach perfxl by mail, USB stick and upload, some damaged, a few hostile.  Before
``json`` or openpyxl sees a byte, ``zipvet.vet_input`` (a workbook) or ``read_json`` (a
data file) makes sure reading it costs bounded time and memory.  Every refusal is an
``InputLimitError`` (or ``NotRegularFileError``), exit 2, with a Chinese message naming
the file, the part and what to do.  This module holds the limits of both, the check that
an input is a regular file, and the data file's checks; ``zipvet`` the workbook's.

Decisions (the numbers and their reasons are also in docs/limits.md):

- **Only regular files are inputs.**  ``os.stat`` + ``stat.S_ISREG`` before opening, and
  the file is opened with ``O_NONBLOCK`` and checked again with ``fstat``, so a FIFO, a
  device (``/dev/zero``) or a directory never blocks or streams forever.  A workbook is
  then read from that descriptor once, and only that copy is parsed (``zipvet``).
- **JSON**: at most ``MAX_JSON_BYTES`` (20 MiB; a real data file is ~15 KB), read from the
  vetted descriptor with one byte more than the limit so a file that grows is caught too;
  nesting at most ``MAX_JSON_DEPTH`` (64; the data format is 5 deep) and at most
  ``MAX_JSON_VALUES`` values (200,000: 20 MB of ``[0,0,…]`` is 1.4 GB once parsed), both
  measured on the text with its strings removed, *before* parsing; the root must be an object; no
  lone surrogates (``"\\ud800"``): they cannot be written to a terminal, .docx or .xlsx.
- The limits are module constants gathered in ``Limits``; a caller that needs more passes
  its own ``Limits`` (the command line could offer ``--max-input-mb``).

Only the standard library and ``perfxl.errors``: this module sits below every reader.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import InputLimitError, NotRegularFileError

MiB = 1024 * 1024

#: a data file is ~15 KB; 20 MiB leaves room for thousands of indicators, not for a dump
MAX_JSON_BYTES = 20 * MiB
#: the data format nests 5 deep (root → projects → indicators → fields); json's own limit is ~1000
MAX_JSON_DEPTH = 64
#: values (≈ commas and brackets); the example has ~500, a large department ~20,000; each
#: costs ~100–500 bytes once parsed and converted, so this bounds memory, not the size limit
MAX_JSON_VALUES = 200_000
#: a perfxl workbook is ~70 KB on disk
MAX_WORKBOOK_BYTES = 50 * MiB
#: a perfxl workbook has ~35 parts
MAX_ENTRIES = 2_000
#: uncompressed size of one part and of all parts together
MAX_PART_BYTES = 64 * MiB
MAX_TOTAL_BYTES = 256 * MiB
#: uncompressed ÷ compressed above which a large part is a bomb (XML compresses 5–20×)
MAX_RATIO = 200
#: parts smaller than this are never refused for their ratio (a 10 KB part of spaces is harmless)
RATIO_FLOOR = 1 * MiB
#: rows and columns of one sheet (declared or present); the layout uses ~100 rows and columns A–K
MAX_ROWS = 100_000
MAX_COLUMNS = 1_024
#: declared rows × columns (the reader's grid is this large)
MAX_AREA = 2_000_000
#: ``<c>`` elements present in one sheet
MAX_CELLS = 1_000_000
#: strings in the shared-strings part, declared (count/uniqueCount) or present
MAX_SHARED_STRINGS = 1_000_000
#: bytes of text without markup: a cell holds at most 32,767 characters (≤ 800 KB as
#: escaped UTF-8); a longer run is padding or a string openpyxl would build whole
MAX_TEXT_RUN = 1 * MiB

@dataclass(frozen=True)
class Limits:
    """The limits of one run; the defaults are the module constants."""

    json_bytes: int = MAX_JSON_BYTES
    json_depth: int = MAX_JSON_DEPTH
    json_values: int = MAX_JSON_VALUES
    workbook_bytes: int = MAX_WORKBOOK_BYTES
    entries: int = MAX_ENTRIES
    part_bytes: int = MAX_PART_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    area: int = MAX_AREA
    cells: int = MAX_CELLS
    shared_strings: int = MAX_SHARED_STRINGS
    text_run: int = MAX_TEXT_RUN


DEFAULT_LIMITS = Limits()


def shown(path: str | os.PathLike[str]) -> str:
    """*path* as text that can be printed anywhere: bytes of a non-UTF-8 file name
    (surrogate escapes from ``argv``) as ``\\xNN``, control characters escaped."""
    try:
        text = os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system gave (a name built from data)
        text = os.fspath(path).encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


def in_mb(n: int) -> str:
    """*n* bytes as the messages say it: MB from 1 MB up, bytes below."""
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n} 字节"


# --------------------------------------------------------------------------- any file


def open_regular(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of *path*, which must be a regular file (never blocks)."""
    name = shown(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotRegularFileError(f"找不到文件：{name}") from None
    except OSError as exc:
        raise _cannot_read(name, exc) from None
    _require_regular(name, st.st_mode)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _cannot_read(name, exc) from None
    try:
        _require_regular(name, os.fstat(fd).st_mode)  # swapped between stat and open
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _require_regular(name: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "是文件夹，不是文件"
    elif stat.S_ISFIFO(mode):
        what = "是管道（FIFO），不是普通文件"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "是设备文件，不是普通文件"
    elif stat.S_ISSOCK(mode):
        what = "是套接字，不是普通文件"
    else:
        what = "不是普通文件"
    raise NotRegularFileError(f"{name} {what}：请给出数据文件（.json）或工作簿（.xlsm/.xlsx）本身。")


def _cannot_read(name: str, exc: OSError) -> NotRegularFileError:
    import errno

    reasons = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件不存在",
               errno.ENAMETOOLONG: "文件名过长", errno.ELOOP: "符号链接循环", errno.EIO: "磁盘读取错误"}
    reason = reasons.get(exc.errno or 0, f"系统错误 {exc.errno}")
    return NotRegularFileError(f"无法读取文件 {name}：{reason}。请检查文件是否存在、是否有读取权限。")


# --------------------------------------------------------------------------- JSON

#: a string (possessive, so an unclosed one costs one pass) and the brackets
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")
_JSON_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_json(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The JSON object in *path*, read within *limits*; ``InputLimitError`` otherwise."""
    name = shown(path)
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        if os.fstat(fh.fileno()).st_size > limits.json_bytes:
            raise _too_large_json(name, limits)
        raw = fh.read(limits.json_bytes + 1)
    if len(raw) > limits.json_bytes:
        raise _too_large_json(name, limits)
    if not raw.strip():
        raise InputLimitError(f"{name}：文件是空的，不是 perfxl 数据文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputLimitError(f"{name}：不是 UTF-8 编码的文本文件，无法作为 JSON 数据文件读取。"
                              "请用 UTF-8 编码保存（perfxl export 导出的文件就是）。") from None
    del raw
    check_json_shape(text, name, limits)
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputLimitError(f"{name}：JSON 嵌套层数过多，不是 perfxl 数据文件。") from None
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # e.g. an integer of thousands of digits
            raise InputLimitError(f"{name}：JSON 中有无法处理的数值（位数过多）。") from None
        raise InputLimitError(
            f"{name}：JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列附近），请检查括号、引号和逗号是否成对、完整。"
        ) from None
    if not isinstance(data, dict):
        kind = {type(None): "null", list: "数组（列表）", str: "字符串", bool: "布尔值"}.get(type(data), "数值")
        raise InputLimitError(f"{name}：JSON 的最外层是{kind}，应为对象（{{…}}）：不是 perfxl 数据文件。"
                              "请用 perfxl export 或 perfxl schema 给出的格式。")
    where = _lone_surrogate(data) if _JSON_SURROGATE_ESCAPE.search(text) else None
    if where is not None:
        raise InputLimitError(f"{name}：{where} 中有无效的 Unicode 字符（孤立的代理项，如 \\ud800），"
                              "无法写入报告或工作簿。请删除该字符后重试。")
    return data


def _too_large_json(name: str, limits: Limits) -> InputLimitError:
    return InputLimitError(f"{name}：数据文件超过 {in_mb(limits.json_bytes)} 的上限，不是 perfxl 数据文件"
                           "（正常的数据文件只有几十 KB）。请确认给出的是正确的文件。")


def check_json_shape(text: str, name: str, limits: Limits) -> None:
    """Refuse *text* with more than ``limits.json_values`` values or brackets (outside
    strings) nested deeper than ``limits.json_depth`` — before ``json`` builds anything:
    20 MB of ``[0,0,…]`` or ``{},{},…`` would take 1–2 GB as Python objects."""
    structure = _JSON_STRING.sub("", text)  # C speed; what is left is numbers, literals, punctuation
    tokens = sum(structure.count(ch) for ch in ",[]{}")
    if tokens > 2 * limits.json_values:
        raise InputLimitError(f"{name}：JSON 中的值超过 {limits.json_values} 个的上限，不是 perfxl 数据文件"
                              "（一个部门的数据只有几千个值）。")
    depth = 0
    for match in _JSON_BRACKETS.finditer(structure):
        if match.group() in "[{":
            depth += 1
            if depth > limits.json_depth:
                raise InputLimitError(f"{name}：JSON 嵌套层数过多（超过 {limits.json_depth} 层），"
                                      "不是 perfxl 数据文件（数据格式只有几层）。")
        else:
            depth -= 1


def _lone_surrogate(data: Any) -> str | None:
    """The path (``projects[0].name``) of the first string holding a lone surrogate."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return where or "数据"
        elif isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    return f"{where}.{key!r}".lstrip(".")
                stack.append((f"{where}.{key}".lstrip("."), item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False

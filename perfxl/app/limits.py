"""Bounded cost before parsing: what an input may be, how large, how deep.

Files reach perfxl by mail, USB stick and upload, some damaged, a few hostile.  Before
``json`` or openpyxl sees a byte, ``vet_input`` makes sure reading it costs bounded time
and memory.  Every refusal is an ``InputLimitError`` (or ``NotRegularFileError``), exit 2,
with a Chinese message naming the file, the part and what to do.

Decisions (the numbers and their reasons are also in docs/limits.md):

- **Only regular files are inputs.**  ``os.stat`` + ``stat.S_ISREG`` before opening, and
  the file is opened with ``O_NONBLOCK`` and checked again with ``fstat``, so a FIFO, a
  device (``/dev/zero``) or a directory never blocks or streams forever.  A workbook is
  then read from that descriptor once, and only that copy is parsed (below).
- **JSON**: at most ``MAX_JSON_BYTES`` (20 MiB; a real data file is ~15 KB), read from the
  vetted descriptor with one byte more than the limit so a file that grows is caught too;
  nesting at most ``MAX_JSON_DEPTH`` (64; the data format is 5 deep) and at most
  ``MAX_JSON_VALUES`` values (200,000: 20 MB of ``[0,0,…]`` is 1.4 GB once parsed), both
  measured on the text with its strings removed, *before* parsing; the root must be an object; no
  lone surrogates (``"\\ud800"``): they cannot be written to a terminal, .docx or .xlsx.
- **Workbooks** (zip packages): the end-of-central-directory record is read by hand
  first, so a directory of millions of entries is refused before ``zipfile`` builds a
  ``ZipInfo`` for each; then the declared sizes: entries, per-part and total uncompressed
  size, and the compression ratio of large parts (a zip bomb declares its size; ``zipfile``
  stops at the declared size and fails the CRC if a part lies, so declared sizes bound the
  work of openpyxl too).  Then every XML part (.xml, .rels, .vml) is read in chunks through
  ``zipfile`` (never whole) and refused if it declares a DOCTYPE or ENTITY (entity bombs,
  external entities: Excel never writes them), names an encoding other than UTF-8/UTF-16
  (so the byte scan cannot be dodged), declares a ``<dimension ref>`` beyond
  ``MAX_ROWS`` × ``MAX_COLUMNS`` / ``MAX_AREA``, holds more ``<row>``/``<c>`` elements than
  ``MAX_ROWS``/``MAX_CELLS``, or (sharedStrings) declares or holds more than
  ``MAX_SHARED_STRINGS`` strings, or has a run of text without markup longer than
  ``MAX_TEXT_RUN`` (1 MiB: a cell holds 32,767 characters).  The counts are of elements actually present, so a sheet
  that lies in its ``<dimension>`` is still bounded.
- **What was vetted is what is read.**  A workbook is read into memory once (at most
  ``workbook_bytes``); ``vet_input`` returns those bytes with the XML parts it
  decompressed (``Vetted``), and the reader parses that copy: a file changed between the
  check and the read cannot slip past, and no part is decompressed twice (issue 11).
- A package that is not a zip, truncated or without ``xl/workbook.xml`` is left to the
  reader (``perfxl.workbook.reader.open_source``), which already names those cases.
- The limits are module constants gathered in ``Limits``; a caller that needs more passes
  its own ``Limits`` (the command line could offer ``--max-input-mb``).

Only the standard library and ``perfxl.errors``: this module sits below every reader.
It is ~490 lines, over the house's ~400: the JSON and the package checks share
``Limits``, ``open_regular`` and the wording of the messages, and every limit is read
best beside the others; splitting it would scatter docs/limits.md over two modules.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
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

CHUNK = 1 * MiB
#: decompressed XML parts handed on to the reader (``Vetted``): a perfxl workbook has ~200 KB
KEEP_BYTES = 16 * MiB
XML_SUFFIXES = (".xml", ".rels", ".vml")


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


def _mb(n: int) -> str:
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


@dataclass(frozen=True)
class Vetted:
    """A workbook as vetted: its bytes, read once (the readers parse this copy, so what was
    vetted is what is read, whatever happens to the file meanwhile), and the XML parts the
    vetting decompressed whole, as they are in the package (the reader takes them instead
    of decompressing them again), at most ``KEEP_BYTES`` of them in all."""

    data: bytes
    parts: dict[str, bytes]


def vet_input(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Vetted | None:
    """Refuse *path* unless reading it as a workbook costs bounded time and memory; a
    workbook's bytes and parts as vetted (``Vetted``).

    A data file is vetted while it is read (``read_json``); this is for workbooks, and
    checks only that a non-workbook is a regular file (``None``)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        if Path(path).suffix.lower() not in (".xlsm", ".xlsx", ".xltm", ".xltx"):
            return None
        name = shown(path)
        _refuse_size(os.fstat(fh.fileno()).st_size, name, limits)
        data = fh.read(limits.workbook_bytes + 1)
    _refuse_size(len(data), name, limits)  # it grew since
    parts: dict[str, bytes] = {}
    vet_workbook(io.BytesIO(data), name, limits, keep=parts)
    return Vetted(data, parts)


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
    return InputLimitError(f"{name}：数据文件超过 {_mb(limits.json_bytes)} 的上限，不是 perfxl 数据文件"
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


# --------------------------------------------------------------------------- workbooks

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_MAGIC = b"PK\x05\x06"


def _refuse_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.workbook_bytes:
        raise InputLimitError(f"{name}：文件大小超过 {_mb(limits.workbook_bytes)} 的上限（perfxl 工作簿通常不足 1 MB）。"
                              "请确认给出的是正确的文件，或删除其中的图片等多余内容后另存。")


def vet_workbook(fh: Any, name: str, limits: Limits = DEFAULT_LIMITS, keep: dict[str, bytes] | None = None) -> None:
    """Refuse the zip package open in *fh* (binary, seekable) if it exceeds *limits* or
    holds a hostile XML part.  Not a zip at all: left to the reader.  *keep*: where to
    put the XML parts read whole (up to ``KEEP_BYTES`` in all)."""
    size = fh.seek(0, 2)
    _refuse_size(size, name, limits)
    entries = _declared_entries(fh, size)
    if entries is None:
        return  # not a zip (or damaged): the reader names it
    if entries > limits.entries:
        raise InputLimitError(f"{name}：压缩包中有 {entries} 个部件，超过 {limits.entries} 的上限，不是 perfxl 工作簿。")
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as package:
            infos = package.infolist()
            _vet_sizes(infos, name, limits)
            kept = [0]
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES) and not info.is_dir():
                    _vet_xml_part(package, info, name, limits, keep, kept)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
        return  # damaged, encrypted, an unknown compression: the reader says "已损坏"


def _declared_entries(fh: Any, size: int) -> int | None:
    """Entries declared by the end-of-central-directory record, found as ``zipfile``
    finds it (the last 22 bytes, else the last signature in the comment), and by the
    zip64 record ``zipfile`` would then prefer; ``None``: not a zip."""
    tail_len = min(size, _EOCD.size + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len) if tail_len else b""
    if not tail:
        return None
    at = len(tail) - _EOCD.size if tail[-_EOCD.size:].startswith(_EOCD_MAGIC) else tail.rfind(_EOCD_MAGIC)
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(tail, at)
    entries = int(fields[4])
    eocd_offset = size - len(tail) + at
    if eocd_offset >= _ZIP64_LOCATOR.size:
        fh.seek(eocd_offset - _ZIP64_LOCATOR.size)
        locator = _ZIP64_LOCATOR.unpack(fh.read(_ZIP64_LOCATOR.size))
        if locator[0] == b"PK\x06\x07":
            fh.seek(min(locator[2], max(size - _ZIP64_END.size, 0)))
            record = fh.read(_ZIP64_END.size)
            if len(record) == _ZIP64_END.size and record.startswith(b"PK\x06\x06"):
                entries = max(entries, int(_ZIP64_END.unpack(record)[7]))
    return entries


_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


def _vet_sizes(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    total = 0
    for info in infos:
        part, size = info.filename, info.file_size
        if size > limits.part_bytes:
            raise InputLimitError(f"{name}：部件 {shown(part)} 解压后有 {_mb(size)}，超过 {_mb(limits.part_bytes)} 的上限"
                                  "（可能是压缩炸弹或被填充的文件）。请在 Excel 中删除多余内容后另存。")
        if size > RATIO_FLOOR and size > limits.ratio * max(info.compress_size, 1):
            raise InputLimitError(f"{name}：部件 {shown(part)} 的压缩比超过 {limits.ratio}:1（压缩炸弹），已拒绝读取。")
        total += size
        if total > limits.total_bytes:
            raise InputLimitError(f"{name}：解压后总大小超过 {_mb(limits.total_bytes)} 的上限（可能是压缩炸弹），已拒绝读取。")


#: the elements counted, each once: those starting in a chunk with ``findall`` (in C), and a tag
#: split across two chunks (it starts within ``_CARRY_TAG`` bytes of the chunk's start) by itself
_CARRY_TAG = 40  # longer than any counted tag ("<" + a 31-character prefix + "row" + one more)
_TAGS = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?(row|c|si)[\s>/]")
#: most parts have no prefixed tags: the plain pattern is twice as fast; any prefixed
#: counted tag (``<x:c``) contains one of these, so the full pattern runs whenever it may matter
_PLAIN_TAGS = re.compile(rb"<(row|c|si)[\s>/]")
_PREFIX_HINT = re.compile(rb":(?:row|c|si)[\s>/]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_CARRY_DECL = 16  # a declaration split across two chunks starts in the carry's last bytes
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?dimension\s[^>]{0,200}?ref\s*=\s*[\"']([^\"']{1,40})[\"']")
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?sst\s[^>]{0,2000}>")
_SST_COUNT = re.compile(rb"\b(?:count|uniqueCount)\s*=\s*[\"'](\d{1,30})[\"']")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d{1,10})?")
_XML_DECL_ENCODING = re.compile(r"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([^\"']{0,40})[\"']")
_CARRY = 2100  # longer than any pattern above, so a match split across two chunks is still seen


class _Part:
    """"<file> 的部件 <part>" for a message, made only when one is written (``shown`` costs)."""

    __slots__ = ("filename", "name")

    def __init__(self, name: str, filename: str) -> None:
        self.name, self.filename = name, filename

    def __format__(self, spec: str) -> str:
        return f"{self.name} 的部件 {shown(self.filename)}"


def _vet_xml_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits,
                  keep: dict[str, bytes] | None = None, kept: list[int] | None = None) -> None:
    part = _Part(name, info.filename)
    counts = {b"row": 0, b"c": 0, b"si": 0}
    seen_dimension = seen_sst = False
    carry = b""
    run = 0  # bytes since the last "<"
    whole = None
    if info.file_size <= CHUNK:  # nearly every part: read whole (``zipfile`` stops at the declared size)
        whole = package.read(info)
        if keep is not None and kept is not None and kept[0] + len(whole) <= KEEP_BYTES:
            keep[info.filename] = whole  # a part refused below raises: nothing kept is read then
            kept[0] += len(whole)
    for chunk in _utf8_chunks(package, info, part, limits, whole):
        run = _text_run(run, chunk, part, limits)
        data = carry + chunk
        # the byte tests first: ``in`` and ``findall`` stay in C, a Python loop per tag would not
        if b"<!" in data and _DECLARATION.search(data, max(len(carry) - _CARRY_DECL, 0)):
            raise InputLimitError(f"{part} 含有 DOCTYPE/ENTITY 声明（XML 实体炸弹或外部实体），Excel 保存的工作簿不会有，"
                                  "已拒绝读取。请在 Excel 中打开并另存为新文件。")
        # a tag split across the chunks: searched only around the seam (none before the first
        # chunk), not through the rest of a chunk that may have no counted tag at all
        for match in _TAGS.finditer(data, max(len(carry) - _CARRY_TAG, 0), len(carry) + _CARRY_TAG) if carry else ():
            if match.start() < len(carry) < match.end():
                counts[match.group(1)] += 1
        found = (_TAGS if b":" in data and _PREFIX_HINT.search(data) else _PLAIN_TAGS).findall(data, len(carry))
        for tag, n in Counter(found).items():  # counted in C: a sheet has hundreds of cells
            counts[tag] += n
        if counts[b"row"] > limits.rows or counts[b"c"] > limits.cells:
            raise InputLimitError(f"{part} 的行数或单元格数超过上限（{limits.rows} 行、{limits.cells} 个单元格），"
                                  "不是 perfxl 工作表。请删除多余的行后另存。")
        if counts[b"si"] > limits.shared_strings:
            raise InputLimitError(f"{part} 中的共享字符串超过 {limits.shared_strings} 个的上限，已拒绝读取。")
        if not seen_dimension and b"dimension" in data and (dim := _dimension_in(data)):
            seen_dimension = True
            _vet_dimension(dim.group(1).decode("ascii", "replace"), part, limits)
        if not seen_sst and b"sst" in data and (sst := _SST.search(data)):
            seen_sst = True
            declared = max((int(n) for n in _SST_COUNT.findall(sst.group())), default=0)
            if declared > limits.shared_strings:
                raise InputLimitError(f"{part} 声明了 {declared} 个共享字符串，超过 {limits.shared_strings} 个的上限，已拒绝读取。")
        carry = data[-_CARRY:]


def _dimension_in(data: bytes) -> re.Match[bytes] | None:
    """The ``<dimension>``: searched before ``<sheetData`` first (where Excel writes it), so the
    thousands of cells after it are not searched for a tag that is not among them."""
    head = data.find(b"sheetData")
    found = _DIMENSION.search(data, 0, head) if head > 0 else None
    # not before it: the whole part, as if there were no shortcut ("sheetData" may be inside the tag itself)
    return found or _DIMENSION.search(data)


def _text_run(run: int, chunk: bytes, part: _Part, limits: Limits) -> int:
    """The run of bytes without "<" after *chunk*, given *run* before it; refused when
    any run exceeds ``limits.text_run``."""
    if run + len(chunk) <= limits.text_run:  # no run can be longer than all there is (most parts)
        at = chunk.rfind(b"<")
        return run + len(chunk) if at < 0 else len(chunk) - at - 1
    pieces = chunk.split(b"<")
    longest = run + len(pieces[0])
    if len(pieces) > 1:
        longest = max(longest, max(map(len, pieces[1:])))
        run = len(pieces[-1])
    else:
        run = longest
    if longest > limits.text_run:
        raise InputLimitError(f"{part} 中有一段超过 {_mb(limits.text_run)} 的连续文本（一个单元格最多 32,767 个字符；"
                              "可能是被填充的文件），已拒绝读取。请在 Excel 中删除过长的内容后另存。")
    return run


def _vet_dimension(ref: str, part: _Part, limits: Limits) -> None:
    rows = cols = 1
    corners = [_CELL_REF.fullmatch(side) for side in ref.split(":")]
    if len(corners) == 2 and corners[0] and corners[1]:
        (c1, r1), (c2, r2) = corners[0].groups(), corners[1].groups()
        if r1 and r2:
            rows = abs(int(r2) - int(r1)) + 1
        if c1 and c2:
            cols = abs(_column(c2) - _column(c1)) + 1
    if rows > limits.rows or cols > limits.columns or rows * cols > limits.area:
        raise InputLimitError(f"{part} 声明的区域 {ref} 有 {rows} 行 × {cols} 列，超过上限（{limits.rows} 行、"
                              f"{limits.columns} 列、共 {limits.area} 个单元格）。请在 Excel 中删除多余的行列后另存。")


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _utf8_chunks(package: zipfile.ZipFile, info: zipfile.ZipInfo, part: _Part, limits: Limits,
                 whole: bytes | None = None) -> Iterator[bytes]:
    """The part's bytes (*whole*: already read whole) as UTF-8 in chunks, at most
    ``limits.part_bytes`` read.  A UTF-16 part is decoded; any other declared encoding is
    refused (the byte scan would miss a DOCTYPE written in it)."""
    if whole is not None:
        data = whole
        if data:
            decoder = _decoder(data, part)
            yield decoder.decode(data, final=True).encode("utf-8", "replace") if decoder else data
        return
    read = 0
    decoder = None
    with package.open(info) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > limits.part_bytes:
                raise InputLimitError(f"{part} 解压后超过 {_mb(limits.part_bytes)} 的上限，已拒绝读取。")
            if read == len(chunk):  # the first chunk says the encoding
                decoder = _decoder(chunk, part)
            yield decoder.decode(chunk).encode("utf-8", "replace") if decoder else chunk


def _decoder(head: bytes, part: _Part) -> codecs.IncrementalDecoder | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    elif head.startswith(codecs.BOM_UTF8) or not head.startswith((b"\x00", b"\xfe", b"\xff", b"\x4c\x6f")):
        encoding = ""
    else:
        raise InputLimitError(f"{part} 使用了无法识别的编码，已拒绝读取。请在 Excel 中打开并另存为新文件。")
    text = head[:400].decode(encoding or "utf-8", "replace")
    declared = _XML_DECL_ENCODING.search(text)
    allowed = ("utf-16", "utf16", "unicode") if encoding else ("utf-8", "utf8", "us-ascii", "ascii")
    if declared and declared.group(1).strip().lower() not in allowed:
        raise InputLimitError(f"{part} 声明了编码“{declared.group(1)}”，Excel 只用 UTF-8，已拒绝读取。"
                              "请在 Excel 中打开并另存为新文件。")
    return codecs.getincrementaldecoder(encoding)("replace") if encoding else None

"""Bounded cost before parsing a workbook: the zip package and its XML parts (``app.limits``
holds the limits and the data file's checks).

Decisions (the numbers and their reasons are also in docs/limits.md):

- **Workbooks** (zip packages): the end-of-central-directory record is read by hand
  first, so a directory of millions of entries is refused before ``zipfile`` builds a
  ``ZipInfo`` for each; then the declared sizes: entries, per-part and total uncompressed
  size, and the compression ratio of large parts (a zip bomb declares its size; ``zipfile``
  stops at the declared size and fails the CRC if a part lies, so declared sizes bound the
  work of openpyxl too).  Then every XML part is read through ``zipfile`` (whole up to
  ``CHUNK``, 1 MiB, in chunks beyond) — a part named .xml, .rels or .vml, and any other
  whose first bytes begin a tag (the readers follow the relationships, not the names: a
  sheet stored as .dat is a sheet) — and refused if it declares a DOCTYPE or ENTITY (entity bombs,
  external entities: Excel never writes them), names an encoding other than UTF-8/UTF-16
  (so the byte scan cannot be dodged), declares a ``<dimension ref>`` beyond
  ``MAX_ROWS`` × ``MAX_COLUMNS`` / ``MAX_AREA``, holds more ``<row>``/``<c>`` elements than
  ``MAX_ROWS``/``MAX_CELLS``, or (sharedStrings) declares or holds more than
  ``MAX_SHARED_STRINGS`` strings, or has a run of text without markup longer than
  ``MAX_TEXT_RUN`` (1 MiB: a cell holds 32,767 characters), or has a ``<row>``/``<c>`` beyond
  the rows, columns or area (a reader's grid runs from A1 to the farthest cell: one cell at
  XFD1048576 made python-calamine abort the process).  Positions written the common way are
  checked by searches in C; any other form is parsed by expat and placed as the readers place
  it (``positions.Positions``), an ``r`` no program writes (``1e9``, ``A0001``) refused.  The counts are of
  elements actually present, so a sheet that lies in its ``<dimension>`` is still bounded.
- **A part that cannot be read is a refusal**, not the end of the checks: a part failing
  its CRC or not inflating stops the vetting with "已损坏" (returning quietly would leave
  the parts after it unchecked while the readers still read them).
- **What was vetted is what is read.**  A workbook is read into memory once (at most
  ``workbook_bytes``); ``vet_input`` returns those bytes with the XML parts it
  decompressed (``Vetted``), and the reader parses that copy: a file changed between the
  check and the read cannot slip past, and no part is decompressed twice (issue 11).
  python-calamine parses a package made of the vetted parts alone (its Rust zip reader
  sees entries ``zipfile`` does not).
- A package whose directory cannot be read (not a zip, truncated) or without
  ``xl/workbook.xml`` is left to the reader (``perfxl.workbook.reader.open_source``), which already names those cases.

Only the standard library, ``perfxl.errors`` and ``app.limits``: this module sits below every reader.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputLimitError
from .limits import DEFAULT_LIMITS, RATIO_FLOOR, Limits, MiB, in_mb, open_regular, shown
from .positions import Positions, column, vet_positions

CHUNK = 1 * MiB
#: decompressed XML parts handed on to the reader (``Vetted``): a perfxl workbook has ~200 KB
KEEP_BYTES = 16 * MiB
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class Vetted:
    """A workbook as vetted: its bytes, read once (the readers parse this copy, whatever happens
    to the file meanwhile), and every XML part the vetting read, as ``zipfile`` gave it — or
    none when they are more than ``KEEP_BYTES`` (a part over ``CHUNK`` is never kept).  The
    reader takes the parts instead of decompressing them again, and python-calamine parses a
    package made of them alone (``workbook.calamine``): its own zip reader could otherwise find
    bytes ``zipfile`` never gave the vetting (an entry ``zipfile`` takes for a folder, a name
    given again in a Unicode-path field)."""

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


# --------------------------------------------------------------------------- workbooks

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_MAGIC = b"PK\x05\x06"


def _refuse_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.workbook_bytes:
        raise InputLimitError(f"{name}：文件大小超过 {in_mb(limits.workbook_bytes)} 的上限（perfxl 工作簿通常不足 1 MB）。"
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
        package = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError):
        return  # the directory itself is damaged: the reader says "已损坏"
    with package:
        infos = package.infolist()
        _vet_sizes(infos, name, limits)
        kept = [0]
        for info in infos:
            if info.is_dir():
                continue
            try:
                if info.filename.lower().endswith(XML_SUFFIXES) or _looks_like_xml(package, info):
                    _vet_xml_part(package, info, name, limits, keep, kept)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError):
                # a part that cannot be read whole: nothing after it would be vetted either
                raise InputLimitError(f"{_Part(name, info.filename)} 已损坏（无法解压或校验不符），已拒绝读取。"
                                      "请在 Excel 中打开该文件（Excel 会尝试修复）并另存为新文件后再试。") from None


_BINARY_HEAD = 4096


def _looks_like_xml(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part not named .xml/.rels/.vml could still be parsed as XML (a reader follows the
    relationships, not the names): its first bytes, after a BOM and white space, begin a tag,
    or are all white space (padding before one).  Images and the VBA project (binary) do not."""
    if info.filename.startswith("xl/media/"):  # pictures (an SVG is XML): no reader parses them
        return False
    try:
        with package.open(info) as stream:
            head = stream.read(_BINARY_HEAD)
    except (RuntimeError, NotImplementedError):  # an encrypted or oddly compressed binary part: no reader parses it
        return False
    if _utf16(head):
        return True
    rest = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    return rest.startswith(b"<") or (not rest and len(head) == _BINARY_HEAD)


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
            raise InputLimitError(f"{name}：部件 {shown(part)} 解压后有 {in_mb(size)}，超过 {in_mb(limits.part_bytes)} 的上限"
                                  "（可能是压缩炸弹或被填充的文件）。请在 Excel 中删除多余内容后另存。")
        if size > RATIO_FLOOR and size > limits.ratio * max(info.compress_size, 1):
            raise InputLimitError(f"{name}：部件 {shown(part)} 的压缩比超过 {limits.ratio}:1（压缩炸弹），已拒绝读取。")
        total += size
        if total > limits.total_bytes:
            raise InputLimitError(f"{name}：解压后总大小超过 {in_mb(limits.total_bytes)} 的上限（可能是压缩炸弹），已拒绝读取。")


#: the elements counted, each once: those starting in a chunk with ``findall`` (in C), and a tag
#: split across two chunks (it starts within ``_CARRY_TAG`` bytes of the chunk's start) by itself
_CARRY_TAG = 72  # longer than any counted tag ("<" + a 64-byte prefix + ":" + "row" + one more)
_TAGS = re.compile(rb"<(?:[^\s<>/!?:=\"']{1,64}:)?(row|c|si)[\s>/]")
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
    whole = package.read(info) if info.file_size <= CHUNK else None  # nearly every part: whole
    positions = None if whole is not None else Positions(part, limits)  # a large part: parsed as it streams
    text = b""
    for chunk in _utf8_chunks(package, info, part, limits, whole):
        if positions is not None:
            positions.feed(chunk)
        else:
            text = chunk  # a part read whole comes as one chunk
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
        tally = Counter(found)  # counted in C: a sheet has hundreds of cells
        for tag, n in tally.items():
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
    if positions is not None:
        positions.feed(b"", final=True)
    elif counts[b"c"] or counts[b"row"]:  # a sheet (not the shared strings, whose text may say anything)
        vet_positions(text, counts[b"c"] + counts[b"row"], part, limits)
    # kept once vetted (a refused part raised above), and only the entry ``zipfile`` reads by this
    # name (a package may hold two entries of one name: both are vetted, the last is read); all
    # of them or none (``Vetted``): kept[0] < 0 once one could not be
    if keep is None or kept is None or kept[0] < 0 or package.NameToInfo.get(info.filename) is not info:
        return
    if whole is None or kept[0] + len(whole) > KEEP_BYTES:
        keep.clear()
        kept[0] = -1
        return
    keep[info.filename] = whole
    kept[0] += len(whole)


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
        raise InputLimitError(f"{part} 中有一段超过 {in_mb(limits.text_run)} 的连续文本（一个单元格最多 32,767 个字符；"
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
            cols = abs(column(c2) - column(c1)) + 1
    if rows > limits.rows or cols > limits.columns or rows * cols > limits.area:
        raise InputLimitError(f"{part} 声明的区域 {ref} 有 {rows} 行 × {cols} 列，超过上限（{limits.rows} 行、"
                              f"{limits.columns} 列、共 {limits.area} 个单元格）。请在 Excel 中删除多余的行列后另存。")


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
                raise InputLimitError(f"{part} 解压后超过 {in_mb(limits.part_bytes)} 的上限，已拒绝读取。")
            if read == len(chunk):  # the first chunk says the encoding
                decoder = _decoder(chunk, part)
            yield decoder.decode(chunk).encode("utf-8", "replace") if decoder else chunk


def _utf16(head: bytes) -> bool:
    """Whether a parser takes *head* for UTF-16: a BOM, or (as expat decides) a zero byte first
    (big-endian) or second (little-endian) — " <" in UTF-16 has no "<" where UTF-8 has it."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:1] == b"\x00" or head[1:2] == b"\x00"


def _decoder(head: bytes, part: _Part) -> codecs.IncrementalDecoder | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head[1:2] == b"\x00" and head[:1] != b"\x00":
        encoding = "utf-16-le"
    elif head[:1] == b"\x00":
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

"""Generators of bad and hostile inputs, made at test time (no binaries in the repository).

Each generator takes a folder and returns the path of one input.  Zip packages are
written by hand (``write_zip``) so a part can declare its true size while its deflate
stream is built from one repeated segment: a 1 GB bomb costs ~0.3 s and ~1 MB.  The
tests that use these are in ``test_hostile.py``; this module has no tests of its own.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"
EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SEGMENT = 16 * 1024 * 1024

#: one zip member: (name, raw deflate data, uncompressed size, crc32)
Member = tuple[str, bytes, int, int]


def deflated(data: bytes) -> Member:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return ("", c.compress(data) + c.flush(), len(data), zlib.crc32(data))


def deflated_repeat(prefix: bytes, unit: bytes, total: int, suffix: bytes) -> Member:
    """*prefix* + *unit* repeated to *total* bytes + *suffix*, deflated in O(one segment):
    after a full flush the compressor forgets, so equal input gives equal output."""
    chunk = unit * (SEGMENT // len(unit))
    count, rest = divmod(total, len(chunk))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    seg = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_c.compress(chunk[:rest] + suffix) + tail_c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(chunk[:rest] + suffix, crc)
    return ("", head + seg * count + tail, len(prefix) + count * len(chunk) + rest + len(suffix), crc)


def write_zip(path: Path, members: list[Member], *, entries_field: int | None = None) -> Path:
    """A zip of *members* (deflated), written by hand; *entries_field* forges the count."""
    out, central = bytearray(), bytearray()
    for name, raw, size, crc in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, crc, len(raw), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    n = len(members) if entries_field is None else entries_field
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def example_members(replace: dict[str, Member | bytes] | None = None) -> list[Member]:
    """The example workbook's parts, with some replaced (bytes are deflated here)."""
    replace = dict(replace or {})
    members = []
    with zipfile.ZipFile(EXAMPLE_XLSM) as z:
        for info in z.infolist():
            new = replace.pop(info.filename, None)
            data = z.read(info) if new is None else new
            member = deflated(data) if isinstance(data, bytes) else data
            members.append((info.filename, *member[1:]))
    members += [(name, *(deflated(m) if isinstance(m, bytes) else m)[1:]) for name, m in replace.items()]
    return members


def example_part(name: str) -> bytes:
    with zipfile.ZipFile(EXAMPLE_XLSM) as z:
        return z.read(name)


def workbook(folder: Path, name: str, replace: dict[str, Member | bytes]) -> Path:
    return write_zip(folder / name, example_members(replace))


# --------------------------------------------------------------------------- the cases

LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
XXE = (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
       b"<si><t>&x;</t></si></sst>")
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _sheet_with_dimension(ref: bytes) -> bytes:
    data = example_part(SHEET)
    start = data.index(b"<dimension ref=")
    end = data.index(b"/>", start) + 2
    return data[:start] + b'<dimension ref="' + ref + b'"/>' + data[end:]


def fast_deflated(data: bytes) -> Member:
    c = zlib.compressobj(1, zlib.DEFLATED, -15)
    return ("", c.compress(data) + c.flush(), len(data), zlib.crc32(data))


def _rows(rows: int, cells: int) -> Member:
    """A sheet that declares one cell but holds *rows* × *cells* real, distinct cells
    (so it compresses like a real sheet, not like a bomb)."""
    body = b"".join(b'<row r="%d">%s</row>' % (r, b"".join(b'<c r="%s%d"><v>%d</v></c>' % (col, r, r)
                                                            for col in COLUMNS[:cells]))
                    for r in range(1, rows + 1))
    return fast_deflated(SHEET_HEAD + b'<dimension ref="A1"/><sheetData>' + body + b"</sheetData></worksheet>")


COLUMNS = [bytes([65 + i]) for i in range(26)]


def _strings(n: int) -> Member:
    """A shared-strings part that declares 229 strings and holds *n* distinct ones."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="229" uniqueCount="229">')
    return fast_deflated(head + b"".join(b"<si><t>%d</t></si>" % i for i in range(n)) + b"</sst>")


def _long_text(size: int) -> Member:
    """A sheet with one inline string of *size* bytes of incompressible text."""
    import base64

    text = base64.b64encode(os.urandom(size * 3 // 4))
    return fast_deflated(SHEET_HEAD + b'<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                         + text + b"</t></is></c></row></sheetData></worksheet>")


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def _folder(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    return path


def _sparse(folder: Path, name: str, size: int, head: bytes = b"") -> Path:
    path = folder / name
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _text(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _ole(folder: Path, name: str) -> Path:
    return _text(folder, name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


def _truncated(folder: Path, name: str) -> Path:
    data = EXAMPLE_XLSM.read_bytes()
    return _text(folder, name, data[: len(data) // 2])


def _not_a_workbook(folder: Path, name: str) -> Path:
    return write_zip(folder / name, [("readme.txt", *deflated(b"hello")[1:])])


def _many_entries(folder: Path, name: str) -> Path:
    tiny = deflated(b"x")[1:]
    return write_zip(folder / name, [(f"x/{i}.txt", *tiny) for i in range(3_000)])


def _utf16_doctype(folder: Path, name: str) -> Path:
    return workbook(folder, name, {SHEET: b"\xff\xfe" + LAUGHS.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"')
                                   .decode().encode("utf-16-le")})


#: name → (file name, generator(folder, file name) → path).  Every one must be refused (exit 2).
CASES: dict[str, tuple[str, Callable[[Path, str], Path]]] = {
    # data files
    "json-empty": ("empty.json", lambda d, n: _text(d, n, b"")),
    "json-root-null": ("null.json", lambda d, n: _text(d, n, b"null")),
    "json-root-list": ("list.json", lambda d, n: _text(d, n, b"[1, 2]")),
    "json-root-string": ("string.json", lambda d, n: _text(d, n, b'"\xe9\x83\xa8\xe9\x97\xa8"')),
    "json-deep-arrays": ("deep.json", lambda d, n: _text(d, n, b"[" * 200_000 + b"]" * 200_000)),
    "json-deep-objects": ("deep-obj.json", lambda d, n: _text(d, n, b'{"a":' * 100 + b"1" + b"}" * 100)),
    "json-lone-surrogate": ("surrogate.json", lambda d, n: _text(d, n, b'{"department": "\\ud800x"}')),
    "json-surrogate-key": ("surrogate-key.json", lambda d, n: _text(d, n, b'{"\\udfff": 1}')),
    "json-raw-surrogate-bytes": ("raw-surrogate.json", lambda d, n: _text(d, n, b'{"department": "\xed\xa0\x80"}')),
    "json-gbk": ("gbk.json", lambda d, n: _text(d, n, '{"department": "衡山县科协"}'.encode("gbk"))),
    "json-nul-bytes": ("nul.json", lambda d, n: _text(d, n, b"\x00" * 1000)),
    "json-huge-integer": ("bigint.json", lambda d, n: _text(d, n, b'{"year": ' + b"9" * 100_000 + b"}")),
    "json-200mb": ("huge.json", lambda d, n: _sparse(d, n, 200 * 1024 * 1024, b'{"department": "')),
    "json-wide-array": ("wide.json", lambda d, n: _text(d, n, b'{"projects": [' + b"0," * 9_000_000 + b"0]}")),
    "json-many-objects": ("objects.json", lambda d, n: _text(d, n, b'{"projects": [' + b"{}," * 6_000_000 + b"{}]}")),
    "json-many-strings": ("strings.json", lambda d, n: _text(d, n, b'{"projects": [' + b'"",' * 6_000_000 + b'""]}')),
    "json-unclosed-string": ("unclosed.json", lambda d, n: _text(d, n, b'{"a": "' + b"[" * 100_000)),
    # things that are not regular files
    "fifo-json": ("pipe.json", _fifo),
    "fifo-xlsm": ("pipe.xlsm", _fifo),
    "dir-json": ("folder.json", _folder),
    "dir-xlsm": ("folder.xlsm", _folder),
    "missing": ("missing.json", lambda d, n: d / n),
    "symlink-to-dev-zero": ("zero.json", lambda d, n: (d / n).symlink_to("/dev/zero") or d / n),
    "symlink-loop": ("loop.xlsm", lambda d, n: (d / n).symlink_to(d / n) or d / n),
    "unknown-suffix": ("data.txt", lambda d, n: _text(d, n, EXAMPLE_JSON.read_bytes())),
    # damaged or foreign workbooks
    "xlsm-empty": ("empty.xlsm", lambda d, n: _text(d, n, b"")),
    "xlsm-text": ("text.xlsm", lambda d, n: _text(d, n, b"hello, not a workbook\n")),
    "xlsm-ole": ("old.xlsm", _ole),
    "xls-ole": ("old.xls", _ole),
    "xlsm-truncated": ("truncated.xlsm", _truncated),
    "xlsm-zip-not-workbook": ("archive.xlsm", _not_a_workbook),
    "xlsm-60mb": ("big.xlsm", lambda d, n: _sparse(d, n, 60 * 1024 * 1024, b"PK\x03\x04")),
    # hostile workbooks
    "zip-bomb-1gb": ("bomb.xlsm", lambda d, n: workbook(d, n, {SHEET: deflated_repeat(b"", b"\0", 1 << 30, b"")})),
    "zip-ratio-10mb": ("ratio.xlsm", lambda d, n: workbook(d, n, {SHEET: deflated_repeat(b"", b" ", 10 << 20, b"")})),
    "zip-many-entries": ("many.xlsm", _many_entries),
    "zip-forged-zip64-count": ("zip64.xlsm", lambda d, n: write_zip(d / n, example_members(), entries_field=0xFFFF)),
    "whitespace-padded-sheet": ("padded.xlsm", lambda d, n: workbook(d, n, {SHEET: deflated_repeat(
        SHEET_HEAD, b" ", 100 << 20, b"<sheetData/></worksheet>")})),
    "billion-laughs-sheet": ("laughs.xlsm", lambda d, n: workbook(d, n, {SHEET: LAUGHS})),
    "external-entity-strings": ("xxe.xlsm", lambda d, n: workbook(d, n, {STRINGS: XXE})),
    "doctype-content-types": ("ct.xlsm", lambda d, n: workbook(d, n, {"[Content_Types].xml": example_part(
        "[Content_Types].xml").replace(b"?>", b"?><!DOCTYPE x [<!ENTITY y 'z'>]>", 1)})),
    "doctype-utf16-sheet": ("utf16.xlsm", _utf16_doctype),
    "foreign-encoding": ("utf7.xlsm", lambda d, n: workbook(d, n, {SHEET: example_part(SHEET).replace(
        b'encoding="UTF-8"', b'encoding="UTF-7"', 1)})),
    "dimension-whole-sheet": ("xfd.xlsm", lambda d, n: workbook(d, n, {SHEET: _sheet_with_dimension(b"A1:XFD1048576")})),
    "dimension-million-rows": ("rows-declared.xlsm", lambda d, n: workbook(d, n, {SHEET: _sheet_with_dimension(
        b"A1:B1000000")})),
    "million-rows-present": ("rows.xlsm", lambda d, n: workbook(d, n, {SHEET: _rows(1_000_000, 1)})),
    "million-cells-present": ("cells.xlsm", lambda d, n: workbook(d, n, {SHEET: _rows(50_000, 25)})),
    "shared-strings-declared": ("sst-count.xlsm", lambda d, n: workbook(d, n, {STRINGS: re.sub(
        rb'count="\d+" uniqueCount="\d+"', b'count="900000000" uniqueCount="900000000"', example_part(STRINGS), count=1)})),
    "cell-text-4mb": ("long-text.xlsm", lambda d, n: workbook(d, n, {SHEET: _long_text(4 << 20)})),
    "shared-strings-present": ("sst.xlsm", lambda d, n: workbook(d, n, {STRINGS: _strings(1_200_000)})),
    # more of what arrives by mail and USB stick
    "json-root-number": ("number.json", lambda d, n: _text(d, n, b"42")),
    "json-root-true": ("true.json", lambda d, n: _text(d, n, b"true")),
    "json-bom-then-text": ("bom.json", lambda d, n: _text(d, n, b"\xef\xbb\xbfnot json at all")),
    "json-trailing-garbage": ("trailing.json", lambda d, n: _text(d, n, EXAMPLE_JSON.read_bytes() + b"\n}}garbage")),
    "json-truncated": ("cut.json", lambda d, n: _text(d, n, EXAMPLE_JSON.read_bytes()[:4000])),
    "json-utf16": ("utf16.json", lambda d, n: _text(d, n, EXAMPLE_JSON.read_text(encoding="utf-8").encode("utf-16"))),
    "symlink-to-folder": ("folder-link.json", lambda d, n: (d / n).symlink_to(d) or d / n),
    "dir-xlsx": ("folder.xlsx", _folder),
    "xlsx-empty": ("empty.xlsx", lambda d, n: _text(d, n, b"")),
    "xlsm-gzip": ("packed.xlsm", lambda d, n: _text(d, n, __import__("gzip").compress(b"<x/>" * 1000, mtime=0))),
    "xlsm-pdf": ("report.xlsm", lambda d, n: _text(d, n, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")),
    "billion-laughs-strings": ("laughs-sst.xlsm", lambda d, n: workbook(d, n, {STRINGS: LAUGHS})),
    "doctype-workbook-part": ("wb-doctype.xlsm", lambda d, n: workbook(d, n, {"xl/workbook.xml": example_part(
        "xl/workbook.xml").replace(b"?>", b"?><!DOCTYPE x [<!ENTITY y SYSTEM 'file:///etc/passwd'>]>", 1)})),
}

#: the cases whose cost is the point: run once more in a real process, peak memory measured
BOMBS = ("zip-bomb-1gb", "whitespace-padded-sheet", "billion-laughs-sheet", "million-rows-present",
         "shared-strings-present", "dimension-whole-sheet", "cell-text-4mb", "json-200mb", "json-deep-arrays",
         "json-wide-array", "json-many-objects", "json-many-strings", "fifo-json")


def make(case: str, folder: Path) -> Path:
    name, generate = CASES[case]
    return generate(folder, name)

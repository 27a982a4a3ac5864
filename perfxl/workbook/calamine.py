"""The fast file reader: a ``CellSource`` on python-calamine, giving exactly what openpyxl gives.

Why calamine
------------
Reading a workbook through openpyxl costs ~50 ms per file, three quarters of it in
workbook/style parsing and cell objects (issue 11); python-calamine (Rust) reads every
sheet of the same file in ~2 ms.  ``read_workbook`` therefore reads through
``CalamineSource`` when python-calamine is installed (the ``workbook`` extra) and
through ``OpenpyxlSource`` otherwise.  openpyxl stays for everything calamine does not
give: styles and their cell positions (the builder, the tests), the parts checks
(``reader.file_findings``: NO_VBA reads the zip directory, not openpyxl), and as the
fallback below.

What is read here, and how
--------------------------
* Sheet names and defined names come from ``xl/workbook.xml`` and its relationships,
  parsed with ``xml.etree.ElementTree`` on a bounded read after refusing any DOCTYPE
  (no entity can expand).  openpyxl's rules are kept: a ``<sheet>`` without r:id or
  whose part is missing is left out (and sheet-scoped names index the remaining list,
  as openpyxl does), print areas/titles and other reserved names are dropped as
  openpyxl drops them.
* Cell values come from calamine, one grid per sheet, then are made equal to
  openpyxl's ``data_only`` values (``_cell``):
  - numbers: calamine gives floats for every number.  A float is the same double
    openpyxl parses from the same ``<v>`` text, so ``to_decimal`` (``repr`` → Decimal)
    gives the same Decimal; an integral float below 2**53 becomes the ``int`` openpyxl
    gives for "12" (the converter treats 12 and 12.0 alike).  An integral float at or
    beyond 2**53 may have lost digits openpyxl keeps → ``Inexact``.
  - ``""`` is calamine's empty cell: it becomes None, except where the sheet XML says
    otherwise — error cells (``t="e"``: openpyxl gives the text "#DIV/0!", calamine an
    empty cell) and empty strings (an empty inline string, or a shared string that is
    empty) are patched from the sheet part, read only when it has such cells.
  - dates, times and durations: calamine's date-format rules differ from openpyxl's
    (e.g. built-in formats 27–36 and 50–58, the Chinese date formats, are dates for
    calamine and numbers for openpyxl) → ``Inexact`` when a read cell holds one (no
    field of the forms is a date, so this is rare).
  - openpyxl's read-only mode reads only the rows and columns of the sheet's
    ``<dimension ref>`` (a tool that writes a wrong one hides cells from it): the grid
    is cut the same way; a sheet without one is read whole by both.
  - strings with ``_xHHHH_`` escapes (calamine unescapes them, openpyxl does not) or
    phonetic runs, and sheets whose cell tags carry a namespace prefix → ``Inexact``.
    So the converter always receives the raw text and decodes it once, exactly
    (``convert.py`` with ``xltext.decode``; the builder's ``xltext.encode`` keeps
    openpyxl's raw text exact).
* ``Inexact`` (and any calamine error) makes ``reader.read_workbook`` read the file
  again through openpyxl: the result is openpyxl's in every case, calamine only makes
  the common case fast.  ``tests/workbook/test_reader_calamine.py`` compares both
  readers cell for cell and model for model.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .a1 import col_index, split_cell
from .sources import GridSource, spread_merged

__all__ = ["CalamineSource", "Inexact", "available"]

#: xl/workbook.xml above this is not read here (openpyxl, with the input limits, decides)
WORKBOOK_XML_LIMIT = 32 * 1024 * 1024
EMPTY: Mapping[str, bytes] = {}  # no part kept: every part is read from the package
_EXACT_INT = 2**53
_RESERVED = re.compile(r"^_xlnm\.(Print_Area|Print_Titles|Criteria|_FilterDatabase|Extract|Consolidate_Area|Sheet_Title)")
_GLOBAL_DROPPED = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s>]")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb"""\b(r|t)=["']([^"']*)["']""")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SELF_CLOSED_T = re.compile(rb"<t\b[^>]*/>")
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*\bref=["']([^"']*)["']""")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")  # "_x000D_": calamine unescapes it, openpyxl does not
_TEMPORAL = (dt.datetime, dt.date, dt.time, dt.timedelta)


class Inexact(Exception):
    """calamine cannot give exactly openpyxl's values for this file: read it through openpyxl."""


def available() -> bool:
    """Whether python-calamine is installed."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_bounded(z: zipfile.ZipFile, name: str, limit: int, kept: Mapping[str, bytes] = EMPTY) -> bytes:
    data = kept.get(name)
    if data is None:
        with z.open(name) as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise Inexact(f"{name} is larger than {limit} bytes")
    return data


def _stored_package(parts: Mapping[str, bytes]) -> bytes:
    """A zip of *parts*, stored (not compressed: calamine then only copies them), for python-calamine:
    it reads the parts the vetting read, not whatever its own zip reader would find in the file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _read(z: zipfile.ZipFile, name: str, kept: Mapping[str, bytes]) -> bytes:
    data = kept.get(name)
    return z.read(name) if data is None else data


def _safe_xml(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        from .reader import WorkbookError

        raise WorkbookError("工作簿的 xl/workbook.xml 含有 DOCTYPE 声明（Excel 从不写入），为安全起见拒绝读取。")
    return ElementTree.fromstring(data)


def _relationships(z: zipfile.ZipFile, kept: Mapping[str, bytes] = EMPTY) -> dict[str, str]:
    """r:id → part name of xl/workbook.xml's relationships."""
    name = "xl/_rels/workbook.xml.rels"
    if name not in z.NameToInfo:
        return {}
    out = {}
    for rel in _safe_xml(_read_bounded(z, name, WORKBOOK_XML_LIMIT, kept)):
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[rel.get("Id") or ""] = part
    return out


def workbook_parts(z: zipfile.ZipFile, kept: Mapping[str, bytes] = EMPTY,
                   ) -> tuple[list[tuple[str, str]], list[tuple[str | None, str, str]]]:
    """([(sheet name, part)] in workbook order, [(scope sheet or None, name, refers-to)]) as openpyxl sees them.
    *kept*: parts already decompressed (``app.zipvet.Vetted``), taken instead of reading them again."""
    root = _safe_xml(_read_bounded(z, "xl/workbook.xml", WORKBOOK_XML_LIMIT, kept))
    rels = _relationships(z, kept)
    sheets: list[tuple[str, str]] = []
    raw_names: list[tuple[str | None, str, str]] = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
            if rid and rid not in rels:
                raise Inexact("a sheet without its relationship")  # openpyxl fails on it: let it say so
            part = rels.get(rid) if rid else None
            if part is not None and part in z.NameToInfo:
                sheets.append((element.get("name") or "", part))
        elif tag == "definedName":
            raw_names.append((element.get("localSheetId"), element.get("name") or "", element.text or ""))
    names: list[tuple[str | None, str, str]] = []
    for local_id, name, text in raw_names:
        if local_id is None:
            if name not in _GLOBAL_DROPPED:
                names.append((None, name, text))
            continue
        index = int(local_id)
        if -len(sheets) <= index < len(sheets) and not _RESERVED.match(name):  # openpyxl indexes a list
            names.append((sheets[index][0], name, text))
    return sheets, names


def _empty_shared_strings(z: zipfile.ZipFile, kept: Mapping[str, bytes] = EMPTY) -> set[bytes]:
    """The indexes (as ``<v>`` text) of the empty shared strings; ``Inexact`` for texts calamine reads differently."""
    name = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in z.NameToInfo), None)
    if name is None:
        return set()
    data = _read(z, name, kept)
    if _ESCAPE.search(data) or b"<rPh" in data or re.search(rb"<\w+:si[\s>]", data):
        raise Inexact("shared strings with escapes, phonetic runs or prefixes")
    if not (b"></t>" in data or b"<si/>" in data or b"<si></si>" in data or _SELF_CLOSED_T.search(data)):
        return set()  # no empty text anywhere: no empty shared string
    out = set()
    for index, item in enumerate(re.finditer(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", data, re.S)):
        body = item.group(1) or b""
        if not re.search(rb"<t\b[^>]*>[^<]", body):
            out.add(str(index).encode())
    return out


def _cell(value: object) -> object:
    """A calamine value as openpyxl gives it (``""`` → None; see the module docstring)."""
    if value == "":
        return None
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= _EXACT_INT:
                raise Inexact("an integer beyond 2**53")
            return int(value)
        return value
    if isinstance(value, _TEMPORAL):
        raise Inexact("a date or time (calamine and openpyxl tell dates by different rules)")
    return value


def _dimension(data: bytes) -> tuple[int, int] | None:
    """(last row, last column) from 1 of the sheet part's ``<dimension ref>``, None without one.

    openpyxl's read-only mode reads only the rows and columns the dimension declares (a
    tool that writes a wrong one hides cells from it); calamine reads every cell.
    """
    head = data[:data.find(b"<sheetData")] if b"<sheetData" in data else data
    found = _DIMENSION.search(head)
    if found is None:
        return None
    ref = _REF.match(found.group(1).decode().split(":")[-1].replace("$", ""))
    if ref is None:
        raise Inexact("a dimension openpyxl reads its own way")
    return int(ref.group(2)), col_index(ref.group(1)) + 1


class _Exact:
    """A value taken from the sheet XML, already as openpyxl gives it."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value


class CalamineSource(GridSource):
    """A workbook file read through python-calamine; values as ``OpenpyxlSource`` gives them."""

    def __init__(self, path: Path, package: zipfile.ZipFile | None = None, *, data: bytes | None = None,
                 kept: Mapping[str, bytes] = EMPTY):
        """*package*: the file already open as a zip (``reader.open_source`` checked it); the source closes it.
        *data*: the file's bytes, read once (calamine parses them, not the file again); *kept*: its
        parts already decompressed (``app.zipvet.Vetted``)."""
        super().__init__()
        import python_calamine

        self.path = Path(path)
        if package is None:  # the same copy calamine parses
            package = zipfile.ZipFile(self.path if data is None else io.BytesIO(data))
        self._zip = package
        self._kept = kept
        try:
            self._sheets, self._names = workbook_parts(self._zip, kept)
            self._parts = dict(self._sheets)
            self._empty_shared = _empty_shared_strings(self._zip, kept)
            calamine = python_calamine.CalamineWorkbook
            if kept:  # every part the vetting read, and only those (``app.zipvet.Vetted``)
                self.book: Any = calamine.from_filelike(io.BytesIO(_stored_package(kept)))
            elif data is not None:
                self.book = calamine.from_filelike(io.BytesIO(data))
            else:
                self.book = calamine.from_path(self.path)
        except BaseException:
            self._zip.close()
            raise

    @property
    def package(self) -> zipfile.ZipFile:
        """The open zip package (``reader.file_findings`` looks into it)."""
        return self._zip

    def sheet_names(self) -> list[str]:
        return [name for name, _ in self._sheets]

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        return list(self._names)

    def grid(self, sheet: str) -> list[Sequence[object]]:
        """calamine's rows, with the cells it reads as empty and openpyxl does not replaced by
        ``_Exact``, cut to the sheet's ``<dimension>`` as openpyxl's read-only mode cuts them."""
        found = self.book.get_sheet_by_name(sheet)
        rows: list[list[object]] = found.to_python(skip_empty_area=False)
        data = _read(self._zip, self._parts[sheet], self._kept)
        for (r, c), value in self._patches(data).items():
            while len(rows) <= r:
                rows.append([])
            line = rows[r]
            line.extend([""] * (c + 1 - len(line)))
            line[c] = _Exact(value)
        size = _dimension(data)
        if size is not None:
            last_row, last_col = size
            rows = [line[:last_col] for line in rows[:last_row]]
        spans = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in found.merged_cell_ranges or ()]
        return spread_merged(list(rows), spans)  # a blank cell of a merged range reads as its value

    def values(self, sheet: str, cells: Sequence[str]) -> list[object]:
        # only the cells read are converted: a date elsewhere on the sheet does not matter
        return [v.value if isinstance(v, _Exact) else _cell(v) for v in super().values(sheet, cells)]

    def _patches(self, data: bytes) -> dict[tuple[int, int], object]:
        """{(row, col) from 0: value} for the cells of the sheet part *data* that calamine reads
        as empty and openpyxl does not."""
        # the byte tests first: ``in`` is several times faster than a regex over the part
        if (b":c " in data or b":c>" in data) and _PREFIXED_CELL.search(data):
            raise Inexact("cell tags with a namespace prefix")
        if not self._empty_shared and not (b"t=\"e\"" in data or b"t='e'" in data or b"inlineStr" in data):
            return {}
        if b"inlineStr" in data and _ESCAPE.search(data):
            raise Inexact("inline strings with _xHHHH_ escapes")
        out: dict[tuple[int, int], object] = {}
        for match in _CELL.finditer(data):
            attrs = dict((k.decode(), v.decode()) for k, v in _ATTR.findall(match.group(1)))
            kind, body = attrs.get("t", "n"), match.group(2) or b""
            value: object
            if kind == "e":
                found = _VALUE.search(body)
                if found is None:
                    continue
                value = found.group(1).decode()
            elif kind == "inlineStr":
                if b"<is" not in body or re.search(rb"<t\b[^>]*>[^<]", body):
                    continue
                value = ""
            elif kind == "s" and self._empty_shared:
                found = _VALUE.search(body)
                if found is None or found.group(1).strip() not in self._empty_shared:
                    continue
                value = ""
            else:
                continue
            if "r" not in attrs:
                raise Inexact("a cell without its address")
            col, row = split_cell(attrs["r"])
            out[(row - 1, col_index(col))] = value
        return out

    def close(self) -> None:
        try:
            self.book.close()
        finally:
            self._zip.close()

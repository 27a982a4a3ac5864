"""The pre-scan of ``perfxl.app.limits`` itself: patterns split across chunks, counts
exact at the limit, forged zip64 records, and limits a caller can raise."""

from __future__ import annotations

import random
import re
import struct

import pytest

from perfxl.app import limits, zipvet
from perfxl.app.limits import Limits
from perfxl.app.zipvet import vet_input
from perfxl.errors import InputLimitError

from .test_hostile_files import EXAMPLE_JSON, LAUGHS, SHEET, SHEET_HEAD, STRINGS, example_part, workbook


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_doctype_split_across_chunks_is_seen(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    path = workbook(tmp_path, "laughs.xlsm", {SHEET: LAUGHS})
    with pytest.raises(InputLimitError, match="DOCTYPE"):
        vet_input(path)


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_rows_are_counted_exactly_whatever_the_chunks(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    # the example's sheets: ≤ 61 rows, ≤ 534 cells (the indicator rows' optional columns L:S, issue 9)
    rows = b"".join(b'<row r="%d"><c r="A%d"/></row>' % (r, r) for r in range(1, 1001))
    path = workbook(tmp_path, "rows.xlsm", {SHEET: SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData></worksheet>"})
    vet_input(path, Limits(rows=1000, cells=1000))
    with pytest.raises(InputLimitError, match="行数或单元格数"):
        vet_input(path, Limits(rows=999))
    with pytest.raises(InputLimitError, match="行数或单元格数"):
        vet_input(path, Limits(cells=999))


def test_shared_strings_counted_at_the_limit(tmp_path):
    path = workbook(tmp_path, "s.xlsm", {})
    part = example_part(STRINGS)
    present = part.count(b"<si>")
    declared = max(int(n) for n in re.search(rb'count="(\d+)" uniqueCount="(\d+)"', part).groups())
    vet_input(path, Limits(shared_strings=max(present, declared)))
    with pytest.raises(InputLimitError, match="共享字符串"):
        vet_input(path, Limits(shared_strings=min(present, declared) - 1))


def test_a_forged_zip64_record_is_believed_as_zipfile_would(tmp_path):
    """A zip64 end record before the ordinary one overrides its count in ``zipfile``."""
    path = workbook(tmp_path, "z.xlsm", {})
    data = path.read_bytes()
    eocd = data.rindex(b"PK\x05\x06")
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**7, 10**7, 0, 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, eocd, 1)
    path.write_bytes(data[:eocd] + record + locator + data[eocd:])
    with pytest.raises(InputLimitError, match="10000000 个部件"):
        vet_input(path)


def test_a_utf16_part_without_doctype_passes_the_scan(tmp_path):
    part = example_part(SHEET).replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode("utf-8")
    path = workbook(tmp_path, "u.xlsm", {SHEET: b"\xff\xfe" + part.encode("utf-16-le")})
    vet_input(path)


def test_limits_can_be_raised_by_a_caller(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(EXAMPLE_JSON.read_bytes() + b" " * 3000)
    assert limits.read_json(path)["department"]
    with pytest.raises(InputLimitError, match="上限"):
        limits.read_json(path, Limits(json_bytes=1000))


def test_the_example_is_far_inside_every_json_limit():
    text = EXAMPLE_JSON.read_text(encoding="utf-8")
    limits.check_json_shape(text, "example", Limits(json_values=2_000, json_depth=6))


def test_open_input_takes_the_callers_limits(tmp_path):
    from perfxl.app.inputs import open_input

    path = tmp_path / "a.json"
    path.write_bytes(EXAMPLE_JSON.read_bytes())
    assert open_input(path).evaluation.department
    with pytest.raises(InputLimitError, match="上限"):
        open_input(path, Limits(json_bytes=100))
    with pytest.raises(InputLimitError, match="上限"):
        open_input(EXAMPLE_JSON.with_suffix(".xlsm"), Limits(workbook_bytes=1000))


@pytest.mark.parametrize("tag", [b'<dimension x="sheetData" ref="A1:XFD1048576"/>',
                                 b'<sheetData:dimension xmlns:sheetData="urn:x" ref="A1:XFD1048576"/>'])
def test_a_dimension_is_found_wherever_the_word_sheetdata_is(tmp_path, tag):
    """The search for ``<dimension>`` before ``<sheetData`` is a shortcut: a tag holding the word
    itself is still found (a review found this bypass)."""
    data = example_part(SHEET)
    start = data.index(b"<dimension ref=")
    data = data[:start] + tag + data[data.index(b"/>", start) + 2:]
    path = workbook(tmp_path, "dim.xlsm", {SHEET: data})
    with pytest.raises(InputLimitError, match="XFD1048576"):
        vet_input(path)


def _sheet(cells: bytes) -> bytes:
    return SHEET_HEAD + b'<dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c>' + cells + b"</row></sheetData></worksheet>"


@pytest.mark.parametrize("chunk", [64, 1 << 20])
@pytest.mark.parametrize("cells", [
    b'<c r="XFD1048576"><v>2</v></c>',  # 17 billion cells from A1 (python-calamine aborts the process)
    b"<c r = 'A100001'><v>2</v></c>",  # a row past the limit, written the way no tool writes it
    b'<c r="AMK1"><v>2</v></c>',  # column 1,025
    b'<c r="ZZ1"><v>2</v></c>' + b"<c/>" * 20 + b'<c r="A5000"><v>2</v></c>',  # 702 columns × 5,000 rows: the area
])
def test_a_cell_far_away_is_refused_whatever_the_counts_and_the_dimension_say(tmp_path, monkeypatch, chunk, cells):
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    path = workbook(tmp_path, "far.xlsm", {SHEET: _sheet(cells)})
    with pytest.raises(InputLimitError, match="远处多余的单元格"):
        vet_input(path)


@pytest.mark.parametrize("chunk", [64, 1 << 20])
@pytest.mark.parametrize("cells", [b'<c r="ZZ999"><v>2</v></c>',  # 999 × 702 = 701,298 cells: within the area
                                   b'<c r="T2849"><v>2</v></c>', b'<c r="A100000"><v>2</v></c>'])
def test_a_cell_within_the_limits_is_read(tmp_path, monkeypatch, chunk, cells):
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    vet_input(workbook(tmp_path, "near.xlsm", {SHEET: _sheet(cells)}))


def test_a_damaged_part_stops_the_vetting_with_a_refusal_not_silence(tmp_path):
    """A part that fails its CRC (or does not inflate) is refused: returning quietly would leave every
    part after it unchecked while the readers still read them."""
    from .test_hostile_files import example_members, write_zip

    members = example_members()
    name, raw, size, crc = members[0]
    members[0] = (name, raw, size, crc ^ 1)
    with pytest.raises(InputLimitError, match="已损坏"):
        vet_input(write_zip(tmp_path / "crc.xlsm", members))


def test_a_part_named_otherwise_is_vetted_when_it_is_xml(tmp_path):
    """The readers follow the relationships, not the names: a sheet stored as .dat is scanned like
    one; a binary part (an image, the VBA project) is not scanned as XML."""
    rows = b"".join(b'<row r="%d"><c r="A%d"/></row>' % (r, r) for r in range(1, 1001))
    sheet = b"\n  " + SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData></worksheet>"
    with pytest.raises(InputLimitError, match="行数或单元格数"):
        vet_input(workbook(tmp_path, "dat.xlsm", {"xl/worksheets/sheet9.dat": sheet}), Limits(rows=999))
    image = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2 << 20).replace(b"<", b"")  # 2 MB, no "<" at all
    vet_input(workbook(tmp_path, "png.xlsm", {"xl/media/image1.png": image}))


@pytest.mark.parametrize("chunk", [1, 2, 5, 13, 31, 37, 40])
def test_prefixed_tags_split_across_chunks_are_counted_exactly(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    prefix = b"abcdefghijklmnopqrstuvwxyz01234"  # 31 characters: the longest prefix counted
    rows = b"".join(b'<%s:row r="%d"><x:c r="A%d"/></%s:row>' % (prefix, r, r, prefix) for r in range(1, 1001))
    path = workbook(tmp_path, "prefixed.xlsm", {SHEET: SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData></worksheet>"})
    vet_input(path, Limits(rows=1000, cells=1000))  # the example's own sheets: ≤ 61 rows, ≤ 534 cells
    with pytest.raises(InputLimitError, match=r"行数或单元格数|远处多余的单元格"):  # row 1,000 is also too far
        vet_input(path, Limits(rows=999))
    with pytest.raises(InputLimitError, match="行数或单元格数"):
        vet_input(path, Limits(cells=999))


def test_of_two_entries_of_one_name_the_one_read_is_the_one_kept(tmp_path):
    from .test_hostile_files import deflated, example_members, write_zip

    last = example_part(STRINGS).replace(b"<si>", b"<si> ", 1)  # zipfile reads the last entry of a name
    members = [*example_members(), (STRINGS, *deflated(last)[1:])]
    vetted = vet_input(write_zip(tmp_path / "twice.xlsm", members))
    assert vetted is not None and vetted.parts[STRINGS] == last


@pytest.mark.parametrize("chunk", [64, 1 << 20])
@pytest.mark.parametrize(("cells", "said"), [
    (b"<c/>" * 1025, "远处多余的单元格"),  # no r: each cell follows the previous one (column 1,025)
    (b'<c r="A0000001048576"><v>2</v></c>', "不是 Excel 的写法"),  # leading zeros: read as row 1,048,576
    (b'<c r="AAAAA1"><v>2</v></c>', "不是 Excel 的写法"),  # five letters: calamine reads any number
    (b'<c r="1e9"/>', "不是 Excel 的写法"),
    (b'<c r="&#88;FD1"><v>2</v></c>', "远处多余的单元格"),  # a character reference: XFD1 to a reader
    (b'<c s="0"r="XFD1"><v>2</v></c>', "已损坏"),  # no space before r: calamine reads it, XML does not allow it
    (b'<c r="A1" r="XFD1"><v>2</v></c>', "已损坏"),  # r twice
    (b'<\xc3\xa9:c r="XFD1"><v>2</v></\xc3\xa9:c>', "远处多余的单元格"),  # a prefix no pattern expected
])
def test_a_position_written_in_any_other_way_is_parsed_as_a_reader_would(tmp_path, monkeypatch, chunk, cells, said):
    """Only ``<c r="A1"``/``<row r="1"`` written the common way take the fast path; anything else is
    parsed by expat and positioned as calamine and openpyxl position it (review of issue 11)."""
    monkeypatch.setattr(zipvet, "CHUNK", chunk)
    with pytest.raises(InputLimitError, match=said):
        vet_input(workbook(tmp_path, "odd.xlsm", {SHEET: _sheet(cells)}))


def test_a_sheet_in_utf16_without_a_bom_is_scanned_as_utf16(tmp_path):
    """expat takes a part whose second byte is zero for UTF-16LE: the scan must read it so too."""
    rows = b"".join(b'<row r="%d"><c r="A%d"/></row>' % (r, r) for r in range(1, 1001))
    sheet = (b" " + SHEET_HEAD.split(b"?>", 1)[1] + b"<sheetData>" + rows + b"</sheetData></worksheet>").decode()
    with pytest.raises(InputLimitError, match="行数或单元格数"):
        vet_input(workbook(tmp_path, "u16.xlsm", {SHEET: sheet.encode("utf-16-le")}), Limits(rows=999))


def test_pictures_are_not_scanned_as_xml(tmp_path):
    """An SVG is XML, with a DOCTYPE when Illustrator wrote it; no reader parses a picture."""
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    vet_input(workbook(tmp_path, "svg.xlsm", {"xl/media/image1.svg": svg}))

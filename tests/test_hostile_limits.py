"""The pre-scan of ``perfxl.app.limits`` itself: patterns split across chunks, counts
exact at the limit, forged zip64 records, and limits a caller can raise."""

from __future__ import annotations

import re
import struct

import pytest

from perfxl.app import limits
from perfxl.app.limits import Limits, vet_input
from perfxl.errors import InputLimitError

from .test_hostile_files import EXAMPLE_JSON, LAUGHS, SHEET, SHEET_HEAD, STRINGS, example_part, workbook


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_doctype_split_across_chunks_is_seen(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(limits, "CHUNK", chunk)
    path = workbook(tmp_path, "laughs.xlsm", {SHEET: LAUGHS})
    with pytest.raises(InputLimitError, match="DOCTYPE"):
        vet_input(path)


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_rows_are_counted_exactly_whatever_the_chunks(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(limits, "CHUNK", chunk)
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

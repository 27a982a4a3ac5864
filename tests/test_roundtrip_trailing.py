"""Trailing blank list items (issue 12, lossless round trips): a workbook cannot tell a blank last
item from the form's unused rows, so every reader ends a list at its last filled item
(``core/cells.trimmed``) — the data file's as the workbook's — and ``fill`` → ``export`` is the
identity on what ``check`` read."""

from __future__ import annotations

import json

from perfxl.core.cells import blank_item, trimmed
from perfxl.core.model import CostRow, Indicator
from perfxl.core.serde import evaluation_from_dict

from .conftest import EXAMPLE_JSON


def test_a_list_ends_at_its_last_filled_item():
    assert trimmed(["a", "", "b", "", ""]) == ["a", "", "b"]  # a blank in the middle stays
    assert trimmed([CostRow("x"), CostRow()]) == [CostRow("x")]
    assert blank_item(Indicator()) and not blank_item(Indicator(name="x")) and not blank_item("0")


def test_trailing_blank_items_of_a_data_file_and_of_its_workbook_agree(tmp_path):
    from perfxl.workbook.builder import build_workbook
    from perfxl.workbook.reader import read_workbook

    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    data["duties"] += ["", ""]
    data["overall"]["indicators"].append({})
    data["basic"]["project_items"].append({"label": "", "budget": None})
    loaded = evaluation_from_dict(data)
    assert loaded.duties[-1] != "" and loaded.overall.indicators[-1].name
    path = build_workbook(loaded, tmp_path / "t.xlsm")
    back, _, _ = read_workbook(path)
    assert back == loaded  # by value: 5.40 comes back as 5.4, as everywhere

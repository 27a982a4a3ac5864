"""The 由上年生成 button (``xlentry.next_year``) on xlwings' remote engine: next year's
workbook beside last year's file, the open workbook unchanged (issue 10, item 6)."""

from __future__ import annotations

import copy
import shutil

import pytest
import xlwings as xw

from perfxl import xlentry
from perfxl.fileio import load
from perfxl.workbook.builder import build_workbook
from perfxl.workbook.xlwrite import BookMap, XlwingsSource
from tests.test_xlentry import EXAMPLE_JSON, actions, alerts, payload_from, set_cell


@pytest.fixture(scope="module")
def template_payload(tmp_path_factory):
    return payload_from(build_workbook(None, tmp_path_factory.mktemp("nextyear-button") / "PerfEval.xlsm"))


@pytest.fixture()
def open_book(monkeypatch):
    """A payload opened on the remote engine, as ``tests/test_xlentry.py`` does."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    return lambda payload: xw.Book(json=copy.deepcopy(payload))


def _with_path(payload: dict, path, open_book):
    payload = copy.deepcopy(payload)
    sheet, cell = BookMap.of(XlwingsSource(open_book(payload))).output("import.path")
    set_cell(payload, sheet, cell, str(path))
    return open_book(payload)


def test_next_year_writes_a_new_workbook_beside_last_years(template_payload, open_book, tmp_path):
    last = tmp_path / "hengshan-kexie-2023.json"
    shutil.copy(EXAMPLE_JSON, last)
    book = _with_path(template_payload, last, open_book)
    assert xlentry.next_year(book) is None
    made = tmp_path / "hengshan-kexie-2024.xlsm"
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and str(made) in alert["prompt"] and "本工作簿未改动" in alert["prompt"]
    assert not actions(book, "setValues")  # the open workbook is not changed
    data = load(made).evaluation
    assert data.year == 2024 and str(data.basic.three_public.prior_actual) == "0.44"
    # a second click never replaces the first file
    book = _with_path(template_payload, last, open_book)
    xlentry.next_year(book)
    assert (tmp_path / "hengshan-kexie-2024(2).xlsm").is_file()


def test_next_year_without_a_path_tells_where_to_type_it(template_payload, open_book):
    book = open_book(template_payload)
    xlentry.next_year(book)
    sheet, cell = BookMap.of(XlwingsSource(book)).output("import.path")
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and alert["prompt"].startswith("由上年生成未完成：")
    assert f"请在“{sheet}”表的 {cell} 单元格填写上年的工作簿或数据文件" in alert["prompt"]

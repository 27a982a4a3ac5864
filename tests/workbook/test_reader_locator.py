"""The reader's locator builds one sheet's map at a time and answers exactly as the one map does.

(Issue 11 item 6: one map of a 300-project book cost as much as reading it.)  Every
path of the full map, unknown attributes of some of them and a few paths that are not
in the book are asked of both, on a 3-project workbook.
"""

from __future__ import annotations

import dataclasses

import pytest

from perfxl.workbook import layout as L
from perfxl.workbook.reader import read_workbook

from .conftest import load_example


@pytest.fixture(scope="module")
def three_projects(tmp_path_factory):
    from perfxl.workbook.builder import build_workbook

    ev = load_example()
    ev.projects = [dataclasses.replace(ev.projects[0], name=f"项目{i}") for i in range(3)]
    return build_workbook(ev, tmp_path_factory.mktemp("loc") / "three.xlsm")


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_lazy_locator_equals_the_one_map(three_projects, engine):
    _, _, locator = read_workbook(three_projects, engine)
    cells = locator.full_map()
    assert len({sheet for sheet, _ in cells.values()}) >= 6
    asked = list(cells)
    asked += [f"{p}.no_such_attribute" for p in asked[::7]]
    asked += ["projects", "projects[7]", "projects[2].indicators[99].target", "overall.level1_weights.产出指标",
              "basic", "nothing", "", "year", "narrative.summary", "overall.funds[0].printed_rate"]
    for path in asked:
        assert locator(path) == L.locate_in(cells, path), path


def test_projects_path_is_the_first_project_sheet(three_projects):
    _, _, locator = read_workbook(three_projects)
    assert locator("projects") == locator("projects[0]")
    assert locator("projects[1].name")[0] == L.project_sheet_name(1)

"""The shape of a workbook: how many project sheets, and how many rows each region has.

See ``layout``'s docstring, "Expansion rule of a region".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..core import model
from ..core.forms import OVERALL_TABLE, PROJECT_TABLE
from ..errors import DataError

#: rows of each region when the data does not need more (key: path with [*] for any project)
DEFAULT_CAPACITY: dict[str, int] = {
    "duties": 20,
    "staffing.internal_units": 8,
    "basic.project_items": 6,
    "basic.special_funds": 6,
    "overall.funds": len(OVERALL_TABLE.block("funds").rows),  # the form's fund rows
    "overall.level1_weights": 3,
    "overall.indicators": 16,
    "projects[*].funds": len(PROJECT_TABLE.block("funds").rows),
    "projects[*].level1_weights": 3,
    "projects[*].indicators": 16,
    "narrative.achievements": 10,
    "narrative.problems": 8,
    "narrative.measures": 8,
    "narrative.dropped_suggestions": 6,
}
#: regions whose rows are the form's rows and cannot grow.  The fund rows grow (issue 9: tables
#: print 中央/省级/市级/县级资金 …, and the national 部门整体 template 其中 rows under 附件二's
#: 年度资金总额): a workbook filled from data has a row for each of them; a blank one has the
#: form's rows (one on 附件2, four on 附件3; insert rows inside 附件3's to add more)
FIXED_REGIONS = frozenset({"overall.level1_weights", "projects[*].level1_weights"})


def capacity_key(path: str) -> str:
    return re.sub(r"^projects\[\d+\]", "projects[*]", path)


@dataclass(frozen=True)
class Shape:
    """How many project sheets, and how many rows each region has."""

    projects: int = 1
    capacities: tuple[tuple[str, int], ...] = ()

    def capacity(self, path: str) -> int:
        wanted = dict(self.capacities).get(path)
        default = DEFAULT_CAPACITY[capacity_key(path)]
        return max(default, wanted or 0)


class CapacityError(DataError):
    """The data has more rows than a fixed part of the form (e.g. 5 fund rows in 附件三)."""


def _list_paths(evaluation: model.Evaluation) -> Iterator[tuple[str, int]]:
    yield "duties", len(evaluation.duties)
    yield "staffing.internal_units", len(evaluation.staffing.internal_units)
    yield "basic.project_items", len(evaluation.basic.project_items)
    yield "basic.special_funds", len(evaluation.basic.special_funds)
    for root, table in [("overall", evaluation.overall)] + [(f"projects[{i}]", p) for i, p in enumerate(evaluation.projects)]:
        yield f"{root}.funds", len(table.funds)
        yield f"{root}.level1_weights", len(table.level1_weights)
        yield f"{root}.indicators", len(table.indicators)
    for name in ("achievements", "problems", "measures", "dropped_suggestions"):
        yield f"narrative.{name}", len(getattr(evaluation.narrative, name))


def shape_for(evaluation: model.Evaluation) -> Shape:
    """The shape that holds *evaluation*; raises ``CapacityError`` for a fixed part overflowing."""
    caps = []
    for path, n in _list_paths(evaluation):
        key = capacity_key(path)
        if key in FIXED_REGIONS and n > DEFAULT_CAPACITY[key]:
            raise CapacityError(f"{path} 有 {n} 行，表格只有 {DEFAULT_CAPACITY[key]} 行")
        if n > DEFAULT_CAPACITY[key]:
            caps.append((path, n))
    return Shape(projects=max(1, len(evaluation.projects)), capacities=tuple(caps))


"""The rows of the summary: one per file (汇总) and one per finding (问题清单).

``Row`` is all the parent process keeps per file while a batch runs (a few hundred
bytes); the findings themselves go to the spool (``spool.Spool``) and are read back one
file at a time when 问题清单 is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.findings import Severity
from .records import FileResult

SUMMARY_COLUMNS = (
    "文件", "单位", "年度", "读取", "评分方案", "全年预算数（万元）", "全年执行数（万元）", "执行率",
    "自评总分", "自评等级", "规则总分", "规则等级", "错误", "警告", "提示", "状态",
)
FINDING_COLUMNS = ("文件", "单位", "严重程度", "代码", "表格", "位置", "工作表", "单元格", "说明", "应为", "实为")

#: the 状态 column's words, and what its colour means (summary_xlsx)
PASSED, WITH_WARNINGS, WITH_ERRORS, UNREADABLE = "通过", "通过（有警告）", "有错误，需修改", "无法读取"


def display_name(path: Path, base: Path | None) -> str:
    """*path* relative to *base* (the one folder given) when inside it."""
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


@dataclass(frozen=True, slots=True)
class Row:
    """One file's line of 汇总 (and the figures 排名 and 图表 need)."""

    name: str
    path: Path
    department: str
    year: int | None
    read_status: str
    profile: str
    full_year_budget: Decimal | None
    actual: Decimal | None
    execution_rate: Decimal | None
    self_total: Decimal | None
    self_grade: str | None
    rule_total: Decimal | None
    grade: str | None
    errors: int | None
    warnings: int | None
    notices: int | None
    status: str
    status_kind: str  # PASSED / WITH_WARNINGS / WITH_ERRORS / UNREADABLE

    def values(self) -> tuple[Any, ...]:
        """In the order of ``SUMMARY_COLUMNS``."""
        return (self.name, self.department or None, self.year, self.read_status, self.profile or None,
                self.full_year_budget, self.actual, self.execution_rate, self.self_total, self.self_grade,
                self.rule_total, self.grade, self.errors, self.warnings, self.notices, self.status)


def summary_row(r: FileResult, base: Path | None = None) -> Row:
    name = display_name(r.path, base)
    if r.error or r.scores is None:
        return Row(name, r.path, "", None, r.read_status, "", None, None, None, None, None, None, None, None, None,
                   None, f"{UNREADABLE}：{r.error}", UNREADABLE)
    o = r.scores.overall
    errors, warnings = r.count(Severity.ERROR), r.count(Severity.WARNING)
    kind = WITH_ERRORS if errors else WITH_WARNINGS if warnings else PASSED
    return Row(name, r.path, r.department, r.year, r.read_status, r.profile, o.full_year_budget, o.actual,
               o.execution_rate, o.self_total, o.self_grade, o.rule_total, o.grade, errors, warnings,
               r.count(Severity.NOTICE), kind, kind)


def summary_rows(results: Sequence[FileResult], base: Path | None = None) -> list[dict[str, Any]]:
    """汇总 as dictionaries (column → value), one per file."""
    return [dict(zip(SUMMARY_COLUMNS, summary_row(r, base).values(), strict=True)) for r in results]


def finding_values(r: FileResult, name: str) -> Iterator[tuple[str, ...]]:
    """问题清单's rows of *r* (*name*: the file as shown), in the order of ``FINDING_COLUMNS``."""
    for f in r.findings:
        yield (name, r.department, str(f.severity), f.code, f.table_title or str(f.table), f.location, f.sheet,
               f.cell, f.message, f.expected, f.actual)


def finding_rows(results: Sequence[FileResult], base: Path | None = None) -> list[dict[str, Any]]:
    """问题清单 as dictionaries, one per finding."""
    return [dict(zip(FINDING_COLUMNS, values, strict=True))
            for r in results for values in finding_values(r, display_name(r.path, base))]

"""Findings: what the checker (and the readers) report, as values.

A finding carries a stable ``code`` (never renamed: other systems filter on it), a
severity (错误 / 警告 / 提示), the table and the model path of the field it is about,
a Chinese message, and the expected and actual values.  A reader that knows where a
field lives (a workbook) fills ``sheet`` and ``cell`` through ``locate``.  Build a
finding with ``codes.finding(code, …)``: every code, its severity, category and
meaning are registered there once (``docs/findings.md`` is generated from it).
Everything is collected first and reported together (as pandera does), never raised
one at a time.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "错误"
    WARNING = "警告"
    NOTICE = "提示"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


class Table(enum.StrEnum):
    """The table a finding belongs to (its Chinese name is what users see)."""

    GENERAL = "基本情况"
    BASIC = "附件1 基础数据表"
    OVERALL = "附件2 整体自评表"
    PROJECT = "附件3 项目自评表"
    CROSS = "表间核对"
    FILE = "文件"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the checker found.

    Attributes:
      code: stable identifier, e.g. "RATE_MISMATCH", registered in ``codes.py``.
      severity: 错误 / 警告 / 提示.
      table: which table (for a project table, ``table_title`` names the project).
      path: model path of the field, e.g. "overall.funds[0].printed_rate"; "" if none.
      location: the field as a user names it, e.g. "年度资金总额 执行率".
      message: one Chinese sentence saying what is wrong and what to do.
      expected / actual: the values compared, as display text ("" when not a comparison).
      table_title: e.g. "附件3 项目自评表（业务经费）".
      sheet / cell: where it is in a workbook, filled by ``locate``.
    """

    code: str
    severity: Severity
    table: Table
    path: str
    location: str
    message: str
    expected: str = ""
    actual: str = ""
    table_title: str = ""
    sheet: str = ""
    cell: str = ""

    @property
    def where(self) -> str:
        """"附件2 整体自评表!H5（年度资金总额 执行率）" or without the cell when unknown."""
        place = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else (self.table_title or str(self.table))
        return f"{place}（{self.location}）" if self.location else place

    def to_dict(self) -> dict[str, str]:
        data = dataclasses.asdict(self)
        data["severity"] = str(self.severity)
        data["table"] = self.table_title or str(self.table)
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notices; the table order is kept within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def locate(findings: Iterable[Finding], locator: Callable[[str], tuple[str, str] | None]) -> list[Finding]:
    """Fill ``sheet`` and ``cell`` from *locator* (model path → (sheet, cell))."""
    out = []
    for finding in findings:
        place = locator(finding.path) if finding.path and not finding.cell else None
        out.append(dataclasses.replace(finding, sheet=place[0], cell=place[1]) if place else finding)
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)

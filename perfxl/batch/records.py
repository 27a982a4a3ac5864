"""The summary record of one file: what a worker sends back, what the state file keeps.

Decisions:
- A worker returns a ``FileResult``, never the model: the unit, the year, the profile
  name, the overall figures the summary shows (``ScoreSummary``/``Totals``, with the
  attribute names of ``core.scoring``'s ``EvaluationScore.overall`` so that
  ``r.scores.overall.rule_total`` reads the same on both) and the findings.  That is all
  the 汇总, 问题清单, 排名 and 图表 sheets need, and it pickles in a few kilobytes.
- ``failure`` says why a file has no scores: "unreadable" (not a data file or workbook,
  a profile it may not name), "timeout", "memory", "crashed" (the worker died) or
  "internal" (a bug in perfxl met on this file).  Only the first is kept in the state
  file: the others may not happen again on a quieter day, so they are retried.
- ``to_json``/``from_json`` is the one serialisation (state file and the batch's spool);
  amounts are Decimal text, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.findings import Finding, Severity, Table
from ..core.money import fmt_pct, fmt_score

#: failure → what the 读取 column says
READ_STATUS = {
    "": "已读取", "unreadable": "无法读取", "timeout": "超时", "memory": "超出内存上限",
    "crashed": "处理进程异常退出", "internal": "内部错误",
}
#: failures that depend on the file's content only (kept by the state file)
STABLE_FAILURES = ("", "unreadable")


@dataclass(frozen=True, slots=True)
class Totals:
    """The overall figures of one department-year (a slice of ``core.scoring.TableScore``)."""

    full_year_budget: Decimal | None = None
    actual: Decimal | None = None
    execution_rate: Decimal | None = None
    self_total: Decimal | None = None
    self_grade: str | None = None
    rule_total: Decimal | None = None
    grade: str = ""


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """What the summary needs of ``core.scoring.EvaluationScore``: its ``overall``."""

    overall: Totals


@dataclass(frozen=True)
class FileResult:
    """One file of the batch: what was read, or why it could not be.

    Attributes:
      path: the file.  error: the Chinese reason it has no scores ("" when read).
      failure: "" or the kind of failure (see the module docstring).
      department / year / profile: as read.  scores: the overall figures.
      findings: every finding, errors first.
    """

    path: Path
    error: str = ""
    department: str = ""
    year: int | None = None
    profile: str = ""
    scores: ScoreSummary | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    failure: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        """How many 错误 findings."""
        return self.count(Severity.ERROR)

    @property
    def passed(self) -> bool:
        return not self.error and not self.errors

    @property
    def read_status(self) -> str:
        return READ_STATUS.get(self.failure, self.failure)


def failed(path: Path, failure: str, error: str) -> FileResult:
    """The row of a file that has no scores."""
    return FileResult(path, error=error, failure=failure)


def result_line(r: FileResult) -> str:
    """One line of the command's output for *r*."""
    if r.error or r.scores is None:
        return f"[{r.read_status}] {r.path}：{r.error}"
    o = r.scores.overall
    return (f"[{'有错误' if r.errors else '通过'}] {r.path}：{r.department} {r.year or ''}年度 执行率 "
            f"{fmt_pct(o.execution_rate)}，自评 {fmt_score(o.self_total)}（{o.self_grade or '—'}），"
            f"规则 {fmt_score(o.rule_total)}（{o.grade}），错误 {r.errors} 项")


_DECIMALS = ("full_year_budget", "actual", "execution_rate", "self_total", "rule_total")
_FINDING_FIELDS = ("code", "severity", "table", "path", "location", "message", "expected", "actual",
                   "table_title", "sheet", "cell")


def to_json(r: FileResult) -> dict[str, Any]:
    """*r* as JSON values (Decimals as text)."""
    totals = None
    if r.scores is not None:
        o = r.scores.overall
        totals = {name: getattr(o, name) for name in (*_DECIMALS, "self_grade", "grade")}
        totals.update({name: None if totals[name] is None else str(totals[name]) for name in _DECIMALS})
    return {"path": str(r.path), "error": r.error, "failure": r.failure, "department": r.department,
            "year": r.year, "profile": r.profile, "totals": totals,
            "findings": [[str(getattr(f, name)) for name in _FINDING_FIELDS] for f in r.findings]}


def from_json(data: dict[str, Any]) -> FileResult:
    """The inverse of ``to_json``."""
    scores = None
    if data.get("totals") is not None:
        t = dict(data["totals"])
        t.update({name: None if t[name] is None else Decimal(t[name]) for name in _DECIMALS})
        scores = ScoreSummary(Totals(**t))
    findings = []
    for values in data["findings"]:
        f = dict(zip(_FINDING_FIELDS, values, strict=True))
        f["severity"], f["table"] = Severity(f["severity"]), Table(f["table"])
        findings.append(Finding(**f))
    return FileResult(Path(data["path"]), data["error"], data["department"], data["year"], data["profile"], scores,
                      tuple(findings), data["failure"])

"""Batch mode for a finance bureau: check and score every department's file in one go.

``perfxl batch 收件箱/ -o 汇总.xlsx`` reads every data file (.json) and workbook
(.xlsm/.xlsx) under the given folders, scores and checks each with the built-in profile
it names (or ``--profile``; a file naming a path is a row "无法读取", see
``perfxl.app.profiles``), and writes one summary workbook: 汇总 (one row per file: unit, year,
执行率, self and rule totals and grades, counts of 错误/警告/提示, or why the file could
not be read) and 问题清单 (every finding with its file, sheet and cell).  A file that
cannot be read is a row of the summary, never the end of the run.  pandas builds the
tables; nothing is written over an existing file without ``--force``, and the users'
files are only read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .app.assessing import assess_input
from .app.extras import needs
from .core.findings import Finding, Severity, sort_findings
from .core.money import fmt_pct, fmt_score
from .core.scoring import EvaluationScore
from .errors import InputError as _InputError
from .errors import MissingExtraError, ProfileError
from .fileio import WORKBOOK_SUFFIXES, InputError, atomic_write

SUFFIXES = (".json", *WORKBOOK_SUFFIXES)

SUMMARY_COLUMNS = (
    "文件", "单位", "年度", "评分方案", "全年预算数（万元）", "全年执行数（万元）", "执行率",
    "自评总分", "自评等级", "规则总分", "规则等级", "错误", "警告", "提示", "状态",
)
FINDING_COLUMNS = ("文件", "单位", "严重程度", "代码", "表格", "位置", "工作表", "单元格", "说明", "应为", "实为")


@dataclass
class FileResult:
    """One file of the batch: what was read, or why it could not be.

    Attributes:
      path: the file.  error: the Chinese reason it could not be read ("" when read).
      department / year / profile: as read.  scores / findings: the results.
    """

    path: Path
    error: str = ""
    department: str = ""
    year: int | None = None
    profile: str = ""
    scores: EvaluationScore | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many 错误 findings."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def passed(self) -> bool:
        return not self.error and not self.errors


def result_line(r: FileResult) -> str:
    """One line of the command's output for *r*."""
    if r.error or r.scores is None:
        return f"[无法读取] {r.path}：{r.error}"
    o = r.scores.overall
    return (f"[{'有错误' if r.errors else '通过'}] {r.path}：{r.department} {r.year or ''}年度 执行率 "
            f"{fmt_pct(o.execution_rate)}，自评 {fmt_score(o.self_total)}（{o.self_grade or '—'}），"
            f"规则 {fmt_score(o.rule_total)}（{o.grade}），错误 {r.errors} 项")


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: each file given, and every data file or workbook under each folder."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"找不到文件或文件夹：{path}")
    return found


def evaluate_file(path: Path, profile_name: str | None = None) -> FileResult:
    """Read, score and check one file; any failure to read becomes ``error``.

    *profile_name* is the finance bureau's own choice (``--profile``: a name or a .toml
    path); without it, a file may only name a built-in profile (``app.profiles``): a
    department's file never makes perfxl read another file.
    """
    try:
        checked = assess_input(path, profile_name)
    except MissingExtraError:  # perfxl itself is incomplete: every workbook would fail the same way
        raise
    except (_InputError, ProfileError) as exc:
        return FileResult(path, error=str(exc))
    ev, assessed = checked.loaded.evaluation, checked.assessment
    return FileResult(path, "", ev.department, ev.year or None, assessed.profile.name, assessed.scores,
                      sort_findings(assessed.findings))


def run_batch(paths: Sequence[str | Path], profile_name: str | None = None, *,
              output: str | Path | None = None) -> list[FileResult]:
    """Every file under *paths*, assessed; *output* (the summary to be written) is never an input."""
    files = collect(paths)
    if output is not None:
        target = Path(output).resolve()
        if any(f.resolve() == target and f.suffix.lower() != ".csv" for f in files) and Path(output).exists():
            raise InputError(f"{output} 是待汇总的文件之一，不能作为汇总输出：perfxl 从不改写用户的文件。")
        files = [f for f in files if f.resolve() != target]
    if not files:
        raise InputError("没有找到任何数据文件（.json）或工作簿（.xlsm/.xlsx）。")
    return [evaluate_file(path, profile_name) for path in files]


def summary_rows(results: Sequence[FileResult], base: Path | None = None) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        name = str(r.path.relative_to(base)) if base and r.path.is_relative_to(base) else str(r.path)
        row: dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS)
        row["文件"] = name
        if r.error or r.scores is None:
            row["状态"] = f"无法读取：{r.error}"
            rows.append(row)
            continue
        overall = r.scores.overall
        counts = {sev: sum(1 for f in r.findings if f.severity is sev) for sev in Severity}
        row.update({
            "单位": r.department, "年度": r.year, "评分方案": r.profile,
            "全年预算数（万元）": overall.full_year_budget, "全年执行数（万元）": overall.actual,
            "执行率": overall.execution_rate,
            "自评总分": overall.self_total, "自评等级": overall.self_grade,
            "规则总分": overall.rule_total, "规则等级": overall.grade,
            "错误": counts[Severity.ERROR], "警告": counts[Severity.WARNING], "提示": counts[Severity.NOTICE],
            "状态": "有错误，需修改" if counts[Severity.ERROR] else "通过",
        })
        rows.append(row)
    return rows


def finding_rows(results: Sequence[FileResult], base: Path | None = None) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        name = str(r.path.relative_to(base)) if base and r.path.is_relative_to(base) else str(r.path)
        for f in r.findings:
            rows.append(dict(zip(FINDING_COLUMNS, (
                name, r.department, str(f.severity), f.code, f.table_title or str(f.table), f.location,
                f.sheet, f.cell, f.message, f.expected, f.actual), strict=True)))
    return rows


def write_summary(results: Sequence[FileResult], out: str | Path, *, base: Path | None = None,
                  overwrite: bool = False) -> Path:
    """The summary workbook (.xlsx: 汇总 + 问题清单) or table (.csv: 汇总 only, UTF-8 with BOM for Excel)."""
    with needs("batch", "写出汇总表"):
        import pandas as pd  # only batch mode needs pandas

    out = Path(out)
    if any(r.path.resolve() == out.resolve() for r in results):
        raise InputError(f"{out} 是汇总的输入文件之一，不能作为输出。")
    rows = summary_rows(results, base)
    if out.suffix.lower() == ".csv":  # text: the Decimals are written exactly
        summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS), dtype=object)
        return atomic_write(out, lambda tmp: summary.to_csv(tmp, index=False, encoding="utf-8-sig"),
                            overwrite=overwrite)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{out}：汇总文件请用 .xlsx 或 .csv。")
    # a workbook cell holds a binary number; the Decimals become floats only here, at the edge
    summary = pd.DataFrame([{k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows],
                           columns=list(SUMMARY_COLUMNS), dtype=object)
    issues = pd.DataFrame(finding_rows(results, base), columns=list(FINDING_COLUMNS))

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            summary.to_excel(writer, sheet_name="汇总", index=False)
            issues.to_excel(writer, sheet_name="问题清单", index=False)
            _format(writer.sheets["汇总"], rate_column=SUMMARY_COLUMNS.index("执行率") + 1)
            _format(writer.sheets["问题清单"])

    with needs("batch", "写出汇总表"):  # openpyxl writes the sheets
        return atomic_write(out, write, overwrite=overwrite)


def _format(ws: Any, rate_column: int | None = None) -> None:
    """Readable columns, a frozen header, rates as 0.00%, and text that stays text."""
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    for col_cells in ws.iter_cols():
        width = max(len(str(c.value)) if c.value is not None else 0 for c in col_cells)
        ws.column_dimensions[get_column_letter(col_cells[0].column)].width = min(60, max(8, width * 1.6))
        for cell in col_cells[1:]:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"  # a department's text must never become a formula
            if rate_column and cell.column == rate_column and cell.value is not None:
                cell.number_format = "0.00%"

"""Checks of the table-level structures real tables have (issue 9): a printed 自评等级, and
the tables a publication leaves out.

* GRADE: 附件二/附件三 may print 自评等级 (``PerformanceTable.printed_grade``).  It must be
  the grade of the printed 总分 under the profile's ``[grades]`` bands (财预〔2020〕10号:
  优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差; ``rules.grade``).  Without a printed 总分 the sum of
  the self-scores is graded instead.  A different grade is an 错误 (``GRADE_MISMATCH``):
  a printed grade is what a reader of the table takes away.  The spellings tables use
  are read as the four grades (优秀 → 优, 良好 → 良, 中等 / 合格 / 及格 → 中, 较差 / 不合格
  → 差; common practice); anything else is a 警告 (``GRADE_UNREADABLE``), never a guess.
* TABLES: a file without 附件一 (the national 部门整体 template has none) or with only
  附件三 tables (a 项目支出绩效自评表 published on its own) is a valid structure; the
  checks of the missing table do not run (``Evaluation.has_basic`` / ``has_overall``,
  why it is inferred: ``forms.py``'s docstring).  One 提示 (``TABLE_ABSENT``) per
  missing table says how the file was read, so that a department that forgot a whole
  table still sees it.  A profile whose template has 附件一 (``[tables] basic =
  "required"``: hunan, whose sample has one) makes a missing 附件一 an 错误 instead, once.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import rules
from ..findings import Finding, Severity, Table
from ..model import Evaluation, PerformanceTable
from ..money import amount_value, fmt_score
from ..profile import Profile
from ..scoring import EvaluationScore, TableScore
from .base import Collector

#: how tables spell the four grades (common practice)
GRADE_SPELLINGS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
                   "及格": "中", "差": "差", "较差": "差", "不合格": "差"}


def performance_tables(ev: Evaluation, scores: EvaluationScore) -> list[tuple[PerformanceTable, TableScore]]:
    """附件二 (unless the file has only 附件三 tables) and each 附件三, with their scores."""
    head = [(ev.overall, scores.overall)] if ev.has_overall else []
    return [*head, *zip(ev.projects, scores.projects, strict=False)]


def read_grade(text: str) -> str | None:
    """"优秀" → "优", " 良 " → "良", "" → None, "甲" → None."""
    return GRADE_SPELLINGS.get("".join(str(text).split()).removesuffix("级"))


def check_grade(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """A printed 自评等级 against the grade of the printed 总分 (module docstring)."""
    c = Collector(profile)
    for table, score in performance_tables(ev, scores):
        printed = str(table.printed_grade).strip()
        if not printed:
            continue
        path, location = f"{score.path}.printed_grade", "自评等级"
        grade = read_grade(printed)
        if grade is None:
            c.add("GRADE_UNREADABLE", score.table, path, location,
                  f"自评等级“{printed}”无法识别，应填写优、良、中或差。", actual=printed, title=score.title)
            continue
        total = amount_value(table.printed_total_score)
        which = "表上总分"
        if total is None:
            total, which = score.self_total, "各项自评得分之和"
        if total is None:
            continue
        expected = rules.grade(total, profile)
        if grade != expected:
            b = profile.grades
            c.add("GRADE_MISMATCH", score.table, path, location,
                  f"自评等级填写为“{printed}”，{which} {fmt_score(total)} 分按评分方案“{profile.name}”"
                  f"（优 ≥ {fmt_score(b.excellent)}，良 ≥ {fmt_score(b.good)}，中 ≥ {fmt_score(b.passing)}）"
                  f"应为“{expected}”。", expected=expected, actual=printed, title=score.title)
    return c.findings


def check_tables(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """One 提示 for each table the file leaves out while it has others."""
    c = Collector(profile)
    if not ev.has_overall:
        c.add("TABLE_ABSENT", Table.OVERALL, "overall", "附件2",
              "数据中只有项目支出绩效自评表（附件3），没有部门整体支出绩效自评表（附件2）和基础数据表（附件1），"
              "按单独公开的项目支出绩效自评表核对；如为部门整体自评，请补填附件2。")
    elif not ev.has_basic and profile.basic_table == "required":
        c.add("TABLE_ABSENT", Table.BASIC, "basic", "附件1",
              f"未填写基础数据表（附件1）：评分方案“{profile.name}”的表样有附件1，请填写。", severity=Severity.ERROR)
    elif not ev.has_basic:
        c.add("TABLE_ABSENT", Table.BASIC, "basic", "附件1",
              "数据中没有基础数据表（附件1），按不含附件1的部门整体自评表样（如财政部表样）核对；"
              "如本单位的表样有附件1，请补填。")
    return c.findings

"""One department-year assessed: scores, findings and report suggestions together.

The command line, batch mode, the workbook's 校验数据 button and the report all start
from the same three steps (score, check, suggest); ``assess`` does them once, merges the
reader's findings (a workbook's unreadable cells) with the checker's, and puts the
sheet and cell on every finding when the data came from a workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .checker import check
from .findings import Finding, locate
from .model import Evaluation
from .profile import Profile
from .scoring import EvaluationScore, score_evaluation
from .suggestions import Suggestion, suggestions

#: checker codes that only restate what a reader already said about the same cell
_RESTATED_BY_READER = {"NOT_A_NUMBER", "MISSING_FIELD", "NEGATIVE_AMOUNT"}


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything perfxl concludes about one department-year.

    Attributes:
      evaluation: the data.  profile: the rule profile used.
      scores: 执行率, rule scores, totals and grades per table.
      findings: reading problems first, then the checker's, each once.
      suggestions: sentences for report sections 七/八 (minus the dropped ones).
    """

    evaluation: Evaluation
    profile: Profile
    scores: EvaluationScore
    findings: tuple[Finding, ...]
    suggestions: tuple[Suggestion, ...]


def merge_findings(reading: Sequence[Finding], checked: Sequence[Finding]) -> list[Finding]:
    """The reader's findings, then the checker's minus those about a cell the reader already
    reported (one typo in a cell is one finding, not three)."""
    reported = {f.path for f in reading if f.path}
    return [*reading, *(f for f in checked if not (f.code in _RESTATED_BY_READER and f.path in reported))]


def assess(
    evaluation: Evaluation,
    profile: Profile,
    *,
    reading: Sequence[Finding] = (),
    locator: Callable[[str], tuple[str, str] | None] | None = None,
) -> Assessment:
    scores = score_evaluation(evaluation, profile)
    checked = check(evaluation, profile, scores)
    advice = suggestions(evaluation, checked, scores)
    findings = merge_findings(reading, checked)
    if locator is not None:
        findings = locate(findings, locator)
    return Assessment(evaluation, profile, scores, tuple(findings), tuple(advice))

"""Assess one department-year: the profile by the rule of ``profiles``, then the core's
``assess`` (scores, findings with sheet and cell, report suggestions).

The command line (check, score), batch and the 校验数据 button all call these; a
workbook open in Excel is read by the button itself (xlwings) and passed in as an
evaluation with its reading findings and locator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.assessment import Assessment, assess
from ..core.findings import Finding
from ..core.model import Evaluation
from ..core.profile import Profile
from ..fileio import Loaded
from .inputs import open_input
from .profiles import resolve_profile

ProfileChoice = str | os.PathLike[str] | Profile | None


@dataclass(frozen=True)
class Checked:
    """A file read and assessed.

    Attributes:
      loaded: what was read (evaluation, reading findings, locator, path).
      assessment: scores, findings, suggestions and the profile used.
    """

    loaded: Loaded
    assessment: Assessment


def assess_evaluation(evaluation: Evaluation, *, chosen: ProfileChoice = None, reading: Sequence[Finding] = (),
                      locator: Callable[[str], tuple[str, str] | None] | None = None,
                      where: str = "文件") -> Assessment:
    """Assess *evaluation* with the user's *chosen* profile, else the built-in one it names."""
    profile = resolve_profile(chosen, evaluation.profile, where=where)
    return assess(evaluation, profile, reading=reading, locator=locator)


def assess_loaded(loaded: Loaded, chosen: ProfileChoice = None) -> Checked:
    return Checked(loaded, assess_evaluation(loaded.evaluation, chosen=chosen, reading=loaded.findings,
                                             locator=loaded.locator))


def assess_input(path: str | os.PathLike[str], chosen: ProfileChoice = None) -> Checked:
    """Read *path* and assess it (``perfxl check`` / ``score``, one file of ``batch``)."""
    return assess_loaded(open_input(path), chosen)

"""Build a blank or filled workbook, and export a workbook's data as a data file.

Every output is vetted by ``inputs.check_output`` before any work, and written
atomically by the layers below.  Building needs the ``workbook`` extra (XlsxWriter,
pyopenvba, and xlwings, whose VBA module goes into the workbook).  ``macros=False`` is the
macro-free .xlsx variant (``--no-macros``, issue 8): the same sheets without VBA, ribbon
and buttons; it needs XlsxWriter only, but the ``workbook`` extra is asked for all the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding, has_errors
from ..core.model import Evaluation
from ..errors import MissingExtraError
from ..fileio import write_data_file
from .extras import install_command, needs
from .inputs import check_output, open_input

PURPOSE = "生成工作簿"
WORKBOOK_OUTPUT = (".xlsm",)
MACRO_FREE_OUTPUT = (".xlsx",)
DATA_OUTPUT = (".json",)


def build(evaluation: Evaluation | None, out: str | os.PathLike[str], *, macros: bool = True,
          force: bool = True) -> Path:
    """The workbook of *evaluation* (``None``: blank) at *out*, already vetted; without *force*
    *out* is created exclusively (two processes racing for it: one gets ``OutputExists``).

    A wrong xlwings version is the user's installation, not a bug in perfxl: it is a
    ``MissingExtraError`` (exit 2) naming the version to install, asked before building.
    """
    with needs("workbook", PURPOSE):
        from ..workbook.builder import build_workbook
        from ..workbook.vba import VbaSourceError, check_xlwings_version

        if macros:
            try:
                check_xlwings_version()
            except VbaSourceError as exc:
                raise MissingExtraError(f"{PURPOSE}：{exc}。也可以运行：{install_command('workbook')}") from exc
        return build_workbook(evaluation, out, macros=macros, overwrite=force)


def workbook_suffixes(macros: bool = True) -> tuple[str, ...]:
    """The output suffixes allowed: .xlsm with macros, .xlsx without."""
    return WORKBOOK_OUTPUT if macros else MACRO_FREE_OUTPUT


def new_workbook(out: str | os.PathLike[str], *, force: bool = False, macros: bool = True) -> Path:
    """A blank workbook at *out* (``perfxl new`` / ``build``; ``--no-macros``: .xlsx)."""
    return build(None, check_output(out, suffixes=workbook_suffixes(macros), force=force), macros=macros, force=force)


def fill_workbook(source: str | os.PathLike[str], out: str | os.PathLike[str], *, force: bool = False,
                  macros: bool = True) -> Path:
    """A workbook filled with the data of *source* (``perfxl fill``); never over *source*."""
    loaded = open_input(source)
    target = check_output(out, suffixes=workbook_suffixes(macros), force=force, source=loaded.path)
    return build(loaded.evaluation, target, macros=macros, force=force)


@dataclass(frozen=True)
class Exported:
    """A data file written from an input.

    Attributes:
      path: the data file.  findings: what could not be read (the export is then incomplete).
    """

    path: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not has_errors(self.findings)


def export_data(source: str | os.PathLike[str], out: str | os.PathLike[str], *, force: bool = False) -> Exported:
    """The data of *source* (a workbook or data file) as a data file at *out* (``perfxl export``)."""
    loaded = open_input(source)
    target = check_output(out, suffixes=DATA_OUTPUT, force=force, source=loaded.path)
    return Exported(write_data_file(loaded.evaluation, target, overwrite=force), list(loaded.findings))

"""Write the 自评报告 (Word, and PDF through LibreOffice) for an evaluation or a file.

The profile follows the rule of ``profiles`` (the report's own fallback once followed
any path a data file named).  python-docx and docxtpl are the ``report`` extra.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Evaluation
from .assessing import ProfileChoice
from .extras import needs
from .inputs import open_input
from .profiles import resolve_profile

if TYPE_CHECKING:
    from ..report.render import ReportResult

PURPOSE = "生成自评报告"


def default_report_path(source: str | os.PathLike[str]) -> Path:
    """"<name>-自评报告.docx" beside *source*."""
    path = Path(source)
    return path.with_name(f"{path.stem}-自评报告.docx")


def pdf_available() -> bool:
    """Whether LibreOffice is installed for the PDF."""
    from ..report.pdf import find_soffice

    return find_soffice() is not None


def write_report(evaluation: Evaluation, out: str | os.PathLike[str], *, chosen: ProfileChoice = None,
                 pdf: bool = False, force: bool = False, where: str = "文件") -> ReportResult:
    """Score, check and write the report of *evaluation* to *out* (.docx; with *pdf* also .pdf)."""
    profile = resolve_profile(chosen, evaluation.profile, where=where)
    with needs("report", PURPOSE):
        from ..report.render import write_report as render

        return render(evaluation, Path(out), profile=profile, pdf=pdf, overwrite=force)


def report_input(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                 chosen: ProfileChoice = None, pdf: bool = False, force: bool = False) -> ReportResult:
    """The report of the file *path* (``perfxl report``); *out* defaults to ``default_report_path``."""
    loaded = open_input(path)
    target = Path(out) if out else default_report_path(loaded.path)
    return write_report(loaded.evaluation, target, chosen=chosen, pdf=pdf, force=force)


def report_paragraphs(docx: str | os.PathLike[str]) -> list[str]:
    """The non-empty paragraphs of a written report (the workbook's preview)."""
    with needs("report", PURPOSE):
        from docx import Document

        return [p.text for p in Document(str(docx)).paragraphs if p.text.strip()]

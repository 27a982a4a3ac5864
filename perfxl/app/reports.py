"""Write the 自评报告 (Word, and PDF through LibreOffice) for an evaluation or a file.

The profile follows the rule of ``profiles`` (the report's own fallback once followed
any path a data file named).  python-docx and docxtpl are the ``report`` extra.

Errors stop publication (issue 10): with any 错误 among the checker's findings and the
表文一致 check of the rendered file, ``write_report`` writes nothing and raises
``PublicationBlocked`` (a ``PerfxlError`` with exit code 1 and ``findings``), for the
command and the workbook's 生成报告 button alike.  ``draft=True`` writes the report
anyway, every page marked 草稿, with the review document (校验说明) beside it listing
the findings; ``review=True`` writes the review document for a clean report too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Evaluation
from ..errors import OutputError
from ..report.files import PublicationBlocked
from .assessing import ProfileChoice
from .extras import needs
from .inputs import open_input
from .profiles import resolve_profile

if TYPE_CHECKING:
    from ..report.render import ReportResult

__all__ = ["PublicationBlocked", "default_report_path", "free_report_path", "pdf_available", "report_folder",
           "report_input", "report_paragraphs", "write_report"]

PURPOSE = "生成自评报告"
#: where the workbook's report button writes instead of the workbook's folder
OUTPUT_DIR_ENV = "PERFXL_OUTPUT_DIR"


def default_report_path(source: str | os.PathLike[str]) -> Path:
    """"<name>-自评报告.docx" beside *source*."""
    path = Path(source)
    return path.with_name(f"{path.stem}-自评报告.docx")


def pdf_available() -> bool:
    """Whether LibreOffice is installed for the PDF."""
    from ..report.pdf import find_soffice

    return find_soffice() is not None


def write_report(evaluation: Evaluation, out: str | os.PathLike[str], *, chosen: ProfileChoice = None,
                 pdf: bool = False, force: bool = False, where: str = "文件", draft: bool = False,
                 review: bool = False) -> ReportResult:
    """Score, check and write the report of *evaluation* to *out* (.docx; with *pdf* also .pdf).

    Raises ``PublicationBlocked`` (nothing written) when the data has 错误 and *draft* is
    not set; with *draft* the report carries the 草稿 mark and the review document
    (``<out>-校验说明.docx``) is written too; *review* writes that document anyway."""
    profile = resolve_profile(chosen, evaluation.profile, where=where)
    with needs("report", PURPOSE):
        from ..report.render import write_report as render

        return render(evaluation, Path(out), profile=profile, pdf=pdf, overwrite=force, draft=draft, review=review,
                      refuse_errors=True)


def report_input(path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                 chosen: ProfileChoice = None, pdf: bool = False, force: bool = False, draft: bool = False,
                 review: bool = False) -> ReportResult:
    """The report of the file *path* (``perfxl report``); *out* defaults to ``default_report_path``."""
    loaded = open_input(path)
    target = Path(out) if out else default_report_path(loaded.path)
    return write_report(loaded.evaluation, target, chosen=chosen, pdf=pdf, force=force, draft=draft, review=review)


def report_paragraphs(docx: str | os.PathLike[str]) -> list[str]:
    """The non-empty paragraphs of a written report (the workbook's preview)."""
    with needs("report", PURPOSE):
        from docx import Document

        return [p.text for p in Document(str(docx)).paragraphs if p.text.strip()]


def report_folder(book_fullname: str) -> Path:
    """Where the workbook's button writes the report: ``$PERFXL_OUTPUT_DIR``, else the
    folder of the workbook *book_fullname* (not a OneDrive/SharePoint address, not an
    unsaved book).  Raises ``OutputError``."""
    configured = os.environ.get(OUTPUT_DIR_ENV)
    if configured:
        folder = Path(configured)
        if not folder.is_dir():
            raise OutputError(f"环境变量 {OUTPUT_DIR_ENV} 指定的文件夹不存在：{folder}")
        return folder
    if book_fullname.lower().startswith(("http://", "https://")):
        raise OutputError("工作簿保存在 OneDrive / SharePoint 网络位置，无法在其旁边写入报告。"
                          f"请把工作簿另存到本机文件夹，或设置环境变量 {OUTPUT_DIR_ENV} 指定输出文件夹。")
    folder = Path(book_fullname).parent
    if not Path(book_fullname).is_absolute() or not folder.is_dir():
        raise OutputError(f"无法确定工作簿所在的文件夹（工作簿尚未保存？）。请先保存工作簿，或设置环境变量 {OUTPUT_DIR_ENV} 指定输出文件夹。")
    return folder


def free_report_path(out: Path, pdf: bool) -> Path:
    """"…-自评报告(2).docx", "(3)" … the first name whose .docx (and .pdf) do not exist."""
    n = 2
    while True:
        candidate = out.with_name(f"{out.stem}({n}){out.suffix}")
        if not candidate.exists() and not (pdf and candidate.with_suffix(".pdf").exists()):
            return candidate
        n += 1

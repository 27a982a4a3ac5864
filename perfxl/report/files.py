"""Writing report files safely: the errors users see, and the atomic write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..app.limits import shown
from ..errors import EXIT_FINDINGS, OutputError, PerfxlError
from ..errors import ReportError as _ReportError
from ..fileio import atomic_write


class ReportError(_ReportError):
    """The report cannot be written; the message is in Chinese, for the user."""


class PublicationBlocked(PerfxlError):
    """The data has 错误: the report is not written for submission (issue 10).

    ``findings`` lists them; the message names each in Chinese and says how to get a
    draft.  The command exits 1 (as ``perfxl check`` does on 错误).
    """

    exit_code = EXIT_FINDINGS

    def __init__(self, findings: Sequence[Any]):
        self.findings = list(findings)
        lines = [f"  {i}. {f.where}：{f.message}" for i, f in enumerate(self.findings, 1)]
        super().__init__(
            f"数据中有 {len(self.findings)} 项错误，未生成自评报告（有错误的报告不能报送）。"
            "请改正以下错误后重新生成；如只需先看看效果，可生成带“草稿”字样的草稿"
            "（命令行加 --draft），错误会列在同名的“校验说明”文件中：\n" + "\n".join(lines))


def refuse_existing(path: Path, overwrite: bool) -> None:
    """Raise ``ReportError`` when *path* exists and may not be overwritten."""
    if path.exists() and not overwrite:
        # the words of fileio's refusal, so that every command says it alike
        raise ReportError(f"文件已存在：{shown(path)}，未覆盖。如确需覆盖，请加 --force。")


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write *data* atomically (``fileio.atomic_write``; without *overwrite* the name is created
    exclusively); a failure to write becomes a ``ReportError``."""
    try:
        atomic_write(path, data, overwrite=overwrite)
    except OutputError as exc:
        raise ReportError(str(exc)) from exc

"""Writing report files safely: the error users see, and the atomic write."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..errors import ReportError as _ReportError
from ..fileio import atomic_write


class ReportError(_ReportError):
    """The report cannot be written; the message is in Chinese, for the user."""


def refuse_existing(path: Path, overwrite: bool) -> None:
    """Raise ``ReportError`` when *path* exists and may not be overwritten."""
    if path.exists() and not overwrite:
        raise ReportError(f"文件已存在：{path}。为免覆盖，未写入；如确需覆盖，请指定覆盖选项（overwrite=True / --force）。")


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* atomically (``fileio.atomic_write``); a failure to write becomes a ``ReportError``."""
    try:
        atomic_write(path, data)
    except OutputError as exc:
        raise ReportError(str(exc)) from exc

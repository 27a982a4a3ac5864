"""Writing report files safely: the error users see, and the atomic write."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ReportError(Exception):
    """The report cannot be written; the message is in Chinese, for the user."""


def refuse_existing(path: Path, overwrite: bool) -> None:
    """Raise ``ReportError`` when *path* exists and may not be overwritten."""
    if path.exists() and not overwrite:
        raise ReportError(f"文件已存在：{path}。为免覆盖，未写入；如确需覆盖，请指定覆盖选项（overwrite=True / --force）。")


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, then move it in place in one step:
    an interrupted run never leaves half a report, and a reader never sees one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as f:  # "x": never someone else's file; the umask applies
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Files in and out: reading a data file or a workbook into the model, writing atomically.

The core never touches files; this module and the adapters in ``perfxl.workbook`` and
``perfxl.report`` do.  Every write goes to a temporary file in the target folder and is
moved into place with ``os.replace``, so a crash never leaves half a file, and nothing
is written over an existing file unless the caller says so.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .core.findings import Finding
from .core.model import Evaluation
from .core.serde import DataError, evaluation_from_dict, evaluation_to_dict
from .errors import InputError as _InputError
from .errors import OutputError

WORKBOOK_SUFFIXES = (".xlsm", ".xlsx", ".xltm", ".xltx")


class InputError(_InputError):
    """A file perfxl cannot read at all (the command line exits 2). The message is Chinese."""


@dataclass
class Loaded:
    """What was read from one file.

    Attributes:
      evaluation: the model.
      findings: problems met while reading (text in number cells, missing sheets…).
      locator: model path → (sheet, cell) for a workbook; ``None`` for a data file.
      path: the file.
    """

    evaluation: Evaluation
    path: Path
    findings: list[Finding] = field(default_factory=list)
    locator: Callable[[str], tuple[str, str] | None] | None = None


def load_data_file(path: Path) -> Evaluation:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}：不是 UTF-8 编码的文本文件，无法作为 JSON 数据文件读取。") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"{path}：JSON 嵌套层数过多，不是 perfxl 数据文件。") from None
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # e.g. an integer of thousands of digits
            raise InputError(f"{path}：JSON 中有无法处理的数值（位数过多）。") from None
        raise InputError(
            f"{path}：JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列附近），请检查括号、引号和逗号是否成对、完整。"
        ) from None
    try:
        return evaluation_from_dict(data)
    except DataError as exc:
        raise InputError(f"{path}：字段 {exc}") from None


def load(path: str | os.PathLike) -> Loaded:
    """Read a data file (.json) or a workbook (.xlsm/.xlsx) into the model.

    Reading a workbook never runs its macros and never changes it.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是文件。")
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from .workbook.reader import (  # openpyxl: imported only when needed
            WorkbookError,
            read_workbook,
        )

        try:
            evaluation, findings, locator = read_workbook(path)
        except WorkbookError as exc:
            raise InputError(str(exc)) from None
        return Loaded(evaluation, path, findings, locator)
    if path.suffix.lower() == ".json":
        return Loaded(load_data_file(path), path)
    raise InputError(f"{path}：不支持的文件类型“{path.suffix}”，请使用 .json 数据文件或 .xlsm/.xlsx 工作簿。")


def atomic_write(
    path: str | os.PathLike,
    content: bytes | Callable[[Path], object],
    *,
    overwrite: bool = True,
    check: Callable[[Path], None] | None = None,
) -> Path:
    """Write *content* (bytes, or a function that writes the given temporary path) beside
    *path*, run *check* on the finished temporary file, then move it to *path* in one step.

    The one write path of perfxl: a crash or a failed *check* leaves the old file as it
    was and no temporary file behind.  With ``overwrite=False`` an existing *path* is an
    ``InputError`` and nothing is written; an OS error (no space, no permission) is an
    ``OutputError`` naming the file.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise InputError(f"{path} 已存在，未覆盖。如确需覆盖，请加 --force。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
        if not isinstance(content, bytes):
            content(tmp_path)
        if check is not None:
            check(tmp_path)
        # mkstemp makes the file private; an output is a document like any other
        os.chmod(tmp_path, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:  # no space, no permission, a folder in the way
        raise _cannot_write(path, exc) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return path


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"无法写入文件 {path}：{exc.strerror or exc}")


def write_data_file(evaluation: Evaluation, path: str | os.PathLike, *, overwrite: bool = True) -> Path:
    text = json.dumps(evaluation_to_dict(evaluation), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), overwrite=overwrite)

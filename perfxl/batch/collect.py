"""Which files a batch reads: every data file and workbook under the folders given.

Hidden files and Office's lock files ("~$…") are skipped; the summary being written is
never one of the inputs (perfxl never writes over a user's file).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..fileio import WORKBOOK_SUFFIXES, InputError

SUFFIXES = (".json", *WORKBOOK_SUFFIXES)


def collect(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to read: each file given, and every data file or workbook under each folder."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"找不到文件或文件夹：{path}")
    return found


def input_files(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str] | None = None) -> list[Path]:
    """``collect`` without *output* (the summary to be written); at least one file."""
    files = collect(paths)
    if output is not None:
        target = Path(output).resolve()
        if any(f.resolve() == target and f.suffix.lower() != ".csv" for f in files) and Path(output).exists():
            raise InputError(f"{output} 是待汇总的文件之一，不能作为汇总输出：perfxl 从不改写用户的文件。")
        files = [f for f in files if f.resolve() != target]
    if not files:
        raise InputError("没有找到任何数据文件（.json）或工作簿（.xlsm/.xlsx）。")
    return files


def common_base(paths: Iterable[str | os.PathLike[str]]) -> Path | None:
    """The one folder given, if exactly one folder was given (file names are shown relative to it)."""
    given = [Path(p) for p in paths]
    return given[0] if len(given) == 1 and given[0].is_dir() else None

"""Inputs and outputs of every operation: open a data file or workbook, vet an output path.

``open_input`` is the one way an edge reads what a user gives it: a data file (.json)
or a workbook (.xlsm/.xlsx) becomes an ``Evaluation`` plus the reading findings and,
for a workbook, the locator (model path → sheet and cell).  A workbook needs the
``workbook`` extra; its absence is a Chinese message naming it (``extras.needs``).

Every input is vetted before any parser sees it (``perfxl.app.limits``, called by
``fileio.load`` so that ``perfxl.load`` and batch get it too): only regular files, opened
without blocking; bounded JSON size and depth, a JSON object at the root; bounded zip
packages and XML parts without DOCTYPE/ENTITY.  A refusal is an ``InputLimitError`` or
``NotRegularFileError`` (exit 2) naming the file and the part (docs/limits.md).

``check_output`` runs before any work is done, so a wrong output name costs nothing:
the suffix must fit, the output is never the input, and an existing file is only
replaced with ``--force``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError, OutputExistsError
from ..fileio import WORKBOOK_SUFFIXES, Loaded, load
from .extras import needs, require_extra
from .limits import Limits, shown


def open_input(path: str | os.PathLike[str], limits: Limits | None = None) -> Loaded:
    """Read *path* (.json or a workbook) into the model; never runs macros, never writes.

    *limits*: ``limits.DEFAULT_LIMITS`` unless a user asked for more (``--max-input-mb``).
    Raises ``InputError`` (or a subclass: ``InputLimitError``, ``NotRegularFileError``)."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file():
        # asked first: the reader takes any failure to open a file for a damaged workbook
        require_extra("workbook", "openpyxl", "读取工作簿")
        with needs("workbook", "读取工作簿"):
            return load(path, limits)
    return load(path, limits)


def check_output(path: str | os.PathLike[str], *, suffixes: tuple[str, ...], force: bool,
                 source: str | os.PathLike[str] | None = None) -> Path:
    """*path* as an output: its suffix is one of *suffixes*, it is not *source*, and it
    does not exist unless *force*.  Raises ``OutputError`` (exit 2)."""
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        raise OutputError(f"{shown(out)}：输出文件应以 {' 或 '.join(suffixes)} 结尾。")
    if source is not None and out.resolve() == Path(source).resolve():
        raise OutputError("输出文件不能与输入文件相同：perfxl 从不改写用户的文件。")
    if os.path.lexists(out) and not force:
        raise OutputExistsError(f"{shown(out)} 已存在，未覆盖。如确需覆盖，请加 --force。")
    return out

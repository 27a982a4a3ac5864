"""Start next year's workbook (or data file) from last year's (``perfxl new --from``, 由上年生成).

Reads *source* (a workbook or data file) through ``inputs.open_input``, turns it into
next year's evaluation with the pure ``core.nextyear.next_year`` (what is carried, moved
and cleared is decided and documented there) and writes a new file; *source* is never
written.  The output's suffix picks the kind: .xlsm (or .xlsx with ``macros=False``) is a
filled workbook built like ``perfxl fill``; .json is a data file.  A workbook that could
not be read completely (reading 错误) is refused: carrying half a year's data over would
silently lose the rest.

``diff_inputs`` reads two files for ``perfxl diff`` (the comparison is ``core.diff``).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.diff import Change, diff_evaluations
from ..core.findings import has_errors
from ..core.model import Evaluation
from ..core.nextyear import next_year
from ..errors import InputError
from ..fileio import write_data_file
from .inputs import check_output, open_input
from .workbooks import DATA_OUTPUT, build, workbook_suffixes


def default_output(source: str | os.PathLike[str], evaluation: Evaluation, suffix: str = ".xlsm") -> Path:
    """Beside *source*: its name with the year replaced (``…-2023.xlsm`` → ``…-2024.xlsm``),
    or ``<name>-<year>.xlsm`` when the name holds no year; *suffix* is the new file's."""
    path = Path(source)
    old, new = str(evaluation.year - 1), str(evaluation.year)
    stem = path.stem.replace(old, new) if evaluation.year and old in path.stem else f"{path.stem}-{new}"
    return path.with_name(stem + suffix)


def _free(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        n += 1
    return candidate


def next_year_evaluation(source: str | os.PathLike[str]) -> Evaluation:
    """Next year's evaluation from the file *source*; ``InputError`` when it cannot be read whole."""
    loaded = open_input(source)
    if has_errors(loaded.findings):
        problems = "；".join(f"{f.where}：{f.message}" for f in loaded.findings if str(f.severity) == "错误")
        raise InputError(f"{loaded.path.name} 中有无法读取的内容，未生成下一年度的文件：{problems}")
    if not loaded.evaluation.year:
        raise InputError(f"{loaded.path.name} 中没有填写年度，无法确定下一年度。")
    return next_year(loaded.evaluation)


def next_year_file(source: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                   force: bool = False, macros: bool = True) -> Path:
    """Next year's file from *source* at *out*; returns its path.  Without *out* (the
    由上年生成 button): beside *source* (``default_output``), and when that exists the
    first free name "…(2).xlsm", so that no file is ever replaced."""
    evaluation = next_year_evaluation(source)
    target_name = out if out is not None else _free(default_output(source, evaluation, workbook_suffixes(macros)[0]))
    json_out = Path(target_name).suffix.lower() in DATA_OUTPUT
    suffixes = DATA_OUTPUT + workbook_suffixes(macros) if out is not None else workbook_suffixes(macros)
    target = check_output(target_name, suffixes=suffixes, force=force, source=source)
    if json_out:
        return write_data_file(evaluation, target, overwrite=force)
    return build(evaluation, target, macros=macros, force=force)


def diff_inputs(old: str | os.PathLike[str], new: str | os.PathLike[str],
                chosen: str | os.PathLike[str] | None = None) -> list[Change]:
    """What changed from the file *old* to the file *new* (``perfxl diff``); scores with the
    *chosen* profile, else the one *new* names (one profile for both, see ``core.diff``)."""
    from .profiles import resolve_profile

    before, after = open_input(old).evaluation, open_input(new).evaluation
    profile = resolve_profile(chosen, after.profile, where="文件")
    return diff_evaluations(before, after, profile)

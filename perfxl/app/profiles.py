"""Which rule profile an assessment uses: the one explicit rule, for every edge.

Rule (issue 7, "Batch reads arbitrary files"):

* the user's own choice — ``--profile`` on the command line — may be a built-in name
  ("default", "strict") or the path of a .toml file;
* a name found INSIDE a data file, a workbook (基本情况's 评分规则方案) or a cell formula
  (``=PERF_GRADE(90, "…")``) may only be a built-in name.  These files come from
  departments; a file collected from elsewhere must never make perfxl read another
  file (a path there once put an unrelated file's content into batch's summary).
  Such a name is compared with the list of built-in names before anything is opened.
* neither given: "default".
"""

from __future__ import annotations

import os
from functools import cache

from ..core.profile import DEFAULT_PROFILE, Profile, ProfileError, available_profiles, load_profile


@cache
def _builtin_names() -> tuple[str, ...]:
    """The shipped profiles; package data does not change while perfxl runs (the UDFs
    ask for every cell they compute)."""
    return tuple(available_profiles())


def builtin_profile(named: str | None, *, where: str = "文件") -> Profile:
    """The built-in profile *named* inside a file ("" or ``None``: the default; any case).

    Raises ``ProfileError`` for anything else, without opening any file it names."""
    name = (named or "").strip() or DEFAULT_PROFILE
    builtins = _builtin_names()
    # case-insensitive, as the workbook's own formulas match the 评分方案 cell (sheets/ruletable.py):
    # "Hunan" typed in the cell must not be hunan for the sheet and an error for Python
    name = next((b for b in builtins if b.casefold() == name.casefold()), name)
    if name not in builtins:
        shown = name if len(name) <= 60 else name[:60] + "…"
        raise ProfileError(f"{where}中的评分方案“{shown}”不是内置方案（{'、'.join(builtins)}）；"
                           "自定义方案请用命令行的 --profile 指定其 .toml 文件。")
    return load_profile(name)


def resolve_profile(chosen: str | os.PathLike[str] | Profile | None = None, named: str | None = None, *,
                    where: str = "文件") -> Profile:
    """The profile to use: *chosen* (the user's own: a name, a .toml path or a loaded
    ``Profile``) when given, else the built-in one *named* inside the input (see the rule)."""
    if isinstance(chosen, Profile):
        return chosen
    if chosen is not None and os.fspath(chosen).strip():
        return load_profile(chosen)
    return builtin_profile(named, where=where)

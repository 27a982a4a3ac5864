"""The built-in profiles' rules as a table on the hidden xlwings.conf sheet (issue 9): what the
native formulas (``native.py``) look up to compute without Python by the profile named on 基本情况.

Rules as data: one row per built-in profile (``perfxl/profiles/*.toml``, read when the sheet is
laid out), one column per parameter the native formulas need: the 执行率 denominator, the
score method (capped / uncapped / bands / steps), its rounding, the steps and bands, the
三公经费 变动率's columns (``[change_rate]``), the grade bands and the execution cap.  A row below the table, 当前方案, holds the parameters of the
profile the 规则方案 cell names (an empty cell: the default): its first cell is the profile's
row number in the table ("" for a name that is not built in), each other cell the table's value
in that row (``INDEX``).  The formulas on the annexes read that row only, so adding a built-in
profile adds a row here and changes no formula's logic.

Decisions:

* the table sits right of xlwings' own settings (columns A:B; xlwings reads column A from A1 down to its
  last filled cell, GetConfigFromSheet), from column D, its 当前方案 label in column C;
* the profile cell's name matches a row as Excel's ``=`` compares texts: trimmed and
  case-insensitive (``TRIM(cell)=name``), never with MATCH's wildcards;
* the values are the TOML's own words (full_year, capped, whole …) and numbers, so a reader
  of the sheet can compare them with the file; a list (bands, cap bands) is spread over numbered
  columns, as many as the longest list of the built-in profiles, a shorter list padded with its
  last item (a repeated band changes no result); an unused list is blank;
* the execution cap is 是 only when it is enabled and has bands (``rules.cap_total``: no band
  caps nothing);
* a profile the native formulas cannot follow is left out, so it falls back to the UDFs like a
  department's own .toml: ``[targets] not_applicable = "rescale"`` (the rule total would need
  to know which indicators are "无", i.e. the parser).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from ...core.profile import DEFAULT_PROFILE, Profile
from ..a1 import col_index, col_letters
from ..formula import Native, Ref

Cell = str | Decimal | None
#: a column's value for a profile (its name, the profile)
Getter = Callable[[str, Profile], Cell]


def native_ok(profile: Profile) -> bool:
    """Whether the native formulas compute *profile* (module docstring)."""
    return profile.not_applicable != "rescale"


def _padded(items: Sequence[tuple[Decimal, Decimal]], width: int) -> list[Cell]:
    if not items:
        return [None] * (2 * width)
    full = list(items) + [items[-1]] * (width - len(items))
    return [v for pair in full for v in pair]


def _cap_bands(p: Profile) -> list[tuple[Decimal, Decimal]]:
    cap = p.execution_cap
    return [(b.below, b.max_total) for b in cap.bands] if cap.enabled else []


def _score_bands(p: Profile) -> list[tuple[Decimal, Decimal]]:
    return [(b.at, b.fraction) for b in p.budget.bands] if p.budget.method == "bands" else []


def _item(bands: Callable[[Profile], list[tuple[Decimal, Decimal]]], width: int, index: int) -> Getter:
    """The getter of the *index*-th value of a profile's *bands* padded to *width* pairs."""
    return lambda name, profile: _padded(bands(profile), width)[index]


@dataclass(frozen=True)
class RuleTable:
    """The table of *profiles* on *sheet* with its header at *row*, from column *col*; the
    当前方案 row follows *profile*, the 规则方案 cell."""

    sheet: str
    profile: Ref
    profiles: tuple[tuple[str, Profile], ...]
    col: str = "D"
    row: int = 1

    @cached_property
    def _widths(self) -> tuple[int, int]:
        ps = [p for _, p in self.profiles]
        return max([1, *(len(_score_bands(p)) for p in ps)]), max([1, *(len(_cap_bands(p)) for p in ps)])

    @cached_property
    def columns(self) -> tuple[tuple[str, str, Getter], ...]:
        """(key, header, value of a profile) of each column, the name first."""
        bands, caps = self._widths
        cols: list[tuple[str, str, Getter]] = [
            ("name", "方案", lambda n, p: n),
            ("denominator", "执行率分母", lambda n, p: p.budget.denominator),
            ("method", "执行率得分方法", lambda n, p: p.budget.method),
            ("rounding", "执行率得分取整", lambda n, p: p.budget.rounding),
            ("step_size", "每档幅度", lambda n, p: p.budget.step_size),
            ("step_points", "每档扣分", lambda n, p: p.budget.step_points),
        ]
        for i in range(bands):
            cols += [(f"band_at{i}", f"得分档{i + 1}执行率", _item(_score_bands, bands, 2 * i)),
                     (f"band_fraction{i}", f"得分档{i + 1}得分比例", _item(_score_bands, bands, 2 * i + 1))]
        cols += [("change_basis", "变动率本年口径", lambda n, p: p.change_rate_basis),
                 ("change_prior", "变动率上年口径", lambda n, p: p.change_rate_prior)]
        cols += [("excellent", "优", lambda n, p: p.grades.excellent), ("good", "良", lambda n, p: p.grades.good),
                 ("passing", "中", lambda n, p: p.grades.passing),
                 ("cap", "执行率限分", lambda n, p: "是" if _cap_bands(p) else "否")]
        for i in range(caps):
            cols += [(f"cap_below{i}", f"限分档{i + 1}执行率低于", _item(_cap_bands, caps, 2 * i)),
                     (f"cap_max{i}", f"限分档{i + 1}总分上限", _item(_cap_bands, caps, 2 * i + 1))]
        return tuple(cols)

    @property
    def score_bands(self) -> int:
        return self._widths[0]

    @property
    def cap_bands(self) -> int:
        return self._widths[1]

    def _col(self, key: str) -> str:
        index = next(i for i, (k, _, _) in enumerate(self.columns) if k == key)
        return col_letters(col_index(self.col) + index)

    @property
    def active_row(self) -> int:
        """The 当前方案 row: one blank row below the table."""
        return self.row + len(self.profiles) + 2

    def __getitem__(self, key: str) -> Ref:
        """The 当前方案 cell of *key* ("index": the profile's row number in the table, or "")."""
        return Ref(f"{self.col if key == 'index' else self._col(key)}{self.active_row}", self.sheet)

    def named(self, value: object) -> Profile | None:
        """The profile of the table the 规则方案 cell's *value* names (empty: the default), as
        ``TRIM(cell)=name`` matches it; None for any other name."""
        name = ("" if value is None else str(value).strip()) or DEFAULT_PROFILE
        return next((p for n, p in self.profiles if n.casefold() == name.casefold()), None)

    def cells(self) -> list[tuple[str, Cell | Native]]:
        """Every cell of the table and of the 当前方案 row: (cell, text, number or formula)."""
        first, last = self.row + 1, self.row + len(self.profiles)
        out: list[tuple[str, Cell | Native]] = [(f"{col_letters(col_index(self.col) - 1)}{self.active_row}", "当前方案")]
        for j, (key, header, value) in enumerate(self.columns):
            col = col_letters(col_index(self.col) + j)
            out.append((f"{col}{self.row}", header))
            out += [(f"{col}{first + i}", value(n, p)) for i, (n, p) in enumerate(self.profiles)]
            if key != "name":
                out.append((f"{col}{self.active_row}", Native(
                    f'IF({{0}}="","",INDEX(${col}${first}:${col}${last},{{0}}))', (self["index"], self.profile),
                    lambda _i, name, value=value: self._active(name, value))))
        key = f'IF(TRIM({{0}})="","{DEFAULT_PROFILE}",TRIM({{0}}))'
        match = '""'
        for i in reversed(range(len(self.profiles))):
            match = f"IF({key}=${self.col}${first + i},{i + 1},{match})"
        out.append((f"{self.col}{self.active_row}", Native(match, (self.profile,), self._index)))
        return out

    def _index(self, name: object) -> Cell:
        profile = self.named(name)
        return None if profile is None else Decimal(next(i for i, (_, p) in enumerate(self.profiles, 1) if p is profile))

    def _active(self, name: object, value: Callable[[str, Profile], Cell]) -> Cell:
        profile = self.named(name)
        if profile is None:
            return None
        cell = value(next(n for n, p in self.profiles if p is profile), profile)
        return Decimal(0) if cell is None else cell  # INDEX of a blank cell is 0

"""Where a model path is in the workbook read: (sheet, cell), for findings (``findings.locate``).

Split from ``reader.py``: the reader hands over where it found each sheet's fields and
regions; this module answers questions about them.  Decisions:

- A sheet is mapped only when a finding on it asks (one map of a 300-project book costs
  as much as reading it; issue 11 item 6).
- A sheet's map is cached by its declaration and what was found on it (``_sheet_map``):
  a finance bureau's files share a few layouts, so a batch's later files reuse the first
  one's maps (~1 ms a sheet).  The cached maps are shared: nothing here mutates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import layout as L

__all__ = ["SheetLocator"]


class SheetLocator:
    """Model path → (sheet, cell) in the book read, as ``L.locate_in(L.cell_map(...), path)``
    answers it, with the map of each sheet built on the first question about that sheet.

    One map of a 300-project book costs as much as reading it; a finding needs only its
    own sheet's.  A sheet's keys are its paths (under its root: "", "basic", "overall",
    "projects[3]") and their ancestors, so a path is looked up in the sheets whose root
    is one of its prefixes, the sheets whose root lies under it ("projects" → every
    project sheet), and the sheets of root "", in workbook order: the first that has
    it wins, as in the one map (``cell_map`` keeps the first sheet's cell).
    """

    def __init__(self, sheets: Sequence[L.SheetLayout], *where: Any):
        self._sheets = list(sheets)
        self._where = where  # regions_first, singles, dict_keys, sheet_names (see ``L.cell_map``)
        self._maps: dict[int, dict[str, tuple[str, str]]] = {}
        self._by_sheet: dict[str, _Where] | None = None
        self._by_root: dict[str, list[int]] = {}
        self._under: dict[str, list[int]] = {}
        for i, decl in enumerate(self._sheets):
            self._by_root.setdefault(decl.root, []).append(i)
            for ancestor in _prefixes(decl.root)[1:]:
                self._under.setdefault(ancestor, []).append(i)

    def full_map(self) -> dict[str, tuple[str, str]]:
        """The one map of every sheet (what the lazy answers must equal)."""
        return L.cell_map(self._sheets, *self._where)

    def _lookup(self, path: str) -> tuple[str, str] | None:
        found = set(self._by_root.get("", ()))
        for prefix in _prefixes(path):
            found.update(self._by_root.get(prefix, ()))
        for i in sorted(found.union(self._under.get(path, ()))):
            cells = self._maps.get(i)
            if cells is None:
                cells = self._maps[i] = _sheet_map(self._sheets[i], self._sheet_where(self._sheets[i]))
            if path in cells:
                return cells[path]
        return None

    def _sheet_where(self, decl: L.SheetLayout) -> _Where:
        """What the reader found on *decl*'s sheet, as ``L.cell_map``'s arguments for it alone
        (hashable: the key of ``_sheet_map``'s cache)."""
        if self._by_sheet is None:  # one pass over the book's entries, on the first question
            regions_first, singles, dict_keys, sheet_names = self._where
            by_sheet: dict[str, tuple[list[Any], list[Any], list[Any]]] = {}
            for (name, path), value in regions_first.items():
                by_sheet.setdefault(name, ([], [], []))[0].append((path, value))
            for (name, path), cell in singles.items():
                by_sheet.setdefault(name, ([], [], []))[1].append((path, cell))
            for (name, path), keys in dict_keys.items():
                by_sheet.setdefault(name, ([], [], []))[2].append((path, tuple(keys)))
            self._by_sheet = {name: (tuple(r), tuple(s), tuple(k), sheet_names.get(name, name))
                              for name, (r, s, k) in by_sheet.items()}
        return self._by_sheet.get(decl.name, ((), (), (), self._where[3].get(decl.name, decl.name)))

    def __call__(self, path: str) -> tuple[str, str] | None:
        found = self._lookup(path)
        while found is None:  # an unknown attribute of a known row → the row (``L.locate_in``)
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                return None
            path = path[:cut]
            found = self._lookup(path)
        return found


#: one sheet's part of what the reader found: (regions, singles, dict keys, actual sheet name)
_Where = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], str]
#: the maps of the sheets met so far, by (declaration, what was found on it); see ``_sheet_map``
_MAPS: dict[tuple[int, _Where], tuple[L.SheetLayout, dict[str, tuple[str, str]]]] = {}
_MAPS_KEPT = 256


def _sheet_map(decl: L.SheetLayout, where: _Where) -> dict[str, tuple[str, str]]:
    """``L.cell_map`` of one sheet, cached by its declaration and what was found on it.

    A finance bureau's files share a few layouts (one template, a few project counts),
    so the maps of a batch's second and later files are the first one's: mapping a sheet
    costs ~1 ms, as much as reading it (issue 11).  The declarations are the process's
    own (``_data_sheets``), so identity is their key; the entry keeps the declaration, so
    its ``id`` is never reused while cached.  At most ``_MAPS_KEPT`` maps are kept.
    """
    key = (id(decl), where)
    hit = _MAPS.get(key)
    if hit is not None and hit[0] is decl:
        return hit[1]
    regions, singles, dict_keys, actual = where
    cells = L.cell_map([decl], {(decl.name, p): v for p, v in regions}, {(decl.name, p): c for p, c in singles},
                       {(decl.name, p): list(k) for p, k in dict_keys}, {decl.name: actual})
    if len(_MAPS) >= _MAPS_KEPT:
        _MAPS.clear()
    _MAPS[key] = (decl, cells)
    return cells


def _prefixes(path: str) -> list[str]:
    """"projects[3].funds[0].actual" → [itself, "projects[3].funds[0]", "projects[3].funds", "projects[3]", "projects"]."""
    out = [path]
    while True:
        cut = max(path.rfind("."), path.rfind("["), path.rfind("#"))
        if cut <= 0:
            return out
        path = path[:cut]
        out.append(path)

"""``perfxl diff`` in a terminal: the lines a person reads (``core.diff`` makes the changes).

Decisions (issue 10 audit: "diff should not drown the user in empty-field noise"):

* The changes to a value are listed one a line.  The values blank on the right, and the
  report's paragraphs removed there, are counted per table instead (``--all`` lists
  them): between two years they are this year's figures not yet filled, a hundred lines
  that would hide the few carried-over changes (the example: 14 lines, 125 counted).
* A table blank on the right scores 0 (差) there; its 规则总分 and 规则等级 lines say so,
  so that "良 → 差" is not read as a verdict.
* A long text is shortened to its first ``TEXT_SHOWN`` characters (``--all`` and
  ``--json`` keep it whole).
* Department text is made ``visible`` (``present``) before it reaches the terminal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .core.diff import Change, describe
from .present import visible

__all__ = ["TEXT_SHOWN", "diff_lines"]

#: characters of a text value shown in a line (the terminal; --all and --json show it whole)
TEXT_SHOWN = 40
_BLANK: tuple[object, ...] = (None, "", [])


def diff_lines(changes: Sequence[Change], old_name: str, new_name: str, *, everything: bool = False) -> list[str]:
    """The terminal's lines for *changes* (not empty) from the file *old_name* to *new_name*."""
    cleared = [] if everything else [c for c in changes if _cleared(c)]
    unfilled = {_root(c) for c in changes if _cleared(c) and c.kind == "score"
                and c.path.endswith((".self_total", ".execution_rate"))}
    out = [f"共 {len(changes)} 处变化（左为 {visible(old_name)}，右为 {visible(new_name)}）："]
    for change in changes:
        if change in cleared:
            continue
        line = visible(_line(change, whole=everything))
        if change.kind == "score" and change.path.endswith((".rule_total", ".grade")) and _root(change) in unfilled:
            line += "（右边此表尚未填写，按 0 分计）"
        out.append(("  [评分] " if change.kind == "score" else "  ") + line)
    if cleared:
        out.append(f"另有 {len(cleared)} 处在右边为空或已删除（两个年度之间，多为本年待填写的数据；加 --all 逐项列出）：")
        out += [f"  {visible(name)}：{count} 处" for name, count in _by_table(cleared)]
    return out


def _root(change: Change) -> str:
    """"overall", "projects[0]", "narrative" …: the table or section (a score with its table)."""
    return change.path.removeprefix("scores.").split(".")[0]


def _cleared(change: Change) -> bool:
    """A value blank on the right, or a report paragraph removed there."""
    if change.kind == "removed":
        return change.path.startswith("narrative.")
    return change.kind in ("changed", "score") and change.new in _BLANK and change.old not in _BLANK


def _line(change: Change, *, whole: bool) -> str:
    def short(value: object) -> object:
        if whole or not isinstance(value, str) or len(value) <= TEXT_SHOWN:
            return value
        return value[:TEXT_SHOWN] + "……"

    return describe(dataclasses.replace(change, old=short(change.old), new=short(change.new)))


def _by_table(changes: Sequence[Change]) -> list[tuple[str, int]]:
    """(table or section, count) in order, named by the words their labels share
    ("附件2 整体自评表"); a single change by its label without the field."""
    groups: dict[str, list[str]] = {}
    for change in changes:
        groups.setdefault(_root(change), []).append(change.label)
    out = []
    for labels in groups.values():
        words = labels[0].split(" ")
        words = words[:-1] if len(labels) == 1 and len(words) > 1 else words
        for label in labels[1:]:
            other = label.split(" ")
            same = next((i for i, (a, b) in enumerate(zip(words, other, strict=False)) if a != b),
                        min(len(words), len(other)))
            words = words[:same]
        out.append((" ".join(words) or labels[0], len(labels)))
    return out

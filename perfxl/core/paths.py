"""Model paths ("basic.project_items[*].actual", "funds[1:]") and whether a table holds anything.

Split from ``forms.py`` (which re-exports both names) to keep it under 400 lines: ``resolve``
expands a path of the declared forms; ``present`` tells a table the file leaves out (issue 9,
forms.py's docstring) from one it fills.
"""

from __future__ import annotations

import dataclasses
import re

_STEP = re.compile(r"^([a-z_0-9]+)(?:\[(\*|\d+|\d+:)\])?$")


def resolve(record: object, path: str, prefix: str = "") -> list[tuple[str, object]]:
    """The values at *path* under *record*, each with its full model path.

    ``resolve(ev, "basic.project_items[*].actual")`` → [("basic.project_items[0].actual", …), …];
    a missing list item gives nothing (a form may have fewer fund rows than declared).
    """
    found: list[tuple[str, object]] = [(prefix, record)]
    for step in path.split("."):
        match = _STEP.match(step)
        if match is None:
            raise ValueError(f"forms: bad path step {step!r} in {path!r}")
        name, index = match.groups()
        nxt: list[tuple[str, object]] = []
        for at, value in found:
            here = f"{at}.{name}" if at else name
            item = getattr(value, name)
            if index is None:
                nxt.append((here, item))
            elif index == "*" or index.endswith(":"):
                start = 0 if index == "*" else int(index[:-1])
                nxt += [(f"{here}[{i}]", v) for i, v in enumerate(item) if i >= start]
            elif int(index) < len(item):
                nxt.append((f"{here}[{index}]", item[int(index)]))
        found = nxt
    return found


#: fields a blank form prints already: row labels and the 一级/二级 names of the indicator skeleton
LABELS = frozenset({"label", "level1", "level2"})


def present(record: object) -> bool:
    """Whether *record* (a table of the model) holds anything besides what the blank form
    prints (``LABELS``): an amount, a text, a list item with more than its labels.
    ``present(BasicData())`` and the blank workbook's 附件二 (fund labels and the skeleton
    of 一级/二级 names) are False."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return any(present(getattr(record, f.name)) for f in dataclasses.fields(record) if f.name not in LABELS)
    if isinstance(record, (list, tuple)):
        return any(present(item) for item in record)
    if isinstance(record, dict):
        return any(present(item) for item in record.values())
    if isinstance(record, str):
        return bool(record.strip())
    if isinstance(record, bool):  # a mark (核心指标): unset is blank
        return record
    return record is not None

"""Plain data (the JSON data-file format) ↔ the model in ``model.py``.

The conversion is driven by the dataclasses' own type hints, so a field added to the
model is carried by the data file and its JSON Schema (``schema.py``) with no further
code.  Amounts are written as decimal strings ("5.40": the trailing zero is kept, no
float ever appears); on reading, a JSON number, a decimal string, ``null`` or any
other text is accepted, and text that is not a number stays text, for the checker to
report with its place.  Unknown keys and wrong shapes raise ``DataError`` with the
path of the offending field, in Chinese.

"Blank" has one representation per field kind in the model (issue 12, so that
``fill`` → ``export`` is the identity): an amount is ``None`` (JSON ``null``, ``""`` and
text of only spaces all read as ``None`` and are written back as ``null``), an optional
text (``str | None``, the printed rates) is ``None`` (``""`` reads as ``None``), a text
is ``""``, a mark (``bool``: 核心指标) ``false`` (``null`` reads as ``false``) and the year is 0.  The workbook writes each as an empty cell and the reader
(``workbook/convert.py``) reads an empty cell back as the same value.  A list ends at its last
filled item (``cells.trimmed``): a blank last duty or an empty last row carries nothing, and a
workbook could not tell it from the form's unused rows, so the data file drops it as the
workbook reader does.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from ..errors import DataError as _DataError
from . import model
from .cells import read_amount, trimmed
from .money import Amount, to_decimal

#: version of the data-file format; bump it on an incompatible change
FORMAT_VERSION = 1
FORMAT_ID = "perfxl/evaluation"


class DataError(_DataError):
    """A data file whose shape does not fit the model. ``path`` is like ``overall.indicators[2].weight``."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path or '（根）'}：{message}")
        self.path = path
        self.message = message


_AMOUNT = typing.get_type_hints(model.CostRow)["prior_actual"]  # Decimal | str | None


@cache
def _hints(cls: type) -> dict[str, object]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _type_name(value: object) -> str:
    return {
        dict: "对象",
        list: "列表",
        str: "文本",
        int: "整数",
        float: "数字",
        bool: "真假值",
        type(None): "空值",
    }.get(type(value), type(value).__name__)


def _amount_from(value: object, path: str) -> Amount:
    if value is None:
        return None
    if isinstance(value, bool):
        raise DataError(path, f"应为金额或数字，实际为{_type_name(value)}")
    if isinstance(value, (int, float)):
        number = to_decimal(value)
        if number is None:
            raise DataError(path, "不是有效的数字")
        return number
    if isinstance(value, str):
        return read_amount(value).value  # "89.82" → Decimal, "——" / a typo → the text, judged by the checker
    raise DataError(path, f"应为金额（数字或文本），实际为{_type_name(value)}")


def _from(tp: object, value: object, path: str) -> object:
    if tp == _AMOUNT:
        return _amount_from(value, path)
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, path)  # type: ignore[arg-type]
    origin = typing.get_origin(tp)
    if origin is list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise DataError(path, f"应为列表，实际为{_type_name(value)}")
        (item_tp,) = typing.get_args(tp)
        return trimmed([_from(item_tp, item, f"{path}[{i}]") for i, item in enumerate(value)])
    if origin is dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise DataError(path, f"应为对象，实际为{_type_name(value)}")
        _, val_tp = typing.get_args(tp)
        return {str(k): _from(val_tp, v, _join(path, str(k))) for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):  # "str | None"
        if value is None or value == "":
            return None
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _from(args[0], value, path)
    if tp is str:
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise DataError(path, f"应为文本，实际为{_type_name(value)}")
        return value
    if tp is bool:  # a mark (核心指标): true / false, null is false
        if value is None:
            return False
        if not isinstance(value, bool):
            raise DataError(path, f"应为真假值（true / false），实际为{_type_name(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise DataError(path, f"应为整数，实际为{_type_name(value)}")
        try:
            return int(value)
        except ValueError:
            raise DataError(path, f"应为整数，实际为“{value}”") from None
    raise TypeError(f"serde: unsupported type {tp!r} at {path}")  # a model bug, not bad data


def from_dict(cls: type, data: object, path: str = ""):
    """Build a *cls* record from plain data, checking every key and shape."""
    if data is None:
        return cls()
    if not isinstance(data, dict):
        raise DataError(path, f"应为对象，实际为{_type_name(data)}")
    hints = _hints(cls)
    unknown = [k for k in data if k not in hints and not k.startswith("$")]
    if unknown:
        raise DataError(_join(path, str(unknown[0])), "不认识的字段（拼写错误？）")
    kwargs = {name: _from(tp, data[name], _join(path, name)) for name, tp in hints.items() if name in data}
    return cls(**kwargs)


def _to(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if dataclasses.is_dataclass(value):
        return to_dict(value)
    if isinstance(value, list):
        return [_to(v) for v in value]
    if isinstance(value, dict):
        return {k: _to(v) for k, v in value.items()}
    return value


def to_dict(record: Any) -> dict:
    """Plain data for *record* (a model dataclass): every field, in declaration order."""
    return {f.name: _to(getattr(record, f.name)) for f in dataclasses.fields(record)}


def evaluation_from_dict(data: object) -> model.Evaluation:
    """Read a whole data file's content; ``format``/``version`` are checked when present."""
    if isinstance(data, dict):
        fmt = data.get("format")
        if fmt is not None and fmt != FORMAT_ID:
            raise DataError("format", f"不是 perfxl 数据文件（format 为“{fmt}”）")
        version = data.get("version", FORMAT_VERSION)
        if type(version) is not int:
            raise DataError("version", f"应为整数 {FORMAT_VERSION}，实际为{_type_name(version)}“{version}”")
        if version != FORMAT_VERSION:
            raise DataError("version", f"数据格式版本 {version} 不受支持（本版本为 {FORMAT_VERSION}）")
        data = {k: v for k, v in data.items() if k not in ("format", "version")}
    return from_dict(model.Evaluation, data)


def evaluation_to_dict(evaluation: model.Evaluation) -> dict:
    return {"$schema": "perfxl-evaluation.schema.json", "format": FORMAT_ID, "version": FORMAT_VERSION, **to_dict(evaluation)}

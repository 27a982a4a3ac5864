"""The JSON Schema of the data-file format, derived from the model's dataclasses.

The file ``perfxl/schema/perfxl-evaluation.schema.json`` is this function's output
(``perfxl schema --force -o …`` writes it; a test keeps it up to date), so that other systems
can validate what they send to perfxl without running Python.  Descriptions come from
the declared forms (``forms.py``: the printed label and unit of each row and column of
附件一, the fund rows and 按收入/支出性质分 of 附件二/三) and, for everything else, from
the ``Attributes:`` sections of the model's docstrings.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing

from . import forms, model
from .serde import _AMOUNT, FORMAT_ID, FORMAT_VERSION, _hints

AMOUNT_SCHEMA = {
    "description": "金额或人数：十进制数字文本（如 \"89.82\"，保留原样小数位）或 JSON 数字；"
    "null 表示空格（空文本 \"\" 与只有空格的文本同样读作空格，导出时写作 null）；其他文本（如 \"——\"）按原样保留，由校验报告。",
    "type": ["string", "number", "null"],
}


def _attribute_docs(cls: type) -> dict[str, str]:
    """Field → description, read from the "Attributes:" block of *cls*'s docstring."""
    doc = cls.__doc__ or ""
    if "Attributes:" not in doc:
        return {}
    block = doc.split("Attributes:", 1)[1]
    docs: dict[str, str] = {}
    current: list[str] = []
    for line in block.splitlines():
        match = re.match(r"\s{6}([a-z_][a-z0-9_ /]*):\s*(.*)", line)
        if match:
            current = [n.strip() for n in match.group(1).split("/")]
            for name in current:
                docs[name] = match.group(2).strip()
        elif line.strip() and current:
            for name in current:
                docs[name] += " " + line.strip()
    for names in {tuple(n) for n in _groups(block)}:
        # "a / b: 甲 / 乙." describes a as 甲 and b as 乙
        parts = [part.strip() for part in docs[names[0]].rstrip(".").split(" / ")]
        if len(names) > 1 and len(parts) == len(names):
            docs.update(zip(names, parts, strict=False))
    return docs


def _groups(block: str):
    for match in re.finditer(r"^\s{6}([a-z_][a-z0-9_ ]*(?:/[a-z0-9_ ]*)+):", block, re.M):
        yield [n.strip() for n in match.group(1).split("/")]


def _unit(unit: str) -> str:
    return f"（{unit}）" if unit and unit not in ("%",) else ""


def _years(label: str) -> str:
    return label.format(year="{年}", prior="{上年}")


def _relation_notes(form: forms.Form) -> dict[str, str]:
    """Row path → "；= 甲 + 乙" / "；其中项不超过本项" / "；= 实际在职人数 ÷ 编制数"."""
    notes: dict[str, str] = {}
    for rel in form.relations:
        if isinstance(rel, forms.Sum) and not rel.columns and rel.group:
            continue  # 附件二 年度资金总额: described by its own row
        if isinstance(rel, forms.Sum):
            names = rel.what or " + ".join(form.row(c).name for c in rel.children)
            notes[rel.parent] = f"；= {names}"
        elif isinstance(rel, forms.SubItems):
            notes[rel.parent] = "；其下“其中”各项为选列，不必合计等于本项，但合计不应超过本项"
        else:
            notes[rel.result] = f"；= {rel.formula}"
    return notes


def form_descriptions() -> dict[tuple[str, str], str]:
    """(model class, field) → description, from the declared forms."""
    docs: dict[tuple[str, str], str] = {}
    owners = {"basic": "BasicData", "buildings": "BuildingControl", "overall": "OverallTable"}
    for form in (forms.BASIC_TABLE, forms.OVERALL_TABLE):
        relations = _relation_notes(form)
        for block in form.blocks:
            title = _years(block.title)
            for row in block.rows:
                if row.path.startswith("funds["):
                    continue
                owner, _, attr = row.path.replace("[*]", "").rpartition(".")
                label = _years(row.before or row.label)
                if block.columns:
                    text = f"{label}，{'每行一项（行名称、各列金额）' if row.many else '一行'}"
                elif row.kind is forms.Kind.RATE:
                    text = f"{label}（表上填写的，与计算值核对）"
                else:
                    unit = "" if title.endswith(_unit(row.unit)) else _unit(row.unit)
                    text = label.removesuffix(_unit(row.unit)) + unit
                text = f"{form.number} {title}" + ("" if label == title else f"：{text}")
                docs[(owners[owner or form.root], attr)] = text + relations.get(row.path, "")
    for cls, columns in (("CostRow", forms.COST_COLUMNS), ("FundRow", forms.FUND_COLUMNS)):
        for col in columns:
            docs[(cls, col.attr)] = f"{_years(col.label)}{_unit(col.unit)}" + ("（表上填写的，与计算值核对）"
                                                                            if col.kind is forms.Kind.RATE else "")
    return docs


def _schema_for(tp: object, defs: dict) -> dict:
    if tp == _AMOUNT:
        return {"$ref": "#/$defs/amount"}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__  # type: ignore[union-attr]
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            docs = _attribute_docs(tp)  # type: ignore[arg-type]
            declared = form_descriptions()
            props = {}
            for field_name, field_tp in _hints(tp).items():  # type: ignore[arg-type]  # a dataclass type is hashable
                prop = _schema_for(field_tp, defs)
                description = declared.get((name, field_name)) or docs.get(field_name)
                if description:
                    prop = {**prop, "description": description}
                props[field_name] = prop
            summary = (tp.__doc__ or "").strip().splitlines()[0]
            defs[name] = {"type": "object", "description": summary, "properties": props, "additionalProperties": False}
        return {"$ref": f"#/$defs/{name}"}
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return {"type": "array", "items": _schema_for(item, defs)}
    if origin is dict:
        _, value = typing.get_args(tp)
        return {"type": "object", "additionalProperties": _schema_for(value, defs)}
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _schema_for(args[0], defs)
        return {"anyOf": [inner, {"type": "null"}]}
    if tp is str:
        return {"type": "string"}
    if tp is int:
        return {"type": "integer"}
    if tp is bool:
        return {"type": "boolean"}
    raise TypeError(f"schema: unsupported type {tp!r}")


def evaluation_schema() -> dict:
    defs: dict = {"amount": AMOUNT_SCHEMA}
    root = _schema_for(model.Evaluation, defs)
    evaluation = defs.pop("Evaluation")
    props = {
        "$schema": {"type": "string"},
        "format": {"const": FORMAT_ID},
        "version": {"const": FORMAT_VERSION},
        **evaluation["properties"],
    }
    assert root == {"$ref": "#/$defs/Evaluation"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://perfxl.invalid/perfxl-evaluation.schema.json",
        "title": "perfxl 部门整体支出绩效自评数据文件",
        "description": evaluation["description"],
        "type": "object",
        "properties": props,
        "required": ["format", "version", "department", "year"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }

"""The data-file format: lossless round trip, its JSON Schema, and bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from perfxl.core import serde
from perfxl.core.model import Evaluation
from perfxl.core.schema import evaluation_schema

from .conftest import EXAMPLE_JSON, ROOT


def test_example_round_trip_is_identity(example_data):
    evaluation = serde.evaluation_from_dict(example_data)
    assert serde.evaluation_to_dict(evaluation) == example_data


def test_amounts_are_decimal_and_keep_their_digits(example):
    # "5.40" in the seed (政府性基金拨款：5.40) must stay 5.40, not 5.4, and never a float
    assert example.overall.government_fund == Decimal("5.40")
    assert serde.to_dict(example.overall)["government_fund"] == "5.40"
    assert example.basic.procurement.prior_actual == "——"  # text kept as typed
    assert example.basic.meetings_training.actual is None  # empty stays empty


def test_json_numbers_are_accepted_without_float_noise():
    ev = serde.evaluation_from_dict({"department": "x", "year": 2023, "expenditure": {"personnel": 76.75}})
    assert ev.expenditure.personnel == Decimal("76.75")


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"year": "二〇二三"}, "year", "应为整数"),
        ({"overall": []}, "overall", "应为对象"),
        ({"overall": {"indicators": {}}}, "overall.indicators", "应为列表"),
        ({"overall": {"indicators": [{"weight": True}]}}, "overall.indicators[0].weight", "应为金额"),
        ({"overall": {"indicatorz": []}}, "overall.indicatorz", "不认识的字段"),
        ({"format": "other"}, "format", "不是 perfxl 数据文件"),
        ({"version": 99}, "version", "不受支持"),
    ],
)
def test_bad_shapes_name_the_field(data, path, words):
    with pytest.raises(serde.DataError) as info:
        serde.evaluation_from_dict(data)
    assert info.value.path == path
    assert words in str(info.value)


def test_text_in_a_number_field_is_kept_for_the_checker():
    ev = serde.evaluation_from_dict({"overall": {"funds": [{"actual": "一百"}]}})
    assert ev.overall.funds[0].actual == "一百"


def test_committed_schema_is_up_to_date():
    committed = json.loads((ROOT / "perfxl" / "schema" / "perfxl-evaluation.schema.json").read_text("utf-8"))
    assert committed == evaluation_schema(), "run: perfxl schema --force -o perfxl/schema/perfxl-evaluation.schema.json"


def test_example_validates_against_schema_and_bad_data_does_not():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(evaluation_schema())
    data = json.loads(EXAMPLE_JSON.read_text("utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["overall"]["surprise"] = 1
    assert list(validator.iter_errors(data))


def test_schema_covers_every_model_field():
    schema = evaluation_schema()
    written = serde.evaluation_to_dict(Evaluation())
    assert set(written) <= set(schema["properties"])


def test_schema_descriptions_of_the_annex_rows_come_from_the_forms():
    from perfxl.core.forms import BASIC_TABLE

    props = evaluation_schema()["$defs"]["BasicData"]["properties"]
    assert props["vehicles"]["description"].startswith("附件一 经费控制情况（万元）：1、公务用车购置和维护经费")
    assert props["vehicles"]["description"].endswith("= 公车购置 + 公车运行维护")
    assert "编制数" in props["staff_authorized"]["description"] and "（人）" in props["staff_authorized"]["description"]
    for row in BASIC_TABLE.block("costs").rows:
        if not row.many:
            assert row.label in props[row.path]["description"], row.path
    cost = evaluation_schema()["$defs"]["CostRow"]["properties"]
    assert cost["budget"]["description"] == "{年}年预算数（万元）"

"""The XlsxWriter formats of the layout's styles and the data validations of its checks
(split from ``builder``): 宋体 10 pt in bordered, wrapped cells, yellow inputs and grey
computed cells (the fills do not print: ``print_black_and_white``), the titles in 黑体.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter

from ..core import model
from . import layout as L
from .constants import GREY, YELLOW

FONT = "宋体"
TITLE_FONT = "黑体"


#: the font sizes of the styles that are not 10 pt (``rowfit`` scales with them)
FONT_SIZES = {L.Style.TITLE: 16.0, L.Style.OUT_TITLE: 16.0, L.Style.SUBTITLE: 11.0}


def formats(wb: xlsxwriter.Workbook) -> dict[L.Style, Any]:
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True}
    boxed = {**base, "border": 1}
    S = L.Style
    spec: dict[L.Style, dict[str, Any]] = {
        S.TITLE: {**base, "font_name": TITLE_FONT, "font_size": FONT_SIZES[S.TITLE], "bold": True, "align": "center"},
        S.OUT_TITLE: {**base, "font_name": TITLE_FONT, "font_size": FONT_SIZES[S.OUT_TITLE], "bold": True, "align": "center"},
        S.SUBTITLE: {**base, "bold": True, "font_size": FONT_SIZES[S.SUBTITLE]},
        S.LABEL: {**boxed, "align": "center"},
        S.LABEL_LEFT: {**boxed, "align": "left"},
        S.HEADER: {**boxed, "bold": True, "align": "center"},
        S.OUT_HEADER: {**boxed, "bold": True, "align": "center"},
        S.NOTE: {**base},
        S.IN_TEXT: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "@"},
        S.IN_KEY: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "@", "align": "center"},
        S.IN_LONG: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "@", "valign": "top", "align": "left"},
        S.IN_MONEY: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "0.00", "align": "right"},
        S.IN_NUMBER: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "General", "align": "center"},
        S.IN_RATE: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "@", "align": "center"},
        S.IN_INT: {**boxed, "bg_color": YELLOW, "locked": False, "num_format": "0", "align": "left"},
        S.OUT_MONEY: {**boxed, "bg_color": GREY, "num_format": "0.00", "align": "right"},
        S.OUT_RATE: {**boxed, "bg_color": GREY, "num_format": "0.00%", "align": "center"},
        S.OUT_SCORE: {**boxed, "bg_color": GREY, "num_format": "0.00", "align": "center"},
        S.OUT_TEXT: {**boxed, "bg_color": GREY, "align": "center"},
    }
    return {style: wb.add_format(props) for style, props in spec.items()}


def validation(check: L.Check) -> dict[str, Any]:
    if check is L.Check.LEVEL1:
        return {"validate": "list", "source": list(model.LEVEL1_NAMES), "input_title": "一级指标",
                "input_message": "请从列表中选择一级指标", "error_title": "一级指标", "error_message": "请从列表中选择一级指标"}
    if check is L.Check.LEVEL2:
        return {"validate": "list", "source": list(L.LEVEL2_ALL), "input_title": "二级指标",
                "input_message": "请从列表中选择二级指标", "error_title": "二级指标", "error_message": "请从列表中选择二级指标"}
    if check is L.Check.TIER:
        return {"validate": "list", "source": list(L.TIERS), "input_title": "完成档次",
                "input_message": "定性指标请选择完成档次；定量指标留空", "error_title": "完成档次",
                "error_message": "请从列表中选择完成档次"}
    if check is L.Check.WEIGHT:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": "分值",
                "error_message": "请填写不小于 0 的数字"}
    if check is L.Check.PROFILE:
        from ..core.profile import available_profiles

        return {"validate": "list", "source": available_profiles(), "error_type": "information",
                "input_title": "评分规则方案", "input_message": "内置方案可从列表选择，也可填写自定义方案的名称",
                "error_title": "评分规则方案", "error_message": "不是内置方案：请确认该方案文件存在"}
    raise ValueError(check)  # pragma: no cover

"""The vocabulary of the value cells (perfxl/core/lexicon.py) is stated twice where a
compiled pattern needs it as alternatives: the two lists must agree, or a word added
to a dict would silently never match."""

from __future__ import annotations

import re

from perfxl.core import lexicon, values


def _alternatives(pattern: re.Pattern[str], group: str) -> list[str]:
    found = re.search(rf"\(\?P<{group}>([^()]*)\)", pattern.pattern)
    assert found is not None, group
    return found.group(1).split("|")


def test_number_suffixes_are_the_suffix_operator_words():
    assert set(_alternatives(lexicon.NUMBER_RE, "suffix")) == set(lexicon.SUFFIX_OPS)


def test_multipliers_match_longest_first():
    mult = _alternatives(lexicon.NUMBER_RE, "mult")
    assert set(mult) == set(lexicon.MULTIPLIERS) == set(lexicon.MULT_SCALE)
    # "5万亿元" must read 万亿, not 万 with the unit "亿元"
    assert mult == sorted(mult, key=len, reverse=True)
    assert values.parse_value("5万亿元").unit == "万亿元"


def test_symbol_operators_are_known():
    assert set(_alternatives(lexicon.NUMBER_RE, "sym")) == set(lexicon.SYMBOL_OPS)


def test_date_suffixes_are_the_date_operator_words():
    assert set(_alternatives(lexicon.DATE_RE, "rel")) == set(lexicon.REL_OPS)
    assert set(_alternatives(lexicon.SEP_DATE_RE, "rel")) == set(lexicon.REL_OPS)


def test_values_reexports_the_multipliers():
    assert values.MULTIPLIERS is lexicon.MULTIPLIERS
    assert "MULTIPLIERS" in values.__all__


def test_chinese_numeral_pattern_uses_the_same_operator_words():
    assert set(_alternatives(lexicon.CN_NUMBER_RE, "sym")) == set(lexicon.SYMBOL_OPS)
    assert set(_alternatives(lexicon.CN_NUMBER_RE, "suffix")) == set(lexicon.SUFFIX_OPS)


def test_chinese_numeral_units_leave_months_and_multipliers_out():
    # "十二月" is a month, not twelve of something; 万元 / 亿元 are read as a multiplier + 元
    assert "月" not in lexicon.CN_UNITS
    assert not {"万元", "亿元"} & lexicon.CN_UNITS
    assert all(alias not in lexicon.UNIT_ALIASES.values() for alias in lexicon.UNIT_ALIASES)


def test_every_equals_and_comparison_sign_is_normalised():
    signs = {"═": "=", "﹦": "=", "＝": "=", "﹥": ">", "﹤": "<", "＞": ">", "＜": "<",
             "≥": ">=", "≧": ">=", "≤": "<=", "≦": "<=", "≯": "<=", "≮": ">="}
    assert {sign: sign.translate(lexicon.TRANSLATE) for sign in signs} == signs
    for doubled, single in lexicon.OPERATOR_FIXES:
        assert single in lexicon.SYMBOL_OPS and doubled not in lexicon.SYMBOL_OPS

"""The vocabulary of the 年度指标值 / 实际完成值 cells: signs, words and patterns.

What the forms (附件二、附件三) write around a number or a date, collected from
published Hunan, Anhui, Hebei, Sichuan and Chongqing self-evaluation tables
(``shared/docs/domain.md``, "Values come as text" and "Variants") and, for the
spellings marked (issue 9), from real tables of other provinces.  This module is
data plus the compiled patterns; ``values.py`` holds the parser that uses them.  A
province whose forms write another operator word or unit adds it here, with a case
in ``tests/test_values_spellings.py``.

* full-width digits and signs (６, ％, ＞＝, ≧, ＝) are the ASCII ones (``TRANSLATE``);
  so are the other equals and comparison signs real tables use (issue 9; domain.md,
  "Variants"): box-drawing ═, small ﹦ ﹥ ﹤, and ≯ (≤) ≮ (≥); a doubled sign
  ("≥=", "≧=", "＝＝") is the one operator it means (``OPERATOR_FIXES``); "=<" and
  "=>" are ≤ and ≥ (``SYMBOL_OPS``).  The em dash "—" is deliberately not a minus:
  "——" is 不适用;
* operator words before a value (``PREFIX_OPS``): 不低于/不少于/不小于/至少/达到 (≥),
  不高于/不超过/不多于/不大于/控制在 (≤), 大于/高于/超过 (>), 小于/低于/少于/不满/不足
  (<), 等于 (=), and neutral verbs and approximations (约, 为, 完成, 截至 …) that record
  no operator.  达到 is ≥ (a target "达到90%" is met by 95%);
* operator words after a number (``SUFFIX_OPS``): 以上 (≥), 以下/以内/之内/内 (≤),
  左右/上下 (no operator); after a date (``REL_OPS``): 前/之前/以前/底前/内 (≤),
  后/以后/起 (≥);
* 以上, 以下 and 以内 include the number itself (≥ and ≤, not > and <), while 超过
  and 不满 exclude it (> and <).  Source: 《中华人民共和国民法典》第一千二百五十九条,
  "民法所称的‘以上’、‘以下’、‘以内’、‘届满’，包括本数；所称的‘不满’、‘超过’、
  ‘以外’，不包括本数" — the rule Chinese legal and administrative texts follow;
* multipliers of a unit (``MULTIPLIERS``): 万 ×10⁴, 亿 ×10⁸, 千 ×10³, 十万, 百万,
  千万, 万亿; so "3万", "1.5万", "3.5亿元" read with their multiplier;
* units (issue 9, "Units"): "%" and "％" are per cent, and so is the 计量单位 word
  百分比 (``UNIT_ALIASES``); 个百分点 (or 百分点) is a percentage-point change, its own
  unit and never a "%"; 元, 万元 and 亿元 are one base unit 元 with multipliers, so
  amounts in different money units compare after conversion (``rules/numeric.py``);
* Chinese numerals (issue 9): a count or amount written in Chinese numerals
  ("八次", "十二个", "两次", "≥二十五场", "一百万元", "百分之九十") is read by
  ``numerals.py`` when its unit is one of ``CN_UNITS`` (counting words, money, time,
  "%"); a numeral followed by anything else is text ("一流", "三公经费", "十分满意");
* "无", "/", "不适用", "不涉及", "n/a" … and values made only of dashes mean the
  indicator does not apply (``is_na``); Excel's "#N/A" error does not.

The regular expressions repeat some of these words as alternatives (a compiled
pattern cannot read a dict); ``tests/test_values_lexicon.py`` checks that the two
lists agree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numerals import CN_NUMERAL_CHARS

__all__ = [
    "CJK_RE",
    "CN_NUMBER_RE",
    "CN_UNITS",
    "DASHES",
    "DATE_LABELS",
    "DATE_RE",
    "HAS_CN_NUMERAL",
    "HAS_DIGIT",
    "LETTER_AFTER_DIGIT",
    "MULTIPLIERS",
    "MULT_SCALE",
    "NA_WORDS",
    "NUMBER_RE",
    "OPERATOR_FIXES",
    "OP_FIRST",
    "OP_WORDS",
    "PREFIX_OPS",
    "PREFIX_WORDS",
    "QUARTER_END",
    "REL_OPS",
    "SEP_DATE_RE",
    "SIMPLE_RE",
    "SUFFIX_OPS",
    "SYMBOL_OPS",
    "TRANSLATE",
    "UNIT_ALIASES",
    "UNIT_RE",
    "YEAR_IN_TEXT",
    "is_na",
]

# --------------------------------------------------------------------------- normalising

def _build_translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update(
        {
            0x3000: " ",  # ideographic space
            0x00A0: " ",
            0x200B: None,  # zero-width space
            0xFEFF: None,
            ord("≥"): ">=", ord("≧"): ">=", ord("⩾"): ">=",
            ord("≤"): "<=", ord("≦"): "<=", ord("⩽"): "<=",
            # equals signs and comparison signs of other blocks (issue 9: real tables):
            # box-drawing ═, small ﹦ ﹥ ﹤, "not greater / not less than" ≯ ≮
            ord("═"): "=", ord("﹦"): "=", ord("﹥"): ">", ord("﹤"): "<",
            ord("≯"): "<=", ord("≮"): ">=",
            ord("−"): "-",  # minus sign
            ord("﹪"): "%",
        }
    )
    # The em dash "—" (U+2014) is deliberately not mapped to "-": "——" is 不适用 and
    # must not read as minus signs ("－－" becomes "--", also a dash: see is_na).
    return table


TRANSLATE = _build_translation()

NA_WORDS = frozenset(
    {"无", "/", "\\", "不适用", "无此项", "不涉及", "n/a", "na", "null", "none", "#n/a"}
)
DASHES = frozenset("—–―─-－ｰ")  # a value made only of these is a dash (不适用)


def is_na(compact: str) -> bool:
    if compact.lower() in NA_WORDS:
        return compact.lower() != "#n/a"  # Excel's #N/A error is INVALID, not 不适用
    return bool(compact) and all(ch in DASHES for ch in compact)


# --------------------------------------------------------------------------- operators

#: operator words written before the number or date (longest first when matching)
PREFIX_OPS: dict[str, str | None] = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "不短于": ">=", "至少": ">=", "达到": ">=", "高于或等于": ">=", "最少": ">=",
    "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=",
    "不大于": "<=", "不超出": "<=", "不长于": "<=", "最多": "<=", "控制在": "<=", "低于或等于": "<=",
    "不晚于": "<=", "不迟于": "<=", "不早于": ">=",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", "晚于": ">",
    "小于": "<", "低于": "<", "少于": "<", "早于": "<", "不满": "<", "不足": "<",
    "等于": "=",
    # approximations and neutral verbs: the number is kept, no operator
    "约": None, "大约": None, "约为": None, "为": None, "达": None, "共": None,
    "共计": None, "累计": None, "合计": None, "完成": None, "实现": None, "计": None,
    "于": None, "在": None, "截至": None, "截止": None, "截止到": None, "截至到": None,
    "预计": None, "计划": None, "按时": None,
}
PREFIX_WORDS = sorted(PREFIX_OPS, key=len, reverse=True)
SYMBOL_OPS = {">=": ">=", "=>": ">=", "<=": "<=", "=<": "<=", ">": ">", "<": "<", "=": "=",
               "≈": None, "~": None}
#: doubled signs after normalising, read as the one operator they mean: "≥=" and
#: "≧=" become ">==" (≥ is ">=" already), "==" is "="
OPERATOR_FIXES = ((">==", ">="), ("<==", "<="), ("==", "="))

#: operator words written after the number
SUFFIX_OPS: dict[str, str | None] = {
    "及以上": ">=", "或以上": ">=", "以上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
    "左右": None, "上下": None, "完成": None,
}

#: other spellings of a unit, read as the one the rules compare: 百分比 (a 计量单位
#: column's word for %) is "%", 百分点 is 个百分点 (a percentage-point change, not a %)
UNIT_ALIASES = {"百分比": "%", "百分率": "%", "百分点": "个百分点"}

#: multiplier prefixes of a unit and their power of ten
MULTIPLIERS: dict[str, int] = {"万亿": 12, "千万": 7, "百万": 6, "十万": 5, "万": 4, "亿": 8, "千": 3}
MULT_SCALE = {k: Decimal(10) ** v for k, v in MULTIPLIERS.items()}

_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"

# label, symbol operator, number, approx mark, multiplier, approx mark, unit, suffix
NUMBER_RE = re.compile(
    r"^(?P<label>[^\d<>=≈~+\-.]*?)"
    r"(?P<sym>>=|=>|<=|=<|>|<|=|≈|~)?"
    rf"(?P<num>{_NUM})"
    r"(?P<approx1>余|多)?"
    r"(?P<mult>万亿|千万|百万|十万|万|亿|千)?"
    r"(?P<approx2>余|多)?"
    r"(?P<unit>[^\d<>=]*?)"
    r"(?P<suffix>及以上|或以上|以上|及以下|或以下|以下|以内|之内|内|左右|上下|完成)?$"
)
# A fast path for the commonest cells: "90%", ">=90%", "8次", "13", "<=4".
SIMPLE_RE = re.compile(r"^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)(%|次|个|人|项|场|期|篇|家|人次|元|万元)?$")

UNIT_RE = re.compile(
    r"^(?:%|‰|‱|℃|㎡|㎞|㎏|m²|m³"
    r"|[A-Za-z]{1,6}(?:/[A-Za-z\u4e00-\u9fff]{1,3})?"
    r"|[\u4e00-\u9fff㎡²³·]{1,6}(?:/[\u4e00-\u9fff㎡²³A-Za-z]{1,4})?)$"
)
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
LETTER_AFTER_DIGIT = re.compile(r"\d[A-Za-z]|[A-Za-z]\d")

# --------------------------------------------------------------------------- Chinese numerals

#: the units a count or amount in Chinese numerals may carry ("八次", "两个工作日",
#: "一百万元"), exactly: a numeral followed by anything else ("一流", "一般", "三公经费",
#: "十分满意", "八次培训") is text.  "月" alone is left out: "十二月" is a month.
CN_UNITS = frozenset(
    {"", "%", "次", "人次", "个", "场", "场次", "人", "名", "位", "项", "期", "篇", "家", "所", "户", "村",
     "座", "处", "台", "辆", "套", "件", "份", "本", "册", "部", "批", "条", "门", "节", "堂", "轮", "届",
     "类", "种", "支", "队", "张", "株", "棵", "头", "只", "吨", "亩", "米", "公里", "千米", "平方米",
     "立方米", "元", "天", "日", "周", "年", "个月", "小时", "分钟", "工作日", "个工作日",
     "课时", "学时", "分", "级", "星", "倍", "个百分点", "百分点"}
)
_CN = CN_NUMERAL_CHARS
# label, symbol operator, 百分之, numeral, approx mark, unit, suffix
CN_NUMBER_RE = re.compile(
    r"^(?P<label>[^\d<>=≈~+\-.]*?)"
    r"(?P<sym>>=|=>|<=|=<|>|<|=|≈|~)?"
    r"(?P<pct>百分之?)?"
    rf"(?P<num>[{_CN}]+|(?<=百分之)\d+(?:\.\d+)?)"
    r"(?P<approx>余|多)?"
    r"(?P<unit>[^\d<>=]*?)"
    r"(?P<suffix>及以上|或以上|以上|及以下|或以下|以下|以内|之内|内|左右|上下|完成)?$"
)
HAS_CN_NUMERAL = re.compile(f"[{_CN}]").search

# --------------------------------------------------------------------------- dates

DATE_RE = re.compile(
    r"^(?P<label>[^\d]*?)"
    r"(?:(?P<y>\d{4})年(?:度)?(?P<ypos>底|末|初|内|上半年|下半年|第?[一二三四1-4]季度)?)?"
    r"(?:(?P<m>\d{1,2})月(?:份)?(?P<mpos>底|末|初|上旬|中旬|下旬)?)?"
    r"(?:(?P<d>\d{1,2})[日号])?"
    r"(?P<rel>前|之前|以前|底前|为止|止|内|之内|以内|后|之后|以后|起)?"
    r"(?:完成|结束|完工|办结)?$"
)
#: "2023.12前", "2024.1", "2023.12.31", "2023-12", "2023/12/31前" (the same separator twice)
SEP_DATE_RE = re.compile(
    r"^(?P<label>[^\d<>=≈~+\-.]*?)"
    r"(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?"
    r"(?P<mpos>底|末|初)?"
    r"(?P<rel>前|之前|以前|底前|为止|止|内|之内|以内|后|之后|以后|起)?"
    r"(?:完成|结束|完工|办结)?$"
)
REL_OPS = {
    "前": "<=", "之前": "<=", "以前": "<=", "底前": "<=", "为止": "<=", "止": "<=",
    "内": "<=", "之内": "<=", "以内": "<=",
    "后": ">=", "之后": ">=", "以后": ">=", "起": ">=",
}
QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
DATE_LABELS = frozenset({"", "于", "在", "截至", "截止", "截止到", "截至到", "预计", "计划",
                          "按时", "力争", "确保", "不晚于", "不迟于", "不早于", "早于", "晚于"})


#: operator words that are operators (not neutral verbs), for telling junk from text
OP_WORDS = tuple(word for word, op in PREFIX_OPS.items() if op is not None)
OP_FIRST = frozenset(word[0] for word in OP_WORDS)
#: a year written in a sentence ("2023年全面完成"): not a quantity the rules could compare
YEAR_IN_TEXT = re.compile(r"(?:19|20|21)\d{2}(?=年)")
#: a digit anywhere: no digit means text (or junk like "≥abc"), never a number or a date
HAS_DIGIT = re.compile(r"\d").search

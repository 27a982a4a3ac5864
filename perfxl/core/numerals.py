"""Chinese numerals in counts and amounts: 八次, 十二个, 两次, 二十五场, 一百万, 三千, 一百零五.

Real 年度指标值 / 实际完成值 cells from several provinces write counts and amounts
in Chinese numerals (issue 9, "Operator spellings").  This is a small, exact
converter to ``Decimal``: a string that is not a well-formed numeral gives ``None``,
never a guess.  ``values.py`` decides where in a cell a numeral may stand.

Reading rules (the standard writing of numbers in Chinese, GB/T 15835-2011
《出版物上数字用法》 and the ordinary grammar of 数词):

* digits 零 〇 一 二 两 三 四 五 六 七 八 九 and the financial capitals 壹 贰 叁 肆
  伍 陆 柒 捌 玖; place words 十 百 千 (拾 佰 仟) inside a group of four places; 万
  (萬) and 亿 (億) close a group: "两千三百" 2300, "一亿二千万" 120 000 000,
  "一万亿" 10¹²;
* a gap of places is written with one 零: "一百零五" 105, "一千零二十" 1020,
  "一万零三百" 10 300, "一亿零五百万" 105 000 000; a 零 where no place is missing,
  two 零 in a row or a trailing 零 is not a numeral;
* 十 without a digit in front means 一十 only at the start ("十二" 12, "十万"
  100 000); inside a number the 一 is written ("一百一十" 110, not "一百十");
* 两 stands for 2 before 百 千 万 亿 or alone ("两次", "两千", "两万"), not in
  the tens or units ("二十", "十二");
* a decimal point is 点 with digit-by-digit decimals: "一点五" 1.5, "一点五万"
  15 000 (``split_multiplier``: 1.5 × 万);
* not read (``None``): the spoken abbreviations "一万二" (12 000) and "三百五"
  (350), whose unit is left out, and digit strings such as "二〇二三".

A numeral ending in 万, 亿 or 万亿 keeps that word as its multiplier when the
part in front is a numeral of its own with the same value: "一百万" is 100 × 万,
like the Arabic "100万" (``split_multiplier``), so "一百万元" and "100万元" read
alike; "三千" is 3000 (千 is a place inside a group, not a multiplier).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["CN_NUMERAL_CHARS", "cn_number", "split_multiplier"]

_ZEROS = frozenset("零〇")
_DIGITS = {
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_PLACES = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3}
_GROUPS = str.maketrans({"萬": "万", "億": "亿"})
_POINT = "点"
#: every character a Chinese numeral may contain (for the patterns in ``lexicon.py``)
CN_NUMERAL_CHARS = "".join(sorted(set(_ZEROS) | set(_DIGITS) | set(_PLACES) | set("万亿萬億") | {_POINT}))

#: the multipliers a numeral may end in, longest first, with their power of ten
_MULTIPLIERS = (("万亿", 12), ("亿", 8), ("万", 4))


def _group(text: str, *, first: bool) -> int | None:
    """One group of four places ("两千三百", "一百零五", "十二"), or ``None``."""
    pairs: list[tuple[int, int]] = []  # (digit, place)
    zero_before = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _ZEROS:
            if zero_before or not pairs:
                return None  # "零零五", a leading 零
            zero_before = True
            i += 1
            continue
        if ch in _PLACES:  # a bare 十 at the very start: "十二"
            if pairs or not first or _PLACES[ch] != 1:
                return None
            digit, place, i = 1, 1, i + 1
        elif ch in _DIGITS:
            digit, i = _DIGITS[ch], i + 1
            place = 0
            if i < n and text[i] in _PLACES:
                place, i = _PLACES[text[i]], i + 1
            if ch == "两" and place < 2 and (pairs or place == 1):
                return None  # "两十", "十两": 两 is not written in the tens or units
        else:
            return None
        if pairs:
            previous = pairs[-1][1]
            if place >= previous or (previous - place > 1) != zero_before:
                return None  # places must fall; a gap needs exactly one 零 ("三百五" is not read)
        pairs.append((digit, place))
        zero_before = False
    if zero_before or not pairs:
        return None
    return sum(digit * 10**place for digit, place in pairs)


def _tail(text: str, places: int, below: int | None) -> int | None:
    """What follows 万 (places 4) or 亿 (places 8): empty, a full lower part, or 零 and
    a part with its top place missing."""
    if not text:
        return 0
    if text[0] in _ZEROS:
        value = _below(text[1:], first=False)
        return value if value is not None and 0 < value < 10 ** (places - 1) else None
    value = _below(text, first=False) if below is None else _group(text, first=False)
    return value if value is not None and 10 ** (places - 1) <= value < 10**places else None


def _below(text: str, *, first: bool) -> int | None:
    """A numeral below 10⁸ (may contain 万, no 亿)."""
    if "万" in text:
        high, _, low = text.partition("万")
        high_value = _group(high, first=first)
        if high_value is None or high_value == 0:
            return None
        low_value = _tail(low, 4, below=0)
        return None if low_value is None else high_value * 10**4 + low_value
    return _group(text, first=first)


def _integer(text: str) -> int | None:
    if text in _ZEROS:
        return 0
    if "亿" in text:
        high, _, low = text.partition("亿")
        high_value = _below(high, first=True)
        if high_value is None or high_value == 0 or "亿" in low:
            return None
        low_value = _tail(low, 8, below=None)
        return None if low_value is None else high_value * 10**8 + low_value
    return _below(text, first=True)


def cn_number(text: str) -> Decimal | None:
    """The value of a Chinese numeral ("二十五" 25, "一百零五" 105, "一点五" 1.5), else ``None``.

    Whole numerals only, no unit: "八次" is ``None`` (``values.py`` splits off the unit).
    """
    text = text.translate(_GROUPS)
    if not text:
        return None
    if _POINT in text:
        whole, _, decimals = text.partition(_POINT)
        value = _integer(whole)
        if value is None or not decimals or "万" in whole or "亿" in whole:
            return None
        digits = [0 if ch in _ZEROS else _DIGITS.get(ch) for ch in decimals]
        if any(d is None or (ch == "两") for d, ch in zip(digits, decimals, strict=True)):
            return None
        return Decimal(f"{value}.{''.join(str(d) for d in digits)}")
    value = _integer(text)
    return None if value is None else Decimal(value)


def split_multiplier(text: str) -> tuple[Decimal, str] | None:
    """(number, multiplier) for a numeral: "一百万" → (100, "万"), "一万亿" → (1, "万亿"),
    "一点五万" → (1.5, "万"), "三千" → (3000, ""); ``None`` when it is not a numeral.

    A trailing 万/亿/万亿 is kept as the multiplier only when the part in front reads on
    its own and gives the same value ("一亿零五百万" is 105 000 000, not 一亿零五百 × 万).
    """
    text = text.translate(_GROUPS)
    whole = cn_number(text)
    for word, power in _MULTIPLIERS:
        if text.endswith(word) and len(text) > len(word):
            coefficient = cn_number(text[: -len(word)])
            if coefficient is None or coefficient == 0:
                continue
            if whole is None or coefficient * Decimal(10) ** power == whole:
                return coefficient, word
    return None if whole is None else (whole, "")

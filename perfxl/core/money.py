"""Money, rates and the one rounding policy of perfxl.

Every amount is a ``Decimal`` in 万元 and is never a float.  Rates (执行率, 控制率,
变动率 …) are exact ``Decimal`` quotients with full precision; they are rounded only
when shown (``fmt_pct``) or when a rule says so (scores: 2 decimals).

Rounding policy (written once, used everywhere): ROUND_HALF_UP, the rounding
Chinese finance staff do by hand ("四舍五入"), to ``SCORE_PLACES`` for scores and
``MONEY_PLACES`` for amounts in 万元.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

MONEY_PLACES = Decimal("0.01")
SCORE_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")  # a rate shown as a percentage with 2 decimals
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

#: what a cell holds where the form wants an amount: a number, nothing, or text
#: that is not a number ("——", "无", or a typo the checker reports).
Amount = Decimal | str | None

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%",
                           "\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000 ")  # zero-width and other spaces
#: amounts and scores beyond this are typing errors, not numbers (万元: a trillion yuan is 10⁸)
MAX_MAGNITUDE = Decimal("1e15")
#: rounding works in a wide context so that any quotient of accepted numbers can be shown
_WIDE = Context(prec=80)
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


def to_decimal(value: object) -> Decimal | None:
    """The one constructor for amounts: ``"1,234.56"``, ``"５.40"``, 3, 2.5 → Decimal.

    Returns ``None`` when *value* is empty or is not a plain number (the caller
    decides whether that is a finding).  Floats go through ``repr`` so that the
    0.1 typed into Excel stays 0.1 and does not become 0.1000000000000000055….
    """
    if value is None or isinstance(value, bool):
        return None
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value if value.is_finite() else None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    elif isinstance(value, str):
        text = value.translate(_FULLWIDTH)
        if text and _NUMBER.match(text):
            number = Decimal(text.replace(",", ""))
    if number is None or abs(number) >= MAX_MAGNITUDE:
        return None  # beyond MAX_MAGNITUDE: a typing error, reported as unreadable
    return number


#: the money units a table may print its amounts in, as a factor to 万元 (issue 9: some
#: provinces' tables are in 元, a few in 千元 or 亿元; perfxl keeps every amount in 万元)
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": ONE, "百万元": Decimal(100), "亿元": Decimal(10000),
}


def to_wan(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount printed in *unit* (元, 千元, 万元, 百万元, 亿元) in 万元, exactly:
    1 234 567 元 → 123.4567 万元.  ``None`` for a missing amount or a unit that is not
    money (the caller reports it; nothing is guessed)."""
    factor = MONEY_UNITS.get("".join(unit.split()).replace("(", "").replace(")", "")
                             .replace("（", "").replace("）", ""))
    if value is None or factor is None:
        return None
    return value * factor


def amount_value(value: Amount) -> Decimal | None:
    """The number in an amount cell, or ``None`` for empty / "——" / text."""
    return to_decimal(value)


def is_blank(value: Amount) -> bool:
    """True for an empty cell (``None`` or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_dash(value: Amount) -> bool:
    """True for the "not applicable" marks the forms use: "——", "—", "-", "无", "/"."""
    return isinstance(value, str) and value.strip() in {"——", "—", "--", "-", "无", "/", "－－"}


def divide(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """Exact quotient, or ``None`` when either side is missing or the denominator is 0.

    A zero denominator is never a silent 0: callers turn ``None`` into "—" and a
    finding.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def round_money(value: Decimal) -> Decimal:
    return value.quantize(MONEY_PLACES, rounding=ROUND_HALF_UP, context=_WIDE)


def round_score(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP, context=_WIDE)


def fmt_wan(value: Decimal | None, *, dash: str = "—") -> str:
    """89.82 → "89.82" (万元, always 2 decimals); ``None`` → "—"."""
    if value is None:
        return dash
    return f"{round_money(value):f}"


def fmt_pct(rate: Decimal | None, *, dash: str = "—") -> str:
    """A rate as the forms print it: up to 2 decimals, no trailing zeros.

    0.75 → "75%", 0.99639341… → "99.64%", 1.087 → "108.7%"; ``None`` → "—".
    """
    if rate is None:
        return dash
    pct = (rate * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_WIDE)
    text = f"{pct:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def fmt_pct2(rate: Decimal | None, *, dash: str = "—") -> str:
    """A rate with exactly 2 decimals: 1.087 → "108.70%" (the 0.00% cell format)."""
    if rate is None:
        return dash
    pct = (rate * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_WIDE)
    return f"{pct:f}%"


def fmt_score(value: Decimal | None, *, dash: str = "—") -> str:
    """A score: 9.96 → "9.96", 13 → "13", 12.50 → "12.5"."""
    if value is None:
        return dash
    text = f"{round_score(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_count(value: Decimal | None, *, dash: str = "—") -> str:
    """A head or vehicle count (编制数, 实有人数, 台): 8 → "8"; ``None`` → "—".

    A fraction (a typo the checker reports) keeps up to 2 decimals rather than
    being rounded away.
    """
    return fmt_score(value, dash=dash)


_CN_DIGITS = "零一二三四五六七八九"


def fmt_cn_count(n: int) -> str:
    """A small count in Chinese numerals, as the narrative writes it: 3 → "三", 12 → "十二",
    20 → "二十"; counts from 100 on (and negatives) stay in Arabic digits."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

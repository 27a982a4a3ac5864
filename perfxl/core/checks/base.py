"""What every check shares: the collector of findings, the sum comparison with the
rounding tolerance, and the reading of a printed rate.

A gap no larger than the profile's rounding tolerance (0.01 万元) is a 提示
(``SUM_ROUNDING``), not an 错误 (domain.md rule 5).

Printed precision (issue 9).  A printed rate is compared at the precision it was
printed with: "86%" states a whole percent, so 86.4% (rounded half-up to 86%) is
consistent; "86.40%" states two decimals, so 86.43% is not.  A bare fraction
("0.9964", as Excel stores a 0.00% cell) states two decimals of a percent per four
digits (``printed_places``).  One exception is kept: a printed 100% when the rule's
rate is below 100% (the money was not fully spent) is an error whatever the
precision, because it states full execution (the Hunan sample's case: 132.61 ÷ 133.09
= 99.64% printed "100%").  The message then shows the rate at two decimals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..cells import judge_amount, text_of
from ..codes import finding
from ..findings import Finding, Severity, Table
from ..money import ZERO, Amount, fmt_pct, fmt_wan, to_decimal
from ..profile import Profile


@dataclass
class Collector:
    """The findings of one check, in the order found."""

    profile: Profile
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, table: Table, path: str, location: str, message: str, *,
            expected: object = "", actual: object = "", title: str = "", severity: Severity | None = None) -> None:
        self.findings.append(finding(code, table, path, location, message, expected=text_of(expected),
                                     actual=text_of(actual), title=title, severity=severity))

    def number(self, value: Amount, table: Table, path: str, location: str, *, title: str = "",
               allow_negative: bool = False, unit: str = "万元") -> Decimal | None:
        """Judge an amount field (``cells.judge_amount``): call this once per field."""
        number, found = judge_amount(value, table, path, location, title=title, unit=unit,
                                     allow_negative=allow_negative)
        self.findings += found
        return number

    def sum_check(self, total: Decimal | None, parts: Iterable[Decimal | None], table: Table, path: str,
                  location: str, what: str, *, title: str = "", code: str = "SUM_MISMATCH") -> None:
        """*total* must equal the sum of the *parts* that are filled in."""
        filled = [p for p in parts if p is not None]
        if total is None or not filled:
            return
        added = sum(filled, ZERO)
        gap = abs(total - added)
        if gap == 0:
            return
        if gap <= self.profile.rounding_tolerance:
            self.add("SUM_ROUNDING", table, path, location,
                     f"{what}之和为 {fmt_wan(added)}，{location}为 {fmt_wan(total)}，相差 {fmt_wan(gap)}，"
                     "属舍入误差，建议核对后统一。", expected=fmt_wan(added), actual=fmt_wan(total), title=title)
        else:
            self.add(code, table, path, location,
                     f"{what}之和为 {fmt_wan(added)}，与{location} {fmt_wan(total)} 不符，相差 {fmt_wan(gap)} 万元。",
                     expected=fmt_wan(added), actual=fmt_wan(total), title=title)

    def printed_rate(self, printed: str | None, computed: Decimal | None, table: Table, path: str, location: str,
                     formula: str, *, title: str = "") -> None:
        """A rate printed on the form against the one the rules compute."""
        if printed is None or not str(printed).strip():
            return
        shown = read_printed_rate(printed)
        if shown is None:
            self.add("NOT_A_NUMBER", table, path, location, f"{location}“{printed}”无法识别为百分比。", actual=printed,
                     title=title)
            return
        if computed is not None and not consistent(printed, shown, computed):
            self.add("RATE_MISMATCH", table, path, location,
                     f"{location}填写为 {printed}，按 {formula} 计算应为 {fmt_pct(computed)}。",
                     expected=fmt_pct(computed), actual=printed, title=title)


def printed_places(text: str) -> int:
    """Decimal places of a percentage a printed rate states: "86%" 0, "86.40%" 2,
    "0.9964" 2 (a fraction: 4 places less 2), "1" 0."""
    raw = str(text).strip().replace("％", "%").rstrip("%").strip()
    places = len(raw.split(".", 1)[1]) if "." in raw else 0
    number = to_decimal(raw)
    if not str(text).strip().endswith(("%", "％")) and (number is None or abs(number) < _BARE_PERCENT_FROM):
        places = max(places - 2, 0)  # a fraction: 0.9964 is 99.64%
    return places


def consistent(printed: str, shown: Decimal, computed: Decimal) -> bool:
    """*shown* (the printed rate, read) equals *computed* at the printed precision; a
    printed 100% never stands for a rate below 100% (module docstring)."""
    if shown == 1 and computed < 1:
        return False
    quantum = Decimal(1).scaleb(-printed_places(printed))
    return (computed * 100).quantize(quantum, rounding=ROUND_HALF_UP) == (shown * 100).quantize(quantum)


#: a printed rate written without "%" at or above this is a percentage ("99.64"), below it a
#: fraction ("0.9964", "1.087" as Excel stores a 0.00% cell)
_BARE_PERCENT_FROM = Decimal(2)


def read_printed_rate(text: str | None) -> Decimal | None:
    """"100%" → 1, "99.64%" → 0.9964, "0.75" → 0.75 (a fraction), "99.64" → 0.9964, "" → None."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip().replace("％", "%")
    if raw.endswith("%"):
        number = to_decimal(raw[:-1])
        return number / 100 if number is not None else None
    number = to_decimal(raw)
    if number is not None and abs(number) >= _BARE_PERCENT_FROM:
        return number / 100
    return number

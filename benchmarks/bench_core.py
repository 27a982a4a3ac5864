"""How many indicators per second the core parses and scores (a script, not a test).

Run: ``python benchmarks/bench_core.py`` from the repository root.

It scores a realistic mix of 年度指标值 / 实际完成值 pairs (from the sample and
other published Hunan/Anhui/Sichuan tables) in one process, timed with
``time.perf_counter``:

* cached: values read with ``parse_value_cached`` (a workbook repeats "≥90%" a lot);
* uncached: every value read again with ``parse_value``.

Targets: ≥ 100,000 indicators/s cached, ≥ 20,000/s uncached.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from perfxl.core.profile import load_profile
from perfxl.core.rules import score_indicator
from perfxl.core.values import parse_value, parse_value_cached

TARGET_CACHED = 100_000
TARGET_UNCACHED = 20_000

# (年度指标值, 实际完成值, 分值, 完成档次)
MIX: list[tuple[object, object, str, str | None]] = [
    ("6次", "8次", "13", None),
    ("≥90%", "≥90%", "12", None),
    ("2023年度", "100%", "13", "达成"),
    ("按年初预算执行", "100%", "12", "达成"),
    ("无", "无", "8", None),
    ("≥90%", "≥90%", "8", None),
    ("无", "无", "7", None),
    ("≥90%", "≥90%", "7", None),
    ("≥90%", "≥90%", "10", None),
    ("≥5", "20", "13", None),
    ("≥80%", "≥80%", "12", None),
    ("2023年", "2023年", "13", None),
    ("≥90%", "≥90%", "12", None),
    ("无", "120万次", "7", None),
    ("≥5次", "8次", "8", None),
    ("≥95%", "≥95%", "10", None),
    ("≥ 90 %", "95%", "10", None),
    ("≧90％", "88%", "10", None),
    ("＞＝90%", 0.92, "10", None),
    ("≤4", "3", "5", None),
    ("<=5", "6", "5", None),
    ("＜3", "1", "5", None),
    ("=0", "0", "5", None),
    ("６次", "6次", "10", None),
    ("120万次", "125万余次", "10", None),
    ("1,234.5", "1300", "10", None),
    ("100%", "99.64%", "10", None),
    ("不低于90%", "93%", "10", None),
    ("不少于5次", "4次", "10", None),
    ("不高于100万元", "98万元", "10", None),
    ("不超过5%", "7%", "10", None),
    ("≤100万元", "120万元", "10", None),
    ("达到90%以上", "91.5%", "10", None),
    ("90%以上", "90%", "10", None),
    ("5%以下", "3%", "10", None),
    ("约5次", "5次", "10", None),
    ("2023年12月底前", "2023年11月", "10", None),
    ("2023年12月31日前", "2023年12月20日", "10", None),
    ("9月前", "7月", "10", None),
    ("12月底", "2023年12月", "10", None),
    ("提高基层群众科普知识", "提高基层群众科普知识", "10", None),
    ("达到预期", "基本达到预期", "10", "部分达成"),
    ("有效提升", "效果一般", "10", "未达成"),
    ("——", "——", "0", None),
    ("—", "", "0", None),
    ("/", "/", "0", None),
    ("≥90%", "", "10", None),
    ("≥90%", "9o%", "10", None),
    ("≥abc", "90%", "10", None),
    (8, 8, "10", None),
    (0.9, 0.95, "10", None),
    ("≥1000人次", "1200人次", "10", None),
    ("≥10个", "12个", "10", None),
    ("≤2个工作日", "1个工作日", "10", None),
    ("≥3000万元", "2800万元", "10", None),
    ("合格率≥95%", "98%", "10", None),
    ("3天以内", "2天", "10", None),
    ("不少于12期", "12期", "10", None),
]


def _run(rows, parse, rounds: int) -> float:
    profile = load_profile()
    start = time.perf_counter()
    for _ in range(rounds):
        for target, actual, weight, tier in rows:
            score_indicator(parse(target), parse(actual), weight, profile, tier=tier)
    elapsed = time.perf_counter() - start
    return rounds * len(rows) / elapsed


def main() -> int:
    rows = [(t, a, Decimal(w), tier) for t, a, w, tier in MIX]
    print(f"样例组合 {len(rows)} 个指标（mix of {len(rows)} indicators）")
    _run(rows, parse_value_cached, 50)  # warm the cache and the interpreter
    cached = max(_run(rows, parse_value_cached, 400) for _ in range(3))
    uncached = max(_run(rows, parse_value, 100) for _ in range(3))
    parse_only = len(rows) * 2 * 200 / _time_parse(rows, 200)
    print(f"cached   (parse_value_cached + score_indicator): {cached:12,.0f} /s   target ≥ {TARGET_CACHED:,}/s"
          f"   {'OK' if cached >= TARGET_CACHED else 'MISSED'}")
    print(f"uncached (parse_value + score_indicator):        {uncached:12,.0f} /s   target ≥ {TARGET_UNCACHED:,}/s"
          f"   {'OK' if uncached >= TARGET_UNCACHED else 'MISSED'}")
    print(f"parse_value alone:                               {parse_only:12,.0f} values/s")
    return 0 if cached >= TARGET_CACHED and uncached >= TARGET_UNCACHED else 1


def _time_parse(rows, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for target, actual, _w, _t in rows:
            parse_value(target)
            parse_value(actual)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())

"""Checks derived from the declared forms (``core/forms.py``), with no path of their own.

* ``cells``: every declared amount cell judged once (``cells.judge_amount``): text
  that is not a number, negative amounts;
* ``relations``: every ``Sum`` (合计 = 分项之和, column by column), ``SubItems`` (其中 rows
  at most their parent) and ``Rate`` (the printed rate against ``rules.<rule>``, a zero
  denominator reported) of every form.

A printed 执行率 is checked against the rate the profile scores: 全年执行数 ÷ 年初预算数
when ``[execution_score] denominator = "initial"`` (a 2016 Beijing table), the budget
plus the row's 年初结转 for ``*_carryover``, else the declared 全年预算数 (issue 9).  So is the
执行率 a 其中 fund row prints (the Sichuan form prints one on every fund row), at its printed
precision; a 其中 row with a zero denominator is not reported (``_rate``).

Tables the file leaves out (``Evaluation.has_overall``: a project table on its own) are
not judged: ``instances`` gives no record for them.

Both take the forms as an argument (default ``forms.FORMS``), so a test can show that
a changed declaration changes the checks with no other code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from .. import rules
from ..findings import Finding, Table
from ..forms import FORMS, Block, Column, Form, Kind, Rate, Row, Sum, resolve
from ..model import Evaluation
from ..money import ZERO, amount_value, fmt_wan
from ..profile import Profile
from ..rules.rates import score_denominator
from ..scoring import EvaluationScore
from .base import Collector


def instances(ev: Evaluation, scores: EvaluationScore, form: Form) -> list[tuple[str, object, Table, str]]:
    """(root path, record, table, title) of each table *form* applies to."""
    if form.root == "basic":
        return [("basic", ev.basic, form.table, "")]
    titles = {s.path: (s.table, s.title) for s in (scores.overall, *scores.projects)}
    out: list[tuple[str, object, Table, str]] = []
    if form.root == "overall" and not ev.has_overall:
        return out
    for path, record in resolve(ev, form.root):
        table, title = titles.get(path, (form.table, str(form.table)))
        out.append((path, record, table, title))
    return out


def _split(form: Form, path: str) -> tuple[Block, Row, Column | None]:
    """The declared row (and column) a relation's path names."""
    for block in form.blocks:
        for row in block.rows:
            if path == row.path:
                return block, row, None
            for col in block.columns:
                if path == f"{row.path}.{col.attr}":
                    return block, row, col
    raise KeyError(f"forms: {path!r} is not declared in {form.key}")


def _where(form: Form, path: str, column: str | None = None) -> str:
    block, row, col = _split(form, path)
    col = col or next((c for c in block.columns if c.attr == column), None)
    return block.where.format(row=row.name, column=col.short) if col else row.name


def _location(label: str, fallback: str, column: Column | None) -> str:
    label = label.strip("：:") or fallback
    return f"{label} {column.short}" if column else label


def check_cells(ev: Evaluation, scores: EvaluationScore, profile: Profile, forms: Sequence[Form] = FORMS
                ) -> Iterable[Finding]:
    """Each declared number cell judged once (text that is not a number, a negative amount)."""
    c = Collector(profile)
    for form in forms:
        for root, record, table, title in instances(ev, scores, form):
            for block in form.blocks:
                for row in _rows_to_judge(block):
                    for at, item in resolve(record, row.path, root):
                        if block.columns:
                            label = getattr(item, "label", "") or ""
                            for col in block.columns:
                                if col.kind in (Kind.AMOUNT, Kind.SCORE):
                                    c.number(getattr(item, col.attr), table, f"{at}.{col.attr}",
                                             _location(label, _fallback(form, row), col), title=title, unit=col.unit)
                        elif row.kind in (Kind.AMOUNT, Kind.COUNT, Kind.QUANTITY, Kind.SCORE):
                            c.number(item, table, at, row.name, title=title, unit=row.unit)  # type: ignore[arg-type]
    return c.findings


def _fallback(form: Form, row: Row) -> str:
    return "资金" if form.key != "basic" else "（未命名行）"


def _rows_to_judge(block: Block) -> tuple[Row, ...]:
    """A fund block declares its first rows by index; every fund row the table has is judged."""
    if block.rows and block.rows[0].path == "funds[0]":
        return (Row("funds[*]", block.rows[0].label, many=True),)
    return block.rows


def _numbers(record: object, root: str, path: str) -> list[Decimal | None]:
    return [amount_value(v) for _, v in resolve(record, path, root)]  # type: ignore[arg-type]


def check_relations(ev: Evaluation, scores: EvaluationScore, profile: Profile, forms: Sequence[Form] = FORMS,
                    kinds: Sequence[str] = ("sum", "rate")) -> Iterable[Finding]:
    """Every Sum and SubItems (kind "sum") and Rate (kind "rate") of the declared forms."""
    c = Collector(profile)
    for form in forms:
        for root, record, table, title in instances(ev, scores, form):
            for rel in form.relations:
                if isinstance(rel, Rate):
                    if "rate" in kinds:
                        _rate(c, rel, record, root, table, title)
                        for sub in _sub_row_rates(rel, record):
                            _rate(c, sub, record, root, table, title, sub_row=True)
                    continue
                if "sum" not in kinds:
                    continue
                for (parent, children), column in zip(rel.terms(), rel.columns or (None,), strict=True):
                    total = _numbers(record, root, parent)
                    parts = [n for child in children for n in _numbers(record, root, child)]
                    location = _where(form, rel.parent, column)
                    if isinstance(rel, Sum):
                        names = _fund_names(record, rel) or rel.what or "、".join(
                            _split(form, ch)[1].name for ch in rel.children)
                        what = f"{rel.group}（{names}）" if rel.group else names
                        c.sum_check(total[0] if total else None, parts, table, f"{root}.{parent}", location, what,
                                    title=title)
                    else:
                        _sub_items(c, total[0] if total else None, parts, table, f"{root}.{parent}",
                                   _split(form, rel.parent)[1].name, location, title)
    return c.findings


def _fund_names(record: object, rel: Sum) -> str:
    """The rows of a one-list sum as the table labels them (the 其中 fund rows: "中央资金、省级资金…";
    issue 9: tables print other rows than the form's 当年财政拨款、上年结转资金、其他资金), or ""
    when the sum is over declared rows or a row has no label."""
    if len(rel.children) != 1 or "[" not in rel.children[0]:
        return ""
    items = [item for _, item in resolve(record, rel.children[0])]
    labels = [re.sub(r"^其中[：:]", "", str(getattr(item, "label", ""))).strip() for item in items]
    return "、".join(labels) if labels and all(labels) else ""


def _sub_items(c: Collector, parent: Decimal | None, parts: list[Decimal | None], table: Table, path: str,
               name: str, location: str, title: str) -> None:
    """其中 rows are a selection: together at most the parent (they need not add up to it)."""
    filled = [p for p in parts if p is not None]
    if parent is None or not filled:
        return
    total = sum(filled, ZERO)
    if total > parent + c.profile.rounding_tolerance:
        c.add("SUBITEM_EXCEEDS", table, path, location,
              f"{name}的“其中”项合计 {fmt_wan(total)} 大于{name} {fmt_wan(parent)}。",
              expected=f"≤ {fmt_wan(parent)}", actual=fmt_wan(total), title=title)


def _sub_row_rates(rel: Rate, record: object) -> list[Rate]:
    """The 执行率 of each 其中 fund row that prints one (issue 9: the Sichuan form prints a rate on
    every fund row): *rel* (declared on 年度资金总额, ``funds[0]``) moved to that row."""
    if rel.rule != "execution_rate" or not rel.result.startswith("funds[0]."):
        return []
    out = []
    for i, row in enumerate(getattr(record, "funds", [])[1:], start=1):
        if row.printed_rate is None or not str(row.printed_rate).strip():
            continue
        label = re.sub(r"^其中[：:]", "", str(row.label or "")).strip() or f"第{i + 1}行资金"
        out.append(replace(rel, result=rel.result.replace("funds[0]", f"funds[{i}]"),
                           numerator=rel.numerator.replace("funds[0]", f"funds[{i}]"),
                           denominator=rel.denominator.replace("funds[0]", f"funds[{i}]"), label=f"{label} 执行率"))
    return out


def _rate(c: Collector, rel: Rate, record: object, root: str, table: Table, title: str, *, sub_row: bool = False) -> None:
    """*rel*'s printed rate against the rule's; on a 其中 fund row (*sub_row*) a zero denominator is
    not reported: such a row (nothing budgeted from that source) prints 0.00% or "—" in published
    tables alike, and the 年度资金总额 row's rate is the one scored (its zero is reported)."""
    execution = rel.rule == "execution_rate"
    denominator_kind = c.profile.budget.denominator
    if execution and denominator_kind != "full_year":
        initial = denominator_kind.startswith("initial")
        words = ("年初预算数" if initial else "全年预算数") + ("＋年初结转" if denominator_kind.endswith("_carryover") else "")
        rel = replace(rel, denominator=rel.denominator.replace("full_year_budget", "initial_budget") if initial
                      else rel.denominator, formula=rel.formula.replace("全年预算数", words))
    printed = next((v for _, v in resolve(record, rel.result)), None)
    numerator = next(iter(_numbers(record, root, rel.numerator)), None)
    denominator = next(iter(_numbers(record, root, rel.denominator)), None)
    if execution and denominator_kind.endswith("_carryover"):
        raw = next((v for _, v in resolve(record, rel.denominator.rpartition(".")[0] + ".carried_over")), None)
        carried = amount_value(raw)  # type: ignore[arg-type]
        # blank 年初结转 = 0; a text makes the rate unknown (CELLS reports the text)
        denominator = score_denominator(denominator, c.profile, denominator, carried) if carried is not None or raw is None \
            else None
    path = f"{root}.{rel.result}"
    if denominator is not None and denominator == 0:
        if sub_row:
            return
        c.add("ZERO_DENOMINATOR", table, path, rel.label, rel.zero.format(label=rel.label, printed=printed or 0),
              expected="—", actual=printed or "", title=title, severity=rel.zero_severity)
        if rel.zero_only:
            return
    computed = getattr(rules, rel.rule)(numerator, denominator)
    c.printed_rate(printed if isinstance(printed, str) or printed is None else str(printed), computed, table, path,
                   rel.label, rel.formula, title=title)

"""perfxl.core.rules is a package split by concern (issue 7): every name the old
single module exported still imports from ``perfxl.core.rules``, each submodule is
small and pure, and every decision of the old module docstring is still written down."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import perfxl.core.rules as rules

from .conftest import ROOT

#: the public names of perfxl/core/rules.py before the split (its ``__all__`` at 0e72aa3);
#: checker, scoring, udfs, workbook.layout, the tests and the benchmark import these.
OLD_PUBLIC_NAMES = [
    "Direction",
    "IndicatorResult",
    "Note",
    "Tier",
    "adjustment_rate",
    "budget_score",
    "cap_total",
    "change_rate",
    "check_execution",
    "control_rate",
    "direction_of",
    "execution_rate",
    "grade",
    "parse_tier",
    "score_indicator",
    "tier_band",
]

SUBMODULES = ["dates", "grades", "indicator", "numeric", "outcome", "qualitative", "rates", "standards"]

#: a phrase of each decision in the old module docstring; each must survive in one submodule
OLD_DECISIONS = [
    'a target of "无" (不适用) gets no rule score',
    'an empty, "无" or unreadable actual against a numeric or date target gives no score',
    "an actual that is a different kind from the target",
    "a bare number against a percentage (Excel stores 90% as 0.9)",
    "a value without a unit against one with a unit is taken to be in that unit",
    '">" and "<" targets score like "≥" and "≤"',
    "the over-achievement warning and deduction apply to positive indicators",
    "a target A ≤ 0 makes the proportional part of the positive/negative rules",
    "dates compare field by field on what both sides wrote",
    "a rate with a negative denominator (a negative budget or approved number) is not a",
    "a negative weight is a missing weight",
    "a qualitative self-score is rounded to 2 decimals first",
]


def test_package_reexports_every_old_public_name():
    assert sorted(rules.__all__) == sorted(OLD_PUBLIC_NAMES)
    namespace: dict[str, object] = {}
    exec("from perfxl.core.rules import *", namespace)
    assert set(OLD_PUBLIC_NAMES) <= set(namespace)
    for name in OLD_PUBLIC_NAMES:
        assert getattr(rules, name) is namespace[name], name


def test_reexports_are_the_submodules_objects():
    # one definition per name: the package re-exports, it does not copy
    owners = {name: [m for m in SUBMODULES if name in getattr(importlib.import_module(f"perfxl.core.rules.{m}"),
                                                               "__all__", ())]
              for name in OLD_PUBLIC_NAMES}
    for name, modules in owners.items():
        assert len(modules) == 1, (name, modules)
        module = importlib.import_module(f"perfxl.core.rules.{modules[0]}")
        assert getattr(module, name) is getattr(rules, name)


def test_submodules_are_the_expected_ones_and_small():
    found = sorted(m.name for m in pkgutil.iter_modules(rules.__path__))
    assert found == SUBMODULES
    for path in (ROOT / "perfxl" / "core" / "rules").glob("*.py"):
        assert len(path.read_text("utf-8").splitlines()) <= 400, path.name


def test_every_submodule_records_its_rules_and_decisions():
    docs = {}
    for name in SUBMODULES:
        doc = importlib.import_module(f"perfxl.core.rules.{name}").__doc__ or ""
        assert len(doc) > 200, name
        docs[name] = " ".join(doc.split())
    for phrase in OLD_DECISIONS:
        holders = [name for name, doc in docs.items() if " ".join(phrase.split()) in doc]
        assert holders, phrase


def test_rules_package_imports_no_edge_library():
    # tests/test_core_isolation.py scans perfxl/core/*.py; this covers the subpackage
    forbidden = {"xlwings", "openpyxl", "pandas", "docx", "docxtpl", "xlsxwriter", "formulas", "pyopenvba"}
    offenders = []
    for path in sorted((ROOT / "perfxl" / "core" / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in forbidden]
    assert offenders == []

"""The one registry of finding codes (perfxl/core/codes.py, issue 7): every code any module
can emit is registered, every registered code is emitted somewhere (or reserved), the
severities come from the registry, and docs/findings.md is generated from it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from perfxl.core import codes
from perfxl.core.findings import Severity, Table

from .conftest import ROOT

PACKAGE = ROOT / "perfxl"
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
#: calls whose first argument is a finding code
_EMITTERS = {"Finding", "finding", "add"}


def _emitted() -> dict[str, set[str]]:
    """code → the files that pass it as a finding's code (first argument of Finding / finding /
    Collector.add, a ``code=`` keyword or default, or a value of a ``*_CODES`` mapping)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "core" and path.name in ("codes.py", "suggestions.py"):
            continue  # the registry itself; suggestion keys are tested apart
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in _EMITTERS and node.args and isinstance(node.args[0], ast.Constant):
                    literals.append(node.args[0].value)
                literals += [k.value.value for k in node.keywords
                             if k.arg == "code" and isinstance(k.value, ast.Constant)]
            if isinstance(node, ast.FunctionDef):  # def sum_check(…, code: str = "SUM_MISMATCH")
                a = node.args
                pairs = [*zip(a.args[len(a.args) - len(a.defaults):], a.defaults, strict=True),
                         *zip(a.kwonlyargs, a.kw_defaults, strict=True)]
                literals += [d.value for arg, d in pairs if arg.arg == "code" and isinstance(d, ast.Constant)]
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_CODES")
                                                    for t in node.targets) and isinstance(node.value, ast.Dict):
                literals += [v.value for v in node.value.values if isinstance(v, ast.Constant)]
        for literal in literals:
            if isinstance(literal, str) and _CODE.match(literal):
                found.setdefault(literal, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_scan_sees_every_kind_of_emitter():
    emitted = _emitted()
    assert "perfxl/workbook/convert.py" in emitted["CELL_NOT_NUMBER"]  # reader (cell conversion): sheet.finding("…")
    assert "perfxl/workbook/reader.py" in emitted["NO_VBA"]  # reader: Finding("…")
    assert "perfxl/core/checks/base.py" in emitted["SUM_ROUNDING"]  # checks: c.add("…")
    assert "perfxl/core/checks/tables.py" in emitted["ZERO_TARGET"]  # rules' notes: _NOTE_CODES
    assert "perfxl/core/checks/across.py" in emitted["CROSS_MISMATCH"]  # code="…"


def test_every_emitted_code_is_registered():
    unregistered = {code: sorted(files) for code, files in _emitted().items() if code not in codes.REGISTRY}
    assert unregistered == {}


def test_every_registered_code_is_emitted_or_reserved():
    emitted = _emitted()
    silent = [c.code for c in codes.CODES if c.code not in emitted and not c.reserved]
    assert silent == []


def test_codes_are_unique_and_well_formed():
    names = [c.code for c in codes.CODES]
    assert len(names) == len(set(names))
    categories = {"读取", "填写", "表内合计", "比率", "执行率", "指标", "评分", "表间一致"}
    for c in codes.CODES:
        assert _CODE.match(c.code) and c.category in categories and c.summary
        assert c.severity not in c.also
        assert re.search(r"[\u4e00-\u9fff]", c.summary), c.code  # Chinese for users


def test_the_severity_comes_from_the_registry():
    f = codes.finding("SUM_MISMATCH", Table.BASIC, "basic.three_public.actual", "三公经费（决算数）", "相差 1 万元。")
    assert f.severity is Severity.ERROR and f.table_title == str(Table.BASIC)
    assert codes.finding("SCORE_DIFFERS", Table.OVERALL, "", "x", "y", severity=Severity.WARNING).severity \
        is Severity.WARNING  # a declared alternative
    with pytest.raises(ValueError, match="not declared"):
        codes.finding("SUM_MISMATCH", Table.BASIC, "", "x", "y", severity=Severity.NOTICE)
    with pytest.raises(KeyError, match="not registered"):
        codes.finding("NO_SUCH_CODE", Table.BASIC, "", "x", "y")


def test_a_message_from_the_template():
    f = codes.finding("NOT_A_NUMBER", Table.OVERALL, "overall.general_budget", "一般公共预算", actual="一百")
    assert f.message == "一般公共预算应填写数字，实际为“一百”。"


def test_every_check_finding_of_the_example_uses_the_registered_severity_or_an_alternative(example,
                                                                                           default_profile):
    from perfxl.core.checker import check

    for f in check(example, default_profile):
        declared = codes.REGISTRY[f.code]
        assert f.severity is declared.severity or f.severity in declared.also


def test_suggestion_keys_are_registered():
    source = (PACKAGE / "core" / "suggestions.py").read_text(encoding="utf-8")
    used = set(re.findall(r'add\("([A-Z_]+)"', source))
    assert used == set(codes.SUGGESTIONS)
    for _summary, sources in codes.SUGGESTIONS.values():
        assert all(s in codes.REGISTRY for s in sources)


def test_the_committed_table_is_current():
    committed = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert committed == codes.markdown(), "重新生成：python -m perfxl.core.findings_doc > docs/findings.md"
    out = subprocess.run([sys.executable, "-m", "perfxl.core.findings_doc"], capture_output=True, text=True,
                         encoding="utf-8", check=True, cwd=ROOT)
    assert out.stdout == committed and not out.stderr
    for c in codes.CODES:
        assert f"| `{c.code}` |" in committed


def test_the_old_checker_codes_mapping_still_works():
    from perfxl.core.checker import CODES

    assert CODES["SUM_MISMATCH"] == (Severity.ERROR, "合计与各分项之和不符")
    assert set(CODES) == set(codes.REGISTRY)

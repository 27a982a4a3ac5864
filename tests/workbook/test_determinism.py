"""The committed workbooks are fresh builds, byte for byte, and a build is quick.

A build must not depend on the clock or on chance: fixed document dates, fixed zip
times, a VBA project without random ids.  So the committed template can be compared
with a fresh build byte for byte; when the sources change (macros/, perfxl/), the
test fails until ``python -m perfxl.workbook`` is run again.
"""

from __future__ import annotations

import time
import zipfile

from perfxl.workbook.builder import build_workbook

from .conftest import COMMITTED_EXAMPLE, COMMITTED_TEMPLATE, load_example

REBUILD = "过期：请运行 python -m perfxl.workbook 重新生成并提交"


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _explain(committed, fresh) -> str:
    a, b = _parts(committed), _parts(fresh)
    changed = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
    return f"{committed.name} {REBUILD}（不同的部件：{', '.join(changed) or '仅 zip 元数据'}）"


def test_committed_template_is_a_fresh_build(fresh_template):
    assert COMMITTED_TEMPLATE.read_bytes() == fresh_template.read_bytes(), _explain(COMMITTED_TEMPLATE, fresh_template)


def test_committed_example_is_a_fresh_build(fresh_example):
    assert COMMITTED_EXAMPLE.read_bytes() == fresh_example.read_bytes(), _explain(COMMITTED_EXAMPLE, fresh_example)


def test_two_builds_are_identical(tmp_path, fresh_template):
    again = build_workbook(None, tmp_path / "again.xlsm")
    assert again.read_bytes() == fresh_template.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2024-01-01T00:00:00Z" in core


def test_build_is_quick_and_atomic(tmp_path):
    example = load_example()
    build_workbook(example, tmp_path / "warm.xlsm")  # imports and profile loading are not the build
    start = time.perf_counter()
    out = build_workbook(example, tmp_path / "timed.xlsm")
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"build took {elapsed:.2f} s"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timed.xlsm", "warm.xlsm"]  # no temp file left
    assert out.stat().st_mode & 0o777 == 0o644


def test_failed_check_leaves_the_old_file(tmp_path, monkeypatch):
    import pytest

    from perfxl.workbook import builder, parts

    out = tmp_path / "book.xlsm"
    out.write_bytes(b"old")
    monkeypatch.setattr(builder, "check_parts", lambda path: ["缺少 测试部件"])
    with pytest.raises(parts.PartsError, match="缺少 测试部件"):
        build_workbook(None, out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsm"]


def test_check_command_agrees(capsys):
    """``python -m perfxl.workbook --check``: every committed output (workbooks, ribbon XML,
    PerfButtons.bas) is a fresh build."""
    from perfxl.workbook.__main__ import main

    assert main(["--check"]) == 0, capsys.readouterr().err

"""write_report: through the core to a file; refuses to overwrite; writes atomically;
never crashes on missing data."""

from __future__ import annotations

import pytest
from docx import Document

from perfxl.core.model import Evaluation
from perfxl.report import render
from perfxl.report.render import ReportError, write_report

from .conftest import load_example
from .seed import docx_tables


def test_example_report_is_complete(example_report):
    assert example_report.missing == []
    assert example_report.pdf is None
    assert example_report.docx.is_file()


def test_an_empty_evaluation_gives_a_report_with_marks(tmp_path):
    result = write_report(Evaluation(), tmp_path / "empty.docx")
    assert result.missing
    document = Document(str(result.docx))
    cells = [cell for table in docx_tables(document) for row in table for cell in row]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert text.count("【待填写：") >= len(result.missing)
    for label in result.missing:
        assert f"【待填写：{label}】" in text


def test_an_existing_file_is_not_overwritten(tmp_path):
    out = tmp_path / "报告.docx"
    out.write_bytes(b"the department's own edits")
    with pytest.raises(ReportError, match="文件已存在"):
        write_report(load_example(), out)
    assert out.read_bytes() == b"the department's own edits"
    write_report(load_example(), out, overwrite=True)
    assert out.read_bytes()[:2] == b"PK"


def test_an_existing_pdf_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "报告.pdf").write_bytes(b"old")
    with pytest.raises(ReportError, match="文件已存在"):
        write_report(load_example(), tmp_path / "报告.docx", pdf=True)
    assert not (tmp_path / "报告.docx").exists()


def test_a_failed_render_leaves_no_file_behind(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ReportError("模板有误")

    monkeypatch.setattr(render, "render_docx", broken)
    with pytest.raises(ReportError):
        write_report(load_example(), tmp_path / "r.docx")
    assert list(tmp_path.iterdir()) == []


def test_the_write_is_atomic(tmp_path, monkeypatch):
    import os

    out = tmp_path / "r.docx"
    out.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(ReportError, match="无法写入"):
        write_report(load_example(), out, overwrite=True)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]  # no temporary file left


def test_bad_output_names_are_refused(tmp_path):
    with pytest.raises(ReportError, match=r"\.docx"):
        write_report(load_example(), tmp_path / "r.doc")
    with pytest.raises(ReportError, match="输出目录不存在"):
        write_report(load_example(), tmp_path / "nowhere" / "r.docx")


def test_a_profile_name_is_accepted(tmp_path):
    result = write_report(load_example(), tmp_path / "strict.docx", profile="strict")
    assert result.docx.is_file()
    with pytest.raises(ReportError, match="评分方案"):
        write_report(load_example(), tmp_path / "bad.docx", profile="no-such-profile")


def test_a_template_with_an_unknown_variable_is_a_clear_error(tmp_path):
    from docxtpl import DocxTemplate

    from perfxl.report.render import TEMPLATE

    tpl = DocxTemplate(str(TEMPLATE))
    tpl.get_docx().add_paragraph("{{ no_such_variable }}")
    bad = tmp_path / "bad-template.docx"
    tpl.get_docx().save(str(bad))
    with pytest.raises(ReportError, match="模板"):
        write_report(load_example(), tmp_path / "r.docx", template=bad)
    assert not (tmp_path / "r.docx").exists()


def test_text_with_xml_characters_is_escaped(tmp_path):
    ev = load_example()
    ev.narrative.other = "A&B <C> “引号”\x01"  # a control character XML cannot hold
    ev.projects[0].indicators[0].deviation = "偏差<原因>&\x0b说明"  # a vertical tab, as pasted from Word
    ev.projects[0].indicators[1].name = "合格\x07率"
    result = write_report(ev, tmp_path / "r.docx")
    document = Document(str(result.docx))
    assert "A&B <C> “引号”" in [p.text for p in document.paragraphs]
    cells = [cell for row in docx_tables(document)[2] for cell in row]
    assert "偏差<原因>&说明" in cells and "合格率" in cells


def test_the_data_cannot_name_a_profile_path(tmp_path):
    """Without a profile from the caller, the data's own may only be a built-in name
    (issue 7): a valid custom .toml named by the data is refused, nothing is written."""
    from dataclasses import replace

    custom = tmp_path / "custom.toml"
    custom.write_text('extends = "default"\nname = "custom"\n', encoding="utf-8")
    with pytest.raises(ReportError, match="不是内置方案"):
        write_report(replace(load_example(), profile=str(custom)), tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
    result = write_report(load_example(), tmp_path / "own.docx", profile=custom)  # the caller's own choice
    assert result.docx.exists()

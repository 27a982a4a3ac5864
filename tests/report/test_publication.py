"""Issue 10: the report says what the department says; errors stop publication; the
review document; the 表文一致 check of the written file; sections 七/八 about performance."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from perfxl.app.reports import PublicationBlocked, report_input, write_report
from perfxl.core.serde import evaluation_from_dict
from perfxl.errors import EXIT_FINDINGS, PerfxlError
from perfxl.report.consistency import check_docx
from perfxl.report.review import review_path

from ..cli_runner import run
from ..conftest import EXAMPLE_JSON
from .conftest import load_example
from .seed import docx_paragraphs, load_seed, section

CORRECTED_JSON = EXAMPLE_JSON.with_name("hengshan-kexie-2023-corrected.json")


def load_corrected():
    return evaluation_from_dict(json.loads(CORRECTED_JSON.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "自评报告.docx"
    return write_report(load_example(), out, draft=True)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "自评报告.docx"
    return write_report(load_corrected(), out, review=True)


def _body_text(docx: Path) -> str:
    return "\n".join(docx_paragraphs(Document(str(docx))))


# --------------------------------------------------------------------------- errors stop publication


def test_errors_stop_publication_and_are_listed(tmp_path):
    out = tmp_path / "r.docx"
    with pytest.raises(PublicationBlocked) as caught:
        write_report(load_example(), out)
    blocked = caught.value
    assert isinstance(blocked, PerfxlError) and blocked.exit_code == EXIT_FINDINGS == 1
    assert len(blocked.findings) == 16  # the example's 16 错误 (perfxl check)
    message = str(blocked)
    assert message.startswith("数据中有 16 项错误，未生成自评报告") and "--draft" in message
    assert "附件2 整体自评表（年度资金总额 执行率）：年度资金总额 执行率填写为 100%" in message
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_command_refuses_with_exit_1_and_lists_the_errors_in_chinese(tmp_path):
    out = run("report", str(EXAMPLE_JSON), "-o", str(tmp_path / "r.docx"))
    assert out.returncode == 1
    assert "数据中有 16 项错误" in out.stderr and "  16. " in out.stderr and "内部错误" not in out.stderr
    assert not (tmp_path / "r.docx").exists()


def test_draft_writes_the_report_with_the_mark_and_the_review(draft):
    assert draft.draft and draft.docx.is_file() and draft.review == review_path(draft.docx)
    assert draft.review.name == "自评报告-校验说明.docx" and draft.review.is_file()
    with zipfile.ZipFile(draft.docx) as z:
        headers = [z.read(n).decode("utf-8") for n in z.namelist() if re.match(r"word/header\d+\.xml", n)]
    assert len(headers) == 2 and all("<w:t>草稿</w:t>" in h and 'behindDoc="1"' in h for h in headers)
    # the mark is in the headers, not in the text: sections 一–五 still match the seed
    expected_start = section(load_seed().paragraphs, "一、", "二、")[0]
    assert section(docx_paragraphs(Document(str(draft.docx))), "一、", "二、")[0] == expected_start


def test_a_clean_data_set_is_published_without_the_mark(published):
    assert not published.draft and published.review is not None
    assert not [f for f in published.findings if str(f.severity) == "错误"]
    with zipfile.ZipFile(published.docx) as z:
        assert not any(re.match(r"word/header\d+\.xml", n) for n in z.namelist())


def test_report_input_and_draft_flag(tmp_path):
    result = report_input(EXAMPLE_JSON, tmp_path / "x.docx", draft=True)
    assert result.draft and result.review and result.review.exists()


# --------------------------------------------------------------------------- the published text


def test_section_six_has_no_review_score(draft):
    six = "\n".join(section(docx_paragraphs(Document(str(draft.docx))), "六、", "七、"))
    assert "自评得分91分，等级为“优”" in six
    for review in ("复核", "规则", "82.96", "77.88", "等级为“良”", "等级为“中”"):
        assert review not in six, review


def test_no_self_contradiction_anywhere(draft):
    text = _body_text(draft.docx)
    assert "填写为100%" not in text and "计算应为" not in text  # 附件二 prints 99.64%
    assert "132.45万元、132.55万元" not in text and "相关数据为" not in text
    assert "指标“无”" not in text  # a 三级指标 named 无 is named by its 二级指标
    assert "偏差原因" not in "\n".join(section(docx_paragraphs(Document(str(draft.docx))), "七、", "八、"))


def test_sections_seven_and_eight_speak_about_performance(draft):
    paragraphs = docx_paragraphs(Document(str(draft.docx)))
    seven = "\n".join(section(paragraphs, "七、", "八、"))
    # funds not spent: 133.09 − 132.61 = 0.48 万元, 42.73 of 43.27 (0.54 万元) for 业务经费
    assert "部门整体全年预算133.09万元，实际支出132.61万元，0.48万元未支出，预算执行率99.64%" in seven
    assert "“业务经费”项目全年预算43.27万元，实际支出42.73万元，0.54万元未支出，预算执行率98.75%" in seven
    # indicators the department marked down: 附件二 shows each reaching its target (100% of 100%, the
    # 达成 band), so the text says so and guesses no cause of a miss (the annex would contradict it;
    # a true miss keeps its likely cause: tests/test_suggestions_wording.py)
    assert "部分绩效指标实际完成值达到了年度指标值，自评时仍扣了分" in seven
    assert "成本指标“活动成本”（得10分，分值12分）" in seven
    assert "未完全达到预期" not in seven and "原因可能是" not in seven
    # over-achieved: 8 of 6 times = 133.33%; a target set low
    assert "实际完成“8次”，为年度指标值的133.33%" in seven
    # set to 无 but weighted: named by the 二级指标 and its points
    assert "部门整体的经济效益指标（8分）、生态效益指标（7分）" in seven
    # a target that measures nothing (same suggestion)
    assert "成本指标“活动成本”（年度指标值为“按年初预算执行”）没有量化" in seven


def test_each_suggestion_can_be_dropped_by_its_code(tmp_path):
    ev = load_example()
    ev.narrative.dropped_suggestions = ["UNSPENT.problem", "TARGETS_LOW.problem", "TARGETS_LOW.measure"]
    result = write_report(ev, tmp_path / "r.docx", draft=True)
    seven = "\n".join(section(docx_paragraphs(Document(str(result.docx))), "七、", "九、"))
    assert "未支出" not in seven and "定得偏低" not in seven and "参考上年实际完成情况" not in seven
    assert "年中对照预算跟踪支出进度" in seven  # UNSPENT.measure was kept


# --------------------------------------------------------------------------- 表文一致


def test_the_written_report_is_consistent(draft, published):
    for result in (draft, published):
        assert result.consistency is not None and not result.consistency.findings
        # 一: 编制, 在职; 二: 基本支出, 公用经费, 项目支出 ×2; 三: 政府性基金; 六: 4 × (附件二, 附件三);
        # 七: the funds quoted by the suggestions (4 × 2; the corrected data keep them too)
        assert len(result.consistency.compared) == 23
        assert all(c.same for c in result.consistency.compared)


def _tamper(docx: Path, old: str, new: str, out: Path) -> Path:
    document = Document(str(docx))
    hits = 0
    for p in document.paragraphs:
        for r in p.runs:
            if old in r.text:
                r.text = r.text.replace(old, new)
                hits += 1
    assert hits, old
    document.save(str(out))
    return out


@pytest.mark.parametrize(("old", "new", "where"), [
    ("公用经费13.08万元", "公用经费13.80万元", "附件一“公用经费”行“年决算数”栏"),
    ("预算执行率99.64%。", "预算执行率100%。", "附件二“年度资金总额”行“执行率”栏"),
    ("该项目自评得分91分", "该项目自评得分95分", "附件三“总分”行“自评得分”栏"),
])
def test_a_tampered_paragraph_is_a_finding(draft, tmp_path, old, new, where):
    tampered = _tamper(draft.docx, old, new, tmp_path / "tampered.docx")
    found = check_docx(tampered).findings
    assert [f.code for f in found] == ["TEXT_TABLE_MISMATCH"]
    finding = found[0]
    assert str(finding.severity) == "错误" and where in finding.message
    assert finding.actual == re.search(r"[\d.]+%?", new).group(0)


def test_a_tampered_annex_cell_is_a_finding(draft, tmp_path):
    document = Document(str(draft.docx))
    cell = document.tables[1].rows[2].cells[4]  # 附件二 年度资金总额 全年预算数
    assert cell.text == "133.09"
    cell.paragraphs[0].runs[0].text = "133.90"
    document.save(str(tmp_path / "t.docx"))
    found = check_docx(tmp_path / "t.docx").findings
    assert {(f.expected, f.actual) for f in found} == {("133.90", "133.09")}  # 六 and 七 quote it
    assert len(found) == 2


def test_a_mismatch_found_at_writing_stops_publication(tmp_path, monkeypatch):
    from perfxl.report import render

    real = render.render_docx

    def wrong_text(context, template=None, *, draft=False):
        context = {**context, "government_fund": "政府性基金预算支出5.04万元。"}
        return real(context, template, draft=draft)

    monkeypatch.setattr(render, "render_docx", wrong_text)
    with pytest.raises(PublicationBlocked) as caught:
        write_report(load_corrected(), tmp_path / "r.docx")
    assert [f.code for f in caught.value.findings] == ["TEXT_TABLE_MISMATCH"]
    assert not (tmp_path / "r.docx").exists()


# --------------------------------------------------------------------------- the review document


def test_the_review_document_has_the_rule_scores_and_every_finding(draft):
    document = Document(str(draft.review))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert "数据中有 16 项错误" in text and "草稿" in text
    # 一、评分复核: the department's 91 (优) beside the rule's 82.96 (良) and 77.88 (中)
    assert ["附件2 整体自评表", "99.64%", "91", "优", "82.96", "良", "8.04"] in cells
    assert ["附件3 项目自评表（业务经费）", "98.75%", "91", "优", "77.88", "中", "13.12"] in cells
    # 二: every finding, with where, expected and actual
    listed = [row for row in cells if row[-1] in {f.code for f in draft.findings}]
    assert len(listed) == len(draft.findings) == 38
    rate = next(row for row in listed if row[-1] == "RATE_MISMATCH")
    assert rate[1] == "错误" and rate[4:6] == ["99.64%", "100%"]
    # 三: 表文一致
    assert "已把报告正文中引用的 23 处数字与附件表格逐一核对，全部一致。" in text


def test_review_of_a_clean_report_says_it_may_be_submitted(published):
    text = "\n".join(p.text for p in Document(str(published.review)).paragraphs)
    assert "数据中没有错误，自评报告可以报送。" in text


def test_the_review_is_not_written_over(tmp_path):
    out = tmp_path / "r.docx"
    review_path(out).write_bytes(b"kept")
    with pytest.raises(PerfxlError, match="文件已存在"):
        write_report(load_example(), out, draft=True)
    assert review_path(out).read_bytes() == b"kept" and not out.exists()

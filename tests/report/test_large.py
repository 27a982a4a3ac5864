"""Large departments (issue 11 item 6): the report of hundreds of projects, linear and in
bounded memory, and the same document as when docxtpl rendered the annexes itself."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ..conftest import EXAMPLE_JSON, ROOT

#: the target of issue 11: ``perfxl report`` on 300 projects peaks under 150 MiB (whole
#: process; 468 MiB before the annexes and the review rows were spliced in)
PEAK_MIB = 150


def _department(projects: int) -> dict:
    """The example with *projects* copies of its first project, as benchmarks/bench_read.py makes it."""
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    first = data["projects"][0]
    data["projects"] = [{**copy.deepcopy(first), "name": f"{first['name']}{i + 1}"} for i in range(projects)]
    return data


def _body(docx: bytes) -> bytes:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return etree.tostring(root, method="c14n")


def test_spliced_annexes_equal_annexes_rendered_by_docxtpl():
    """The old way: the annexes as one Jinja value, the fonts pinned on every run after."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    from perfxl.core.assessment import assess
    from perfxl.core.profile import load_profile
    from perfxl.core.serde import evaluation_from_dict
    from perfxl.report import render
    from perfxl.report.annex_xml import annex_chunks, style_ids
    from perfxl.report.context import build_context

    data = _department(4)
    data["projects"][1]["name"] += "\t<&>“引号”"  # a tab, escaped characters
    ev = evaluation_from_dict(data)
    profile = load_profile(ev.profile)
    assessed = assess(ev, profile)
    context = build_context(ev, assessed.scores, assessed.findings, assessed.suggestions, profile)

    tpl = DocxTemplate(str(render.TEMPLATE))
    annexes = "".join(annex_chunks(context["annexes"], style_ids(tpl.get_docx()), {}))  # empty w:rPr
    env = Environment(undefined=StrictUndefined, autoescape=True, finalize=render._xml_text)
    tpl.render({**context, "annexes": Markup(annexes)}, env)
    render.pin_east_asian_fonts(tpl.docx)
    old = io.BytesIO()
    tpl.save(old)

    new = render.render_docx(context)
    assert _body(new) == _body(old.getvalue())
    assert b"<?perfxl" not in zipfile.ZipFile(io.BytesIO(new)).read("word/document.xml")


#: the child reports its own peak: VmHWM belongs to the memory of the new program, while
#: ru_maxrss (wait4, getrusage) keeps the parent's size at the fork, which in a pytest
#: process that has run other tests can be anything
_PEAK = ("import sys\nfrom perfxl.cli import main\ncode = main(sys.argv[1:])\n"
         "status = open('/proc/self/status').read()\n"
         "print(next(line.split()[1] for line in status.splitlines() if line.startswith('VmHWM:')))\n"
         "sys.exit(code)")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="the peak memory is read from /proc")
def test_report_of_300_projects_in_bounded_memory(tmp_path):
    from perfxl.report.consistency import check_docx

    source = tmp_path / "dept-300.json"
    source.write_text(json.dumps(_department(300), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.docx"
    done = subprocess.run([sys.executable, "-c", _PEAK, "report", str(source), "-o", str(out), "--draft"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    peak_mib = int(done.stdout.strip().splitlines()[-1]) / 1024  # kB
    assert peak_mib < PEAK_MIB, f"perfxl report on 300 projects peaked at {peak_mib:.0f} MiB"

    result = check_docx(out)
    projects = {c.annex for c in result.compared if c.annex.startswith("附件三")}
    assert len(projects) == 300 and not result.findings
    review = Path(str(out).replace(".docx", "-校验说明.docx"))
    assert review.is_file() and b"<?perfxl" not in zipfile.ZipFile(review).read("word/document.xml")

"""Fixtures of the report tests: the example's report, written once per session.

The files go to ``$PERFXL_TEST_OUTPUT`` when it is set (so that a person can open the
.docx, the PDF and the page images afterwards), else to a pytest temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import EXAMPLE_JSON
from ..tools import kept_output


@pytest.fixture(scope="session")
def output_dir(tmp_path_factory) -> Path:
    return kept_output("report", tmp_path_factory)


def load_example():
    from perfxl.core.serde import evaluation_from_dict

    return evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def example_report(output_dir):
    from perfxl.report.render import write_report

    return write_report(load_example(), output_dir / "hengshan-kexie-2023.docx", overwrite=True)


@pytest.fixture(scope="session")
def example_docx(example_report):
    from docx import Document

    return Document(str(example_report.docx))


@pytest.fixture(scope="session")
def example_context():
    from perfxl.core import checker, scoring
    from perfxl.core.profile import load_profile
    from perfxl.report.context import build_context

    ev = load_example()
    profile = load_profile(ev.profile)
    scores = scoring.score_evaluation(ev, profile)
    findings = checker.check(ev, profile, scores)
    return build_context(ev, scores, findings, checker.suggestions(ev, findings, scores), profile)

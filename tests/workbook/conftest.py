"""Fixtures of the workbook tests: fresh builds (once per session) and the committed files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"
COMMITTED_TEMPLATE = ROOT / "workbook" / "PerfEval.xlsm"
COMMITTED_EXAMPLE = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"


def load_example():
    from perfxl.core.serde import evaluation_from_dict

    return evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("built")


@pytest.fixture(scope="session")
def fresh_template(build_dir) -> Path:
    from perfxl.workbook.builder import build_workbook

    return build_workbook(None, build_dir / "PerfEval.xlsm")


@pytest.fixture(scope="session")
def fresh_example(build_dir) -> Path:
    from perfxl.workbook.builder import build_workbook

    return build_workbook(load_example(), build_dir / "hengshan-kexie-2023.xlsm")


@pytest.fixture(params=["committed", "fresh"])
def template(request, fresh_template) -> Path:
    """The blank template: the committed file and a fresh build (structure tests run on both)."""
    return COMMITTED_TEMPLATE if request.param == "committed" else fresh_template


@pytest.fixture(params=["committed", "fresh"])
def example_book(request, fresh_example) -> Path:
    return COMMITTED_EXAMPLE if request.param == "committed" else fresh_example


@pytest.fixture()
def example_copy(fresh_example, tmp_path) -> Path:
    """A private copy of the example workbook that a test may damage."""
    return Path(shutil.copy(fresh_example, tmp_path / "example.xlsm"))


@pytest.fixture(scope="session")
def example_scores():
    from perfxl.core.profile import load_profile
    from perfxl.core.scoring import score_evaluation

    evaluation = load_example()
    return score_evaluation(evaluation, load_profile(evaluation.profile))

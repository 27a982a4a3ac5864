"""Shared fixtures: the example department-year and the rule profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "examples" / "hengshan-kexie-2023.json"


@pytest.fixture(scope="session")
def example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture()
def example():
    from perfxl.core.serde import evaluation_from_dict

    return evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def default_profile():
    from perfxl.core.profile import load_profile

    return load_profile("default")


@pytest.fixture(scope="session")
def strict_profile():
    from perfxl.core.profile import load_profile

    return load_profile("strict")

"""The application layer: the profile rule, errors by class, missing extras, Ctrl+C.

Each defect of issue 7 that lives here has its test: a department's file naming a
profile path (batch followed it), and a known failure shown as "内部错误".
"""

from __future__ import annotations

import builtins
import json
import sys

import pytest

from perfxl.app import extras
from perfxl.app.profiles import builtin_profile, resolve_profile
from perfxl.errors import EXIT_BUG, EXIT_UNUSABLE, MissingExtraError, PerfxlError, ProfileError, exit_code

from .cli_runner import run
from .conftest import EXAMPLE_JSON

#: a valid custom profile that would change the grades, and a marker no output may show
CUSTOM_TOML = 'extends = "default"\nname = "custom"\ntitle = "SECRET-TITLE-7f3a"\n[grades]\nexcellent = 50\ngood = 40\npassing = 30\n'


@pytest.fixture()
def custom_profile(tmp_path):
    path = tmp_path / "elsewhere" / "custom.toml"
    path.parent.mkdir()
    path.write_text(CUSTOM_TOML, encoding="utf-8")
    return path


def _data_naming(tmp_path, example_data, profile: str):
    folder = tmp_path / "收件箱"
    folder.mkdir(exist_ok=True)
    path = folder / "科协.json"
    path.write_text(json.dumps(dict(example_data, profile=profile), ensure_ascii=False), encoding="utf-8")
    return folder, path


# --------------------------------------------------------------------------- the profile rule


def test_the_users_own_choice_may_be_a_path(custom_profile):
    assert resolve_profile(str(custom_profile)).name == "custom"
    assert resolve_profile("strict", named="default").name == "strict"  # the user's choice wins


def test_a_name_inside_a_file_is_only_a_built_in_name(custom_profile, monkeypatch):
    opened = []
    monkeypatch.setattr("perfxl.app.profiles.load_profile", lambda ref: opened.append(ref))
    with pytest.raises(ProfileError, match="不是内置方案"):
        resolve_profile(None, named=str(custom_profile))
    with pytest.raises(ProfileError, match="不是内置方案"):
        builtin_profile("../elsewhere/custom")
    assert opened == []  # refused before anything was opened


def test_no_name_is_the_default():
    assert resolve_profile(None, None).name == "default"
    assert resolve_profile("", "  ").name == "default"


def test_batch_never_follows_a_profile_path_in_a_departments_file(tmp_path, example_data, custom_profile):
    """Defect (issue 7): batch loaded the profile a data file named by path."""
    from perfxl.batch import run_batch, summary_rows

    folder, _ = _data_naming(tmp_path, example_data, str(custom_profile))
    (result,) = run_batch([folder])
    assert "不是内置方案" in result.error
    assert result.scores is None and result.profile == ""
    assert "SECRET" not in json.dumps(summary_rows([result]), ensure_ascii=False, default=str)


def test_batch_command_reads_no_other_file(tmp_path, example_data):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-7f3a = 1\n", encoding="utf-8")
    folder, _ = _data_naming(tmp_path, example_data, str(secret))
    out = run("batch", str(folder), "-o", str(tmp_path / "汇总.csv"))
    summary = (tmp_path / "汇总.csv").read_text("utf-8-sig")
    assert out.returncode == 1 and "不是内置方案" in out.stdout
    assert "SECRET" not in out.stdout + out.stderr + summary


def test_batch_with_the_users_own_profile_path(tmp_path, example_data, custom_profile):
    from perfxl.batch import run_batch

    folder, _ = _data_naming(tmp_path, example_data, "default")
    (result,) = run_batch([folder], str(custom_profile))
    assert result.profile == "custom" and not result.error


@pytest.mark.parametrize("command", ["check", "score", "report"])
def test_every_command_refuses_a_path_named_by_the_file(tmp_path, example_data, custom_profile, command):
    _, path = _data_naming(tmp_path, example_data, str(custom_profile))
    args = [command, str(path)] + (["-o", str(tmp_path / "r.docx")] if command == "report" else [])
    out = run(*args)
    assert out.returncode == 2 and "不是内置方案" in out.stderr
    assert not (tmp_path / "r.docx").exists()


# --------------------------------------------------------------------------- errors by class


def test_a_wrong_xlwings_version_is_a_message_not_an_internal_error(tmp_path, monkeypatch):
    """Defect (issue 7): VbaSourceError was missing from the command's list of class names."""
    import xlwings

    from perfxl.workbook.vba import VbaSourceError

    monkeypatch.setattr(xlwings, "__version__", "0.30.0")
    out = run("new", "-o", str(tmp_path / "x.xlsm"))
    assert "内部错误" not in out.stderr
    assert "xlwings==" in out.stderr and "0.30.0" in out.stderr
    # the user's installation, not a bug: exit 2 (BuildError itself stays 3)
    assert out.returncode == EXIT_UNUSABLE and not (tmp_path / "x.xlsm").exists()
    assert exit_code(VbaSourceError("")) == EXIT_BUG


def test_every_known_failure_is_a_perfxl_error():
    from perfxl.core.profile import ProfileError as CoreProfileError
    from perfxl.core.serde import DataError
    from perfxl.fileio import InputError
    from perfxl.report.files import ReportError
    from perfxl.workbook.builder import BuildError
    from perfxl.workbook.layout import CapacityError
    from perfxl.workbook.parts import PartsError
    from perfxl.workbook.reader import WorkbookError
    from perfxl.workbook.vba import VbaSourceError
    from perfxl.workbook.xlwrite import XlEntryError

    for cls in (CoreProfileError, DataError, InputError, ReportError, BuildError, CapacityError, PartsError,
                WorkbookError, VbaSourceError, XlEntryError, MissingExtraError):
        assert issubclass(cls, PerfxlError), cls
    assert exit_code(InputError("x")) == EXIT_UNUSABLE
    assert exit_code(KeyError("x")) == EXIT_BUG


def test_a_bug_is_exit_3_with_a_sentence(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr("perfxl.app.assessing.assess_input", broken)
    out = run("check", str(EXAMPLE_JSON))
    assert out.returncode == 3 and "内部错误" in out.stderr and "PERFXL_DEBUG" in out.stderr


def test_ctrl_c_is_130_with_a_chinese_line(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("perfxl.app.assessing.assess_input", interrupted)
    out = run("check", str(EXAMPLE_JSON))
    assert out.returncode == 130 and "已中断" in out.stderr and "Traceback" not in out.stderr


# --------------------------------------------------------------------------- missing extras


@pytest.fixture()
def without(monkeypatch):
    """``without("docx", …)``: importing those packages fails as if they were not installed."""

    def block(*names: str, forget: tuple[str, ...] = ()) -> None:
        real = builtins.__import__

        def fake(name, globals=None, locals=None, fromlist=(), level=0):
            if level == 0 and name.split(".")[0] in names:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return real(name, globals, locals, fromlist, level)

        for module in [m for m in sys.modules if m in forget]:
            monkeypatch.delitem(sys.modules, module)
        for name in names:  # importlib.import_module does not go through __import__
            monkeypatch.setitem(sys.modules, name, None)
        monkeypatch.setattr(builtins, "__import__", fake)

    return block


def test_needs_names_the_extra_and_the_pip_command(without):
    without("pandas")
    with pytest.raises(MissingExtraError) as caught:
        extras.import_extra("batch", "pandas", "写出汇总表")
    assert 'pip install "perfxl[batch]"' in str(caught.value) and "pandas" in str(caught.value)
    assert exit_code(caught.value) == EXIT_UNUSABLE


def test_needs_lets_other_import_errors_through():
    with pytest.raises(ModuleNotFoundError), extras.needs("report", "生成自评报告"):
        import perfxl_no_such_module  # noqa: F401


def test_report_without_the_report_extra(tmp_path, without):
    without("docx", "docxtpl", forget=("perfxl.report.render",))
    out = run("report", str(EXAMPLE_JSON), "-o", str(tmp_path / "r.docx"))
    assert out.returncode == 2 and 'pip install "perfxl[report]"' in out.stderr and "内部错误" not in out.stderr


def test_a_workbook_without_the_workbook_extra(tmp_path, without):
    from .test_cli import EXAMPLE_XLSM

    without("openpyxl")
    out = run("check", str(EXAMPLE_XLSM))
    assert out.returncode == 2 and 'pip install "perfxl[workbook]"' in out.stderr
    without("xlsxwriter", forget=("perfxl.workbook.builder",))
    out = run("new", "-o", str(tmp_path / "x.xlsm"))
    assert out.returncode == 2 and 'pip install "perfxl[workbook]"' in out.stderr


def test_batch_summary_without_pandas(tmp_path, without):
    without("pandas")
    out = run("batch", str(EXAMPLE_JSON), "-o", str(tmp_path / "s.xlsx"))
    assert out.returncode == 2 and 'pip install "perfxl[batch]"' in out.stderr
    assert not (tmp_path / "s.xlsx").exists()


def test_json_needs_no_extra(without):
    without("openpyxl", "xlsxwriter", "pyopenvba", "xlwings", "docx", "docxtpl", "pandas")
    assert run("check", str(EXAMPLE_JSON)).returncode == 1


def test_an_unwritable_output_is_exit_2_not_an_internal_error(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("", encoding="utf-8")
    out = run("schema", "-o", str(in_the_way / "schema.json"))
    assert out.returncode == 2 and "无法写入文件" in out.stderr and "内部错误" not in out.stderr


def test_a_builtin_profile_is_named_in_any_case_as_the_workbook_formulas_match_it():
    """The sheet's formulas compare the 评分方案 cell case-insensitively (Excel's "="); so does Python."""
    from perfxl.app.profiles import builtin_profile

    assert builtin_profile(" Hunan ").name == builtin_profile("hunan").name == "hunan"
    assert builtin_profile("NATIONAL").name == "national"

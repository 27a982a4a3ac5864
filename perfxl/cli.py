"""The ``perfxl`` command: everything the workbook's buttons do, without Excel.

Thin by design: each sub-command parses its arguments, calls one library function and
prints.  Exit codes: 0 fine, 1 the checker found 错误, 2 the input cannot be read (or
a wrong argument), 3 an internal error.  A user never sees a traceback unless
``PERFXL_DEBUG=1`` is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and help, and exit code 2 for a wrong argument."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(f"perfxl：参数错误：{_chinese(message)}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


#: argparse's own (English) error messages, in Chinese
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效，可选：\3"),
    (r"argument (.*?): expected one argument", r"参数 \1 后面需要一个值"),
)


def _chinese(message: str) -> str:
    import re

    for pattern, chinese in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, chinese, message)
    return message


def _profile(args, evaluation):
    """--profile (a name or a .toml path), else the one the file names (a built-in name only:
    a data file from elsewhere must not make perfxl read arbitrary paths)."""
    from .core.profile import available_profiles, load_profile
    from .fileio import InputError

    if args.profile:
        return load_profile(args.profile)
    named = evaluation.profile or "default"
    if named not in available_profiles():
        raise InputError(f"文件中的评分方案“{named}”不是内置方案（{'、'.join(available_profiles())}）；"
                         "自定义方案请用 --profile 指定其 .toml 文件。")
    return load_profile(named)


def _load(path):
    from .fileio import load

    return load(path)


def _checked(args):
    """Load and assess FILE: (loaded, assessment)."""
    from .core.assessment import assess

    loaded = _load(args.file)
    profile = _profile(args, loaded.evaluation)
    return loaded, assess(loaded.evaluation, profile, reading=loaded.findings, locator=loaded.locator)


def cmd_check(args) -> int:
    from .core.findings import has_errors
    from .present import findings_json, findings_text, suggestions_text

    loaded, assessed = _checked(args)
    if args.json:
        print(json.dumps(findings_json(assessed.findings), ensure_ascii=False, indent=2))
    else:
        print(findings_text(loaded.evaluation, assessed.findings, assessed.profile))
        if assessed.suggestions:
            print(suggestions_text(assessed.suggestions))
    return EXIT_FINDINGS if has_errors(assessed.findings) else EXIT_OK


def cmd_score(args) -> int:
    from .present import scores_json, scores_text

    loaded, assessed = _checked(args)
    if args.json:
        print(json.dumps(scores_json(assessed.scores, assessed.profile), ensure_ascii=False, indent=2))
    else:
        print(scores_text(loaded.evaluation, assessed.scores, assessed.profile))
    return EXIT_OK


def cmd_report(args) -> int:
    from .report.render import write_report

    loaded = _load(args.file)
    profile = _profile(args, loaded.evaluation)
    out = Path(args.output) if args.output else loaded.path.with_name(f"{loaded.path.stem}-自评报告.docx")
    result = write_report(loaded.evaluation, out, profile=profile, pdf=args.pdf, overwrite=args.force)
    print(f"已生成报告：{result.docx}")
    if result.pdf:
        print(f"已导出 PDF：{result.pdf}")
    if result.missing:
        print(f"报告中有 {len(result.missing)} 处【待填写】：" + "；".join(result.missing))
    return EXIT_OK


def _output(path, *, suffixes: tuple[str, ...], force: bool, source: Path | None = None) -> Path:
    """Check an output path before any work: its type, never the input, never over a file without --force."""
    from .fileio import InputError

    out = Path(path)
    if out.suffix.lower() not in suffixes:
        raise InputError(f"{out}：输出文件应以 {' 或 '.join(suffixes)} 结尾。")
    if source is not None and out.resolve() == Path(source).resolve():
        raise InputError("输出文件不能与输入文件相同：perfxl 从不改写用户的文件。")
    if out.exists() and not force:
        raise InputError(f"{out} 已存在，未覆盖。如确需覆盖，请加 --force。")
    return out


def cmd_new(args) -> int:
    from .workbook.builder import build_workbook

    path = build_workbook(None, _output(args.output, suffixes=(".xlsm",), force=args.force))
    print(f"已生成空白工作簿：{path}")
    return EXIT_OK


cmd_build = cmd_new  # the same blank workbook; "build" defaults to the product path


def cmd_fill(args) -> int:
    from .workbook.builder import build_workbook

    loaded = _load(args.file)
    path = build_workbook(loaded.evaluation, _output(args.output, suffixes=(".xlsm",), force=args.force,
                                                     source=loaded.path))
    print(f"已生成工作簿：{path}")
    return EXIT_OK


def cmd_export(args) -> int:
    from .fileio import write_data_file

    loaded = _load(args.file)
    out = _output(args.output, suffixes=(".json",), force=args.force, source=loaded.path)
    path = write_data_file(loaded.evaluation, out, overwrite=args.force)
    print(f"已导出数据文件：{path}")
    for finding in loaded.findings:
        print(f"  [{finding.severity}] {finding.where}：{finding.message}")
    from .core.findings import has_errors

    if has_errors(loaded.findings):
        print("注意：工作簿中有无法读取的内容（见上），导出的数据不完整。", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_batch(args) -> int:
    from .batch import run_batch, write_summary
    from .core.findings import Severity
    from .core.money import fmt_pct, fmt_score

    if args.output:
        _output(args.output, suffixes=(".xlsx", ".csv"), force=args.force)
    results = run_batch(args.paths, args.profile, output=args.output)
    base = Path(args.paths[0]) if len(args.paths) == 1 and Path(args.paths[0]).is_dir() else None
    failed = 0
    for r in results:
        if r.error:
            failed += 1
            print(f"[无法读取] {r.path}：{r.error}")
            continue
        errors = sum(1 for f in r.findings if f.severity is Severity.ERROR)
        failed += bool(errors)
        o = r.scores.overall
        print(f"[{'有错误' if errors else '通过'}] {r.path}：{r.department} {r.year or ''}年度 执行率 "
              f"{fmt_pct(o.execution_rate)}，自评 {fmt_score(o.self_total)}（{o.self_grade or '—'}），"
              f"规则 {fmt_score(o.rule_total)}（{o.grade}），错误 {errors} 项")
    if args.output:
        path = write_summary(results, args.output, base=base, overwrite=args.force)
        print(f"已写出汇总：{path}")
    print(f"共 {len(results)} 个文件，{len(results) - failed} 个通过，{failed} 个有错误或无法读取。")
    return EXIT_FINDINGS if failed else EXIT_OK


def cmd_schema(args) -> int:
    from .core.schema import evaluation_schema

    text = json.dumps(evaluation_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from .fileio import atomic_write

        atomic_write(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        print(f"已写出 JSON Schema：{args.output}")
    else:
        print(text, end="")
    return EXIT_OK


def cmd_profiles(args) -> int:
    from .core.profile import available_profiles, load_profile

    for name in available_profiles():
        profile = load_profile(name)
        print(f"{name}\t{getattr(profile, 'title', '')}")
    return EXIT_OK


def cmd_example(args) -> int:
    """The whole job on the bundled example: build, fill, check, score, report.

    The example has real 错误 (that is its point), so this command exits 0 when every
    step ran, whatever the checker found.
    """
    from .present import example_data_path
    from .report.pdf import find_soffice

    pdf = not args.no_pdf
    if pdf and not find_soffice():
        print("未找到 LibreOffice，本次只生成 Word 报告（安装 libreoffice-writer 后可导出 PDF）。")
        pdf = False
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    workbook = out / "hengshan-kexie-2023.xlsm"
    common = dict(file=workbook, profile=args.profile)
    steps = [
        ("生成空白工作簿", cmd_build, dict(output=out / "PerfEval.xlsm", force=True)),
        ("用示例数据填写工作簿", cmd_fill, dict(file=example_data_path(), output=workbook, force=True)),
        ("校验工作簿", cmd_check, dict(json=False, **common)),
        ("评分", cmd_score, dict(json=False, **common)),
        ("生成自评报告", cmd_report, dict(output=out / "自评报告.docx", pdf=pdf, force=True, **common)),
    ]
    for title, func, kwargs in steps:
        print(f"== {title}")
        func(argparse.Namespace(**kwargs))
    print(f"完成。所有输出在 {out}/ 中。")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="perfxl", description="部门整体支出绩效自评：校验、评分、生成工作簿与自评报告。")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def add(name, func, help_text, *, file=True, profile=False):
        p = sub.add_parser(name, help=help_text, description=help_text)
        if file:
            p.add_argument("file", metavar="FILE", help="数据文件（.json）或工作簿（.xlsm/.xlsx）")
        if profile:
            p.add_argument("--profile", "-p", help="评分方案（默认取文件中指定的方案）：default、strict 或 .toml 文件路径")
        p.set_defaults(func=func)
        return p

    p = add("check", cmd_check, "校验数据，列出全部问题（有“错误”时退出码为 1）", profile=True)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("score", cmd_score, "计算执行率、各指标规则得分、总分与等级", profile=True)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("report", cmd_report, "生成自评报告（Word，可选 PDF）", profile=True)
    p.add_argument("-o", "--output", help="输出的 .docx 路径（默认与输入文件同目录）")
    p.add_argument("--pdf", action="store_true", help="同时导出 PDF（需要 LibreOffice）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("build", cmd_build, "由 perfxl/workbook/macros/ 与代码生成空白工作簿 workbook/PerfEval.xlsm", file=False)
    p.add_argument("-o", "--output", default="workbook/PerfEval.xlsm", help="输出路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("new", cmd_new, "生成一个空白工作簿", file=False)
    p.add_argument("-o", "--output", required=True, help="输出的 .xlsm 路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("fill", cmd_fill, "用数据文件生成填好的工作簿（不改写任何已有工作簿）")
    p.add_argument("-o", "--output", required=True, help="输出的 .xlsm 路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("export", cmd_export, "把工作簿导出为 JSON 数据文件")
    p.add_argument("-o", "--output", required=True, help="输出的 .json 路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("batch", cmd_batch, "批量校验、评分一个或多个文件夹中的全部数据文件和工作簿，写出汇总表（财政局用）",
            file=False, profile=True)
    p.add_argument("paths", nargs="+", metavar="路径", help="文件夹或文件（.json/.xlsm/.xlsx）")
    p.add_argument("-o", "--output", help="汇总表路径（.xlsx 含“汇总”“问题清单”两表，或 .csv）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("schema", cmd_schema, "输出数据文件的 JSON Schema", file=False)
    p.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    add("profiles", cmd_profiles, "列出可用的评分方案", file=False)
    p = add("example", cmd_example, "在示例（衡山县科协 2023）上完整运行：生成工作簿、校验、评分、写报告",
            file=False, profile=True)
    p.add_argument("-o", "--output", default="out", help="输出文件夹（默认 out/）")
    p.add_argument("--no-pdf", action="store_true", help="不导出 PDF")
    return parser


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs startup time)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version())
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"perfxl {version('perfxl')}"
    except PackageNotFoundError:
        return "perfxl（未安装）"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_INPUT
    from .fileio import InputError

    try:
        return args.func(args)
    except InputError as exc:
        print(f"perfxl：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("perfxl：已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # "perfxl check … | head": the reader has gone; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # the user gets a sentence, never a traceback
        from .core.profile import ProfileError

        if isinstance(exc, ProfileError) or type(exc).__name__ in ("ReportError", "WorkbookError", "BuildError", "PartsError", "CapacityError"):
            print(f"perfxl：{exc}", file=sys.stderr)
            return EXIT_INPUT
        if os.environ.get("PERFXL_DEBUG"):
            raise
        print(f"perfxl：内部错误（{type(exc).__name__}: {exc}）。请设置 PERFXL_DEBUG=1 重试并把输出报告给开发者。",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

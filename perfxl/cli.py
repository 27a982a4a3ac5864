"""The ``perfxl`` command: everything the workbook's buttons do, without Excel.

A thin translator: each sub-command parses its arguments, calls one operation of the
application layer (``perfxl.app``) and prints.  Exit codes (``perfxl.errors``): 0 fine,
1 the checker found 错误, 2 an input cannot be read, an output cannot be written, a
setting or argument is wrong or an optional part is not installed, 3 a bug in perfxl,
130 interrupted (Ctrl+C).  Errors are told apart by class (``PerfxlError`` and its
``exit_code``), never by name.  A user never sees a traceback unless
``PERFXL_DEBUG=1`` is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cliargs import Parser, VersionAction, positive_float, positive_int
from .errors import EXIT_BUG, EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, PerfxlError, exit_code

if TYPE_CHECKING:
    from .app.assessing import Checked

EXIT_INPUT, EXIT_INTERNAL = EXIT_UNUSABLE, EXIT_BUG  # the names this module used before perfxl.errors
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl+C (128 + SIGINT)


def _checked(args: argparse.Namespace) -> Checked:
    from .app.assessing import assess_input

    return assess_input(args.file, args.profile)


def cmd_check(args: argparse.Namespace) -> int:
    from .core.findings import has_errors
    from .present import findings_json, findings_text, suggestions_text

    checked = _checked(args)
    assessed = checked.assessment
    if args.json:
        print(json.dumps(findings_json(assessed.findings), ensure_ascii=False, indent=2))
    else:
        print(findings_text(checked.loaded.evaluation, assessed.findings, assessed.profile))
        if assessed.suggestions:
            print(suggestions_text(assessed.suggestions))
    return EXIT_FINDINGS if has_errors(assessed.findings) else EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from .present import scores_json, scores_text

    checked = _checked(args)
    assessed = checked.assessment
    if args.json:
        print(json.dumps(scores_json(assessed.scores, assessed.profile), ensure_ascii=False, indent=2))
    else:
        print(scores_text(checked.loaded.evaluation, assessed.scores, assessed.profile))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .app.reports import report_input
    from .present import visible

    result = report_input(args.file, args.output, chosen=args.profile, pdf=args.pdf, force=args.force,
                          draft=args.draft, review=args.review)
    errors = [f for f in result.findings if str(f.severity) == "错误"]
    print(f"已生成{'草稿' if result.draft else '报告'}：{result.docx}")
    if result.draft and errors:
        print(f"数据中有 {len(errors)} 项错误，报告每页带“草稿”字样，不能报送；错误见校验说明。")
    if result.review:
        print(f"已生成校验说明：{result.review}")
    if result.pdf:
        print(f"已导出 PDF：{result.pdf}")
    if result.missing:
        print(visible(f"报告中有 {len(result.missing)} 处【待填写】：" + "；".join(result.missing)))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .app.workbooks import new_workbook

    macros = not getattr(args, "no_macros", False)
    if getattr(args, "from_file", None):
        from .app.nextyear import next_year_file

        made = next_year_file(args.from_file, args.output, force=args.force, macros=macros)
        print(f"已由上年数据生成下一年度{'数据文件' if made.suffix.lower() == '.json' else '工作簿'}：{made}")
        print("已沿用单位信息、职责、绩效目标和指标；上年决算数已移入“上年决算数”栏，本年数据待填写。")
        return EXIT_OK
    print(f"已生成空白工作簿{'' if macros else '（无宏版）'}：{new_workbook(args.output, force=args.force, macros=macros)}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from .app.nextyear import diff_inputs
    from .core.diff import change_json
    from .diffview import diff_lines

    changes = diff_inputs(args.old, args.new, args.profile)
    if args.json:  # every change, for programs
        print(json.dumps([change_json(c) for c in changes], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not changes:
        print("两个文件的数据相同，评分也相同。")
        return EXIT_OK
    print("\n".join(diff_lines(changes, Path(args.old).name, Path(args.new).name, everything=args.all)))
    return EXIT_OK


cmd_build = cmd_new  # the same blank workbook; "build" defaults to the product path


def cmd_fill(args: argparse.Namespace) -> int:
    from .app.workbooks import fill_workbook

    macros = not getattr(args, "no_macros", False)
    print(f"已生成工作簿{'' if macros else '（无宏版）'}：{fill_workbook(args.file, args.output, force=args.force, macros=macros)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .app.workbooks import export_data
    from .present import visible_lines

    exported = export_data(args.file, args.output, force=args.force)
    # the findings quote the workbook's text: shown visibly, never sent raw to the terminal
    print(visible_lines([f"已导出数据文件：{exported.path}"]
                        + [f"  [{finding.severity}] {finding.where}：{finding.message}" for finding in exported.findings]))
    if not exported.complete:
        print("注意：工作簿中有无法读取的内容（见上），导出的数据不完整。", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    import importlib.util

    from .app.extras import missing_extra
    from .app.inputs import check_output
    from .batch import FileResult, Limits, result_line, summarize
    from .batch.progress import Progress
    from .batch.state import default_state_path
    from .present import visible

    if args.output:
        check_output(args.output, suffixes=(".xlsx", ".csv"), force=args.force)
        # the "batch" extra is asked for as a whole, before the run (the .csv alone would need only the
        # standard library); imported after it, so the workers are forked from a lean parent
        for module in ("pandas", "xlsxwriter") if args.output.lower().endswith(".xlsx") else ("pandas",):
            if importlib.util.find_spec(module) is None:
                raise missing_extra("batch", "写出汇总表", module)
    state = args.state or (default_state_path(args.output) if args.output else None)
    if args.no_state:
        state = None
    progress: Progress | None = None

    def shown(record: FileResult, reused: bool) -> None:
        if progress is not None:
            progress.clear()
        print(visible(result_line(record)) + ("（未改动，沿用上次结果）" if reused else ""), flush=progress is not None)
        if progress is not None:
            progress.update(not record.passed)

    def started(total: int) -> None:
        nonlocal progress
        progress = Progress(total, enabled=False if args.quiet else None)

    limits = Limits(jobs=args.jobs, timeout=args.timeout, memory_mib=args.memory or None)
    try:
        outcome = summarize(args.paths, args.output, profile=args.profile, limits=limits, state=state,
                            overwrite=args.force, on_start=started, on_result=shown)
    finally:
        if progress is not None:
            progress.close()
    if outcome.output:
        print(f"已写出汇总：{outcome.output}")
    if outcome.changes is not None:
        print(f"与上次相比：{outcome.changes.text()}。")
    print(f"共 {outcome.total} 个文件，{outcome.total - outcome.failed} 个通过，{outcome.failed} 个有错误或无法读取。")
    return EXIT_FINDINGS if outcome.failed else EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    from .app.bundle import PYTHON_VERSIONS, make_bundle

    print(f"正在制作离线安装包（64 位 Windows，Python {'、'.join(PYTHON_VERSIONS)}），需要联网下载，约需几分钟……")
    folder = make_bundle(args.output, perfxl_whl=Path(args.perfxl_wheel) if args.perfxl_wheel else None, force=args.force)
    print(f"已生成安装包文件夹：{folder}")
    print(f"已生成压缩包：{folder.with_name(folder.name + '.zip')}")
    print("把压缩包拷到 Windows 电脑，解压后双击 install.cmd。")
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    from .app.setup import setup

    for line in setup(addin=args.addin, trust=args.trust, folder=Path(args.folder) if args.folder else None,
                      workbooks=Path(args.workbooks) if args.workbooks else None, dry_run=args.dry_run):
        print(line)
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from .app.doctor import doctor

    report = doctor(args.workbook)
    print("\n".join(report.lines()))
    return report.exit_code


def cmd_schema(args: argparse.Namespace) -> int:
    from .core.schema import evaluation_schema

    text = json.dumps(evaluation_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from .fileio import atomic_write

        # like every command that writes: an existing file only with --force, created exclusively otherwise
        atomic_write(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"), overwrite=args.force)
        print(f"已写出 JSON Schema：{args.output}")
    else:
        print(text, end="")
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace) -> int:
    """Each shipped profile: its name and one-line description, then its sources
    (``sources`` in the TOML file; a profile that lists none inherits its parent's)."""
    from .core.profile import available_profiles, load_profile

    for name in available_profiles():
        profile = load_profile(name)
        print(f"{name}\t{profile.title}")
        for source in profile.sources:
            print(f"  依据：{source}")
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    """The whole job on the bundled example: build, fill, check, score, report.

    The example has real 错误 (that is its point), so this command exits 0 when every
    step ran, whatever the checker found; its report is therefore a draft (``--draft``:
    marked 草稿, with the review document beside it).
    """
    from .app.reports import pdf_available
    from .present import example_data_path

    pdf = not args.no_pdf
    if pdf and not pdf_available():
        print("未找到 LibreOffice，本次只生成 Word 报告（安装 libreoffice-writer 后可导出 PDF）。")
        pdf = False
    out = Path(args.output)
    workbook = out / "hengshan-kexie-2023.xlsm"
    report = out / "自评报告.docx"
    # like every command: its outputs are replaced only with --force (run-example.sh passes it)
    outputs = [out / "PerfEval.xlsm", workbook, report, report.with_name("自评报告-校验说明.docx"),
               *([report.with_suffix(".pdf")] if pdf else [])]
    existing = [p.name for p in outputs if os.path.lexists(p)]
    if existing and not getattr(args, "force", False):
        from .errors import OutputExistsError

        raise OutputExistsError(f"{out} 中已有示例的输出（{'、'.join(existing)}），未覆盖。如确需覆盖，请加 --force。")
    out.mkdir(parents=True, exist_ok=True)
    common: dict[str, Any] = dict(file=workbook, profile=args.profile)
    steps: list[tuple[str, Callable[[argparse.Namespace], int], dict[str, Any]]] = [
        ("生成空白工作簿", cmd_build, dict(output=out / "PerfEval.xlsm", force=True)),
        ("用示例数据填写工作簿", cmd_fill, dict(file=example_data_path(), output=workbook, force=True)),
        ("校验工作簿", cmd_check, dict(json=False, **common)),
        ("评分", cmd_score, dict(json=False, **common)),
        ("生成自评报告（草稿）", cmd_report, dict(output=report, pdf=pdf, force=True, draft=True,
                                          review=True, **common)),
    ]
    for title, func, kwargs in steps:
        print(f"== {title}")
        func(argparse.Namespace(**kwargs))
    print(f"完成。所有输出在 {out}/ 中。")
    return EXIT_OK


NO_MACROS_HELP = "生成无宏版 .xlsx（表格相同，没有按钮、功能区和宏；供禁止宏的单位使用，校验评分用命令行）"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="perfxl", description="部门整体支出绩效自评：校验、评分、生成工作簿与自评报告。")
    parser.add_argument("--version", action=VersionAction, nargs=0, help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str, *, file: bool = True,
            profile: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if file:
            p.add_argument("file", metavar="FILE", help="数据文件（.json）或工作簿（.xlsm/.xlsx）")
        if profile:
            p.add_argument("--profile", "-p", help="评分方案：default、strict 或 .toml 文件路径（默认取文件中指定的方案；文件中只能指定内置方案）")
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
    p.add_argument("--draft", action="store_true",
                   help="数据有错误时仍生成报告：每页带“草稿”字样，错误列在校验说明中（默认有错误时不生成，退出码 1）")
    p.add_argument("--review", action="store_true",
                   help="同时生成校验说明（<报告名>-校验说明.docx）：评分复核、全部校验问题、表文一致核对")
    p = add("build", cmd_build, "由 perfxl/workbook/macros/ 与代码生成空白工作簿 workbook/PerfEval.xlsm", file=False)
    p.add_argument("-o", "--output", default="workbook/PerfEval.xlsm", help="输出路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("new", cmd_new, "生成一个空白工作簿，或由上年的工作簿/数据文件生成下一年度的工作簿（--from）", file=False)
    p.add_argument("-o", "--output", required=True,
                   help="输出的 .xlsm 路径（--no-macros 时为 .xlsx；与 --from 同用时也可为 .json）")
    p.add_argument("--from", dest="from_file", metavar="上年文件",
                   help="上年的工作簿或数据文件：沿用单位信息、职责、指标和目标，上年决算数移入“上年决算数”栏，本年数据留空")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.add_argument("--no-macros", action="store_true", help=NO_MACROS_HELP)
    p = add("diff", cmd_diff, "比较两个年度或两个版本的数据：数字、目标、分值、得分与等级的变化", file=False, profile=True)
    p.add_argument("old", metavar="A", help="原来的数据文件或工作簿（如上年）")
    p.add_argument("new", metavar="B", help="新的数据文件或工作簿（如本年）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（列出全部变化）")
    p.add_argument("--all", action="store_true", help="逐项列出右边为空或已删除的内容（默认只按表计数），长文字也全文显示")
    p = add("fill", cmd_fill, "用数据文件生成填好的工作簿（不改写任何已有工作簿）")
    p.add_argument("-o", "--output", required=True, help="输出的 .xlsm 路径（--no-macros 时为 .xlsx）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.add_argument("--no-macros", action="store_true", help=NO_MACROS_HELP)
    p = add("export", cmd_export, "把工作簿导出为 JSON 数据文件")
    p.add_argument("-o", "--output", required=True, help="输出的 .json 路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p = add("batch", cmd_batch, "批量校验、评分一个或多个文件夹中的全部数据文件和工作簿，写出汇总表（财政局用）",
            file=False, profile=True)
    p.add_argument("paths", nargs="+", metavar="路径", help="文件夹或文件（.json/.xlsm/.xlsx）")
    p.add_argument("-o", "--output", help="汇总表路径（.xlsx 含“汇总”“问题清单”“排名”“图表”，或只含汇总的 .csv）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.add_argument("--jobs", "-j", type=positive_int, default=0, metavar="N",
                   help="同时处理的进程数（默认：CPU 核数）")
    p.add_argument("--timeout", type=positive_float, default=60.0, metavar="秒",
                   help="每个文件的处理时间上限，超时的文件记为一行“超时”（默认 60 秒）")
    p.add_argument("--memory", type=positive_int, default=1024, metavar="MiB",
                   help="每个文件可用的内存上限（Linux；默认 1024 MiB，0 为不限）")
    p.add_argument("--state", metavar="FILE",
                   help="增量运行的状态文件（默认：汇总表旁的 <汇总表>.perfxl-state.jsonl）；未改动的文件不再重读")
    p.add_argument("--no-state", action="store_true", help="不读也不写状态文件，全部重新处理")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度行")
    p = add("bundle", cmd_bundle, "制作 Windows 离线安装包（64 位，Python 3.11–3.13；需联网下载依赖）", file=False)
    p.add_argument("-o", "--output", required=True, help="输出文件夹（同时生成同名 .zip）")
    p.add_argument("--perfxl-wheel", help="使用已有的 perfxl wheel 文件（默认由源码目录构建）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件夹")
    p = add("setup", cmd_setup, "在 Windows 上设置 Excel 使用本机的 perfxl（install.cmd 会自动运行）", file=False)
    p.add_argument("--folder", help="放工作簿的文件夹（默认“文档\\perfxl”）")
    p.add_argument("--workbooks", help="从该文件夹复制工作簿（.xlsm/.xlsx；已有的同名文件不覆盖）")
    p.add_argument("--addin", action="store_true", help="同时安装 xlwings 加载项（在自己的工作簿中使用 PERF_* 函数）")
    p.add_argument("--trust", action="store_true", help="把工作簿文件夹设为 Excel 的受信任位置（仅当前用户）")
    p.add_argument("--dry-run", action="store_true", help="只列出将要做的设置，不做任何更改")
    p = add("doctor", cmd_doctor, "检查本机环境能否使用工作簿（有异常时退出码为 1）", file=False)
    p.add_argument("workbook", nargs="?", metavar="工作簿", help="同时检查该工作簿（来自网络的标记、受信任位置、xlwings.conf 表）")
    p = add("schema", cmd_schema, "输出数据文件的 JSON Schema", file=False)
    p.add_argument("-o", "--output", help="写入文件（默认输出到屏幕）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    add("profiles", cmd_profiles, "列出可用的评分方案", file=False)
    p = add("example", cmd_example, "在示例（衡山县科协 2023）上完整运行：生成工作簿、校验、评分、写报告",
            file=False, profile=True)
    p.add_argument("-o", "--output", default="out", help="输出文件夹（默认 out/）")
    p.add_argument("--no-pdf", action="store_true", help="不导出 PDF")
    p.add_argument("--force", action="store_true", help="覆盖输出文件夹中上次运行示例的输出")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command *argv* (default: ``sys.argv[1:]``) and return its exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_UNUSABLE
        return func(args)
    except PerfxlError as exc:  # a known failure: its Chinese message and its class's exit code
        from .present import visible_lines

        print(visible_lines(f"perfxl：{exc}".split("\n")), file=sys.stderr)  # messages quote file names and data
        return exit_code(exc)
    except KeyboardInterrupt:
        print("perfxl：已中断（Ctrl+C），未完成的输出没有写入。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # "perfxl check … | head": the reader has gone; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: the user gets a sentence, never a traceback
        if os.environ.get("PERFXL_DEBUG"):
            raise
        from .present import visible_lines

        print(visible_lines(f"perfxl：内部错误（{type(exc).__name__}: {exc}）。请设置 PERFXL_DEBUG=1 重试并把输出报告给开发者。"
                            .split("\n")), file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

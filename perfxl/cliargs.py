"""The ``perfxl`` command's argument machinery, in Chinese: headings, help, argparse's own
error messages, the number types of options and ``--version``.

Split from ``cli.py`` (the sub-commands) so that each reads in one sitting.  A wrong
argument exits 2 with a Chinese sentence, like every other unusable input.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from .errors import EXIT_UNUSABLE

T = TypeVar("T")


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and help, and exit code 2 for a wrong argument."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False  # our own -h with a Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"perfxl：参数错误：{chinese(message)}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE)


#: argparse's own (English) error messages, in Chinese
_ARGPARSE_MESSAGES = (
    (r"argument (.*?): invalid (\w+) value: (.*)", r"参数 \1 的取值 \3 无效"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效，可选：\3"),
    (r"argument (.*?): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),  # our own types' Chinese reasons (positive_int …)
)


def chinese(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, chinese, message)
    return message


def _parsed(text: str, parse: Callable[[str], T], what: str) -> T:
    try:
        return parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是{what}") from None


def positive_int(text: str) -> int:
    """An option's count (--jobs, --memory): a whole number, 0 allowed (“default” or “no limit”)."""
    value = _parsed(text, int, "整数")
    if value < 0:
        raise argparse.ArgumentTypeError(f"“{text}”不能为负数")
    return value


def positive_float(text: str) -> float:
    """An option's duration (--timeout): a finite number above 0."""
    value = _parsed(text, float, "数字")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"“{text}”应为正数")
    return value


class VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs startup time)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"perfxl {version('perfxl')}"
    except PackageNotFoundError:
        return "perfxl（未安装）"

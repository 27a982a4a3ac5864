"""Files in and out: reading a data file or a workbook into the model, writing atomically.

The core never touches files; this module and the adapters in ``perfxl.workbook`` and
``perfxl.report`` do.

Reading: every input is vetted by ``perfxl.app.limits``/``zipvet`` first (a regular file, bounded
size, depth and package; see docs/limits.md), so ``load`` — and ``app.inputs.open_input``,
``perfxl.load``, batch, which all come here — never hangs on a FIFO nor runs out of memory
on a bomb.

Writing (``atomic_write``), decisions:

- Every write goes to a temporary file in the target folder, is flushed to disk
  (``fsync``: a full disk often shows only there) and moved into place in one step, so a
  crash never leaves half a file.  The temporary name is short (``.perfxl-XXXXXXXX`` plus
  at most 40 characters of the name and the suffix), so a long output name never makes it
  exceed the file system's NAME_MAX.
- Without ``overwrite`` the final name is *created* exclusively: ``os.link(tmp, final)``
  fails if *final* exists, even when another process created it a moment ago; so two
  processes racing for one output never both succeed.  Where hard links are not supported
  (FAT/exFAT sticks, some network shares) the name is reserved with ``O_CREAT | O_EXCL``
  and then replaced.  With ``overwrite`` it is ``os.replace``.
- Every ``OSError`` (no space, read-only or vanished folder, no permission, name too long)
  becomes an ``OutputError`` in Chinese naming the file; Ctrl+C becomes ``WriteInterrupted``
  (exit 130, the file named).  Either way the temporary file is removed.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .app.limits import DEFAULT_LIMITS, Limits, open_regular, read_json, shown
from .app.zipvet import vet_input
from .core.findings import Finding
from .core.model import Evaluation
from .core.serde import DataError, evaluation_from_dict, evaluation_to_dict
from .errors import InputError as _InputError
from .errors import InputLimitError, OutputError, OutputExistsError, WriteInterrupted
from .present import visible

WORKBOOK_SUFFIXES = (".xlsm", ".xlsx", ".xltm", ".xltx")


class InputError(_InputError):
    """A file perfxl cannot read at all (the command line exits 2). The message is Chinese."""


class OutputExists(InputError, OutputExistsError):
    """The output exists and may not be replaced.  Also a ``fileio.InputError``: batch and
    its tests caught it as one before ``perfxl.errors`` had ``OutputExistsError``."""


@dataclass
class Loaded:
    """What was read from one file.

    Attributes:
      evaluation: the model.
      findings: problems met while reading (text in number cells, missing sheets…).
      locator: model path → (sheet, cell) for a workbook; ``None`` for a data file.
      path: the file.
    """

    evaluation: Evaluation
    path: Path
    findings: list[Finding] = field(default_factory=list)
    locator: Callable[[str], tuple[str, str] | None] | None = None


def load_data_file(path: Path, limits: Limits | None = None) -> Evaluation:
    """The evaluation in the data file *path*, read within *limits* (``app.limits``)."""
    data = read_json(path, limits or DEFAULT_LIMITS)
    try:
        return evaluation_from_dict(data)
    except DataError as exc:
        raise InputError(f"{shown(path)}：字段 {visible(str(exc))}") from None  # the data's own text


def load(path: str | os.PathLike, limits: Limits | None = None) -> Loaded:
    """Read a data file (.json) or a workbook (.xlsm/.xlsx) into the model.

    Reading a workbook never runs its macros and never changes it.  Refused before
    parsing (``InputLimitError``/``NotRegularFileError``, exit 2): anything that is not a
    regular file, or exceeds *limits* (default: those of ``perfxl.app.limits``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES and suffix != ".json":
        open_regular_check(path)  # "not a file" says more than "wrong type" for a folder or FIFO
        if suffix in (".xls", ".et", ".ods", ".numbers"):
            raise InputError(f"{shown(path)}：perfxl 不能读取“{shown(path.suffix)}”格式的表格，"
                             "请在 Excel（或 WPS、LibreOffice）中另存为 .xlsm 或 .xlsx 后再试。")
        raise InputError(f"{shown(path)}：不支持的文件类型“{shown(path.suffix)}”，请使用 .json 数据文件或 .xlsm/.xlsx 工作簿。")
    if suffix == ".json":
        return Loaded(load_data_file(path, limits), path)
    vetted = vet_input(path, limits or DEFAULT_LIMITS)
    from .workbook.reader import (  # openpyxl: imported only when needed
        WorkbookError,
        read_workbook,
    )

    data, kept = (vetted.data, vetted.parts) if vetted is not None else (None, None)
    try:  # the copy vetted is the copy read (``Vetted``)
        evaluation, findings, locator = read_workbook(path, data=data, kept=kept)
    except WorkbookError as exc:
        raise InputError(str(exc)) from None
    except MemoryError:
        raise InputLimitError(f"{shown(path)}：工作簿太大，读取时内存不足。请删除多余的内容后另存。") from None
    return Loaded(evaluation, path, findings, locator)


def open_regular_check(path: Path) -> None:
    """Raise ``NotRegularFileError`` unless *path* is a readable regular file."""
    os.close(open_regular(path))


#: the temporary file: ".perfxl-XXXXXXXX.<up to 40 characters of the stem>.<suffix>"
TEMP_PREFIX = ".perfxl-"
TEMP_STEM_CHARS = 40
TEMP_SUFFIX_BYTES = 16


def temp_name_parts(path: Path) -> tuple[str, str]:
    """(prefix, suffix) for ``mkstemp`` beside *path*: short whatever *path*'s length, so
    the temporary name fits NAME_MAX (255 bytes) when the final name does, and keeps the
    suffix (the writers of .xlsx/.docx/.csv look at it)."""
    stem = path.stem[:TEMP_STEM_CHARS]
    while len(os.fsencode(stem)) > 3 * TEMP_STEM_CHARS:
        stem = stem[:-1]
    suffix = path.suffix if len(os.fsencode(path.suffix)) <= TEMP_SUFFIX_BYTES else ""
    return f"{TEMP_PREFIX}{stem}.", suffix


def atomic_write(
    path: str | os.PathLike,
    content: bytes | Callable[[Path], object],
    *,
    overwrite: bool = True,
    check: Callable[[Path], None] | None = None,
) -> Path:
    """Write *content* (bytes, or a function that writes the given temporary path) beside
    *path*, run *check* on the finished temporary file, then move it to *path* in one step.

    The one write path of perfxl: a crash, Ctrl+C or a failed *check* leaves the old file
    as it was and no temporary file behind.  With ``overwrite=False`` an existing *path*
    (even one another process creates meanwhile) is an ``OutputExists`` and nothing is
    written; an OS error (no space, no permission, name too long) is an ``OutputError``
    naming the file; Ctrl+C is ``WriteInterrupted``.
    """
    path = Path(path)
    if not overwrite and os.path.lexists(path):
        raise OutputExists(_exists_message(path))
    tmp_path: Path | None = None
    placed = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix, suffix = temp_name_parts(path)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
        tmp_path = Path(tmp)
        try:
            if isinstance(content, bytes):
                _write_all(fd, content)
        finally:
            os.close(fd)
        if not isinstance(content, bytes):
            content(tmp_path)
        if check is not None:
            check(tmp_path)
        _fsync(tmp_path)
        # mkstemp makes the file private; an output is a document like any other
        os.chmod(tmp_path, _mode_of(path))
        if overwrite:
            os.replace(tmp_path, path)
        elif not _create_exclusively(tmp_path, path):
            raise OutputExists(_exists_message(path))
        placed = True
    except OSError as exc:  # no space, no permission, a folder in the way or gone
        raise cannot_write(path, exc) from exc
    except KeyboardInterrupt:
        if placed:  # the output is complete: an ordinary interruption, nothing to undo
            raise
        raise WriteInterrupted(f"写入 {shown(path)} 时被中断（Ctrl+C）：该文件未写入（原有文件未改动），临时文件已删除。") from None
    finally:
        if tmp_path is not None:
            _remove(tmp_path)
    return path


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EROFS):  # some file systems cannot sync
            raise
    finally:
        os.close(fd)


def _mode_of(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o644


def _create_exclusively(tmp: Path, path: Path) -> bool:
    """*tmp* becomes *path* if *path* does not exist; ``False`` (nothing done) if it does."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # no hard links here: reserve the name, then move the finished file over it
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            return False
        try:
            os.replace(tmp, path)
        except BaseException:
            _remove(path)
            raise
    else:
        _remove(tmp)
    return True


_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS,
                  getattr(errno, "ENOTSUP", errno.EPERM), getattr(errno, "EOPNOTSUPP", errno.EPERM)}


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:  # a vanished folder, a read-only medium: nothing more we can do
        pass


def _exists_message(path: Path) -> str:
    return f"{shown(path)} 已存在，未覆盖。如确需覆盖，请加 --force。"


#: what the user reads for an OS error while writing (strerror is English)
_WRITE_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个文件夹",
    errno.EDQUOT: "超出磁盘配额，请清理后重试",
    errno.EACCES: "没有写入权限，请换一个文件夹或检查权限",
    errno.EPERM: "没有写入权限，请换一个文件夹或检查权限",
    errno.EROFS: "文件夹所在的磁盘是只读的，请换一个文件夹",
    errno.ENOENT: "文件夹不存在或已被删除，请检查输出路径",
    errno.ENOTDIR: "路径中有一部分不是文件夹，请检查输出路径",
    errno.EISDIR: "同名的文件夹已存在，请换一个文件名",
    errno.ENAMETOOLONG: "文件名过长，请用短一些的文件名",
    errno.EIO: "磁盘写入错误（U 盘被拔出或磁盘故障？）",
    errno.EBUSY: "文件正被其他程序占用，请关闭后重试",
    errno.ETXTBSY: "文件正被其他程序占用，请关闭后重试",
}


def cannot_write(path: Path, exc: OSError) -> OutputError:
    """The ``OutputError`` for *exc* met while writing *path*, in Chinese."""
    reason = _WRITE_REASONS.get(exc.errno or 0) or f"系统错误 {exc.errno or ''}（{exc.strerror or exc}）"
    return OutputError(f"无法写入文件 {shown(path)}：{reason}。")


_cannot_write = cannot_write  # the name this module used before


def write_data_file(evaluation: Evaluation, path: str | os.PathLike, *, overwrite: bool = True) -> Path:
    text = json.dumps(evaluation_to_dict(evaluation), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), overwrite=overwrite)

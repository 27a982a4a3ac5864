"""The Windows parts of ``perfxl setup`` and ``perfxl doctor``, behind one small interface.

``Platform`` is all that setup and doctor ask of the machine beyond ordinary files:
the environment (``%USERPROFILE%``, ``%APPDATA%``), the current user's registry hive
(HKEY_CURRENT_USER: get, set, list sub-keys), the Mark of the Web (the
``Zone.Identifier`` alternate data stream) and the ANSI code page that VBA reads text
files in.  Files themselves are read and written with ``pathlib`` everywhere.

* ``WindowsPlatform``: the real one; ``winreg`` is imported only when the registry is
  used, so this module imports on every system.
* ``FakePlatform``: a dict for the registry, a set for the marks, a folder of the
  caller's for the user's home; the tests run the whole setup and doctor on Linux
  against it and assert what would have been written.
* ``current_platform()``: the real one on Windows, ``None`` elsewhere (the callers say
  that a check or step applies only on Windows).

Sources:
* The Mark of the Web is the ``Zone.Identifier`` alternate data stream (ZoneId=3 for
  the internet); deleting the stream is what "解除锁定" (Unblock) in the file's
  properties and PowerShell's ``Unblock-File`` do.  Office 2203 and later block macros
  in such files outright (learn.microsoft.com/deployoffice/security/internet-macros-blocked).
  On NTFS the stream is opened as ``"<file>:Zone.Identifier"``; on a FAT or network
  drive there is no stream (and no mark).
* VBA's ``Open … For Input`` / ``Input #`` (which xlwings' ``GetConfigFromFile`` uses)
  reads in the system's ANSI code page (cp936 on a Chinese Windows): Python's
  ``"mbcs"`` codec is that code page.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

#: the key (under HKEY_CURRENT_USER) of Excel 2016/2019/2021/365's security settings
EXCEL_SECURITY = r"Software\Microsoft\Office\16.0\Excel\Security"
#: the same, set by group policy (wins over the user's own setting)
EXCEL_POLICY_SECURITY = r"Software\Policies\Microsoft\Office\16.0\Excel\Security"
TRUSTED_LOCATIONS = EXCEL_SECURITY + r"\Trusted Locations"
MARK_STREAM = "Zone.Identifier"

RegValue = str | int


class Platform(Protocol):
    """What setup and doctor need of Windows (see the module docstring)."""

    windows: bool
    ansi_encoding: str

    def environ(self, name: str) -> str | None: ...

    def home(self) -> Path: ...

    def reg_get(self, key: str, name: str) -> RegValue | None: ...

    def reg_set(self, key: str, name: str, value: RegValue) -> None: ...

    def reg_subkeys(self, key: str) -> list[str]: ...

    def has_mark(self, path: Path) -> bool: ...

    def remove_mark(self, path: Path) -> bool: ...


def _winreg() -> Any:
    """``winreg``, imported when used (typeshed declares its names only for win32, so Any here)."""
    return importlib.import_module("winreg")


class WindowsPlatform:
    """The real Windows: ``os.environ``, ``winreg`` on HKEY_CURRENT_USER, NTFS streams."""

    windows = True
    ansi_encoding = "mbcs"

    def environ(self, name: str) -> str | None:
        return os.environ.get(name)

    def home(self) -> Path:
        return Path(os.environ.get("USERPROFILE") or Path.home())

    def reg_get(self, key: str, name: str) -> RegValue | None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as k:
                value, _kind = winreg.QueryValueEx(k, name)
        except OSError:
            return None
        return value if isinstance(value, (str, int)) else str(value)

    def reg_set(self, key: str, name: str, value: RegValue) -> None:
        winreg = _winreg()
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_WRITE) as k:
            if isinstance(value, int):
                winreg.SetValueEx(k, name, 0, winreg.REG_DWORD, value)
            else:
                winreg.SetValueEx(k, name, 0, winreg.REG_SZ, value)

    def reg_subkeys(self, key: str) -> list[str]:
        winreg = _winreg()
        out = []
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as k:
                i = 0
                while True:
                    try:
                        out.append(winreg.EnumKey(k, i))
                    except OSError:
                        break
                    i += 1
        except OSError:
            return []
        return out

    def has_mark(self, path: Path) -> bool:
        return os.path.exists(f"{path}:{MARK_STREAM}")  # False on FAT and network drives: no streams there

    def remove_mark(self, path: Path) -> bool:
        try:
            os.remove(f"{path}:{MARK_STREAM}")
        except OSError:  # no such stream, or a drive without streams
            return False
        return True


@dataclass
class FakePlatform:
    """A Windows for the tests: *root* holds the user's home; the registry is a dict
    {(key, name): value}; *marks* are the files carrying the Mark of the Web."""

    root: Path
    user: str = "张三"
    registry: dict[tuple[str, str], RegValue] = field(default_factory=dict)
    marks: set[Path] = field(default_factory=set)
    env: dict[str, str] = field(default_factory=dict)
    windows: bool = True
    ansi_encoding: str = "cp936"

    def environ(self, name: str) -> str | None:
        defaults = {"USERPROFILE": str(self.home()), "APPDATA": str(self.home() / "AppData" / "Roaming"),
                    "LOCALAPPDATA": str(self.home() / "AppData" / "Local"), "USERNAME": self.user}
        return self.env.get(name, defaults.get(name))

    def home(self) -> Path:
        return self.root / "Users" / self.user

    def reg_get(self, key: str, name: str) -> RegValue | None:
        return next((v for (k, n), v in self.registry.items() if k.lower() == key.lower() and n == name), None)

    def reg_set(self, key: str, name: str, value: RegValue) -> None:
        same = next((k for k, _ in self.registry if k.lower() == key.lower()), key)  # keys ignore case
        self.registry[(same, name)] = value

    def reg_subkeys(self, key: str) -> list[str]:
        prefix = key.lower() + "\\"
        subs = {k[len(prefix):].split("\\")[0] for k, _ in self.registry if k.lower().startswith(prefix)}
        return sorted(subs)

    def has_mark(self, path: Path) -> bool:
        return Path(path) in self.marks

    def remove_mark(self, path: Path) -> bool:
        if Path(path) in self.marks:
            self.marks.discard(Path(path))
            return True
        return False

    def value(self, key: str, name: str) -> RegValue | None:
        """The registry value (tests)."""
        return self.reg_get(key, name)


def current_platform() -> Platform | None:
    """The real Windows platform, or ``None`` on any other system."""
    return WindowsPlatform() if sys.platform == "win32" else None


def ansi_safe(text: str, platform: Platform) -> bool:
    """Whether *text* can be written in the platform's ANSI code page (VBA reads it so)."""
    try:
        text.encode(platform.ansi_encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True

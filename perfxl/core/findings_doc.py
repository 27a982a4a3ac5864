"""``python -m perfxl.core.findings_doc > docs/findings.md``: the table of finding codes.

A module of its own (not ``codes.py``'s ``__main__``) because importing perfxl already
imports ``codes``, and running an imported module as ``__main__`` makes Python warn.
"""

from __future__ import annotations

import sys

from .codes import markdown

if __name__ == "__main__":
    sys.stdout.write(markdown())

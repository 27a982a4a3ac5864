"""Splicing long runs of WordprocessingML into a written .docx, a piece at a time.

Issue 11 (large departments): a report with 300 附件三, or a review document with
thousands of findings, must not sit in memory as one Jinja string or one lxml tree.
The documents are built with their small parts (python-docx, docxtpl) and a marker —
a processing instruction ``<?perfxl-NAME?>``, which no department text can produce,
since text is always escaped — where a long part goes; ``splice`` then rewrites the
saved file, writing each marker's pieces one by one into ``word/document.xml``.

Decisions: the other entries of the package are copied unchanged, in their order and
with their compression; a marker found twice gets its pieces once (the pieces are a
generator); a marker not found leaves the file as it was.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping

DOCUMENT = "word/document.xml"


def mark(name: str) -> str:
    """The marker text for *name* (letters, digits and "-" only)."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ValueError(f"bad marker name {name!r}")
    return f"<?perfxl-{name}?>"


_MARK = re.compile(rb"<\?perfxl-([A-Za-z0-9-]+) ?\?>")  # lxml writes a space before "?>" when it made the instruction


def splice(docx: bytes, pieces: Mapping[str, Iterable[str]]) -> bytes:
    """*docx* with each marker ``mark(name)`` of ``word/document.xml`` replaced by the
    strings of ``pieces[name]``, written one at a time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != DOCUMENT or b"<?perfxl-" not in data:
                zout.writestr(info, data)
                continue
            parts = _MARK.split(data)  # text, name, text, name, …, text
            done: set[str] = set()
            with zout.open(info, "w", force_zip64=True) as stream:
                for i, part in enumerate(parts):
                    if i % 2 == 0:
                        stream.write(part)
                        continue
                    name = part.decode()
                    if name in done:
                        continue
                    done.add(name)
                    for piece in pieces.get(name, ()):
                        stream.write(piece.encode())
    return out.getvalue()

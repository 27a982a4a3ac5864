"""How full each page of a PDF is, measured on page images (pdftoppm).

The measure: a page is rendered in grey at 30 dpi; a pixel row is *inked* when it holds a
pixel darker than ``INK`` (160 of 255).  The fill of a page is the height from the top of
its text area to its last inked row inside the text area, divided by the text area's
height.  The text area is the page less the GB/T 9704 margins of ``make_template.py``
(portrait 37/35 mm top/bottom, landscape 28/26 mm; it ends above the page number,
``FOOTER_TOP_MM``), so the page number and a header do not count, and the 草稿 watermark (grey #C8C8C8, lighter than
``INK``) does not either.  Chosen over pdftotext line counts because a table row, a
line of 三号 text and a blank line all count by the height they take on paper.
"""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from perfxl.report.make_template import FOOTER_DISTANCE_MM, LANDSCAPE_MARGINS, MARGINS

INK = 160
DPI = 30
#: the page number (四号, "— 1 —") stands FOOTER_DISTANCE_MM above the page's bottom edge
#: and is about 7 mm tall: on a landscape page it reaches into the text area, so the
#: measured area ends above it
FOOTER_TOP_MM = FOOTER_DISTANCE_MM + 7


@dataclass(frozen=True)
class Page:
    number: int
    landscape: bool
    fill: float  # 0 … 1 of the text area's height
    text: str  # pdftotext of the page


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields: list[bytes] = []
    i = 0
    while len(fields) < 4:  # magic, width, height, maxval; comments are not written by pdftoppm
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    assert fields[0] == b"P5", fields[0]
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[i + 1:]


def page_fills(pdf: Path, work: Path) -> list[Page]:
    """Every page of *pdf* with its fill (see the module docstring)."""
    prefix = work / "fill"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(prefix)], check=True)
    pages = []
    for n, image in enumerate(sorted(work.glob("fill-*.pgm")), 1):
        width, height, pixels = _pgm(image)
        landscape = width > height
        margins = LANDSCAPE_MARGINS if landscape else MARGINS
        page_mm = 210 if landscape else 297
        top = round(height * margins["top"] / page_mm)
        bottom = round(height * (page_mm - max(margins["bottom"], FOOTER_TOP_MM)) / page_mm)
        inked = [r for r in range(top, bottom) if min(pixels[r * width:(r + 1) * width]) < INK]
        fill = (inked[-1] - top + 1) / (bottom - top) if inked else 0.0
        text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages.append(Page(n, landscape, fill, text))
        image.unlink()
    return pages


def last_of_section(pages: list[Page]) -> set[int]:
    """The pages that end a section: the cover, the last body page (before the landscape
    annexes) and each annex's last page (the one before the next "附件…" page), the last page."""
    ends = {1, pages[-1].number}
    for page, following in itertools.pairwise(pages):
        if not page.landscape and following.landscape:
            ends.add(page.number)
        if following.landscape and following.text.lstrip().startswith("附件"):
            ends.add(page.number)
    return ends

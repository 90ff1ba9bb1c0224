"""Read a rendered document as a person sees it: the words of each page with their positions
(pdftotext -bbox) and the page as pixels (pdftoppm), and Word files laid out by LibreOffice.

Needs poppler-utils and LibreOffice (libreoffice-writer-nogui). Tests skip without them unless
REQUIRE_LIBREOFFICE is set (.ci/run sets it: there they must run).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

MM = 72 / 25.4  # PDF points per millimetre
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r"<page ")


def require(*programs: str) -> None:
    """Skip (or fail, under REQUIRE_LIBREOFFICE) when a program is missing."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: apt-get install poppler-utils libreoffice-writer-nogui"
    if os.environ.get("REQUIRE_LIBREOFFICE"):
        pytest.fail(message)
    pytest.skip(message + "; .ci/run requires them")


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x0: float  # millimetres from the page's left edge
    y0: float  # millimetres from the page's top edge
    x1: float
    y1: float


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its box in millimetres."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    found = []
    for page, chunk in enumerate(_PAGE.split(out)[1:], start=1):
        for x0, y0, x1, y1, text in _WORD.findall(chunk):
            found.append(Word(html.unescape(text), page, float(x0) / MM, float(y0) / MM, float(x1) / MM,
                              float(y1) / MM))
    return found


def line_of(all_words: list[Word], phrase: str, page: int = 1) -> list[Word]:
    """The words of phrase, in order, as they stand on page (consecutive words of the text)."""
    wanted = phrase.split()
    on_page = [w for w in all_words if w.page == page]
    for start in range(len(on_page) - len(wanted) + 1):
        if [w.text for w in on_page[start:start + len(wanted)]] == wanted:
            return on_page[start:start + len(wanted)]
    raise AssertionError(f"{phrase!r} is not on page {page}: {' '.join(w.text for w in on_page)[:1500]}")


@lru_cache(maxsize=32)
def dark_runs(pdf: Path, *, page: int = 1, dpi: int = 100, down_to_mm: float = 130) -> tuple:
    """Horizontal rules drawn on the page's top down_to_mm: (y, x0, x1) in millimetres of every
    row of pixels holding a dark run at least 8 mm long (no letter makes one that long)."""
    from PIL import Image

    prefix = pdf.parent / f"{pdf.stem}-p{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-png",
                    "-singlefile", str(pdf), str(prefix)], check=True, timeout=60)
    image = Image.open(f"{prefix}.png").convert("L")
    per_mm = dpi / 25.4
    width = image.size[0]
    rows = min(image.size[1], int(down_to_mm * per_mm))
    data = image.tobytes()
    run = re.compile(rb"[\x00-\x7f]{%d,}" % int(8 * per_mm))
    found = []
    for y in range(rows):
        for match in run.finditer(data, y * width, (y + 1) * width):
            found.append((y / per_mm, (match.start() - y * width) / per_mm, (match.end() - y * width) / per_mm))
    return tuple(found)


def docx_to_pdf(files: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Lay the Word files out with LibreOffice headless, in one run; name -> PDF."""
    require("soffice", "pdftotext", "pdftoppm")
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, data in files.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        sources.append(str(path))
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(folder), *sources],
        check=True, capture_output=True, timeout=240,
    )
    out = {name: folder / f"{name}.pdf" for name in files}
    missing = [name for name, path in out.items() if not path.exists()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return out

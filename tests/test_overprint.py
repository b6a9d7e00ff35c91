"""Black text over a tint must not knock the tint out: rendered by Ghostscript,
plate by plate (skipped where Ghostscript is not installed)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.render import _ink

FONT = Path(__file__).resolve().parent.parent / "fonts" / "LXGWWenKai-Regular.ttf"
GS = shutil.which("gs")


def _cyan_holes(tmp: Path, overprint: bool) -> int:
    """Pixels of a full cyan tint left without cyan under 60 pt black text."""
    if "OverprintTest" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("OverprintTest", str(FONT)))
    pdf = tmp / f"op-{overprint}.pdf"
    c = Canvas(str(pdf), pagesize=(200, 100), enforceColorSpace="cmyk")
    _ink(c, (1, 0, 0, 0))
    c.rect(0, 0, 200, 100, fill=1, stroke=0)
    if overprint:
        _ink(c, (0, 0, 0, 1))          # what the renderer does for black text
    else:
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFillOverprint(False)
    c.setFont("OverprintTest", 60)
    c.drawString(10, 20, "国国国")
    c.save()
    out = tmp / f"op-{overprint}-%d.tif"
    subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                    "-dOverprint=/enable", "-r72", f"-sOutputFile={out}", str(pdf)], check=True)
    plate = Image.open(tmp / f"op-{overprint}-1(Cyan).tif").convert("L")
    w, h = plate.size
    px = plate.load()
    return sum(1 for x in range(w) for y in range(h) if px[x, y] > 128)   # 255: no ink


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
def test_black_text_overprints_a_tint(tmp_path):
    assert _cyan_holes(tmp_path, overprint=True) == 0


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
def test_control_knockout_black_text_does_open_the_tint(tmp_path):
    # shows the measurement can fail: without overprint the text knocks out cyan
    assert _cyan_holes(tmp_path, overprint=False) > 500

#!/usr/bin/env python3
"""Regenerate the README's pictures from the sample issue.

    python tools/readme_pictures.py

Builds issues/2025-03-09.yaml and writes:

    docs/page1.png    page 1 at 60 dpi
    docs/page2.png    page 2 at 60 dpi
    docs/closeup.png  page 1 at 200 dpi, cropped to a headline and its columns
    docs/photo-example.png  page 1 of issues/photo-example.yaml at 60 dpi

Pages are rendered with pypdfium2 (layout.preview.pdf_to_pngs). Each PNG is
reduced to a small palette so it stays well under 400 KB. Run it in the
project's environment (pip install -e '.[test]'). It uses the usual font
cache (LAYOUT_CACHE_DIR, else ~/.cache/layout).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

from layout.build import build
from layout.compose import make_grid
from layout.model import load_issue
from layout.preview import pdf_to_pngs
from layout.style import find_style, load_style

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
PHOTO_EXAMPLE = ROOT / "issues" / "photo-example.yaml"
DOCS = ROOT / "docs"

PAGE_DPI = 60
CLOSEUP_DPI = 200
# The close-up is page 1's lead module and the module under it (see
# closeup_box). If page 1 has no module under the lead, this box is used
# instead, as fractions of the page (left, top, right, bottom):
FALLBACK_BOX = (0.20, 0.205, 0.80, 0.44)
BODY_ROWS = 12
COLOURS = 64          # palette size: text is black, the masthead red, plus anti-aliasing


def save_small(img: Image.Image, dest: Path, colours: int = COLOURS) -> None:
    """Save as an optimised palette PNG (a fraction of the size of RGB)."""
    img.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT,
                                dither=Image.Dither.NONE).save(dest, optimize=True)
    print(f"{dest.relative_to(ROOT)}: {img.width}×{img.height}, {dest.stat().st_size // 1024} KB")


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="readme-pictures-") as tmp:
        tmp = Path(tmp)
        pdf = tmp / "2025-03-09.pdf"
        pages = build(SAMPLE, pdf)
        if len(pages) < 2:
            print(f"error: the sample has {len(pages)} page(s); the README shows two", file=sys.stderr)
            return 1
        small = pdf_to_pngs(pdf, tmp / "60dpi", PAGE_DPI)
        for i in (1, 2):
            with Image.open(small[i - 1]) as img:
                save_small(img, DOCS / f"page{i}.png")
        big = pdf_to_pngs(pdf, tmp / "200dpi", CLOSEUP_DPI)
        with Image.open(big[0]) as img:
            w, h = img.size
            left, top, right, bottom = closeup_box(pages[0])
            crop = img.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))
            save_small(crop, DOCS / "closeup.png")
        pdf = tmp / "photo-example.pdf"
        build(PHOTO_EXAMPLE, pdf)
        with Image.open(pdf_to_pngs(pdf, tmp / "photos", PAGE_DPI)[0]) as img:
            save_small(img, DOCS / "photo-example.png", 256)     # photos need more colours
    return 0


def closeup_box(page) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the close-up on page 1, as fractions of the page.

    The lead's columns, from its top to BODY_ROWS grid lines into the module
    under it (the lead headline, the rule, the next headline and its text).
    """
    if len(page.modules) < 2:
        return FALLBACK_BOX
    style = load_style(find_style(load_issue(SAMPLE).paper, SAMPLE))
    g = make_grid(style, -0.12)          # em_bottom does not move grid lines
    lead = min(page.modules, key=lambda m: (m.first_line, m.column))
    below = [m for m in page.modules if m.first_line > lead.first_line
             and m.column < lead.column + lead.columns and lead.column < m.column + m.columns]
    if not below:
        return FALLBACK_BOX
    second = min(below, key=lambda m: m.first_line)
    x0 = g.column_x(lead.column) - g.gutter / 2
    x1 = g.column_x(lead.column + lead.columns - 1) + g.column_width + g.gutter / 2
    y0 = g.line_top(page.body_top + lead.first_line) + g.pitch / 2
    y1 = g.line_top(page.body_top + second.first_line + min(second.lines, BODY_ROWS))
    return (x0 / page.width, 1 - y0 / page.height, x1 / page.width, 1 - y1 / page.height)


if __name__ == "__main__":
    sys.exit(main())

"""Rendering: composed pages -> PDF with ReportLab, fonts embedded, all colour CMYK.

The PDF is written to a temporary file beside the target and renamed over it
only when complete, so a failed build never replaces the last good PDF.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .compose import ComposedPage
from .images import draw_image
from .setting import HALF_FACE
from .style import HouseStyle


def _utf16_hex(cp: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants (surrogates past U+FFFF)."""
    return cp.to_bytes(4, "big").hex().upper()[4:] if cp < 0x10000 else \
        chr(cp).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset) -> str:
    """ToUnicode CMap for one ReportLab font subset.

    ReportLab writes every code point as 4 hex digits, so a rare name character
    beyond U+FFFF (王𫖮) extracts as a wrong character; write UTF-16 instead.
    """
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
            f"/CMapName /{fontname} def", "/CMapType 2 def",
            "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange"]
    body = []
    codes = list(enumerate(subset))
    for k in range(0, len(codes), 100):        # at most 100 entries a block (PDF spec)
        chunk = codes[k:k + 100]
        body.append(f"{len(chunk)} beginbfchar")
        body += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in chunk]
        body.append("endbfchar")
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _register(fonts) -> dict[str, str]:
    """ReportLab font name for each prepared face."""
    names = {}
    for name, face in fonts.faces.items():
        for key, path in ((name, face.subset_path), (name + HALF_FACE, face.half_path)):
            if path is None:
                continue
            rl_name = f"L-{path.stem}"
            try:
                pdfmetrics.getFont(rl_name)
            except KeyError:
                pdfmetrics.registerFont(TTFont(rl_name, str(path)))
            names[key] = rl_name
    return names


def render(pages: list[ComposedPage], style: HouseStyle, fonts, out: Path, *,
           title: str = "", em_bottom_of: dict[str, float] | None = None) -> None:
    names = _register(fonts)
    first_font = next(iter(names.values()))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=".pdf")
    os.close(fd)
    try:
        w, h = pages[0].width, pages[0].height
        # initialFontName: ReportLab's page preamble would otherwise select Helvetica
        c = Canvas(tmp, pagesize=(w, h), enforceColorSpace="cmyk", initialFontName=first_font,
                   initialFontSize=9, pageCompression=1, trimBox=(0, 0, w, h))
        c.setTitle(title)
        c.setAuthor(style.masthead.publisher)
        c.setSubject(title)
        c.setCreator("layout")
        colors = {k: tuple(v / 100 for v in cmyk) for k, cmyk in style.colors.items()}
        # draft-mode overset notes: the style's "overset" colour, else the masthead red
        colors.setdefault("overset", colors.get("masthead", (0.0, 1.0, 1.0, 0.0)))
        shift = _baseline_shift(fonts)
        for page in pages:
            _draw_page(c, page, names, colors, shift)
            c.showPage()
        c.save()
        os.chmod(tmp, 0o666 & ~_umask())    # mkstemp made it private; a PDF is for sharing
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _baseline_shift(fonts) -> dict[str, float]:
    """Per face, in ems: move its baseline so its em box matches the first face's."""
    faces = list(fonts.faces.values())
    ref = faces[0].em_bottom
    return {f.name: ref - f.em_bottom for f in faces}


def _draw_page(c: Canvas, page: ComposedPage, names, colors, shift) -> None:
    for img in page.images:
        draw_image(c, img)
    for r in page.rules:
        c.setStrokeColorCMYK(*colors[r.color])
        c.setLineWidth(r.width)
        c.line(r.x0, r.y0, r.x1, r.y1)
    current = None
    for pl in page.lines:
        if pl.color != current:
            c.setFillColorCMYK(*colors[pl.color])
            current = pl.color
        t = c.beginText()
        for run in pl.line.runs:
            t.setFont(names[run.face], pl.size)
            base_face = run.face.removesuffix(HALF_FACE)
            t.setTextOrigin(pl.x + run.x, pl.y + shift.get(base_face, 0.0) * pl.size)
            t.textOut(run.text)
        c.drawText(t)

"""Rendering: composed pages -> PDF with ReportLab, fonts embedded, all colour CMYK."""
from __future__ import annotations

from pathlib import Path

from math import log

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from .cidfont import CIDTrueType
from .compose import ComposedPage
from .images import draw_image
from .setting import HALF_FACE
from .style import MM, HouseStyle


_LOG_10 = log(10.0)
_FORMATS = tuple(f"%.{n}f" for n in range(7))


def fp_str(x: float) -> str:
    """One number as ReportLab's fp_str writes it (the same text: at most 6
    significant digits, no trailing zeros, no leading 0 before the point),
    without its handling of sequences: a page writes thousands of them."""
    a = abs(x)
    if a <= 1e-7:
        return "0"
    digits = 6 if a <= 1 else min(max(0, 6 - int(log(a) / _LOG_10)), 6)
    text = _FORMATS[digits] % x
    if digits:
        text = text.rstrip("0")
        if text[-1] == ".":
            text = text[:-1]
    return text[1:] if text[0] == "0" and len(text) > 1 else text


class _Text(PDFTextObject):
    """A text object for one set line, its glyph runs drawn by show_runs, its
    numbers written by fp_str (the same text as ReportLab's)."""

    def setTextOrigin(self, x: float, y: float) -> None:
        self._code.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm")    # bottom-up canvas
        self._x0 = self._x = x
        self._y0 = self._y = y

    def show_runs(self, runs, size: float) -> None:
        """Draw runs (ReportLab font name, x, y, text), x and y absolute in pt.

        Runs on one baseline in one face share one text matrix and one TJ array
        of 2-byte codes (layout/cidfont.py): a run after the first is moved to its x
        by the array's number (thousandths of the size, leftward), computed from
        where the glyphs before it end as the PDF's /W advances them, so every
        glyph lands where setting put it. A run on another baseline (a fallback
        face's shift) or in another face starts a text matrix of its own. (The
        setter's runs are a glyph each on a justified line: drawn a run at a time,
        each with its own font selection and matrix, the sample's two pages were
        21,000 text operators for the printer's tools to read; in 256-glyph
        subsets, 6,500; in one font a face, about 2,000.)
        """
        canv = self._canvas
        doc, code = canv._doc, self._code
        # no TL (setFont's leading): nothing here moves by it (no T*, ' or "), and it
        # was a quarter of the page's operators for the printer's tools to read
        size_ops = f"{fp_str(size)} Tf"
        # each character's code (hex) and advance, asked once per document (a page
        # is ~7,000 runs of a glyph)
        glyphs = canv.__dict__.setdefault("_layout_glyphs", {})
        parts: list[str] = []

        def flush() -> None:
            if parts:
                code.append(f"[{''.join(parts)}] TJ")
                parts.clear()

        name = y0 = pen = font = None
        for run_font, x, y, text in runs:
            if run_font != name or y != y0:
                flush()
                if run_font != name:
                    name, font = run_font, pdfmetrics.getFont(run_font)
                    code.append(f"{font.internal_name(doc)} {size_ops}")
                self.setTextOrigin(x, y)
                y0, pen = y, x
            elif x != pen:
                adjust = fp_str((pen - x) * 1000 / size)
                if adjust != "0":
                    parts.append(f" {adjust} ")
            advance = 0.0
            hexes = []
            for ch in text:
                known = glyphs.get((name, ch))
                if known is None:
                    known = glyphs[(name, ch)] = (font.codes(ch, doc),
                                                  font.stringWidth(ch, 1000.0))
                hexes.append(known[0])
                advance += known[1]
            if parts and parts[-1][-1:] == ">":
                parts[-1] = parts[-1][:-1] + "".join(hexes) + ">"   # one string per stretch
            else:
                parts.append(f"<{''.join(hexes)}>")
            pen = x + advance * size / 1000.0
        flush()
        self._fontname, self._fontsize, self._leading = name, size, size * 1.2
        self._curSubset = -1


def _register(fonts) -> dict[str, str]:
    """ReportLab font name for each prepared face."""
    names = {}
    for name, face in fonts.faces.items():
        for key, path in ((name, face.subset_path), (name + HALF_FACE, face.half_path)):
            if path is None:
                continue
            rl_name = f"L-{path.stem}"
            # (not getFont(): for an unknown name it searches the disk for AFM files)
            if rl_name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(CIDTrueType(rl_name, str(path)))
            names[key] = rl_name
    return names


def render(pages: list[ComposedPage], style: HouseStyle, fonts, path: Path, *,
           title: str = "", slug: str = "") -> None:
    """Draw the pages into a PDF at path (the caller makes the write atomic).

    The page is the trimmed A3 sheet; with the printer's bleed and marks the
    sheet grows around it (MediaBox), the TrimBox stays the A3 page and the
    BleedBox is the trim plus the bleed. Black (K-only) text and rules
    overprint, so a misregistered plate cannot open white hairlines.
    """
    spec = style.print
    credits = style.text["credits"].fonts
    # (not face_for: that would build a face's whole coverage set for one character)
    slug_face = next((n for n in credits if not fonts.faces[n].lacks("第")), credits[0])
    # the subsets to embed: the glyphs these pages set, made now (after composition)
    fonts.use_pages(pages)
    if spec.marks:      # the slug line, drawn as outlines from its face's subset
        fonts.use(slug_face, style.masthead.name + "第期版" + "".join(map(chr, range(0x20, 0x7F))))
    fonts.prepare()
    names = _register(fonts)
    first_font = next(iter(names.values()))
    bleed = spec.bleed_mm * MM
    off = bleed + (MARKS_MM * MM if spec.marks else 0.0)
    w, h = pages[0].width, pages[0].height
    boxes = {"trimBox": (off, off, off + w, off + h)}
    if bleed:
        boxes["bleedBox"] = (off - bleed, off - bleed, off + w + bleed, off + h + bleed)
    # initialFontName: ReportLab's page preamble would otherwise select Helvetica
    c = Canvas(str(path), pagesize=(w + 2 * off, h + 2 * off), enforceColorSpace="cmyk",
               initialFontName=first_font, initialFontSize=9, pageCompression=1, **boxes)
    c.setTitle(title)
    c.setAuthor(style.masthead.publisher)
    c.setSubject(title)
    c.setCreator("layout")
    colors = {k: tuple(v / 100 for v in cmyk) for k, cmyk in style.colors.items()}
    # draft-mode overset notes: the style's "overset" colour, else the masthead red
    colors.setdefault("overset", colors.get("masthead", (0.0, 1.0, 1.0, 0.0)))
    shift = _baseline_shift(fonts)
    photo_settings = None
    if any(page.photos for page in pages):
        from .photos import PhotoSettings
        photo_settings = PhotoSettings.from_style(style)
    for page in pages:
        c.saveState()
        c.translate(off, off)
        _draw_page(c, page, names, colors, shift, photo_settings)
        c.restoreState()
        if spec.marks:
            _marks(c, off, bleed, w, h, f"{slug}  第{page.number}版", fonts.faces[slug_face])
        c.showPage()
    # binary (Flate only) streams: ASCII85 on top of them costs time and a quarter
    # more bytes, and nothing reads the PDF as 7-bit text
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        c.save()
    finally:
        rl_config.useA85 = a85


# Room outside the bleed for crop and registration marks and the slug line.
MARKS_MM = 10.0
REGISTRATION = (1.0, 1.0, 1.0, 1.0)     # marks print on every plate
K_ONLY = (0.0, 0.0, 0.0, 1.0)


def _marks(c: Canvas, off: float, bleed: float, w: float, h: float, slug: str, font_face) -> None:
    """Crop marks at the trim corners, registration targets, a slug line (outside the bleed)."""
    c.saveState()
    _ink(c, REGISTRATION)
    c.setLineWidth(0.25)
    length = 5 * MM
    gap = bleed + 1 * MM                 # marks start beyond the bleed
    for x, dx in ((off, -1), (off + w, 1)):
        for y, dy in ((off, -1), (off + h, 1)):
            c.line(x + dx * gap, y, x + dx * (gap + length), y)
            c.line(x, y + dy * gap, x, y + dy * (gap + length))
    r = 2.5 * MM
    for cx, cy in ((off + w / 2, off - gap - r - 1), (off + w / 2, off + h + gap + r + 1),
                   (off - gap - r - 1, off + h / 2), (off + w + gap + r + 1, off + h / 2)):
        c.circle(cx, cy, r * 0.6)
        c.line(cx - r, cy, cx + r, cy)
        c.line(cx, cy - r, cx, cy + r)
    _ink(c, K_ONLY)
    _outlined_text(c, slug, font_face, off + 10 * MM, off - gap - 4 * MM, SLUG_SIZE)
    c.restoreState()


SLUG_SIZE = 6.0


def _outlined_text(c: Canvas, text: str, face, x: float, y: float, size: float) -> None:
    """Text drawn as glyph outlines: the slug sits outside the trim, and the
    printer's checks count text there as misplaced; as artwork it is not text.
    Characters the face's subset lacks are left out (a slug is a label)."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.subset_path), lazy=True)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    path = c.beginPath()

    class Pen(BasePen):
        def _moveTo(self, pt):
            path.moveTo(x + pt[0] * scale, y + pt[1] * scale)

        def _lineTo(self, pt):
            path.lineTo(x + pt[0] * scale, y + pt[1] * scale)

        def _curveToOne(self, p1, p2, p3):
            path.curveTo(*(v for pt in (p1, p2, p3)
                           for v in (x + pt[0] * scale, y + pt[1] * scale)))

        def _closePath(self):
            path.close()

    for ch in text:
        name = cmap.get(ord(ch))
        if name is None:
            continue
        glyphs[name].draw(Pen(glyphs))
        x += glyphs[name].width * scale
    c.drawPath(path, stroke=0, fill=1)


def _ink(c: Canvas, cmyk: tuple[float, float, float, float]) -> None:
    """Set fill and stroke colour; K-only black overprints, anything else knocks out."""
    c.setFillColorCMYK(*cmyk)
    c.setStrokeColorCMYK(*cmyk)
    black = cmyk[:3] == (0.0, 0.0, 0.0) and cmyk[3] > 0
    c.setFillOverprint(black)
    c.setStrokeOverprint(black)
    c.setOverprintMask(black)


def _baseline_shift(fonts) -> dict[str, float]:
    """Per face, in ems: move its baseline so its em box matches the first face's."""
    faces = list(fonts.faces.values())
    ref = faces[0].em_bottom
    return {f.name: ref - f.em_bottom for f in faces}


def _draw_page(c: Canvas, page: ComposedPage, names, colors, shift, photo_settings=None
               ) -> None:
    for img in page.images:
        draw_image(c, img)
    for ph in page.photos:           # converted for the press (cached), then drawn
        from .photos import draw_photo, press_photo

        img = press_photo(ph.file, ph.crop, ph.width, ph.height, mono=ph.mono,
                          settings=photo_settings)
        draw_photo(c, img, ph.x, ph.y, ph.width, ph.height)
    current = None
    for r in page.rules:
        if r.color != current:
            _ink(c, colors[r.color])
            current = r.color
        c.setLineWidth(r.width)
        c.line(r.x0, r.y0, r.x1, r.y1)
    for pl in page.lines:
        if pl.color != current:
            _ink(c, colors[pl.color])
            current = pl.color
        t = _Text(c)
        t.show_runs([(names[run.face], pl.x + run.x,
                      pl.y + shift.get(run.face.removesuffix(HALF_FACE), 0.0) * pl.size,
                      run.text) for run in pl.line.runs], pl.size)
        c.drawText(t)

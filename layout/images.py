"""Pictures on the page (for now the paper's logo): sizes, and drawing in CMYK.

A logo may be PNG, JPEG or SVG. Print wants CMYK only and no transparency, so
raster images are flattened onto white paper and converted to CMYK (a black or
grey one on K only, a coloured one by the GCR formula of layout/photos.py), and
SVG shapes are drawn with CMYK colours (opacity flattened onto white).

Every logo either draws or fails with one InputError line that names the file,
in bounded memory and time:

- A raster's size is read from its header before any pixel is decoded; above
  MAX_PIXELS it is refused. Below it the picture is decoded once (a JPEG at
  the smallest DCT scale that still gives TARGET_PPI) and reduced strip by
  strip to TARGET_PPI as placed, so only the decoded file and a small copy are
  ever in memory.
- An SVG larger than MAX_SVG_BYTES is refused before parsing. svglib reads
  it; its shapes (paths, rectangles, circles, ellipses, lines, polygons, with
  clipping) are drawn here with the canvas's own path operators, never through
  ReportLab's graphics renderer, which selects Helvetica (an unembedded font)
  and sets transparency. Text, embedded pictures and gradients are refused
  (convert text to outlines). Sizes must be finite and positive, and every
  coordinate finite.
"""
from __future__ import annotations

import logging
import math
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .errors import InputError

log = logging.getLogger(__name__)

# Rasters: refuse above this many pixels (decoding costs up to 4 bytes a pixel,
# so 25 MP is at most 100 MB). The masthead's logo box is about 4,100 x 800
# pixels at TARGET_PPI, so the limit leaves room for any sensible master file.
MAX_PIXELS = 25_000_000
TARGET_PPI = 600                 # rasters are reduced to this as placed, never below
STRIP_ROWS = 256                 # rows of the decoded raster converted at a time
RASTER_FORMATS = ("PNG", "JPEG")

# SVG: refuse files above this size before parsing, files with more elements
# than this before svglib reads them (it takes about 0.2 ms an element), and
# drawings with more path segments than this.
MAX_SVG_BYTES = 1_000_000
MAX_SVG_ELEMENTS = 5_000
MAX_SVG_SEGMENTS = 100_000
SVG_SIZE_PT = (0.01, 1e6)        # a drawing's width and height must lie in this range


def image_size(path: Path) -> tuple[float, float]:
    """Natural size in pt (SVG) or px (raster; only the aspect ratio matters)."""
    if path.suffix.lower() == ".svg":
        return _svg(path).size
    w, h, _ = _header(path)
    return w, h


def draw_image(canvas, img) -> None:
    """Draw a PlacedImage on a ReportLab canvas."""
    if img.path.suffix.lower() == ".svg":
        _draw_svg(canvas, _svg(img.path), img)
    else:
        from reportlab.lib.utils import ImageReader

        want = (_pixels_for(img.width), _pixels_for(img.height))
        canvas.drawImage(ImageReader(_raster(img.path, want)), img.x, img.y,
                         img.width, img.height)


def _pixels_for(pt: float) -> int:
    return max(1, math.ceil(pt / 72 * TARGET_PPI))


# -- rasters -------------------------------------------------------------------------------------

def _open(path: Path):
    """The file opened lazily (header only), Pillow's own pixel limit off: ours applies."""
    try:
        from PIL import Image
    except ImportError as err:  # pragma: no cover - Pillow is a dependency
        raise InputError(f"raster logo {path} needs Pillow") from err
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Image.open(path, formats=RASTER_FORMATS)
    except Image.UnidentifiedImageError as err:
        raise InputError(f"cannot read the logo {path}: not a PNG, JPEG or SVG file") from err
    except Exception as err:  # noqa: BLE001 - Pillow raises many kinds on bad headers
        raise InputError(f"cannot read the logo {path}: {_why(err)}") from err
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _why(err: Exception) -> str:
    return " ".join(str(err).split()) or type(err).__name__


@lru_cache(maxsize=8)
def _header(path: Path) -> tuple[int, int, str]:
    """Width, height and mode from the header; no pixels decoded. Refuses oversized files."""
    with _open(path) as im:
        w, h = im.size
        mode = im.mode
    if w < 1 or h < 1:
        raise InputError(f"cannot read the logo {path}: it is {w} x {h} pixels")
    if w * h > MAX_PIXELS:
        raise InputError(
            f"the logo {path} is {w} x {h} pixels ({w * h / 1e6:.0f} megapixels); the limit is "
            f"{MAX_PIXELS / 1e6:g} megapixels and the masthead needs no more than "
            f"{TARGET_PPI} ppi as placed: save a smaller copy")
    return w, h, mode


@lru_cache(maxsize=2)
def _raster(path: Path, want: tuple[int, int]):
    """The picture in CMYK, flattened onto white, reduced to about want pixels (not less)."""
    from PIL import Image

    w, h, _ = _header(path)
    try:
        with _open(path) as im:
            if im.format == "JPEG":      # decode at 1/2, 1/4 or 1/8 scale when that is enough
                im.draft(im.mode, (min(w, want[0]), min(h, want[1])))
            im.load()
            fx = max(1, im.width // want[0])
            fy = max(1, im.height // want[1])
            out = None
            step = fy * max(1, STRIP_ROWS // fy)
            for top in range(0, im.height, step):
                strip = _flat(im.crop((0, top, im.width, min(im.height, top + step))))
                if fx > 1 or fy > 1:
                    strip = strip.reduce((fx, fy))
                if out is None:
                    out = Image.new(strip.mode, (strip.width, -(-im.height // fy)))
                out.paste(strip, (0, top // fy))
                del strip
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - truncated or corrupt data, any decoder error
        raise InputError(f"cannot read the logo {path}: {_why(err)}") from err
    return _to_cmyk(out)


def _to_cmyk(im):
    """RGB (flattened) in CMYK: a grey picture (every pixel's R, G and B within a few levels)
    on K only, K = 1 - grey; a coloured one by the photos' GCR formula (at most 220 % ink).
    Pillow's own RGB to CMYK puts black on C, M and Y at 100 % each (300 %) and no K."""
    if im.mode == "CMYK":
        return im
    from .photos import grey_to_k, is_grey, separate

    rgb = im.convert("RGB")
    if is_grey(rgb):
        return grey_to_k(rgb.convert("L"))
    return separate(rgb)


def _flat(strip):
    """A strip as RGB (or CMYK as it is), any transparency composited onto white paper."""
    from PIL import Image

    if strip.mode == "CMYK":
        return strip
    if strip.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):   # 16-bit grey
        strip = strip.convert("I").point(lambda v: v / 256).convert("L")
    if strip.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in strip.info:
        strip = strip.convert("RGBA")
        paper = Image.new("RGBA", strip.size, (255, 255, 255, 255))
        strip = Image.alpha_composite(paper, strip)      # no transparency in print files
    return strip.convert("RGB")


# -- SVG -----------------------------------------------------------------------------------------

class _Vector:
    """An SVG drawing as a display list in the drawing's own coordinates (y up).

    items: ("save",), ("restore",), ("clip", segments, even_odd) and
    ("paint", segments, fill, stroke, even_odd), where a segment is
    ("m", x, y), ("l", x, y), ("c", x1, y1, x2, y2, x3, y3) or ("h",), fill a
    CMYK tuple or None and stroke None or (cmyk, width, cap, join, miter, dash).
    """

    def __init__(self, size: tuple[float, float], items: list):
        self.size = size
        self.items = items


@lru_cache(maxsize=8)
def _svg(path: Path) -> _Vector:
    try:
        from svglib.svglib import svg2rlg
    except ImportError as err:  # pragma: no cover - svglib is a dependency
        raise InputError(f"SVG logo {path} needs the svglib package") from err
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(f"cannot read the SVG logo {path}: {_why(err)}") from err
    if size > MAX_SVG_BYTES:
        raise InputError(f"the SVG logo {path} is {-(-size // 1000)} KB; the limit is "
                         f"{MAX_SVG_BYTES // 1000} KB: simplify its paths or save a smaller copy")
    _count_elements(path)
    records: list[logging.LogRecord] = []
    try:
        with _held_logs("svglib", records):
            drawing = svg2rlg(str(path), external_reference_root=str(path.parent))
    except Exception as err:  # noqa: BLE001 - lxml and svglib raise many kinds on bad files
        raise InputError(f"cannot read the SVG logo {path}: {_why(err)}") from err
    if drawing is None:
        raise InputError(f"cannot read the SVG logo {path}: not an SVG file")
    for record in records:           # a logo that reads: pass on what svglib noticed
        if record.levelno >= logging.WARNING:
            log.warning("%s: %s", path, record.getMessage())
    w, h = drawing.width, drawing.height
    low, high = SVG_SIZE_PT
    if not all(isinstance(v, (int, float)) and math.isfinite(v) and low <= v <= high
               for v in (w, h)):
        raise InputError(f"the SVG logo {path} has width {w} and height {h}; both must be "
                         f"numbers from {low:g} to {high:g} (set width, height or viewBox "
                         f"on its <svg> element)")
    flattener = _Flattener(path)
    flattener.node(drawing, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), {})
    if not any(item[0] == "paint" for item in flattener.items):
        raise InputError(f"the SVG logo {path} draws nothing (no filled or stroked shapes)")
    return _Vector((float(w), float(h)), flattener.items)


def _count_elements(path: Path) -> None:
    """Refuse an SVG with too many elements before svglib spends seconds on it."""
    from lxml import etree

    parser = etree.XMLParser(remove_comments=True, recover=True, resolve_entities=False,
                             no_network=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except Exception as err:  # noqa: BLE001 - lxml raises several kinds on bad files
        raise InputError(f"cannot read the SVG logo {path}: {_why(err)}") from err
    if root is None:
        raise InputError(f"cannot read the SVG logo {path}: not an SVG file")
    count = sum(1 for _ in root.iter())
    if count > MAX_SVG_ELEMENTS:
        raise InputError(f"the SVG logo {path} has {count} elements; the limit is "
                         f"{MAX_SVG_ELEMENTS}: combine its paths or simplify it")


_KAPPA = 0.5522847498307936      # control-point distance of a quarter circle as a Bézier


def _mul(m, n):
    """Affine matrix product m * n ((a, b, c, d, e, f) as in PDF and ReportLab)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _rgb_to_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return tuple((1 - v - k) / (1 - k) for v in (r, g, b)) + (k,)


class _Flattener:
    """Walks an svglib drawing into a _Vector display list, refusing what print cannot take."""

    STYLE = ("fillColor", "strokeColor", "strokeWidth", "strokeLineCap", "strokeLineJoin",
             "strokeMiterLimit", "strokeDashArray", "fillOpacity", "strokeOpacity", "fillMode")

    def __init__(self, path: Path):
        self.path = path
        self.items: list = []
        self.segments = 0

    def fail(self, what: str) -> InputError:
        return InputError(f"the SVG logo {self.path} {what}")

    def node(self, node, m, inherited: dict) -> None:
        from reportlab.graphics import shapes

        own = vars(node)
        state = dict(inherited)
        state.update({k: own[k] for k in self.STYLE if k in own})
        if isinstance(node, shapes.Group):           # the Drawing too
            transform = tuple(getattr(node, "transform", None) or (1, 0, 0, 1, 0, 0))
            m = _mul(m, self.finite(transform))
            self.items.append(("save",))
            for child in node.contents:
                self.node(child, m, state)
            self.items.append(("restore",))
            return
        if isinstance(node, shapes.String):
            if not str(node.text).strip():
                return
            raise self.fail(f"has text ({str(node.text).strip()[:20]!r}); convert its text to "
                            f"outlines (paths) in the drawing program")
        if isinstance(node, shapes.Image):
            raise self.fail("has an embedded picture; a logo must be paths only")
        if isinstance(node, shapes.Path):
            segs = self.path_segments(node)
            if getattr(node, "isClipPath", 0):
                self.items.append(("clip", self.transform(segs, m), self.even_odd(state)))
                return
        elif isinstance(node, shapes.Rect):
            segs = self.rect(*self.finite((node.x, node.y, node.width, node.height,
                                           node.rx or 0, node.ry or 0)))
        elif isinstance(node, shapes.Circle):
            cx, cy, r = self.finite((node.cx, node.cy, node.r))
            segs = self.ellipse(cx, cy, r, r)
        elif isinstance(node, shapes.Ellipse):
            segs = self.ellipse(*self.finite((node.cx, node.cy, node.rx, node.ry)))
        elif isinstance(node, shapes.Line):
            x1, y1, x2, y2 = self.finite((node.x1, node.y1, node.x2, node.y2))
            segs = [("m", x1, y1), ("l", x2, y2)]
            state["fillColor"] = None
        elif isinstance(node, (shapes.Polygon, shapes.PolyLine)):
            pts = self.finite(node.points)
            if len(pts) < 4:
                return
            segs = [("m", pts[0], pts[1])] + [("l", pts[i], pts[i + 1])
                                              for i in range(2, len(pts) - 1, 2)]
            if isinstance(node, shapes.Polygon):
                segs.append(("h",))
            else:
                state["fillColor"] = None            # as ReportLab draws a polyline
        else:
            kind = type(node).__name__
            if "Gradient" in kind:
                raise self.fail("has a gradient; a logo must use flat colours")
            raise self.fail(f"has an element this tool cannot draw ({kind})")
        self.paint(segs, m, state)

    def paint(self, segs, m, state) -> None:
        if not segs:
            return
        # svglib has already folded fill-opacity into the fill colour's alpha (and made
        # an rgba() alpha the stroke-opacity when none is given)
        fill = self.cmyk(state.get("fillColor"), None)
        stroke = None
        width = state.get("strokeWidth", 1)
        colour = self.cmyk(state.get("strokeColor"), state.get("strokeOpacity"))
        if colour is not None and width:
            scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
            dash = state.get("strokeDashArray")
            phase = 0.0
            if dash and isinstance(dash, (list, tuple)) and len(dash) == 2 and \
                    isinstance(dash[1], (list, tuple)):
                phase, dash = dash
            dash = tuple(v * scale for v in self.finite(dash)) if dash else None
            if dash and not any(dash):
                dash = None
            stroke = (colour, self.finite((width,))[0] * scale,
                      state.get("strokeLineCap", 0), state.get("strokeLineJoin", 0),
                      self.miter(state.get("strokeMiterLimit")),
                      (dash, self.finite((phase,))[0] * scale) if dash else None)
        if fill is None and stroke is None:
            return
        self.items.append(("paint", self.transform(segs, m), fill, stroke, self.even_odd(state)))

    @staticmethod
    def miter(value) -> float:
        """The miter limit; SVG's default 4 when unset (svglib leaves ReportLab's 0)."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            return 4.0
        return value if math.isfinite(value) and value >= 1 else 4.0

    @staticmethod
    def even_odd(state) -> bool:
        from reportlab.graphics.shapes import FILL_EVEN_ODD

        return state.get("fillMode", FILL_EVEN_ODD) in (FILL_EVEN_ODD, "evenodd", "even-odd")

    def cmyk(self, col, opacity):
        """A colour as CMYK, its opacity (else its alpha) flattened onto white paper;
        None: no paint."""
        from reportlab.lib.colors import CMYKColor, Color

        if col is None or not isinstance(col, Color):
            return None
        alpha = opacity if opacity is not None else getattr(col, "alpha", 1)
        alpha = 1 if alpha is None else alpha
        if isinstance(col, CMYKColor):
            values = (col.cyan, col.magenta, col.yellow, col.black)
        else:
            values = _rgb_to_cmyk(col.red, col.green, col.blue)
        values = self.finite(tuple(values) + (alpha,))
        alpha = min(1.0, max(0.0, values[4]))
        if alpha <= 0:
            return None
        return tuple(min(1.0, max(0.0, v)) * alpha for v in values[:4])

    def finite(self, values) -> tuple:
        try:
            out = tuple(float(v) for v in values)
        except (TypeError, ValueError) as err:
            raise self.fail(f"has a value that is not a number ({values!r:.40})") from err
        if not all(math.isfinite(v) for v in out):
            raise self.fail("has a coordinate or size that is not a finite number (NaN or "
                            "infinity)")
        return out

    def path_segments(self, node) -> list:
        from reportlab.graphics.shapes import _CLOSEPATH, _CURVETO, _LINETO, _MOVETO

        pts = self.finite(node.points)
        segs, i = [], 0
        for op in node.operators:
            if op == _MOVETO:
                segs.append(("m",) + pts[i:i + 2])
                i += 2
            elif op == _LINETO:
                segs.append(("l",) + pts[i:i + 2])
                i += 2
            elif op == _CURVETO:
                segs.append(("c",) + pts[i:i + 6])
                i += 6
            elif op == _CLOSEPATH:
                segs.append(("h",))
            if len(segs[-1]) not in (1, 3, 7):
                raise self.fail("has a path with missing coordinates")
        if segs and segs[0][0] != "m":
            raise self.fail("has a path that does not start with a move")
        return segs

    @staticmethod
    def rect(x, y, w, h, rx, ry) -> list:
        if w <= 0 or h <= 0:
            return []
        rx, ry = min(abs(rx), w / 2), min(abs(ry), h / 2)
        if not rx or not ry:
            return [("m", x, y), ("l", x + w, y), ("l", x + w, y + h), ("l", x, y + h), ("h",)]
        kx, ky = rx * _KAPPA, ry * _KAPPA
        x1, y1 = x + w, y + h
        return [("m", x + rx, y), ("l", x1 - rx, y),
                ("c", x1 - rx + kx, y, x1, y + ry - ky, x1, y + ry), ("l", x1, y1 - ry),
                ("c", x1, y1 - ry + ky, x1 - rx + kx, y1, x1 - rx, y1), ("l", x + rx, y1),
                ("c", x + rx - kx, y1, x, y1 - ry + ky, x, y1 - ry), ("l", x, y + ry),
                ("c", x, y + ry - ky, x + rx - kx, y, x + rx, y), ("h",)]

    @staticmethod
    def ellipse(cx, cy, rx, ry) -> list:
        if rx <= 0 or ry <= 0:
            return []
        kx, ky = rx * _KAPPA, ry * _KAPPA
        return [("m", cx + rx, cy),
                ("c", cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry),
                ("c", cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy),
                ("c", cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry),
                ("c", cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy), ("h",)]

    def transform(self, segs, m) -> list:
        self.segments += len(segs)
        if self.segments > MAX_SVG_SEGMENTS:
            raise self.fail(f"has more than {MAX_SVG_SEGMENTS} path segments; simplify it")
        a, b, c, d, e, f = m
        out = []
        for seg in segs:
            xy = seg[1:]
            out.append((seg[0],) + tuple(
                v for i in range(0, len(xy), 2)
                for v in (a * xy[i] + c * xy[i + 1] + e, b * xy[i] + d * xy[i + 1] + f)))
        if not all(math.isfinite(v) for seg in out for v in seg[1:]):
            raise self.fail("has a coordinate that is not a finite number once transformed")
        return out


@contextmanager
def _held_logs(name: str, records: list):
    """Keep a library's log records instead of printing them (an error is one line)."""
    logger = logging.getLogger(name)
    handler = logging.Handler()
    handler.emit = records.append
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _draw_svg(canvas, vec: _Vector, img) -> None:
    """The display list mapped onto the placed box, with the canvas's own path operators."""
    sx, sy = img.width / vec.size[0], img.height / vec.size[1]
    x0, y0 = img.x, img.y
    line_scale = math.sqrt(abs(sx * sy))

    def build(segs):
        p = canvas.beginPath()
        for seg in segs:
            op = seg[0]
            if op == "h":
                p.close()
                continue
            xy = [x0 + sx * v if i % 2 == 0 else y0 + sy * v for i, v in enumerate(seg[1:])]
            if op == "m":
                p.moveTo(*xy)
            elif op == "l":
                p.lineTo(*xy)
            else:
                p.curveTo(*xy)
        return p

    from reportlab.pdfgen.canvas import FILL_EVEN_ODD, FILL_NON_ZERO

    canvas.saveState()
    for item in vec.items:
        kind = item[0]
        if kind == "save":
            canvas.saveState()
        elif kind == "restore":
            canvas.restoreState()
        elif kind == "clip":
            canvas.clipPath(build(item[1]), stroke=0, fill=0,
                            fillMode=FILL_EVEN_ODD if item[2] else FILL_NON_ZERO)
        else:
            _, segs, fill, stroke, even_odd = item
            if fill is not None:
                canvas.setFillColorCMYK(*fill)
                canvas.setFillOverprint(_k_only(fill))    # as text: black overprints
            if stroke is not None:
                colour, width, cap, join, miter, dash = stroke
                canvas.setStrokeColorCMYK(*colour)
                canvas.setStrokeOverprint(_k_only(colour))
                canvas.setOverprintMask(_k_only(colour) or (fill is not None and _k_only(fill)))
                canvas.setLineWidth(width * line_scale)
                canvas.setLineCap(cap)
                canvas.setLineJoin(join)
                canvas.setMiterLimit(miter)
                if dash:
                    canvas.setDash([v * line_scale for v in dash[0]], dash[1] * line_scale)
                else:
                    canvas.setDash()
            if stroke is None:
                canvas.setOverprintMask(fill is not None and _k_only(fill))
            canvas.drawPath(build(segs), stroke=int(stroke is not None),
                            fill=int(fill is not None),
                            fillMode=FILL_EVEN_ODD if even_odd else FILL_NON_ZERO)
    canvas.restoreState()


def _k_only(cmyk) -> bool:
    """Black on the K plate alone: it overprints, so misregistration opens no white."""
    return tuple(cmyk[:3]) == (0, 0, 0) and cmyk[3] > 0

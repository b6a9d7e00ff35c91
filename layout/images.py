"""Pictures on the page (for now the paper's logo): sizes, and drawing in CMYK.

A logo may be PNG (or JPEG) or SVG. Print wants CMYK only, so raster images are
flattened onto white paper and converted to CMYK, and SVG colours are turned
into CMYK before drawing. A file that cannot be read is an InputError.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import InputError


def image_size(path: Path) -> tuple[float, float]:
    """Natural size in pt (SVG) or px (raster; only the aspect ratio matters)."""
    if path.suffix.lower() == ".svg":
        d = _svg(path)
        return d.width, d.height
    return _raster(path).size


@lru_cache(maxsize=8)
def _svg(path: Path):
    try:
        from svglib.svglib import svg2rlg
    except ImportError as err:  # pragma: no cover - svglib is a dependency
        raise InputError(f"SVG logo {path} needs the svglib package") from err
    try:
        drawing = svg2rlg(str(path))
    except Exception as err:  # noqa: BLE001 - lxml and svglib raise many kinds on bad files
        raise InputError(f"cannot read the SVG logo {path}: {err}") from err
    if drawing is None or not drawing.width or not drawing.height:
        raise InputError(f"cannot read the SVG logo {path}")
    _to_cmyk(drawing)
    return drawing


def _to_cmyk(node) -> None:
    """Give every shape of an svglib drawing CMYK fill and stroke colours."""
    from reportlab.lib.colors import CMYKColor, Color

    for attr in ("fillColor", "strokeColor"):
        col = getattr(node, attr, None)
        if isinstance(col, Color) and not isinstance(col, CMYKColor):
            r, g, b = col.red, col.green, col.blue
            k = 1 - max(r, g, b)
            if k >= 1:
                c = m = y = 0.0
            else:
                c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
            setattr(node, attr, CMYKColor(c, m, y, k, alpha=getattr(col, "alpha", 1)))
    for child in getattr(node, "contents", []) or []:
        _to_cmyk(child)


@lru_cache(maxsize=8)
def _raster(path: Path):
    try:
        from PIL import Image
    except ImportError as err:  # pragma: no cover
        raise InputError(f"raster logo {path} needs Pillow") from err
    try:
        img = Image.open(path)
        img.load()
    except OSError as err:
        raise InputError(f"cannot read the logo {path}: {err}") from err
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        paper = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(paper, img)      # no transparency in print files
    return img.convert("CMYK")


def draw_image(canvas, img) -> None:
    """Draw a PlacedImage on a ReportLab canvas."""
    if img.path.suffix.lower() == ".svg":
        from reportlab.graphics import renderPDF

        d = _svg(img.path)
        canvas.saveState()
        canvas.translate(img.x, img.y)
        canvas.scale(img.width / d.width, img.height / d.height)
        renderPDF.draw(d, canvas, 0, 0)
        canvas.restoreState()
    else:
        from reportlab.lib.utils import ImageReader

        canvas.drawImage(ImageReader(_raster(img.path)), img.x, img.y, img.width, img.height)

"""Photos for the press: probe a file, choose a crop, convert it for print, draw it.

The pipeline composition and rendering call, in order:

- probe_photo(path, label) reads only the file's header and structure (no
  pixel is decoded): the size after EXIF orientation, the mode, and whether
  the file is usable at all. A photo that cannot be used is one InputError
  line naming the file and the label ("photo 1 of article '…'"): missing, a
  folder, not JPEG, PNG or TIFF (or named with the wrong extension),
  truncated, 0 pixels, or over MAX_PIXELS (refused from the header, so a
  20000 x 20000 file costs nothing).
- crop_box(...) is pure arithmetic: the largest crop of a given aspect inside
  the image (or inside the editor's box), centred on a focus point.
- press_photo(...) decodes, crops, resamples to the target ppi as placed
  (never up), and converts: grey (K only) for mono photos and for photos that
  are grey already, else CMYK. The result is a JPEG in the cache folder
  (<cache>/photos/), keyed by the file's content, the crop, the pixel size and
  the settings, so a second build only hashes the file and checks the entry.
- draw_photo(...) places it with ReportLab: one DeviceCMYK or DeviceGray image
  XObject, no ICC colour space, no soft mask.

Colour (see separate() and limit_ink()): an RGB photo is first brought to sRGB
through littleCMS (Pillow's ImageCms) from its embedded ICC profile (sRGB is
assumed when there is none). With the printer's CMYK profile (the style's
print.output_profile) littleCMS separates it (perceptual intent, black point
compensation). Without one, the documented GCR formula below does. Either way
every pixel's total ink is then held to the style's limit (print.max_ink_percent)
and the encoded JPEG is decoded again and measured, so the file in the PDF is
within the limit, JPEG noise included. CMYK photos keep their values (converted
from their embedded profile to the output profile when both exist); only pixels
over the limit change.
"""
from __future__ import annotations

import atexit
import hashlib
import io
import logging
import math
import mmap
import os
import shutil
import struct
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError, Source

log = logging.getLogger(__name__)

CACHE_VERSION = "1"
# Refuse photos above this many pixels, from the header. Decoding costs up to
# 4 bytes a pixel (CMYK, RGBA), so at most about 200 MB; a whole A3 page at
# 300 ppi needs 17 megapixels, and cameras and phones give 12 to 50.
MAX_PIXELS = 50_000_000
# WebP and HEIC too: what WeChat and phones save, which staff would otherwise convert
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF",
           ".webp": "WEBP", ".heic": "HEIF", ".heif": "HEIF"}
JPEG_QUALITY = 92
GREY_TOLERANCE = 3          # an RGB photo whose channels never differ by more is grey
# GCR: black starts where the grey part of a colour passes GCR_START and takes all of it
# at 100 %; see separate().
GCR_START = 0.2
GCR_MAX_INK = 220.0         # the most ink separate() can give any pixel, in %

_SUFFIX = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "WEBP": "webp", "HEIF": "heic"}
_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
_HEIF_READY = False                     # pillow-heif registered with Pillow (_formats)
# modes Pillow may open a JPEG, PNG, TIFF or WebP in that we can convert
_MODES = {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr",
          "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
_MAGIC = ((b"GIF8", "a GIF"), (b"RIFF", "a RIFF (AVI or WAV)"), (b"BM", "a BMP"),
          (b"%PDF", "a PDF"), (b"\x00\x00\x00\x0cjP", "a JPEG 2000"),
          (b"8BPS", "a Photoshop (PSD)"))


# -- settings --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoSettings:
    target_ppi: float = 300.0          # resampled to this as placed, never up
    min_ppi: float = 200.0             # below this as placed: a warning naming the file
    ink_limit: float = 240.0           # total area coverage of any pixel, in %
    profile: Path | None = None        # the printer's CMYK output ICC profile; None: GCR formula
    jpeg_quality: int = JPEG_QUALITY

    @classmethod
    def from_style(cls, style) -> "PhotoSettings":
        """From the house style's print group (photo_ppi, photo_min_ppi, max_ink_percent,
        output_profile); defaults for keys an older style object lacks."""
        spec = getattr(style, "print", None)
        return cls(target_ppi=float(getattr(spec, "photo_ppi", cls.target_ppi)),
                   min_ppi=float(getattr(spec, "photo_min_ppi", cls.min_ppi)),
                   ink_limit=float(getattr(spec, "max_ink_percent", cls.ink_limit)),
                   profile=getattr(spec, "output_profile", None))


# -- probing ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PhotoFile:
    """What composition needs, read from the header (no pixel decoded)."""
    path: Path
    width: int                 # pixels after EXIF orientation
    height: int
    mode: str                  # Pillow's mode as decoded: RGB, CMYK, L, P, RGBA, I;16, ...
    format: str = ""           # JPEG, PNG or TIFF
    orientation: int = 1       # EXIF orientation (1 to 8)
    label: str = ""            # how errors and warnings name it: "photo 1 of article '…'"
    has_profile: bool = False  # an embedded ICC profile


def _fail(path: Path, label: str, problem: str) -> InputError:
    where = f"{label}: " if label else ""
    return InputError(f"{where}photo {path} {problem}")


def _why(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:160]


def probe_photo(path: Path, label: str, source: Source | None = None) -> PhotoFile:
    """The photo's size (after EXIF orientation) and mode, or one InputError line.

    source: where the issue names the photo; its errors start with it, as every
    error line does, and its warnings name it after the label."""
    if source is None:
        return _probe(Path(path), label)
    try:
        return _probe(Path(path), f"{label} ({source})")
    except InputError as err:
        raise InputError(err.message.replace(f" ({source})", "", 1), source) from None


def _probe(path: Path, label: str) -> PhotoFile:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _fail(path, label, "not found (its path is relative to the issue file)") from None
    except OSError as err:
        raise _fail(path, label, f"cannot be read: {_why(err)}") from None
    if not path.is_file():
        raise _fail(path, label, "is not a file")
    want = FORMATS.get(path.suffix.lower())
    if want is None:
        raise _fail(path, label, f"has the extension '{path.suffix}'; a photo must be a JPEG "
                                 f"(.jpg), PNG (.png), TIFF (.tif), WebP (.webp) or HEIC "
                                 f"(.heic) file")
    if st.st_size == 0:
        raise _fail(path, label, "is empty (0 bytes)")
    if want == "WEBP":      # Pillow decodes a WebP as it opens it: a cut one fails unnamed
        problem = _riff_problem(_head(path, 12), st.st_size)
        if problem:
            raise _fail(path, label, problem)
    im = _open(path, label)
    try:
        found = im.format
        if found != want:
            raise _fail(path, label, f"is a {found} file but named {path.suffix}; rename it "
                                     f"to .{_SUFFIX[found]}")
        w, h = im.size
        mode = im.mode
        if w < 1 or h < 1:
            raise _fail(path, label, f"is {w} x {h} pixels")
        if w * h > MAX_PIXELS:
            raise _fail(path, label, f"is {w} x {h} pixels ({w * h / 1e6:.0f} megapixels); the "
                                     f"limit is {MAX_PIXELS / 1e6:g} megapixels: save a smaller "
                                     f"copy (a whole A3 page at 300 ppi needs 17)")
        if mode not in _MODES:
            raise _fail(path, label, f"is in colour mode {mode}; save it as RGB, CMYK or grey")
        problem, exif = _structure(path, im)
        orientation = _orientation(im, exif)
        has_profile = bool(im.info.get("icc_profile"))
    finally:
        im.close()
    if problem:
        raise _fail(path, label, problem)
    if orientation in (5, 6, 7, 8):
        w, h = h, w
    return PhotoFile(path=path, width=w, height=h, mode=mode, format=found,
                     orientation=orientation, label=label, has_profile=has_profile)


def _open(path: Path, label: str):
    """The file opened lazily (header only); Pillow's own pixel limit off, ours applies."""
    from PIL import Image

    formats = _formats(path)
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Image.open(path, formats=formats)
    except Image.UnidentifiedImageError:
        head = _head(path)
        kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
        if kind is None and head[4:8] == b"ftyp":
            if head[8:12] in _HEIC_BRANDS:
                raise _fail(path, label, f"is a HEIC file but named {path.suffix}; rename it "
                                         "to .heic") from None
            kind = "an ISO media (MP4, AVIF or other)"
        if kind is None:
            raise _fail(path, label, "is not an image (a JPEG, PNG, TIFF, WebP or HEIC file)"
                        ) from None
        raise _fail(path, label, f"is {kind} file, not a JPEG, PNG, TIFF, WebP or HEIC; "
                                 "export it as JPEG") from None
    except Exception as err:  # noqa: BLE001 - Pillow raises many kinds on bad headers
        if "truncated" in str(err).lower():
            raise _fail(path, label, _TRUNCATED) from None
        raise _fail(path, label, f"cannot be read: {_why(err)}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _formats(path: Path) -> tuple[str, ...]:
    """The formats Pillow is let open. HEIF once pillow-heif is registered, which is done
    for a .heic file only, so issues without one never load libheif (and Pillow is never
    asked for a format it does not know). libheif applies the photo's rotation as it
    decodes and reports its EXIF orientation as 1: no second turn here."""
    global _HEIF_READY
    if not _HEIF_READY and FORMATS.get(path.suffix.lower()) == "HEIF":
        import pillow_heif
        pillow_heif.register_heif_opener()
        _HEIF_READY = True
    return tuple(f for f in _SUFFIX if f != "HEIF" or _HEIF_READY)


def _head(path: Path, n: int = 16) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(n)
    except OSError:
        return b""


def _structure(path: Path, im) -> tuple[str | None, bytes | None]:
    """(why the file's data cannot be complete, or None; a PNG's eXIf chunk), from the
    file's structure alone."""
    try:
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            if im.format == "JPEG":
                return _jpeg_problem(buf), None
            if im.format == "PNG":
                return _png_problem(buf)
            if im.format == "WEBP":
                return _riff_problem(bytes(buf[:12]), len(buf)), None
            if im.format == "HEIF":
                return None, None     # libheif checks its boxes as it decodes
            return _tiff_problem(im, len(buf)), None
    except (OSError, ValueError) as err:
        return f"cannot be read: {_why(err)}", None


def _orientation(im, png_exif: bytes | None) -> int:
    """EXIF orientation 1 to 8 (1 when absent or damaged). For a PNG, Pillow's getexif()
    would decode every pixel to look behind the image data, so its eXIf chunk is read here."""
    from PIL import Image

    try:
        if im.format == "PNG":
            if not png_exif:
                return 1
            exif = Image.Exif()
            exif.load(png_exif)
        else:
            exif = im.getexif()
        value = int(exif.get(0x0112, 1) or 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block: take the pixels as stored
        return 1
    return value if 1 <= value <= 8 else 1


_TRUNCATED = "is truncated (the file ends before its image data does); copy it again"


def _riff_problem(head: bytes, length: int) -> str | None:
    """A WebP is one RIFF chunk: its header gives the size, so a cut file is known."""
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None                       # not a WebP at all: opening it says what it is
    (size,) = struct.unpack_from("<I", head, 4)
    return _TRUNCATED if length < 8 + size else None


def _jpeg_problem(buf) -> str | None:
    """Walk the JPEG's markers to its end (EOI); the entropy-coded data is skipped with find."""
    n = len(buf)
    pos = 2
    while pos + 1 < n:
        if buf[pos] != 0xFF:
            return "is damaged (bad JPEG marker); copy it again or save it anew"
        marker = buf[pos + 1]
        if marker == 0xFF:                       # fill byte
            pos += 1
            continue
        if marker == 0xD9:                       # end of image
            return None
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:
            pos += 2
            continue
        if pos + 3 >= n:
            break
        pos += 2 + int.from_bytes(buf[pos + 2:pos + 4], "big")
        if marker == 0xDA:                       # start of scan: entropy-coded data follows
            while True:
                i = buf.find(b"\xff", pos)
                if i < 0 or i + 1 >= n:
                    return _TRUNCATED
                nxt = buf[i + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    pos = i + 2
                elif nxt == 0xFF:
                    pos = i + 1
                else:
                    pos = i
                    break
    return _TRUNCATED


def _png_problem(buf) -> tuple[str | None, bytes | None]:
    """Walk the PNG's chunks to IEND, keeping the eXIf chunk's data."""
    n = len(buf)
    pos = 8
    exif = None
    while pos + 8 <= n:
        length = int.from_bytes(buf[pos:pos + 4], "big")
        kind = buf[pos + 4:pos + 8]
        if kind == b"IEND":
            return None, exif
        if kind == b"eXIf" and pos + 8 + length <= n:
            exif = bytes(buf[pos + 8:pos + 8 + length])
        pos += 12 + length
    return _TRUNCATED, None


def _tiff_problem(im, size: int) -> str | None:
    """The first page's strips or tiles must lie inside the file."""
    try:
        tags = im.tag_v2
        offsets = tags.get(273) or tags.get(324)
        counts = tags.get(279) or tags.get(325)
    except Exception:  # noqa: BLE001 - no tags to check: the decoder will tell
        return None
    if not offsets or not counts:
        return None
    offsets = offsets if isinstance(offsets, (tuple, list)) else (offsets,)
    counts = counts if isinstance(counts, (tuple, list)) else (counts,)
    end = max(int(o) + int(c) for o, c in zip(offsets, counts))
    return _TRUNCATED if end > size else None


# -- cropping --------------------------------------------------------------------------------------

def crop_box(width: int, height: int, aspect: float, focus: tuple[float, float] | None = None,
             box: tuple[float, float, float, float] | None = None) -> tuple[int, int, int, int]:
    """The largest (x0, y0, x1, y1) of width/height `aspect` inside the image (inside `box`,
    clamped to the image, if given), centred on `focus` (default the centre of the box or
    image) as nearly as the edges allow. Pixel coordinates after orientation, y down.

    ValueError for a non-positive image, a bad aspect or a box with no area in the image."""
    if width < 1 or height < 1:
        raise ValueError(f"image of {width} x {height} pixels")
    if not (isinstance(aspect, (int, float)) and math.isfinite(aspect) and aspect > 0):
        raise ValueError(f"aspect must be a positive number, not {aspect!r}")
    if box is None:
        x0, y0, x1, y1 = 0, 0, width, height
    else:
        if not all(math.isfinite(v) for v in box):
            raise ValueError(f"crop box {box!r} is not finite")
        bx0, by0, bx1, by1 = box
        x0, x1 = sorted((min(max(round(bx0), 0), width), min(max(round(bx1), 0), width)))
        y0, y1 = sorted((min(max(round(by0), 0), height), min(max(round(by1), 0), height)))
        if x1 - x0 < 1 or y1 - y0 < 1:
            raise ValueError(f"crop box {box!r} has no area inside the {width} x {height} image")
    bw, bh = x1 - x0, y1 - y0
    if bw / bh > aspect:                       # the box is wider: full height
        h = bh
        w = min(bw, max(1, round(bh * aspect)))
    else:
        w = bw
        h = min(bh, max(1, round(bw / aspect)))
    fx, fy = focus if focus is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
    if not (math.isfinite(fx) and math.isfinite(fy)):
        raise ValueError(f"focus {focus!r} is not finite")
    cx = min(max(round(fx - w / 2), x0), x1 - w)
    cy = min(max(round(fy - h / 2), y0), y1 - h)
    return cx, cy, cx + w, cy + h


# -- colour: pure functions on Pillow images -------------------------------------------------------

def _eval(expr: str, **args):
    from PIL import ImageMath

    run = getattr(ImageMath, "unsafe_eval", None) or ImageMath.eval   # Pillow < 10.3
    return run(expr, **args)


@lru_cache(maxsize=1)
def _gcr_lut() -> tuple[int, ...]:
    start = round(GCR_START * 255)
    return tuple(max(0, min(v, round((v - start) * 255 / (255 - start)))) for v in range(256))


def separate(rgb, ink_limit: float = 240.0):
    """An sRGB image in CMYK by the GCR formula, total ink of any pixel <= ink_limit (%).

    With R, G, B the pixel's sRGB values from 0 to 1:

        c, m, y = 1 - R, 1 - G, 1 - B       the three inks alone
        n       = min(c, m, y)              the grey part of the colour
        K       = max(0, (n - 0.2) / 0.8)   black takes the grey part above 20 %
        C, M, Y = c - K, m - K, y - K       what black adds, the colours lose (GCR)

    Greys lighter than 20 % stay in C, M and Y; darker ones are mostly black,
    so grey balance holds on a press that drifts, and black is K only. A
    pixel's total C + M + Y + K is at most 220 %. A lower limit scales its
    C, M and Y down (limit_ink)."""
    from PIL import Image, ImageChops

    if rgb.mode != "RGB":
        rgb = rgb.convert("RGB")
    c, m, y = (ImageChops.invert(band) for band in rgb.split())
    n = ImageChops.darker(ImageChops.darker(c, m), y)
    k = n.point(list(_gcr_lut()))
    out = Image.merge("CMYK", tuple(ImageChops.subtract(band, k) for band in (c, m, y)) + (k,))
    return limit_ink(out, ink_limit) if ink_limit < GCR_MAX_INK else out


def grey_to_k(grey):
    """A grey image (L, 0 black) as CMYK on K only: K = 1 - grey."""
    from PIL import Image, ImageChops

    zero = Image.new("L", grey.size, 0)
    return Image.merge("CMYK", (zero, zero, zero, ImageChops.invert(grey.convert("L"))))


def max_ink(cmyk) -> float:
    """The highest C + M + Y + K of any pixel, in %."""
    c, m, y, k = cmyk.split()
    return _eval("c + m + y + k", c=c, m=m, y=y, k=k).getextrema()[1] * 100 / 255


def limit_ink(cmyk, ink_limit: float):
    """CMYK with every pixel's total ink <= ink_limit (%): a pixel over it keeps its K and
    has its C, M and Y scaled down together until the total is the limit (hue kept, the
    change continuous); pixels within the limit are unchanged."""
    from PIL import Image

    limit = ink_limit * 255 / 100
    if max_ink(cmyk) * 255 / 100 <= limit:
        return cmyk
    c, m, y, k = cmyk.split()
    scale = _eval("min((L - float(k)) / max(float(c + m + y), 1.0), 1.0)",
                  c=c, m=m, y=y, k=k, L=float(limit))
    bands = tuple(_eval("convert(float(v) * s, 'L')", v=band, s=scale) for band in (c, m, y))
    return Image.merge("CMYK", bands + (k,))


def is_grey(rgb, tolerance: int = GREY_TOLERANCE) -> bool:
    """True if no pixel's R, G and B differ by more than tolerance (a grey picture)."""
    from PIL import ImageChops

    if rgb.mode in ("L", "1", "I", "F") or rgb.mode.startswith("I;"):
        return True
    if rgb.mode != "RGB":
        return False
    r, g, b = rgb.split()
    return all(ImageChops.difference(p, q).getextrema()[1] <= tolerance
               for p, q in ((r, g), (g, b), (r, b)))


@lru_cache(maxsize=4)
def _profile(data: bytes | None, path: str | None = None):
    from PIL import ImageCms

    if path is not None:
        return ImageCms.getOpenProfile(path)
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=1)
def _srgb():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=8)
def _transform(src_key, dst_key, in_mode: str, out_mode: str):
    from PIL import ImageCms

    def profile(key):
        if key == "sRGB":
            return _srgb()
        kind, value = key
        return _profile(None, value) if kind == "path" else _profile(value)

    return ImageCms.buildTransform(profile(src_key), profile(dst_key), in_mode, out_mode,
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def check_profile(path: Path) -> str:
    """The description of a CMYK output ICC profile; InputError if it is not one."""
    try:
        prof = _profile(None, str(path)).profile
    except Exception as err:  # noqa: BLE001 - littleCMS refuses bad files with many kinds
        raise InputError(f"output profile {path} is not an ICC profile: {_why(err)}") from None
    if prof.xcolor_space.strip() != "CMYK" or prof.device_class.strip() != "prtr":
        raise InputError(f"output profile {path} is a {prof.xcolor_space.strip()} "
                         f"{prof.device_class.strip()} profile; it must be the printer's CMYK "
                         f"output profile")
    return prof.profile_description or path.name


def _embedded(im_info: dict, space: str):
    """("icc", bytes) for an embedded profile of colour space `space`, else None."""
    data = im_info.get("icc_profile")
    if not data:
        return None
    try:
        prof = _profile(bytes(data)).profile
    except Exception:  # noqa: BLE001 - a damaged profile: as if none were embedded
        return "bad"
    return ("icc", bytes(data)) if prof.xcolor_space.strip() == space else "bad"


# -- press -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PressImage:
    path: Path                 # a cached JPEG ReportLab embeds as it is: CMYK or grey
    pixels: tuple[int, int]
    ppi: float                 # effective ppi as placed
    mode: str                  # "CMYK" or "L"
    max_ink: float = 0.0       # the highest total ink of any pixel of the file, in %
    cached: bool = False       # True: the file was already in the cache


def output_pixels(crop: tuple[int, int, int, int], width_pt: float, height_pt: float,
                  target_ppi: float) -> tuple[int, int]:
    """The pixel size press_photo gives a crop placed at width_pt x height_pt: target_ppi
    as placed, never more pixels than the crop has."""
    cw, ch = crop[2] - crop[0], crop[3] - crop[1]
    want = max(width_pt / 72 * target_ppi / cw, height_pt / 72 * target_ppi / ch)
    scale = min(1.0, want)
    return max(1, round(cw * scale)), max(1, round(ch * scale))


def placed_ppi(crop: tuple[int, int, int, int], width_pt: float, height_pt: float,
               settings: PhotoSettings) -> float:
    """The ppi press_photo gives the crop placed at width_pt x height_pt."""
    w, h = output_pixels(crop, width_pt, height_pt, settings.target_ppi)
    return min(w / (width_pt / 72), h / (height_pt / 72))


def coarse_warning(photo: PhotoFile, crop: tuple[int, int, int, int], width_pt: float,
                   height_pt: float, settings: PhotoSettings) -> str:
    """What the build says of a photo placed under the press's ppi (build and check)."""
    w, h = output_pixels(crop, width_pt, height_pt, settings.target_ppi)
    return (f"{photo.label + ': ' if photo.label else ''}{photo.path} is "
            f"{placed_ppi(crop, width_pt, height_pt, settings):.0f} ppi as placed ({w} x {h} "
            f"pixels over {width_pt / 72 * 25.4:.0f} x {height_pt / 72 * 25.4:.0f} mm), under "
            f"the {settings.min_ppi:g} ppi the press needs: use a larger original or place "
            "it smaller")


def press_photo(photo: PhotoFile, crop: tuple[int, int, int, int], width_pt: float,
                height_pt: float, *, mono: bool, settings: PhotoSettings) -> PressImage:
    """The photo cropped, resampled and converted for the press, as a cached file."""
    x0, y0, x1, y1 = crop
    if not (0 <= x0 < x1 <= photo.width and 0 <= y0 < y1 <= photo.height):
        raise ValueError(f"crop {crop} is not inside the {photo.width} x {photo.height} photo")
    if not (width_pt > 0 and height_pt > 0 and math.isfinite(width_pt + height_pt)):
        raise ValueError(f"placed size {width_pt} x {height_pt} pt")
    size = output_pixels(crop, width_pt, height_pt, settings.target_ppi)
    ppi = placed_ppi(crop, width_pt, height_pt, settings)
    if ppi < settings.min_ppi - 0.5:
        log.warning("%s", coarse_warning(photo, crop, width_pt, height_pt, settings))
    content = _file_hash(photo.path)
    profile = _file_hash(Path(settings.profile)) if settings.profile else "-"
    raw = "|".join(map(str, (CACHE_VERSION, content, tuple(crop), size, int(bool(mono)),
                             round(settings.ink_limit, 3), profile, settings.jpeg_quality)))
    key = hashlib.sha256(raw.encode()).hexdigest()[:40]
    hit = _memo.get(key)
    if hit is not None and hit.path.is_file():
        return PressImage(hit.path, hit.pixels, ppi, hit.mode, hit.max_ink, True)
    folder = _cache_folder()
    target = folder / f"{key}.jpg"
    found = _read_entry(target, size)
    if found is not None:
        mode, ink = found
        result = PressImage(target, size, ppi, mode, ink, True)
    else:
        image = _pressed(photo, crop, size, mono, settings)
        data, ink = _encode(image, settings)
        target = _store(folder, target, data)
        result = PressImage(target, size, ppi, image.mode, ink, False)
    _memo[key] = result
    return result


_memo: dict[str, PressImage] = {}
_hashes: dict[tuple, str] = {}


def _file_hash(path: Path) -> str:
    """BLAKE2b of the file's content (memoised on its identity within a process)."""
    st = path.stat()
    ident = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    digest = _hashes.get(ident)
    if digest is None:
        h = hashlib.blake2b(digest_size=20)
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        digest = _hashes[ident] = h.hexdigest()
    return digest


def _comment(mode: str, ink: float) -> bytes:
    return f"layout-photos {CACHE_VERSION} {mode} ink={ink:.2f}".encode("ascii")


def _read_entry(path: Path, size: tuple[int, int]):
    """(mode, max ink) of a complete, valid cache entry of this size; None to rebuild it."""
    from PIL import Image

    try:
        with path.open("rb") as f:
            f.seek(-2, os.SEEK_END)
            if f.read(2) != b"\xff\xd9":
                return None
        with Image.open(path, formats=("JPEG",)) as im:
            words = im.info.get("comment", b"").decode("ascii", "replace").split()
            if (im.size != tuple(size) or im.mode not in ("CMYK", "L") or len(words) != 4
                    or words[:3] != ["layout-photos", CACHE_VERSION, im.mode]):
                return None
            return im.mode, float(words[3].removeprefix("ink="))
    except (OSError, ValueError, SyntaxError):
        return None
    except Exception:  # noqa: BLE001 - a damaged entry of any kind is rebuilt
        return None


_scratch_dir: Path | None = None


def _cache_folder() -> Path:
    from .fonts import cache_dir

    folder = cache_dir() / "photos"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK | os.X_OK):
            return folder
    except OSError:
        pass
    return _scratch()


def _scratch() -> Path:
    """One temporary folder per process when the cache cannot be written; removed at exit."""
    global _scratch_dir
    if _scratch_dir is None or not _scratch_dir.is_dir():
        _scratch_dir = Path(tempfile.mkdtemp(prefix="layout-photos-"))
        atexit.register(shutil.rmtree, _scratch_dir, ignore_errors=True)
    return _scratch_dir


def _store(folder: Path, target: Path, data: bytes) -> Path:
    """Write the entry atomically; into the scratch folder if the cache refuses it."""
    for where in (folder, None):
        if where is None:
            where = _scratch()
            target = where / target.name
        try:
            fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".jpg")
        except OSError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
            return target
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    raise InputError(f"cannot write the converted photo {target.name} to the cache "
                     f"{folder} or a temporary folder")


def _encode(image, settings: PhotoSettings) -> tuple[bytes, float]:
    """The JPEG's bytes and the highest total ink of its decoded pixels, which is kept
    within the limit: if JPEG noise pushes a pixel over, the separation is limited a
    little lower and encoded again."""
    from PIL import Image

    limit = settings.ink_limit
    for _ in range(4):
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=settings.jpeg_quality, optimize=True)
        data = buf.getvalue()
        with Image.open(io.BytesIO(data)) as back:
            back.load()
            ink = 100 - back.getextrema()[0] * 100 / 255 if back.mode == "L" else max_ink(back)
        if image.mode == "L" or ink <= settings.ink_limit + 1e-6:
            return _with_comment(data, _comment(image.mode, ink)), ink
        limit -= (ink - settings.ink_limit) + 0.5
        image = limit_ink(image, limit)
    raise InputError(f"cannot hold the photo's ink to {settings.ink_limit:g}%")  # pragma: no cover


def _with_comment(data: bytes, text: bytes) -> bytes:
    """A JPEG with a COM segment after SOI (and after JFIF's APP0, if there is one)."""
    at = 2
    if data[2:4] == b"\xff\xe0":
        at = 4 + int.from_bytes(data[4:6], "big")
    segment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return data[:at] + segment + data[at:]


# Pillow's transpose for each EXIF orientation (what exif_transpose applies), and where a
# point (x, y) of the upright picture lies in the stored one of size (w, h).
_TRANSPOSE = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE",
              6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}
_STORED = {1: lambda x, y, w, h: (x, y), 2: lambda x, y, w, h: (w - x, y),
           3: lambda x, y, w, h: (w - x, h - y), 4: lambda x, y, w, h: (x, h - y),
           5: lambda x, y, w, h: (y, x), 6: lambda x, y, w, h: (y, h - x),
           7: lambda x, y, w, h: (w - y, h - x), 8: lambda x, y, w, h: (w - y, x)}
STRIP_ROWS = 256                 # rows of the decoded photo converted at a time


def stored_box(crop, orientation: int, stored: tuple[int, int]) -> tuple[float, ...]:
    """The upright crop (x0, y0, x1, y1) as a box of the stored pixels (before the EXIF
    orientation is applied); stored is the stored size (width, height)."""
    to = _STORED[orientation]
    xs, ys = zip(*(to(x, y, *stored) for x in (crop[0], crop[2]) for y in (crop[1], crop[3])))
    return min(xs), min(ys), max(xs), max(ys)


def _pressed(photo: PhotoFile, crop, size: tuple[int, int], mono: bool,
             settings: PhotoSettings):
    """Decode, crop and resample, orient, flatten, convert: a CMYK or L image of `size`.

    Memory: the decoded file (a JPEG at the smallest DCT scale that still gives the
    pixels wanted), and for a photo that needs converting (palette, 16-bit, transparency)
    or reducing by a whole factor one more copy of the crop, made strip by strip."""
    from PIL import Image

    label, path = photo.label, photo.path
    rotated = photo.orientation in (5, 6, 7, 8)
    out = (size[1], size[0]) if rotated else size          # the size before orienting
    formats = _formats(path)
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=formats) as im:
                raw = im.size
                if ((raw[1], raw[0]) if rotated else raw) != (photo.width, photo.height):
                    raise _fail(path, label, "changed while the issue was being built; build "
                                             "again")
                info = dict(im.info)
                box = stored_box(crop, photo.orientation, raw)
                if im.format == "JPEG":        # decode at 1/2, 1/4 or 1/8 when that is enough
                    scale = max(out[0] / (box[2] - box[0]), out[1] / (box[3] - box[1]))
                    im.draft(im.mode, (math.ceil(raw[0] * scale), math.ceil(raw[1] * scale)))
                im.load()
                fx, fy = im.width / raw[0], im.height / raw[1]
                box = (box[0] * fx, box[1] * fy, box[2] * fx, box[3] * fy)
                reduced, box = _reduce(im, box, out, info)
                if reduced.size != out or box != (0, 0) + out:
                    reduced = reduced.resize(out, Image.Resampling.LANCZOS, box=box)
                elif reduced is im:
                    reduced = im.copy()
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - truncated or corrupt data, any decoder error
        raise _fail(path, label, f"cannot be decoded: {_why(err)}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    if photo.orientation != 1:
        reduced = reduced.transpose(getattr(Image.Transpose, _TRANSPOSE[photo.orientation]))
    return _convert(reduced, info, mono, settings, photo)


def _reduce(im, box, out: tuple[int, int], info: dict):
    """The pixels under box, in a mode that resamples well (L, RGB or CMYK, transparency
    flattened onto white), reduced by the largest whole factor that leaves at least twice
    the pixels of `out`; and box in the reduced image's coordinates."""
    from PIL import Image

    x0, y0 = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    x1, y1 = min(im.width, math.ceil(box[2])), min(im.height, math.ceil(box[3]))
    f = max(1, int(min((x1 - x0) / out[0], (y1 - y0) / out[1]) // 2))
    if f == 1 and im.mode in ("L", "RGB", "CMYK") and "transparency" not in info:
        return im, box                      # nothing to do strip by strip: no copy
    top_value = None
    if im.mode == "I":                      # 32-bit integer grey: 16-bit or 8-bit values?
        top_value = 65535 if im.getextrema()[1] > 255 else 255
    step = f * max(1, STRIP_ROWS // f)
    canvas = None
    for top in range(y0, y1, step):
        strip = im.crop((x0, top, x1, min(y1, top + step)))
        strip = _flatten(_normal_mode(strip, info, top_value))
        if f > 1:
            strip = strip.reduce(f)
        if canvas is None:
            canvas = Image.new(strip.mode, (-(-(x1 - x0) // f), -(-(y1 - y0) // f)))
        canvas.paste(strip, (0, (top - y0) // f))
        del strip
    rel = ((box[0] - x0) / f, (box[1] - y0) / f, (box[2] - x0) / f, (box[3] - y0) / f)
    rel = tuple(min(max(v, 0.0), lim) for v, lim in zip(rel, canvas.size * 2))
    return canvas, rel


def _normal_mode(im, info: dict, top_value: int | None = None):
    """A mode that resamples well: L, LA, RGB, RGBA or CMYK (16-bit grey scaled to 8).
    top_value: the white of an "I" image (65535 or 255), decided on the whole photo."""
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        top = top_value if mode == "I" and top_value else 65535
        return im.convert("I").point(lambda v: v * (255 / top)).convert("L")
    if mode in ("F", "1"):
        return im.convert("L")
    if mode in ("P", "PA"):
        return im.convert("RGBA" if mode == "PA" or "transparency" in info else "RGB")
    if mode in ("La", "RGBa"):
        return im.convert(mode[:-1] + "A")
    if mode in ("L", "RGB") and "transparency" in info:
        return im.convert(mode + "A" if mode == "L" else "RGBA")
    if mode in ("RGBX", "YCbCr"):
        return im.convert("RGB")
    return im


def _flatten(im):
    """Transparency composited onto white paper: L or RGB (CMYK as it is)."""
    from PIL import Image

    if im.mode not in ("LA", "RGBA"):
        return im
    base = im.mode[:-1]
    paper = Image.new(base, im.size, 255 if base == "L" else (255, 255, 255))
    paper.paste(im.convert(base), mask=im.getchannel("A"))
    return paper


def _convert(im, info: dict, mono: bool, settings: PhotoSettings, photo: PhotoFile):
    """L (K only) or CMYK within the ink limit."""
    from PIL import ImageCms

    out_profile = ("path", str(settings.profile)) if settings.profile else None
    if im.mode == "L":
        return im
    if im.mode == "CMYK":
        src = _embedded(info, "CMYK")
        if mono:
            if isinstance(src, tuple):
                rgb = ImageCms.applyTransform(im, _transform(src, "sRGB", "CMYK", "RGB"))
            else:
                rgb = im.convert("RGB")
            return rgb.convert("L")
        if isinstance(src, tuple) and out_profile is not None:
            im = ImageCms.applyTransform(im, _transform(src, out_profile, "CMYK", "CMYK"))
        return limit_ink(im, settings.ink_limit)
    # RGB: to sRGB (or straight to the output profile) from the embedded profile
    src = _embedded(info, "RGB")
    if src == "bad":
        log.warning("%s%s has an embedded colour profile that is damaged or not RGB; "
                    "taken as sRGB", f"{photo.label}: " if photo.label else "", photo.path)
    src = src if isinstance(src, tuple) else "sRGB"
    srgb = im if src == "sRGB" else ImageCms.applyTransform(
        im, _transform(src, "sRGB", "RGB", "RGB"))
    if mono or is_grey(srgb):
        return srgb.convert("L")
    if out_profile is not None:
        cmyk = ImageCms.applyTransform(im, _transform(src, out_profile, "RGB", "CMYK"))
        return limit_ink(cmyk, settings.ink_limit)
    return separate(srgb, settings.ink_limit)


# -- drawing ---------------------------------------------------------------------------------------

def draw_photo(canvas, img: PressImage, x: float, y: float, width: float, height: float) -> None:
    """Place the pressed photo with its lower-left corner at (x, y), width x height pt.

    ReportLab embeds the JPEG's bytes as they are (DCTDecode) with /DeviceCMYK or
    /DeviceGray; for a CMYK JPEG (Adobe-inverted, as Pillow writes it) it adds
    /Decode [1 0 1 0 1 0 1 0], so viewers and RIPs read the inks the right way up.
    No mask: no /SMask."""
    canvas.drawImage(str(img.path), x, y, width, height, mask=None,
                     preserveAspectRatio=False)

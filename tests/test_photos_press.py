"""The press pipeline for photos (layout/photos.py): probe, crop, convert, cache, draw.

Every picture is made here with Pillow. The PDFs are small ReportLab canvases
with draw_photo; pikepdf reads the image XObjects back (colour space, bits,
no mask, the JPEG's pixels for their ink) and pypdfium2 renders them, so a
CMYK JPEG read upside down (Adobe-inverted) would show. Ghostscript's tiffsep,
when installed, separates the page into its inks as a RIP would.
"""
from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageCms, ImageDraw

from layout import photos
from layout.errors import InputError
from layout.photos import PhotoSettings, crop_box, draw_photo, press_photo, probe_photo

LABEL = "photo 1 of article '我区召开…'"
SETTINGS = PhotoSettings()
GS_ICC = Path("/usr/share/color/icc/ghostscript")
RED, BLUE, WHITE, BLACK = (220, 30, 30), (30, 60, 200), (255, 255, 255), (0, 0, 0)


# -- pictures -------------------------------------------------------------------------------------

def quadrants(size=(1200, 900), mode="RGB"):
    """Red top-left, blue top-right, white bottom-left, black bottom-right, a grey bar."""
    im = Image.new("RGB", size, WHITE)
    d = ImageDraw.Draw(im)
    w, h = size
    d.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=RED)
    d.rectangle((w // 2, 0, w - 1, h // 2 - 1), fill=BLUE)
    d.rectangle((w // 2, h // 2, w - 1, h - 1), fill=BLACK)
    d.rectangle((0, h - h // 8, w // 2 - 1, h - 1), fill=(128, 128, 128))
    return im if mode == "RGB" else im.convert(mode)


def heic_bytes() -> bytes:
    import pillow_heif
    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    quadrants().save(buf, "HEIF", quality=90)
    return buf.getvalue()


def webp_bytes() -> bytes:
    buf = io.BytesIO()
    quadrants().save(buf, "WEBP", quality=90)
    return buf.getvalue()


def srgb_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def header_only_png(path: Path, width: int, height: int) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + png_chunk(b"IDAT", b"")
        + png_chunk(b"IEND", b""))


def save(im, path: Path, **kw) -> Path:
    im.save(path, **kw)
    return path


# -- reading PDFs back ----------------------------------------------------------------------------

def pdf_with(tmp_path: Path, pressed, width_pt=144.0, height_pt=108.0, name="t.pdf") -> Path:
    from reportlab.pdfgen import canvas

    out = tmp_path / name
    c = canvas.Canvas(str(out), pagesize=(width_pt + 72, height_pt + 72))
    draw_photo(c, pressed, 36, 36, width_pt, height_pt)
    c.showPage()
    c.save()
    return out


def images_of(pdf_path: Path) -> list[dict]:
    """Each image XObject: its keys, its pixels (PIL) and its effective ppi as drawn."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        ctm = None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "cm":
                ctm = [float(v) for v in operands]
            elif str(op) == "Do":
                x = page.Resources.XObject[str(operands[0])]
                assert x.Subtype == "/Image"
                keys = {k: x.get(k) for k in ("/ColorSpace", "/BitsPerComponent", "/SMask",
                                               "/Mask", "/Decode", "/Filter")}
                w, h = int(x.Width), int(x.Height)
                pil = pikepdf.PdfImage(x).as_pil_image()
                found.append(dict(keys=keys, pixels=(w, h), pil=pil,
                                  ppi=(w / (math.hypot(ctm[0], ctm[1]) / 72),
                                       h / (math.hypot(ctm[2], ctm[3]) / 72))))
    return found


def rendered(pdf_path: Path, scale=1.0):
    doc = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()


def assert_press_ready(pdf_path: Path, limit=SETTINGS.ink_limit) -> list[dict]:
    found = images_of(pdf_path)
    assert found
    for img in found:
        keys = img["keys"]
        assert str(keys["/ColorSpace"]) in ("/DeviceCMYK", "/DeviceGray"), keys
        assert int(keys["/BitsPerComponent"]) == 8
        assert keys["/SMask"] is None and keys["/Mask"] is None
        if str(keys["/ColorSpace"]) == "/DeviceCMYK":
            assert img["pil"].mode == "CMYK"
            assert photos.max_ink(img["pil"]) <= limit + 1e-6
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Array) and len(obj) and obj[0] == "/ICCBased":
                raise AssertionError("an ICCBased colour space in the PDF")
    return found


def press(path: Path, width_pt=144.0, height_pt=108.0, mono=False, settings=SETTINGS,
          aspect=None):
    photo = probe_photo(path, LABEL)
    crop = crop_box(photo.width, photo.height, aspect or width_pt / height_pt)
    return photo, press_photo(photo, crop, width_pt, height_pt, mono=mono, settings=settings)


def near(rgb, want, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(rgb, want))


# -- probe ----------------------------------------------------------------------------------------

def test_probe_reads_the_header(tmp_path):
    path = save(quadrants(), tmp_path / "a.jpg", quality=90)
    photo = probe_photo(path, LABEL)
    assert (photo.width, photo.height, photo.mode, photo.format) == (1200, 900, "RGB", "JPEG")
    assert photo.label == LABEL and photo.orientation == 1


@pytest.mark.parametrize("orientation, swapped", [(1, False), (3, False), (6, True), (8, True)])
def test_probe_honours_exif_orientation(tmp_path, orientation, swapped):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(quadrants((600, 400)), tmp_path / "r.jpg", exif=exif)
    photo = probe_photo(path, LABEL)
    assert (photo.width, photo.height) == ((400, 600) if swapped else (600, 400))


def bad(tmp_path: Path, name: str, data: bytes | None = None) -> Path:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    return path


def jpeg_bytes(size=(800, 600), **kw) -> bytes:
    buf = io.BytesIO()
    quadrants(size).save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def png_bytes(size=(800, 600)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 60).save(buf, "PNG")
    return buf.getvalue()


def tiff_bytes(size=(800, 600)) -> bytes:
    buf = io.BytesIO()
    quadrants(size).save(buf, "TIFF")
    return buf.getvalue()


@pytest.mark.parametrize("name, make, words", [
    ("missing.jpg", None, "not found"),
    ("empty.jpg", lambda: b"", "empty"),
    ("text.jpg", lambda: "这不是图片 not an image\n".encode(), "not an image"),
    ("anim.gif", lambda: b"GIF89a" + b"\0" * 20, "extension '.gif'"),
    ("photo.bmp", lambda: b"BM" + b"\0" * 40, "extension '.bmp'"),
    ("png-named.jpg", png_bytes, "is a PNG file but named .jpg"),
    ("jpeg-named.tif", jpeg_bytes, "is a JPEG file but named .tif"),
    ("gif-named.png", lambda: b"GIF89a" + b"\0" * 20, "is a GIF file"),
    ("cut.jpg", lambda: jpeg_bytes()[:len(jpeg_bytes()) // 2], "truncated"),
    ("no-end.jpg", lambda: jpeg_bytes()[:-2], "truncated"),
    ("cut-progressive.jpg", lambda: jpeg_bytes(progressive=True)[:3000], "truncated"),
    ("cut.png", lambda: png_bytes()[:5000], "truncated"),
    ("cut.tif", lambda: tiff_bytes()[:100_000], "truncated"),
    ("header.jpg", lambda: jpeg_bytes()[:300], "truncated"),
    ("cut.webp", lambda: webp_bytes()[:2000], "truncated"),
    ("avi.webp", lambda: b"RIFF\x10\0\0\0AVI LIST" + b"\0" * 20, "is a RIFF (AVI or WAV) file"),
    ("heic-named.jpg", lambda: heic_bytes(), "is a HEIC file but named .jpg; rename it to .heic"),
])
def test_unusable_photo_is_one_line_naming_file_and_label(tmp_path, name, make, words):
    path = bad(tmp_path, name, make() if make else None)
    with pytest.raises(InputError) as info:
        probe_photo(path, LABEL)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg and LABEL in msg, msg
    assert words in msg, msg


def test_a_folder_is_not_a_photo(tmp_path):
    (tmp_path / "dir.jpg").mkdir()
    with pytest.raises(InputError, match="is not a file"):
        probe_photo(tmp_path / "dir.jpg", LABEL)


@pytest.mark.parametrize("width, height", [(0, 10), (10, 0)])
def test_zero_pixels_is_one_line(tmp_path, width, height):
    path = tmp_path / "zero.png"
    header_only_png(path, width, height)
    with pytest.raises(InputError) as info:
        probe_photo(path, LABEL)
    assert str(path) in str(info.value) and LABEL in str(info.value)


def test_huge_photo_is_refused_from_its_header(tmp_path):
    """20000 x 20000 (400 MP) in a file of a few bytes: refused at once, nothing decoded."""
    path = tmp_path / "huge.png"
    header_only_png(path, 20000, 20000)
    t = time.perf_counter()
    with pytest.raises(InputError) as info:
        probe_photo(path, LABEL)
    assert time.perf_counter() - t < 0.5
    msg = str(info.value)
    assert "20000 x 20000 pixels" in msg and f"{photos.MAX_PIXELS / 1e6:g} megapixels" in msg
    assert str(path) in msg and LABEL in msg


def test_damaged_data_is_one_line_at_press(tmp_path):
    """A PNG whose compressed data is garbage has every chunk: the decoder finds it."""
    data = bytearray(png_bytes((400, 300)))
    start = data.index(b"IDAT") + 4
    data[start + 10:start + 2000] = b"\x55" * 1990
    path = bad(tmp_path, "damaged.png", bytes(data))
    photo = probe_photo(path, LABEL)
    with pytest.raises(InputError) as info:
        press_photo(photo, (0, 0, 400, 300), 100, 75, mono=False, settings=SETTINGS)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg and LABEL in msg and "decoded" in msg


def test_a_turned_heic_is_turned_once(tmp_path):
    # libheif applies the EXIF turn as it decodes and reports orientation 1: a second
    # turn of ours would lay an iPhone's portrait photo on its side
    import pillow_heif
    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = 6                          # turn 90° clockwise to view
    path = tmp_path / "portrait.heic"
    quadrants((1200, 900)).save(path, exif=exif.tobytes(), quality=90)
    photo = probe_photo(path, LABEL)
    assert (photo.width, photo.height, photo.orientation) == (900, 1200, 1)


def test_a_cut_heic_is_one_line_at_press(tmp_path):
    """A HEIC's header stands before its data: libheif finds the cut as it decodes."""
    path = bad(tmp_path, "cut.heic", heic_bytes()[:1500])
    photo = probe_photo(path, LABEL)
    with pytest.raises(InputError) as info:
        press_photo(photo, (0, 0, 1200, 900), 100, 75, mono=False, settings=SETTINGS)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg and LABEL in msg and "decoded" in msg


# -- crop -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, kw, want", [
    ((4000, 3000, 4 / 3), {}, (0, 0, 4000, 3000)),
    ((4000, 3000, 1.0), {}, (500, 0, 3500, 3000)),
    ((4000, 3000, 2.0), {}, (0, 500, 4000, 2500)),
    ((4000, 3000, 1.0), {"focus": (100, 1500)}, (0, 0, 3000, 3000)),
    ((4000, 3000, 1.0), {"focus": (3000, 10)}, (1000, 0, 4000, 3000)),
    ((4000, 3000, 2.0), {"focus": (3900, 2900)}, (0, 1000, 4000, 3000)),
    ((4000, 3000, 0.5), {"box": (1000, 500, 3000, 2500)}, (1500, 500, 2500, 2500)),
    ((4000, 3000, 0.5), {"box": (1000, 500, 3000, 2500), "focus": (0, 0)},
     (1000, 500, 2000, 2500)),
    ((4000, 3000, 2.0), {"box": (-500, -500, 5000, 1000)}, (1000, 0, 3000, 1000)),
    ((4000, 3000, 2.0), {"box": (-500, -500, 5000, 1000), "focus": (0, 0)}, (0, 0, 2000, 1000)),
    ((3, 2, 100.0), {}, (0, 0, 3, 1)),
    ((3, 2, 0.001), {}, (1, 0, 2, 2)),
])
def test_crop_box(args, kw, want):
    assert crop_box(*args, **kw) == want


@pytest.mark.parametrize("args, kw", [
    ((4000, 3000, 0), {}), ((4000, 3000, float("nan")), {}), ((4000, 3000, -1.0), {}),
    ((0, 3000, 1.0), {}), ((4000, 3000, 1.0), {"box": (5000, 0, 6000, 100)}),
    ((4000, 3000, 1.0), {"box": (10, 10, 10, 100)}),
])
def test_crop_box_refuses_nonsense(args, kw):
    with pytest.raises(ValueError):
        crop_box(*args, **kw)


def test_crop_box_is_the_largest_inside_centred():
    import random

    rnd = random.Random(7)
    for _ in range(2000):
        w, h = rnd.randint(1, 5000), rnd.randint(1, 5000)
        aspect = math.exp(rnd.uniform(-2, 2))
        focus = (rnd.uniform(-100, w + 100), rnd.uniform(-100, h + 100)) \
            if rnd.random() < 0.5 else None
        x0, y0, x1, y1 = crop_box(w, h, aspect, focus)
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        cw, ch = x1 - x0, y1 - y0
        assert cw == w or ch == h                        # as large as the image allows
        if min(cw, ch) >= 50:
            assert abs(cw / ch / aspect - 1) < 0.03
        if focus is None:
            assert abs((x0 + x1) - w) <= 1 and abs((y0 + y1) - h) <= 1


# -- press: colour spaces, ink, colours as rendered -----------------------------------------------

def make_case(tmp_path: Path, case: str) -> Path:
    q = quadrants()
    if case == "rgb-srgb.jpg":
        return save(q, tmp_path / case, quality=92, icc_profile=srgb_bytes())
    if case == "rgb-plain.png":
        return save(q, tmp_path / case)
    if case == "rgb-adobe.jpg":
        icc = GS_ICC / "a98.icc"
        if not icc.is_file():
            pytest.skip("no Adobe RGB profile on this machine")
        return save(q, tmp_path / case, quality=92, icc_profile=icc.read_bytes())
    if case == "rgb.tif":
        return save(q, tmp_path / case, compression="tiff_lzw")
    if case in ("cmyk.jpg", "cmyk.tif"):
        cm = Image.new("CMYK", q.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(cm)
        d.rectangle((0, 0, 599, 449), fill=(0, 220, 220, 0))            # red
        d.rectangle((600, 0, 1199, 449), fill=(230, 150, 0, 0))         # blue
        d.rectangle((600, 450, 1199, 899), fill=(255, 255, 255, 255))   # 400 % black
        return save(cm, tmp_path / case, **({"quality": 95} if case.endswith("jpg") else {}))
    if case == "rgba.png":
        rgba = q.convert("RGBA")
        ImageDraw.Draw(rgba).rectangle((0, 450, 599, 899), fill=(0, 0, 0, 0))   # clear: white
        return save(rgba, tmp_path / case)
    if case == "palette.png":
        return save(q.convert("P", palette=Image.Palette.ADAPTIVE, colors=8), tmp_path / case)
    if case == "rgb.webp":                  # what WeChat and phones save
        return save(q, tmp_path / case, quality=95)
    if case == "rgb.heic":                  # what iPhones save
        import pillow_heif
        pillow_heif.register_heif_opener()
        return save(q, tmp_path / case, quality=95)
    raise AssertionError(case)


COLOUR_CASES = ["rgb-srgb.jpg", "rgb-plain.png", "rgb-adobe.jpg", "rgb.tif", "cmyk.jpg",
                "cmyk.tif", "rgba.png", "palette.png", "rgb.webp", "rgb.heic"]


@pytest.mark.parametrize("case", COLOUR_CASES)
def test_colour_photo_is_cmyk_within_the_ink_limit_and_renders_right(tmp_path, case):
    path = make_case(tmp_path, case)
    photo, pressed = press(path)
    assert pressed.mode == "CMYK" and pressed.pixels == (600, 450)
    assert abs(pressed.ppi - 300) < 0.5
    assert pressed.max_ink <= SETTINGS.ink_limit
    pdf = pdf_with(tmp_path, pressed)
    (img,) = assert_press_ready(pdf)
    assert str(img["keys"]["/ColorSpace"]) == "/DeviceCMYK"
    assert img["pixels"] == (600, 450) and all(abs(p - 300) < 0.5 for p in img["ppi"])
    page = rendered(pdf)             # 1 px = 1 pt; the photo at (36, 36) from the top-left
    at = lambda fx, fy: page.getpixel((36 + int(144 * fx), 36 + int(108 * fy)))   # noqa: E731
    red, blue, white, black = at(0.25, 0.2), at(0.75, 0.2), at(0.25, 0.6), at(0.75, 0.75)
    assert red[0] > red[1] + 100 and red[0] > red[2] + 100, red
    assert blue[2] > blue[0] + 60 and blue[2] > blue[1] + 40, blue
    assert min(white) > 240, white       # paper white, not inverted ink
    assert max(black) < 70, black


def test_rgb_black_and_white_separate_as_gcr(tmp_path):
    """The documented formula: black on K only; a saturated colour without K."""
    q = quadrants()
    px = photos.separate(q)
    assert px.getpixel((900, 700)) == (0, 0, 0, 255)             # black: K only
    assert px.getpixel((300, 300))[3] == 0                        # red: no black
    assert px.getpixel((300, 600)) == (0, 0, 0, 0)                # white: no ink
    grey = px.getpixel((100, 880))                                # 50 % grey: mostly K
    assert grey[3] > grey[0] and grey[0] == grey[1] == grey[2]
    assert photos.max_ink(photos.separate(Image.effect_noise((500, 500), 200)
                                          .convert("RGB"))) <= photos.GCR_MAX_INK


def test_gcr_never_exceeds_its_bound_for_any_colour():
    cube = Image.new("RGB", (256, 256 * 32))
    cube.putdata([(r, g, b) for b in range(0, 256, 8) for g in range(256) for r in range(256)])
    assert photos.max_ink(photos.separate(cube)) <= photos.GCR_MAX_INK + 1e-9
    assert photos.max_ink(photos.separate(cube, 180)) <= 180 + 1e-9


def test_cmyk_within_the_limit_is_kept(tmp_path):
    cm = Image.new("CMYK", (400, 300), (40, 80, 120, 60))        # 118 %
    path = save(cm, tmp_path / "keep.tif")
    _, pressed = press(path, 96, 72)
    with Image.open(pressed.path) as back:
        assert back.getpixel((200, 150)) == (40, 80, 120, 60)


def test_cmyk_over_the_limit_keeps_k_and_scales_cmy(tmp_path):
    cm = Image.new("CMYK", (400, 300), (200, 180, 170, 230))      # 306 %
    out = photos.limit_ink(cm, 240)
    c, m, y, k = out.getpixel((0, 0))
    assert k == 230 and sum((c, m, y, k)) <= 240 * 2.55
    assert c > m > y                                               # the hue kept


@pytest.mark.parametrize("ink_limit", [240.0, 200.0, 150.0])
def test_ink_limit_holds_through_jpeg_noise(tmp_path, ink_limit):
    """A noisy CMYK picture near the limit: the JPEG written is measured and held."""
    bands = [Image.effect_noise((600, 450), 90).point(lambda v, o=o: min(255, v + o))
             for o in (60, 40, 30, 90)]
    path = save(Image.merge("CMYK", bands), tmp_path / "noisy.tif")
    settings = PhotoSettings(ink_limit=ink_limit)
    _, pressed = press(path, mono=False, settings=settings)
    assert assert_press_ready(pdf_with(tmp_path, pressed), limit=ink_limit)
    assert pressed.max_ink <= ink_limit


def test_output_profile_separates_within_the_limit(tmp_path):
    profile = GS_ICC / "default_cmyk.icc"
    if not profile.is_file():
        pytest.skip("no CMYK ICC profile on this machine (Debian: ghostscript)")
    settings = PhotoSettings(profile=profile)
    path = make_case(tmp_path, "rgb-srgb.jpg")
    _, pressed = press(path, settings=settings)
    assert pressed.mode == "CMYK"
    _, plain = press(path)
    assert pressed.path != plain.path                              # the profile is in the key
    pdf = pdf_with(tmp_path, pressed)
    assert_press_ready(pdf)
    page = rendered(pdf)
    red = page.getpixel((36 + 36, 36 + 20))
    assert red[0] > red[1] + 80, red


# -- grey ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["grey.png", "grey16.png", "grey-rgb.jpg", "black.png",
                                  "grey-la.png"])
def test_grey_photo_is_k_only_on_a_colour_page(tmp_path, case):
    ramp = Image.linear_gradient("L").resize((800, 600))
    if case == "grey.png":
        path = save(ramp, tmp_path / case)
    elif case == "grey16.png":
        path = save(Image.new("I;16", (800, 600), 30000), tmp_path / case)
    elif case == "grey-rgb.jpg":
        path = save(ramp.convert("RGB"), tmp_path / case, quality=85)
    elif case == "black.png":
        im = Image.new("RGB", (800, 600), WHITE)
        ImageDraw.Draw(im).rectangle((100, 100, 700, 500), fill=BLACK)
        path = save(im, tmp_path / case)
    else:
        la = Image.merge("LA", (Image.new("L", (800, 600), 0), ramp))
        path = save(la, tmp_path / case)
    photo, pressed = press(path, 96, 72)
    assert pressed.mode == "L"
    (img,) = assert_press_ready(pdf_with(tmp_path, pressed, 96, 72))
    assert str(img["keys"]["/ColorSpace"]) == "/DeviceGray"
    if case == "grey16.png":
        assert abs(img["pil"].getpixel((10, 10)) - 30000 * 255 / 65535) <= 2


def test_mono_photo_is_grey(tmp_path):
    path = make_case(tmp_path, "rgb-srgb.jpg")
    _, colour = press(path)
    _, mono = press(path, mono=True)
    assert mono.mode == "L" and colour.mode == "CMYK" and mono.path != colour.path
    pdf = pdf_with(tmp_path, mono)
    (img,) = assert_press_ready(pdf)
    assert str(img["keys"]["/ColorSpace"]) == "/DeviceGray"
    page = rendered(pdf)
    white, black = page.getpixel((36 + 36, 36 + 70)), page.getpixel((36 + 108, 36 + 80))
    assert min(white) > 240 and max(black) < 30
    for cmyk in ("cmyk.jpg",):
        _, m = press(make_case(tmp_path, cmyk), mono=True)
        assert m.mode == "L"


# -- orientation, resolution, cache ---------------------------------------------------------------

def test_exif_rotated_photo_comes_out_upright(tmp_path):
    """Stored 600 x 400, left half red, right half blue, orientation 6 (turn 90° clockwise
    to view): viewed 400 x 600, red on top."""
    raw = Image.new("RGB", (600, 400), BLUE)
    ImageDraw.Draw(raw).rectangle((0, 0, 299, 399), fill=RED)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(raw, tmp_path / "rot.jpg", exif=exif, quality=92)
    photo, pressed = press(path, 72, 108)
    assert (photo.width, photo.height) == (400, 600)
    assert pressed.pixels == (300, 450)
    page = rendered(pdf_with(tmp_path, pressed, 72, 108))
    top, bottom = page.getpixel((36 + 36, 36 + 20)), page.getpixel((36 + 36, 36 + 90))
    assert top[0] > top[2] + 100 and bottom[2] > bottom[0] + 60, (top, bottom)


def test_never_upsampled_and_low_resolution_warns_naming_the_file(tmp_path, caplog):
    path = save(quadrants((300, 225)), tmp_path / "small.jpg", quality=90)
    with caplog.at_level(logging.WARNING, logger="layout.photos"):
        _, pressed = press(path, 288, 216)                     # 4 x 3 in: 75 ppi
    assert pressed.pixels == (300, 225) and abs(pressed.ppi - 75) < 0.5
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and str(path) in warned[0] and LABEL in warned[0]
    assert "75 ppi" in warned[0] and "200 ppi" in warned[0]
    (img,) = images_of(pdf_with(tmp_path, pressed, 288, 216))
    assert img["pixels"] == (300, 225)


def test_resampled_to_the_target_ppi(tmp_path):
    path = save(quadrants((3000, 2250)), tmp_path / "big.png")
    photo = probe_photo(path, LABEL)
    crop = crop_box(photo.width, photo.height, 1.0, box=(0, 0, 2000, 2000))
    pressed = press_photo(photo, crop, 144, 144, mono=False,
                          settings=PhotoSettings(target_ppi=250))
    assert pressed.pixels == (500, 500) and abs(pressed.ppi - 250) < 0.5
    (img,) = images_of(pdf_with(tmp_path, pressed, 144, 144))
    assert all(abs(p - 250) < 0.5 for p in img["ppi"])


def fresh_process():
    """Forget what this process remembers, as a new build would."""
    photos._memo.clear()
    photos._hashes.clear()


def test_second_press_is_a_cache_hit(tmp_path, cache):
    path = save(quadrants((4000, 3000)), tmp_path / "cam.jpg", quality=90)
    photo = probe_photo(path, LABEL)
    crop = crop_box(4000, 3000, 4 / 3)
    fresh_process()
    t = time.perf_counter()
    first = press_photo(photo, crop, 390, 292.5, mono=False, settings=SETTINGS)
    cold = time.perf_counter() - t
    assert not first.cached and first.path.parent == cache / "photos"
    fresh_process()
    t = time.perf_counter()
    second = press_photo(photo, crop, 390, 292.5, mono=False, settings=SETTINGS)
    warm = time.perf_counter() - t
    assert second.cached and second.path == first.path and second.max_ink == round(
        first.max_ink, 2)
    assert warm < 0.1 and warm < cold / 3, (cold, warm)
    other = press_photo(photo, crop_box(4000, 3000, 1.0), 292.5, 292.5, mono=False,
                        settings=SETTINGS)
    assert other.path != first.path                    # the crop is in the key


def test_changed_content_is_a_new_entry_and_a_damaged_entry_is_rebuilt(tmp_path):
    path = save(quadrants((800, 600)), tmp_path / "p.jpg", quality=90)
    _, first = press(path)
    save(quadrants((800, 600)).rotate(180), path, quality=90)
    fresh_process()
    _, changed = press(path)
    assert changed.path != first.path
    data = changed.path.read_bytes()
    changed.path.write_bytes(data[:len(data) // 2])        # a killed writer, a bad disk
    fresh_process()
    _, again = press(path)
    assert again.path == changed.path and not again.cached
    assert again.path.read_bytes()[-2:] == b"\xff\xd9"
    assert_press_ready(pdf_with(tmp_path, again))


def test_unwritable_cache_falls_back_to_a_temporary_folder(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(blocker / "cache"))
    fresh_process()
    _, pressed = press(make_case(tmp_path, "rgb-plain.png"))
    assert pressed.path.is_file() and not str(pressed.path).startswith(str(blocker))
    assert_press_ready(pdf_with(tmp_path, pressed))


# -- the house style ------------------------------------------------------------------------------

def style_copy(tmp_path: Path, extra: str) -> Path:
    """The house style with the line of extra's key replaced by extra."""
    src = Path(__file__).resolve().parent.parent / "styles" / "shangjie.yaml"
    text = src.read_text(encoding="utf-8")
    marker = extra.split(":")[0] + ":"
    assert text.count(marker) == 1
    out = tmp_path / "shangjie.yaml"
    lines = [extra if line.startswith(marker) else line for line in text.splitlines()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_style_settings_reach_the_photos(tmp_path):
    from layout.style import load_style

    style = load_style(Path(__file__).resolve().parent.parent / "styles" / "shangjie.yaml")
    s = PhotoSettings.from_style(style)
    assert (s.target_ppi, s.min_ppi, s.ink_limit, s.profile) == (300, 200, 240, None)
    profile = GS_ICC / "default_cmyk.icc"
    if profile.is_file():
        shutil.copyfile(profile, tmp_path / "press.icc")
        style = load_style(style_copy(tmp_path, "  output_profile: press.icc"))
        assert PhotoSettings.from_style(style).profile == (tmp_path / "press.icc").resolve()


@pytest.mark.parametrize("extra, words", [
    ("  output_profile: nowhere.icc", "output profile not found"),
    ("  output_profile: not-a-profile.icc", "not an ICC profile"),
    ("  output_profile: rgb.icc", "must be the printer's CMYK output profile"),
    ("  photo_ppi: 150", "'photo_min_ppi' is above 'photo_ppi'"),
])
def test_bad_photo_settings_are_one_line_at_their_line(tmp_path, extra, words):
    from layout.style import load_style

    (tmp_path / "not-a-profile.icc").write_bytes(b"nothing")
    rgb = GS_ICC / "a98.icc"
    if "rgb.icc" in extra:
        if not rgb.is_file():
            pytest.skip("no RGB ICC profile on this machine")
        shutil.copyfile(rgb, tmp_path / "rgb.icc")
    path = style_copy(tmp_path, extra)
    with pytest.raises(InputError) as info:
        load_style(path)
    assert words in str(info.value) and "\n" not in str(info.value)
    if "photo_ppi" not in extra:
        assert info.value.source is not None and info.value.source.line > 1


# -- a RIP's view: Ghostscript's separations ------------------------------------------------------

def test_ghostscript_separations_stay_within_the_ink_limit(tmp_path):
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript is not installed")
    pdfs = []
    for case in ("rgb-srgb.jpg", "cmyk.jpg", "grey.png"):
        path = (make_case(tmp_path, case) if case != "grey.png" else
                save(Image.linear_gradient("L").resize((600, 450)), tmp_path / case))
        _, pressed = press(path)
        pdfs.append(pdf_with(tmp_path, pressed, name=f"{case}.pdf"))
    for pdf in pdfs:
        out = tmp_path / (pdf.stem + ".tif")
        subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                        "-r150", f"-sOutputFile={out}", str(pdf)], check=True,
                       capture_output=True, timeout=60)
        seps = {}
        for ink in ("Cyan", "Magenta", "Yellow", "Black"):
            sep = tmp_path / f"{pdf.stem}({ink}).tif"
            with Image.open(sep) as im:
                seps[ink] = im.convert("L").point(lambda v: 255 - v)   # 255: full ink
        total = photos.max_ink(Image.merge("CMYK", tuple(seps.values())))
        assert total <= SETTINGS.ink_limit + 2, (pdf.name, total)     # gs's own rounding
        if pdf.stem.startswith("grey"):
            assert all(seps[i].getextrema()[1] == 0 for i in ("Cyan", "Magenta", "Yellow"))
        if pdf.stem.startswith("rgb"):
            assert seps["Black"].getextrema()[1] > 240                  # black is on K


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["jpg", "png"])
def test_every_orientation_and_crop_matches_pillows_own_transpose(tmp_path, orientation, fmt):
    """The crop is taken from the stored pixels, then turned: the same picture as turning
    the whole photo first (ImageOps.exif_transpose) and cropping that."""
    from PIL import ImageChops, ImageOps

    raw = Image.linear_gradient("L").resize((640, 400)).convert("RGB")
    d = ImageDraw.Draw(raw)
    d.rectangle((20, 30, 200, 120), fill=(0, 0, 0))
    d.ellipse((400, 200, 600, 380), fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(raw, tmp_path / f"o.{fmt}", exif=exif, **({"quality": 95} if fmt == "jpg" else {}))
    photo = probe_photo(path, LABEL)
    assert photo.orientation == orientation
    crop = crop_box(photo.width, photo.height, 1.25, focus=(30, 40))
    pressed = press_photo(photo, crop, 90, 72, mono=True, settings=SETTINGS)
    with Image.open(path) as im:
        want = ImageOps.exif_transpose(im).convert("L").resize(pressed.pixels, box=crop)
    with Image.open(pressed.path) as got:
        diff = ImageChops.difference(got.convert("L"), want)
        mean = sum(i * n for i, n in enumerate(diff.histogram())) / (want.width * want.height)
    assert mean < 4, mean


def test_a_missing_photo_in_a_build_is_an_error_line_with_its_place_first(tmp_path):
    # the build's words had the place in the middle: error: photo 1 of article '…'
    # (x.yaml:33:13): photo … not found
    import shutil

    from click.testing import CliRunner

    from layout.cli import main
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "issues" / "photos", tmp_path / "photos")
    (tmp_path / "photos" / "rocket.jpg").unlink()
    issue = tmp_path / "x.yaml"
    shutil.copy(root / "issues" / "photo-example.yaml", issue)
    line = next(n for n, t in enumerate(issue.read_text(encoding="utf-8").splitlines(), 1)
                if "rocket.jpg" in t)
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    err = [ln for ln in res.output.splitlines() if ln.startswith("error: ")]
    assert err and err[0].startswith(f"error: {issue}:{line}:"), err
    assert "photo 1 of article '火箭发射升空': photo " in err[0] and "not found" in err[0]
    assert err[0].count(f"x.yaml:{line}") == 1

"""The masthead logo: SVG and raster logos build, or fail with one line, in bounded memory.

Each case copies the house style into a tmp styles/ folder with `logo:` pointing
at a generated file beside it, and the sample issue beside that folder. Builds
run through the CLI; the big rasters in a subprocess whose peak RSS is measured
(RUSAGE_CHILDREN of a wrapper process, so no other test's child counts).
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from layout import images
from layout.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "issues" / "2025-03-09.yaml"
STYLE = REPO / "styles" / "shangjie.yaml"

PEAK_RSS_MB = 300
SECONDS = 5.0

RED = (0.0, 1.0, 1.0, 0.2)          # #cc0000 as the logo's CMYK
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">
<path d="M10 10 L390 10 L390 90 Z" fill="#cc0000"/>
<circle cx="50" cy="50" r="30" fill="none" stroke="black" stroke-width="2"/>
<text x="0" y="0"> </text>
</svg>"""


def issue_with_logo(folder: Path, name: str, data: bytes | str | None = None) -> Path:
    """The sample issue in folder, its style in folder/styles/ with logo: name (written there)."""
    styles = folder / "styles"
    styles.mkdir(parents=True, exist_ok=True)
    text = STYLE.read_text(encoding="utf-8")
    assert "  logo: null " in text
    (styles / "shangjie.yaml").write_text(text.replace("  logo: null ", f"  logo: {name} ", 1),
                                          encoding="utf-8")
    if data is not None:
        logo = styles / name
        if isinstance(data, str):
            logo.write_text(data, encoding="utf-8")
        else:
            logo.write_bytes(data)
    shutil.copyfile(SAMPLE, folder / SAMPLE.name)
    return folder / SAMPLE.name


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, logo: Path, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and str(logo) in lines[0], lines[0]
    assert "internal error" not in lines[0]
    return lines[0]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def big_png(path: Path, width: int, height: int, color_type: int = 6, rows: int | None = None):
    """A real PNG (8-bit; 6 RGBA, 2 RGB), streamed row by row: no image is held in memory.
    rows: write only that many rows (a truncated file); 0: the header only."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    row = bytearray(1 + width * channels)            # filter byte 0, then black transparent
    for x in range(width // 3):                      # ... and an opaque red band
        row[1 + x * channels:1 + (x + 1) * channels] = bytes((200, 0, 0, 255)[:channels])
    row = bytes(row)
    todo = height if rows is None else rows
    z = zlib.compressobj(1)
    with path.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(
            ">IIBBBBB", width, height, 8, color_type, 0, 0, 0)))
        for _ in range(0, todo, 256):
            data = b"".join(z.compress(row) for _ in range(min(256, todo)))
            todo -= 256
            f.write(png_chunk(b"IDAT", data))
        if rows is None:
            f.write(png_chunk(b"IDAT", z.flush()) + png_chunk(b"IEND", b""))
        elif rows == 0:
            f.write(png_chunk(b"IDAT", b""))


def measured_build(issue: Path, out: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """`layout build` in a child of a wrapper process: (result, seconds, peak RSS in MB)."""
    wrapper = textwrap.dedent("""
        import json, resource, subprocess, sys, time
        t = time.monotonic()
        r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
        print(json.dumps([r.returncode, r.stdout, r.stderr, time.monotonic() - t,
                          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
    """)
    import json

    proc = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "layout.cli",
                           "build", str(issue), "-o", str(out)],
                          capture_output=True, text=True, env=dict(os.environ), check=True)
    code, stdout, stderr, seconds, rss_kb = json.loads(proc.stdout)
    return subprocess.CompletedProcess([], code, stdout, stderr), seconds, rss_kb / 1024


def _number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


def page_ops(pdf_path: Path, page: int = 0) -> list[tuple[str, list]]:
    with pikepdf.open(pdf_path) as pdf:
        return [(str(op), [_number(v) for v in operands])
                for operands, op in pikepdf.parse_content_stream(pdf.pages[page])]


def font_names(pdf_path: Path) -> set[str]:
    names = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                names.add(str(obj.get("/BaseFont")))
    return names


# -- SVG ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def svg_build(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("svg-logo")
    issue = issue_with_logo(folder, "logo.svg", SVG)
    out = folder / "out.pdf"
    result = run_cli("build", issue, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_svg_logo_passes_preflight(svg_build):
    result = subprocess.run([sys.executable, "-m", "layout.cli", "preflight", str(svg_build)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passes preflight" in result.stdout


def test_svg_logo_brings_no_helvetica(svg_build):
    assert not any("Helvetica" in name for name in font_names(svg_build))


def test_svg_logo_draws_its_paths_in_cmyk(svg_build):
    ops = [(op, args) for op, args in page_ops(svg_build) if op != "n"]   # ReportLab's newpath
    names = [op for op, _ in ops]
    red = [i for i, (op, args) in enumerate(ops)
           if op == "k" and [round(float(v), 3) for v in args] == list(RED)]
    assert red, "the logo's red (#cc0000 as CMYK 0/100/100/20) is not set"
    i = red[0]
    assert names[i + 1:i + 6] == ["m", "l", "l", "h", "f"]     # the triangle, filled
    (x0, y0), (x1, _) = ops[i + 1][1], ops[i + 2][1]
    assert x1 > x0 and 0 < y0 < 1190.55                          # on the page, left to right
    strokes = [j for j in range(i, len(names)) if names[j] == "S" and
               names[j - 5:j] == ["c", "c", "c", "c", "h"]]
    assert strokes, "the circle (four curves, stroked only: fill none) is not drawn"
    assert "rg" not in names and "RG" not in names and "gs" not in names[:i + 6]


def test_svg_logo_with_text_is_one_line(tmp_path):
    logo = tmp_path / "styles" / "logo.svg"
    issue = issue_with_logo(tmp_path, "logo.svg", SVG.replace("> </text>", ">上街时报</text>"))
    msg = one_line_error(run_cli("check", issue), logo)
    assert "has text" in msg and "outlines" in msg


@pytest.mark.parametrize("size", [
    'width="NaN" height="100"', 'width="inf" height="100"', 'width="0" height="100"',
    'width="-400" height="-100"', 'viewBox="0 0 0 0"', 'width="1e-9" height="1e-9"',
])
def test_svg_logo_with_a_bad_size_is_one_line(tmp_path, size):
    logo = tmp_path / "styles" / "logo.svg"
    issue = issue_with_logo(tmp_path, "logo.svg", SVG.replace(
        'width="400" height="100" viewBox="0 0 400 100"', size))
    msg = one_line_error(run_cli("check", issue), logo)
    assert "width" in msg and "height" in msg


@pytest.mark.parametrize("body, words", [
    ("", "cannot read the SVG logo"),
    ("garbage\x01", "not an SVG file"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', "draws nothing"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient '
     'id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
     '<rect width="10" height="10" fill="url(#g)"/></svg>', "gradient"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
     + '<rect width="1" height="1"/>' * (images.MAX_SVG_ELEMENTS + 1) + "</svg>", "elements"),
])
def test_unusable_svg_is_one_line(tmp_path, body, words):
    logo = tmp_path / "styles" / "logo.svg"
    issue = issue_with_logo(tmp_path, "logo.svg", body)
    assert words in one_line_error(run_cli("check", issue), logo)


def test_oversized_svg_file_is_refused_before_parsing(tmp_path):
    logo = tmp_path / "styles" / "logo.svg"
    padding = "<!--" + "x" * images.MAX_SVG_BYTES + "-->"
    issue = issue_with_logo(tmp_path, "logo.svg", SVG.replace("</svg>", padding + "</svg>"))
    assert "KB; the limit is" in one_line_error(run_cli("check", issue), logo)


def test_svg_clip_and_opacity_flatten_without_transparency(tmp_path):
    art = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
           '<clipPath id="c"><rect width="100" height="100"/></clipPath>'
           '<g clip-path="url(#c)"><rect width="200" height="100" fill="red" '
           'fill-opacity="0.5"/></g></svg>')
    issue = issue_with_logo(tmp_path, "logo.svg", art)
    out = tmp_path / "out.pdf"
    result = run_cli("build", issue, "-o", out)
    assert result.exit_code == 0, result.output        # the build's own preflight passed
    ops = page_ops(out)
    names = [op for op, _ in ops]
    assert "W" in names or "W*" in names
    assert any(op == "k" and [round(float(v), 3) for v in args] == [0, 0.5, 0.5, 0]
               for op, args in ops)                     # red at 50 % over white paper


# -- rasters ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, words", [
    ("logo.png", b"", "not a PNG, JPEG or SVG file"),
    ("logo.png", b"not a png at all", "not a PNG, JPEG or SVG file"),
    ("logo.jpg", b"\xff\xd8\xff\xe0garbage", "cannot read the logo"),
])
def test_corrupt_raster_is_one_line(tmp_path, name, data, words):
    logo = tmp_path / "styles" / name
    issue = issue_with_logo(tmp_path, name, data)
    assert words in one_line_error(run_cli("check", issue), logo)


def test_truncated_png_is_one_line_at_build(tmp_path):
    logo = tmp_path / "styles" / "logo.png"
    issue_with_logo(tmp_path, "logo.png")
    big_png(logo, 3000, 600, color_type=2, rows=300)
    out = tmp_path / "out.pdf"
    assert "truncated" in one_line_error(run_cli("build", tmp_path / SAMPLE.name, "-o", out),
                                         logo)
    assert not out.exists()


@pytest.mark.parametrize("width, height, rows", [(20000, 20000, 0), (11000, 8000, None)])
def test_raster_over_the_pixel_limit_is_refused_from_its_header(tmp_path, width, height, rows,
                                                                svg_build):
    """400 MP (header only) and 88 MP (a real file): refused before any pixel is decoded
    (font cache warm from svg_build, as in the next test)."""
    logo = tmp_path / "styles" / "logo.png"
    issue = issue_with_logo(tmp_path, "logo.png")
    big_png(logo, width, height, rows=rows)
    result, seconds, rss = measured_build(issue, tmp_path / "out.pdf")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(logo) in lines[0], result.stderr
    assert f"{width} x {height} pixels" in lines[0]
    assert f"the limit is {images.MAX_PIXELS / 1e6:g} megapixels" in lines[0]
    assert seconds < SECONDS and rss < 120, (seconds, rss)


def test_raster_just_under_the_limit_builds_in_bounded_memory_and_time(tmp_path, svg_build):
    """The worst raster we accept: RGBA (4 bytes a pixel decoded) just under the limit."""
    logo = tmp_path / "styles" / "logo.png"
    issue = issue_with_logo(tmp_path, "logo.png")
    width = 8000
    height = images.MAX_PIXELS // width
    big_png(logo, width, height)
    out = tmp_path / "out.pdf"
    result, seconds, rss = measured_build(issue, out)   # font cache warm (svg_build)
    assert result.returncode == 0, result.stderr
    assert seconds < SECONDS and rss < PEAK_RSS_MB, (seconds, rss)
    with pikepdf.open(out) as pdf:
        xobjects = [x for x in pdf.pages[0].Resources.XObject.values()
                    if x.get("/Subtype") == "/Image"]
        assert len(xobjects) == 1
        img = xobjects[0]
        assert img.ColorSpace == "/DeviceCMYK" and "/SMask" not in img
        placed_pt = 96            # at most the masthead name's leading high
        assert int(img.Height) < height and int(img.Height) >= placed_pt / 72 * 600 * 0.5


@pytest.mark.parametrize("mode", ["P", "LA", "CMYK", "I;16"])
def test_small_rasters_of_every_mode_build(tmp_path, mode):
    from PIL import Image

    logo = tmp_path / "styles" / ("logo.jpg" if mode == "CMYK" else "logo.png")
    issue_with_logo(tmp_path, logo.name)
    im = Image.new(mode, (1200, 300), {"P": 1, "LA": (0, 128), "CMYK": (0, 255, 255, 0),
                                        "I;16": 30000}[mode])
    if mode == "P":
        im.putpalette([255, 255, 255, 200, 0, 0] + [0, 0, 0] * 254)
        im.save(logo, transparency=0)
    else:
        im.save(logo)
    result = run_cli("build", tmp_path / SAMPLE.name, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("mode, name", [("RGB", "logo.png"), ("LA", "logo.png"),
                                        ("L", "logo.jpg"), ("P", "logo.png")])
def test_black_or_grey_raster_logo_prints_on_k_only(tmp_path, mode, name):
    """Black calligraphy (and a grey stroke) on white or clear: K only, no C, M or Y
    (Pillow's own RGB to CMYK would print black as C100 M100 Y100, 300 % ink)."""
    from PIL import Image, ImageDraw

    logo = tmp_path / "styles" / name
    issue_with_logo(tmp_path, name)
    rgb = Image.new("RGB", (1200, 300), (255, 255, 255))
    d = ImageDraw.Draw(rgb)
    d.rectangle((50, 50, 700, 250), fill=(0, 0, 0))
    d.rectangle((800, 50, 1150, 250), fill=(128, 128, 128))
    if mode == "LA":
        grey = rgb.convert("L")
        im = Image.merge("LA", (grey, grey.point(lambda v: 255 - v if v < 255 else 0)))
    elif mode == "P":
        im = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    else:
        im = rgb.convert(mode)
    im.save(logo, **({"quality": 85} if name.endswith(".jpg") else {}))
    out = tmp_path / "out.pdf"
    result = run_cli("build", tmp_path / SAMPLE.name, "-o", out)
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        (img,) = [x for x in pdf.pages[0].Resources.XObject.values()
                  if x.get("/Subtype") == "/Image"]
        assert img.ColorSpace == "/DeviceCMYK" and "/SMask" not in img
        c, m, y, k = pikepdf.PdfImage(img).as_pil_image().split()
    assert c.getextrema() == m.getextrema() == y.getextrema() == (0, 0)
    assert k.getextrema()[1] >= 250          # the black is solid K


def test_coloured_raster_logo_stays_within_the_ink_limit(tmp_path):
    """A dark blue and a dark red logo: GCR separation, not 300 % of C, M and Y."""
    from PIL import Image, ImageDraw

    from layout import photos

    logo = tmp_path / "styles" / "logo.png"
    issue_with_logo(tmp_path, "logo.png")
    im = Image.new("RGB", (1200, 300), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 500, 300), fill=(10, 20, 90))
    d.rectangle((600, 0, 1100, 300), fill=(120, 0, 10))
    im.save(logo)
    out = tmp_path / "out.pdf"
    result = run_cli("build", tmp_path / SAMPLE.name, "-o", out)
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        (img,) = [x for x in pdf.pages[0].Resources.XObject.values()
                  if x.get("/Subtype") == "/Image"]
        cmyk = pikepdf.PdfImage(img).as_pil_image()
    assert photos.max_ink(cmyk) <= 240
    assert cmyk.split()[0].getextrema()[1] > 100           # the blue is still blue

"""Our own output as the printer gets it: boxes, PDF/X, overprint, marks, page files.

Real builds with the bundled fonts. The sample issue is built once per module
with the printer's page files (fixture `printed`); the bleed-and-marks policy
is built once from a copy of the house style in a tmp styles/ folder (fixture
`marked`). LAYOUT_CACHE_DIR points at a module tmp folder so no test touches
~/.cache.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from layout.build import build
from layout.errors import InputError
from layout.output import PreflightError
from layout.preflight import passed, preflight, table
from layout.style import MM, find_style, load_style
from pdfwalk import font_dicts

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "issues" / "2025-03-09.yaml"
STYLE = REPO / "styles" / "shangjie.yaml"
A3 = (841.89, 1190.55)
A3_MM = (297, 420)
STEM = "shangjie_2025-03-09_803"


# -- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory, cache) -> Path:
    """The sample issue built once as the style says (PDF/X, trim-only), with page files."""
    out = tmp_path_factory.mktemp("printed") / "2025-03-09.pdf"
    build(SAMPLE, out, printer=True)
    return out


@pytest.fixture(scope="module")
def style():
    return load_style(find_style("shangjie", SAMPLE))


def style_copy(folder: Path, replace: dict[str, str] | None = None,
               append: str = "") -> Path:
    """The house style copied into folder/styles/, with lines replaced, and the sample beside it."""
    text = STYLE.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "styles").mkdir(parents=True, exist_ok=True)
    path = folder / "styles" / "shangjie.yaml"
    path.write_text(text + append, encoding="utf-8")
    shutil.copyfile(SAMPLE, folder / SAMPLE.name)
    return path


BLEED_AND_MARKS = {"  bleed_mm: 0 ": "  bleed_mm: 3 ", "  marks: false": "  marks: true"}


@pytest.fixture(scope="module")
def marked(tmp_path_factory, cache) -> Path:
    """The sample built with the printer policy bleed_mm: 3, marks: true (and page files)."""
    folder = tmp_path_factory.mktemp("marked")
    style_copy(folder, BLEED_AND_MARKS)
    out = folder / "out" / "marked.pdf"
    build(folder / SAMPLE.name, out, printer=True)
    return out


def box(page, key: str) -> list[float] | None:
    value = page.obj.get(key)
    return [float(v) for v in value] if value is not None else None


def failed(checks) -> dict[str, str]:
    return {c.name: c.detail for c in checks if not c.ok}


# -- default policy: trim-size pages -------------------------------------------------------

def test_default_build_passes_preflight_at_a3(printed):
    checks = preflight(printed, trim_mm=A3_MM)
    assert passed(checks), table(checks)
    assert {c.name for c in checks} >= {"PDF/X keys", "output intent"}


def test_default_build_media_equals_trim_equals_a3(printed):
    with pikepdf.open(printed) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            media, trim = box(page, "/MediaBox"), box(page, "/TrimBox")
            bleed = box(page, "/BleedBox")
            assert media[:2] == pytest.approx([0, 0], abs=0.5)
            assert (media[2] - media[0], media[3] - media[1]) == pytest.approx(A3, abs=0.5)
            assert trim == pytest.approx(media, abs=0.5)
            assert bleed is None or bleed == pytest.approx(trim, abs=0.5)


def test_default_build_is_pdf_14(printed):
    assert printed.read_bytes()[:8] == b"%PDF-1.4"
    with pikepdf.open(printed) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
        [intent] = list(pdf.Root.OutputIntents)
        assert str(intent.OutputConditionIdentifier) == "IFRA26"


def test_default_build_embeds_every_font(printed):
    with pikepdf.open(printed) as pdf:
        fonts = font_dicts(pdf)
        assert fonts
        for font in fonts:
            name = str(font.get("/BaseFont", ""))
            assert not re.search(r"Helvetica|Times|Courier|Symbol|ZapfDingbats", name), name
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue                              # descriptor on the descendant / no file
            desc = font.get("/FontDescriptor")
            assert desc is not None, name
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    assert {c.name: c.ok for c in preflight(printed)}["fonts embedded"]


# -- bleed and marks ----------------------------------------------------------------------------

def test_copied_style_finds_the_bundled_fonts_by_name(tmp_path):
    style_copy(tmp_path, BLEED_AND_MARKS)
    found = find_style("shangjie", tmp_path / SAMPLE.name)
    assert found == tmp_path / "styles" / "shangjie.yaml"
    loaded = load_style(found)
    assert loaded.print.bleed_mm == 3 and loaded.print.marks
    for spec in loaded.fonts.values():              # ../fonts/ is not beside the copy
        assert spec.file.is_file()
        assert spec.file.parent == REPO / "fonts"


def test_marks_build_centres_a3_trim_in_a_larger_sheet(marked):
    with pikepdf.open(marked) as pdf:
        for page in pdf.pages:
            media, trim = box(page, "/MediaBox"), box(page, "/TrimBox")
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A3, abs=0.5)
            left, bottom = trim[0] - media[0], trim[1] - media[1]
            right, top = media[2] - trim[2], media[3] - trim[3]
            assert left > 3 * MM and bottom > 3 * MM          # room for bleed and marks
            assert (left, bottom, right, top) == pytest.approx([left] * 4, abs=0.01)


def test_marks_build_bleed_box_is_trim_plus_3mm(marked):
    with pikepdf.open(marked) as pdf:
        for page in pdf.pages:
            trim, bleed = box(page, "/TrimBox"), box(page, "/BleedBox")
            media = box(page, "/MediaBox")
            assert bleed is not None
            b = 3 * MM
            assert bleed == pytest.approx([trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b],
                                          abs=0.05)
            assert bleed[0] > media[0] and bleed[2] < media[2]   # marks lie outside the bleed


def test_marks_build_passes_preflight(marked):
    checks = preflight(marked, trim_mm=A3_MM)
    assert passed(checks), table(checks)


def _trim_top_down(page) -> tuple[float, float, float, float]:
    """The TrimBox in pdfplumber's coordinates (origin top left): x0, top, x1, bottom."""
    x0, y0, x1, y1 = page.trimbox
    return x0, y0, x1, y1


def test_marks_build_has_no_text_outside_the_trim(marked):
    with pdfplumber.open(marked) as pdf:
        for page in pdf.pages:
            x0, top, x1, bottom = _trim_top_down(page)
            assert page.chars
            outside = [c["text"] for c in page.chars
                       if c["x0"] < x0 - 0.1 or c["x1"] > x1 + 0.1
                       or c["top"] < top - 0.1 or c["bottom"] > bottom + 0.1]
            assert outside == [], "".join(outside)


def test_marks_add_no_text(marked, printed):
    """The slug is drawn as outlines: the pages carry the same text as without marks."""
    def texts(path):
        with pdfplumber.open(path) as pdf:
            return ["".join(c["text"] for c in page.chars) for page in pdf.pages]

    assert texts(marked) == texts(printed)


def test_marks_build_has_crop_marks_at_every_trim_corner(marked):
    with pdfplumber.open(marked) as pdf:
        for page in pdf.pages:
            x0, top, x1, bottom = _trim_top_down(page)
            lines = page.lines
            outside = [ln for ln in lines if ln["x1"] < x0 or ln["x0"] > x1
                       or ln["bottom"] < top or ln["top"] > bottom]
            assert len(outside) >= 8
            for x in (x0, x1):
                for y in (top, bottom):
                    # a horizontal mark on the trim line beside the corner,
                    # a vertical one above or below it, both beyond the bleed
                    horizontal = [ln for ln in outside if abs(ln["top"] - y) < 0.1
                                  and abs(ln["bottom"] - y) < 0.1
                                  and min(abs(ln["x0"] - x), abs(ln["x1"] - x)) > 3 * MM]
                    vertical = [ln for ln in outside if abs(ln["x0"] - x) < 0.1
                                and abs(ln["x1"] - x) < 0.1
                                and min(abs(ln["top"] - y), abs(ln["bottom"] - y)) > 3 * MM]
                    assert horizontal and vertical, (x, y)


def test_marks_build_slug_is_artwork_below_the_trim(marked):
    with pdfplumber.open(marked) as pdf:
        for page in pdf.pages:
            _, _, _, bottom = _trim_top_down(page)
            below = [cv for cv in page.curves if cv["top"] > bottom and cv.get("fill")]
            assert below, "no outlined slug below the trim"


def test_marks_build_page_files_keep_the_boxes(marked):
    for number in (1, 2):
        path = marked.parent / f"{STEM}_p{number:02d}.pdf"
        checks = preflight(path, trim_mm=A3_MM)
        assert passed(checks), table(checks)
        with pikepdf.open(path) as pdf, pikepdf.open(marked) as whole:
            page, source = pdf.pages[0], whole.pages[number - 1]
            for key in ("/MediaBox", "/TrimBox", "/BleedBox"):
                assert box(page, key) == pytest.approx(box(source, key), abs=0.01), key


# -- overprint ------------------------------------------------------------------------------------

def _shown_text(page) -> list[dict]:
    """Each text-showing operator with the fill, font size and overprint state in effect.

    Overprint follows the PDF rules: /OP sets stroke overprint and, where /op is
    absent, fill overprint too; /OPM the overprint mode; q/Q save and restore.
    """
    gstates = page.obj.Resources.get("/ExtGState") or {}
    state = {"fill": None, "size": None, "OP": False, "op": False, "OPM": 0}
    stack, shown = [], []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op == "k":
            state["fill"] = tuple(round(float(v), 4) for v in operands)
        elif op in ("g", "rg", "sc", "scn", "cs"):
            state["fill"] = (op, tuple(str(v) for v in operands))
        elif op == "Tf":
            state["size"] = float(operands[1])
        elif op == "gs":
            gs = gstates[str(operands[0])]
            if "/OP" in gs:
                state["OP"] = bool(gs["/OP"])
            if "/op" in gs:
                state["op"] = bool(gs["/op"])
            elif "/OP" in gs:
                state["op"] = bool(gs["/OP"])
            if "/OPM" in gs:
                state["OPM"] = int(gs["/OPM"])
        elif op in ("Tj", "TJ", "'", '"'):
            shown.append(dict(state))
    return shown


def _cmyk(style, role: str) -> tuple[float, ...]:
    return tuple(round(v / 100, 4) for v in style.colors[style.text[role].color])


def test_black_body_text_overprints_with_opm_1(printed, style):
    black = _cmyk(style, "body")
    assert black == (0, 0, 0, 1)
    with pikepdf.open(printed) as pdf:
        for page in pdf.pages:
            body = [s for s in _shown_text(page)
                    if s["size"] == style.body.size and s["fill"] == black]
            assert len(body) > 100
            for s in body:
                assert (s["OP"], s["op"], s["OPM"]) == (True, True, 1), s


def test_all_black_text_overprints(printed):
    with pikepdf.open(printed) as pdf:
        for page in pdf.pages:
            for s in _shown_text(page):
                if s["fill"] == (0, 0, 0, 1):
                    assert s["op"] and s["OPM"] == 1, s


def test_red_masthead_text_knocks_out(printed, style):
    red = _cmyk(style, "masthead_name")
    assert red[1] > 0.5 and red[2] > 0.5            # the masthead red, not black
    size = style.text["masthead_name"].size
    with pikepdf.open(printed) as pdf:
        shown = _shown_text(pdf.pages[0])
    masthead = [s for s in shown if s["fill"] == red and s["size"] == size]
    assert masthead, "no masthead name in the masthead red on page 1"
    for s in [s for s in shown if s["fill"] == red]:     # name, English name, date
        assert not s["op"] and not s["OP"], s


# -- the printer's page files ---------------------------------------------------------------------

def test_printer_files_one_pdf_a_page_and_a_manifest(printed):
    names = sorted(p.name for p in printed.parent.iterdir())
    assert names == sorted([printed.name, f"{STEM}_p01.pdf", f"{STEM}_p02.pdf",
                            f"{STEM}_manifest.txt"])


@pytest.mark.parametrize("number", [1, 2])
def test_printer_page_file_is_one_page_that_passes_preflight(printed, number):
    path = printed.parent / f"{STEM}_p{number:02d}.pdf"
    with pikepdf.open(path) as pdf, pikepdf.open(printed) as whole:
        assert len(pdf.pages) == 1
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        own = pdf.pages[0].obj
        source = whole.pages[number - 1].obj
        assert pikepdf.unparse_content_stream(pikepdf.parse_content_stream(own)) == \
            pikepdf.unparse_content_stream(pikepdf.parse_content_stream(source))
    checks = preflight(path, trim_mm=A3_MM)
    assert passed(checks), table(checks)


def test_manifest_lists_every_file_with_pages_and_sha256(printed):
    manifest = printed.parent / f"{STEM}_manifest.txt"
    rows = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        m = re.match(r"(\S+)\s+pages (\d+)\s.*\bsha256 ([0-9a-f]{64})$", line)
        if m:
            rows[m[1]] = (int(m[2]), m[3])
    assert rows.keys() == {printed.name, f"{STEM}_p01.pdf", f"{STEM}_p02.pdf"}
    for name, (pages, digest) in rows.items():
        path = printed.parent / name
        with pikepdf.open(path) as pdf:
            assert pages == len(pdf.pages), name
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest(), name
    assert rows[printed.name][0] == 2


# -- --no-pdfx ------------------------------------------------------------------------------------

def test_no_pdfx_build_has_no_pdfx_parts_and_passes_plain_preflight(tmp_path):
    out = tmp_path / "draft.pdf"
    build(SAMPLE, out, pdfx=False)
    with pikepdf.open(out) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert "/GTS_PDFXVersion" not in pdf.docinfo
        meta = pdf.open_metadata()
        assert "pdfxid:GTS_PDFXVersion" not in meta
    checks = preflight(out, trim_mm=A3_MM, pdfx=False)
    assert passed(checks), table(checks)
    assert set(failed(preflight(out, trim_mm=A3_MM))) == {"PDF/X keys", "output intent"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.pdf"]


# -- ink limit ------------------------------------------------------------------------------------

def test_colour_over_the_ink_limit_is_an_input_error(tmp_path):
    path = style_copy(tmp_path, {"  masthead: [0, 100, 100, 10]":
                                 "  masthead: [0, 100, 100, 10]\n  soot: [100, 100, 100, 100]"})
    with pytest.raises(InputError) as info:
        load_style(path)
    msg = str(info.value)
    assert "'soot'" in msg and "400%" in msg and "240%" in msg
    assert "max_ink_percent" in msg


def test_raised_ink_limit_accepts_the_colour(tmp_path):
    path = style_copy(tmp_path, {"  masthead: [0, 100, 100, 10]":
                                 "  masthead: [0, 100, 100, 10]\n  soot: [100, 100, 100, 100]",
                                 "  max_ink_percent: 240": "  max_ink_percent: 400"})
    assert load_style(path).colors["soot"] == (100, 100, 100, 100)


# -- a failed build keeps the last good PDF --------------------------------------------------------

def test_preflight_failure_keeps_the_previous_pdf_and_no_temp_file(tmp_path, monkeypatch):
    out_dir = tmp_path / "out"
    out = out_dir / "issue.pdf"
    build(SAMPLE, out)
    before = out.read_bytes()

    def reject(path, trim_mm, pdfx):
        assert Path(path).parent == out_dir and Path(path) != out   # the temporary file
        raise PreflightError("the built PDF does not pass preflight: test")

    import layout.output
    monkeypatch.setattr(layout.output, "check_output", reject)
    with pytest.raises(PreflightError):
        build(SAMPLE, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["issue.pdf"]


def test_rich_black_text_style_fails_preflight_and_keeps_the_previous_pdf(tmp_path):
    """A style the printer cannot take (rich-black body text, within the ink limit)."""
    out_dir = tmp_path / "out"
    out = out_dir / "issue.pdf"
    build(SAMPLE, out)
    before = out.read_bytes()
    rich = tmp_path / "rich"
    style_copy(rich, {"  text: [0, 0, 0, 100]": "  text: [40, 30, 30, 100]"})
    with pytest.raises(PreflightError) as info:
        build(rich / SAMPLE.name, out)
    assert "black text is K only" in str(info.value)
    assert info.value.exit_code == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["issue.pdf"]

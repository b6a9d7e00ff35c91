"""Preflight on small PDFs that each break one printer rule, and make_pdfx.

Every file starts from the same clean page: A3 with a TrimBox, CMYK only,
K-only black text in an embedded TrueType font (the bundled LXGW WenKai) that
overprints. One rule is then broken, with ReportLab while drawing or with
pikepdf afterwards, and the file is made PDF/X like the build does; exactly
the check for that rule must fail, with a detail that says why.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.cli import main
from layout.pdfx import PDFX_VERSION, make_pdfx
from layout.preflight import Check, passed, preflight, table
from layout.style import MM

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "fonts" / "LXGWWenKai-Regular.ttf"
FONT_NAME = "PreflightKai"
LAYOUT = Path(sys.executable).parent / "layout"
A3 = (841.89, 1190.55)
A3_MM = (297, 420)

ALL_CHECKS = ["page size and boxes", "fonts embedded", "colour spaces CMYK/grey only",
              "spot colours", "total ink", "black text is K only",
              "black text and rules overprint", "white does not overprint", "hairlines",
              "text size", "fine detail in one ink", "image resolution", "compression",
              "no transparency", "no optional content",
              "no PostScript, OPI, transfer or halftone", "no annotations or JavaScript",
              "no forms or actions", "document info", "PDF/X keys", "output intent"]
PDFX_CHECKS = {"document info", "PDF/X keys", "output intent"}


# -- making test files -------------------------------------------------------------------

def _font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT)))
    return FONT_NAME


def k_black_text(c: Canvas, x: float = 100, y: float = 1000, text: str = "上街时报 第5期") -> None:
    """K-only black text that overprints: what the renderer draws for body text."""
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFillOverprint(True)
    c.setOverprintMask(True)
    c.setFont(_font(), 12)
    c.drawString(x, y, text)


def draw_pdf(path: Path, draw=None, *, pagesize=A3, boxes: dict | None = None,
             pdfx: bool = True) -> Path:
    """A one-page A3 PDF that passes every check; draw(c) then breaks one rule."""
    boxes = {"trimBox": (0, 0, *pagesize)} if boxes is None else boxes
    # initialFontName: ReportLab's page preamble would otherwise select (unembedded) Helvetica
    c = Canvas(str(path), pagesize=pagesize, initialFontName=_font(), initialFontSize=12,
               **boxes)
    c.setFillColorCMYK(0.2, 0, 0, 0)            # a cyan tint, knocking out as it should
    c.rect(100, 100, 200, 100, fill=1, stroke=0)
    k_black_text(c)                              # draw() starts in this state
    if draw is not None:
        draw(c)
    c.showPage()
    c.save()
    if pdfx:
        make_pdfx(path, title="测试", output_condition="IFRA26",
                  output_condition_info="ISO 12647-3:2013, coldset offset printing on newsprint")
    return path


def edit(path: Path, change) -> Path:
    """change(pdf) on the file with pikepdf, saved in place (PDF 1.4 as make_pdfx wrote it)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(path, force_version="1.4",
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path


def failures(path: Path, **kwargs) -> dict[str, str]:
    """Failed check name -> detail."""
    return {c.name: c.detail for c in preflight(path, **kwargs) if not c.ok}


@pytest.fixture
def clean(tmp_path) -> Path:
    return draw_pdf(tmp_path / "clean.pdf")


# -- the clean file and make_pdfx ---------------------------------------------------------

def test_clean_pdfx_file_passes_every_check(clean):
    checks = preflight(clean, trim_mm=A3_MM)
    assert [c.name for c in checks] == ALL_CHECKS
    assert all(isinstance(c, Check) for c in checks)
    assert passed(checks), table(checks)
    details = {c.name: c.detail for c in checks}
    assert details["page size and boxes"] == "trim 297 x 420 mm"
    assert details["PDF/X keys"] == f"{PDFX_VERSION}, PDF 1.4"
    assert details["output intent"] == "IFRA26"


def test_make_pdfx_writes_pdf_14_with_the_pdfx_keys(clean):
    assert clean.read_bytes().startswith(b"%PDF-1.4")
    with pikepdf.open(clean) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
        assert str(pdf.docinfo["/Title"]) == "测试"
        intents = list(pdf.Root.OutputIntents)
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert intent.Type == pikepdf.Name.OutputIntent
        assert str(intent.OutputConditionIdentifier) == "IFRA26"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert "ISO 12647-3" in str(intent.OutputCondition)
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-1a:2003"
        assert meta["pdf:Trapped"] == "False"
        assert pdf.trailer.get("/ID") is not None


def test_make_pdfx_twice_still_has_one_output_intent(clean):
    make_pdfx(clean, title="again", output_condition="IFRA26", output_condition_info="x")
    with pikepdf.open(clean) as pdf:
        assert len(pdf.Root.OutputIntents) == 1
    assert passed(preflight(clean, trim_mm=A3_MM))


def test_table_has_one_row_a_check_with_pass_or_fail(clean, tmp_path):
    rows = table(preflight(clean)).splitlines()
    assert len(rows) == len(ALL_CHECKS)
    assert all("  pass" in row for row in rows)
    bad = draw_pdf(tmp_path / "rgb.pdf", lambda c: (c.setFillColorRGB(1, 0, 0),
                                                     c.rect(10, 10, 20, 20, fill=1)))
    rows = table(preflight(bad)).splitlines()
    assert [r.split("  ")[0] for r in rows if "FAIL" in r] == ["colour spaces CMYK/grey only"]


# -- colour ------------------------------------------------------------------------------

def test_rgb_fill_fails_colour_spaces_only(tmp_path):
    def rgb(c):
        c.setFillColorRGB(1, 0, 0)
        c.rect(400, 400, 50, 50, fill=1, stroke=0)

    found = failures(draw_pdf(tmp_path / "rgb.pdf", rgb), trim_mm=A3_MM)
    assert list(found) == ["colour spaces CMYK/grey only"]
    assert "RGB" in found["colour spaces CMYK/grey only"]


def test_rgb_image_fails_colour_spaces(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = ImageReader(Image.new("RGB", (64, 64), (200, 30, 30)))
    found = failures(draw_pdf(tmp_path / "img.pdf",
                              lambda c: c.drawImage(picture, 400, 400, 20, 20)))
    assert list(found) == ["colour spaces CMYK/grey only"]
    assert "DeviceRGB" in found["colour spaces CMYK/grey only"]


def test_cmyk_image_passes(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = ImageReader(Image.new("CMYK", (64, 64), (0, 200, 200, 0)))
    assert failures(draw_pdf(tmp_path / "img.pdf",
                             lambda c: c.drawImage(picture, 400, 400, 20, 20))) == {}


# -- fonts -------------------------------------------------------------------------------

def test_unembedded_helvetica_fails_fonts_embedded_naming_it(tmp_path):
    def helvetica(c):
        c.setFont("Helvetica", 12)             # K-only black, overprinting: only the font is wrong
        c.drawString(100, 900, "SHANGJIE NEWSLETTER")

    found = failures(draw_pdf(tmp_path / "helv.pdf", helvetica))
    assert list(found) == ["fonts embedded"]
    assert "Helvetica" in found["fonts embedded"]
    assert "not embedded" in found["fonts embedded"]
    assert FONT_NAME not in found["fonts embedded"]


# -- boxes -------------------------------------------------------------------------------

def test_missing_trim_box_fails_boxes(clean):
    def drop(pdf):
        del pdf.pages[0].obj["/TrimBox"]

    found = failures(edit(clean, drop))
    assert list(found) == ["page size and boxes"]
    assert "no TrimBox" in found["page size and boxes"]
    assert "p1" in found["page size and boxes"]


def test_trim_box_of_the_wrong_size_fails_only_when_a_size_is_asked(tmp_path):
    a4 = (0, 0, 595.28, 841.89)                  # an A4 trim on an A3 sheet
    path = draw_pdf(tmp_path / "a4.pdf", boxes={"trimBox": a4})
    found = failures(path, trim_mm=A3_MM)
    assert list(found) == ["page size and boxes"]
    assert "210 x 297 mm, not 297 x 420" in found["page size and boxes"]
    assert failures(path) == {}                  # any trim size is fine when none is asked
    assert failures(path, trim_mm=(210, 297)) == {}


def test_trim_box_outside_the_media_box_fails(tmp_path):
    path = draw_pdf(tmp_path / "out.pdf", boxes={"trimBox": (-10, 0, A3[0], A3[1])})
    found = failures(path)
    assert list(found) == ["page size and boxes"]
    assert "outside the MediaBox" in found["page size and boxes"]


def test_bleed_box_smaller_than_the_trim_box_fails(tmp_path):
    path = draw_pdf(tmp_path / "bleed.pdf",
                    boxes={"trimBox": (0, 0, *A3), "bleedBox": (10, 10, A3[0] - 10, A3[1] - 10)})
    found = failures(path, trim_mm=A3_MM)
    assert list(found) == ["page size and boxes"]
    assert "BleedBox" in found["page size and boxes"]


def test_bleed_box_beyond_the_media_box_fails(tmp_path):
    bleed = 3 * MM
    path = draw_pdf(tmp_path / "bleed.pdf",
                    boxes={"trimBox": (0, 0, *A3),
                           "bleedBox": (-bleed, -bleed, A3[0] + bleed, A3[1] + bleed)})
    found = failures(path, trim_mm=A3_MM)
    assert list(found) == ["page size and boxes"]
    assert "BleedBox" in found["page size and boxes"]


def test_trim_with_bleed_inside_a_larger_sheet_passes(tmp_path):
    bleed, off = 3 * MM, 13 * MM
    sheet = (A3[0] + 2 * off, A3[1] + 2 * off)
    path = draw_pdf(tmp_path / "sheet.pdf", pagesize=sheet, boxes={
        "trimBox": (off, off, off + A3[0], off + A3[1]),
        "bleedBox": (off - bleed, off - bleed, off + A3[0] + bleed, off + A3[1] + bleed)})
    assert failures(path, trim_mm=A3_MM) == {}


# -- transparency ---------------------------------------------------------------------------

def test_page_transparency_group_fails_no_transparency(clean):
    def group(pdf):
        pdf.pages[0].obj.Group = pikepdf.Dictionary(Type=pikepdf.Name.Group,
                                                    S=pikepdf.Name.Transparency,
                                                    CS=pikepdf.Name.DeviceCMYK)

    found = failures(edit(clean, group))
    assert list(found) == ["no transparency"]
    assert "transparency group" in found["no transparency"]


def test_fill_alpha_fails_no_transparency(tmp_path):
    def alpha(c):
        c.setFillColorCMYK(0, 1, 1, 0)
        c.setFillAlpha(0.5)
        c.rect(400, 400, 50, 50, fill=1, stroke=0)

    found = failures(draw_pdf(tmp_path / "alpha.pdf", alpha))
    assert list(found) == ["no transparency"]
    assert "opacity 0.5" in found["no transparency"]


def test_blend_mode_fails_no_transparency(tmp_path):
    def multiply(c):
        c.setFillColorCMYK(0, 1, 1, 0)
        c.setBlendMode("Multiply")
        c.rect(400, 400, 50, 50, fill=1, stroke=0)

    found = failures(draw_pdf(tmp_path / "bm.pdf", multiply))
    assert list(found) == ["no transparency"]
    assert "Multiply" in found["no transparency"]


def _add_gstate(pdf, name: str, gs: pikepdf.Dictionary) -> None:
    """An ExtGState in the page resources, put in effect at the end of the page."""
    page = pdf.pages[0]
    resources = page.obj.Resources
    if "/ExtGState" not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    resources.ExtGState[name] = gs
    page.contents_add(pdf.make_stream(f"q {name} gs 0 0 1 0 k 10 10 20 20 re f Q".encode()))


def test_soft_mask_fails_no_transparency(clean):
    def smask(pdf):
        group = pdf.make_stream(b"0 g 0 0 100 100 re f", Type=pikepdf.Name.XObject,
                                Subtype=pikepdf.Name.Form, BBox=[0, 0, 100, 100],
                                Group=pikepdf.Dictionary(S=pikepdf.Name.Transparency,
                                                         CS=pikepdf.Name.DeviceGray))
        mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=group)
        _add_gstate(pdf, "/SM1", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, SMask=mask))

    found = failures(edit(clean, smask))
    assert list(found) == ["no transparency"]
    assert "soft mask" in found["no transparency"]


def test_soft_mask_none_and_full_opacity_pass(clean):
    def harmless(pdf):
        _add_gstate(pdf, "/OK1", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState,
                                                   SMask=pikepdf.Name("/None"), CA=1, ca=1,
                                                   BM=pikepdf.Name.Normal))

    assert failures(edit(clean, harmless)) == {}


# -- black text ----------------------------------------------------------------------------

def test_rich_black_text_fails_k_only(tmp_path):
    def rich(c):
        c.setFillColorCMYK(0.6, 0.4, 0.4, 1)
        c.setFont(_font(), 24)
        c.drawString(100, 800, "富黑标题")

    found = failures(draw_pdf(tmp_path / "rich.pdf", rich))
    assert list(found) == ["black text is K only"]
    assert "rich black" in found["black text is K only"]
    assert "CMYK 60/40/40/100" in found["black text is K only"]


def test_grey_black_text_is_allowed(tmp_path):
    """DeviceGray prints on the K plate alone: PDF/X-1a allows it (it was a false failure)."""
    def grey(c):
        c.setFillGray(0)
        c.drawString(100, 800, "灰度黑字")

    assert failures(draw_pdf(tmp_path / "grey.pdf", grey)) == {}


def test_rgb_black_text_fails_k_only(tmp_path):
    def rgb(c):
        c.setFillColorRGB(0, 0, 0)
        c.drawString(100, 800, "RGB黑字")

    found = failures(draw_pdf(tmp_path / "rgbk.pdf", rgb))
    assert set(found) == {"black text is K only", "colour spaces CMYK/grey only"}


def test_k_only_black_text_without_overprint_fails_overprint(tmp_path):
    c_path = tmp_path / "knockout.pdf"

    def knockout(c):
        c.setFillOverprint(False)
        c.setOverprintMask(False)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.drawString(100, 800, "镂空黑字")

    found = failures(draw_pdf(c_path, knockout))
    assert list(found) == ["black text and rules overprint"]
    assert "knocks out" in found["black text and rules overprint"]


def test_k_only_black_text_with_overprint_but_opm_0_fails(tmp_path):
    def opm0(c):
        c.setOverprintMask(False)                # overprint on, but mode 0 clears C, M, Y
        c.drawString(100, 800, "叠印模式")

    found = failures(draw_pdf(tmp_path / "opm0.pdf", opm0))
    assert list(found) == ["black text and rules overprint"]


def test_k_only_black_text_with_overprint_passes(tmp_path):
    def overprint(c):
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFillOverprint(True)
        c.setOverprintMask(True)
        c.drawString(100, 800, "叠印黑字")

    checks = preflight(draw_pdf(tmp_path / "op.pdf", overprint))
    assert {c.name: c.ok for c in checks}["black text and rules overprint"]
    assert {c.name: c.ok for c in checks}["black text is K only"]
    assert passed(checks), table(checks)


def test_coloured_text_need_not_overprint(tmp_path):
    def red(c):
        c.setFillOverprint(False)
        c.setFillColorCMYK(0, 1, 1, 0.1)
        c.drawString(100, 800, "上街时报")

    assert failures(draw_pdf(tmp_path / "red.pdf", red)) == {}


# -- PDF/X keys and output intent -------------------------------------------------------------

def test_plain_pdf_fails_pdfx_keys_and_output_intent(tmp_path):
    plain = draw_pdf(tmp_path / "plain.pdf", pdfx=False)
    found = failures(plain, trim_mm=A3_MM)
    assert set(found) == {"PDF/X keys", "output intent"}     # ReportLab writes title and dates
    assert "no GTS_PDFXVersion" in found["PDF/X keys"]
    assert "0 GTS_PDFX output intents" in found["output intent"]


def test_plain_pdf_with_pdfx_false_skips_those_checks(tmp_path):
    plain = draw_pdf(tmp_path / "plain.pdf", pdfx=False)
    checks = preflight(plain, trim_mm=A3_MM, pdfx=False)
    assert [c.name for c in checks] == [n for n in ALL_CHECKS if n not in PDFX_CHECKS]
    assert passed(checks), table(checks)


def test_pdf_newer_than_14_fails_pdfx_keys(clean):
    with pikepdf.open(clean, allow_overwriting_input=True) as pdf:
        pdf.save(clean, force_version="1.6")
    found = failures(clean)
    assert list(found) == ["PDF/X keys"]
    assert "PDF 1.6" in found["PDF/X keys"]


def test_wrong_pdfx_version_and_trapped_fail(clean):
    def wrong(pdf):
        pdf.docinfo["/GTS_PDFXVersion"] = pikepdf.String("PDF/X-4")
        pdf.docinfo["/Trapped"] = pikepdf.Name("/Unknown")

    found = failures(edit(clean, wrong))
    assert list(found) == ["PDF/X keys"]
    assert "PDF/X-4" in found["PDF/X keys"] and "/Trapped" in found["PDF/X keys"]


def test_two_output_intents_fail(clean):
    def twice(pdf):
        intent = pdf.Root.OutputIntents[0]
        pdf.Root.OutputIntents = pikepdf.Array([intent, intent])

    found = failures(edit(clean, twice))
    assert list(found) == ["output intent"]
    assert "2 GTS_PDFX output intents" in found["output intent"]


def test_output_intent_without_identifier_fails(clean):
    def blank(pdf):
        pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String("")

    found = failures(edit(clean, blank))
    assert list(found) == ["output intent"]
    assert "OutputConditionIdentifier" in found["output intent"]


# -- annotations and JavaScript -------------------------------------------------------------

def test_link_annotation_fails(tmp_path):
    link = draw_pdf(tmp_path / "link.pdf",
                    lambda c: c.linkURL("https://example.com", (100, 100, 300, 130)))
    found = failures(link)
    assert list(found) == ["no annotations or JavaScript"]
    assert "annotation /Link" in found["no annotations or JavaScript"]


def _annot(pdf, subtype: str, rect) -> None:
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype),
                           Rect=rect))]))


def _sheet(tmp_path, name="sheet.pdf") -> Path:
    """A3 trim (10 mm bleed box inside) centred on a sheet 40 mm larger each way."""
    m = 20 * MM
    w, h = A3[0] + 2 * m, A3[1] + 2 * m
    return draw_pdf(tmp_path / name, pagesize=(w, h),
                    boxes={"trimBox": (m, m, m + A3[0], m + A3[1]),
                           "bleedBox": (m - 3 * MM, m - 3 * MM, m + A3[0] + 3 * MM,
                                        m + A3[1] + 3 * MM)})


def test_printer_mark_annotation_outside_the_trim_is_allowed(tmp_path):
    sheet = _sheet(tmp_path)
    assert failures(edit(sheet, lambda pdf: _annot(pdf, "/PrinterMark", [0, 0, 10, 10]))) == {}


def test_printer_mark_annotation_inside_the_trim_fails(tmp_path):
    sheet = _sheet(tmp_path)
    found = failures(edit(sheet, lambda pdf: _annot(pdf, "/PrinterMark", [300, 300, 320, 320])))
    assert list(found) == ["no annotations or JavaScript"]
    assert "PrinterMark annotation inside the trim" in found["no annotations or JavaScript"]


def test_annotation_outside_the_bleed_is_allowed(tmp_path):
    sheet = _sheet(tmp_path)
    assert failures(edit(sheet, lambda pdf: _annot(pdf, "/Text", [2, 2, 20, 20]))) == {}


def _javascript(pdf) -> pikepdf.Object:
    return pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                JS=pikepdf.String("app.alert('hi');")))


def test_document_javascript_fails(clean):
    def names(pdf):
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("hello"), _javascript(pdf)])))

    found = failures(edit(clean, names))
    assert list(found) == ["no annotations or JavaScript"]
    assert "JavaScript" in found["no annotations or JavaScript"]


def test_javascript_open_action_fails(clean):
    def open_action(pdf):
        pdf.Root.OpenAction = _javascript(pdf)

    found = failures(edit(clean, open_action))
    assert list(found) == ["no annotations or JavaScript"]
    assert "JavaScript open action" in found["no annotations or JavaScript"]


def test_open_action_destination_array_is_no_javascript(clean):
    def open_at_page_one(pdf):
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])

    assert failures(edit(clean, open_at_page_one)) == {}


# -- forms -----------------------------------------------------------------------------------

def test_form_text_inherits_the_callers_k_only_overprint(tmp_path):
    def form(c):
        c.beginForm("Credits")
        c.setFont(_font(), 9)
        c.drawString(100, 700, "值班编辑 焦芙蓉")    # no colour of its own: the caller's
        c.endForm()
        k_black_text(c, 100, 650)              # K-only black with overprint in effect
        c.doForm("Credits")

    assert failures(draw_pdf(tmp_path / "form.pdf", form)) == {}


def test_rich_black_text_in_a_form_fails(tmp_path):
    def form(c):
        c.beginForm("Rich")
        c.setFillColorCMYK(0.3, 0.3, 0.3, 1)      # rich black under the ink limit
        c.setFont(_font(), 12)
        c.drawString(100, 700, "表单富黑")
        c.endForm()
        c.doForm("Rich")

    found = failures(draw_pdf(tmp_path / "form.pdf", form))
    assert list(found) == ["black text is K only"]


# -- the command ------------------------------------------------------------------------------

def _invoke(*args: str):
    return CliRunner().invoke(main, ["preflight", *args])


def test_cli_bad_file_exits_1_with_fail_rows(tmp_path):
    bad = draw_pdf(tmp_path / "bad.pdf", lambda c: (c.setFillColorRGB(0, 0, 1),
                                                     c.rect(10, 10, 20, 20, fill=1)))
    result = _invoke(str(bad))
    assert result.exit_code == 1, result.output
    fail_rows = [line for line in result.stdout.splitlines() if "  FAIL  " in line]
    assert len(fail_rows) == 1 and fail_rows[0].startswith("colour spaces CMYK/grey only")
    assert "RGB" in fail_rows[0]
    assert result.stdout.splitlines()[-1] == f"{bad}: FAILS preflight"


def test_cli_plain_pdf_fails_pdfx_rows_unless_no_pdfx(tmp_path):
    plain = draw_pdf(tmp_path / "plain.pdf", pdfx=False)
    result = _invoke(str(plain))
    assert result.exit_code == 1
    failed = {line.split("  ")[0] for line in result.stdout.splitlines() if "  FAIL  " in line}
    assert failed == {"PDF/X keys", "output intent"}
    result = _invoke(str(plain), "--no-pdfx")
    assert result.exit_code == 0, result.output
    assert "PDF/X keys" not in result.stdout


def test_cli_good_file_exits_0(clean):
    result = _invoke(str(clean))
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert len(rows) == len(ALL_CHECKS) + 1
    assert all("  pass" in row for row in rows[:-1])
    assert "FAIL" not in result.stdout
    assert rows[-1] == f"{clean}: passes preflight"


def test_cli_trim_size(clean, tmp_path):
    result = _invoke(str(clean), "--trim", "297x420")
    assert result.exit_code == 0, result.output
    result = _invoke(str(clean), "--trim", "210x297")
    assert result.exit_code == 1
    assert "not 210 x 297" in result.stdout


@pytest.mark.parametrize("trim", ["abc", "297", "297x", "297x420x5"])
def test_cli_bad_trim_is_one_error_line(clean, trim):
    result = _invoke(str(clean), "--trim", trim)
    assert result.exit_code not in (0, 1)         # a usage error, not a preflight verdict
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --trim"), result.stderr
    assert repr(trim) in lines[0]
    assert "Traceback" not in result.output


def test_cli_not_a_pdf_is_one_error_line(tmp_path):
    junk = tmp_path / "notes.pdf"
    junk.write_text("这不是 PDF 文件\n", encoding="utf-8")
    result = _invoke(str(junk))
    assert result.exit_code not in (0, 1)
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "notes.pdf" in lines[0] and "cannot read it as a PDF" in lines[0]
    assert "Traceback" not in result.output


def test_cli_missing_file_is_a_usage_error(tmp_path):
    result = _invoke(str(tmp_path / "nowhere.pdf"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.skipif(not LAYOUT.exists(), reason="the layout command is not installed")
def test_installed_command_on_a_non_pdf_prints_no_traceback(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00\x01 not a pdf at all")
    env = {k: v for k, v in os.environ.items() if k != "LAYOUT_DEBUG"}
    proc = subprocess.run([str(LAYOUT), "preflight", str(junk)], capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode not in (0, 1)
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr

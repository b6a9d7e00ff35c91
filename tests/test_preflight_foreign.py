"""Preflight on PDFs not made by us: one small file a rule, and a control that passes.

Each file starts from the clean page of test_preflight (A3, CMYK, K-only black
text that overprints, PDF/X-1a:2003) and breaks exactly one rule, drawn with
ReportLab or added with pikepdf. The rules are the ones a newspaper plant's
preflight (Ghent Workgroup newspaper specs, callas / PitStop profiles) flags;
the controls are what PDF/X-1a allows and an older preflight failed.
"""
from __future__ import annotations

import json
import time

import pikepdf
import pytest
from click.testing import CliRunner
from reportlab.pdfgen.canvas import Canvas

from layout.cli import main
from layout.preflight import inspect, passed, preflight, table
from layout.style import MM
from test_preflight import A3, A3_MM, _font, draw_pdf, edit, failures, k_black_text


def statuses(path, **kwargs) -> dict[str, str]:
    """Check name -> status for the checks that are not a plain pass."""
    return {c.name: c.status for c in preflight(path, **kwargs) if c.status != "pass"}


def detail(path, name, **kwargs) -> str:
    return {c.name: c.detail for c in preflight(path, **kwargs)}[name]


def add(pdf, content: bytes, **resources) -> None:
    """Append content to page 1, with the resources it names (category -> {name: obj})."""
    page = pdf.pages[0]
    res = page.obj.Resources
    for category, entries in resources.items():
        key = pikepdf.Name("/" + category)
        if key not in res:
            res[key] = pikepdf.Dictionary()
        for name, obj in entries.items():
            res[key][pikepdf.Name("/" + name)] = obj
    page.contents_add(pikepdf.Stream(pdf, content), prepend=False)


def changed(tmp_path, change, name="x.pdf", **draw_kwargs):
    return edit(draw_pdf(tmp_path / name, **draw_kwargs), change)


def _lzw(data: bytes) -> bytes:
    """LZW (early change) without compression: a clear code, 9-bit literals, end of data."""
    codes = [256, *data, 257]
    bits = "".join(f"{c:09b}" for c in codes)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def _icc(space: bytes = b"CMYK", cls: bytes = b"prtr") -> bytes:
    head = bytearray(132)
    head[0:4] = (132).to_bytes(4, "big")
    head[12:16], head[16:20], head[36:40] = cls, space, b"acsp"
    return bytes(head)


# -- colour ------------------------------------------------------------------------------

def test_rgb_inline_image_fails_colour_spaces(tmp_path):
    def inline(pdf):
        add(pdf, b"q 0.5 0 0 0.5 400 400 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID "
                 + b"\xc8\x10\x10" * 4 + b" EI Q")

    found = failures(changed(tmp_path, inline))
    assert list(found) == ["colour spaces CMYK/grey only"]
    assert "inline image" in found["colour spaces CMYK/grey only"]


def test_cmyk_inline_image_passes(tmp_path):
    def inline(pdf):
        add(pdf, b"q 0.5 0 0 0.5 400 400 cm BI /W 2 /H 2 /CS /CMYK /BPC 8 ID "
                 + b"\x00\x80\x80\x00" * 4 + b" EI Q")

    assert failures(changed(tmp_path, inline)) == {}


def _shading(pdf, space, c0, c1):
    return pdf.make_indirect(pikepdf.Dictionary(
        ShadingType=2, ColorSpace=space, Coords=[0, 0, 100, 0],
        Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=c0, C1=c1, N=1)))


def test_rgb_shading_fails_colour_spaces(tmp_path):
    def shade(pdf):
        add(pdf, b"q 100 100 200 50 re W n /Sh0 sh Q",
            Shading={"Sh0": _shading(pdf, pikepdf.Name.DeviceRGB, [1, 0, 0], [0, 0, 1])})

    found = failures(changed(tmp_path, shade))
    assert list(found) == ["colour spaces CMYK/grey only"]
    assert "shading" in found["colour spaces CMYK/grey only"]


def test_cmyk_shading_passes(tmp_path):
    def shade(pdf):
        add(pdf, b"q 100 100 200 50 re W n /Sh0 sh Q",
            Shading={"Sh0": _shading(pdf, pikepdf.Name.DeviceCMYK, [0, 0, 0, 0],
                                     [1, 0, 0, 0])})

    assert failures(changed(tmp_path, shade)) == {}


def _tiling(pdf, content: bytes):
    return pdf.make_indirect(pikepdf.Stream(pdf, content, Type=pikepdf.Name.Pattern,
                                            PatternType=1, PaintType=1, TilingType=1,
                                            BBox=[0, 0, 10, 10], XStep=10, YStep=10,
                                            Resources=pikepdf.Dictionary()))


def test_rgb_tiling_pattern_fails_colour_spaces(tmp_path):
    def pattern(pdf):
        add(pdf, b"/Pattern cs /P0 scn 100 300 50 50 re f",
            Pattern={"P0": _tiling(pdf, b"1 0 0 rg 0 0 5 5 re f")})

    found = failures(changed(tmp_path, pattern))
    assert list(found) == ["colour spaces CMYK/grey only"]


def test_rgb_shading_pattern_fails_colour_spaces(tmp_path):
    def pattern(pdf):
        pat = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Pattern, PatternType=2,
            Shading=_shading(pdf, pikepdf.Name.DeviceRGB, [0, 1, 0], [0, 0, 1])))
        add(pdf, b"/Pattern cs /P0 scn 100 300 50 50 re f", Pattern={"P0": pat})

    found = failures(changed(tmp_path, pattern))
    assert list(found) == ["colour spaces CMYK/grey only"]


def test_cmyk_tiling_pattern_passes(tmp_path):
    def pattern(pdf):
        add(pdf, b"/Pattern cs /P0 scn 100 300 50 50 re f",
            Pattern={"P0": _tiling(pdf, b"0 0.5 0 0 k 0 0 5 5 re f")})

    assert failures(changed(tmp_path, pattern)) == {}


def _separation(pdf, name: str):
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/" + name),
                          pikepdf.Name.DeviceCMYK,
                          pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                             C1=[0, 0.9, 0.8, 0], N=1)])


def test_spot_colour_fails_as_a_fifth_plate(tmp_path):
    def spot(pdf):
        add(pdf, b"/CS0 cs 1 scn 100 300 50 50 re f",
            ColorSpace={"CS0": _separation(pdf, "PANTONE 185 C")})

    path = changed(tmp_path, spot)
    found = failures(path)
    assert list(found) == ["spot colours"]
    assert "PANTONE 185 C" in found["spot colours"]
    assert statuses(path, profile="x1a") == {"spot colours": "warn"}   # X-1a allows spots


@pytest.mark.parametrize("name", ["Black", "All", "None"])
def test_process_and_registration_separations_are_no_spot(tmp_path, name):
    def sep(pdf):
        add(pdf, b"/CS0 cs 0.5 scn 100 300 50 50 re f",
            ColorSpace={"CS0": _separation(pdf, name)})

    assert failures(changed(tmp_path, sep)) == {}


def test_total_ink_over_the_limit_fails(tmp_path):
    path = changed(tmp_path, lambda pdf: add(pdf, b"0.8 0.7 0.6 0.5 k 100 300 50 50 re f"))
    found = failures(path)
    assert list(found) == ["total ink"]
    assert "260 % > 240 %" in found["total ink"]
    assert failures(path, max_ink=300) == {}


def test_total_ink_of_image_pixels_fails(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("CMYK", (64, 64), (0, 100, 0, 0))
    img.putpixel((5, 5), (255, 255, 255, 0))          # one pixel of 300 %
    picture = ImageReader(img)
    found = failures(draw_pdf(tmp_path / "img.pdf",
                              lambda c: c.drawImage(picture, 400, 400, 20, 20)))
    assert list(found) == ["total ink"]
    assert "pixels up to 300 %" in found["total ink"]


def test_total_ink_under_the_limit_passes(tmp_path):
    path = changed(tmp_path, lambda pdf: add(pdf, b"0.6 0.6 0.6 0.6 k 100 300 50 50 re f"))
    assert failures(path) == {}
    assert "at most 240 %" in detail(path, "total ink")


# -- lines and type ---------------------------------------------------------------------------

def test_hairline_fails(tmp_path):
    path = changed(tmp_path, lambda pdf: add(pdf, b"1 0 0 0 K 0.1 w 100 300 m 300 300 l S"))
    found = failures(path)
    assert list(found) == ["hairlines"]
    assert "0.10 pt < 0.25 pt" in found["hairlines"]


def test_hairline_made_by_scaling_fails(tmp_path):
    path = changed(tmp_path, lambda pdf: add(
        pdf, b"q 0.25 0 0 0.25 0 0 cm 1 0 0 0 K 0.5 w 400 1200 m 1200 1200 l S Q"))
    assert list(failures(path)) == ["hairlines"]


def test_line_of_a_quarter_point_passes(tmp_path):
    path = changed(tmp_path, lambda pdf: add(pdf, b"1 0 0 0 K 0.3 w 100 300 m 300 300 l S"))
    assert failures(path) == {}


def test_text_under_the_minimum_size_fails(tmp_path):
    def tiny(c):
        c.setFont(_font(), 4)
        c.drawString(100, 600, "ABC")

    found = failures(draw_pdf(tmp_path / "tiny.pdf", tiny))
    assert list(found) == ["text size"]
    assert "'ABC' 4.0 pt < 5 pt" in found["text size"]


def test_text_at_the_minimum_size_passes(tmp_path):
    def small(c):
        c.setFont(_font(), 5)
        c.drawString(100, 600, "ABC")

    assert failures(draw_pdf(tmp_path / "small.pdf", small)) == {}


def test_small_text_in_three_inks_warns(tmp_path):
    def red(c):
        c.setFillOverprint(False)
        c.setFillColorCMYK(0, 1, 1, 0.1)
        c.setFont(_font(), 6.5)
        c.drawString(100, 600, "ABC")

    path = draw_pdf(tmp_path / "red.pdf", red)
    assert statuses(path) == {"fine detail in one ink": "warn"}
    assert passed(preflight(path))
    assert "p1: text 'ABC' 6.5 pt in 3 inks" in detail(path, "fine detail in one ink")


def test_thin_rule_in_three_inks_warns(tmp_path):
    path = changed(tmp_path, lambda pdf: add(pdf, b"0 1 1 0.1 K 0.5 w 100 300 m 300 300 l S"))
    assert statuses(path) == {"fine detail in one ink": "warn"}


def test_white_text_set_to_overprint_fails(tmp_path):
    def white(c):
        c.setFillColorCMYK(0, 0, 0, 0)           # overprint still on from the black text
        c.drawString(100, 600, "ABC")

    found = failures(draw_pdf(tmp_path / "white.pdf", white))
    assert list(found) == ["white does not overprint"]
    assert "white text" in found["white does not overprint"]


def test_white_text_knocking_out_passes(tmp_path):
    def white(c):
        c.setFillOverprint(False)
        c.setFillColorCMYK(0, 0, 0, 0)
        c.drawString(100, 600, "ABC")

    assert failures(draw_pdf(tmp_path / "white.pdf", white)) == {}


def test_black_rule_knocking_out_fails(tmp_path):
    def rule(c):
        c.setStrokeOverprint(False)
        c.setStrokeColorCMYK(0, 0, 0, 1)
        c.setLineWidth(0.5)
        c.line(100, 600, 400, 600)

    found = failures(draw_pdf(tmp_path / "rule.pdf", rule))
    assert list(found) == ["black text and rules overprint"]
    assert "black rule knocks out" in found["black text and rules overprint"]


def test_black_rule_that_overprints_passes(tmp_path):
    def rule(c):
        c.setStrokeOverprint(True)
        c.setOverprintMask(True)
        c.setStrokeColorCMYK(0, 0, 0, 1)
        c.setLineWidth(0.5)
        c.line(100, 600, 400, 600)

    assert failures(draw_pdf(tmp_path / "rule.pdf", rule)) == {}


# -- images --------------------------------------------------------------------------------

def _cmyk_picture(size=64):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    return ImageReader(Image.new("CMYK", (size, size), (0, 80, 80, 0)))


def test_image_under_100_ppi_fails(tmp_path):
    picture = _cmyk_picture()
    found = failures(draw_pdf(tmp_path / "low.pdf",
                              lambda c: c.drawImage(picture, 400, 400, 64, 64)))
    assert list(found) == ["image resolution"]
    assert "image 1 (64×64) 72 ppi < 100" in found["image resolution"]


def test_image_under_200_ppi_warns_and_over_it_passes(tmp_path):
    picture = _cmyk_picture()
    warned = draw_pdf(tmp_path / "mid.pdf", lambda c: c.drawImage(picture, 400, 400, 30, 30))
    assert statuses(warned) == {"image resolution": "warn"}
    assert "154 ppi < 200" in detail(warned, "image resolution")
    fine = draw_pdf(tmp_path / "fine.pdf", lambda c: c.drawImage(picture, 400, 400, 20, 20))
    assert statuses(fine) == {}


# -- compression ---------------------------------------------------------------------------

def _form(pdf, content: bytes, **keys):
    return pdf.make_indirect(pikepdf.Stream(pdf, content, Type=pikepdf.Name.XObject,
                                            Subtype=pikepdf.Name.Form, BBox=[0, 0, 100, 100],
                                            **keys))


def test_lzw_compression_fails(tmp_path):
    def lzw(pdf):
        form = pikepdf.Stream(pdf, _lzw(b"0 0 0 0.5 k 0 0 10 10 re f"))   # encoded data
        form.Filter = pikepdf.Name.LZWDecode
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, \
            [0, 0, 100, 100]
        add(pdf, b"/Fm9 Do", XObject={"Fm9": pdf.make_indirect(form)})

    path = draw_pdf(tmp_path / "lzw.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        lzw(pdf)       # saved as it is: qpdf would otherwise recompress LZW with Flate
        pdf.save(path, force_version="1.4", stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    found = failures(path)
    assert list(found) == ["compression"]
    assert "LZW" in found["compression"]


def test_jbig2_compression_fails(tmp_path):
    def jbig2(pdf):
        image = pdf.make_indirect(pikepdf.Stream(pdf, b"\x00" * 8))
        image.write(b"\x00" * 8, filter=pikepdf.Name.JBIG2Decode)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.ImageMask, image.BitsPerComponent = 8, 8, True, 1
        add(pdf, b"q 1 0 0 1 400 400 cm /Im9 Do Q", XObject={"Im9": image})

    found = failures(changed(tmp_path, jbig2))
    assert list(found) == ["compression"]
    assert "JBIG2" in found["compression"]


# -- PostScript, OPI, transfer, halftone, layers ----------------------------------------------

def _gs(pdf, **keys):
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, **keys))


PS_CHECK = "no PostScript, OPI, transfer or halftone"


def test_transfer_function_fails(tmp_path):
    path = changed(tmp_path, lambda pdf: add(
        pdf, b"/GSx gs", ExtGState={"GSx": _gs(pdf, TR=pikepdf.Name.Identity)}))
    found = failures(path)
    assert list(found) == [PS_CHECK] and "transfer function" in found[PS_CHECK]


def test_halftone_fails_for_newspapers_and_warns_for_x1a(tmp_path):
    def halftone(pdf):
        ht = pikepdf.Dictionary(Type=pikepdf.Name.Halftone, HalftoneType=1, Frequency=85,
                                Angle=45, SpotFunction=pikepdf.Name.Round)
        add(pdf, b"/GSx gs", ExtGState={"GSx": _gs(pdf, HT=ht)})

    path = changed(tmp_path, halftone)
    assert list(failures(path)) == [PS_CHECK]
    assert statuses(path, profile="x1a") == {PS_CHECK: "warn"}


def test_embedded_postscript_fails(tmp_path):
    def postscript(pdf):
        ps = pdf.make_indirect(pikepdf.Stream(pdf, b"showpage", Type=pikepdf.Name.XObject,
                                              Subtype=pikepdf.Name.PS))
        add(pdf, b"/PS0 Do", XObject={"PS0": ps})

    found = failures(changed(tmp_path, postscript))
    assert list(found) == [PS_CHECK] and "PostScript" in found[PS_CHECK]


def test_opi_fails(tmp_path):
    def opi(pdf):
        form = _form(pdf, b"", OPI=pikepdf.Dictionary({"/1.3": pikepdf.Dictionary(
            Type=pikepdf.Name.OPI, Version=1.3, F=pikepdf.String("hires.tif"))}))
        add(pdf, b"/Fm9 Do", XObject={"Fm9": form})

    found = failures(changed(tmp_path, opi))
    assert list(found) == [PS_CHECK] and "OPI" in found[PS_CHECK]


def test_optional_content_fails(tmp_path):
    def layers(pdf):
        group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG,
                                                     Name=pikepdf.String("Ad")))
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[group],
                                                   D=pikepdf.Dictionary(ON=[group]))
        add(pdf, b"/OC /oc1 BDC 0 0 0 0.5 k 0 0 10 10 re f EMC",
            Properties={"oc1": group})

    found = failures(changed(tmp_path, layers))
    assert list(found) == ["no optional content"]


# -- annotations, forms, actions ----------------------------------------------------------------

def test_form_field_fails(tmp_path):
    def field(pdf):
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"), Rect=[100, 100, 200, 120], P=pdf.pages[0].obj))
        pdf.pages[0].obj.Annots = pikepdf.Array([widget])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[widget])

    found = failures(changed(tmp_path, field))
    assert list(found) == ["no forms or actions"]
    assert "form" in found["no forms or actions"]


def test_open_action_that_is_not_javascript_fails(tmp_path):
    def uri(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                 URI=pikepdf.String("https://example.com"))

    found = failures(changed(tmp_path, uri))
    assert list(found) == ["no forms or actions"]
    assert "open action /URI" in found["no forms or actions"]


def test_page_additional_actions_fail(tmp_path):
    def aa(pdf):
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(
            S=pikepdf.Name.Named, N=pikepdf.Name.NextPage))

    assert list(failures(changed(tmp_path, aa))) == ["no forms or actions"]


# -- document info, PDF/X, output intent -----------------------------------------------------------

@pytest.mark.parametrize("key", ["/Title", "/CreationDate", "/ModDate"])
def test_missing_title_or_date_fails_document_info(tmp_path, key):
    def drop(pdf):
        del pdf.docinfo[key]

    found = failures(changed(tmp_path, drop))
    assert list(found) == ["document info"]
    assert f"no {key[1:]}" in found["document info"]


def test_pdfx_without_xmp_passes(tmp_path):
    def drop(pdf):
        del pdf.Root["/Metadata"]

    assert failures(changed(tmp_path, drop)) == {}


def _xmp(pdf, body: bytes) -> None:
    pdf.Root.Metadata = pdf.make_indirect(pikepdf.Stream(pdf, (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="">' + body + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
        b'<?xpacket end="w"?>'), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML))


def test_adobe_xmp_naming_passes(tmp_path):
    def adobe(pdf):
        _xmp(pdf, b'<pdfx:GTS_PDFXVersion xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
                  b"PDF/X-1a:2003</pdfx:GTS_PDFXVersion>")

    assert failures(changed(tmp_path, adobe)) == {}


def test_xmp_contradicting_the_document_info_fails(tmp_path):
    def other(pdf):
        _xmp(pdf, b'<rdf:Description xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" '
                  b'pdfxid:GTS_PDFXVersion="PDF/X-4"/>')

    found = failures(changed(tmp_path, other))
    assert list(found) == ["PDF/X keys"] and "PDF/X-4" in found["PDF/X keys"]


def test_pdfx_1a_2001_passes_at_pdf_13(tmp_path):
    def x2001(pdf):
        pdf.docinfo["/GTS_PDFXVersion"] = pikepdf.String("PDF/X-1:2001")
        pdf.docinfo["/GTS_PDFXConformance"] = pikepdf.String("PDF/X-1a:2001")
        del pdf.Root["/Metadata"]

    path = changed(tmp_path, x2001)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, force_version="1.3")
    assert failures(path) == {}


def test_x3_profile_wants_a_pdfx3_file(clean_x1a):
    found = failures(clean_x1a, profile="x3")
    assert list(found) == ["PDF/X keys"]


@pytest.fixture
def clean_x1a(tmp_path):
    return draw_pdf(tmp_path / "clean.pdf")


def test_output_intent_with_a_bad_profile_fails(tmp_path):
    def bad(pdf):
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_indirect(
            pikepdf.Stream(pdf, b"not an ICC profile" * 10))

    found = failures(changed(tmp_path, bad))
    assert list(found) == ["output intent"] and "not an ICC profile" in found["output intent"]


def test_output_intent_with_an_rgb_profile_fails(tmp_path):
    def rgb(pdf):
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_indirect(
            pikepdf.Stream(pdf, _icc(b"RGB ", b"mntr")))

    found = failures(changed(tmp_path, rgb))
    assert list(found) == ["output intent"] and "not CMYK" in found["output intent"]


def test_output_intent_of_a_custom_condition_needs_a_profile(tmp_path):
    def custom(pdf):
        intent = pdf.Root.OutputIntents[0]
        intent.OutputConditionIdentifier = pikepdf.String("Custom")
        del intent["/RegistryName"]

    path = changed(tmp_path, custom)
    found = failures(path)
    assert list(found) == ["output intent"]
    assert "no DestOutputProfile" in found["output intent"]

    def with_profile(pdf):
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_indirect(
            pikepdf.Stream(pdf, _icc()))

    assert failures(edit(path, with_profile)) == {}


# -- boxes and page size -------------------------------------------------------------------------

def test_art_box_instead_of_trim_box_passes(tmp_path):
    path = draw_pdf(tmp_path / "art.pdf", boxes={"artBox": (0, 0, *A3)})
    assert failures(path, trim_mm=A3_MM) == {}


def test_page_size_without_trim_warns_for_newspapers_only(tmp_path):
    a4 = (210 * MM, 297 * MM)
    path = draw_pdf(tmp_path / "a4.pdf", pagesize=a4, boxes={"trimBox": (0, 0, *a4)})
    assert statuses(path) == {"page size and boxes": "warn"}
    assert "not the 297 x 420 mm page" in detail(path, "page size and boxes")
    assert statuses(path, profile="x1a") == {}
    assert statuses(path, trim_mm=(210, 297)) == {}


def test_pages_of_different_sizes_fail(tmp_path):
    path = tmp_path / "mixed.pdf"
    c = Canvas(str(path), pagesize=A3, initialFontName=_font(), trimBox=(0, 0, *A3))
    k_black_text(c)
    c.showPage()
    c.setPageSize((400, 600))
    c.setTrimBox((0, 0, 400, 600))
    k_black_text(c, 50, 500)
    c.showPage()
    c.save()
    found = failures(path, pdfx=False)
    assert list(found) == ["page size and boxes"]
    assert "pages of different sizes" in found["page size and boxes"]


# -- files that cannot be checked -----------------------------------------------------------------

def _cli(*args):
    return CliRunner().invoke(main, ["preflight", *map(str, args)])


def _one_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output and "internal error" not in lines[0]
    return lines[0]


@pytest.mark.parametrize("user", ["", "secret"])
def test_encrypted_file_is_one_error_line_exit_2(tmp_path, user):
    path = draw_pdf(tmp_path / "enc.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user=user, R=3, aes=False,
                                                         metadata=False),
                 force_version="1.4")
    assert "encrypted" in _one_error(_cli(path))


def test_truncated_file_is_one_error_line_exit_2(tmp_path):
    path = draw_pdf(tmp_path / "cut.pdf")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in _one_error(_cli(path))


def test_damaged_cross_reference_is_one_error_line_exit_2(tmp_path):
    path = draw_pdf(tmp_path / "bad.pdf")
    data = path.read_bytes()
    at = data.rindex(b"startxref") + len(b"startxref")
    path.write_bytes(data[:at] + b"\n99999999\n%%EOF\n")
    assert "damaged" in _one_error(_cli(path))


def test_json_report(tmp_path):
    def red(c):
        c.setFillOverprint(False)
        c.setFillColorCMYK(0, 1, 1, 0.1)
        c.drawString(100, 800, "上街时报")

    path = draw_pdf(tmp_path / "red.pdf", red)
    result = _cli(path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["passed"] is True and data["profile"] == "newspaper-x1a"
    assert data["pages"][0]["inks"] == ["Cyan", "Magenta", "Yellow", "Black"]
    assert {c["name"]: c["status"] for c in data["checks"]}["output intent"] == "pass"
    assert data["output_condition"] == "IFRA26"


def test_inks_of_a_k_only_page(tmp_path):
    path = tmp_path / "k.pdf"
    c = Canvas(str(path), pagesize=A3, initialFontName=_font(), trimBox=(0, 0, *A3))
    k_black_text(c)
    c.showPage()
    c.save()
    assert [p.inks for p in inspect(path, pdfx=False).pages] == [{"Black"}]


def test_profile_option_and_unknown_profile(clean_x1a):
    assert _cli(clean_x1a, "--profile", "x1a").exit_code == 0
    assert _cli(clean_x1a, "--profile", "x9").exit_code == 2


# -- bounded work -----------------------------------------------------------------------------------

def test_recursive_form_xobject_finishes(tmp_path):
    def recursive(pdf):
        a = _form(pdf, b"/B Do 0 0 0 0.5 k 0 0 5 5 re f")
        b = _form(pdf, b"/A Do /B Do")
        a.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(B=b))
        b.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(A=a, B=b))
        add(pdf, b"/A Do", XObject={"A": a})

    path = changed(tmp_path, recursive)
    t0 = time.perf_counter()
    checks = preflight(path)
    assert time.perf_counter() - t0 < 5
    assert passed(checks), table(checks)


def test_deeply_nested_forms_stop_at_the_depth_limit(tmp_path):
    def nested(pdf):
        inner = _form(pdf, b"0 0 0 0.5 k 0 0 5 5 re f")
        for _ in range(60):
            inner = _form(pdf, b"/X Do", Resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(X=inner)))
        add(pdf, b"/X Do", XObject={"X": inner})

    found = failures(changed(tmp_path, nested))
    assert list(found) == ["content checked"]
    assert "nested deeper" in found["content checked"]


def test_five_thousand_pages_in_bounded_time(tmp_path):
    path = draw_pdf(tmp_path / "many.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        for _ in range(4999):
            pdf.pages.append(page)
        pdf.save(path, force_version="1.4")
    t0 = time.perf_counter()
    report = inspect(path)
    seconds = time.perf_counter() - t0
    assert len(report.pages) == 5000
    assert passed(report.checks), table(report.checks)
    assert seconds < 60, seconds

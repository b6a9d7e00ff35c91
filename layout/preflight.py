"""Preflight: does a PDF meet what the printer needs (PDF/X-1a, boxes, ink)?

Reads any PDF, ours or not, with pikepdf, and returns one result a check:
page boxes, fonts embedded, colour spaces, rich-black text, overprint of black
text, transparency, PDF/X keys, output intent, annotations and JavaScript.
`layout preflight FILE.pdf` prints them as a table; the build runs it on its
own output before the file replaces the last good one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .style import MM

# Fill colours that print as black: K at least this much.
BLACK_K = 0.9
ALLOWED_SPACES = {"/DeviceCMYK", "/DeviceGray"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class _Findings:
    """What the content-stream walk saw, by problem; a few examples each."""
    rgb: list[str] = field(default_factory=list)
    rich_black: list[str] = field(default_factory=list)
    not_k_black: list[str] = field(default_factory=list)
    knockout_black: list[str] = field(default_factory=list)
    transparency: list[str] = field(default_factory=list)
    fonts_missing: set[str] = field(default_factory=set)
    fonts: set[str] = field(default_factory=set)
    images: list[str] = field(default_factory=list)


def preflight(path: Path, *, trim_mm: tuple[float, float] | None = None,
              pdfx: bool = True) -> list[Check]:
    """Every check on the PDF at path; trim_mm: the page size the TrimBox must have."""
    import pikepdf

    checks: list[Check] = []
    with pikepdf.open(path) as pdf:
        checks.append(_boxes(pdf, trim_mm))
        found = _Findings()
        for number, page in enumerate(pdf.pages, 1):
            _walk(page.obj, page.obj.get("/Resources"), f"p{number}", found, set())
            group = page.obj.get("/Group")
            if group is not None and group.get("/S") == "/Transparency":
                found.transparency.append(f"p{number}: transparency group")
        checks.append(Check("fonts embedded", not found.fonts_missing,
                            f"{len(found.fonts)} fonts" + (f"; not embedded: "
                            f"{', '.join(sorted(found.fonts_missing))}" if found.fonts_missing else "")))
        checks.append(_listed("colour spaces CMYK/grey only", found.rgb + found.images))
        checks.append(_listed("black text is K only", found.rich_black + found.not_k_black))
        checks.append(_listed("black text overprints", found.knockout_black))
        checks.append(_listed("no transparency", found.transparency))
        checks.append(_annotations(pdf))
        if pdfx:
            checks.append(_pdfx_keys(pdf))
            checks.append(_output_intent(pdf))
    return checks


def passed(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    rows = [f"{c.name:<{width}}  {'pass' if c.ok else 'FAIL'}  {c.detail}" for c in checks]
    return "\n".join(rows)


def _listed(name: str, problems: list[str]) -> Check:
    if not problems:
        return Check(name, True, "")
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return Check(name, False, "; ".join(problems[:3]) + more)


# -- boxes ---------------------------------------------------------------------

def _box(page, key: str):
    box = page.obj.get(key)
    return [float(v) for v in box] if box is not None else None


def _boxes(pdf, trim_mm) -> Check:
    problems = []
    sizes = set()
    for number, page in enumerate(pdf.pages, 1):
        media = _box(page, "/MediaBox")
        trim = _box(page, "/TrimBox")
        bleed = _box(page, "/BleedBox")
        if trim is None:
            problems.append(f"p{number}: no TrimBox")
            continue
        if not _inside(trim, media):
            problems.append(f"p{number}: TrimBox outside the MediaBox")
        if bleed is not None and not (_inside(trim, bleed) and _inside(bleed, media)):
            problems.append(f"p{number}: BleedBox must hold the TrimBox and lie in the MediaBox")
        size = (round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1))
        sizes.add(size)
        if trim_mm and (abs(size[0] - trim_mm[0]) > 0.5 or abs(size[1] - trim_mm[1]) > 0.5):
            problems.append(f"p{number}: trim {size[0]:g} x {size[1]:g} mm, "
                            f"not {trim_mm[0]:g} x {trim_mm[1]:g}")
    detail = "; ".join(problems[:3]) if problems else \
        "trim " + ", ".join(f"{w:g} x {h:g} mm" for w, h in sorted(sizes))
    return Check("page size and boxes", not problems, detail)


def _inside(a, b) -> bool:
    return (b is not None and a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01
            and a[2] <= b[2] + 0.01 and a[3] <= b[3] + 0.01)


# -- content streams -----------------------------------------------------------

def _walk(obj, resources, where: str, found: _Findings, seen: set,
          state: dict | None = None) -> None:
    """Colour, text and transparency findings of one content stream (and its forms).

    A form XObject starts from the graphics state in effect where it is drawn.
    """
    import pikepdf

    resources = resources if resources is not None else pikepdf.Dictionary()
    _fonts(resources, found)
    _gstates(resources, where, found)
    state = dict(state) if state else {"fill": ("/DeviceGray", (0.0,)), "op": False, "opm": 0}
    stack = []
    try:
        ops = pikepdf.parse_content_stream(obj)
    except pikepdf.PdfError:
        found.rgb.append(f"{where}: content stream unreadable")
        return
    for operands, op in ops:
        op = str(op)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q" and stack:
            state = stack.pop()
        elif op in ("rg", "RG"):
            found.rgb.append(f"{where}: RGB colour ({op})")
            if op == "rg":
                state["fill"] = ("/DeviceRGB", tuple(float(v) for v in operands))
        elif op == "k":
            state["fill"] = ("/DeviceCMYK", tuple(float(v) for v in operands))
        elif op == "g":
            state["fill"] = ("/DeviceGray", tuple(float(v) for v in operands))
        elif op in ("cs", "CS"):
            space = _space_name(resources, operands[0])
            if space not in ALLOWED_SPACES and not space.startswith(("/Separation", "/DeviceN",
                                                                      "/Pattern")):
                found.rgb.append(f"{where}: colour space {space}")
            if op == "cs":
                state["fill"] = (space, ())
        elif op in ("sc", "scn") and state["fill"][0] in ALLOWED_SPACES:
            state["fill"] = (state["fill"][0], _numbers(operands))
        elif op == "gs":
            gs = resources.get("/ExtGState", {}).get(str(operands[0]))
            if gs is not None:
                if "/op" in gs or "/OP" in gs:
                    state["op"] = bool(gs.get("/op", gs.get("/OP")))
                if "/OPM" in gs:
                    state["opm"] = int(gs.get("/OPM"))
        elif op in TEXT_SHOW:
            _text_colour(state, where, found)
        elif op == "Do":
            xobj = resources.get("/XObject", {}).get(str(operands[0]))
            if xobj is None or xobj.objgen in seen:
                continue
            seen.add(xobj.objgen)
            if xobj.get("/Subtype") == "/Image":
                _image(xobj, resources, where, found)
            elif xobj.get("/Subtype") == "/Form":
                group = xobj.get("/Group")
                if group is not None and group.get("/S") == "/Transparency":
                    found.transparency.append(f"{where}: transparency group in a form")
                _walk(xobj, xobj.get("/Resources", resources), where, found, seen, state)


def _numbers(operands) -> tuple[float, ...]:
    out = []
    for v in operands:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            pass                         # a pattern name
    return tuple(out)


def _text_colour(state: dict, where: str, found: _Findings) -> None:
    space, values = state["fill"]
    if space == "/DeviceCMYK" and len(values) == 4:
        c, m, y, k = values
        if k >= BLACK_K and (c, m, y) != (0.0, 0.0, 0.0):
            _once(found.rich_black, f"{where}: rich black text {list(values)}")
        elif k >= BLACK_K and not (state["op"] and state["opm"] == 1):
            _once(found.knockout_black, f"{where}: black text knocks out (no overprint)")
    elif space == "/DeviceGray" and values and values[0] <= 1 - BLACK_K:
        _once(found.not_k_black, f"{where}: grey black text")
    elif space == "/DeviceRGB" and values and max(values) <= 1 - BLACK_K:
        _once(found.not_k_black, f"{where}: RGB black text")


def _once(items: list[str], text: str) -> None:
    if text not in items:
        items.append(text)


def _space_name(resources, name) -> str:
    """The family of a colour space named in a content stream (/DeviceCMYK, /ICCBased ...)."""
    name = str(name)
    if name in ("/DeviceCMYK", "/DeviceGray", "/DeviceRGB", "/Pattern"):
        return name
    space = resources.get("/ColorSpace", {}).get(name)
    return _family(space)


def _family(space) -> str:
    import pikepdf

    if space is None:
        return "/Unknown"
    if isinstance(space, pikepdf.Array):
        return str(space[0]) if len(space) else "/Unknown"
    return str(space)


def _image(xobj, resources, where: str, found: _Findings) -> None:
    if xobj.get("/ImageMask"):
        return
    space = xobj.get("/ColorSpace")
    family = _family(space)
    if family == "/Indexed":
        family = _family(space[1])
    if family not in ALLOWED_SPACES:
        found.images.append(f"{where}: image in {family}")
    if xobj.get("/SMask") is not None:
        found.transparency.append(f"{where}: image with a soft mask")


def _fonts(resources, found: _Findings) -> None:
    for _, font in (resources.get("/Font") or {}).items():
        name = str(font.get("/BaseFont", "?"))
        found.fonts.add(name)
        if font.get("/Subtype") == "/Type3":
            continue                      # drawn by content streams: nothing to embed
        desc = font.get("/FontDescriptor")
        if desc is None and font.get("/DescendantFonts") is not None:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.fonts_missing.add(name)


def _gstates(resources, where: str, found: _Findings) -> None:
    for name, gs in (resources.get("/ExtGState") or {}).items():
        smask = gs.get("/SMask")
        if smask is not None and str(smask) != "/None":
            _once(found.transparency, f"{where}: soft mask in {name}")
        for key in ("/CA", "/ca"):
            if key in gs and float(gs[key]) < 1:
                _once(found.transparency, f"{where}: opacity {float(gs[key]):g} in {name}")
        blend = gs.get("/BM")
        if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
            _once(found.transparency, f"{where}: blend mode {blend} in {name}")


# -- document keys -------------------------------------------------------------

def _annotations(pdf) -> Check:
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        for annot in page.obj.get("/Annots") or []:
            if annot.get("/Subtype") not in ("/PrinterMark", "/TrapNet"):
                problems.append(f"p{number}: annotation {annot.get('/Subtype')}")
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        problems.append("document JavaScript")
    import pikepdf

    action = pdf.Root.get("/OpenAction")       # a destination array or an action dictionary
    if isinstance(action, pikepdf.Dictionary) and "/JS" in action:
        problems.append("JavaScript open action")
    return _listed("no annotations or JavaScript", problems)


def _pdfx_keys(pdf) -> Check:
    problems = []
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    if not version.startswith("PDF/X-1a"):
        problems.append(f"GTS_PDFXVersion is {version!r}" if version else "no GTS_PDFXVersion")
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("/Trapped is not True or False")
    try:
        meta = pdf.open_metadata()
        if "pdfxid:GTS_PDFXVersion" not in meta:
            problems.append("XMP has no pdfxid:GTS_PDFXVersion")
    except Exception:        # noqa: BLE001 - unreadable XMP is a finding, not a crash
        problems.append("XMP metadata unreadable")
    if pdf.trailer.get("/ID") is None:
        problems.append("no document ID")
    if pdf.pdf_version > "1.4":
        problems.append(f"PDF {pdf.pdf_version} (PDF/X-1a:2003 wants 1.4 or lower)")
    detail = "; ".join(problems) if problems else f"{version}, PDF {pdf.pdf_version}"
    return Check("PDF/X keys", not problems, detail)


def _output_intent(pdf) -> Check:
    intents = [i for i in (pdf.Root.get("/OutputIntents") or []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return Check("output intent", False, f"{len(intents)} GTS_PDFX output intents, need 1")
    ident = str(intents[0].get("/OutputConditionIdentifier", ""))
    if not ident:
        return Check("output intent", False, "no OutputConditionIdentifier")
    return Check("output intent", True, ident)

"""Preflight: does a PDF meet what the printer needs (PDF/X-1a, boxes, ink)?

Reads any PDF, ours or not, with pikepdf, and returns one result a check, each
pass, warn or fail with the page and object of every finding. The content of
every page is walked once, with the graphics state (colour, overprint, line
width, text size, transformation) followed through forms, patterns, inline and
placed images. The rules come from a profile (`PROFILES`): `newspaper-x1a`
(the default: PDF/X-1a for coldset newsprint, as the Ghent Workgroup newspaper
specs and the newspaper profiles of callas pdfToolbox / Enfocus PitStop ask),
`x1a` (the ISO 15930-4 standard alone) and `x3` (PDF/X-3, which also allows
ICC-based colour).

`layout preflight FILE.pdf` prints the checks as a table (or JSON); the build
runs it on its own output before the file replaces the last good one. A file
that cannot be read (not a PDF, damaged, truncated, encrypted) raises
`UnreadablePDF` (exit 2). Work is bounded: a page's forms and patterns are
walked to `MAX_DEPTH` levels and each once, the whole file to `MAX_OPERATORS`
content operators, and images are decoded for their ink only up to
`MAX_INK_PIXELS` pixels (each image once, however many pages place it).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .style import MM

BLACK_K = 0.9                     # fill colours that print as black: K at least this much
PROCESS = ("Cyan", "Magenta", "Yellow", "Black")
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
# operators no check depends on: leading, spacing, scaling, rise, text object ends
NO_EFFECT = {"TL", "Tc", "Tw", "Tz", "Ts", "ET"}
FILL_OPS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKE_OPS = {"S", "s", "B", "B*", "b", "b*"}
MAX_DEPTH = 24                    # nesting of forms and patterns
MAX_OPERATORS = 5_000_000         # content operators in the whole file
MAX_INK_PIXELS = 16_000_000       # an image larger than this is not decoded for its ink
MAX_FINDINGS = 200                # kept a check (the count goes on)
A3_MM = (297.0, 420.0)

PASS, WARN, FAIL = "pass", "warn", "fail"


class UnreadablePDF(InputError):
    """Not a PDF we can check: damaged, truncated, encrypted (exit 2)."""


@dataclass(frozen=True)
class Profile:
    name: str
    versions: tuple[str, ...]          # GTS_PDFXVersion (or -Conformance) values accepted
    icc_colour: bool = False           # ICCBased, CalRGB, Lab allowed (PDF/X-3)
    spot: str = WARN                   # a Separation or DeviceN colourant beyond CMYK
    max_ink: float | None = None       # total area coverage in %, fail above
    min_text_pt: float | None = None   # fail below
    fine_pt: float = 9.0               # text below this (and rules below 1 pt) in >1 ink: warn
    hairline_pt: float = 0.25          # strokes thinner than this
    hairline: str = WARN
    min_ppi: float | None = None       # colour and grey images: fail below
    warn_ppi: float | None = None      # warn below
    min_bitmap_ppi: float | None = None  # 1-bit images: warn below
    halftone: str = WARN               # /HT in a graphics state
    page_size: tuple[float, float] | None = None   # warn if the trim is another size
    knockout_rules: str = FAIL


PROFILES = {
    "newspaper-x1a": Profile("newspaper-x1a", ("PDF/X-1a:2001", "PDF/X-1a:2003"), spot=FAIL,
                             max_ink=240, min_text_pt=5.0, hairline=FAIL, min_ppi=100,
                             warn_ppi=200, min_bitmap_ppi=550, halftone=FAIL,
                             page_size=A3_MM),
    "x1a": Profile("x1a", ("PDF/X-1a:2001", "PDF/X-1a:2003"), max_ink=None,
                   knockout_rules=WARN),
    "x3": Profile("x3", ("PDF/X-3:2002", "PDF/X-3:2003"), icc_colour=True,
                  knockout_rules=WARN),
}
DEFAULT_PROFILE = "newspaper-x1a"

# highest PDF version each PDF/X version is built on
PDF_VERSION_OF = {"PDF/X-1a:2001": "1.3", "PDF/X-1a:2003": "1.4",
                  "PDF/X-3:2002": "1.3", "PDF/X-3:2003": "1.4"}
# characterizations in the ICC registry: no embedded profile is needed for these
REGISTERED = {"IFRA26", "IFRA30", "IFRA28", "FOGRA39", "FOGRA51", "FOGRA52", "FOGRA47",
              "FOGRA29", "FOGRA27", "FOGRA40", "FOGRA45", "FOGRA53", "FOGRA55",
              "CGATS TR 001", "CGATS TR 002", "CGATS TR 003", "CGATS TR 005",
              "CGATS TR 006", "SWOP", "GRACoL", "JC200103", "JCN2002", "JapanColor2011",
              "CRPC6", "CRPC5", "CRPC4", "CRPC3", "CRPC2", "CRPC1", "CRPC7"}
ICC_SPACES = {"/ICCBased", "/CalRGB", "/CalGray", "/Lab"}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    status: str = ""                        # pass, warn or fail ("" : from ok)
    findings: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.status:
            object.__setattr__(self, "status", PASS if self.ok else FAIL)


@dataclass
class PageInfo:
    number: int
    inks: set[str] = field(default_factory=set)
    trim: list[float] | None = None
    media: list[float] | None = None
    bleed: list[float] | None = None
    art: list[float] | None = None


@dataclass
class Report:
    checks: list[Check]
    pages: list[PageInfo]
    profile: str
    pdfx_version: str = ""
    output_condition: str = ""

    def as_dict(self) -> dict:
        return {"profile": self.profile, "passed": passed(self.checks),
                "pdfx_version": self.pdfx_version, "output_condition": self.output_condition,
                "checks": [{"name": c.name, "status": c.status, "detail": c.detail,
                            "findings": list(c.findings)} for c in self.checks],
                "pages": [{"page": p.number, "inks": sorted_inks(p.inks),
                           "trim": p.trim, "media": p.media, "bleed": p.bleed}
                          for p in self.pages]}


def sorted_inks(inks) -> list[str]:
    order = {name: i for i, name in enumerate(PROCESS)}
    return sorted(inks, key=lambda n: (order.get(n, 9), n))


class _Found:
    """Findings by check name: a few hundred examples each, and how many in all."""

    def __init__(self):
        self.items: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.levels: dict[str, str] = {}

    def add(self, name: str, text: str, level: str = FAIL) -> None:
        items = self.items.setdefault(name, [])
        if text in items:
            return
        self.counts[name] = self.counts.get(name, 0) + 1
        if level == FAIL or self.levels.get(name) != FAIL:
            self.levels[name] = level if self.levels.get(name) != FAIL else FAIL
        if len(items) < MAX_FINDINGS:
            items.append(text)

    def check(self, name: str, ok_detail: str = "") -> Check:
        items = self.items.get(name)
        if not items:
            return Check(name, True, ok_detail, PASS)
        level = self.levels[name]
        more = self.counts[name] - 3
        detail = "; ".join(items[:3]) + (f" (+{more} more)" if more > 0 else "")
        return Check(name, level != FAIL, detail, level, tuple(items))


# check names, in the order of the report
BOXES = "page size and boxes"
FONTS = "fonts embedded"
SPACES = "colour spaces CMYK/grey only"
SPOT = "spot colours"
INK = "total ink"
K_ONLY = "black text is K only"
OVERPRINT = "black text and rules overprint"
WHITE = "white does not overprint"
HAIR = "hairlines"
TEXT = "text size"
FINE = "fine detail in one ink"
RES = "image resolution"
COMPRESSION = "compression"
TRANSPARENCY = "no transparency"
LAYERS = "no optional content"
PS = "no PostScript, OPI, transfer or halftone"
ANNOTS = "no annotations or JavaScript"
ACTIONS = "no forms or actions"
INFO = "document info"
PDFX = "PDF/X keys"
INTENT = "output intent"
WALK = "content checked"


def preflight(path: Path, *, trim_mm: tuple[float, float] | None = None,
              pdfx: bool = True, profile: str = DEFAULT_PROFILE,
              max_ink: float | None = None) -> list[Check]:
    """Every check on the PDF at path; trim_mm: the page size the TrimBox must have."""
    return inspect(path, trim_mm=trim_mm, pdfx=pdfx, profile=profile, max_ink=max_ink).checks


def inspect(path: Path, *, trim_mm: tuple[float, float] | None = None, pdfx: bool = True,
            profile: str = DEFAULT_PROFILE, max_ink: float | None = None) -> Report:
    """The checks and what each page uses (inks, boxes)."""
    import pikepdf

    if profile not in PROFILES:
        raise InputError(f"unknown preflight profile {profile!r}; "
                         f"expected one of: {', '.join(PROFILES)}")
    prof = PROFILES[profile]
    if max_ink is not None:
        prof = Profile(**{**prof.__dict__, "max_ink": max_ink})
    path = Path(path)
    _check_end(path)
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UnreadablePDF(f"{path}: the PDF is encrypted with a password; a printer's file "
                            f"must not be encrypted") from None
    except (pikepdf.PdfError, ValueError, RuntimeError) as err:
        raise UnreadablePDF(f"{path}: cannot read it as a PDF ({_short(err)})") from None
    with pdf:
        if pdf.is_encrypted:
            method = _encryption(pdf)
            raise UnreadablePDF(f"{path}: the PDF is encrypted ({method}); a printer's file "
                                f"must not be encrypted: ask for an unprotected file")
        damaged = [w for w in pdf.get_warnings() if "damaged" in w or "reconstruct" in w]
        if damaged:
            raise UnreadablePDF(f"{path}: the PDF is damaged ({_short(damaged[0])}); "
                                f"ask for the file again")
        try:
            return _inspect(pdf, prof, trim_mm, pdfx)
        except (pikepdf.PdfError, RecursionError) as err:
            raise UnreadablePDF(f"{path}: the PDF is damaged ({_short(err)})") from None


def _short(err) -> str:
    text = " ".join(str(err).split())
    return text[:160]


def _check_end(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(1024)
            f.seek(max(0, size - 2048))
            tail = f.read()
    except OSError as err:
        from .paths import fault
        raise fault(err, path, "read") from None
    if b"%PDF-" not in head:
        raise UnreadablePDF(f"{path}: cannot read it as a PDF (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise UnreadablePDF(f"{path}: the PDF is truncated (no %%EOF at its end); "
                            f"ask for the file again")


def _encryption(pdf) -> str:
    try:
        enc = pdf.encryption
        return f"{str(enc.stream_method).split('.')[-1]}, {enc.bits} bits"
    except Exception:   # noqa: BLE001 - only for the message
        return "security handler"


def passed(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)


def table(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    label = {PASS: "pass", WARN: "warn", FAIL: "FAIL"}
    rows = [f"{c.name:<{width}}  {label[c.status]}  {c.detail}".rstrip() for c in checks]
    return "\n".join(rows)


# -- the walk --------------------------------------------------------------------------

def _inspect(pdf, prof: Profile, trim_mm, pdfx: bool) -> Report:
    found = _Found()
    infos = []
    walker = _Walker(pdf, prof, found)
    for number, page in enumerate(pdf.pages, 1):
        info = PageInfo(number, trim=_box(page.obj, "/TrimBox"), media=_box(page.obj, "/MediaBox"),
                        bleed=_box(page.obj, "/BleedBox"), art=_box(page.obj, "/ArtBox"))
        infos.append(info)
        walker.page(page.obj, info)
    box_check = _boxes(infos, trim_mm, prof, found)
    _objects(pdf, prof, found)
    _annotations(pdf, infos, found)
    checks = [box_check,
              Check(FONTS, not walker.fonts_missing, f"{len(walker.fonts)} fonts" + (
                  f"; not embedded: {', '.join(sorted(walker.fonts_missing)[:8])}"
                  if walker.fonts_missing else ""), PASS if not walker.fonts_missing else FAIL)]
    limit = prof.max_ink
    for name, ok in ((SPACES, ""), (SPOT, "none"),
                     (INK, f"at most {walker.max_total:g} % (limit {limit:g} %)"
                      if limit else f"at most {walker.max_total:g} %"),
                     (K_ONLY, ""), (OVERPRINT, ""), (WHITE, ""),
                     (HAIR, f"none under {prof.hairline_pt:g} pt"),
                     (TEXT, f"smallest {walker.min_text:.1f} pt" if walker.min_text < 1e9 else ""),
                     (FINE, ""), (RES, ""), (COMPRESSION, ""), (TRANSPARENCY, ""),
                     (LAYERS, ""), (PS, ""), (ANNOTS, ""), (ACTIONS, "")):
        checks.append(found.check(name, ok))
    if walker.stopped:
        found.add(WALK, walker.stopped)
    if WALK in found.items:
        checks.append(found.check(WALK))
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    condition = ""
    if pdfx:
        checks.append(_info(pdf))
        checks.append(_pdfx_keys(pdf, prof))
        intent = _output_intent(pdf, prof)
        checks.append(intent)
        condition = intent.detail if intent.ok else ""
    return Report(checks, infos, prof.name, version, condition)


def _box(obj, key: str):
    box = obj.get(key)
    if box is None:
        return None
    try:
        v = [float(x) for x in box]
    except (TypeError, ValueError):
        return None
    if len(v) != 4:
        return None
    return [min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])]


def _mul(a, b):
    """a then b: 2D affine matrices as 6-tuples."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _scale(m) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class _Colour:
    family: str                   # /DeviceCMYK, /Separation ...
    inks: dict                    # ink name -> 0..1 (None: unknown amount)
    label: str                    # for the findings: "CMYK 0/0/0/100"
    pattern: object = None        # a pattern to paint with

    def total(self) -> float | None:
        if any(v is None for v in self.inks.values()):
            return None
        return 100 * sum(self.inks.values())


GREY_BLACK = _Colour("/DeviceGray", {"Black": 1.0}, "grey 0")


class _Walker:
    def __init__(self, pdf, prof: Profile, found: _Found):
        self.pdf, self.prof, self.found = pdf, prof, found
        self.fonts: set[str] = set()
        self.fonts_missing: set[str] = set()
        self.font_seen: set = set()
        self.gstate_seen: set = set()
        self.images: dict = {}           # objgen -> (inks, max total %)
        self.operators = 0
        self.stopped = ""
        self.max_total = 0.0
        self.min_text = 1e9

    # pages and streams
    def page(self, obj, info: PageInfo) -> None:
        if self.stopped:
            return
        self.info = info
        self.where = f"p{info.number}"
        group = obj.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            self.found.add(TRANSPARENCY, f"{self.where}: page transparency group")
        state = {"fill": GREY_BLACK, "stroke": GREY_BLACK, "op": False, "OP": False, "opm": 0,
                 "ctm": IDENTITY, "lw": 1.0, "size": 0.0, "font": None, "tm": IDENTITY,
                 "tr": 0}
        self.seen: set = set()
        self.text_seen: set = set()      # text states already judged on this page
        self.raw_seen: set = set()       # ... and the operator inputs that gave them
        self.raw_colours: list = []
        self.image_count = 0
        self.stream(obj, obj.get("/Resources"), state, 0)

    def stream(self, obj, resources, state: dict, depth: int) -> None:
        import pikepdf

        if depth > MAX_DEPTH:
            self.found.add(WALK, f"{self.where}: forms nested deeper than {MAX_DEPTH}")
            return
        resources = resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary()
        self.resources_of(resources)
        state = dict(state)
        stack = []
        try:
            ops = pikepdf.parse_content_stream(obj)
        except (pikepdf.PdfError, TypeError, ValueError) as err:
            self.found.add(SPACES, f"{self.where}: content stream unreadable ({_short(err)[:60]})")
            return
        self.operators += len(ops)
        if self.operators > MAX_OPERATORS:
            self.stopped = (f"stopped at {self.where}: more than {MAX_OPERATORS:,} content "
                            f"operators; the rest of the file is not checked")
            return
        inline = pikepdf.ContentStreamInlineImage
        for item in ops:
            if isinstance(item, inline):
                self.inline_image(item, state, resources)
                continue
            # the attributes, not tuple unpacking: pikepdf's sequence protocol is slower
            op, operands = str(item.operator), item.operands
            try:
                self.operator(op, operands, state, stack, resources, depth)
            except (TypeError, ValueError, IndexError, KeyError, AttributeError,
                    ZeroDivisionError):
                continue               # a malformed operator draws nothing we can judge
            if self.stopped:
                return

    def operator(self, op, operands, state, stack, resources, depth) -> None:
        # the text operators first: a page of type is mostly these
        if op in TEXT_SHOW:
            self.text(operands, state)
            return
        if op == "Tm":
            state["tm"] = tuple(map(float, operands))
            return
        if op == "Tf":
            state["font"] = str(operands[0])
            state["size"] = float(operands[1])
            return
        if op in NO_EFFECT:
            return
        if op in ("Td", "TD"):
            state["tm"] = _mul((1, 0, 0, 1, float(operands[0]), float(operands[1])), state["tm"])
            return
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            if stack:
                state.clear()
                state.update(stack.pop())
        elif op == "cm":
            state["ctm"] = _mul(tuple(float(v) for v in operands), state["ctm"])
        elif op == "w":
            state["lw"] = float(operands[0])
        elif op in ("k", "K", "g", "G", "rg", "RG"):
            family = {"k": "/DeviceCMYK", "g": "/DeviceGray", "rg": "/DeviceRGB"}[op.lower()]
            key = "fill" if op.islower() else "stroke"
            state[key] = _device(family, [float(v) for v in operands])
        elif op in ("cs", "CS"):
            key = "fill" if op == "cs" else "stroke"
            space = _space(resources, operands[0])
            state[key + "_space"] = space
            state[key] = _colour(space, None)
        elif op in ("sc", "scn", "SC", "SCN"):
            key = "fill" if op.islower() else "stroke"
            space = state.get(key + "_space", "/DeviceGray")
            state[key] = _colour(space, operands, resources)
        elif op == "gs":
            self.gstate(resources, operands[0], state)
        elif op == "Tf":
            state["font"] = str(operands[0])
            state["size"] = float(operands[1])
        elif op == "Tr":
            state["tr"] = int(operands[0])
        elif op == "BT":
            state["tm"] = IDENTITY
        elif op == "Tm":
            state["tm"] = tuple(float(v) for v in operands)
        elif op in ("Td", "TD"):
            tx, ty = float(operands[0]), float(operands[1])
            state["tm"] = _mul((1, 0, 0, 1, tx, ty), state["tm"])
        elif op in TEXT_SHOW:
            self.text(operands, state)
        elif op in FILL_OPS or op in STROKE_OPS:
            if op in FILL_OPS:
                self.paint("fill", state, resources, depth)
            if op in STROKE_OPS:
                self.stroke(state, resources, depth)
        elif op == "re":
            state["re"] = (abs(float(operands[2])), abs(float(operands[3])))
        elif op == "sh":
            shading = (resources.get("/Shading") or {}).get(str(operands[0]))
            if shading is not None:
                self.shading(shading, state, f"{self.where}: shading {operands[0]}")
        elif op == "Do":
            self.xobject(resources, operands[0], state, depth)
        elif op == "PS":
            self.found.add(PS, f"{self.where}: PostScript operator (PS) in a content stream")
        elif op in ("BDC", "BMC") and len(operands) >= 2 and str(operands[0]) == "/OC":
            self.found.add(LAYERS, f"{self.where}: optional content (layer) in a content stream")
        if op in ("f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "n"):
            state.pop("re", None)

    # painting
    def inks_of(self, colour: _Colour) -> None:
        for ink, value in colour.inks.items():
            if value is None or value > 0.0005:
                self.info.inks.add(ink)

    def judge_colour(self, colour: _Colour, what: str) -> None:
        fam = colour.family
        if fam in ("/DeviceRGB",) or (fam in ICC_SPACES and not self.prof.icc_colour) \
                or fam in ("/Unknown",):
            self.found.add(SPACES, f"{self.where}: {what} in {colour.label}")
        spots = [i for i in colour.inks if i not in PROCESS]
        for spot in spots:
            self.found.add(SPOT, f"{self.where}: {what} in spot colour {spot} (a plate of its own)",
                           self.prof.spot)
        total = colour.total()
        if total is not None and len(colour.inks) == 4 and min(colour.inks.values()) >= 0.995:
            total = None      # registration colour (all inks full): the marks, never art
        if total is not None:
            self.max_total = max(self.max_total, round(total, 1))
            if self.prof.max_ink and total > self.prof.max_ink + 0.5:
                self.found.add(INK, f"{self.where}: {what} {colour.label} = {total:.0f} % > "
                               f"{self.prof.max_ink:g} %")

    def paint(self, key: str, state, resources, depth, what: str | None = None) -> None:
        colour = state[key]
        what = what or ("fill" if key == "fill" else "stroke")
        if colour.pattern is not None:
            self.pattern(colour.pattern, state, depth)
            return
        self.inks_of(colour)
        self.judge_colour(colour, what)
        over = state["op"] if key == "fill" else state["OP"]
        if over and colour.family != "/Pattern" and _white(colour):
            self.found.add(WHITE, f"{self.where}: white {what} set to overprint "
                           f"(it vanishes on press)")
        if key == "fill" and "re" in state and min(state["re"]) * _scale(state["ctm"]) <= 2 \
                and _k_only(colour) and not (state["op"] and state["opm"] == 1):
            self.found.add(OVERPRINT, f"{self.where}: black rule knocks out (no overprint)",
                           self.prof.knockout_rules)

    def stroke(self, state, resources, depth) -> None:
        width = state["lw"] * _scale(state["ctm"])
        colour = state["stroke"]
        self.paint("stroke", state, resources, depth)
        if colour.pattern is not None:
            return
        if width < self.prof.hairline_pt - 1e-6 and not _white(colour):
            shown = "0 (the thinnest the device can draw)" if width == 0 else f"{width:.2f} pt"
            self.found.add(HAIR, f"{self.where}: line {shown} < {self.prof.hairline_pt:g} pt",
                           self.prof.hairline)
        inks = [i for i, v in colour.inks.items() if v is None or v > 0.0005]
        if width < 1 and len(inks) > 1:
            self.found.add(FINE, f"{self.where}: rule {width:.2f} pt in {len(inks)} inks "
                           f"({colour.label})", WARN)
        if width <= 2 and _k_only(colour) and not (state["OP"] and state["opm"] == 1):
            self.found.add(OVERPRINT, f"{self.where}: black rule knocks out (no overprint)",
                           self.prof.knockout_rules)

    def text(self, operands, state) -> None:
        tr = state["tr"] % 4
        if tr == 3:
            return                     # invisible (OCR layers)
        # the same inputs as a text shown before on this page judge the same: skip the
        # matrices (a line's Tm differs only in its offset); the colours are kept alive
        # in raw_seen's companion list, so their ids are not reused while it stands
        tm, fill, stroke = state["tm"], state["fill"], state["stroke"]
        raw = (tr, state["size"], tm[:4], state["ctm"], id(fill), id(stroke), state["op"],
               state["OP"], state["opm"])
        if raw in self.raw_seen:
            return
        self.raw_seen.add(raw)
        self.raw_colours.append((fill, stroke))
        size = abs(state["size"]) * _scale(_mul(state["tm"], state["ctm"]))
        self.min_text = min(self.min_text, size) if size > 0 else self.min_text
        colour = state["fill"] if tr in (0, 2) else state["stroke"]
        over = state["op"] if tr in (0, 2) else state["OP"]
        # every judgement below depends on these alone: a page of text repeats a few
        # states thousands of times, and each is reported once a page anyway
        key = (tr, round(size, 3), colour.family, colour.label, colour.pattern is None,
               tuple(sorted(colour.inks.items())), bool(over), state["opm"])
        if key in self.text_seen:
            return
        self.text_seen.add(key)
        sample = _sample(operands)
        where = f"{self.where}: text {sample}{size:.1f} pt"
        if colour.pattern is not None:
            self.inks_of(colour)
        else:
            self.inks_of(colour)
            self.judge_colour(colour, "text")
        if self.prof.min_text_pt and 0 < size < self.prof.min_text_pt - 1e-6:
            self.found.add(TEXT, f"{where} < {self.prof.min_text_pt:g} pt")
        inks = [i for i, v in colour.inks.items() if v is None or v > 0.0005]
        if 0 < size < self.prof.fine_pt and len(inks) > 1:
            self.found.add(FINE, f"{where} in {len(inks)} inks", WARN)
        if over and _white(colour):
            self.found.add(WHITE, f"{where}: white text set to overprint (it vanishes on press)")
        fam, inks_v = colour.family, colour.inks
        k = inks_v.get("Black") or 0
        cmy = [inks_v.get(n) or 0 for n in PROCESS[:3]]
        if fam == "/DeviceCMYK":
            if k >= BLACK_K and any(cmy):
                self.found.add(K_ONLY, f"{self.where}: rich black text {colour.label}")
            elif k >= BLACK_K and not (over and state["opm"] == 1):
                self.found.add(OVERPRINT, f"{self.where}: black text knocks out (no overprint)")
        elif fam == "/DeviceGray" and k >= BLACK_K:
            pass                        # grey black is allowed; it prints on the K plate
        elif fam in ("/DeviceRGB",) and colour.label.endswith("black"):
            self.found.add(K_ONLY, f"{self.where}: RGB black text")

    def shading(self, shading, state, what: str) -> None:
        space = shading.get("/ColorSpace")
        colour = _colour(space, None)
        # an axial or radial shading with one exponential function: its two ends
        func = shading.get("/Function")
        import pikepdf
        ends = []
        if isinstance(func, pikepdf.Dictionary) and int(func.get("/FunctionType", -1)) == 2:
            ends = [func.get("/C0", [0]), func.get("/C1", [1])]
        if ends and colour.family in ("/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN"):
            for end in ends:
                c = _colour(space, list(end))
                self.inks_of(c)
                self.judge_colour(c, what)
        else:
            self.inks_of(colour)
            self.judge_colour(colour, what)

    def pattern(self, pattern, state, depth) -> None:
        if pattern.objgen != (0, 0):
            if pattern.objgen in self.seen:
                return
            self.seen.add(pattern.objgen)
        kind = int(pattern.get("/PatternType", 0))
        if kind == 2:
            shading = pattern.get("/Shading")
            if shading is not None:
                self.shading(shading, state, f"{self.where}: shading pattern")
        elif kind == 1:
            inner = dict(state)
            inner["ctm"] = _mul(tuple(float(v) for v in pattern.get("/Matrix", IDENTITY)),
                                IDENTITY)
            self.stream(pattern, pattern.get("/Resources"), inner, depth + 1)

    # resources
    def gstate(self, resources, name, state) -> None:
        gs = (resources.get("/ExtGState") or {}).get(str(name))
        if gs is None:
            return
        if "/OP" in gs:
            state["OP"] = bool(gs.get("/OP"))
            if "/op" not in gs:
                state["op"] = state["OP"]
        if "/op" in gs:
            state["op"] = bool(gs.get("/op"))
        if "/OPM" in gs:
            state["opm"] = int(gs.get("/OPM"))
        if "/LW" in gs:
            state["lw"] = float(gs.get("/LW"))

    def resources_of(self, resources) -> None:
        import pikepdf

        for _, font in (resources.get("/Font") or {}).items():
            key = font.objgen if font.objgen != (0, 0) else id(font)
            if key in self.font_seen:
                continue
            self.font_seen.add(key)
            name = str(font.get("/BaseFont", "?"))
            self.fonts.add(name)
            if font.get("/Subtype") == "/Type3":
                continue                  # drawn by content streams: nothing to embed
            desc = font.get("/FontDescriptor")
            if desc is None and font.get("/DescendantFonts") is not None:
                desc = font.DescendantFonts[0].get("/FontDescriptor")
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2",
                                                           "/FontFile3")):
                self.fonts_missing.add(name)
        for name, gs in (resources.get("/ExtGState") or {}).items():
            key = (gs.objgen, self.where) if gs.objgen != (0, 0) else None
            if key is not None and key in self.gstate_seen:
                continue
            if key is not None:
                self.gstate_seen.add(key)
            smask = gs.get("/SMask")
            if smask is not None and str(smask) != "/None":
                self.found.add(TRANSPARENCY, f"{self.where}: soft mask in {name}")
            for k in ("/CA", "/ca"):
                if k in gs and float(gs[k]) < 1:
                    self.found.add(TRANSPARENCY, f"{self.where}: opacity {float(gs[k]):g} in {name}")
            blend = gs.get("/BM")
            if isinstance(blend, pikepdf.Array):
                blend = blend[0] if len(blend) else None
            if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
                self.found.add(TRANSPARENCY, f"{self.where}: blend mode {blend} in {name}")
            for k in ("/TR", "/TR2"):
                if k in gs and str(gs[k]) != "/Default":
                    self.found.add(PS, f"{self.where}: transfer function ({k[1:]}) in {name}")
            if "/HT" in gs and str(gs["/HT"]) != "/Default":
                self.found.add(PS, f"{self.where}: halftone (HT) in {name}", self.prof.halftone)

    def xobject(self, resources, name, state, depth) -> None:
        xobj = (resources.get("/XObject") or {}).get(str(name))
        if xobj is None:
            return
        subtype = xobj.get("/Subtype")
        if "/OC" in xobj:
            self.found.add(LAYERS, f"{self.where}: XObject {name} in optional content (a layer)")
        if "/OPI" in xobj:
            self.found.add(PS, f"{self.where}: OPI comments in XObject {name}")
        if subtype == "/Image":
            self.image_count += 1
            self.image(xobj, state, f"image {self.image_count}", resources)
        elif subtype == "/Form":
            if xobj.get("/Subtype2") == "/PS" or "/PS" in xobj:
                self.found.add(PS, f"{self.where}: PostScript in form {name}")
            if xobj.objgen in self.seen:
                return                       # drawn already on this page, or drawing itself
            self.seen.add(xobj.objgen)
            group = xobj.get("/Group")
            if group is not None and group.get("/S") == "/Transparency":
                self.found.add(TRANSPARENCY, f"{self.where}: transparency group in form {name}")
            inner = dict(state)
            if "/Matrix" in xobj:
                inner["ctm"] = _mul(tuple(float(v) for v in xobj.Matrix), state["ctm"])
            self.stream(xobj, xobj.get("/Resources", resources), inner, depth + 1)
        elif subtype == "/PS":
            self.found.add(PS, f"{self.where}: PostScript XObject {name}")

    # images
    def image(self, xobj, state, label: str, resources, inline=None) -> None:
        get = (lambda k, d=None: _inline_get(inline, k, d)) if inline is not None else xobj.get
        width, height = int(get("/Width", 0) or 0), int(get("/Height", 0) or 0)
        mask = bool(get("/ImageMask", False))
        bpc = int(get("/BitsPerComponent", 1 if mask else 8) or 8)
        ctm = state["ctm"]
        w_in = math.hypot(ctm[0], ctm[1]) / 72
        h_in = math.hypot(ctm[2], ctm[3]) / 72
        ppi = min(width / w_in if w_in else 1e9, height / h_in if h_in else 1e9)
        what = f"{label} ({width}×{height})"
        prof = self.prof
        if ppi < 1e8:
            if mask or bpc == 1:
                if prof.min_bitmap_ppi and ppi < prof.min_bitmap_ppi:
                    self.found.add(RES, f"{self.where}: {what} 1-bit {ppi:.0f} ppi < "
                                   f"{prof.min_bitmap_ppi:g}", WARN)
            elif prof.min_ppi and ppi < prof.min_ppi:
                self.found.add(RES, f"{self.where}: {what} {ppi:.0f} ppi < {prof.min_ppi:g}")
            elif prof.warn_ppi and ppi < prof.warn_ppi:
                self.found.add(RES, f"{self.where}: {what} {ppi:.0f} ppi < {prof.warn_ppi:g}",
                               WARN)
        filters = get("/Filter")
        for f in _filters(filters):
            if f in ("/LZWDecode", "/LZW"):
                self.found.add(COMPRESSION, f"{self.where}: {what} LZW compressed")
            elif f in ("/JBIG2Decode", "/JPXDecode"):
                self.found.add(COMPRESSION, f"{self.where}: {what} {f[1:-6]} compressed")
        if mask:
            colour = state["fill"]
            if colour.pattern is None:
                self.inks_of(colour)
                self.judge_colour(colour, what)
            return
        if get("/SMask") is not None:
            self.found.add(TRANSPARENCY, f"{self.where}: {what} with a soft mask")
        space = get("/ColorSpace")
        if inline is not None and space is not None:
            space = _inline_space(space, resources)
        colour = _colour(space, None)
        if colour.family == "/Indexed":
            colour = _colour(space[1], None)
        if colour.family in ("/DeviceRGB",) or colour.family == "/Unknown" or (
                colour.family in ICC_SPACES and not prof.icc_colour):
            kind = "inline image" if inline is not None else "image"
            self.found.add(SPACES, f"{self.where}: {kind} {what} in {colour.label}")
            return
        inks, total = self.image_ink(xobj, colour, inline)
        for ink in inks:
            self.info.inks.add(ink)
        for spot in [i for i in inks if i not in PROCESS]:
            self.found.add(SPOT, f"{self.where}: {what} in spot colour {spot}", prof.spot)
        if total is not None:
            self.max_total = max(self.max_total, round(total, 1))
            if prof.max_ink and total > prof.max_ink + 0.5:
                self.found.add(INK, f"{self.where}: {what} pixels up to {total:.0f} % > "
                               f"{prof.max_ink:g} %")

    def image_ink(self, xobj, colour: _Colour, inline):
        """(inks, highest total %) of an image's pixels; total None when not measured."""
        key = xobj.objgen if inline is None and xobj.objgen != (0, 0) else None
        if key is not None and key in self.images:
            return self.images[key]
        result = (set(colour.inks), None)
        if colour.family in ("/DeviceCMYK", "/DeviceGray") or (
                colour.family == "/ICCBased" and set(colour.inks) <= set(PROCESS)):
            try:
                result = _pixel_ink(xobj if inline is None else inline, colour)
            except Exception:  # noqa: BLE001 - an image we cannot decode: inks by its space
                result = (set(colour.inks), None)
        if key is not None:
            self.images[key] = result
        return result

    def inline_image(self, item, state, resources) -> None:
        self.image_count += 1
        self.image(None, state, f"inline image {self.image_count}", resources,
                   inline=item.iimage)


def _inline_get(img, key, default=None):
    """A key of an inline image, by its long or abbreviated name."""
    short = {"/Width": "/W", "/Height": "/H", "/BitsPerComponent": "/BPC",
             "/ColorSpace": "/CS", "/ImageMask": "/IM", "/Filter": "/F", "/Decode": "/D"}
    obj = getattr(img, "obj", None)
    if obj is None:
        return default
    for k in (key, short.get(key)):
        if k and k in obj:
            return obj[k]
    return default


def _inline_space(space, resources):
    abbrev = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK",
              "/I": "/Indexed"}
    import pikepdf
    if isinstance(space, pikepdf.Name):
        return pikepdf.Name(abbrev.get(str(space), str(space)))
    if isinstance(space, pikepdf.Array) and len(space) and str(space[0]) in abbrev:
        return pikepdf.Array([pikepdf.Name(abbrev[str(space[0])])] + list(space)[1:])
    return space


def _filters(filters) -> list[str]:
    if filters is None:
        return []
    if hasattr(filters, "__iter__") and not isinstance(filters, (str, bytes)) and \
            not str(filters).startswith("/"):
        return [str(f) for f in filters]
    return [str(filters)]


def _pixel_ink(source, colour: _Colour):
    """Inks used and the highest total ink of any pixel, from the decoded image."""
    import pikepdf
    from PIL import ImageMath

    img = source if hasattr(source, "as_pil_image") else pikepdf.PdfImage(source)
    if img.width * img.height > MAX_INK_PIXELS or img.bits_per_component != 8:
        return set(colour.inks), None
    pil = img.as_pil_image()
    if pil.mode == "CMYK":
        bands = pil.split()
        inks = {name for name, band in zip(PROCESS, bands) if band.getextrema()[1] > 0}
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                      c=bands[0], m=bands[1], y=bands[2], k=bands[3])
        return inks, total.getextrema()[1] * 100 / 255
    if pil.mode in ("L", "1"):
        low = pil.convert("L").getextrema()[0]
        return ({"Black"} if low < 255 else set()), (255 - low) * 100 / 255
    return set(colour.inks), None


def _sample(operands) -> str:
    import pikepdf

    raw = b""
    for v in operands:
        if isinstance(v, pikepdf.String):
            raw += bytes(v)
        elif isinstance(v, pikepdf.Array):
            raw += b"".join(bytes(x) for x in v if isinstance(x, pikepdf.String))
    text = raw.decode("latin-1")
    if text and all(32 <= ord(ch) < 127 for ch in text):
        text = text.strip()[:16]
        return f"'{text}' " if text else ""
    return ""


# -- colours -------------------------------------------------------------------------------

def _device(family: str, values: list[float]) -> _Colour:
    if family == "/DeviceCMYK" and len(values) == 4:
        c, m, y, k = (min(max(v, 0.0), 1.0) for v in values)
        return _Colour(family, dict(zip(PROCESS, (c, m, y, k))),
                       "CMYK " + "/".join(f"{100 * v:.0f}" for v in (c, m, y, k)))
    if family == "/DeviceGray" and values:
        g = min(max(values[0], 0.0), 1.0)
        return _Colour(family, {"Black": 1 - g}, f"grey {100 * (1 - g):.0f}%")
    if family == "/DeviceRGB":
        label = "DeviceRGB" + (" black" if values and max(values) <= 1 - BLACK_K else "")
        return _Colour(family, {n: None for n in PROCESS}, label)
    return _Colour(family, {n: None for n in PROCESS}, family[1:])


def _space(resources, name):
    """The colour space object a content stream names (a Name for the device spaces)."""
    import pikepdf

    text = str(name)
    if text in ("/DeviceCMYK", "/DeviceGray", "/DeviceRGB", "/Pattern"):
        return pikepdf.Name(text)
    space = (resources.get("/ColorSpace") or {}).get(text)
    return space if space is not None else pikepdf.Name("/Unknown")


def _family(space) -> str:
    import pikepdf

    if space is None:
        return "/Unknown"
    if isinstance(space, pikepdf.Array):
        return str(space[0]) if len(space) else "/Unknown"
    return str(space)


def _colour(space, operands, resources=None) -> _Colour:
    """The colour that operands (None: the space's initial colour) select in space."""
    import pikepdf

    family = _family(space)
    values = _numbers(operands) if operands is not None else None
    if family in ("/DeviceCMYK", "/DeviceGray", "/DeviceRGB", "/CalRGB", "/CalGray", "/Lab"):
        if family.startswith("/Cal") or family == "/Lab":
            return _Colour(family, {n: None for n in PROCESS}, family[1:])
        if values is None:
            values = {"/DeviceCMYK": [0, 0, 0, 1], "/DeviceGray": [0],
                      "/DeviceRGB": [0, 0, 0]}[family]
        return _device(family, values)
    if family == "/ICCBased":
        try:
            n = int(space[1].get("/N", 0))
        except (AttributeError, TypeError, IndexError):
            n = 0
        dev = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, "/Unknown")
        c = _device(dev, values if values is not None else
                    {"/DeviceGray": [0], "/DeviceCMYK": [0, 0, 0, 1]}.get(dev, [0, 0, 0]))
        return _Colour("/ICCBased", c.inks, f"ICCBased ({n} components)")
    if family == "/Separation":
        name = str(space[1])[1:] if len(space) > 1 else "?"
        tint = values[0] if values else 1.0
        if name == "None":
            return _Colour(family, {}, "Separation None")
        if name == "All":
            return _Colour(family, {n: tint for n in PROCESS}, "Separation All (registration)")
        return _Colour(family, {name: tint}, f"Separation {name}")
    if family == "/DeviceN":
        names = [str(n)[1:] for n in space[1]] if len(space) > 1 else []
        tints = values if values and len(values) == len(names) else [None] * len(names)
        inks = {n: t for n, t in zip(names, tints) if n != "None"}
        return _Colour(family, inks, "DeviceN " + "+".join(names))
    if family == "/Indexed":
        base = space[1] if len(space) > 1 else None
        c = _colour(base, None)
        return _Colour("/Indexed" if operands is None else c.family,
                       {n: None for n in c.inks}, "Indexed " + c.label)
    if family == "/Pattern":
        pat = None
        if operands is not None and resources is not None:
            names = [v for v in operands if isinstance(v, pikepdf.Name)]
            if names:
                pat = (resources.get("/Pattern") or {}).get(str(names[-1]))
        if pat is not None:
            return _Colour("/Pattern", {}, "pattern", pat)
        return _Colour("/Pattern", {}, "pattern")
    return _Colour("/Unknown", {n: None for n in PROCESS}, f"colour space {family}")


def _numbers(operands) -> list[float]:
    out = []
    for v in operands:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            pass                         # a pattern name
    return out


def _white(colour: _Colour) -> bool:
    return bool(colour.inks) and all(v is not None and v <= 0.0005
                                     for v in colour.inks.values()) \
        and colour.family in ("/DeviceCMYK", "/DeviceGray", "/ICCBased", "/Separation",
                              "/DeviceN")


def _k_only(colour: _Colour) -> bool:
    if colour.family != "/DeviceCMYK":
        return False
    v = colour.inks
    return (v.get("Black") or 0) >= BLACK_K and not any(v.get(n) for n in PROCESS[:3])


# -- boxes ---------------------------------------------------------------------------------

def _boxes(infos: list[PageInfo], trim_mm, prof: Profile, found: _Found) -> Check:
    problems, warnings = [], []
    sizes = {}
    for info in infos:
        n = info.number
        trim = info.trim or info.art
        if info.media is None:
            problems.append(f"p{n}: no MediaBox")
            continue
        if trim is None:
            problems.append(f"p{n}: no TrimBox (or ArtBox)")
            continue
        if info.trim and info.art:
            warnings.append(f"p{n}: both TrimBox and ArtBox (the TrimBox is used)")
        if not _inside(trim, info.media):
            problems.append(f"p{n}: TrimBox outside the MediaBox")
        if info.bleed is not None and not (_inside(trim, info.bleed)
                                           and _inside(info.bleed, info.media)):
            problems.append(f"p{n}: BleedBox must hold the TrimBox and lie in the MediaBox")
        size = (round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1))
        sizes.setdefault(size, []).append(n)
        if trim_mm and (abs(size[0] - trim_mm[0]) > 0.5 or abs(size[1] - trim_mm[1]) > 0.5):
            problems.append(f"p{n}: trim {size[0]:g} x {size[1]:g} mm, "
                            f"not {trim_mm[0]:g} x {trim_mm[1]:g}")
    if len(sizes) > 1:
        listed = ", ".join(f"{w:g} x {h:g} mm (p{pages[0]}{'…' if len(pages) > 1 else ''})"
                           for (w, h), pages in sorted(sizes.items()))
        problems.append(f"pages of different sizes: {listed}")
    elif sizes and not trim_mm and prof.page_size:
        (w, h), = sizes
        want = prof.page_size
        if abs(w - want[0]) > 0.5 or abs(h - want[1]) > 0.5:
            warnings.append(f"trim {w:g} x {h:g} mm is not the {want[0]:g} x {want[1]:g} mm "
                            f"page of {prof.name}; give --trim WxH for an advert's size")
    if problems:
        return Check(BOXES, False, _join(problems), FAIL, tuple(problems + warnings))
    detail = "trim " + ", ".join(f"{w:g} x {h:g} mm" for w, h in sorted(sizes))
    if warnings:
        return Check(BOXES, True, detail + "; " + _join(warnings), WARN, tuple(warnings))
    return Check(BOXES, True, detail, PASS)


def _join(items: list[str]) -> str:
    more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
    return "; ".join(items[:3]) + more


def _inside(a, b) -> bool:
    return (b is not None and a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01
            and a[2] <= b[2] + 0.01 and a[3] <= b[3] + 0.01)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- every object of the file ----------------------------------------------------------------

def _objects(pdf, prof: Profile, found: _Found) -> None:
    """Compression, PostScript and OPI, optional content: wherever they are in the file."""
    import pikepdf

    if "/OCProperties" in pdf.Root:
        found.add(LAYERS, "document has optional content (layers): /OCProperties")
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Stream, pikepdf.Dictionary)):
            continue
        try:
            ref = f"object {obj.objgen[0]}"
            if isinstance(obj, pikepdf.Stream):
                for f in _filters(obj.get("/Filter")):
                    if f == "/LZWDecode":
                        found.add(COMPRESSION, f"{ref}: LZW compression")
                    elif f in ("/JBIG2Decode", "/JPXDecode"):
                        found.add(COMPRESSION, f"{ref}: {f[1:-6]} compression")
                if obj.get("/Subtype") == "/PS" or obj.get("/Subtype2") == "/PS":
                    found.add(PS, f"{ref}: PostScript XObject")
            if "/OPI" in obj:
                found.add(PS, f"{ref}: OPI comments")
        except (pikepdf.PdfError, ValueError):
            continue


# -- annotations, forms and actions -----------------------------------------------------------

def _annotations(pdf, infos: list[PageInfo], found: _Found) -> None:
    import pikepdf

    for info, page in zip(infos, pdf.pages):
        n = info.number
        trim = info.trim or info.art or info.media
        bleed = info.bleed or trim
        if "/AA" in page.obj:
            found.add(ACTIONS, f"p{n}: page actions (AA)")
        for annot in page.obj.get("/Annots") or []:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            kind = str(annot.get("/Subtype"))
            rect = _box(annot, "/Rect")
            if kind == "/Widget":
                found.add(ACTIONS, f"p{n}: form field (Widget annotation)")
                continue
            if kind == "/PrinterMark":
                if rect is not None and trim is not None and _overlaps(rect, trim):
                    found.add(ANNOTS, f"p{n}: PrinterMark annotation inside the trim")
                continue
            if kind == "/TrapNet":
                continue
            if rect is not None and bleed is not None and not _overlaps(rect, bleed):
                # outside the bleed: allowed, never printed; but not with an action
                if "/A" in annot or "/AA" in annot:
                    found.add(ACTIONS, f"p{n}: {kind[1:]} annotation with an action")
                continue
            found.add(ANNOTS, f"p{n}: annotation {kind}")
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        found.add(ANNOTS, "document JavaScript")
    action = pdf.Root.get("/OpenAction")       # a destination array or an action dictionary
    if isinstance(action, pikepdf.Dictionary):
        if "/JS" in action or action.get("/S") == "/JavaScript":
            found.add(ANNOTS, "JavaScript open action")
        else:
            found.add(ACTIONS, f"open action {action.get('/S')}")
    if "/AA" in pdf.Root:
        found.add(ACTIONS, "document actions (AA)")
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and len(form.get("/Fields") or []):
        found.add(ACTIONS, f"form with {len(form.Fields)} fields (AcroForm)")


# -- document keys -------------------------------------------------------------------------

_PDF_DATE = re.compile(r"D:\d{4}")


def _info(pdf) -> Check:
    problems = []
    info = pdf.docinfo
    title = str(info.get("/Title", "")).strip()
    if not title:
        problems.append("no Title")
    for key in ("/CreationDate", "/ModDate"):
        value = str(info.get(key, ""))
        if not value:
            problems.append(f"no {key[1:]}")
        elif not _PDF_DATE.match(value):
            problems.append(f"{key[1:]} {value!r} is not a PDF date (D:YYYYMMDD…)")
    detail = "; ".join(problems) if problems else f"title {title!r}"
    return Check(INFO, not problems, detail)


_XMP_VERSION = re.compile(rb"GTS_PDFXVersion(?:\s[^>]*)?>\s*([^<]+)<|GTS_PDFXVersion\s*=\s*[\"']([^\"']+)")


def _pdfx_keys(pdf, prof: Profile) -> Check:
    problems = []
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    conformance = str(pdf.docinfo.get("/GTS_PDFXConformance", ""))
    claimed = conformance if version == "PDF/X-1:2001" and conformance else version
    if not version:
        problems.append("no GTS_PDFXVersion")
    elif claimed not in prof.versions:
        problems.append(f"GTS_PDFXVersion is {claimed!r}, not {' or '.join(prof.versions)} "
                        f"(profile {prof.name})")
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("/Trapped is not True or False")
    meta = pdf.Root.get("/Metadata")
    xmp_note = ""
    if meta is not None:
        try:
            raw = meta.read_bytes()
        except Exception:        # noqa: BLE001 - unreadable XMP is a finding, not a crash
            problems.append("XMP metadata unreadable")
            raw = b""
        m = _XMP_VERSION.search(raw)
        if m:
            in_xmp = (m[1] or m[2]).decode("utf-8", "replace").strip()
            if version and in_xmp != version:
                problems.append(f"XMP says {in_xmp!r}, the document info {version!r}")
        else:
            xmp_note = "; XMP without GTS_PDFXVersion"
    if pdf.trailer.get("/ID") is None:
        problems.append("no document ID")
    limit = PDF_VERSION_OF.get(claimed, "1.4")
    if pdf.pdf_version > limit:
        problems.append(f"PDF {pdf.pdf_version} ({claimed or 'PDF/X-1a:2003'} wants {limit} "
                        f"or lower)")
    detail = "; ".join(problems) if problems else f"{claimed}, PDF {pdf.pdf_version}{xmp_note}"
    return Check(PDFX, not problems, detail)


def _output_intent(pdf, prof: Profile) -> Check:
    import pikepdf

    intents = [i for i in (pdf.Root.get("/OutputIntents") or [])
               if isinstance(i, pikepdf.Dictionary) and i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return Check(INTENT, False, f"{len(intents)} GTS_PDFX output intents, need 1")
    intent = intents[0]
    ident = str(intent.get("/OutputConditionIdentifier", "")).strip()
    if not ident:
        return Check(INTENT, False, "no OutputConditionIdentifier")
    registry = str(intent.get("/RegistryName", ""))
    profile = intent.get("/DestOutputProfile")
    registered = ident in REGISTERED or ("color.org" in registry and ident.lower() != "custom")
    if profile is None:
        if not registered:
            return Check(INTENT, False, f"{ident!r} is not a registered characterization "
                         f"and there is no DestOutputProfile (ICC profile)")
        return Check(INTENT, True, ident)
    problem = _icc_problem(profile, prof)
    if problem:
        return Check(INTENT, False, f"{ident}: DestOutputProfile {problem}")
    return Check(INTENT, True, f"{ident} (embedded ICC profile)")


def _icc_problem(stream, prof: Profile) -> str:
    import pikepdf

    if not isinstance(stream, pikepdf.Stream):
        return "is not a stream"
    try:
        data = stream.read_bytes()
    except Exception as err:   # noqa: BLE001
        return f"cannot be read ({_short(err)[:60]})"
    if len(data) < 132 or data[36:40] != b"acsp":
        return "is not an ICC profile"
    if int.from_bytes(data[0:4], "big") > len(data):
        return "is truncated"
    space = data[16:20]
    allowed = {b"CMYK"} if not prof.icc_colour else {b"CMYK", b"RGB ", b"GRAY"}
    if space not in allowed:
        return f"is for {space.decode('latin-1').strip()}, not CMYK"
    if data[12:16] not in (b"prtr",) and not prof.icc_colour:
        return f"is a {data[12:16].decode('latin-1')} profile, not an output (prtr) profile"
    return ""

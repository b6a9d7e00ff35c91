"""A TrueType face embedded whole as one CID-keyed font (Type 0, Identity-H).

ReportLab's own TrueType embedding cuts a font into 256-glyph subsets, each a
font of its own: a page of Chinese, which uses a thousand or more characters,
switched font every other glyph (the sample's page 1: 1,493 font selections and
1,493 TJ arrays for 3,052 glyphs), and ReportLab subset each 256-glyph part
again from our subset file. Here the file the build already made of the glyphs
it set (layout/fonts.py) is embedded as it is, and text is written as 2-byte
codes, so a line in one face is one TJ array. This is how InDesign and the
systems layout staff know write CJK text (PDF 32000 §9.7: a Type 0 font,
Identity-H, over a CIDFontType2 with a CIDToGIDMap, and a ToUnicode CMap so
the text copies and searches as written).

ReportLab calls the two methods its canvas needs (`stringWidth` for widths,
and `addObjects` when the document is saved); `codes` is what render.py asks
for each character.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont


def _utf16_hex(cp: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants (surrogates past U+FFFF)."""
    return f"{cp:04X}" if cp < 0x10000 else chr(cp).encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, chars: dict[int, int]) -> str:
    """ToUnicode CMap from 2-byte codes (CID -> code point) to their characters."""
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            f"/CMapName /{name}-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    body = []
    pairs = sorted(chars.items())
    for k in range(0, len(pairs), 100):        # at most 100 entries a block (PDF spec)
        chunk = pairs[k:k + 100]
        body.append(f"{len(chunk)} beginbfchar")
        body += [f"<{cid:04X}> <{_utf16_hex(cp)}>" for cid, cp in chunk]
        body.append("endbfchar")
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


def _widths(chars: dict[int, int], width_of) -> list:
    """The /W array: runs of consecutive CIDs (CID -> code point), each with its widths."""
    out: list = []
    run: list[int] = []
    start = prev = None
    for cid in sorted(chars):
        if prev is not None and cid == prev + 1:
            run.append(width_of(chars[cid]))
        else:
            if run:
                out += [start, pdfdoc.PDFArray(run)]
            start, run = cid, [width_of(chars[cid])]
        prev = cid
    if run:
        out += [start, pdfdoc.PDFArray(run)]
    return out


def _deflated(subset: Path, program: bytes) -> bytes:
    """program (the subset file's bytes) Flate-compressed, kept beside the subset;
    made again when absent, unreadable or not the program's."""
    path, folder = subset.with_suffix(".flate"), subset.parent
    try:
        packed = path.read_bytes()
        # inflating checks it (a millisecond; deflating is the slow way): a damaged or
        # planted entry is made again, never embedded
        if zlib.decompress(packed) == program:
            return packed
    except (OSError, zlib.error):
        pass
    packed = zlib.compress(program)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(packed)
        os.replace(tmp, path)          # a reader sees no file or the whole one
    except OSError:
        pass                           # a read-only cache: compressed again next time
    return packed


class CIDTrueType(TTFont):
    """A TrueType file drawn with 2-byte codes (CIDs); embedded once, whole, at save."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.path = Path(filename)
        self._used: WeakKeyDictionary = WeakKeyDictionary()    # doc -> {code point: CID}
        self._names: WeakKeyDictionary = WeakKeyDictionary()   # doc -> '/F3'

    def internal_name(self, doc) -> str:
        """The font's resource name in doc ('/F3'), registered to be embedded at save."""
        name = self._names.get(doc)
        if name is None:
            name = self._names[doc] = f"/F{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = name
            doc.delayedFonts.append(self)
            self._used[doc] = {}
        return name

    def codes(self, text: str, doc) -> str:
        """text as the hex of its 2-byte codes (CIDs), remembered for the document's
        widths, glyph map and ToUnicode. CIDs are given in the order characters are
        first drawn, not as the file's glyph ids: a character another page brings
        in renumbers the subset file's glyphs, but not the codes of a page drawn
        before it, so an unchanged page's content stays the same bytes (the
        printer's files resend only changed pages: output.fingerprint). A
        character the file lacks is glyph 0 (.notdef): the build refuses those
        before it draws (build.check_glyphs)."""
        self.internal_name(doc)
        used = self._used[doc]
        out = []
        for ch in text:
            cid = used.get(ord(ch))
            if cid is None:
                cid = used[ord(ch)] = len(used) + 1      # CID 0 stays .notdef
            out.append(f"{cid:04X}")
        return "".join(out)

    def addObjects(self, doc) -> None:
        face = self.face
        used = self._used.pop(doc, {})
        internal = self._names.pop(doc)[1:]
        program = self.path.read_bytes()
        # a subset's tag (PDF 32000 §9.6.4): six capitals, from the program embedded,
        # so a rebuild gives the same name and two faces never share one
        digest = hashlib.sha1(program).digest()
        tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
        base = f"{tag}+{face.name.decode('latin-1')}"

        font_file = pdfdoc.PDFStream()
        font_file.content = program
        font_file.dictionary["Length1"] = len(program)
        if doc.compression:
            # compressed once per subset, not once per build: a page's serif subset
            # takes 14 ms to deflate, more than drawing a page's text
            font_file.content = _deflated(self.path, program)
            font_file.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor", "FontName": pdfdoc.PDFName(base),
            "Flags": (face.flags & ~32) | 4,          # symbolic: its glyphs are not Latin's
            "FontBBox": pdfdoc.PDFArray(face.bbox), "ItalicAngle": face.italicAngle,
            "Ascent": face.ascent, "Descent": face.descent, "CapHeight": face.capHeight,
            "StemV": face.stemV, "MissingWidth": face.defaultWidth,
            "FontFile2": doc.Reference(font_file, f"fontFile:{self.fontName}"),
        })
        by_cid = {cid: cp for cp, cid in used.items()}
        width_of = (lambda cp: face.charWidths.get(cp, face.defaultWidth))
        to_glyph = face.charToGlyph
        glyph_map = pdfdoc.PDFStream()       # CID -> the file's glyph id, 2 bytes each
        glyph_map.content = b"".join(to_glyph.get(by_cid.get(cid, -1), 0).to_bytes(2, "big")
                                     for cid in range(len(used) + 1))
        if doc.compression:
            glyph_map.filters = [pdfdoc.PDFZCompress]
        cid_font = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": pdfdoc.PDFName(base),
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0}),
            "FontDescriptor": doc.Reference(descriptor, f"fontDescriptor:{self.fontName}"),
            "DW": face.defaultWidth,
            "W": pdfdoc.PDFArray(_widths(by_cid, width_of)),
            "CIDToGIDMap": doc.Reference(glyph_map, f"cidToGidMap:{self.fontName}"),
        })
        cmap = pdfdoc.PDFStream()
        cmap.content = to_unicode_cmap(base, by_cid)
        if doc.compression:
            cmap.filters = [pdfdoc.PDFZCompress]
        font = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/Type0", "BaseFont": pdfdoc.PDFName(base),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font,
                                                              f"cidFont:{self.fontName}")]),
            "ToUnicode": doc.Reference(cmap, f"toUnicodeCMap:{self.fontName}"),
        })
        doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(font, internal)

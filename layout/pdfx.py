"""PDF/X-1a:2003: what ReportLab cannot write itself, added with pikepdf.

ReportLab draws the pages; this stage adds the output intent (the printing
condition the colours are meant for), the PDF/X keys in the document info and
in XMP metadata, /Trapped, and saves the file as PDF 1.4 without object
streams (PDF/X-1a:2003 is based on PDF 1.4).
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

PDFX_VERSION = "PDF/X-1a:2003"
ICC_REGISTRY = "http://www.color.org"


def make_pdfx(path: Path, *, title: str, output_condition: str, output_condition_info: str,
              created: _dt.datetime | None = None, max_ink: float | None = None) -> None:
    """Turn the ReportLab PDF at path into PDF/X-1a:2003 in place.

    max_ink: the total ink the file was made to (the style's limit); the output
    intent's condition text says so, so the plant reads the same figure the
    preflight checked.
    """
    import pikepdf

    created = created or _dt.datetime.now().astimezone()
    condition = output_condition_info
    if max_ink is not None:
        condition = f"{output_condition_info}; total ink limit {max_ink:g} %"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(output_condition),
            OutputCondition=pikepdf.String(condition),
            RegistryName=pikepdf.String(ICC_REGISTRY),
            Info=pikepdf.String(condition),
        )
        unique_subset_tags(pdf)
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        stamp = _pdf_date(created)
        info = pdf.docinfo
        info[pikepdf.Name.Title] = pikepdf.String(title)
        info[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String(PDFX_VERSION)
        info[pikepdf.Name.Trapped] = pikepdf.Name("/False")      # we do no trapping
        info[pikepdf.Name.CreationDate] = pikepdf.String(stamp)
        info[pikepdf.Name.ModDate] = pikepdf.String(stamp)
        # the XMP packet written out, not through pikepdf's editor: that loads lxml, a
        # tenth of a warm build, for eight fixed properties
        xmp = pdf.make_stream(_xmp(title, str(info.get("/Producer", "layout")), created))
        xmp.Type, xmp.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = xmp
        # ReportLab compressed its streams already: qpdf need not inflate and deflate them
        # again (15 ms of the sample's build); the XMP packet stays plain, as readers want
        pdf.save(path, force_version="1.4", object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 fix_metadata_version=False, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)


def unique_subset_tags(pdf) -> int:
    """Give every embedded font subset its own six-letter tag; returns how many changed.

    ReportLab tags the n-th subset of every font alike (AAAAAA+, AAAAAB+ ...), so
    two faces share AAAAAA+; PDF 32000 §9.6.4 wants a tag per subset, and RIPs
    that cache fonts by name may mix them up. (Our own fonts, layout/cidfont.py,
    come tagged already; a PDF drawn by other code may not.) The tag is taken from
    a hash of the font's name and its embedded program, so a rebuild gives the same
    tag.
    """
    import hashlib

    import pikepdf

    renamed = {}                         # descriptor (objgen) -> its new name
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        name = str(obj.get("/FontName", ""))
        if len(name) < 8 or name[7] != "+" or not name[1:7].isupper():
            continue
        program = obj.get("/FontFile2") or obj.get("/FontFile3") or obj.get("/FontFile")
        digest = hashlib.sha1(name.encode() + (program.read_raw_bytes() if program else b""))
        tag = "".join(chr(ord("A") + b % 26) for b in digest.digest()[:6])
        obj.FontName = renamed[obj.objgen] = pikepdf.Name(f"/{tag}+{name[8:]}")
    for font in pdf.objects:                 # each font names its descriptor's font
        if isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font":
            desc = font.get("/FontDescriptor")
            if desc is None and font.get("/DescendantFonts") is not None:
                desc = font.DescendantFonts[0].get("/FontDescriptor")   # a Type 0 font's
            if desc is not None and desc.objgen in renamed:
                font.BaseFont = renamed[desc.objgen]
    changed = len(renamed)
    return changed


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <pdf:Trapped>False</pdf:Trapped>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>layout</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _xmp(title: str, producer: str, created: _dt.datetime) -> bytes:
    """The document's XMP packet: the PDF/X version, title, trapping and dates."""
    # html.escape, not xml.sax.saxutils: that module pulls in urllib, http and
    # ssl (30 ms of every build's start-up) for a three-character replacement.
    from html import escape
    return _XMP.format(version=PDFX_VERSION, title=escape(title, quote=False),
                       producer=escape(producer, quote=False),
                       date=created.isoformat(timespec="seconds")).encode("utf-8")


def _pdf_date(t: _dt.datetime) -> str:
    """A PDF date string: D:YYYYMMDDHHmmSS+HH'mm'."""
    off = t.utcoffset() or _dt.timedelta(0)
    sign = "+" if off >= _dt.timedelta(0) else "-"
    minutes = abs(int(off.total_seconds())) // 60
    return t.strftime("D:%Y%m%d%H%M%S") + f"{sign}{minutes // 60:02d}'{minutes % 60:02d}'"

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
              created: _dt.datetime | None = None) -> None:
    """Turn the ReportLab PDF at path into PDF/X-1a:2003 in place."""
    import pikepdf

    created = created or _dt.datetime.now().astimezone()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(output_condition),
            OutputCondition=pikepdf.String(output_condition_info),
            RegistryName=pikepdf.String(ICC_REGISTRY),
            Info=pikepdf.String(output_condition_info),
        )
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        stamp = _pdf_date(created)
        info = pdf.docinfo
        info[pikepdf.Name.Title] = pikepdf.String(title)
        info[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String(PDFX_VERSION)
        info[pikepdf.Name.Trapped] = pikepdf.Name("/False")      # we do no trapping
        info[pikepdf.Name.CreationDate] = pikepdf.String(stamp)
        info[pikepdf.Name.ModDate] = pikepdf.String(stamp)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta.register_xml_namespace("http://www.npes.org/pdfx/ns/id/", "pdfxid")
            meta["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
            meta["dc:title"] = title
            meta["pdf:Trapped"] = "False"
            meta["pdf:Producer"] = str(info.get("/Producer", "layout"))
            meta["xmp:CreatorTool"] = "layout"
            meta["xmp:CreateDate"] = created.isoformat(timespec="seconds")
            meta["xmp:ModifyDate"] = created.isoformat(timespec="seconds")
            meta["xmp:MetadataDate"] = created.isoformat(timespec="seconds")
        pdf.save(path, force_version="1.4", object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 fix_metadata_version=False)


def _pdf_date(t: _dt.datetime) -> str:
    """A PDF date string: D:YYYYMMDDHHmmSS+HH'mm'."""
    off = t.utcoffset() or _dt.timedelta(0)
    sign = "+" if off >= _dt.timedelta(0) else "-"
    minutes = abs(int(off.total_seconds())) // 60
    return t.strftime("D:%Y%m%d%H%M%S") + f"{sign}{minutes // 60:02d}'{minutes % 60:02d}'"

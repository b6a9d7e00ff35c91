"""Reading built PDFs in tests, independently of layout.preflight."""
from __future__ import annotations


def font_dicts(pdf) -> list:
    """Every font dictionary of every page (descendants and form XObjects included)."""
    seen: set = set()
    found: list = []
    for page in pdf.pages:
        found += _fonts(page.obj.get("/Resources"), seen)
    return found


def _fonts(resources, seen: set) -> list:
    found = []
    for _, font in ((resources or {}).get("/Font") or {}).items():
        if font.objgen not in seen:
            seen.add(font.objgen)
            found += [font, *list(font.get("/DescendantFonts") or [])]
    for _, xobj in ((resources or {}).get("/XObject") or {}).items():
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            found += _fonts(xobj.get("/Resources"), seen)
    return found

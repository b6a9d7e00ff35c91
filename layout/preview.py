"""PNG previews of a built PDF (pypdfium2: no system packages needed)."""
from __future__ import annotations

from pathlib import Path


def pdf_to_pngs(pdf: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    import pypdfium2 as pdfium

    outdir.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(str(pdf))
    paths = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            img = page.render(scale=dpi / 72).to_pil()
            path = outdir / f"{pdf.stem}-p{i + 1}.png"
            img.save(path)
            paths.append(path)
    finally:
        doc.close()
    return paths

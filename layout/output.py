"""Writing the files: atomically, as PDF/X, preflighted; the printer's set of files.

A build draws into a temporary file beside the target, makes it PDF/X,
preflights it, and only then renames it over the target: a failed build leaves
the last good PDF where it was.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import LayoutError

PREFLIGHT_EXIT = 1


class PreflightError(LayoutError):
    """Our own output did not pass preflight: a bug or a style the printer cannot take."""

    exit_code = PREFLIGHT_EXIT


@contextmanager
def atomic(out: Path):
    """A temporary path beside out; renamed over out if the block finishes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=out.suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())      # mkstemp made it private; a PDF is for sharing
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(path: Path, trim_mm: tuple[float, float], pdfx: bool) -> None:
    """Preflight our own file; fail the build if it does not pass."""
    from .preflight import passed, preflight

    checks = preflight(path, trim_mm=trim_mm, pdfx=pdfx)
    if not passed(checks):
        failed = "; ".join(f"{c.name}: {c.detail}" for c in checks if not c.ok)
        raise PreflightError(f"the built PDF does not pass preflight: {failed}")


def printer_files(combined: Path, folder: Path, stem: str) -> list[Path]:
    """One PDF per page beside the combined file, and a manifest with their checksums.

    Names carry paper, date, total issue number and page, so the printer
    cannot mix up pages of different issues: shangjie_2025-03-09_803_p01.pdf.
    """
    import pikepdf

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    with pikepdf.open(combined) as src:
        for number, page in enumerate(src.pages, 1):
            dest = folder / f"{stem}_p{number:02d}.pdf"
            with atomic(dest) as tmp, pikepdf.new() as one:
                one.pages.append(page)
                # the document-level PDF/X parts travel with every page file
                for key in ("/OutputIntents", "/Metadata"):
                    if key in src.Root:
                        one.Root[key] = _copy(one, src.Root[key])
                for key, value in src.docinfo.items():
                    one.docinfo[key] = _copy(one, value)
                one.save(tmp, force_version="1.4",
                         object_stream_mode=pikepdf.ObjectStreamMode.disable)
            files.append(dest)
    # page files of an earlier build with more pages would be mistaken for this issue's
    for old in folder.glob(f"{stem}_p[0-9][0-9].pdf"):
        if old not in files:
            old.unlink()
    manifest = folder / f"{stem}_manifest.txt"
    with atomic(manifest) as tmp:
        tmp.write_text(_manifest(combined, files), encoding="utf-8")
    return files + [manifest]


def _copy(dest, obj):
    """obj from another PDF into dest; pikepdf copies only indirect objects itself."""
    import pikepdf

    if obj.is_indirect:
        return dest.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(dest, v) for v in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy(dest, v) for k, v in obj.items()})
    return obj


def _manifest(combined: Path, files: list[Path]) -> str:
    import pikepdf

    lines = [f"{combined.name}: the whole issue; one file per page below", ""]
    for path in [combined] + files:
        with pikepdf.open(path) as pdf:
            trim = pdf.pages[0].obj.get("/TrimBox") or pdf.pages[0].MediaBox
            media = pdf.pages[0].MediaBox
            size = _mm(trim)
            sheet = _mm(media)
            pages = len(pdf.pages)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{path.name}  pages {pages}  trim {size}  sheet {sheet}  sha256 {digest}")
    return "\n".join(lines) + "\n"


def _mm(box) -> str:
    w = (float(box[2]) - float(box[0])) * 25.4 / 72
    h = (float(box[3]) - float(box[1])) * 25.4 / 72
    return f"{w:.1f}x{h:.1f}mm"

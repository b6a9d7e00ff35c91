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
from typing import Callable

from .errors import LayoutError
from .paths import (fault, manifest_name, page_file_pattern, remove_stale_temps, temp_prefix,
                    write_fault)

PREFLIGHT_EXIT = 1


class PreflightError(LayoutError):
    """Our own output did not pass preflight: a bug or a style the printer cannot take."""

    exit_code = PREFLIGHT_EXIT


@contextmanager
def atomic(out: Path, before_replace: Callable[[], None] | None = None):
    """A temporary path beside out; renamed over out if the block finishes.

    The temporary file is `.<stem>-<pid>-XXXXXXXX<suffix>`; those of killed builds
    are removed first (paths.remove_stale_temps). An OSError (a full disk, a
    read-only folder) is one line naming out, and out is left as it was.
    `before_replace` runs just before the rename (to retire files that describe
    the old out).
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(out.parent, out.stem, out.suffix)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=temp_prefix(out.stem),
                                   suffix=out.suffix)
        os.close(fd)
    except OSError as err:
        raise write_fault(err, out) from err
    try:
        try:
            yield Path(tmp)
            os.chmod(tmp, 0o666 & ~_umask())      # mkstemp made it private; a PDF is for sharing
            if before_replace is not None:
                before_replace()
            os.replace(tmp, out)
        except OSError as err:
            raise write_fault(err, out) from err
    finally:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            pass


def write_json(path: Path, data: dict) -> None:
    """The layout report, written like the PDF: whole or not at all."""
    import json

    with atomic(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)


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
    The manifest goes first and comes back last, after page files of an earlier
    build with more pages are removed: whenever there is a manifest, every page
    file it lists is there and has its checksum, and no other page file of the
    issue is beside it.
    """
    import pikepdf

    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / manifest_name(stem)
    _remove(manifest)
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
    pattern = page_file_pattern(stem)
    for old in folder.iterdir():
        if pattern.fullmatch(old.name) and old not in files:
            _remove(old)
    with atomic(manifest) as tmp:
        tmp.write_text(_manifest(combined, files), encoding="utf-8")
    return files + [manifest]


def retire_printer_sets(combined: Path) -> list[Path]:
    """Remove the manifests beside combined that list it, and the page files they list.

    Called just before a new combined PDF replaces the old one: the printer's
    files of the old one would no longer match it.
    """
    removed = []
    folder = combined.parent
    head = f"{combined.name}: the whole issue"
    for manifest in sorted(folder.glob("*_manifest.txt")):
        if not manifest.is_file() or manifest.is_symlink():
            continue
        try:
            with open(manifest, encoding="utf-8", errors="replace") as f:
                lines = f.read(1 << 20).splitlines()
        except OSError:
            continue
        if not lines or not lines[0].startswith(head):
            continue
        _remove(manifest)
        removed.append(manifest)
        for line in lines[1:]:
            name = line.split("  ", 1)[0]
            path = folder / name
            if _ANY_PAGE_FILE.fullmatch(name) and path.is_file() and not path.is_symlink():
                _remove(path)
                removed.append(path)
    return removed


_ANY_PAGE_FILE = page_file_pattern()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise fault(err, path, "remove") from err


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

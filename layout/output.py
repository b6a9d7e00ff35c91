"""Writing the files: atomically, as PDF/X, preflighted; the printer's set of files.

A build draws into a temporary file beside the target, makes it PDF/X,
preflights it, and only then renames it over the target: a failed build leaves
the last good PDF where it was.
"""
from __future__ import annotations

import hashlib
import os
import re
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
    with atomic(path) as tmp:
        dump_json(tmp, data)


def dump_json(tmp: Path, data: dict) -> None:
    """data as the report's JSON into tmp (an atomic() temporary file)."""
    import json

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


def printer_files(combined: Path, folder: Path, stem: str,
                  previous: dict | None = None) -> list[Path]:
    """One PDF per page beside the combined file, and a manifest with their checksums.

    Names carry paper, date, total issue number and page, so the printer
    cannot mix up pages of different issues: shangjie_2025-03-09_803_p01.pdf.
    `previous` is the last delivery (read_delivery, read before the build
    retired it): a page whose content changed since then is sent again as a
    new version, shangjie_2025-03-09_803_p02_v2.pdf, and the manifest says
    which pages changed. The manifest goes first and comes back last, after
    page files of an earlier build are removed: whenever there is a manifest,
    every page file it lists is there and has its checksum, and no other page
    file of the issue is beside it.
    """
    import pikepdf

    from .preflight import inspect

    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / manifest_name(stem)
    _remove(manifest)
    previous = previous or {}
    report = inspect(combined, pdfx="/GTS_PDFXVersion" in _docinfo_keys(combined))
    files, rows = [], []
    with pikepdf.open(combined) as src:
        for number, page in enumerate(src.pages, 1):
            content = fingerprint(page)
            before = previous.get("pages", {}).get(number)
            if before is None:
                version, change = 1, "new" if previous else "first"
            elif before[1] == content:
                version, change = before[0], "unchanged"
            else:
                version, change = before[0] + 1, "changed"
            suffix = "" if version == 1 else f"_v{version}"
            dest = folder / f"{stem}_p{number:02d}{suffix}.pdf"
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
            rows.append((dest, number, version, change, content))
    # page files of an earlier build (more pages, older versions) would be mistaken for
    # this issue's
    pattern = page_file_pattern(stem)
    for old in folder.iterdir():
        if pattern.fullmatch(old.name) and old not in files:
            _remove(old)
    with atomic(manifest) as tmp:
        tmp.write_text(_manifest(combined, rows, report, previous), encoding="utf-8")
    return files + [manifest]


def _docinfo_keys(path: Path) -> set[str]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return set(pdf.docinfo.keys())


_SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")
_SUBSET_SUFFIX = re.compile(r"-[0-9A-Fa-f]{6,}$")     # our subset files: <face>-<chars hash>
# a shared subset grows when another page brings in a character: its program, the widths
# of the codes other pages use and its code range are not this page's
_SKIP_KEYS = {"/FontFile", "/FontFile2", "/FontFile3", "/ToUnicode", "/Metadata", "/Parent",
              "/PieceInfo", "/LastModified", "/Widths", "/FirstChar", "/LastChar", "/W",
              "/CIDToGIDMap", "/CharSet", "/CIDSet"}


def fingerprint(page) -> str:
    """What a page prints, as 16 hex digits: stable across builds of the same page.

    The page's boxes, its content streams and every resource it draws (forms,
    images, colour spaces, fonts by name), but not the font programs, their
    widths tables, subset tags, dates or IDs: a glyph another page brought into
    a shared subset does not make this page changed. (A changed glyph shape
    with the same character codes, i.e. a new font file, is not seen.)
    """
    import pikepdf

    digest = hashlib.sha256()
    seen: set = set()

    def feed(obj, depth: int) -> None:
        if depth > 40:
            return
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and \
                obj.is_indirect:
            if obj.objgen in seen:
                digest.update(b"<ref>")
                return
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            try:
                digest.update(obj.read_bytes())
            except pikepdf.PdfError:
                digest.update(obj.read_raw_bytes())
        if isinstance(obj, pikepdf.Dictionary) and "/BaseFont" in obj and \
                obj.get("/Subtype") != "/Type3":
            # a font by its name: its descriptor (bounding box, widths) follows the subset
            for key in ("/Subtype", "/BaseFont", "/Encoding"):
                if key in obj:
                    digest.update(key.encode())
                    feed(obj[key], depth + 1)
            return
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key in sorted(obj.keys()):
                if key in _SKIP_KEYS or key == "/Length":
                    continue
                digest.update(key.encode())
                feed(obj[key], depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                feed(item, depth + 1)
        elif isinstance(obj, pikepdf.Name):
            digest.update(_SUBSET_SUFFIX.sub("", _SUBSET_TAG.sub("/", str(obj))).encode())
        else:
            digest.update(repr(obj).encode("utf-8", "replace"))

    for key in ("/MediaBox", "/TrimBox", "/BleedBox", "/ArtBox", "/Resources", "/Contents"):
        if key in page.obj:
            digest.update(key.encode())
            feed(page.obj[key], 0)
    return digest.hexdigest()[:16]


_ROW = re.compile(r"(\S+)\s+pages \d+\s+page (\d+)\s+v(\d+)\s.*\bcontent ([0-9a-f]{16})\b")
_DELIVERY = re.compile(r"\bdelivery (\d+)\b")


def read_delivery(folder: Path, stem: str) -> dict:
    """The last delivery of an issue from its manifest: {"number": N, "pages": {page: (v, content)}}.

    Empty when there is none (or it cannot be read): the next delivery is the first.
    """
    path = Path(folder) / manifest_name(stem)
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read(1 << 20).splitlines()
    except OSError:
        return {}
    pages = {}
    for line in lines[2:]:
        m = _ROW.match(line)
        if m:
            pages[int(m[2])] = (int(m[3]), m[4])
    number = _DELIVERY.search(lines[1]) if len(lines) > 1 else None
    if not pages:
        return {}
    return {"number": int(number[1]) if number else 1, "pages": pages}


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


INK_LETTERS = {"Cyan": "C", "Magenta": "M", "Yellow": "Y", "Black": "K"}


def _inks(inks) -> str:
    from .preflight import sorted_inks

    names = [INK_LETTERS.get(i, i.replace(" ", "_")) for i in sorted_inks(inks)]
    return " ".join(names) if names else "none"


def _manifest(combined: Path, rows: list, report, previous: dict) -> str:
    """The delivery note: one line a file, each with its SHA-256.

    Line 1 names the combined PDF; line 2 the PDF/X version, output condition,
    the delivery's number and the pages changed since the last one. Then one
    row a file: pages, page number and version, trim, sheet and bleed sizes,
    the inks it prints (the plate plan), whether it changed, a content
    fingerprint and the SHA-256 of the file.
    """
    import pikepdf

    number = previous.get("number", 0) + 1 if previous else 1
    changed = [f"p{n:02d} v{v}" for _, n, v, change, _ in rows if change == "changed"]
    added = [f"p{n:02d}" for _, n, v, change, _ in rows if change == "new"]
    dropped = sorted(set(previous.get("pages", {})) - {n for _, n, *_ in rows})
    if number == 1:
        since = "first delivery"
    else:
        parts = []
        if changed:
            parts.append("changed " + ", ".join(changed))
        if added:
            parts.append("new " + ", ".join(added))
        if dropped:
            parts.append("dropped " + ", ".join(f"p{n:02d}" for n in dropped))
        since = f"since delivery {number - 1}: " + ("; ".join(parts) if parts else
                                                      "no page changed")
    standard = report.pdfx_version or "not PDF/X"
    condition = report.output_condition or "none"
    lines = [f"{combined.name}: the whole issue; one file per page below",
             f"{standard}; output condition {condition}; delivery {number}; {since}"]
    entries = [(combined, None)] + [(row[0], row) for row in rows]
    sums = []
    for path, row in entries:
        with pikepdf.open(path) as pdf:
            first = pdf.pages[0].obj
            trim = first.get("/TrimBox") or first.MediaBox
            bleed = first.get("/BleedBox")
            pages = len(pdf.pages)
            size, sheet = _mm(trim), _mm(first.MediaBox)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if row is None:
            inks = set().union(*(p.inks for p in report.pages)) if report.pages else set()
            middle = f"inks {_inks(inks)}"
        else:
            _, n, version, change, content = row
            middle = f"page {n}  v{version}  trim {size}  sheet {sheet}  bleed " \
                     f"{_mm(bleed) if bleed is not None else 'none'}  inks " \
                     f"{_inks(report.pages[n - 1].inks)}  {change}  content {content}"
            lines.append(f"{path.name}  pages {pages}  {middle}  sha256 {digest}")
            sums.append(f"{digest}  {path.name}")
            continue
        lines.append(f"{path.name}  pages {pages}  trim {size}  sheet {sheet}  {middle}  "
                     f"sha256 {digest}")
        sums.append(f"{digest}  {path.name}")
    # the same checksums as `sha256sum -c` reads them (it skips the rows above as
    # improperly formatted, the comment and the blank line)
    lines += ["", f"# sha256sum -c {manifest_name_of(combined, rows)} checks the files:"] + sums
    return "\n".join(lines) + "\n"


def manifest_name_of(combined: Path, rows: list) -> str:
    """The manifest's file name, for the note in it (rows' first file names the stem)."""
    if rows:
        return manifest_name(_PAGE_STEM.sub("", rows[0][0].stem))
    return "<manifest>"


_PAGE_STEM = re.compile(r"_p\d\d(_v\d+)?$")


def _mm(box) -> str:
    w = (float(box[2]) - float(box[0])) * 25.4 / 72
    h = (float(box[3]) - float(box[1])) * 25.4 / 72
    return f"{w:.1f}x{h:.1f}mm"

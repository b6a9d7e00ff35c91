"""Where a build may write, and what the file system says when it cannot.

Never destroy a file the build did not make: before anything is written,
`check_outputs` refuses every output (the PDF, the layout report, the
printer's page files and manifest) that is an input of the build (the issue
file, its house style, a font file, the logo), another output of the same
build, a folder, a device, a named pipe, a socket or a symbolic link. Paths
are compared as resolved real paths and, where the file exists, by device and
inode, so `..`, symbolic and hard links and a case-insensitive disk are caught.

`fault` turns an OSError (a full disk, a read-only folder, an unreadable file)
into one line naming the path. `remove_stale_temps` removes the temporary
files of builds that were killed before they could clean up: their names
carry the pid of the build that made them.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import time
from pathlib import Path

from .errors import InputError, LayoutError

# a temporary file of a build still running is never older than this; one that
# is older, or whose pid is not running, is left over from a killed build
STALE_TEMP_SECONDS = 10 * 60


class FileFault(LayoutError):
    """The file system refused: a full disk, a read-only folder, an unreadable file."""

    exit_code = 2


# -- what a build reads and writes ---------------------------------------------------------

def printer_stem(issue) -> str:
    """shangjie_2025-03-09_803: paper, date and total issue number of the printer's files."""
    return f"{issue.paper}_{issue.date.isoformat()}_{issue.total}"


def page_file_pattern(stem: str | None = None) -> re.Pattern:
    """Names of the printer's page files of one issue (stem), or of any issue.

    A page sent again with changes carries its version: shangjie_2025-03-09_803_p02_v2.pdf.
    """
    prefix = re.escape(stem) if stem is not None else r"[^/\\]+"
    # _p02.pdf, and _p02_v2.pdf for a page resent with changes
    return re.compile(rf"{prefix}_p\d\d(?:_v\d+)?\.pdf")


def manifest_name(stem: str) -> str:
    return f"{stem}_manifest.txt"


def inputs_of(prep) -> list[tuple[str, Path]]:
    """(what, path) of every file the build reads."""
    style = prep.style
    found = [("the issue file", Path(prep.issue.path)), ("the house style", Path(style.path))]
    for name, spec in style.fonts.items():
        found.append((f"the font file of '{name}'", Path(spec.file)))
    if style.masthead.logo is not None:
        found.append(("the masthead logo", Path(style.masthead.logo)))
    # the photos the issue names (relative to the issue file, as composition reads them)
    here = Path(prep.issue.path).parent
    ear = prep.issue.ear
    if ear is not None and ear.photo is not None:
        found.append(("the ear's photo", here / ear.photo.file))
    for page in prep.issue.pages:
        for article in page.articles:
            for i, photo in enumerate(article.photos, 1):
                found.append((f"photo {i} of article '{article.headline}'", here / photo.file))
    return found


def check_outputs(prep, out: Path, *, report: Path | None = None,
                  printer: bool = False) -> None:
    """Refuse (InputError, exit 2) any output of this build that would destroy something."""
    inputs = inputs_of(prep)
    outputs: list[tuple[str, Path]] = [("the PDF", Path(out))]
    if report is not None:
        outputs.append(("the layout report", Path(report)))
    folder = Path(out).parent
    stem = printer_stem(prep.issue)
    pattern = page_file_pattern(stem)
    manifest = folder / manifest_name(stem)
    if printer:
        # a printer page file's name is claimed whether this issue has that many pages
        # or not: the build removes page files of an earlier build with more pages
        for what, path in outputs + inputs:
            if _same_folder(path, folder) and (pattern.fullmatch(path.name)
                                               or path.name == manifest.name):
                raise InputError(f"{path}: {what} has the name of one of the printer's files "
                                 f"({stem}_pNN.pdf, {manifest.name}), which --printer writes "
                                 f"or removes; choose another name or folder")
        existing = sorted(p for p in _listdir(folder) if pattern.fullmatch(p.name))
        outputs += [("a printer page file", p) for p in existing]
        outputs.append(("the printer manifest", manifest))
    for i, (what, path) in enumerate(outputs):
        _check_place(what, path)
        for in_what, in_path in inputs:
            if _same(path, in_path):
                raise InputError(f"{path}: {what} would overwrite {in_what} ({in_path}); "
                                 f"write it somewhere else")
        for other_what, other in outputs[:i]:
            if _same(path, other):
                raise InputError(f"{path}: {what} and {other_what} would be the same file; "
                                 f"give them different paths")
    for what, path in outputs:
        _check_ours(what, path)


DRAFT_PRINTER = ("--draft and --printer together: a draft is never sent to the printer; "
                 "drop --draft to write the printer's files")


def _check_place(what: str, path: Path) -> None:
    """path may be created or replaced: absent, or a regular file; its folder a folder."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as err:
        raise fault(err, path) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise InputError(f"{path}: {what} would replace a symbolic link (to "
                             f"{os.readlink(path)}); give the real path or remove the link")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: {what} would replace {_kind(info.st_mode)}, not a "
                             f"regular file; give the path of a file")
    # the nearest folder that exists must be a folder (mkdir makes the rest)
    parent = Path(os.path.abspath(path)).parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not os.path.isdir(parent):
        raise InputError(f"{path}: {what} cannot be written: {parent} is not a folder")


# an existing file in an output's place is replaced only if it is what the build writes
# there: a PDF (the PDF, a printer page file), a layout report of ours; an empty file
# holds nothing to lose
MAX_REPORT_BYTES = 64 * 1024 * 1024


def _check_ours(what: str, path: Path) -> None:
    """Refuse (InputError) replacing an existing file that this kind of output is not."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as err:
        raise fault(err, path) from None
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return              # (what is not a regular file was refused by _check_place)
    if what == "the layout report":
        if not is_layout_report(path, info.st_size):
            raise InputError(f"{path}: exists and is not a layout report (a JSON file written "
                             f"by `layout build --report`); {what} would replace it: give a "
                             "new file name, or remove the file first")
    elif what in ("the PDF", "a printer page file"):
        head = _head(path, 5)
        if head != b"%PDF-":
            raise InputError(f"{path}: exists and is not a PDF{_looks_like(path)}; {what} "
                             "would replace it: give a new file name, or remove the file "
                             "first")


def _head(path: Path, n: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError as err:
        raise fault(err, path, "read") from None


def _looks_like(path: Path) -> str:
    kind = file_kind(path)
    return f" ({kind})" if kind else ""


def is_layout_report(path: Path, size: int) -> bool:
    """A JSON object whose "pages" is a list of objects with "page" and "modules":
    what layout_report writes."""
    import json

    if size > MAX_REPORT_BYTES:
        return False
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read())
    except OSError as err:
        raise fault(err, path, "read") from None
    except ValueError:
        return False
    pages = data.get("pages") if isinstance(data, dict) else None
    return isinstance(pages, list) and all(
        isinstance(p, dict) and "page" in p and "modules" in p for p in pages)


# -- what a file given for the issue really is ------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_kind(path: Path) -> str | None:
    """'a Word file', 'a PDF', ... for a file an editor may give by mistake; None otherwise.

    By its first bytes (and, for a zip, the names of its parts), never by its name."""
    head = _head(path, 8)
    if head.startswith(b"%PDF-"):
        return "a PDF"
    if head.startswith(_OLE):
        return "a Word .doc file (or another Office file)"
    if head.startswith(b"PK\x03\x04"):
        import zipfile
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            return "a zip archive"
        for prefix, kind in (("word/", "a Word file"), ("xl/", "an Excel file"),
                             ("ppt/", "a PowerPoint file")):
            if any(n.startswith(prefix) for n in names):
                return kind
        return "a zip archive"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8")):
        return "an image"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    return None


def check_issue_file(path: Path) -> None:
    """Refuse (InputError) a regular file given for an issue that is a Word file, a PDF,
    an image, ...: said by its kind, not as YAML that fails to parse."""
    try:
        info = os.stat(path)
    except OSError:
        return                          # the loader names what is wrong with it
    if not stat.S_ISREG(info.st_mode):
        return
    try:
        kind = file_kind(path)
    except FileFault:
        return
    if kind is None:
        return
    if kind == "a Word file":
        raise InputError(f"{path} is a Word file, not an issue file: use "
                         f"`layout import {path} --into ISSUE`")
    if kind.startswith("a Word .doc"):
        raise InputError(f"{path} is {kind}, not an issue file: save it as .docx in Word, "
                         f"then `layout import` it into an issue")
    what = {"a PDF": "; `layout preflight` checks a PDF"}.get(kind, "")
    raise InputError(f"{path} is {kind}, not an issue file (a .yaml file){what}")


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "something that is not a regular file"


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)     # hard links, case-insensitive names, bind mounts
    except OSError:
        return False


def _same_folder(path: Path, folder: Path) -> bool:
    return os.path.realpath(Path(path).parent) == os.path.realpath(folder)


def _listdir(folder: Path) -> list[Path]:
    try:
        return [folder / name for name in os.listdir(folder)]
    except FileNotFoundError:
        return []
    except OSError as err:
        raise fault(err, folder, "read") from None


# -- faults --------------------------------------------------------------------------------

def fault(err: OSError, path: Path | str | None = None,
          action: str = "read or write") -> FileFault:
    """One line for an OSError: the path (err.filename, else `path`) and the reason."""
    name = os.fsdecode(err.filename) if err.filename is not None else path
    if name is None:
        return FileFault(f"cannot {action} a file: {reason(err)}")
    return FileFault(f"{name}: cannot {action} it: {reason(err)}")


def write_fault(err: OSError, out: Path) -> FileFault:
    """An OSError while out was being written: named by out, which is left as it was.

    An error that names some other file (a font being read, say) names that file.
    """
    folder = Path(out).parent
    name = None if err.filename is None else Path(os.fsdecode(err.filename))
    # (mkstemp names its file by an absolute path, the user may have given a relative one)
    whole = None if name is None else os.path.abspath(name)
    ours = name is None or whole in (os.path.abspath(out), os.path.abspath(folder)) or (
        os.path.dirname(whole) == os.path.abspath(folder)
        and name.name.startswith(f".{Path(out).stem}-"))  # a temp file
    if not ours:
        return fault(err)
    where = f" in the folder {folder}" if whole not in (None, os.path.abspath(out)) else ""
    kept = "; the previous file is left as it was" if os.path.lexists(out) else ""
    return FileFault(f"{out}: cannot write it{where}: {reason(err)}{kept}")


def reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "the disk is full (no space left on device)"
    if err.errno == errno.EROFS:
        return "the file system is read-only"
    return err.strerror or str(err) or type(err).__name__


# -- temporary files -----------------------------------------------------------------------

def temp_prefix(stem: str) -> str:
    """.<stem>-<pid>-: the start of a temporary file's name beside <stem>.<suffix>."""
    return f".{stem}-{os.getpid()}-"


def remove_stale_temps(folder: Path, stem: str, suffix: str) -> list[Path]:
    """Remove temporary files for <stem><suffix> in folder left by killed builds.

    A temporary file is `.<stem>-<pid>-<8 random characters><suffix>`. It is
    stale if no process with that pid is running, or if it is older than
    STALE_TEMP_SECONDS (the pid may have been reused, or the folder is shared
    with another machine). Names without a pid (made before pids were part of
    the name) go by age alone.
    """
    name = re.compile(rf"\.{re.escape(stem)}-(?:(\d+)-)?[a-z0-9_]{{8}}{re.escape(suffix)}")
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = name.fullmatch(entry)
        if not m:
            continue
        path = Path(folder) / entry
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        pid = int(m[1]) if m[1] else None
        old = now - info.st_mtime > STALE_TEMP_SECONDS
        if old or (pid is not None and not _running(pid)):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True                # someone else's process: it runs
    return True

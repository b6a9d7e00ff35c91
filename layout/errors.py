"""Errors shown to layout staff: one line, no traceback."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def one_line(text: str) -> str:
    """A message as one line: a line break written in the text it quotes (a headline
    in a `|` block: 我区举办2025年 / “上街好人”发布仪式) shown as ' | '."""
    return " | ".join(part.strip() for part in str(text).splitlines() if part.strip())


def near_file(folder: Path, written: str) -> str | None:
    """The file a path that names none most likely meant, as written (same folder
    names, '/' between them): one differing only in case (photos/Bridge.JPG for
    photos/bridge.jpg), else one of the same folder a letter or two away; None when
    no file is close."""
    import difflib

    parts = [p for p in written.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts:
        return None
    here, fixed = Path(folder), []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if (here / part).exists() and ((here / part).is_file() if last else True):
            here, fixed = here / part, fixed + [part]
            continue
        try:
            names = [e.name for e in here.iterdir() if (e.is_file() if last else e.is_dir())]
        except OSError:
            return None
        same = [n for n in names if n.casefold() == part.casefold()]
        if not same and last:
            same = difflib.get_close_matches(part.casefold(), [n.casefold() for n in names],
                                             n=1, cutoff=0.8)
            same = [n for n in names if same and n.casefold() == same[0]]
        if not same:
            return None
        here, fixed = here / same[0], fixed + [same[0]]
    near = "/".join(fixed)
    return near if near != "/".join(parts) else None


@dataclass(frozen=True)
class Source:
    """Where something came from in a YAML file (1-based line and column)."""
    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class LayoutError(Exception):
    """A problem with the input or the layout that the user must fix.

    The CLI prints str(error) on one line and exits with `exit_code`.
    """

    exit_code = 2

    def __init__(self, message: str, source: Source | None = None):
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        msg = one_line(self.message)
        return f"{self.source}: {msg}" if self.source else msg


class InputError(LayoutError):
    """Bad issue or style file: wrong key, type, value, missing field."""


class FitError(LayoutError):
    """Text that does not fit its page; the build must not drop it.

    cut: (column lines, characters) to cut for the page to fit, where known: the
    figures the error names, for the layout report of a draft.
    """

    exit_code = 1

    def __init__(self, message: str, source: Source | None = None,
                 cut: tuple[int, int] | None = None):
        super().__init__(message, source)
        self.cut = cut


class LostTextError(LayoutError):
    """The composed pages do not carry every character of the input: a bug, never output."""

    exit_code = 3

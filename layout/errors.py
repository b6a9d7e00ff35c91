"""Errors shown to layout staff: one line, no traceback."""
from __future__ import annotations

from dataclasses import dataclass


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
        msg = " ".join(self.message.split("\n"))
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

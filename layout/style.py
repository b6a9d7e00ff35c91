"""The house style: page geometry, type styles by role, fonts, colours, masthead.

find_style(paper, issue_path) locates styles/<paper>.yaml (beside the issue,
then the styles installed with the tool); load_style(path) validates it into a
HouseStyle, rejecting unknown keys with file:line:column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Source

CMYK = tuple[float, float, float, float]   # each 0..100 (%)

MM = 72 / 25.4                             # points per millimetre


@dataclass(frozen=True)
class PageGeometry:
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    columns: int
    column_chars: int          # column width in body characters
    gutter_chars: int          # gutter width in body characters
    module_gap_lines: int      # grid lines between stacked modules
    rule_width: float          # pt


@dataclass(frozen=True)
class FontSpec:
    name: str                  # key used by TextStyle.fonts
    file: Path                 # resolved, exists
    index: int = 0             # face index in a .ttc collection


@dataclass(frozen=True)
class TextStyle:
    fonts: tuple[str, ...]     # fallback chain of FontSpec names
    size: float                # pt
    leading: float             # pt, baseline to baseline
    color: str = "text"        # a key of HouseStyle.colors
    tracking: float = 0.0      # extra space between characters, in em


@dataclass(frozen=True)
class Setting:
    kinsoku: str = "basic"                 # clreq level: basic | strict
    punctuation: str = "line-end-half"     # full | line-end-half
    latin_spacing_em: float = 0.0
    first_line_indent_chars: int = 2
    max_letterspace_em: float = 0.25


@dataclass(frozen=True)
class Masthead:
    name: str
    english_name: str
    publisher: str
    registration: str
    notice: str
    phone: str
    logo: Path | None
    height_lines: int


@dataclass(frozen=True)
class PageHeader:
    height_lines: int


@dataclass(frozen=True)
class Footer:
    height_lines: int
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class HouseStyle:
    path: Path
    name: str
    page: PageGeometry
    fonts: dict[str, FontSpec]
    text: dict[str, TextStyle]     # roles: body, headline, lead_headline, kicker, subheadline,
                                   # byline, masthead_*, date_*, page_header, credits
    colors: dict[str, CMYK]
    setting: Setting
    masthead: Masthead
    page_header: PageHeader
    footer: Footer
    source: Source

    @property
    def body(self) -> TextStyle:
        return self.text["body"]

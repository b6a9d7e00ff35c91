"""What composition produces: positioned lines, rules, pictures on a page grid.

These are the types between page composition and rendering; the grid turns
column and grid-line numbers into points.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .setting import Line
from .style import MM, HouseStyle


@dataclass(frozen=True)
class PlacedLine:
    """A set line on the page; x from the page's left edge, y its baseline from the bottom."""
    line: Line
    x: float
    y: float
    size: float
    color: str
    role: str
    # what the line carries, for the build's conservation check: (owner, field),
    # owner an Article or "page N", field "headline", "body", "byline", ...
    origin: tuple | None = None


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: str = "rule"


@dataclass(frozen=True)
class PlacedImage:
    """A picture (the paper's logo) fitted into a box; x, y its lower-left corner."""
    path: Path
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PlacedPhoto:
    """A photo as composition placed it: the file, the part of it shown, its box (pt).

    x, y: the box's lower-left corner; crop: (x0, y0, x1, y1) in the image's pixels
    (after EXIF orientation), of the box's proportions.
    """
    file: object               # photos.PhotoFile
    crop: tuple[int, int, int, int]
    x: float
    y: float
    width: float
    height: float
    mono: bool
    origin: tuple | None = None    # (Article, photo index), for the report


@dataclass(frozen=True)
class ModuleBox:
    """Where an article landed, for reports and tests (grid units)."""
    headline: str
    first_line: int       # grid line of the module's top, 0 = top of the page's article area
    lines: int            # grid lines it takes
    columns: int
    column: int           # first column, 0-based


@dataclass(frozen=True)
class ComposedPage:
    number: int
    width: float
    height: float
    lines: tuple[PlacedLine, ...]
    rules: tuple[Rule, ...]
    modules: tuple[ModuleBox, ...]
    images: tuple[PlacedImage, ...] = ()
    body_rows: int = 0            # grid lines of the article area (below masthead/header)
    body_top: int = 0             # the page grid line where the article area starts
    photos: tuple[PlacedPhoto, ...] = ()
    # what the layout decided, for the report and the checks (rendering ignores these)
    placed: tuple[PlacedModule, ...] = ()   # the modules as drawn, in reading order
    layout: object = None         # pagelayout.PageLayout: the search's answer
    layout_seconds: float = 0.0
    layout_options: int = 1       # structurally different layouts offered (`layout: N`)
    overset_chars: int = 0        # characters not placed (a draft; else the build failed)
    left_out: tuple = ()          # draft: the articles (or parts) not placed
    overset_cut: tuple | None = None  # draft: (column lines, characters) the build says to cut


@dataclass(frozen=True)
class PlacedModule:
    """A module as composed: the search's placement and what was drawn for it."""
    headline: str
    role: str                          # lead, article, brief, briefs (简讯), photo or teasers
    placement: object                  # pagelayout.Placement (grid units)
    head_lines: tuple                  # the PlacedLines of its headline block
    photos: tuple = ()                 # its PlacedPhotos
    items: tuple = ()                  # a 简讯 group: its items' Articles, in order


@dataclass
class Grid:
    """The page's type area and baseline grid, in pt."""
    left: float
    top: float                 # y of the type area's top edge
    column_width: float
    gutter: float
    columns: int
    pitch: float               # baseline-to-baseline distance of body text
    rows: int                  # grid lines in the type area
    body_size: float
    em_bottom: float           # body face's em box bottom below the baseline, in em

    @property
    def width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    def column_x(self, col: int) -> float:
        return self.left + col * (self.column_width + self.gutter)

    def line_top(self, row: int) -> float:
        return self.top - row * self.pitch

    def baseline(self, row: int, size: float | None = None) -> float:
        """Baseline of a line of `size` whose em box is centred in grid line `row`."""
        size = size or self.body_size
        em_top = self.line_top(row) - (self.pitch - size) / 2
        return em_top - size * (1 + self.em_bottom)


def make_grid(style: HouseStyle, em_bottom: float) -> Grid:
    g = style.page
    body = style.body
    width = g.width_mm * MM
    height = g.height_mm * MM
    col_w = g.column_chars * body.size
    gutter = g.gutter_chars * body.size
    area = g.columns * col_w + (g.columns - 1) * gutter
    free = height - (g.margin_top_mm + g.margin_bottom_mm) * MM
    rows = int(free // body.leading)
    # the part of a grid line left over is shared by the top and bottom margins
    top = height - g.margin_top_mm * MM - (free - rows * body.leading) / 2
    return Grid(left=(width - area) / 2, top=top,
                column_width=col_w, gutter=gutter, columns=g.columns, pitch=body.leading,
                rows=rows, body_size=body.size, em_bottom=em_bottom)

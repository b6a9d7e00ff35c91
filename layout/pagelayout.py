"""Automatic page layout: articles as modules on the column grid.

`layout_page` runs the tree search of layout.pagetree by default (guillotine
splits and inset L-shapes, by dynamic programming; see that module). The beam
search below is the fallback: for pages with a `place` pin, for pins the tree
cannot meet, and with LAYOUT_PAGE_ENGINE=beam.

Pure and numeric: each article comes as a `ModuleSpec` (how many grid lines
its headline block and body take at each column span); the search returns
where each module goes. Composition does the text setting and drawing.

The search is a beam search over partial pages. A partial page is a skyline:
for each column, the first grid line still free. A step puts the next article
(in order, or any remaining one when the page's order is free) on a flat
stretch of the skyline, at one of its spans and heights. Every partial page
carries a score; only the best `BEAM` survive each step. The score counts
(lower is better):

- white: grid cells left empty at the foot of columns when the page ends;
- air: extra grid lines a module's headline block takes to close a gap
  (vertical justification), per cell;
- collisions (碰题): headlines side by side at the same height in adjacent modules;
- order: a later article above and left of an earlier one;
- shape: modules whose columns are too short (a wide strip) or too tall;
- lead: the lead article not at the top-left, or narrower than another module.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import lru_cache

from .columns import fills

# Search and score tuning ------------------------------------------------------
BEAM = 250                 # partial pages kept after each step
W_WHITE = 10.0             # per empty grid cell at the page's end
W_AIR = 2.0                # per grid cell of extra headline air
W_COLLISION = 400.0        # per pair of side-by-side headlines (碰题)
W_ORDER = 60.0             # per pair of articles out of reading order
W_SHORT = 25.0             # per body line short of MIN_BODY_ROWS in a module's columns
W_TALL = 3.0               # per body line beyond MAX_BODY_ROWS
W_LEAD = 300.0             # lead article not top-left or not the widest
W_UNEVEN = 30.0            # per grid line between the longest and shortest column's end
W_NARROW = 4.0             # per column a module is narrower than the page (mild: wide reads better)
MIN_BODY_ROWS = 5          # shorter columns make a module a thin strip
MAX_BODY_ROWS = 45         # taller columns are hard to follow
MIN_SPAN = 2               # no module narrower than two columns
OVERSET_COST = 1e6         # an article left out (overset) outweighs any layout
REORDER_WINDOW = 3         # a free order may bring forward one of the next three articles


W_SHAPE = 4.0              # a headline broken onto one more line than it needs
W_TIER_CELL = 8.0          # ... per grid cell it grows by (near white's cost: no filler)
W_TIER = 6.0               # a short item's headline set a size larger than its own
W_HOLE = 10.0              # per grid cell beside a side photo that its short text leaves white
W_COARSE = 150.0           # per column a photo stands wider than its pixels bear at photo_min_ppi
W_PHOTO = 1.5              # per grid cell a photo is cropped away from its own proportions
W_BAND = 60.0              # per line, per column, a band of text under a side photo is short
KEEP_ROWS = 3              # lines a module may grow to keep its crossheads with their text
MIN_BAND = 6               # ... of this: a line or two under a photo, then the story goes on
                           # at the top of the next column, reads as a stray piece


@dataclass(frozen=True)
class Shape:
    """One way to set a module's top: which headline, how tall its photo."""
    variant: int                   # 0: headline on as few lines as fit; 1: one line more
    rows: int                      # grid lines of the headline block and photos
    lines: tuple[tuple[float, float], ...]   # headline lines' rows (for 碰题)
    photo: int                     # grid lines the photo is taller (+) or shorter (-)
    cost: float
    # a photo narrower than the module, at its top-left under the headline: the body
    # cells it takes (photo_columns x beside) and the grid lines it stands down the body
    cells: int = 0
    beside: int = 0
    photo_columns: int = 0         # 0: the photo spans the module (its rows are in `rows`)
    tier: int = 0                  # headline tier against the article's own (-1: a size up)


def shift_rows(lines: tuple, rows: float) -> tuple:
    """Headline lines' (top, bottom) row intervals moved `rows` grid lines down."""
    if not rows or not lines:       # most calls in the search: nothing to move
        return lines
    return tuple([(a + rows, b + rows) for a, b in lines])


@dataclass(frozen=True)
class ModuleSpec:
    """What the layout needs to know about one article."""
    key: int                       # the article's index on the page (its order)
    head_rows: dict[int, int]      # span -> grid lines of the headline block
    lines: int                     # body lines, byline included, at the column measure
    lead: bool = False
    span: int | None = None        # pinned span
    height: int | None = None      # pinned height in grid lines
    place: tuple[int, int] | None = None   # pinned (column, row), 0-based
    brief: bool = False            # a short item: may take one column, short legs allowed
    boxed: bool = False            # set in a ruled frame: a rectangle, never an inset's L
    flex: int | None = None        # most extra headline air it may take (None: the page's)
    # span -> the headline lines' (top, bottom) in grid lines from the module's top, at no
    # extra air; None: one line filling the headline block but its air line
    head_lines: dict[int, tuple[tuple[float, float], ...]] | None = None
    air_above: float = 0.4         # share of extra headline air put above the lines
    # a second shape (the headline broken onto one more line): span -> grid lines of its
    # headline block, and its lines as head_lines gives them; None: no such shape
    alt_rows: dict[int, int] | None = None
    alt_lines: dict[int, tuple[tuple[float, float], ...]] | None = None
    # a third (a short item's headline one size larger, a tier up): the same, for it
    up_rows: dict[int, int] | None = None
    up_lines: dict[int, tuple[tuple[float, float], ...]] | None = None
    # photos: span -> (grid lines the photo may lose, may gain) against the nominal
    # height that head_rows (and alt_rows) include, by cropping within the style's limits
    photo_flex: dict[int, tuple[int, int]] | None = None
    # ... span -> grid lines of that full-width photo block (included in head_rows), and
    # span -> (photo columns, grid lines of the photo block at that width, lines it may
    # lose, may gain) for photos narrower than the module
    photo_rows: dict[int, int] | None = None
    photo_side: dict[int, tuple[tuple[int, int, int, int], ...]] | None = None
    # a 图片新闻 whose photo stands above its headline: span -> the photo's nominal grid
    # lines (its headline lines lie that much lower, plus the photo's change)
    photo_first: dict[int, int] | None = None
    # the widest a photo may stand, in columns (wider, its pixels print too coarse):
    # no photo across a wider module; None: no limit
    photo_widest: int | None = None
    # ... and the widest at the house's photo_min_ppi: each column wider pays W_COARSE
    photo_sharp: int | None = None
    # body lines that must not end a column while its text goes on (columns.stops: a
    # crosshead's, a 简讯 title's): the module takes a line more where its columns
    # could not otherwise keep them with their text
    stops: tuple[int, ...] = ()
    spread: int = 0                # ... and how many lines its columns may differ by to do so

    def variants(self, span: int) -> list[Shape]:
        """Each shape of the module at `span`: headline lines and photo heights."""
        heads = [(0, self.head_rows[span], self.lines_of(span), 0, 0.0)]
        if self.alt_rows and span in self.alt_rows:
            lines = (self.alt_lines or {}).get(span) or ((0.5, self.alt_rows[span] - 0.5),)
            heads.append((1, self.alt_rows[span], lines, 0, W_SHAPE))
        if self.up_rows and span in self.up_rows:
            lines = (self.up_lines or {}).get(span) or ((0.5, self.up_rows[span] - 0.5),)
            grown = max(0, self.up_rows[span] - self.head_rows[span]) * span
            heads.append((2, self.up_rows[span], lines, -1, W_TIER + W_TIER_CELL * grown))
        less, more = (self.photo_flex or {}).get(span, (0, 0))
        first = (self.photo_first or {}).get(span)
        # a photo wider than its pixels bear only where nothing else is left (no side
        # shape at this span): a module with no shape could not be placed at all
        across = (self.photo_widest is None or span <= self.photo_widest
                  or not (self.photo_side or {}).get(span))
        out = [Shape(v, rows + d, shift_rows(lines, first + d) if first is not None else lines, d,
                     cost + W_PHOTO * abs(d) * span + self._coarse(span), tier=tier)
               for v, rows, lines, tier, cost in heads for d in range(-less, more + 1)
               if across]
        for pc, nominal, less, more in (self.photo_side or {}).get(span, ()):
            for v, rows, lines, tier, cost in heads:
                base = rows - self.photo_rows[span]      # the headline block alone
                out += [Shape(v, base, lines, d, cost + W_PHOTO * abs(d) * pc + self._coarse(pc)
                              + W_HOLE * max(0, (nominal + d) * (span - pc) - self.lines)
                              + self._thin_band(span, pc, nominal + d),
                              pc * (nominal + d), nominal + d, pc, tier)
                        for d in range(-less, more + 1)]
        return out

    def _thin_band(self, span: int, pc: int, beside: int) -> float:
        """What a side photo of pc columns standing `beside` lines pays for the band of
        text its module's body leaves under it, when that is under MIN_BAND lines."""
        band = max(beside, math.ceil((self.lines + pc * beside) / span)) - beside
        return W_BAND * (MIN_BAND - band) * pc if 0 < band < MIN_BAND else 0.0

    def _coarse(self, photo_columns: int) -> float:
        """What a photo this wide pays for printing under the house's minimum ppi."""
        if not self.photo_rows or self.photo_sharp is None:
            return 0.0
        return W_COARSE * max(0, photo_columns - self.photo_sharp)

    def body_rows(self, shape: Shape, span: int) -> int:
        """Grid lines under the shape's top block that the body (and a side photo) take:
        a line or more beyond balance where its columns could not keep a crosshead or a
        简讯 title with its text (KEEP_ROWS at most; no more helps: balance does what it
        can)."""
        rows = max(shape.beside, math.ceil((self.lines + shape.cells) / span))
        if self.stops and not shape.cells:
            for more in range(KEEP_ROWS + 1):
                r = rows + more
                if fills(self.stops, self.lines, (r,) * span, (max(0, r - self.spread),) * span):
                    return r
        return rows

    def inset_strands(self, k: int, span: int, narrow: int, need: int, right: bool) -> bool:
        """Whether an inset of this shape leaves a crosshead or a 简讯 title ending a
        column while its text goes on: its corner columns hold its k wide rows each (or
        k-1, two of them at most, as compose's columns may give them), its narrow ones
        k + need or fewer (within the module's spread)."""
        if not self.stops:
            return False
        return _inset_strands(self.stops, self.lines, self.spread, k, span, narrow, need, right)

    def lines_of(self, span: int) -> tuple[tuple[float, float], ...]:
        """Row intervals of the headline lines at `span` (for 碰题)."""
        if self.head_lines and span in self.head_lines:
            return self.head_lines[span]
        return ((0.5, self.head_rows[span] - 0.5),)

    def natural(self, span: int) -> int:
        """Grid lines the module takes at `span` columns, balanced."""
        return self.head_rows[span] + math.ceil(self.lines / span)


@lru_cache(maxsize=8192)
def _inset_strands(stop: tuple[int, ...], total: int, spread: int, k: int, span: int,
                   narrow: int, need: int, right: bool) -> bool:
    wide = span - narrow
    tall = k + need               # a narrow column: its wide rows, then the narrow body
    narrow_caps, narrow_floors = (tall,) * narrow, (max(0, tall - spread),) * narrow
    for short in range(min(2, wide) + 1 if k else 1):
        corner = (k - 1,) * short + (k,) * (wide - short)
        caps = narrow_caps + corner if right else corner + narrow_caps
        floors = narrow_floors + corner if right else corner + narrow_floors
        if fills(stop, total, caps, floors):
            return False
    return True


@dataclass(frozen=True)
class Placement:
    key: int
    column: int        # 0-based
    row: int           # 0-based grid line of the module's top
    span: int
    rows: int          # grid lines, headline block and body
    air: int           # extra grid lines given to the headline block
    # an inset (L-shape) module: its headline (and wide_rows body rows) span `span`
    # columns, then its body narrows to `narrow` columns from column `narrow_column`
    narrow: int = 0
    narrow_column: int = 0
    wide_rows: int = 0
    variant: int = 0   # the article's shape (ModuleSpec.variants): 1 = headline on more lines,
                       # 2 = a short item's headline a size larger
    photo: int = 0     # grid lines its photo is taller (+) or shorter (-) than its nominal
    photo_columns: int = 0   # a photo narrower than the module: its columns (else 0)
    corner_rows: int = 0     # an inset whose narrow body has other modules under it: grid
                             # lines its corner runs on below the module's foot


@dataclass(frozen=True)
class PageArea:
    """Where a page's modules go: its body area in columns x grid lines, and how they meet."""
    columns: int
    rows: int
    gap: int = 1               # grid lines between modules stacked in a column (their rule)
    flex: int = 2              # most extra headline air a module may take to fill its region
    column_rows: float = 9.0   # grid lines a column's width and gutter span: what makes a
                               # module taller than it is wide (a vertical)


@dataclass(frozen=True)
class PageLayout:
    placements: tuple[Placement, ...]
    unplaced: tuple[int, ...]      # keys of articles that did not fit
    score: float
    white_cells: int
    air_cells: int
    collisions: int
    order_inversions: int


@dataclass
class _State:
    sky: tuple[int, ...]                     # next free grid line per column
    placed: tuple[Placement, ...]
    left: frozenset[int]                     # keys still to place
    score: float = 0.0
    collisions: int = 0
    inversions: int = 0
    air: int = 0
    skipped: tuple[int, ...] = field(default=())
    holes: int = 0                           # empty cells left above modules pinned lower


# The page search: "tree" (layout.pagetree: guillotine splits and insets, by dynamic
# programming) or "beam" (the earlier beam search over skylines, kept as a fallback).
# LAYOUT_PAGE_ENGINE=beam in the environment switches back.
ENGINE = os.environ.get("LAYOUT_PAGE_ENGINE", "tree")


def layout_page(specs: list[ModuleSpec], area: PageArea, *, fixed_order: bool = True,
                engine: str | None = None, tiers: dict[int, int] | None = None) -> PageLayout:
    """The best layout of specs on the area.

    With a free order the
    written order is searched too: a beam over all orders can lose the states
    that fill the page late, and the written order is the editor's first choice.
    The tree engine keeps the written order (lead first) and cannot take a place pin:
    a page with one is laid out by the beam search.
    """
    return layout_options(specs, area, fixed_order=fixed_order, engine=engine, tiers=tiers)[0]


# The last answers of layout_options, by their question: in `layout watch` most edits
# leave every article's line count, and so the page's question, as it was.
_ANSWERS: dict[str, tuple[PageLayout, ...]] = {}
ANSWERS_KEPT = 64


def layout_options(specs: list[ModuleSpec], area: PageArea, *, fixed_order: bool = True,
                   engine: str | None = None, tiers: dict[int, int] | None = None,
                   count: int = 1, whole: bool = False, feasible: bool = False
                   ) -> list[PageLayout]:
    """Up to `count` structurally different layouts, best first (see layout_page).

    Only the tree engine offers alternatives; a page it cannot lay out (a place
    pin, a pin it cannot meet) has the beam search's one layout. A question asked
    before is answered from memory (the answer is a pure function of it).
    whole: only whether every article fits matters (a 转版 or an overset cut tried):
    the tree does not go on to lay out fewer articles when all do not fit.
    feasible: whole, and any layout that places every article will do (an overset
    page's cut, bisected: a tenth of the search).
    """
    engine = engine or ENGINE
    question = repr((specs, area, fixed_order, engine, sorted((tiers or {}).items()), count,
                     feasible))
    # an answer placing every article is the same asked whole or not (the search stops at
    # the first n it tries); one that leaves some out answers only what it was asked
    found = _ANSWERS.get(question)
    if found is None:
        found = _ANSWERS.get(question + " whole")
        if found is not None and found[0].unplaced and not whole:
            found = None
    if found is None:
        found = tuple(_layout_options(specs, area, fixed_order, engine, tiers, count, whole,
                                      feasible))
        if len(_ANSWERS) >= ANSWERS_KEPT:
            del _ANSWERS[next(iter(_ANSWERS))]          # the oldest
        _ANSWERS[question + (" whole" if whole else "")] = found
    return list(found)


def _layout_options(specs: list[ModuleSpec], area: PageArea, fixed_order: bool, engine: str,
                    tiers: dict[int, int] | None, count: int, whole: bool = False,
                    feasible: bool = False) -> list[PageLayout]:
    if engine == "tree" and not any(s.place for s in specs):
        from .pagetree import tree_candidates
        found = tree_candidates(specs, area, tiers, count, fixed_order, whole, feasible)
        if not found[0].unplaced or (feasible and not any(s.span or s.height for s in specs)):
            return found        # (the beam below is for pins; it takes seconds on a full page)
        tree = found[0]
        # pins the tree cannot meet (a narrow pinned lead, a pinned height): try the beam
        beam = layout_page(specs, area, fixed_order=fixed_order, engine="beam")
        return [beam] if len(beam.unplaced) < len(tree.unplaced) else found
    best = _search(specs, area, True)
    perfect = not (best.unplaced or best.white_cells or best.collisions)
    if not fixed_order and len(specs) > 1 and not perfect:   # the written order is first choice
        free = _search(specs, area, False)
        if free.score < best.score:
            best = free
    return [best]


def _search(specs: list[ModuleSpec], area: PageArea, fixed_order: bool) -> PageLayout:
    by_key = {s.key: s for s in specs}
    reach = {s.key: _reach(s, area) for s in specs}
    start = _State(tuple([0] * area.columns), (), frozenset(by_key))
    beam = [start]
    finished: list[_State] = []
    for _ in range(len(specs)):
        children: dict[tuple, _State] = {}
        for st in beam:
            nxt = _next_keys(st, fixed_order, by_key)
            for key in nxt:
                spec = by_key[key]
                made = False
                for child in _expand(st, spec, by_key, area):
                    made = True
                    sig = (child.sky, child.left)
                    old = children.get(sig)
                    if old is None or child.score < old.score:
                        children[sig] = child
                if not made:
                    # this article does not fit here: carry on without it (overset);
                    # leaving out an earlier article costs more than all later ones
                    cost = OVERSET_COST * 2.0 ** (len(specs) - 1 - key)
                    child = _State(st.sky, st.placed, st.left - {key}, st.score + cost,
                                   st.collisions, st.inversions, st.air, st.skipped + (key,),
                                   st.holes)
                    sig = (child.sky, child.left, child.skipped)
                    if sig not in children or child.score < children[sig].score:
                        children[sig] = child
        beam = sorted(children.values(),
                      key=lambda s: _final(s, area) if not s.left else
                      s.score + W_WHITE * _white_bound(s, reach, area))[:BEAM]
        if not beam:
            break
    finished = [s for s in beam if not s.left]
    best = min(finished, key=lambda s: _final(s, area))
    return PageLayout(best.placed, best.skipped, _final(best, area),
                      _white(best.sky, area) + best.holes, best.air, best.collisions,
                      best.inversions)


def _final(st: _State, area: PageArea) -> float:
    """A finished page's score: white cells count, and columns ending unevenly
    (a white strip down one column reads as a hole, white across the foot less so)."""
    ends = [s - area.gap if s else 0 for s in st.sky]
    return st.score + W_WHITE * _white(st.sky, area) + W_UNEVEN * (max(ends) - min(ends))


def _next_keys(st: _State, fixed_order: bool, by_key) -> list[int]:
    leads = [k for k in st.left if by_key[k].lead]
    if leads and not st.placed:
        return leads[:1]               # the lead goes first: top-left
    ahead = sorted(st.left)
    return ahead[:1] if fixed_order else ahead[:REORDER_WINDOW]


def _reach(spec: ModuleSpec, area: PageArea) -> tuple[int, int]:
    """(most grid cells the module can cover, fewest grid lines it can take)."""
    spans = [spec.span] if spec.span else [s for s in spec.head_rows if s <= area.columns]
    most = max((spec.natural(s) + area.flex + area.gap) * s for s in spans)
    least = min(spec.natural(s) for s in spans)
    return most, least


def _white_bound(st: _State, reach: dict[int, tuple[int, int]], area: PageArea) -> int:
    """Grid cells a partial page must leave white whatever comes next.

    Ranking partial pages by score alone would favour pages that put off
    filling (no air spent yet); this lower bound on their white keeps the
    search honest. Two bounds, the larger counts: cells beyond what the
    remaining articles can cover at most, and columns too short for any of them.
    """
    rows, gap = area.rows, area.gap
    free = [rows - (s - gap if s else 0) for s in st.sky]
    if not st.left:
        return sum(free)
    most = sum(reach[k][0] for k in st.left)
    least = min(reach[k][1] for k in st.left)
    dead = sum(f for f in free if f < least + (gap if f < rows else 0))
    return max(0, sum(free) - most, dead)


def _white(sky: tuple[int, ...], area: PageArea) -> int:
    """Empty grid cells at the foot of the columns of a finished page."""
    return sum(max(0, area.rows - (s - area.gap if s else 0)) for s in sky)


def _expand(st: _State, spec: ModuleSpec, by_key, area: PageArea):
    columns, rows, flex = area.columns, area.rows, area.flex
    spans = [spec.span] if spec.span else range(MIN_SPAN if columns >= MIN_SPAN else 1, columns + 1)
    for span in spans:
        if span > columns or span not in spec.head_rows:
            continue
        natural = spec.natural(span)
        heights = [spec.height] if spec.height else range(natural, natural + flex + 1)
        cols = [spec.place[0]] if spec.place else range(0, columns - span + 1)
        if spec.lead and not spec.place:
            cols = [0]                          # the lead story opens the page, top-left
        for col in cols:
            if col + span > columns:
                continue
            top = st.sky[col]
            if any(st.sky[c] != top for c in range(col, col + span)):
                continue                        # not flat: would leave a hole
            if spec.place and spec.place[1] < top:
                continue
            row = spec.place[1] if spec.place else top
            for h in heights:
                if h < natural or row + h > rows:
                    continue
                yield _place(st, spec, by_key, area,
                             Placement(spec.key, col, row, span, h, h - natural))


def _place(st: _State, spec: ModuleSpec, by_key, area: PageArea, p: Placement) -> _State:
    """The partial page st with spec's module at p (its air: lines beyond its natural)."""
    col, row, span, h = p.column, p.row, p.span, p.rows
    sky = list(st.sky)
    for c in range(col, col + span):
        sky[c] = row + h + area.gap
    score = st.score
    air_cells = p.air * span
    score += W_AIR * air_cells
    score += W_NARROW * (area.columns - span)
    body_rows = math.ceil(spec.lines / span)
    score += W_SHORT * max(0, MIN_BODY_ROWS - body_rows)
    score += W_TALL * max(0, body_rows - MAX_BODY_ROWS)
    # white left above a pinned place
    holes = st.holes
    if spec.place and row > st.sky[col]:
        holes += (row - st.sky[col]) * span
        score += W_WHITE * (row - st.sky[col]) * span
    # 碰题: a neighbour's headline block overlaps this one's rows
    head = (row, row + spec.head_rows[span] + p.air)
    coll = 0
    inv = 0
    for q in st.placed:
        if q.column + q.span == col or col + span == q.column:
            qspec = by_key[q.key]
            qhead = (q.row, q.row + qspec.head_rows[q.span] + q.air)
            if head[0] < qhead[1] and qhead[0] < head[1]:
                coll += 1
        # reading order: a later article both above and left of an earlier one
        if q.key < spec.key and row + h <= q.row and col + span <= q.column:
            inv += 1
        if q.key > spec.key and q.row + q.rows <= row and q.column + q.span <= col:
            inv += 1
    score += W_COLLISION * coll + W_ORDER * inv
    if spec.lead:
        if row != 0 or col != 0:
            score += W_LEAD
        if any(q.span > span for q in st.placed):
            score += W_LEAD
    elif any(by_key[q.key].lead and q.span < span for q in st.placed):
        score += W_LEAD
    return _State(tuple(sky), st.placed + (p,), st.left - {spec.key}, score,
                  st.collisions + coll, st.inversions + inv, st.air + air_cells, st.skipped,
                  holes)

"""Page layout as a tree: guillotine splits plus an inset (L-shape, 穿插) node.

A page's articles are taken in their page order, the lead first (区序: top
before bottom, left before right). A region of w columns x h grid lines is
filled by a contiguous run of that order in one of four ways:

- one module (the run is one article): headline block over w columns, body
  balanced over them, spare lines first as headline air (up to `flex`), the
  rest white at the module's foot;
- a horizontal split: the run's first part on top, the rest below, `gap`
  grid lines (a rule) between;
- a vertical split: the first part on the left, the rest on the right;
- an inset: the run's first article is the outer module; its headline block
  (and optionally its first `k` body rows) spans w columns, then its body
  narrows to w1 columns while the rest of the run fills the corner of
  w - w1 columns below the wide part (on the right or on the left).

Each article comes in several shapes (ModuleSpec.variants: its headline on as
few lines as fit, or broken onto one more line; a short item's headline a size
larger; photo heights), which gives the page exact fills without headline air
and lets a short item sit above larger headlines without being smaller. The
right part of a vertical split may start up to DROP_MAX lines lower (white,
paid for) so that its headline does not sit beside the left part's, or as far
as just under the left part's headlines (DROP_FAR at most) when they reach
lower and nothing nearer clears them. Runs keep
the page order (lead first); unless the page says `order: fixed`, the order
with the articles sorted by headline tier (short items and photos after the
articles) is searched too, and the better page is taken; a page of up to
SWAP_ARTICLES articles still left with a 碰题 also tries its orders with two
neighbours after the lead swapped.

Each region keeps up to KEEP fillings, not only its cheapest: the cheapest
whose foot has the largest headlines, and the cheapest with other headline
rows at its edges, so that the part below or beside it can avoid an
inversion or a 碰题 its cheapest filling would force.

The article first in a run always sits at the run's top-left, so the lead is
at the page's top-left. The best filling of every (run, w, h) is found by
dynamic programming (memoized), heights limited to a few lines above the
run's least height. 碰题 is judged on headline *lines*: each filling carries
the row intervals of the headline lines touching its left and right edge; a
vertical split whose facing edges have overlapping intervals pays
W_COLLISION per pair. Headline tiers are tracked per column (the largest and
smallest headline of each column of a filling), so a smaller headline above a
larger one in the same column pays W_GROW. Other costs: white cells, headline
air (convex), short and over-tall legs, full-width modules and full-width cuts
(a layer cake), and the lead's width.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import NamedTuple

from .pagelayout import ModuleSpec, PageArea, PageLayout, Placement, shift_rows

# Costs (lower is better) ---------------------------------------------------------
W_WHITE = 10.0         # per empty grid cell
W_AIR = 2.0            # per grid cell of headline air ...
W_AIR2 = 1.5           # ... plus this times air lines squared, per column (convex)
W_HOLE2 = 2.0          # per column, times the square of a module's white lines beyond
HOLE_FREE = 4          # these, where another module stands below it: a short page's white
                       # at the page's foot or spread over modules' feet, not a story ending
                       # half-way down its box above the next (35 lines x 2 columns) ...
FOOT_FREE = 16         # ... or at the page's foot beyond these (a story in two columns
                       # ending 36 lines above the foot, while the page could end 12 lines
                       # short across all six)
W_COLLISION = 1500.0   # per pair of headline lines side by side at one height (碰题)
W_SHORT = 60.0         # per body line a leg is short of MIN_LEG, per column
W_SHORT_BRIEF = 10.0   # ... for a brief (it may be short; a column of it reads better)
W_TALL = 3.0           # per body line beyond MAX_LEG
W_FULL = 150.0         # per full-width module other than the lead (a layer cake)
W_FULL_LEAD = 150.0    # the lead across the full width (it leaves no vertical beside it)
W_HALF = 30.0          # per grid line a full-width module is taller than half the page:
                       # full-width bands over half the area read as a layer cake (K1)
W_CUT = 100.0          # per horizontal cut across the whole width
W_GROW = 300.0         # a larger headline below a smaller one in the same column (K5)
W_INSET = 5.0          # an inset is a little harder to read than a plain module
W_INSET_BARE = 40.0    # ... and one whose headline stands straight over the corner's story
                       # (no line of its body across its width) reads as heading both
W_CORNER_LEFT = 30.0   # ... with its corner on the left: the eye meets another story before
                       # the outer module's body
W_CORNER_LEFT_ROWS = 300.0  # ... and with rows of its text over that corner: the story then
                       # opens with legs that short (six lines in each of two columns, a
                       # headline under them) before its body, and reads as two stories
W_STRAND = 600.0       # an inset whose columns would leave a crosshead at a column's foot
W_NARROW_LEAD = 5000.0  # per column the lead is narrower than LEAD_SHARE of the page
W_VARIETY = 300.0       # per module width a page of several modules lacks (_sameness)
W_SMALL_LEAD = 300.0    # per module beyond one that is larger than the lead (K4)
W_SAME = 8.0           # two side-by-side fillings of the same width (variety)
OVERSET_COST = 1e6     # an article left out outweighs any layout
MIN_LEG = 6            # body lines a column of an article keeps at least
MAX_LEG = 45           # taller columns are hard to follow
MIN_SPAN = 2           # articles take two columns at least; briefs may take one
MAX_BRIEF_SPAN = 3     # ... and at most half an A3 page: a brief across five columns is a
                       # strip of three lines under a small headline
LEAD_SHARE = 2 / 3     # the lead spans at least this share of the columns
SLACK = 8              # grid lines above a run's least height still searched ...
SLACK_PER_ARTICLE = 2  # ... plus this many per article of the run, up to SLACK_RUN
SLACK_RUN = 6          # articles (longer runs: the window stops growing; search time)
SLACK_SINGLE = 40      # a single module may stand in a taller region (white at its foot)
FEW_ARTICLES = 3        # a page of at most this many articles searches every height (its
                        # photos and headlines may grow to fill it; a window of a few lines
                        # over their least left a page of three photos 74 % white)
CORNER_RUN = 3          # articles at most in a corner that runs on past the narrow body
INSET_ROWS = (0, 4, 6, 8)  # body rows of an inset's outer module set over its full width
W_DROP = 10.0          # per white cell above a part started lower (worse than white at a foot)
W_DROP_TOP = 60.0      # ... where the part started lower is at the page's top (a hole there)
DROP_FAR = 8           # ... or as far as this when the headlines beside reach lower
DROP_MAX = 3           # grid lines the right part of a vertical split may start lower
COLLIDE_ROWS = 0.1     # headline lines overlapping by more than this (grid lines) collide
SWAP_ARTICLES = 8      # a page of at most this many articles left with a 碰题 also tries
                       # its orders with two neighbours swapped (one search each)
KEEP = 4               # fillings kept per region (_keep): the cheapest, and the cheapest
                       # with other edges (tiers, headline rows) that may let a neighbour
                       # avoid a penalty, or with more module widths


class _Sol(NamedTuple):
    """A filling of a region (a named tuple: the search makes a great many)."""
    cost: float
    places: tuple          # Placements relative to the region, and (dc, dr, places) nodes
                           # for parts moved there (see _move, placements())
    left: tuple            # headline-line row intervals touching the left edge
    right: tuple           # ... touching the right edge
    tops: tuple            # per column, the largest headline tier (0) of a module in it ...
    foots: tuple           # ... and the smallest (largest number): an inversion is a part
                           # whose foots exceed the tops of the part below in one column
    white: int
    air: int
    coll: int
    spans: int = 0         # the module widths in it, as a bit mask (1 << columns)
    tall: bool = False     # a module in it is taller than it is wide (a vertical)
    hole: float = 0.0      # W_HOLE2 cost of the white at its foot, paid once a part stands
                           # below it (HOLE_FREE) ...
    foot: float = 0.0      # ... or if it ends at the page's foot (FOOT_FREE)


class _Outer(NamedTuple):
    """An inset's outer module: article i in `shape`, its headline block and first k body
    rows across w columns, then its body `need` rows deep in w1 of them. (A named tuple:
    one is made per shape and width tried, where a frozen dataclass's __init__ cost a
    third of the search.)"""
    i: int
    shape: object          # a pagelayout.Shape
    k: int
    w: int
    w1: int
    need: int


def _collide(a: tuple, b: tuple, dy: float = 0.0) -> int:
    """Pairs of lines of profiles a and b (b moved dy lower) overlapping in rows. Each
    profile runs top to bottom without overlaps (an edge's lines), so one sweep over
    both finds every pair."""
    if not a or not b or a[-1][1] <= b[0][0] + dy or b[-1][1] + dy <= a[0][0]:
        return 0
    n = i = j = 0
    la, lb = len(a), len(b)
    while i < la and j < lb:
        x0, x1 = a[i]
        y0, y1 = b[j]
        y0 += dy
        y1 += dy
        if (x1 if x1 < y1 else y1) - (x0 if x0 > y0 else y0) > COLLIDE_ROWS:
            n += 1
        if x1 < y1:
            i += 1
        else:
            j += 1
    return n


def _hole(white_rows: int, w: int, free: int = HOLE_FREE) -> float:
    """What white_rows lines of white at the foot of w columns cost beyond `free` lines
    (convex: a few lines at several feet, or the page ending short across all its
    columns, read better than one deep hole)."""
    over = white_rows - free
    return W_HOLE2 * over * over * w if over > 0 else 0.0


def _foot_free(nat: int) -> int:
    """The white lines a module of nat lines may end above the page's foot before they
    cost as a hole: FOOT_FREE, but hardly more than the module holds (a brief of nine
    lines over seventeen empty ones reads as a hole, not as a page short of copy)."""
    return min(FOOT_FREE, max(HOLE_FREE, nat + 2))


def _keep(sols: list[_Sol]) -> tuple[_Sol, ...]:
    """The fillings a region keeps (KEEP): the cheapest; the cheapest whose feet have the
    largest headlines (so that a larger headline may follow below, K5); the cheapest
    with other headline rows at its edges (so that a neighbour may clear them, 碰题)."""
    if not sols:
        return ()
    ranked = sorted(sols, key=lambda s: s.cost)
    first = ranked[0]
    out = [first]
    low = min(sum(s.foots) for s in ranked)
    if sum(first.foots) > low:
        out.append(next(s for s in ranked if sum(s.foots) == low))
    edges = (_rows(first.left), _rows(first.right))
    other = next((s for s in ranked if (_rows(s.left), _rows(s.right)) != edges), None)
    if other is not None and other not in out:
        out.append(other)
    # the cheapest with more module widths, for a page that would be a grid of two (K2)
    most = max(s.spans.bit_count() for s in ranked)
    if most > first.spans.bit_count():
        varied = next(s for s in ranked if s.spans.bit_count() == most)
        if varied not in out:
            out.append(varied)
    return tuple(out[:KEEP])


def _rows(prof: tuple) -> tuple:
    """An edge's headline rows near its top (where a neighbour's headline can meet them:
    lower down, parts start at their own tops), to the grid line."""
    return tuple((round(a), round(b)) for a, b in prof if a < DROP_FAR)


def _grows(foots: tuple, tops: tuple) -> bool:
    """A part above another has, in some column, a smaller headline than one below it."""
    if max(foots) <= min(tops):          # most pairs: no column can invert
        return False
    return any(f > t for f, t in zip(foots, tops))


def _move(places: tuple, dc: int, dr: int) -> tuple:
    """Places moved dc columns right and dr grid lines down: a node, resolved once by
    placements() for the layout chosen (most fillings built are never chosen)."""
    if not dc and not dr:
        return places
    return ((dc, dr, places),)


def placements(places: tuple, dc: int = 0, dr: int = 0) -> tuple[Placement, ...]:
    """The Placements of a filling's places, every moved part resolved."""
    out = []
    for p in places:
        if isinstance(p, Placement):
            out.append(p if not dc and not dr else
                       replace(p, column=p.column + dc, row=p.row + dr,
                               narrow_column=p.narrow_column + dc if p.narrow else 0))
        else:
            out += placements(p[2], dc + p[0], dr + p[1])
    return tuple(out)


# The fillings of runs found by earlier searches, by what the run is: its articles' specs
# and tiers, the area, and whether it starts the page or is the whole page (all that a
# run's fillings depend on). A 转版's trial parts, an overset page's cuts, the page's other
# article orders and a watch session's rebuilds ask for the same runs again and again:
# only the runs holding the article that changed are searched anew.
_RUNS: dict[tuple, tuple] = {}
RUNS_KEPT = 120_000            # entries (emptied when full): an over-full page of eleven
                               # stories and a 转版 asks ~80,000 (50 MB) in all its searches
_SPEC_IDS: dict[tuple, int] = {}


def _spec_id(sp: ModuleSpec, tier: int) -> int:
    """A small number for the spec and its headline tier, the same for equal ones."""
    key = (repr(sp), tier)
    found = _SPEC_IDS.get(key)
    if found is None:
        if len(_SPEC_IDS) >= RUNS_KEPT:
            _SPEC_IDS.clear()
            _RUNS.clear()              # (their keys hold the numbers)
        found = _SPEC_IDS[key] = len(_SPEC_IDS)
    return found


class _Tree:
    def __init__(self, specs: list[ModuleSpec], area: PageArea, tiers: dict[int, int]):
        self.s, self.tiers = specs, tiers
        self.C, self.R, self.gap, self.flex = area.columns, area.rows, area.gap, area.flex
        self.column_rows = area.column_rows
        columns = area.columns
        self.memo: dict[tuple, _Sol | None] = {}
        self.lb: dict[tuple, int] = {}
        n = len(specs)
        self.ids = [_spec_id(sp, tiers[sp.key]) for sp in specs]
        self.area_key = (area, n <= FEW_ARTICLES)
        # least grid-line area of each article (any allowed span), for height bounds
        # (each body line takes a cell, the headline block its rows over the span; an
        # inset's narrow body makes this the bound, not the balanced rectangle)
        self.area = [min((v.rows * w + sp.lines + v.cells for w in self._spans(sp, columns)
                          for v in sp.variants(w)), default=10 ** 6) for sp in specs]
        self.least = [min((v.rows + sp.body_rows(v, w) for w in self._spans(sp, columns)
                           for v in sp.variants(w)), default=10 ** 6) for sp in specs]
        self.n = n

    def _spans(self, sp: ModuleSpec, w: int) -> list[int]:
        if sp.span:
            return [sp.span] if sp.span <= w else []
        # (a short item with a photo, a picture story, may stand as wide as the photo
        # bears: under a feature across the page rather than beside it, a hole under it)
        lo, hi = (1, w if sp.photo_rows else MAX_BRIEF_SPAN) if sp.brief else (MIN_SPAN, w)
        return [s for s in range(lo, min(w, hi) + 1) if s in sp.head_rows]

    def low(self, i: int, j: int, w: int) -> int:
        """A lower bound on the height of run i..j-1 in w columns."""
        key = (i, j, w)
        v = self.lb.get(key)
        if v is None:
            area = sum(self.area[i:j])
            v = max(max(self.least[i:j]) if w <= self.C else 0, math.ceil(area / w))
            if j - i == 1:
                sp = self.s[i]
                spans = [s for s in self._spans(sp, w) if s == w]
                v = min(s.rows + sp.body_rows(s, w) for s in sp.variants(w)) \
                    if spans else 10 ** 6
                if sp.height:
                    v = max(v, sp.height)
            self.lb[key] = v
        return v

    def heights(self, i: int, j: int, w: int) -> tuple[int, int]:
        """The heights searched for run i..j-1 in w columns: from its least, a few more."""
        lo = self.low(i, j, w)
        if self.n <= FEW_ARTICLES:     # a page of a few: any height (they may fill it)
            return lo, self.R
        more = SLACK_SINGLE if j - i == 1 else SLACK + SLACK_PER_ARTICLE * min(j - i, SLACK_RUN)
        return lo, lo + more

    def best(self, i: int, j: int, w: int, h: int) -> tuple[_Sol, ...]:
        """The cheapest fillings of run i..j-1 in w x h, cheapest first (see KEEP)."""
        key = (i, j, w, h)
        sols = self.memo.get(key)
        if sols is not None:
            return sols
        shared = (self.area_key, tuple(self.ids[i:j]), i == 0, j == self.n, w, h)
        sols = _RUNS.get(shared)
        if sols is None:
            lo, hi = self.heights(i, j, w)
            sols = ()
            whole = (i, j, w, h) == (0, self.n, self.C, self.R)     # the page itself
            if lo <= h <= hi or (whole and lo <= h):
                sols = _keep(self.options(i, j, w, h))
            if len(_RUNS) >= RUNS_KEPT:
                _RUNS.clear()
            _RUNS[shared] = sols
        self.memo[key] = sols
        return sols

    def options(self, i: int, j: int, w: int, h: int) -> list[_Sol]:
        """Every way the top node can fill the region, each with its best parts."""
        if j - i == 1:
            return self._single(i, w, h)
        return self._hsplits(i, j, w, h) + self._vsplits(i, j, w, h) + self._insets(i, j, w, h)

    # -- the four nodes -------------------------------------------------------------------
    def _leg_cost(self, rows: int, w: int, sp: ModuleSpec) -> float:
        if not sp.lines:        # a 图片新闻: a photo and its caption, no legs to be short
            return 0.0
        cost = 0.0
        if rows < MIN_LEG:
            cost += (W_SHORT_BRIEF if sp.brief else W_SHORT) * (MIN_LEG - rows) * w
        if rows > MAX_LEG:
            cost += W_TALL * (rows - MAX_LEG)
        return cost

    def _own_cost(self, i: int, w: int, h: int = 0, inset: bool = False) -> float:
        """Costs of article i's module w columns wide and h grid lines tall. An inset
        lead across the page is not a band (its corner is a vertical beside its body):
        it pays no W_FULL_LEAD, but W_HALF on its whole height as the reader sees it."""
        sp = self.s[i]
        cost = 0.0
        if w == self.C and self.C > 1:      # a full-width module over half the page
            cost += W_HALF * max(0, h - self.R // 2)
        if sp.lead:
            need = math.ceil(LEAD_SHARE * self.C)
            cost += W_NARROW_LEAD * max(0, need - w)
            if w == self.C and self.C > 1 and not inset:
                cost += W_FULL_LEAD
        elif w == self.C and self.C > 1:
            cost += W_FULL
        return cost

    def _single(self, i: int, w: int, h: int) -> list[_Sol]:
        """The module alone, in its cheapest shape for each headline tier it offers."""
        sp = self.s[i]
        if w not in self._spans(sp, w) or (sp.height and h != sp.height):
            return []
        best = {}
        for shape in sp.variants(w):
            nat = shape.rows + sp.body_rows(shape, w)
            if h < nat:
                continue
            slack = h - nat
            air = min(slack, self.flex if sp.flex is None else min(self.flex, sp.flex)) \
                if not sp.height else slack
            white = slack - air
            cost = W_AIR * air * w + W_AIR2 * air * air * w + W_WHITE * white * w + shape.cost
            if shape.tier not in best or cost < best[shape.tier][0]:
                best[shape.tier] = (cost, shape, air, white, nat)
        own = self._leg_cost(math.ceil(sp.lines / w), w, sp) + self._own_cost(i, w, h)
        out = []
        for cost, shape, air, white, nat in best.values():
            prof = shift_rows(shape.lines, air * sp.air_above)
            t = self.tiers[sp.key] + shape.tier
            p = Placement(sp.key, 0, 0, w, h, air, variant=shape.variant, photo=shape.photo,
                          photo_columns=shape.photo_columns)
            out.append(_Sol(cost + own, (p,), prof, prof, (t,) * w, (t,) * w, white * w,
                            air * w, 0, 1 << w, h > w * self.column_rows,
                            _hole(white, w), _hole(white, w, _foot_free(nat))))
        return out

    def _hsplits(self, i: int, j: int, w: int, h: int) -> list[_Sol]:
        out = []
        g = self.gap
        for k in range(i + 1, j):
            (lo_top, hi_top), (lo_bot, hi_bot) = self.heights(i, k, w), self.heights(k, j, w)
            # the cheapest of its parts' cheapest fillings, and the cheapest with one part's
            # alternative: (cost, a, b, h1) each
            plain = alt = None
            # only heights both parts are searched at
            for h1 in range(max(lo_top, h - g - hi_bot), min(hi_top, h - g - lo_bot) + 1):
                top = self.best(i, k, w, h1)
                if not top:
                    continue
                bottom = self.best(k, j, w, h - h1 - g)
                for x, a in enumerate(top):
                    for y, b in enumerate(bottom):
                        if x and y:               # one part's alternative at a time
                            break
                        c = a.cost + b.cost + a.hole     # a's foot is now inside the page
                        if _grows(a.foots, b.tops):   # a smaller headline above a larger one
                            c += W_GROW
                        if x or y:
                            if alt is None or c < alt[0]:
                                alt = (c, a, b, h1)
                        elif plain is None or c < plain[0]:
                            plain = (c, a, b, h1)
            picks = sorted((p for p in (plain, alt) if p is not None), key=lambda p: p[0])
            for c, a, b, h1 in picks:
                if w == self.C:
                    c += W_CUT
                off = h1 + g
                out.append(_Sol(c, a.places + _move(b.places, 0, off),
                                a.left + shift_rows(b.left, off),
                                a.right + shift_rows(b.right, off),
                                tuple(map(min, a.tops, b.tops)),
                                tuple(map(max, a.foots, b.foots)),
                                a.white + b.white, a.air + b.air, a.coll + b.coll,
                                a.spans | b.spans, a.tall or b.tall, b.hole, b.foot))
        return out

    def _vsplits(self, i: int, j: int, w: int, h: int) -> list[_Sol]:
        out = []
        for k in range(i + 1, j):
            for w1 in range(1, w):
                for a in self.best(i, k, w1, h):
                    # a run from the lead starts at the page's top: white over its right
                    # part is a hole under the page header, not a gap inside the page
                    out += self._beside(a, k, j, w, w1, h, W_DROP_TOP if i == 0 else W_DROP)
        return out

    def _beside(self, a: _Sol, k: int, j: int, w: int, w1: int, h: int,
                w_drop: float = W_DROP) -> list[_Sol]:
        """Run k..j-1 to the right of filling a (w1 of w columns), started d lines lower
        (white above it) so that its headlines clear a's (碰题): the cheapest filling
        that clears them, and the cheapest of all if that one does not."""
        clear = best = None
        # beyond DROP_MAX only where a's headlines reach lower: down to just under them
        far = min(DROP_FAR, max((math.ceil(y1) for y0, y1 in a.right if y0 < DROP_FAR),
                                default=0) + 1)
        for d in range(max(DROP_MAX, far) + 1):
            if d > DROP_MAX and best is not None and best[3] == 0:
                break
            for b in self.best(k, j, w - w1, h - d):
                coll = _collide(a.right, b.left, d)
                c = (a.cost + b.cost + W_COLLISION * coll + w_drop * d * (w - w1)
                     + (W_SAME if w1 == w - w1 else 0.0))
                if best is None or c < best[0]:
                    best = (c, d, b, coll)
                if not coll and (clear is None or c < clear[0]):
                    clear = (c, d, b, coll)
            if clear is not None:
                break                      # lower still only adds white
        return [_Sol(c, a.places + _move(b.places, w1, d), a.left, shift_rows(b.right, d),
                     a.tops + b.tops, a.foots + b.foots, a.white + b.white + d * (w - w1),
                     a.air + b.air, a.coll + b.coll + coll, a.spans | b.spans, a.tall or b.tall,
                     a.hole + b.hole, a.foot + b.foot)
                for c, d, b, coll in {id(x): x for x in (clear, best) if x is not None}.values()]

    def _insets(self, i: int, j: int, w: int, h: int) -> list[_Sol]:
        sp = self.s[i]
        # a brief is never L-shaped: a few lines bent round another story (and briefs
        # nested in each other's corners make a staircase); nor a boxed item, whose
        # frame is a rectangle (drawn round an L it struck through the corner's story)
        if sp.height or sp.brief or sp.boxed or w < 2 or w not in self._spans(sp, w):
            return []
        out = []
        for shape, k in itertools.product(sp.variants(w), INSET_ROWS):
            if shape.cells:           # an inset's photo spans its wide part
                continue
            head = shape.rows
            rest = sp.lines - k * w
            if rest <= 0:
                continue
            below = h - head - k                  # grid lines under the wide part
            corner_h = below - self.gap
            if corner_h <= 0:
                continue
            for w1 in range(1, w):
                if w1 < MIN_SPAN or not k and 2 * w1 < w:
                    # (a headline straight over a body under half its width reads as
                    # heading the corner's story more than its own)
                    continue
                need = math.ceil(rest / w1)
                if need > below:
                    continue
                outer = _Outer(i, shape, k, w, w1, need)
                for corner in self.best(i + 1, j, w - w1, corner_h):
                    out += self._inset(outer, h, corner)
                # the corner a column of the page's height and the run's last articles
                # under the narrow body (the lead's headline across the page, its body
                # and the stories under it to the left of a column running down)
                under_h = below - need - self.gap
                if under_h <= 0:
                    continue
                for m in range(i + 2, min(j, i + 2 + CORNER_RUN)):
                    unders = self.best(m, j, w1, under_h)
                    if not unders:
                        continue
                    # (the cheapest under the body; the corner's kept fillings)
                    for corner in self.best(i + 1, m, w - w1, corner_h):
                        out += self._inset_over(outer, h, corner, unders[0])
        return out

    def _inset_over(self, outer: _Outer, h: int, corner: _Sol, under: _Sol) -> list[_Sol]:
        """The outer module with filling `under` below its narrow body, beside a corner
        of the region's full depth: the corner on the right and on the left."""
        i, shape, k, w, w1, need = outer.i, outer.shape, outer.k, outer.w, outer.w1, outer.need
        sp = self.s[i]
        head, prof_head = shape.rows, shape.lines
        t = self.tiers[sp.key] + shape.tier
        own_rows = head + k + need
        down, low = head + k + self.gap, own_rows + self.gap   # the corner's top, under's
        cost = (corner.cost + under.cost + W_INSET + W_INSET_BARE * (k == 0) + shape.cost
                + self._leg_cost(need, w1, sp)
                + self._own_cost(i, w, own_rows, True))
        if k:
            cost += self._leg_cost(k, w, sp)
        if _grows((t,) * (w - w1), corner.tops):
            cost += W_GROW
        if _grows((t,) * w1, under.tops):
            cost += W_GROW
        spans = corner.spans | under.spans | 1 << w
        tall = corner.tall or under.tall or own_rows > w * self.column_rows
        white, air = corner.white + under.white, corner.air + under.air
        n_tops = tuple(min(t, x) for x in under.tops)
        n_foots = tuple(max(t, x) for x in under.foots)
        c_tops = tuple(min(t, x) for x in corner.tops)
        c_foots = tuple(max(t, x) for x in corner.foots)
        # the corner on the right: under's right edge faces the corner's left
        coll = _collide(shift_rows(corner.left, down), shift_rows(under.right, low))
        below = h - own_rows
        p = Placement(sp.key, 0, 0, w, own_rows, 0, w1, 0, k, shape.variant, shape.photo,
                      corner_rows=below)
        right = _Sol(cost + W_COLLISION * coll + self._strand(outer, True),
                     (p,) + _move(corner.places, w1, down) + _move(under.places, 0, low),
                     prof_head + shift_rows(under.left, low),
                     prof_head + shift_rows(corner.right, down), n_tops + c_tops,
                     n_foots + c_foots, white, air, corner.coll + under.coll + coll,
                     spans, tall, corner.hole + under.hole,
                     corner.foot + under.foot)
        # the corner on the left (worse: W_CORNER_LEFT)
        coll = _collide(shift_rows(corner.right, down), shift_rows(under.left, low))
        p = Placement(sp.key, 0, 0, w, own_rows, 0, w1, w - w1, k, shape.variant,
                      shape.photo, corner_rows=below)
        left = _Sol(cost + W_CORNER_LEFT + W_CORNER_LEFT_ROWS * (k > 0) + W_COLLISION * coll
                    + self._strand(outer, False),
                    (p,) + _move(corner.places, 0, down) + _move(under.places, w - w1, low),
                    prof_head + shift_rows(corner.left, down),
                    prof_head + shift_rows(under.right, low), c_tops + n_tops,
                    c_foots + n_foots, white, air, corner.coll + under.coll + coll,
                    spans, tall, corner.hole + under.hole,
                     corner.foot + under.foot)
        return [right, left]

    def _strand(self, outer: _Outer, right: bool) -> float:
        """What an inset pays whose columns would leave a crosshead or a 简讯 title at a
        column's foot, its text in the next (the corner's columns are exactly its wide
        rows deep, so no balance can move the break)."""
        strands = self.s[outer.i].inset_strands(outer.k, outer.w, outer.w1, outer.need, right)
        return W_STRAND if strands else 0.0

    def _inset(self, outer: _Outer, h: int, corner: _Sol) -> list[_Sol]:
        """The outer module around filling `corner` (its narrow body beside it, white at
        the body's foot if the region is deeper): the corner on the right and on the left."""
        i, shape, k, w, w1, need = outer.i, outer.shape, outer.k, outer.w, outer.w1, outer.need
        sp = self.s[i]
        below = h - shape.rows - k          # grid lines under the wide part
        head, prof_head = shape.rows, shape.lines
        t = self.tiers[sp.key] + shape.tier
        white = (below - need) * w1
        hole = corner.hole + _hole(below - need, w1)
        foot = corner.foot + _hole(below - need, w1, FOOT_FREE)
        cost = (corner.cost + W_WHITE * white + W_INSET + W_INSET_BARE * (k == 0) + shape.cost
                + self._leg_cost(need, w1, sp) + self._own_cost(i, w, h, True))
        if k:
            cost += self._leg_cost(k, w, sp)
        if _grows((t,) * (w - w1), corner.tops):
            cost += W_GROW
        down = head + k + self.gap
        narrow_t = (t,) * w1
        c_tops = tuple(min(t, x) for x in corner.tops)
        c_foots = tuple(max(t, x) for x in corner.foots)
        # the corner on the right
        spans, tall = corner.spans | 1 << w, corner.tall or h > w * self.column_rows
        p = Placement(sp.key, 0, 0, w, h, 0, w1, 0, k, shape.variant, shape.photo)
        right = _Sol(cost + self._strand(outer, True), (p,) + _move(corner.places, w1, down),
                     prof_head, prof_head + shift_rows(corner.right, down), narrow_t + c_tops,
                     narrow_t + c_foots, corner.white + white, corner.air, corner.coll,
                     spans, tall, hole, foot)
        # the corner on the left (worse: W_CORNER_LEFT)
        p = Placement(sp.key, 0, 0, w, h, 0, w1, w - w1, k, shape.variant, shape.photo)
        left = _Sol(cost + W_CORNER_LEFT + W_CORNER_LEFT_ROWS * (k > 0)
                    + self._strand(outer, False),
                    (p,) + _move(corner.places, 0, down), prof_head + shift_rows(corner.left, down), prof_head, c_tops + narrow_t,
                    c_foots + narrow_t, corner.white + white, corner.air, corner.coll,
                    spans, tall, hole, foot)
        return [right, left]


def layout_tree(specs: list[ModuleSpec], area: PageArea,
                tiers: dict[int, int] | None = None) -> PageLayout:
    """The best tree layout of specs (in their order, the lead first) on the area.

    tiers: each key's headline tier, 0 the largest (default: the lead 0, others 1).
    If the run does not fit, the last articles in order are left out (overset).
    """
    return tree_candidates(specs, area, tiers, 1)[0]


def tree_candidates(specs: list[ModuleSpec], area: PageArea, tiers: dict[int, int] | None = None,
                    count: int = 3, fixed_order: bool = True, whole: bool = False,
                    feasible: bool = False) -> list[PageLayout]:
    """Up to `count` structurally different layouts, best first (the first is layout_tree's).

    Alternatives differ at the top of the tree (where the lead ends, how wide the
    first split is, an inset or not), each with the best filling of its parts;
    two layouts putting every module in the same columns count as one. Unless
    the order is fixed, the articles are also tried lead first and then by
    headline tier (larger headlines first, written order within a tier): a short
    item or a photo written early would otherwise sit above larger headlines.
    """
    lead = [s for s in specs if s.lead][:1]
    order = lead + [s for s in specs if not (lead and s is lead[0])]
    tiers = tiers or {s.key: (0 if s.lead else 1) for s in specs}
    orders = [order]
    if not fixed_order:
        tiered = lead + sorted(order[len(lead):], key=lambda s: tiers[s.key])
        if tiered != order:
            orders.append(tiered)
    if feasible:        # any layout placing every article, in the first order that has one
        for o in orders:
            found = _candidates(o, area, tiers, 1, True, feasible=True)
            if not found[0].unplaced:
                break
        return found
    results = [_candidates(o, area, tiers, count, whole) for o in orders]
    # a 碰题 left on the best page: the orders with two neighbours after the lead swapped
    # are tried too (two stories side by side change places: the one whose headline
    # starts lower, under a kicker, goes beside the lead's headline); not for a whole
    # search (a 转版's trial parts, compared with each other: the page's own search
    # still tries them; they took 3 s of every trial, nu2-04 cold 21.6 s -> 13.1 s)
    best = min((lay for found in results for lay in found),
               key=lambda lay: (len(lay.unplaced), lay.score))
    if not fixed_order and best.collisions and len(order) <= SWAP_ARTICLES and not whole:
        for k in range(len(lead) or 1, len(order) - 1):
            swapped = order[:k] + [order[k + 1], order[k]] + order[k + 2:]
            results.append(_candidates(swapped, area, tiers, count))
    # fewest articles left out first, then the cheapest; alternatives of both orders
    merged = sorted((lay for found in results for lay in found),
                    key=lambda lay: (len(lay.unplaced), lay.score))
    out, seen = [], set()
    for lay in merged:
        if len(lay.unplaced) > len(merged[0].unplaced):
            break               # no alternative that leaves out more than the best does
        shape = frozenset((p.key, p.column, p.span, p.narrow, p.narrow_column)
                          for p in lay.placements)
        if shape not in seen:
            seen.add(shape)
            out.append(lay)
    return out[:count]


def _sameness(sol: _Sol, modules: int) -> float:
    """What a whole page pays for too few module widths (a page of five or more
    modules in two widths reads as a grid, not as a page: K2 wants three) and for
    having no vertical module among horizontal ones."""
    need = 3 if modules >= 5 else 2 if modules >= 2 else 1
    cost = W_VARIETY * max(0, need - sol.spans.bit_count())
    if modules >= 3 and not sol.tall:
        cost += W_VARIETY
    return cost


def _small_lead(sol: _Sol, first: ModuleSpec) -> float:
    """What a page pays when its lead's module is not among its two largest (K4): a
    头条 that reads as a smaller story than two others. (Full-width area over half the
    page, K1, is left to W_FULL and W_HALF: a page cost for it traded K1 for twice the
    white on pages short of copy.)"""
    if not first.lead:
        return 0.0
    areas = {p.key: p.span * p.rows for p in placements(sol.places)}
    lead = areas.get(first.key, 0)
    return W_SMALL_LEAD * max(0, sum(1 for a in areas.values() if a > lead) - 1)


def _candidates(order: list[ModuleSpec], area: PageArea, tiers: dict[int, int],
                count: int, whole: bool = False, feasible: bool = False) -> list[PageLayout]:
    """tree_candidates for one order of the articles (the lead first); whole: all of
    them or none (the pages with fewer are not searched); feasible: the first
    height with a layout of them all gives the answer."""
    columns, rows = area.columns, area.rows
    for n in range(len(order), len(order) - 1 if whole else 0, -1):
        tree = _Tree(order[:n], area, tiers)
        found = []                      # (cost, solution, height)
        lo = tree.low(0, n, columns)
        top = min(rows, lo + SLACK + SLACK_PER_ARTICLE * min(n, SLACK_RUN)
                  if n > FEW_ARTICLES else rows)
        # heights near the least, and the whole page: a page short of copy may read
        # better as tall modules side by side, their white at their feet
        heights = ([rows] if rows > top else []) + list(range(top, max(lo, 1) - 1, -1))
        for h in heights:
            if not tree.best(0, n, columns, h):    # also bounds h as best() does
                continue
            for sol in tree.options(0, n, columns, h):
                found.append((sol.cost + sol.foot + W_WHITE * (rows - h) * columns
                              + _sameness(sol, n)
                              + _small_lead(sol, order[0]), sol, h))
            if feasible and found:
                break
        if not found:
            continue
        found.sort(key=lambda f: (f[0], f[2]))   # a tie: the lower (white at the foot)
        left_out = tuple(s.key for s in order[n:])
        over = sum(OVERSET_COST * 2.0 ** (len(order) - 1 - k) for k in range(n, len(order)))
        out, seen = [], set()
        for cost, sol, h in found:
            shape = frozenset((p.key, p.column, p.span, p.narrow, p.narrow_column)
                              for p in placements(sol.places))
            if shape in seen:
                continue
            seen.add(shape)
            out.append(PageLayout(placements(sol.places), left_out, cost + over,
                                  sol.white + (rows - h) * columns, sol.air, sol.coll, 0))
            if len(out) == count:
                break
        return out
    return [PageLayout((), tuple(s.key for s in order), OVERSET_COST * len(order),
                       columns * rows, 0, 0, 0)]

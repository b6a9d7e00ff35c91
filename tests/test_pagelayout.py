"""The beam page layout search alone (layout.pagelayout, engine "beam"), on hand-made ModuleSpecs.

Pure numbers, no fonts: fast. The area is the style's later-page shape unless
a test says otherwise: 6 columns x 62 grid lines (page 1's article area), one
grid line between stacked modules, at most two lines of headline air.

Every layout is also checked against an independent reading of its
placements (`check_layout`): inside the area, no overlaps, at least two
columns wide, stacked with the gap and no hole, and the counts the search
reports (white cells, air, collisions, order inversions) recomputed here.
Speed is not asserted.
"""
from __future__ import annotations

import math
import random
from itertools import combinations

import pytest

from layout.pagelayout import ModuleSpec, PageArea, PageLayout, Placement, layout_page

COLUMNS, ROWS, GAP, FLEX = 6, 62, 1, 2
# grid lines of a headline block by span: narrower spans break the headline more
HEAD = {2: 5, 3: 4, 4: 3, 5: 3, 6: 3}


def spec(key: int, lines: int, head: dict[int, int] | int = HEAD, **pins) -> ModuleSpec:
    rows = {s: head for s in range(2, 7)} if isinstance(head, int) else dict(head)
    return ModuleSpec(key, rows, lines, **pins)


def lay(specs, *, columns=COLUMNS, rows=ROWS, gap=GAP, flex=FLEX, fixed=True) -> PageLayout:
    # these tests pin the beam search (the fallback engine); tests/test_pagetree.py the tree
    return layout_page(specs, PageArea(columns, rows, gap, flex), fixed_order=fixed, engine="beam")


# -- an independent reading of a layout ---------------------------------------------------

def overlap(a: Placement, b: Placement) -> bool:
    return (a.column < b.column + b.span and b.column < a.column + a.span
            and a.row < b.row + b.rows and b.row < a.row + a.rows)


def share_columns(a: Placement, b: Placement) -> bool:
    return a.column < b.column + b.span and b.column < a.column + a.span


def foot_white(placements, columns=COLUMNS, rows=ROWS) -> int:
    """Empty cells below the last module of each column."""
    white = 0
    for c in range(columns):
        bottoms = [p.row + p.rows for p in placements if p.column <= c < p.column + p.span]
        white += rows - max(bottoms, default=0)
    return white


def empty_cells(placements, columns=COLUMNS, rows=ROWS, gap=GAP) -> int:
    """Cells no module covers, less the gap lines between modules stacked in a column."""
    covered = sum(p.span * p.rows for p in placements)
    gaps = 0
    for c in range(columns):
        in_col = sorted((p for p in placements if p.column <= c < p.column + p.span),
                        key=lambda p: p.row)
        gaps += gap * max(0, len(in_col) - 1)
    return columns * rows - covered - gaps


def collisions(placements, by_key) -> int:
    """Side-by-side modules whose headline blocks (with their air) share a grid line."""
    n = 0
    for a, b in combinations(placements, 2):
        if a.column + a.span == b.column or b.column + b.span == a.column:
            ha = (a.row, a.row + by_key[a.key].head_rows[a.span] + a.air)
            hb = (b.row, b.row + by_key[b.key].head_rows[b.span] + b.air)
            if ha[0] < hb[1] and hb[0] < ha[1]:
                n += 1
    return n


def inversions(placements) -> int:
    """Pairs where a later article lies wholly above and wholly left of an earlier one."""
    return sum(1 for a in placements for b in placements
               if a.key > b.key and a.row + a.rows <= b.row and a.column + a.span <= b.column)


def check_layout(result: PageLayout, specs, *, columns=COLUMNS, rows=ROWS, gap=GAP,
                 flex=FLEX, pinned_place=False) -> None:
    by_key = {s.key: s for s in specs}
    placed = [p.key for p in result.placements]
    assert len(placed) == len(set(placed)), placed
    assert set(placed).isdisjoint(result.unplaced)
    assert set(placed) | set(result.unplaced) == set(by_key)
    for p in result.placements:
        s = by_key[p.key]
        assert p.span >= 2, p
        assert 0 <= p.column and p.column + p.span <= columns, p
        assert 0 <= p.row and p.row + p.rows <= rows, p
        assert p.rows == s.natural(p.span) + p.air, p        # the module holds its text
        assert p.air >= 0, p
        if s.height is None:
            assert p.air <= flex, p
    for a, b in combinations(result.placements, 2):
        assert not overlap(a, b), (a, b)
        if share_columns(a, b):                              # stacked: at least the gap between
            upper, lower = sorted((a, b), key=lambda p: p.row)
            assert lower.row >= upper.row + upper.rows + gap, (upper, lower)
    if not pinned_place:
        # no hole: each column's modules start at the top, one gap apart
        for c in range(columns):
            top = 0
            for p in sorted((p for p in result.placements if p.column <= c < p.column + p.span),
                            key=lambda p: p.row):
                assert p.row == top, (c, p)
                top = p.row + p.rows + gap
        assert result.white_cells == foot_white(result.placements, columns, rows)
    # every empty cell is white: at the foot of the columns and above a module pinned lower
    assert result.white_cells == empty_cells(result.placements, columns, rows, gap)
    assert result.air_cells == sum(p.air * p.span for p in result.placements)
    assert result.collisions == collisions(result.placements, by_key)
    assert result.order_inversions == inversions(result.placements)


# -- filling the page -----------------------------------------------------------------------

def test_one_article_that_exactly_fills_the_area():
    s = spec(0, (ROWS - 3) * COLUMNS, head=3)            # 3 + 59 lines at full width
    assert s.natural(6) == ROWS
    result = lay([s])
    check_layout(result, [s])
    assert result.placements == (Placement(0, 0, 0, 6, ROWS, 0),)
    assert result.unplaced == ()
    assert result.white_cells == 0
    assert result.air_cells == 0
    assert result.collisions == 0


@pytest.mark.parametrize("fixed", [True, False], ids=["fixed", "free"])
def test_full_width_stack_with_spare_lines_takes_them_as_air(fixed):
    # 19 + 19 + 18 lines at full width, two gap lines: 58 of 62; 4 spare <= 2 x 3
    specs = [spec(0, 96, head=3), spec(1, 96, head=3), spec(2, 90, head=3)]
    natural = sum(s.natural(6) for s in specs) + GAP * (len(specs) - 1)
    spare = ROWS - natural
    assert 0 < spare <= FLEX * len(specs)
    result = lay(specs, fixed=fixed)
    check_layout(result, specs)
    ps = sorted(result.placements, key=lambda p: p.row)
    assert [p.key for p in ps] == [0, 1, 2]                # stacked in order
    assert all(p.column == 0 and p.span == 6 for p in ps)
    assert ps[0].row == 0
    for upper, lower in zip(ps, ps[1:]):
        assert lower.row == upper.row + upper.rows + GAP
    assert ps[-1].row + ps[-1].rows == ROWS
    assert result.white_cells == 0
    assert sum(p.air for p in ps) == spare
    assert sum(p.air for p in ps) * 6 == result.air_cells
    assert result.collisions == 0
    assert result.unplaced == ()


@pytest.mark.parametrize("lines", [[60], [60, 40], [30, 30, 20]])
def test_spare_lines_beyond_the_air_are_reported_white(lines):
    specs = [spec(k, n) for k, n in enumerate(lines)]
    # even at its tallest (two columns, all air) the text cannot cover the area
    most = sum((s.natural(2) + FLEX) * 2 for s in specs)
    assert most < COLUMNS * ROWS
    result = lay(specs)
    check_layout(result, specs)
    assert result.unplaced == ()
    assert result.white_cells > 0
    assert result.white_cells == empty_cells(result.placements)
    assert result.white_cells == foot_white(result.placements)


# -- too much text -------------------------------------------------------------------------------

@pytest.mark.parametrize("fixed", [True, False], ids=["fixed", "free"])
def test_too_much_text_leaves_the_last_articles_unplaced(fixed):
    # two articles of 150 lines fill 57 lines at full width; a third fits nowhere
    specs = [spec(k, 150, head=3) for k in range(5)]
    result = lay(specs, fixed=fixed)
    check_layout(result, specs)
    assert result.unplaced == (2, 3, 4)
    assert sorted(p.key for p in result.placements) == [0, 1]


def test_free_order_never_oversets_an_earlier_article_while_placing_a_later_one():
    specs = [spec(0, 150, head=3), spec(1, 100, head=3), spec(2, 100, head=3),
             spec(3, 100, head=3)]
    result = lay(specs, fixed=False)
    check_layout(result, specs)
    assert result.unplaced
    placed = {p.key for p in result.placements}
    assert max(placed) < min(result.unplaced), (sorted(placed), result.unplaced)


# -- the lead ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixed", [True, False], ids=["fixed", "free"])
@pytest.mark.parametrize("lead_span", [None, 4])
def test_lead_is_top_left_and_no_module_is_wider(fixed, lead_span):
    # the lead is written second and is not the longest
    specs = [spec(0, 100), spec(1, 80, lead=True, span=lead_span), spec(2, 60), spec(3, 30)]
    result = lay(specs, fixed=fixed)
    check_layout(result, specs)
    assert result.unplaced == ()
    lead = next(p for p in result.placements if p.key == 1)
    assert (lead.column, lead.row) == (0, 0)
    if lead_span:
        assert lead.span == lead_span
    assert all(p.span <= lead.span for p in result.placements), result.placements


# -- pins -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixed", [True, False], ids=["fixed", "free"])
@pytest.mark.parametrize("pins, want", [
    (dict(span=3), dict(span=3)),
    (dict(span=2), dict(span=2)),
    (dict(height=30), dict(rows=30)),
    (dict(height=40, span=4), dict(rows=40, span=4)),
    (dict(span=3, place=(3, 0)), dict(column=3, row=0, span=3)),
    (dict(span=4, place=(2, 0)), dict(column=2, row=0, span=4)),
    (dict(span=2, place=(4, 0)), dict(column=4, row=0, span=2)),
    (dict(span=6, place=(0, 30)), dict(column=0, row=30, span=6)),
], ids=["span3", "span2", "height30", "height40-span4", "place-3-0", "place-2-0", "place-4-0",
        "place-0-30"])
def test_pins_are_honoured(fixed, pins, want):
    specs = [spec(0, 60), spec(1, 60, **pins), spec(2, 40)]
    result = lay(specs, fixed=fixed)
    check_layout(result, specs, pinned_place="place" in pins)
    assert result.unplaced == ()
    p = next(p for p in result.placements if p.key == 1)
    for attr, value in want.items():
        assert getattr(p, attr) == value, (attr, p)


def test_white_cells_count_the_hole_above_a_module_pinned_lower():
    specs = [spec(0, 60), spec(1, 60, span=6, place=(0, 30))]
    result = lay(specs)
    check_layout(result, specs, pinned_place=True)
    assert result.unplaced == ()
    assert result.white_cells == empty_cells(result.placements)


# -- order ----------------------------------------------------------------------------------------

def test_fixed_order_stacks_articles_in_key_order():
    specs = [spec(0, 100, head=3), spec(1, 40, head=3), spec(2, 90, head=3), spec(3, 30, head=3)]
    result = lay(specs, fixed=True)
    check_layout(result, specs)
    assert result.unplaced == ()
    full = sorted((p for p in result.placements if p.span == 6), key=lambda p: p.key)
    assert len(full) == len(specs), result.placements      # a stack, as this text fits one
    assert [p.row for p in full] == sorted(p.row for p in full)
    assert len({p.row for p in full}) == len(full)


def test_the_inversion_count_sees_a_later_article_above_and_left():
    # pinned so that article 1 sits above and left of article 0: the counter sees it
    specs = [spec(0, 40, span=4, place=(2, 30)), spec(1, 40, span=2, place=(0, 0))]
    result = lay(specs)
    check_layout(result, specs, pinned_place=True)
    assert result.order_inversions == 1


@pytest.mark.parametrize("sizes", [[40, 40], [30, 120, 80, 40], [20, 150, 30, 100, 25],
                                   [60, 60, 60, 60, 60]])
def test_free_order_puts_no_later_article_above_and_left_of_an_earlier_one(sizes):
    # the same modules could be pinned into an inversion (test above); free, the search does not
    specs = [spec(k, n) for k, n in enumerate(sizes)]
    result = lay(specs, fixed=False)
    check_layout(result, specs)
    assert result.order_inversions == 0
    assert inversions(result.placements) == 0


# -- collisions (碰题) ----------------------------------------------------------------------------

def test_side_by_side_headlines_count_one_collision():
    # two halves of the page, each as tall as the page: they must share the top row
    specs = [spec(0, 170, span=3, height=ROWS), spec(1, 170, span=3, height=ROWS)]
    result = lay(specs)
    check_layout(result, specs)
    assert result.unplaced == ()
    assert {(p.column, p.row, p.span, p.rows) for p in result.placements} == {
        (0, 0, 3, ROWS), (3, 0, 3, ROWS)}
    assert result.collisions == 1


def test_stacked_modules_do_not_collide():
    specs = [spec(0, 100, span=6), spec(1, 100, span=6)]
    result = lay(specs)
    check_layout(result, specs)
    assert result.collisions == 0


# -- width ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(10))
def test_no_module_is_narrower_than_two_columns_even_if_one_column_is_offered(seed):
    rng = random.Random(seed)
    specs = [ModuleSpec(k, {s: 3 for s in range(1, 7)}, rng.randint(10, 60))
             for k in range(rng.randint(2, 7))]
    result = lay(specs, fixed=bool(seed % 2))
    check_layout(result, specs)
    assert all(p.span >= 2 for p in result.placements)


# -- geometry of random pages -----------------------------------------------------------------

def random_specs(seed: int) -> list[ModuleSpec]:
    rng = random.Random(seed)
    specs = []
    for k in range(rng.randint(2, 6)):
        one = rng.choice([2, 3, 3, 4])                   # headline lines at full width
        head = {s: one + (1 if s <= 3 else 0) + (1 if s == 2 and one > 2 else 0)
                for s in range(2, 7)}
        specs.append(ModuleSpec(k, head, rng.randint(20, 150), lead=(k == 0 and seed % 3 == 0)))
    return specs


@pytest.mark.parametrize("fixed", [True, False], ids=["fixed", "free"])
@pytest.mark.parametrize("seed", range(20))
def test_random_pages_have_no_overlap_and_stay_inside_the_area(seed, fixed):
    specs = random_specs(seed)
    rows = ROWS if seed % 2 else 74                      # page 1 and a later page
    result = lay(specs, rows=rows, fixed=fixed)
    check_layout(result, specs, rows=rows)
    assert result.placements                             # something always fits
    for a, b in combinations(result.placements, 2):
        assert not overlap(a, b)
    cells = sum(p.span * p.rows for p in result.placements)
    assert cells + result.white_cells <= COLUMNS * rows


def test_natural_height_is_headline_plus_balanced_columns():
    s = spec(0, 61)
    assert [s.natural(k) for k in range(2, 7)] == [
        HEAD[k] + math.ceil(61 / k) for k in range(2, 7)]


def test_a_module_whose_photo_bears_no_width_it_may_take_still_has_a_shape():
    # a 320 x 240 photo bears one column, its story's narrowest span is 2 and no side
    # width fits beside it: the module had no shape at all, and the page's overset
    # message failed on it (internal error); now the photo stands across (warned as
    # low-ppi by the build)
    spec = ModuleSpec(0, {2: 4}, 20, photo_rows={2: 6}, photo_flex={2: (0, 0)},
                      photo_widest=1, photo_side={2: ()})
    assert spec.variants(2)
    wide = ModuleSpec(0, {2: 4, 4: 3}, 20, photo_rows={2: 6, 4: 4},
                      photo_flex={2: (0, 0), 4: (0, 0)}, photo_widest=2,
                      photo_side={4: ((2, 4, 0, 0),)})
    # where a side width exists, a photo too coarse to stand across keeps to it
    assert wide.variants(4) and all(v.photo_columns == 2 for v in wide.variants(4))


# -- keeping crossheads and 简讯 titles with their text ------------------------------------

# a 简讯 group of three items of 7, 8 and 9 lines, each opening with a two-line title
# (a new user's 闽溪 page 1: in 8 rows, two titles were split across columns)
GROUP_STOPS = (0, 1, 2, 7, 8, 9, 15, 16, 17)


def test_fills_keeps_stop_lines_off_a_columns_foot():
    from layout.columns import fills
    assert not fills(GROUP_STOPS, 24, (8, 8, 8))          # 8 | 8 | 8 ends on a title
    assert fills(GROUP_STOPS, 24, (9, 9, 9), (6, 6, 6))   # 7 | 8 | 9: each item whole
    assert not fills(GROUP_STOPS, 24, (9, 9, 9), (8, 8, 8))   # ... not within one line
    assert fills((), 24, (8, 8, 8)) and not fills((), 25, (8, 8, 8))


def test_a_module_takes_a_line_more_to_keep_its_titles_with_their_text():
    from layout.pagelayout import Shape
    shape = Shape(0, 2, ((0.5, 1.5),), 0, 0.0)
    plain = ModuleSpec(0, {3: 2}, 24)
    kept = ModuleSpec(0, {3: 2}, 24, stops=GROUP_STOPS, spread=3)
    assert plain.body_rows(shape, 3) == 8
    assert kept.body_rows(shape, 3) == 9
    # where no height within KEEP_ROWS helps, balance stays (and does what it can)
    hopeless = ModuleSpec(0, {3: 2}, 24, stops=tuple(range(23)), spread=3)
    assert hopeless.body_rows(shape, 3) == 8


def test_an_inset_that_would_end_a_column_on_a_crosshead_says_so():
    # a new user's lead: 55 lines, its corner's three columns exactly 6 wide rows deep,
    # so the break into the corner fell on 三、品牌引领：… whatever the balance
    stops = (14, 15, 16, 24, 25, 26, 36, 37, 38)
    spec = ModuleSpec(0, {6: 4}, 55, lead=True, stops=stops, spread=2)
    assert spec.inset_strands(6, 6, 3, 7, right=True)
    assert not spec.inset_strands(6, 6, 3, 7, right=False)   # corner first: it reads 0-17
    assert not ModuleSpec(0, {6: 4}, 55).inset_strands(6, 6, 3, 7, right=True)


def test_a_teaser_entry_is_never_split_across_columns():
    # a new user's 导读: 关于开展2025年度 | 南沙区“扶贫济困日”活动 ended column 1 and
    # 暨慈善募捐的倡议书 第3版 opened column 2; an entry's lines but its last are stops
    from types import SimpleNamespace as NS

    from layout.columns import stops
    line = NS(runs=(None,), first=True, last=True)
    entry = [(line, "teaser", "teaser")] * 2 + [(line, "teaser", "teaser_page")]
    assert stops(entry + entry) == (0, 1, 3, 4)

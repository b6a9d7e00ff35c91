"""The tree page search (layout.pagetree) on hand-made ModuleSpecs, and built pages read back.

Area: 6 columns x 62 grid lines, one gap line between modules, at most two
lines of headline air. Headline blocks take 3 grid lines at 4-6 columns and
5 at 2 columns unless a test says otherwise.
"""
from __future__ import annotations

import json
import random
import time
from itertools import combinations
from pathlib import Path

import pdfplumber
import pytest

from layout.pagelayout import ModuleSpec, PageArea, PageLayout, Placement, layout_page
from layout.pagetree import _collide, layout_tree

COLUMNS, ROWS, GAP, FLEX = 6, 62, 1, 2
HEAD = {2: 5, 3: 4, 4: 3, 5: 3, 6: 3}
AREA = PageArea(COLUMNS, ROWS, GAP, FLEX)


def spec(key: int, lines: int, **kw) -> ModuleSpec:
    return ModuleSpec(key, dict(HEAD), lines, **kw)


def lay(specs, rows=ROWS) -> PageLayout:
    return layout_page(specs, PageArea(COLUMNS, rows, GAP, FLEX), engine="tree")


def cells(p: Placement) -> set[tuple[int, int]]:
    """The grid cells a module covers (an inset: its wide part and its narrow body)."""
    if not p.narrow:
        return {(c, r) for c in range(p.column, p.column + p.span)
                for r in range(p.row, p.row + p.rows)}
    wide = p.row + HEAD_OF[p.key] + p.air + p.wide_rows
    out = {(c, r) for c in range(p.column, p.column + p.span) for r in range(p.row, wide)}
    out |= {(c, r) for c in range(p.narrow_column, p.narrow_column + p.narrow)
            for r in range(wide, p.row + p.rows)}
    return out


HEAD_OF: dict[int, int] = {}


def check(result: PageLayout, specs, rows=ROWS) -> None:
    """Inside the area, no two modules share a cell, every module holds its text."""
    by_key = {s.key: s for s in specs}
    taken: set = set()
    for p in result.placements:
        s = by_key[p.key]
        HEAD_OF[p.key] = s.head_rows[p.span]
        assert 0 <= p.column and p.column + p.span <= COLUMNS, p
        assert 0 <= p.row and p.row + p.rows <= rows, p
        if p.narrow:
            body_rows = p.rows - s.head_rows[p.span] - p.air - p.wide_rows
            assert p.wide_rows * p.span + p.narrow * body_rows >= s.lines, p
        else:
            assert p.rows >= s.natural(p.span), p
        mine = cells(p)
        assert not mine & taken, p
        taken |= mine
    assert set(p.key for p in result.placements) | set(result.unplaced) == set(by_key)


def test_a_known_page_has_a_known_best_tree():
    # on 40 lines: the lead fills 4 columns under a 6-column headline; the corner
    # (2 columns x 36 lines) holds two articles stacked, 5 + 12 and 5 + 13 lines, a gap between
    # (the lead pinned to the full width: else it could take 4 columns, article 1 beside it)
    specs = [spec(0, 4 * 37, lead=True, span=6), spec(1, 2 * 12), spec(2, 2 * 13)]
    result = lay(specs, rows=40)
    check(result, specs, rows=40)
    assert result.unplaced == () and result.white_cells == 0 and result.collisions == 0
    got = {p.key: p for p in result.placements}
    assert got[0] == Placement(0, 0, 0, 6, 40, 0, 4, 0, 0)
    assert (got[1].column, got[1].row, got[1].span, got[1].rows) == (4, 4, 2, 17)
    assert (got[2].column, got[2].row, got[2].span, got[2].rows) == (4, 22, 2, 18)


def test_headline_lines_overlapping_in_rows_collide():
    assert _collide(((0.5, 2.5),), ((1.0, 3.0),)) == 1
    assert _collide(((0.5, 2.5),), ((2.5, 4.5),)) == 0
    assert _collide(((0.5, 1.5), (3.0, 4.0)), ((1.6, 2.9),)) == 0


def test_side_by_side_modules_stagger_their_headlines():
    # two halves of the page: the right one starts lower rather than put its headline
    # beside the left one's (碰题)
    specs = [spec(0, 3 * 58, span=3), spec(1, 3 * 55, span=3)]
    result = lay(specs)
    check(result, specs)
    assert result.collisions == 0
    left, right = sorted(result.placements, key=lambda p: p.column)
    assert (left.column, left.row, right.column) == (0, 0, 3)
    a = [(t + left.row, b + left.row) for t, b in specs[0].lines_of(3)]
    b = [(t + right.row, b_ + right.row) for t, b_ in specs[1].lines_of(3)]
    assert _collide(tuple(a), tuple(b)) == 0


def test_headline_lines_already_staggered_need_no_drop():
    # the right article's headline line sits lower in its block (a kicker above it)
    high, low = {3: ((0.2, 1.2),)}, {3: ((2.4, 3.4),)}
    specs = [spec(0, 3 * 58, span=3, head_lines=high), spec(1, 3 * 58, span=3, head_lines=low)]
    result = lay(specs)
    check(result, specs)
    assert result.collisions == 0
    assert all(p.row == 0 for p in result.placements)


@pytest.mark.parametrize("seed", range(6))
def test_the_lead_is_top_left_and_spans_two_thirds(seed):
    rng = random.Random(seed)
    specs = [spec(k, rng.randint(40, 160), lead=(k == 1)) for k in range(rng.randint(3, 6))]
    result = lay(specs, rows=74)
    check(result, specs, rows=74)
    lead = next(p for p in result.placements if p.key == 1)
    assert (lead.column, lead.row) == (0, 0)
    assert lead.span >= 4


@pytest.mark.parametrize("pins, want", [
    (dict(span=3), dict(span=3)),
    (dict(span=2), dict(span=2)),
    (dict(height=30), dict(rows=30)),
    (dict(height=40, span=4), dict(rows=40, span=4)),
])
def test_pins_are_kept(pins, want):
    specs = [spec(0, 60), spec(1, 60, **pins), spec(2, 40)]
    result = lay(specs)
    assert result.unplaced == ()
    p = next(p for p in result.placements if p.key == 1)
    for attr, value in want.items():
        assert getattr(p, attr) == value, (attr, p)


def test_too_much_text_leaves_the_last_articles_out():
    specs = [spec(k, 150) for k in range(5)]
    result = lay(specs)
    check(result, specs)
    assert result.unplaced and max(p.key for p in result.placements) < min(result.unplaced)


@pytest.mark.parametrize("seed", range(12))
def test_random_pages_stay_inside_the_area_without_overlap(seed):
    rng = random.Random(seed)
    specs = [spec(k, rng.randint(20, 150), lead=(k == 0)) for k in range(rng.randint(2, 8))]
    rows = 62 if seed % 2 else 74
    result = lay(specs, rows=rows)
    check(result, specs, rows=rows)
    assert result.placements


def test_ten_articles_are_laid_out_quickly():
    rng = random.Random(7)
    specs = [spec(k, rng.randint(20, 60), lead=(k == 0)) for k in range(10)]
    t0 = time.perf_counter()
    result = layout_tree(specs, PageArea(COLUMNS, 74, GAP, FLEX))
    took = time.perf_counter() - t0
    check(result, specs, rows=74)
    assert took < 10          # generous: the target (<= 1 s) is measured in bench, not here


# -- a built page, read back from its glyphs -----------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "issues" / "2025-03-09.yaml"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from layout.build import build
    folder = tmp_path_factory.mktemp("sample")
    pdf, report = folder / "s.pdf", folder / "s.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE_DIR", str(folder / "cache"))
        build(SAMPLE, pdf, report=report)
    with pdfplumber.open(pdf) as doc:
        chars = [p.chars for p in doc.pages]
    return chars, json.loads(report.read_text(encoding="utf-8"))


def _headline_lines(chars, box):
    """Headline glyph lines (bold, larger than 13 pt) inside a box: (top, bottom, size)."""
    x0, top, x1, bottom = box
    lines: dict = {}
    for c in chars:
        if c["size"] > 13 and "Bold" in c["fontname"] and x0 - 1 <= c["x0"] <= x1 + 1 \
                and top - 1 <= c["top"] <= bottom + 1:
            lines.setdefault((round(c["size"], 1), round(c["top"], 1)), []).append(c)
    return [(min(c["top"] for c in cs), max(c["bottom"] for c in cs), size)
            for (size, _), cs in lines.items()]


def test_sample_pages_have_a_lead_and_no_headlines_side_by_side(sample):
    chars, report = sample
    for n, page in enumerate(report["pages"]):
        mods = page["modules"]
        lead = [m for m in mods if m["role"] == "lead"]
        assert len(lead) == 1, page["page"]
        lead = lead[0]
        assert lead["box"][:2] == page["area"][:2]                   # top-left of the area
        assert lead["columns"] >= 4
        lead_size = max(h["size"] for h in lead["headline_lines"])
        for m in mods:
            if m is not lead:
                assert max(h["size"] for h in m["headline_lines"]) < lead_size
        # 碰题 from the glyphs: headline lines of side-by-side modules never share a height
        own = {}
        for i, m in enumerate(mods):
            inner = [o["box"] for o in mods if o is not m and o["box"][0] >= m["box"][0] - 1
                     and o["box"][2] <= m["box"][2] + 1 and o["box"][1] > m["box"][1]
                     and o["box"][3] <= m["box"][3] + 1]
            own[i] = [ln for ln in _headline_lines(chars[n], m["box"])
                      if not any(b[1] - 1 <= ln[0] <= b[3] + 1 for b in inner)]
        for (i, a), (j, b) in combinations(enumerate(mods), 2):
            beside = abs(a["box"][2] - b["box"][0]) < 20 or abs(b["box"][2] - a["box"][0]) < 20
            if not beside:
                continue
            for la in own[i]:
                for lb in own[j]:
                    assert min(la[1], lb[1]) - max(la[0], lb[0]) <= 0.25 * min(
                        la[1] - la[0], lb[1] - lb[0]), (page["page"], a["headline"], b["headline"])


def test_an_inset_module_narrows_its_body_beside_its_corner(sample):
    chars, report = sample
    body_size = 9.0
    seen = 0
    for n, page in enumerate(report["pages"]):
        mods = page["modules"]
        for m in mods:
            if "body_columns" not in m:
                continue
            seen += 1
            x0, top, x1, bottom = m["box"]
            # the corner: the modules starting inside the box, under its top (a corner may
            # run on below the box, beside the stories under the narrow body), cut to it
            inner = [[o["box"][0], o["box"][1], o["box"][2], min(o["box"][3], bottom)]
                     for o in mods if o is not m and o["box"][0] >= x0 - 1
                     and o["box"][2] <= x1 + 1 and top < o["box"][1] < bottom]
            assert inner, m["headline"]
            corner_top = min(b[1] for b in inner)
            cx0, cx1 = min(b[0] for b in inner), max(b[2] for b in inner)
            # the headline spans the module, over the corner
            heads = [h for h in m["headline_lines"] if h["size"] > 13]
            assert max(h["box"][2] for h in heads) > cx0 or min(h["box"][0] for h in heads) < cx1
            assert all(h["box"][3] <= corner_top for h in m["headline_lines"])
            # below the corner's top, the body keeps to the narrow columns, balanced
            per_col: dict[int, set] = {}
            col_w = (x1 - x0 + 10.5) / m["columns"]
            for c in chars[n]:
                if abs(c["size"] - body_size) > 0.01 or c["text"].isspace():
                    continue
                if not (x0 - 1 <= c["x0"] <= x1 + 1 and corner_top <= c["top"] <= bottom):
                    continue
                if any(b[0] - 1 <= c["x0"] <= b[2] + 1 and b[1] - 1 <= c["top"] <= b[3] + 1
                       for b in inner):
                    continue
                assert not cx0 - 1 <= c["x0"] <= cx1 + 1 or c["top"] < corner_top, c["text"]
                per_col.setdefault(int((c["x0"] - x0) // col_w), set()).add(round(c["top"]))
            assert len(per_col) == m["body_columns"], (m["headline"], sorted(per_col))
            counts = [len(v) for v in per_col.values()]
            assert max(counts) - min(counts) <= 1, (m["headline"], counts)
    assert seen, "the sample has no inset module to check"


def _built(folder: Path, issue: Path):
    from layout.build import build
    pdf, report = folder / "s.pdf", folder / "s.json"
    build(issue, pdf, report=report)
    with pdfplumber.open(pdf) as doc:
        chars = [p.chars for p in doc.pages]
    return chars, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def others(tmp_path_factory):
    """stress-4pages (L-shapes with wide lines) and four-articles (a short lead whose
    headline stood over six columns, its body over two)."""
    return [_built(tmp_path_factory.mktemp(path.stem), path)
            for path in (SAMPLE.parent / "stress-4pages.yaml",
                         SAMPLE.parent.parent / "tests" / "data" / "four-articles.yaml")]


def test_an_insets_headline_heads_its_own_text_first(sample, others):
    """An L-shape's headline over its body and a corner story: its first body lines
    run across all its columns (wide_lines), or its body is at least half as wide as
    the headline: a headline straight over a body a third its width reads as the
    corner story's (我市3人入选“河南好人榜” over 2 columns, 康店镇… under it)."""
    seen = wide = 0
    for chars, report in (sample, *others):
        for n, page in enumerate(report["pages"]):
            for m in page["modules"]:
                if "body_columns" not in m:
                    continue
                seen += 1
                assert m["wide_lines"] > 0 or 2 * m["body_columns"] >= m["columns"], m
                if not m["wide_lines"]:
                    continue
                wide += 1
                # the wide lines: body glyphs under the headline in every column of it
                x0, top, x1, bottom = m["box"]
                head_foot = max(h["box"][3] for h in m["headline_lines"])
                below = head_foot + m["wide_lines"] * 14.0
                col_w = (x1 - x0 + 10.5) / m["columns"]
                cols = {int((c["x0"] - x0) // col_w) for c in chars[n]
                        if abs(c["size"] - 9.0) < 0.01 and x0 - 1 <= c["x0"] <= x1
                        and head_foot < c["top"] < below}
                assert cols == set(range(m["columns"])), (m["headline"], sorted(cols))
    assert seen and wide, (seen, wide)


def test_a_column_beside_the_lead_runs_past_the_stories_under_its_body(sample):
    """The lead's headline over the page, its body narrower, stories under the body and
    the corner a column running down past them: no rule under the body crosses it."""
    chars, report = sample
    seen = 0
    for page in report["pages"]:
        mods = page["modules"]
        for m in mods:
            if "body_columns" not in m:
                continue
            x0, top, x1, bottom = m["box"]
            corner = [o for o in mods if o is not m and x0 - 1 <= o["box"][0]
                      and o["box"][2] <= x1 + 1 and top < o["box"][1] < bottom
                      and o["box"][3] > bottom + 1]
            if not corner:
                continue
            seen += 1
            cx0, cx1 = min(o["box"][0] for o in corner), max(o["box"][2] for o in corner)
            # under the narrow body, beside the corner: other stories, none crossing it
            under = [o for o in mods if o["box"][1] > bottom and o["box"][1] < corner[0]["box"][3]
                     and x0 - 1 <= o["box"][0] and o["box"][2] <= x1 + 1 and o not in corner]
            assert under, m["headline"]
            for o in under:
                assert o["box"][2] <= cx0 + 1 or o["box"][0] >= cx1 - 1, (m["headline"], o)
                ox0, otop, ox1, _ = o["box"]
                # their headlines sit lower than the corner's (no 碰题 across the rule)
                for h in o["headline_lines"]:
                    for c in corner:
                        for ch in c["headline_lines"]:
                            assert h["box"][1] >= ch["box"][3] or h["box"][3] <= ch["box"][1]
    assert seen, "the sample has no lead with a column beside the stories under its body"


def test_no_rule_under_a_narrow_body_crosses_the_column_beside_it(tmp_path):
    from layout.build import build
    pdf, report = tmp_path / "s.pdf", tmp_path / "s.json"
    build(SAMPLE, pdf, report=report, pdfx=False)
    rep = json.loads(report.read_text(encoding="utf-8"))
    checked = 0
    with pdfplumber.open(pdf) as doc:
        for page, pg in zip(rep["pages"], doc.pages):
            rules = [ln for ln in pg.lines if abs(ln["top"] - ln["bottom"]) < 0.5]
            for m in page["modules"]:
                if "body_columns" not in m:
                    continue
                x0, top, x1, bottom = m["box"]
                corner = [o["box"] for o in page["modules"] if o is not m
                          and x0 - 1 <= o["box"][0] and o["box"][2] <= x1 + 1
                          and top < o["box"][1] < bottom and o["box"][3] > bottom + 1]
                if not corner:
                    continue
                checked += 1
                cx0, cx1 = min(b[0] for b in corner), max(b[2] for b in corner)
                near = [ln for ln in rules if bottom - 2 <= ln["top"] <= bottom + 14]
                assert near, m["headline"]            # the body is closed by a rule
                for ln in near:                       # ... that stops at the corner
                    assert ln["x1"] <= cx0 + 1 or ln["x0"] >= cx1 - 1, (m["headline"], ln)
    assert checked


def test_sample_headlines_do_not_grow_down_the_page(sample):
    _, report = sample
    for page in report["pages"]:
        mods = page["modules"]
        size = {id(m): max(h["size"] for h in m["headline_lines"] if h["size"] > 13) for m in mods}
        for a in mods:
            for b in mods:
                over_x = min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0]) > 3
                if a is not b and over_x and a["box"][3] <= b["box"][1] + 3:
                    assert size[id(b)] <= size[id(a)], (page["page"], a["headline"], b["headline"])


# -- headline tiers: headlines never grow down the page (K5) ------------------------------

def _inversions(result: PageLayout, tier_of: dict[int, int]) -> list[tuple[int, int]]:
    """Pairs (above, below) sharing a column where the one below has the larger headline."""
    out = []
    for a in result.placements:
        for b in result.placements:
            share = min(a.column + a.span, b.column + b.span) - max(a.column, b.column) > 0
            if a is not b and share and a.row + a.rows <= b.row and tier_of[b] < tier_of[a]:
                out.append((a.key, b.key))
    return out


def test_a_short_item_written_early_goes_below_the_larger_headlines():
    # a short item (tier 2) written second: the free order sets it after the articles
    specs = [spec(0, 4 * 30, lead=True), spec(1, 2 * 8, brief=True), spec(2, 2 * 40),
             spec(3, 4 * 14)]
    tiers = {0: 0, 1: 2, 2: 1, 3: 1}
    from layout.pagetree import tree_candidates
    result = tree_candidates(specs, AREA, tiers, 1, fixed_order=False)[0]
    check(result, specs)
    assert result.unplaced == ()
    tier_of = {p: tiers[p.key] for p in result.placements}
    assert _inversions(result, tier_of) == []


def test_a_short_item_kept_in_place_takes_its_larger_headline():
    # order fixed: the short item stays second, so it takes the shape whose headline is a
    # size up (variant 2, tier -1) rather than sit above a larger headline in its columns
    up = {w: r for w, r in HEAD.items()}
    specs = [spec(0, 4 * 30, lead=True), spec(1, 2 * 8, brief=True, up_rows=up),
             spec(2, 2 * 40), spec(3, 4 * 14)]
    tiers = {0: 0, 1: 2, 2: 1, 3: 1}
    from layout.pagetree import tree_candidates
    result = tree_candidates(specs, AREA, tiers, 1, fixed_order=True)[0]
    check(result, specs)
    got = {p.key: p for p in result.placements}
    tier_of = {p: tiers[p.key] + (-1 if p.variant == 2 else 0) for p in result.placements}
    assert _inversions(result, tier_of) == []
    below = [p for p in result.placements if p.row >= got[1].row + got[1].rows
             and min(p.column + p.span, got[1].column + got[1].span) > max(p.column, got[1].column)]
    assert below and got[1].variant == 2   # a larger headline under it: it grew


def test_without_the_larger_shape_the_fixed_order_pays_for_the_inversion():
    # the same page with no larger headline on offer: the search reports the cost it paid
    specs = [spec(0, 4 * 30, lead=True), spec(1, 2 * 8, brief=True), spec(2, 2 * 40),
             spec(3, 4 * 14)]
    tiers = {0: 0, 1: 2, 2: 1, 3: 1}
    from layout import pagetree
    from layout.pagetree import tree_candidates
    fixed = tree_candidates(specs, AREA, tiers, 1, fixed_order=True)[0]
    free = tree_candidates(specs, AREA, tiers, 1, fixed_order=False)[0]
    assert _inversions(fixed, {p: tiers[p.key] for p in fixed.placements})
    assert not _inversions(free, {p: tiers[p.key] for p in free.placements})
    # the inversion is paid for, not hidden: free of charge, the same page costs less
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pagetree, "W_GROW", 0.0)
        pagetree._RUNS.clear()           # (the runs filled above paid W_GROW)
        free_of_it = tree_candidates(specs, AREA, tiers, 1,
                                     fixed_order=True)[0]
    assert fixed.score >= free_of_it.score + pagetree.W_GROW


def test_a_page_asked_again_is_answered_from_memory(monkeypatch):
    # layout watch: an edit that keeps every article's line count asks the same question
    import layout.pagetree as pagetree
    from layout.pagelayout import layout_options
    calls = []
    real = pagetree.tree_candidates

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(pagetree, "tree_candidates", counted)
    monkeypatch.setattr("layout.pagelayout._ANSWERS", {})
    specs = [spec(0, 4 * 30, lead=True), spec(1, 2 * 40), spec(2, 4 * 14)]
    first = layout_options(specs, AREA, engine="tree")
    again = layout_options([spec(0, 4 * 30, lead=True), spec(1, 2 * 40), spec(2, 4 * 14)],
                           AREA, engine="tree")
    assert again == first and len(calls) == 1
    longer = layout_options([spec(0, 4 * 30, lead=True), spec(1, 2 * 40 + 1), spec(2, 4 * 14)],
                            AREA, engine="tree")
    assert len(calls) == 2 and not longer[0].unplaced     # a new question is searched


def test_a_kicker_is_not_a_headline_line_for_collisions(tmp_path):
    # 碰题 is judged on the headline's own lines: the search's profile of a module with
    # a kicker (引题) and a subheadline holds its main headline's lines only, lower
    # in the block by the kicker's line
    from layout.build import new_composer, prepare
    from test_layout_pages import article, body, write_issue
    plain = article("全区人民武装工作会议召开", body(20))
    topped = article("全区人民武装工作会议召开", body(20), kicker="强化国防教育",
                     subheadline="部署2025年重点工作")
    issue = write_issue(tmp_path, [[plain, topped]])
    composer = new_composer(prepare(issue))
    page = composer.issue.pages[0]
    a, b = (composer._module(x, lead=False) for x in page.articles)
    pa, pb = composer._head_lines(a)[4], composer._head_lines(b)[4]
    assert len(pa) == len(pb) == len(a.heads[4][-1][0].lines)
    assert pb[0][0] > pa[0][0] + 0.5                 # pushed down by the kicker above it


def test_a_page_short_of_copy_keeps_its_modules_side_by_side():
    # two long articles on a page they cannot fill (a new user's page 2): the search also
    # tries the whole page's height, so they stand as verticals with white at their feet
    # rather than as two full-width bands over a white strip
    lead = ModuleSpec(0, {2: 12, 3: 7, 4: 7, 5: 7, 6: 4}, 124, lead=True)
    other = ModuleSpec(1, {2: 5, 3: 3, 4: 3, 5: 3, 6: 3}, 90)
    result = layout_page([lead, other], PageArea(COLUMNS, 74, GAP, FLEX), engine="tree")
    assert result.unplaced == () and result.collisions == 0
    # no band: a module across the page is the lead as an inset (its headline over the
    # page, its body narrowed), the other article beside that body, under the headline
    wide = [p for p in result.placements if p.span == COLUMNS]
    assert all(p.narrow for p in wide)
    lead_p = next(p for p in result.placements if p.key == 0)
    other_p = next(p for p in result.placements if p.key == 1)
    body = (lead_p.narrow_column, lead_p.narrow_column + lead_p.narrow) if lead_p.narrow \
        else (lead_p.column, lead_p.column + lead_p.span)
    assert other_p.column == body[1] or other_p.column + other_p.span == body[0]


def _top_hole(result, rows: int = 8) -> int:
    """White cells in the page's first rows (under the page header, where a hole shows)."""
    covered = {(c, r) for p in result.placements for c in range(p.column, p.column + p.span)
               for r in range(p.row, min(p.row + p.rows, rows))}
    return COLUMNS * rows - len(covered)


def test_no_hole_under_the_page_header(monkeypatch):
    # the right part of a split beside the lead starts lower to clear the lead's headline
    # (碰题); at the page's top that white is a hole under the header, and costs
    # W_DROP_TOP a cell: the lead's headline goes over the page instead
    import layout.pagetree as pagetree
    lead = ModuleSpec(0, {2: 12, 3: 7, 4: 7, 5: 7, 6: 4}, 124, lead=True)
    other = ModuleSpec(1, {2: 5, 3: 3, 4: 3, 5: 3, 6: 3}, 90)
    result = layout_page([lead, other], PageArea(COLUMNS, 74, GAP, FLEX), engine="tree")
    assert _top_hole(result) == 0 and result.collisions == 0
    monkeypatch.setattr(pagetree, "W_DROP_TOP", pagetree.W_DROP)   # as white anywhere
    # (and no price on the deep white at the lead's foot that the hole is traded for)
    monkeypatch.setattr(pagetree, "W_HOLE2", 0.0)
    monkeypatch.setattr("layout.pagelayout._ANSWERS", {})
    old = layout_page([lead, other], PageArea(COLUMNS, 74, GAP, FLEX), engine="tree")
    assert _top_hole(old) > 0


def test_rules_between_modules_meet(tmp_path):
    """Every end of a rule between modules, away from the article area's edge, meets
    another rule (a T or a corner), as rules drawn by hand do: no broken joints."""
    from layout.build import build
    pdf, report = tmp_path / "s.pdf", tmp_path / "s.json"
    build(SAMPLE, pdf, report=report, pdfx=False)
    rep = json.loads(report.read_text(encoding="utf-8"))
    ends = 0
    with pdfplumber.open(pdf) as doc:
        for page, pg in zip(rep["pages"], doc.pages):
            ax0, atop, ax1, abottom = page["area"]
            inside = [ln for ln in pg.lines if ax0 - 1 <= ln["x0"] and ln["x1"] <= ax1 + 1
                      and atop - 1 <= ln["top"] and ln["bottom"] <= abottom + 1]
            flat = [ln for ln in inside if ln["bottom"] - ln["top"] < 0.5]
            tall = [ln for ln in inside if ln["x1"] - ln["x0"] < 0.5]
            assert flat and tall

            def on_tall(x, y):
                return any(abs(t["x0"] - x) < 0.6 and t["top"] - 0.6 <= y <= t["bottom"] + 0.6
                           for t in tall)

            def on_flat(x, y):
                return any(abs(f["top"] - y) < 0.6 and f["x0"] - 0.6 <= x <= f["x1"] + 0.6
                           for f in flat)

            for f in flat:
                for x in (f["x0"], f["x1"]):
                    if ax0 + 1 < x < ax1 - 1:
                        ends += 1
                        assert on_tall(x, f["top"]), (page["page"], f["x0"], f["x1"], f["top"])
            for t in tall:
                for y in (t["top"], t["bottom"]):
                    if atop + 1 < y < abottom - 1:
                        ends += 1
                        assert on_flat(t["x0"], y), (page["page"], t["x0"], t["top"], t["bottom"])
    assert ends >= 6


def _briefs_page(pin: int = 0):
    """A lead and nine briefs of 5 to 40 body lines: far less copy than the page holds."""
    head = {**HEAD, 1: 6}
    lengths = [12, 40, 18, 25, 9, 30, 14, 22, 5]
    specs = [ModuleSpec(0, dict(HEAD), 3 * 20, lead=True)]
    specs += [ModuleSpec(k, dict(head), n, brief=True, span=pin if k == 2 else None)
              for k, n in enumerate(lengths, 1)]
    return specs


def test_a_brief_is_never_wide_nor_l_shaped():
    # a page short of copy tempted the search into briefs across five columns and briefs
    # bent round each other's corners (a staircase of insets)
    from layout.pagetree import MAX_BRIEF_SPAN
    specs = _briefs_page()
    result = lay(specs)
    assert result.unplaced == ()
    briefs = [p for p in result.placements if p.key != 0]
    assert all(p.span <= MAX_BRIEF_SPAN and not p.narrow for p in briefs), briefs


def test_a_brief_pinned_wide_keeps_its_pin():
    result = lay(_briefs_page(pin=5))
    assert {p.key: p.span for p in result.placements}[2] == 5


def test_a_page_short_of_copy_has_no_deep_hole_under_a_story(tmp_path):
    """Page 1 of short-pages.yaml is 14 lines short. Its white was all at the foot of one
    two-column story (县委常委会召开会议: its text ended 33 lines above its box's foot,
    beside the stories to its left); now no module's text ends more than 8 lines above
    the foot of its box. Measured from the glyphs in the PDF against the report's boxes."""
    from layout.build import build
    from layout.style import find_style, load_style

    issue = Path(__file__).parent / "data" / "short-pages.yaml"
    pdf, report = tmp_path / "s.pdf", tmp_path / "s.json"
    build(issue, pdf, report=report, pdfx=False)
    pitch = load_style(find_style("shangjie", issue)).body.leading
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][0]
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    deepest = {}
    for m in page["modules"]:
        x0, top, x1, bottom = m["box"]
        inside = [c["bottom"] for c in chars if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1
                  and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        assert inside, m["headline"]
        deepest[m["headline"]] = (bottom - max(inside)) / pitch
    assert page["fit"]["lines_short"] > 10, page["fit"]        # the page is short of copy
    assert max(deepest.values()) <= 8, deepest


def test_no_alternative_leaves_out_more_than_the_best():
    # a new user's page 3: layout 1 placed every article, layouts 2 and 3 (from the
    # other order) each left one out; offered as candidates, each drew as the draft's
    # makeshift of layout 1, three identical pictures, and `layout: 2` failed the build.
    # Here an over-full page: the tiered order's third best leaves out one more
    from layout.pagetree import tree_candidates
    specs = [spec(0, 74, lead=True), spec(1, 92), spec(2, 150), spec(3, 193), spec(4, 179)]
    tiers = {0: 0, 1: 1, 2: 2, 3: 1, 4: 3}
    found = tree_candidates(specs, AREA, tiers=tiers, count=3, fixed_order=False)
    assert found and all(len(f.unplaced) == len(found[0].unplaced) for f in found), \
        [f.unplaced for f in found]


def test_a_page_short_of_copy_keeps_its_white_under_the_modules_not_in_their_boxes():
    # a new user's page 8: one 524-character story, set six columns wide in a box 30
    # lines deep with 16 of them white, a ruled box round nothing, then the page's
    # white under it; the heights tied (the same white), and the taller came first
    s = spec(0, 48, lead=True)
    result = lay([s])
    (p,) = result.placements
    # its headline, its legs and at most the style's headline air: no white in its box
    assert p.rows <= HEAD[p.span] + -(-48 // p.span) + FLEX, p


def test_a_short_module_ending_above_the_page_foot_pays_for_its_hole():
    # a six-line brief in a slot 26 lines tall at the page's foot: its 15 empty lines
    # are a hole (what a short page leaves free at its foot is bounded by the module's
    # own size), while a long story ending 12 lines short there is not one
    from layout.pagetree import _Tree
    brief = ModuleSpec(0, {1: 3, 2: 3}, 6, brief=True)
    story = ModuleSpec(1, dict(HEAD), 60)
    tree = _Tree([brief, story], AREA, {0: 2, 1: 1})
    (sol,) = tree._single(0, 1, 26)
    assert sol.white == 26 - 3 - 6 - FLEX and sol.foot > 0
    (sol,) = tree._single(1, 2, HEAD[2] + 30 + FLEX + 12)
    assert sol.white == 2 * 12 and sol.foot == 0


def test_runs_found_by_one_search_answer_the_next_and_change_nothing():
    # a 转版's trial parts differ in one article: every run without it is asked again.
    # The shared fillings give the same layout as a search from nothing, and a search
    # with the last article changed searches only the runs holding it
    from layout import pagetree
    specs = [spec(0, 80, lead=True), spec(1, 40), spec(2, 30), spec(3, 50), spec(4, 20)]
    tiers = {0: 0, 1: 1, 2: 1, 3: 2, 4: 2}
    pagetree._RUNS.clear()
    first = pagetree.tree_candidates(specs, AREA, tiers, count=1)
    asked = len(pagetree._RUNS)
    again = pagetree.tree_candidates(specs, AREA, tiers, count=1)
    assert not first[0].unplaced
    assert again == first and len(pagetree._RUNS) == asked
    changed = specs[:-1] + [spec(4, 26)]
    shared = pagetree.tree_candidates(changed, AREA, tiers, count=1)
    assert 0 < len(pagetree._RUNS) - asked < asked / 2
    pagetree._RUNS.clear()
    assert pagetree.tree_candidates(changed, AREA, tiers, count=1) == shared


def test_a_short_item_with_a_photo_may_stand_across_the_page():
    # a new user's 专题 page: a 4,000-character feature with continue_on and a 135-character
    # item with its photo; briefs stand three columns at most, so the item stood beside the
    # feature in a 71-line box, half of it white, and the feature jumped with the page
    # 15 lines short. A short item with a photo may take any width (under the feature)
    from layout.compose import _side_widths
    from layout.pagetree import MAX_BRIEF_SPAN, _Tree
    head = {w: 4 for w in range(1, 7)}
    plain = ModuleSpec(1, head, 10, brief=True)
    pictured = ModuleSpec(2, head, 10, brief=True, photo_rows={w: 12 for w in range(1, 7)})
    tree = _Tree([spec(0, 200, lead=True), plain, pictured], AREA, {0: 0, 1: 1, 2: 1})
    assert max(tree._spans(plain, 6)) == MAX_BRIEF_SPAN
    assert max(tree._spans(pictured, 6)) == 6
    # ... its photo (and a portrait) a third of the page wide beside its text
    assert _side_widths(6) == (3, 4) and _side_widths(6, True) == (2, 3, 4)

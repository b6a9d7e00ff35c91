"""A module's body lines into its columns: balanced, and no widow where the balance allows.

Pure: no fonts, no PDF. The body is read down each column in turn, left to
right; every column ends within one line of the others (the module's height
is the tallest column, fixed by the page search before the lines are put).

Three shapes (compose._place_module chooses):
    column_of()    lines balanced over the module's columns, the first
                   (total % columns) columns a line taller
    inset_cells()  an inset (L-shape) module: the first wide_rows rows fill
                   every column, the rest is balanced over the narrow columns
    side_cells()   a photo in the first columns: the body runs down beside it,
                   then under it

When more than one arrangement is equally balanced (which columns take the
extra line), `marks` (from line_marks) lets the function choose one where no
column starts with the last line of a paragraph (a widow) and, after that,
none ends with the first line of a paragraph that goes on (an orphan). Where
no arrangement does better than the plain one, the plain one is kept.
"""
from __future__ import annotations

from itertools import combinations, product
from typing import Sequence

# (widow if the line starts a column, orphan if it ends one), per body line
Marks = Sequence[tuple[bool, bool]]


def line_marks(body) -> tuple[tuple[bool, bool], ...]:
    """Per line of a module's body ((Line, role, field) tuples in reading order):
    whether it is a widow at the top of a column (a paragraph's last line, the
    paragraph longer than it) and an orphan at the foot of one (a paragraph's
    first line, the paragraph going on). Body text counts, and: a byline at a
    column's top is a widow (it reads as the next story's), an item's title in a 简讯
    group an orphan at a column's foot (its text would start the next), and a 导读
    entry is kept in one column (its lines but the last have the field "teaser",
    the last "teaser_end" or "teaser_page"); not a 转版 note."""
    out = []
    prev = None
    for ln, role, field in body:
        out.append((role == "body" and ln.last and not ln.first or field in ("byline", "signoff")
                    or prev == "teaser",
                    role == "body" and ln.first and not ln.last or role == "brief_title"
                    or field == "teaser"))
        prev = field
    return tuple(out)


def column_of(k: int, total: int, columns: int) -> tuple[int, int]:
    """Column and row of body line k when total lines are balanced over columns.

    The first (total % columns) columns take one line more, so no column is
    more than one line shorter than another.
    """
    base, extra = divmod(total, columns)
    tall = base + 1
    if k < extra * tall:
        return divmod(k, tall)
    col, row = divmod(k - extra * tall, base)
    return extra + col, row


def balanced_cells(total: int, columns: int, column: int = 0,
                   marks: Marks | None = None, rows: int = 0) -> list[tuple[int, int]]:
    """(column, row) of each of total lines balanced over columns from `column`:
    column_of's arrangement, or with marks an equally balanced one with fewer
    widows (then orphans).

    rows: the column height the module has (a 简讯 group): where every balanced
    arrangement leaves a fault (an item's byline at a column's top, its title at a
    foot), columns may differ by up to ITEM_SPREAD lines within it."""
    base, extra = divmod(total, columns)
    heights = [base + (c < extra) for c in range(columns)]
    if marks and extra and base:
        tall = _best([base] * columns, range(columns), extra, marks)
        if tall is not None:
            heights = [base + (c in tall) for c in range(columns)]
    if marks and rows and _faults(heights, marks) != (0, 0):
        heights = _loosest(total, columns, rows, marks) or heights
    return _cells([0] * columns, heights, column)


ITEM_SPREAD = 3      # lines a 简讯 group's columns may differ by to keep items whole


def _loosest(total: int, columns: int, rows: int, marks: Marks) -> list[int] | None:
    """Column heights (each at most rows, summing to total, differing by at most
    ITEM_SPREAD) with the fewest faults, then the least spread, the first columns
    fullest; None if none has fewer faults than balance."""
    top = min(rows, -(-total // columns) + ITEM_SPREAD - 1)
    low = max(0, top - ITEM_SPREAD)
    best = None
    for hs in product(range(low, top + 1), repeat=columns - 1):
        last = total - sum(hs)
        if not 0 <= last <= top:
            continue
        heights = [*hs, last]
        if max(heights) - min(heights) > ITEM_SPREAD:
            continue
        key = (_faults(heights, marks), max(heights) - min(heights), [-h for h in heights])
        if best is None or key < best[0]:
            best = (key, heights)
    return best[1] if best else None


def inset_cells(total: int, p, marks: Marks | None = None) -> list[tuple[int, int]]:
    """(column, row) of each body line of an inset module, in reading order.

    p: the placement (column, span, wide_rows, narrow, narrow_column). The
    first wide_rows rows fill every column; the rest is balanced over the
    narrow columns beside the corner (the first ones take a line more; with
    marks, the ones that avoid a widow). Each column is read top to bottom
    before the next, so a reader going down a column beside the corner meets
    the text that follows.
    """
    rest = max(0, total - p.wide_rows * p.span)
    base, extra = divmod(rest, p.narrow)
    first = p.narrow_column - p.column             # the first narrow column, in the module
    tall = set(range(first, first + extra))
    if marks and extra and base:
        heights = [p.wide_rows + (base if first <= c < first + p.narrow else 0)
                   for c in range(p.span)]
        best = _best(heights, range(first, first + p.narrow), extra, marks)
        if best is not None:
            tall = best
    cells = []
    for c in range(p.column, p.column + p.span):
        cells += [(c, r) for r in range(p.wide_rows)]
        i = c - p.narrow_column
        if 0 <= i < p.narrow:
            cells += [(c, p.wide_rows + r) for r in range(base + (1 if i + first in tall else 0))]
    return cells[:total]


def side_cells(total: int, span: int, column: int, pc: int, beside: int,
               marks: Marks | None = None) -> list[tuple[int, int]]:
    """(column, row) of each body line of a module whose first pc columns hold a photo.

    The photo block takes the top `beside` rows of those columns; every column is
    filled top to bottom, then the next, all ending within one line of each other
    (the last columns give up a line each when the text is short of the box; with
    marks, the ones that avoid a widow).
    """
    if total <= (span - pc) * beside:
        # text that ends beside the photo: balanced over the columns beside it, not
        # run down the first of them to the photo's foot (a column of text, then white)
        return balanced_cells(total, span - pc, column + pc, marks)
    free = [0 if c >= pc else beside for c in range(span)]     # first free row
    height = max(beside, -(-(total + pc * beside) // span))
    short = span * height - pc * beside - total               # lines to take off the last
    full = [height - free[c] for c in range(span)]
    if marks and 0 < short < span and min(full) > 1:
        keep = _best([f - 1 for f in full], range(span), span - short, marks)
        if keep is not None:
            return _cells(free, [full[c] - (c not in keep) for c in range(span)], column)
    cells = []
    for c in range(span):
        rows = height - free[c] - (1 if c >= span - short else 0)
        cells += [(column + c, free[c] + r) for r in range(max(0, rows))]
    return cells[:total]


def _cells(tops: Sequence[int], heights: Sequence[int], column: int) -> list[tuple[int, int]]:
    return [(column + c, top + r) for c, (top, h) in enumerate(zip(tops, heights))
            for r in range(h)]


def _faults(heights: Sequence[int], marks: Marks) -> tuple[int, int]:
    """(widows, orphans) when columns of these heights take the lines in turn."""
    widows = orphans = 0
    start, total = 0, len(marks)
    for h in heights:
        end = start + h
        if h and start < total:
            widows += marks[start][0]
            if end < total:
                orphans += marks[end - 1][1]
        start = end
    return widows, orphans


def _best(base: Sequence[int], flexible: Sequence[int], extra: int, marks: Marks
          ) -> set[int] | None:
    """Which `extra` of the `flexible` columns take a line more than `base`, so the
    fewest columns start with a widow, then the fewest end with an orphan; None
    when the plain choice (the first ones) is as good as any."""
    if not any(w or o for w, o in marks):
        return None
    best, best_score = None, None
    for k, tall in enumerate(combinations(flexible, extra)):
        heights = [h + (c in tall) for c, h in enumerate(base)]
        score = _faults(heights, marks)
        if best_score is None or score < best_score:
            best, best_score = set(tall), score
        if k == 0 and score == (0, 0):
            return None                           # the plain arrangement has no fault
    first = set(list(flexible)[:extra])
    return None if best == first else best

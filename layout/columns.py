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

from functools import lru_cache
from itertools import combinations, product
from typing import Sequence

# (widow if the line starts a column, orphan if it ends one: 0, 1, or 2 for a
# crosshead's stranding), per body line
Marks = Sequence[tuple[bool, int]]


def line_marks(body) -> tuple[tuple[bool, int], ...]:
    """Per line of a module's body ((Line, role, field) tuples in reading order):
    whether it is a widow at the top of a column (a paragraph's last line, the
    paragraph longer than it) and an orphan at the foot of one (a paragraph's
    first line, the paragraph going on). Body text counts, and: a byline at a
    column's top is a widow (it reads as the next story's), an item's title in a 简讯
    group or a crosshead (and the blank line over it) an orphan at a column's foot
    (its text would start the next), and a 导读 entry is kept in one column (its
    lines but the last have the field "teaser", the last "teaser_end" or
    "teaser_page"); not a 转版 note."""
    out = []
    prev = None
    after_head = False            # the lines before this one, blanks aside, end a crosshead
    for ln, role, field in body:
        # a Q&A's question (bold) and a 编者按 (楷体) are text
        text = role in ("body", "question", "editors_note")
        first = text and ln.first and not ln.last
        # a crosshead ending a column, or with one line of its text under it, the rest
        # in the next, is the worst fault of all: 2 (_faults counts it first), and so is
        # a blank line under one (the head still ends its column's text); the blank over
        # one at a foot is a line of white: 1 (a 简讯 item's title so too: its text is
        # all in the next column)
        blank = bool(out) and out[-1][1] == 2 and not ln.runs
        # (a 导读 entry's lines but its last: an entry split across columns reads as two;
        # a stanza's so too, compose._stanzas_kept)
        stranded = (role in ("crosshead", "brief_title") or first and after_head or blank
                    or field in ("teaser", "verse"))
        after_head = role == "crosshead" or after_head and blank
        out.append((text and ln.last and not ln.first or field in ("byline", "signoff")
                    or prev == "teaser",
                    2 if stranded else int(first or field in ("teaser", "crosshead_space"))))
        prev = field
    return tuple(out)


def stops(body) -> tuple[int, ...]:
    """The lines of a module's body ((Line, role, field) tuples) that must not end a
    column while the text goes on: those line_marks gives orphan mark 2 (a crosshead's
    or a 简讯 item title's lines, a blank under one, a crosshead's first line of text,
    a 导读 entry's or a stanza's lines but its last)."""
    return tuple(k for k, (_, orphan) in enumerate(line_marks(body)) if orphan >= 2)


@lru_cache(maxsize=8192)
def fills(stop: tuple[int, ...], total: int, caps: tuple[int, ...],
          floors: tuple[int, ...] | None = None) -> bool:
    """Whether lines 0..total-1, read down the columns in turn, column c holding
    floors[c]..caps[c] lines (all the text, every column used), can go in with no
    column ending on a stop line while the text goes on. By the reachable ends of
    each column in turn (a body is a few hundred lines, a module six columns)."""
    floors = floors or (0,) * len(caps)
    ends = {0}
    for cap, floor in zip(caps, floors):
        ends = {e for s in ends for e in range(s + floor, min(s + cap, total) + 1)
                if e == total or e - 1 not in stop}
        if not ends:
            return False
    return total in ends


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
                   marks: Marks | None = None, rows: int = 0, spread: int = 0,
                   blanks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """(column, row) of each of total lines balanced over columns from `column`:
    column_of's arrangement, or with marks an equally balanced one with fewer
    widows (then orphans).

    rows, spread: the column height the module has, and how many lines its
    columns may differ by: where every balanced arrangement leaves a fault (a 简讯
    item's byline at a column's top, its title or a crosshead at a foot), the
    columns may be uneven within them. blanks: the lines that are blank; one that
    would open a column is dropped there (compose), so that column holds a line more."""
    base, extra = divmod(total, columns)
    heights = [base + (c < extra) for c in range(columns)]
    if marks and extra and base:
        tall = _best([base] * columns, range(columns), extra, marks)
        if tall is not None:
            heights = [base + (c in tall) for c in range(columns)]
    if marks and rows and spread and any(_faults(heights, marks)):
        heights = _loosest(total, columns, rows, marks, spread, blanks) or heights
    return _cells([0] * columns, heights, column)


ITEM_SPREAD = 3      # lines a 简讯 group's columns may differ by to keep items whole
CROSSHEAD_SPREAD = 2  # ... an article's, to take a crosshead from a column's foot to the next


def _loosest(total: int, columns: int, rows: int, marks: Marks, spread: int,
             blanks: frozenset[int] = frozenset(), fixed: dict[int, int] | None = None
             ) -> list[int] | None:
    """Column heights (in lines of the body, summing to total) whose columns, a blank
    opening one not counted, are each at most rows high and differ by at most
    spread, with the fewest faults, then the least spread, the first columns
    fullest; None if none has fewer faults than balance. fixed: columns whose
    height is given (an inset's corner columns, under the wide rows only)."""
    fixed = fixed or {}
    free = [c for c in range(columns) if c not in fixed]
    if not free:
        return None
    room = total - sum(fixed.values())
    more = bool(blanks)         # a column opened by a blank holds a line more
    top = min(rows + more, -(-room // len(free)) + spread - 1 + more)
    low = max(0, top - spread - 2 * more)     # a column opened by a blank is 1 taller
    best = None
    for hs in product(range(low, top + 1), repeat=len(free) - 1):
        last = room - sum(hs)
        if not 0 <= last <= top:
            continue
        heights = list(range(columns))
        for c, h in zip(free, [*hs, last]):
            heights[c] = h
        for c, h in fixed.items():
            heights[c] = h
        seen, start = {}, 0
        for c, h in enumerate(heights):
            seen[c] = h - (c > 0 and h > 0 and start in blanks)
            start += h
        tall = [seen[c] for c in free]
        if max(tall) > rows or max(tall) - min(tall) > spread:
            continue
        key = (_faults(heights, marks), max(tall) - min(tall), [-h for h in heights])
        if best is None or key < best[0]:
            best = (key, heights)
    return best[1] if best else None


def inset_cells(total: int, p, marks: Marks | None = None, rows: int = 0, spread: int = 0,
                blanks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """(column, row) of each body line of an inset module, in reading order.

    p: the placement (column, span, wide_rows, narrow, narrow_column). The
    first wide_rows rows fill every column; the rest is balanced over the
    narrow columns beside the corner (the first ones take a line more; with
    marks, the ones that avoid a widow; with rows and spread, as balanced_cells,
    uneven where that keeps a crosshead with its text). Each column is read top
    to bottom before the next, so a reader going down a column beside the corner
    meets the text that follows.
    """
    rest = max(0, total - p.wide_rows * p.span)
    base, extra = divmod(rest, p.narrow)
    first = p.narrow_column - p.column             # the first narrow column, in the module
    narrow = range(first, first + p.narrow)
    tall = set(range(first, first + extra))
    heights = [p.wide_rows + (base if c in narrow else 0) for c in range(p.span)]
    if marks and extra and base:
        best = _best(heights, narrow, extra, marks)
        if best is not None:
            tall = best
    heights = [h + (c in tall) for c, h in enumerate(heights)]
    if marks and rows and spread and rest and any(_faults(heights, marks)):
        heights = _loosest_inset(total, p, narrow, rows, marks, spread, blanks) or heights
    return _cells([0] * p.span, heights, p.column)[:total]


def _loosest_inset(total: int, p, narrow: range, rows: int, marks: Marks, spread: int,
                   blanks: frozenset[int]) -> list[int] | None:
    """_loosest for an inset: its corner columns hold the wide rows, or where that
    still leaves a fault (a crosshead at the foot of one, its text in the next) a
    line less, a line of white over the corner story rather than a stranded head."""
    corner = [c for c in range(p.span) if c not in narrow]
    best = None
    for short in range(min(2, len(corner)) + 1 if p.wide_rows else 1):
        for less in combinations(corner, short):
            fixed = {c: p.wide_rows - (c in less) for c in corner}
            heights = _loosest(total, p.span, rows, marks, spread, blanks, fixed)
            if heights is not None and (best is None or _faults(heights, marks) < best[0]):
                best = (_faults(heights, marks), heights)
        if best and not any(best[0]):
            break
    return best[1] if best else None


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


def _faults(heights: Sequence[int], marks: Marks) -> tuple[int, int, int]:
    """(stranded heads, widows, orphans) when columns of these heights take the
    lines in turn: a crosshead left at a column's foot (its orphan mark 2) counts
    before everything, a paragraph's last line at a column's top before a first
    line at a foot."""
    heads = widows = orphans = 0
    start, total = 0, len(marks)
    for h in heights:
        end = start + h
        if h and start < total:
            widows += marks[start][0]
            if end < total:
                heads += marks[end - 1][1] >= 2
                orphans += bool(marks[end - 1][1])
        start = end
    return heads, widows, orphans


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
        if k == 0 and not any(score):
            return None                           # the plain arrangement has no fault
    first = set(list(flexible)[:extra])
    return None if best == first else best

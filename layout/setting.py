"""Text setting: a paragraph of Chinese text -> justified lines of positioned runs.

Pure: no PDF, no ReportLab. Input is text, a type style, font metrics and a
measure; output is `Line`s whose runs carry x positions in points.

The pipeline, one function a stage:
    units()     text -> unbreakable units (a Han character, a punctuation mark,
                a Latin word or number, ——, a space) with widths and blanks
    squeeze()   mandatory compression of adjacent punctuation (clreq §3.1.6)
    breaks()    total-fit line breaking over the allowed break points
                (§3.1.7 prohibitions), shrinking punctuation before stretching
                (§3.1.6/§3.8 "reduce before expand"), never leaving one Han
                character alone on a paragraph's last line
    place()     justified x positions for each line
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import clreq

# Tuning numbers (ems of the text size) -------------------------------------
HALF = 0.5                 # punctuation is never squeezed below half an em
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"   # format characters: no glyph, no width
QUARTER = 0.25             # the blank each side of a middle dot
SPACE_EM = 0.3             # a space the copy puts between Chinese words (记者 王明玥)
SPACE_SHRINK_EM = 0.1      # ... which justification may narrow by this much
LONE_LAST_LINE = 10_000.0  # demerits of a last line with a single Han character
SHRINK_WEIGHT = 20.0       # cost of using all of a line's punctuation shrink
STRETCH_WEIGHT = 100.0     # cost of stretching gaps up to the style's limit
OVER_LIMIT = 3_000.0       # extra cost per em of gap beyond the limit
HYPHEN_LESS_BREAK = 50.0   # breaking between two Latin units (no space there)
URL_BREAK = 10.0           # ... where the first ends with / . - (a URL's natural joints)
DASH_OVERLAP = 0.02        # ems the two glyphs of —— overlap so no seam shows


class Metrics(Protocol):
    """What setting needs from fonts (FontBook, or a fake in tests)."""

    def face_for(self, chain: tuple[str, ...], ch: str) -> str | None: ...

    def advance(self, face: str, ch: str) -> float: ...          # em

    def ink(self, face: str, ch: str) -> tuple[float, float]: ...  # em, left/right

    # optional: has_half(face, ch) -> bool, the face has a half-width glyph for
    # the mark (drawn as face + HALF); without it marks keep their full glyph


HALF_FACE = "/half"   # suffix of a face name: its half-width punctuation glyphs


@dataclass(frozen=True)
class Run:
    """Glyphs drawn at their natural advances, starting at x."""
    text: str
    face: str
    x: float          # pt from the line's left edge (origin of the first glyph)


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float      # the measure, pt
    natural: float    # width of the content before justification, pt
    gap: float        # space added between units, pt (negative: shrunk)
    last: bool        # last line of its paragraph (not justified)
    indent: float     # pt before the first unit

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class SetText:
    """A paragraph (or headline) set into lines."""
    lines: tuple[Line, ...]
    size: float
    widest_gap: float     # widest inter-unit gap of any justified line, in em


@dataclass
class Unit:
    """One unbreakable piece of text. Widths in ems."""
    text: str
    face: str
    kind: str          # han | open | close | middle | latin | dash | space | other
    width: float       # width of its box (full em for punctuation)
    offset: float      # where the glyph origin sits inside the box
    lead: float        # blank at the box's left that may be removed
    trail: float       # blank at the box's right that may be removed
    cut_l: float = 0.0  # blank removed by adjacent-punctuation compression
    cut_r: float = 0.0
    second: float | None = None  # —— only: origin of the second glyph in the box


# -- units ---------------------------------------------------------------------

def _punct_unit(ch: str, face: str, m: Metrics) -> Unit:
    adv = m.advance(face, ch)
    left, right = m.ink(face, ch)
    if ch in clreq.OPENING:
        kind, offset = "open", max(0.0, 1.0 - adv)      # ink to the right of the box
    elif ch in clreq.CLOSING or ch in clreq.PAUSE_STOP:
        kind, offset = "close", 0.0                      # ink to the left
    else:
        kind, offset = "middle", max(0.0, (1.0 - adv) / 2)
    width = max(1.0, adv)
    # removable blank: what the ink leaves free, at most half an em (§3.1.6)
    ink_l, ink_r = offset + left, offset + right
    lead = min(HALF, max(0.0, ink_l)) if kind == "open" else 0.0
    trail = min(HALF, max(0.0, width - ink_r)) if kind == "close" else 0.0
    if kind == "middle":
        lead = trail = min(QUARTER, max(0.0, ink_l), max(0.0, width - ink_r))
    return Unit(ch, face, kind, width, offset, lead, trail)


def fullwidth_parentheses(text: str) -> str:
    """( and ) next to Chinese text as （ and ） (clreq §3.1.3; a house-style choice)."""
    if "(" not in text and ")" not in text:
        return text
    out = list(text)
    for i, ch in enumerate(text):
        if ch in "()":
            near = text[i - 1:i] + text[i + 1:i + 2]
            if any(clreq.is_han(c) or c in clreq.PAUSE_STOP for c in near):
                out[i] = "（" if ch == "(" else "）"
    return "".join(out)


def units(text: str, chain: tuple[str, ...], m: Metrics, tracking: float = 0.0) -> list[Unit]:
    """Split text into units; with tracking (letter-spaced titles) every character is one."""
    out: list[Unit] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        face = m.face_for(chain, ch) or chain[0]
        pair = text[i:i + 2]
        if pair in clreq.TWO_EM:
            w = sum(m.advance(face, c) for c in pair)
            offset, second = 0.0, None
            if pair == "——":
                # the two halves of a 破折号 must read as one unbroken line:
                # butt the second glyph's ink against the first's
                left, right = m.ink(face, "—")
                ink = right - left - DASH_OVERLAP
                offset = (w - 2 * ink - DASH_OVERLAP) / 2 - left
                second = offset + ink
            out.append(Unit(pair, face, "dash", w, offset, 0.0, 0.0, second=second))
            i += 2
            continue
        if ch.isspace() or ch in ZERO_WIDTH:
            # 　 (U+3000) keeps its em; any other space (tab, no-break, en space)
            # is a word space; zero-width marks only allow a break
            w = 1.0 if ch == "\u3000" else 0.0 if ch in ZERO_WIDTH else SPACE_EM
            out.append(Unit(" ", face, "space", w, 0.0, 0.0, 0.0))
            i += 1
            continue
        if (ch.isascii() or ch in "￥¥＄￡£№−") and not tracking:
            mt = clreq.LATIN_UNIT.match(text, i)
            if mt and mt.end() > i:
                word = mt.group()
                w = sum(m.advance(m.face_for(chain, c) or face, c) for c in word)
                out.append(Unit(word, face, "latin", w, 0.0, 0.0, 0.0))
                i = mt.end()
                continue
        if ch in clreq.FULL_WIDTH and ch not in "—…～":
            out.append(_punct_unit(ch, face, m))
        elif clreq.is_han(ch):
            out.append(Unit(ch, face, "han", m.advance(face, ch), 0.0, 0.0, 0.0))
        else:
            out.append(Unit(ch, face, "other", m.advance(face, ch), 0.0, 0.0, 0.0))
        i += 1
    if tracking:
        for u in out:
            u.width += tracking
    return out


def latin_glue(us: list[Unit], space: float) -> list[Unit]:
    """Space between Han and Latin/digits (clreq §3.2.2), as the style asks.

    A glue unit is invisible and disappears at a line's start or end; none is
    put beside punctuation.
    """
    if space <= 0:
        return us
    out: list[Unit] = []
    for a, b in zip(us, us[1:] + [None]):
        out.append(a)
        if b is not None and {a.kind, b.kind} == {"han", "latin"}:
            out.append(Unit(" ", a.face, "space", space, 0.0, 0.0, 0.0))
    return out


def squeeze(us: list[Unit]) -> None:
    """Compress adjacent punctuation so no pair shows a full em of white (§3.1.6)."""
    for a, b in zip(us, us[1:]):
        if a.kind == "close" and b.kind in ("close", "open", "middle"):
            a.cut_r = a.trail            # ）、 。” ，“ : the first mark gives up its blank
        elif a.kind == "open" and b.kind == "open":
            b.cut_l = b.lead             # （《 : the second mark gives up its blank
        elif a.kind == "middle" and b.kind == "open":
            b.cut_l = b.lead


def _split_wide(us: list[Unit], measure: float, m: Metrics) -> list[Unit]:
    """A Latin unit wider than the measure (a long URL) is split into characters."""
    if all(u.width <= measure for u in us):
        return us
    out = []
    for u in us:
        if u.kind == "latin" and u.width > measure:
            out += [Unit(c, u.face, "latin", m.advance(u.face, c), 0.0, 0.0, 0.0) for c in u.text]
        else:
            out.append(u)
    return out


# -- line breaking -------------------------------------------------------------

def _can_break(prev: Unit, nxt: Unit, no_start: frozenset, no_end: frozenset) -> bool:
    """May a line end after prev and the next start with nxt?"""
    if nxt.kind == "dash":
        # —— and …… may start a line at the basic level, not at the strict one
        return "…" not in no_start
    if prev.text in ("）", ")") and nxt.kind == "latin":
        return False                     # a code such as （豫）LA202016 stays whole
    if nxt.text[0] in no_start or prev.text[-1] in no_end:
        return False
    return True


@dataclass
class _Fit:
    cost: float
    prev: int


def breaks(us: list[Unit], measure: float, first_indent: float, *, kinsoku: str,
           line_end_half: bool, max_gap: float, justify_last: bool = False) -> list[int]:
    """Indices where lines end (exclusive), chosen by total fit.

    measure and first_indent are in ems of the text size.
    """
    n = len(us)
    if kinsoku == "none":
        no_start = no_end = frozenset()
    else:
        no_start, no_end = clreq.no_line_start(kinsoku), clreq.no_line_end(kinsoku)
    # prefix sums: box widths less mandatory cuts; optional shrink of each unit
    wsum = [0.0] * (n + 1)
    shrink = [0.0] * (n + 1)
    for i, u in enumerate(us):
        wsum[i + 1] = wsum[i] + u.width - u.cut_l - u.cut_r
        s = 0.0
        if u.kind == "close" and not u.cut_r:
            s = u.trail
        elif u.kind == "open" and not u.cut_l:
            s = u.lead
        elif u.kind == "space":
            s = SPACE_SHRINK_EM
        shrink[i + 1] = shrink[i] + s
    ok = [True] * (n + 1)          # ok[b]: a line may end before unit b
    for b in range(1, n):
        ok[b] = _can_break(us[b - 1], us[b], no_start, no_end)

    best: list[_Fit | None] = [None] * (n + 1)
    best[0] = _Fit(0.0, -1)
    for b in range(1, n + 1):
        if not ok[b]:
            continue
        last = b == n
        for a in range(b - 1, -1, -1):
            fa = best[a]
            avail = measure - (first_indent if a == 0 else 0.0)
            lo, hi = a, b
            while lo < hi and us[lo].kind == "space":
                lo += 1
            while hi > lo and us[hi - 1].kind == "space":
                hi -= 1
            if hi <= lo:
                continue
            width = wsum[hi] - wsum[lo]
            tail = us[hi - 1]
            # the mark ending the line: its blank goes (line-end half width)
            if line_end_half and tail.kind == "close" and not last:
                width -= tail.trail - tail.cut_r
            # a mark's shrink is not available at the line's ends: the last
            # unit's blank is handled above, an opening mark starting a line keeps its own
            sh = shrink[hi - 1] - shrink[lo]
            if us[lo].kind == "open" and hi - 1 > lo:
                sh -= shrink[lo + 1] - shrink[lo]
            if width - sh > avail + 1e-9 and a < b - 1:
                break                        # longer lines only get wider
            if fa is None:
                continue
            cost = _line_cost(us, lo, hi, width, sh, avail, last and not justify_last, max_gap)
            if a > 0 and us[a - 1].kind == "latin" and us[a].kind == "latin":
                # inside a URL split by characters: after / . - and the like if possible
                cost += URL_BREAK if us[a - 1].text[-1] in "/.-_?&=#@" else HYPHEN_LESS_BREAK
            total = fa.cost + cost
            if best[b] is None or total < best[b].cost:
                best[b] = _Fit(total, a)
    if best[n] is None:
        # prohibitions left no way through (a run of opening marks, say):
        # break anywhere rather than lose text
        return breaks(us, measure, first_indent, kinsoku="none", line_end_half=line_end_half,
                      max_gap=max_gap, justify_last=justify_last)
    ends, b = [], n
    while b > 0:
        ends.append(b)
        b = best[b].prev
    return ends[::-1]


def _line_cost(us, lo, hi, width, sh, avail, last, max_gap) -> float:
    if last:
        # 孤字: a last line with a single Han character (and punctuation)
        han = sum(1 for u in us[lo:hi] if u.kind == "han")
        other = sum(1 for u in us[lo:hi] if u.kind not in ("han", "close", "open", "middle"))
        if han == 1 and not other and lo > 0:
            return LONE_LAST_LINE
        return 0.0 if width <= avail + 1e-9 else SHRINK_WEIGHT * ((width - avail) / sh) ** 2
    slack = avail - width
    if slack < -1e-9:
        return SHRINK_WEIGHT * (-slack / sh) ** 2 if sh else 1e9
    gaps = hi - lo - 1
    if gaps <= 0:
        return STRETCH_WEIGHT * 10 * slack
    g = slack / gaps
    cost = STRETCH_WEIGHT * (g / max_gap) ** 2
    if g > max_gap:
        cost += OVER_LIMIT * (g - max_gap) * gaps
    return cost


# -- placing -------------------------------------------------------------------

def place(us: list[Unit], lo: int, hi: int, avail: float, indent: float, *, last: bool,
          line_end_half: bool, size: float, measure: float, m: Metrics | None = None,
          trim_last: bool = False) -> tuple[Line, float]:
    """Positions for one line; returns the line and its gap in ems.

    last: the line is not justified. A closing mark ending a justified line
    gives up its blank half (line_end_half); so does one ending an unjustified
    line that is ranged to an edge or centred (trim_last), so its ink, not its
    blank, meets the edge.
    """
    while lo < hi and us[lo].kind == "space":
        lo += 1
    while hi > lo and us[hi - 1].kind == "space":
        hi -= 1
    line = us[lo:hi]
    cuts_l = [u.cut_l for u in line]
    cuts_r = [u.cut_r for u in line]
    if line_end_half and line and line[-1].kind == "close" and (not last or trim_last):
        cuts_r[-1] = line[-1].trail
    natural = sum(u.width - l - r for u, l, r in zip(line, cuts_l, cuts_r))
    slack = avail - natural
    gap = 0.0
    if slack < -1e-9:
        # shrink punctuation (and spaces) in proportion to what each can give
        room = []
        for i, u in enumerate(line):
            if u.kind == "close" and not cuts_r[i] and i < len(line) - 1:
                room.append(("r", i, u.trail))
            elif u.kind == "open" and not cuts_l[i] and i > 0:
                room.append(("l", i, u.lead))
            elif u.kind == "space":
                room.append(("s", i, SPACE_SHRINK_EM))
        total = sum(r for _, _, r in room)
        ratio = min(1.0, -slack / total) if total else 0.0
        extra_space_cut = {}
        for side, i, r in room:
            if side == "r":
                cuts_r[i] += r * ratio
            elif side == "l":
                cuts_l[i] += r * ratio
            else:
                extra_space_cut[i] = r * ratio
        for i, c in extra_space_cut.items():
            cuts_r[i] += c
    elif not last and len(line) > 1:
        gap = slack / (len(line) - 1)
    runs, x = [], indent
    has_half = getattr(m, "has_half", None)
    for i, u in enumerate(line):
        if u.second is not None:
            runs.append(Run(u.text[0], u.face, (x + u.offset) * size))
            runs.append(Run(u.text[1], u.face, (x + u.second) * size))
        elif u.kind != "space":
            face, origin = u.face, x - cuts_l[i] + u.offset
            half = (u.kind == "close" and cuts_r[i] >= HALF - 1e-9) or \
                   (u.kind == "open" and cuts_l[i] >= HALF - 1e-9)
            opens_pair = (u.kind == "open" and not cuts_l[i] and i + 1 < len(line)
                          and line[i + 1].kind == "open" and cuts_l[i + 1] >= HALF - 1e-9)
            if half and has_half and u.width == 1.0 and has_half(u.face, u.text):
                # a half-width glyph: its box is what the line gives the mark
                face, origin = u.face + HALF_FACE, x
            elif opens_pair and has_half and u.width == 1.0 and has_half(u.face, u.text):
                # （“ : the first mark keeps its blank as space before a half-width
                # glyph, so the pair's glyph boxes sit half an em apart like its inks
                face, origin = u.face + HALF_FACE, x + HALF
            runs.append(Run(u.text, face, origin * size))
        x += u.width - cuts_l[i] - cuts_r[i] + gap
    return Line(tuple(runs), measure * size, natural * size, gap * size, last, indent * size), gap


def set_text(text: str, chain: tuple[str, ...], size: float, measure_pt: float, m: Metrics, *,
             indent_em: float = 0.0, kinsoku: str = "basic", line_end_half: bool = True,
             max_gap_em: float = 0.25, justify: bool = True, tracking_em: float = 0.0,
             latin_space_em: float = 0.0, fullwidth_parens: bool = False,
             trim_last: bool = False) -> SetText:
    """Set one paragraph into justified lines of measure_pt.

    trim_last: the text is ranged right or centred (a byline, a headline), so
    a closing mark ending its last line gives up its blank half too.
    """
    if fullwidth_parens:
        text = fullwidth_parentheses(text)
    us = latin_glue(units(text, chain, m, tracking_em), latin_space_em)
    if not us:
        return SetText((), size, 0.0)
    squeeze(us)
    measure = measure_pt / size
    us = _split_wide(us, measure, m)
    ends = breaks(us, measure, indent_em, kinsoku=kinsoku, line_end_half=line_end_half,
                  max_gap=max_gap_em, justify_last=False)
    lines, start, widest = [], 0, 0.0
    for k, end in enumerate(ends):
        last = end == len(us) or not justify
        indent = indent_em if k == 0 else 0.0
        line, gap = place(us, start, end, measure - indent, indent, last=last,
                          line_end_half=line_end_half, size=size, measure=measure, m=m,
                          trim_last=trim_last)
        widest = max(widest, gap)
        lines.append(line)
        start = end
    return SetText(tuple(lines), size, widest)

"""Text setting: a paragraph of Chinese text -> justified lines of positioned runs.

Pure: no PDF, no ReportLab. Input is text, a type style, font metrics and a
measure; output is `Line`s whose runs carry x positions in points.

The pipeline, one function a stage:
    units()     text -> unbreakable units (a Han character, a punctuation mark,
                a Latin word or number, ——, a space) with widths and blanks; a
                quote or apostrophe inside Latin text (latin_quotes) goes with its
                word, drawn from the face's Latin companion on a proportional glyph
    squeeze()   mandatory compression of adjacent punctuation (clreq §3.1.6)
    breaks()    total-fit line breaking over the allowed break points
                (§3.1.7 prohibitions), shrinking punctuation before stretching
                (§3.1.6/§3.8 "reduce before expand"), never leaving one Han
                character (or only punctuation) alone on a paragraph's last line
    place()     justified x positions for each line

Breaking runs in two passes. The first keeps every rule: prohibitions and
numbers whole, and a URL or address that fits the measure whole unless that
costs a loose line or a line letterspaced inside the address (then it breaks
after // / . - ?, at a cost: after @ or / rather than at a . inside a name, and
not before a short last piece such as cn). Only if that leaves no way through (a chain that
may not be split is wider than the measure) does a second pass relax, each
relaxation at a cost so it is used only where it is needed: a number or code
breaks at its joints, a line-start opening bracket gives up its blank half,
and, last, a prohibition is broken; such a line is reported in `Line.broken`.
The rules are never switched off for the paragraph.

Justification (clreq §3.8 and the house rules): word spaces between Latin
words stretch first, to at most half an em; then the gaps between Han
characters; the gap between Han and Latin at most a quarter em while other
gaps can take the rest; Latin letters are never spaced apart. A tight line
shrinks word spaces first, then ，、；：, then 。？！ (？！ by a quarter em at most,
so they keep their full glyph), then brackets and quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Protocol

from . import clreq

# Tuning numbers (ems of the text size) -------------------------------------
HALF = 0.5                 # punctuation is never squeezed below half an em
PARTLY_SHRINK_EM = 0.25    # the most a tight line takes from a mid-line ？ or ！
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
URL_CHAR_BREAK = 12_000.0  # a URL broken between two letters (a piece too wide to keep):
                           # taken over a line whose gaps open beyond about 1.5 em
DASH_OVERLAP = 0.02        # ems the two glyphs of —— overlap so no seam shows
SPACE_MAX_EM = 0.5         # a word space stretches to at most this (before Han gaps do)
BOUNDARY_MAX_EM = 0.25     # the Han-Latin gap, while other gaps can take the stretch
LATIN_TRACK_MAX_EM = 0.1    # the most a gap between a Latin word's pieces takes
NUMBER_UNIT_BREAK = 3_000.0  # 10月22 | 日, 34389.2 | 亿元: avoided, not banned
PRICE_UNIT_BREAK = 12_000.0  # a price or a rate from its unit (13.50 | 元/斤, 42 | 微克/立方米):
                             # read as one figure like ￥80, parted only where the line before
                             # would open its gaps past about three quarters of an em
LATIN_NUMBER_BREAK = 3_000.0  # iPhone | 16, Windows | 11 at the copy's space: avoided too
DIGIT_GROUPS_BREAK = 6_000.0  # 6222 | 1234 5678, 400 800 | 1234: an account or telephone
                              # number read off the page, split only to spare gaps of ~0.4 em
UNIT_BREAK = 6_000.0       # inside a unit (100km/ | h, 1.5kW· | h) or a range of numbers
                           # (3%— | 5%): avoided unless the line would be very loose
NAME_DOT_BREAK = 3_000.0   # after the 间隔号 of a foreign name (托马斯· | 米勒): avoided too
NAME_DOTS = frozenset("·•・")
URL_FITS_BREAK = 2_000.0   # a URL that fits the measure broken at a joint: only to
                           # spare a line gaps of about 0.3 em, or letterspacing
URL_DOT_BREAK = 1_000.0    # ... more at a . or - inside its name (service@zz. | gov.cn): the line
                           # reads as ending on a full stop, the name as two; @ or / first
URL_TAIL_BREAK = 1_000.0   # any URL broken before a short last piece (www.12315. | cn）)
CODE_BREAK = 2_000.0       # a telephone number at its hyphen, beyond URL_FITS_BREAK: it is
                           # read off the page and dialled, so an address is broken first
URL_LOOSE = 2_000.0        # a loose line holding a URL that fits, or just before one: what
                           # breaking it at @ or / costs, so that is done where it sets better
LETTERSPACE_FREE = 0.05    # ems a URL alone on its line may open between its pieces ...
LETTERSPACED = 6_000.0     # ... and the cost per em beyond that, per gap
# second pass only (see breaks): costs of the relaxations
OPEN_START_SHRINK = 1_000.0  # a line-start opening bracket set at half width
BROKEN_RULE = 1_000_000.0  # a prohibition broken: only where nothing else will do


class Metrics(Protocol):
    """What setting needs from fonts (FontBook, or a fake in tests)."""

    def face_for(self, chain: tuple[str, ...], ch: str) -> str | None: ...

    def advance(self, face: str, ch: str) -> float: ...          # em

    def ink(self, face: str, ch: str) -> tuple[float, float]: ...  # em, left/right

    # optional: has_half(face, ch) -> bool, the face has a half-width glyph for
    # the mark (drawn as face + HALF); without it marks keep their full glyph
    # optional: latin_face(face, ch) -> str | None, the face's Latin companion when it
    # has a proportional glyph for the quote ch (see latin_quotes); without it, none


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
    broken: str = ""  # the rule this line had to break to set the text, if any
    first: bool = False  # first line of its paragraph (with last: a one-line paragraph)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class SetText:
    """A paragraph (or headline) set into lines."""
    lines: tuple[Line, ...]
    size: float
    widest_gap: float     # widest inter-unit gap of any justified line, in em

    @property
    def broken(self) -> tuple[tuple[int, str], ...]:
        """(line index, rule) of every line that had to break a rule."""
        return tuple((k, ln.broken) for k, ln in enumerate(self.lines) if ln.broken)


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
    url: int = 0        # pieces of one URL or address share a number (0: not a URL)
    joint: bool = False  # a URL piece ending at a joint (// / . - ?): a natural break after it
    address: bool = False  # (URL pieces) of a URL or e-mail, not a number cut at its joints
    joint_cost: float = 0.0  # (a joint) what a break here costs beyond the joint's base cost
    fits: bool = True   # (URL pieces) the whole URL fits the measure: keep it whole if we can
    nostart: bool = False  # may not start a line, whatever its text (a closing straight quote)
    noend: bool = False    # may not end a line (an opening straight quote)
    glue: bool = False     # a Han-Latin space the style adds (not a word space of the copy)
    # (Latin units) the face of each character, where a quote inside Latin text is
    # drawn from the face's Latin companion (latin_quotes); None: all in `face`
    cfaces: tuple[str, ...] | None = None


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


_OPENS_BEFORE = frozenset(" \t\n\u3000([{（《【「『“‘—：:，、")
_CLOSES_BEFORE = frozenset(" \t\n\u3000)]}.,;:!?，。、；：？！）》】」』”’…—")


def _straight_quote_closes(text: str, i: int, seen: int) -> bool:
    """Whether the straight quote text[i] closes a quotation: by what is beside it,
    else by count (the second, fourth ... of its kind in the paragraph)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in _OPENS_BEFORE:
        return False
    if after in _CLOSES_BEFORE:
        return True
    return seen % 2 == 1


CURLY_QUOTES = frozenset("‘’“”")
_OPEN_QUOTE_OF = {"”": "“", "’": "‘"}


def _latin_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _chinese_char(ch: str) -> bool:
    """Han, or a mark Chinese sets full width (a curly quote itself is neither side)."""
    if not ch or ch in CURLY_QUOTES:
        return False
    o = ord(ch)
    return (clreq.is_han(ch) or ch in clreq.FULL_WIDTH or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF)


def latin_quotes(text: str) -> frozenset[int]:
    """Indices of the curly quotes ‘’“” of text that stand inside Latin text.

    Those take a proportional glyph (the face's Latin companion); every other
    quote is a Chinese mark, set on a full em. Inside Latin text are:
    an apostrophe between Latin letters or digits (You’ll); both quotes of a
    pair “…” or ‘…’ whose content has a Latin letter or digit and nothing
    Chinese, with nothing Chinese just outside it (He said “OK” then); an
    unpaired quote with a Latin letter or digit on one side and nothing
    Chinese on the other (the students’ work). 他说“OK”。 keeps its full-width
    quotes: they are beside Chinese.
    """
    if not CURLY_QUOTES.intersection(text):
        return frozenset()
    n = len(text)

    def at(j: int) -> str:
        return text[j] if 0 <= j < n else ""

    out: set[int] = set()
    open_at: dict[str, list[int]] = {"“": [], "‘": []}
    lone: list[int] = []
    for i, ch in enumerate(text):
        if ch not in CURLY_QUOTES:
            continue
        if ch == "’" and _latin_char(at(i - 1)) and _latin_char(at(i + 1)):
            out.add(i)                                    # an apostrophe: You’ll
        elif ch in open_at:
            open_at[ch].append(i)
        elif open_at[_OPEN_QUOTE_OF[ch]]:
            j = open_at[_OPEN_QUOTE_OF[ch]].pop()
            inner = text[j + 1:i]
            if (any(map(_latin_char, inner)) and not any(map(_chinese_char, inner))
                    and not _chinese_char(at(j - 1)) and not _chinese_char(at(i + 1))):
                out.update((j, i))
        else:
            lone.append(i)
    lone += open_at["“"] + open_at["‘"]
    for i in lone:
        before, after = at(i - 1), at(i + 1)
        if ((_latin_char(before) and not _chinese_char(after))
                or (_latin_char(after) and not _chinese_char(before))):
            out.add(i)
    return frozenset(out)


def _latin_faces(word: str, start: int, face: str, chain: tuple[str, ...], m: Metrics,
                 inside: frozenset[int]) -> tuple[float, tuple[str, ...] | None]:
    """A Latin unit's width (em), and its characters' faces if a quote inside Latin
    text (text index in `inside`) is drawn from the Latin companion."""
    companion = getattr(m, "latin_face", None)
    width, faces, other = 0.0, [], False
    for k, c in enumerate(word):
        f = m.face_for(chain, c) or face
        if start + k in inside and companion is not None:
            lf = companion(f, c)
            if lf is not None:
                width += m.advance(lf, c)
                faces.append(lf)
                other = True
                continue
        width += m.advance(f, c)
        faces.append(face)
    return width, (tuple(faces) if other else None)




_LATIN_SIGNS = clreq.LATIN_SIGNS   # (a module global: read once a character)


def _latin_end(text: str, i: int, inside: frozenset[int]) -> int:
    """Where the Latin unit starting at text[i] ends (i: none starts there).

    A unit is a word (clreq.LATIN_UNIT) with the quotes inside Latin text
    (`inside`, from latin_quotes) that open it or close it, and after an
    apostrophe what follows it (90’s)."""
    n, end = len(text), i
    while end in inside and text[end] in "“‘":
        end += 1
    while end < n:
        if text[end].isascii() or text[end] in _LATIN_SIGNS:
            mt = clreq.LATIN_UNIT.match(text, end)
            if mt and mt.end() > end:
                end = mt.end()
        q = end
        while q in inside and text[q] in "”’":
            q += 1
        if q == end:
            break
        end = q
        if not (text[end - 1] == "’" and end < n and _latin_char(text[end])):
            break
    return end


def units(text: str, chain: tuple[str, ...], m: Metrics, tracking: float = 0.0,
          middle_half: bool = True) -> list[Unit]:
    """Split text into units; with tracking (letter-spaced titles) every character is one.

    middle_half: a middle dot · takes half an em, a quarter em of blank given up
    each side (GB/T 15834); else a full em.
    """
    out: list[Unit] = []
    i, n = 0, len(text)
    quotes = {'"': 0, "'": 0}
    # quotes inside Latin text go with their word, on a proportional glyph
    inside = latin_quotes(text) if not tracking and getattr(m, "latin_face", None) else \
        frozenset()
    while i < n:
        ch = text[i]
        face = m.face_for(chain, ch) or chain[0]
        if ch == clreq.TWO_EM_DASH:
            # ⸺ is one two-em unit whatever the font draws: its glyph centred in 2 em
            adv = m.advance(face, ch)
            w = max(2.0, adv)
            out.append(Unit(ch, face, "dash", w, (w - adv) / 2, 0.0, 0.0))
            i += 1
            continue
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
        if ((ch.isascii() or ch in _LATIN_SIGNS) and not tracking) or i in inside:
            end = _latin_end(text, i, inside)
            if end > i:
                word = text[i:end]
                if inside:
                    j = i
                    while j < end - 1 and j in inside:
                        j += 1                        # the unit's face: its first letter's
                    face = m.face_for(chain, text[j]) or face
                    w, faces = _latin_faces(word, i, face, chain, m, inside)
                else:
                    w, faces = sum(m.advance(m.face_for(chain, c) or face, c) for c in word), None
                out.append(Unit(word, face, "latin", w, 0.0, 0.0, 0.0,
                                url=1 if clreq.URL_OR_MAIL.match(word.lstrip("“‘")) else 0,
                                cfaces=faces))
                i = end
                continue
        if ch in clreq.FULL_WIDTH and ch not in "—…～":
            u = _punct_unit(ch, face, m)
            if u.kind == "middle" and middle_half:
                u.cut_l, u.cut_r = u.lead, u.trail
            out.append(u)
        elif clreq.is_han(ch):
            out.append(Unit(ch, face, "han", m.advance(face, ch), 0.0, 0.0, 0.0))
        else:
            u = Unit(ch, face, "other", m.advance(face, ch), 0.0, 0.0, 0.0)
            if ch in quotes:
                # a straight quote: a closing one never starts a line, an opening one never ends it
                closes = _straight_quote_closes(text, i, quotes[ch])
                quotes[ch] += 1
                u.nostart, u.noend = closes, not closes
            out.append(u)
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
            out.append(Unit(" ", a.face, "space", space, 0.0, 0.0, 0.0, glue=True))
    return out


def squeeze(us: list[Unit]) -> None:
    """Compress adjacent punctuation so no pair shows a full em of white (§3.1.6)."""
    for a, b in zip(us, us[1:]):
        if a.text in clreq.DOUBLE_STOP and b.text in clreq.DOUBLE_STOP:
            a.cut_r, b.cut_r = a.trail, b.trail   # ？！ and ！？ take one em together
        elif a.kind == "close" and b.kind in ("close", "open", "middle"):
            a.cut_r = a.trail            # ）、 。” ，“ : the first mark gives up its blank
        elif a.kind == "open" and b.kind == "open":
            b.cut_l = b.lead             # （《 : the second mark gives up its blank
        elif a.kind == "middle" and b.kind == "open":
            b.cut_l = b.lead


def _latin_piece(u: Unit, text: str, m: Metrics, start: int = 0, **kw) -> Unit:
    """The piece of Latin unit u that is text, starting at u.text[start]."""
    faces = u.cfaces[start:start + len(text)] if u.cfaces else None
    if faces and all(f == u.face for f in faces):
        faces = None
    width = sum(m.advance(f, c) for f, c in zip(faces or [u.face] * len(text), text))
    return Unit(text, u.face, "latin", width, 0.0, 0.0, 0.0, url=u.url, cfaces=faces, **kw)


_SCHEME = re.compile(r"https?://|www\.|[a-z]+://")
# a telephone number's hyphen: digits, then five or more (0938-5510001, 400-820-8820 has
# two); not a range of years (2024-2025) nor a code (COVID-19), which stay whole
_HYPHEN = re.compile(r"(?<=[0-9])-(?=[0-9]{3}-[0-9]|[0-9]{5})")
# a range's dash between two times (8:30—17:30): it may end a line, never start one
# (GB/T 15834's 连接号), at a telephone number's cost
_RANGE = re.compile(r"(?<=[0-9]:[0-9]{2})[—–～~](?=[0-9]{1,2}:[0-9]{2})")


def _hyphenated(u: Unit) -> bool:
    """A Latin unit that is a telephone number joined by hyphens, or a range of times
    joined by a dash (8:30—17:30)."""
    return u.kind == "latin" and bool(_HYPHEN.search(u.text) or _RANGE.search(u.text))


def _split_wide(us: list[Unit], measure: float, m: Metrics, relaxed: bool = False) -> list[Unit]:
    """URLs and addresses into pieces that end at their joints (// / . - ?), so a
    line may break there; a piece or a Latin unit wider than the measure into characters.

    relaxed (the second pass): every Latin unit with a joint (0371-65795000) is
    split so, to break there rather than break a rule.
    """
    if not relaxed and all(u.width <= measure and not u.url and not _hyphenated(u)
                           for u in us):
        return us
    out, url = [], 0
    for u in us:
        coded = not relaxed and not u.url and _hyphenated(u) and u.width <= measure
        if u.kind == "latin" and (u.url or u.width > measure or coded
                                  or (relaxed and clreq.URL_JOINT.search(u.text[:-1]))):
            # a URL, or a number or code wider than the measure (0371-65795000 in 5 em):
            # in pieces ending at its joints. A code that fits (a telephone number
            # 0938-5510001) breaks only at its hyphens, at more than a URL that fits:
            # kept whole unless that leaves a line such as 咨询电话： with 1.6 em gaps
            address = bool(clreq.URL_OR_MAIL.match(u.text.lstrip("“‘")))   # as units() has it
            url += 1
            u.url = url
            fits = u.width <= measure
            pieces, start = [], 0
            joints = (_HYPHEN.finditer(u.text), _RANGE.finditer(u.text)) if coded else \
                (clreq.URL_JOINT.finditer(u.text),)
            for j in sorted((j for found in joints for j in found), key=lambda j: j.start()):
                if j.end() < len(u.text) and j.end() > start:
                    pieces.append(u.text[start:j.end()])
                    start = j.end()
            pieces.append(u.text[start:])
            at = 0
            for k, piece in enumerate(pieces):
                # its scheme or www. (https:// www.): kept whole, and with what follows
                prefix = not coded and bool(_SCHEME.fullmatch(piece)) and all(
                    _SCHEME.fullmatch(q) for q in pieces[:k])
                cost = CODE_BREAK if coded else _address_joint(pieces, k, fits) if address else 0.0
                p = _latin_piece(u, piece, m, at, joint=k < len(pieces) - 1, fits=fits,
                                 address=address, joint_cost=cost)
                if coded or prefix and p.width + 1.0 <= measure:
                    out.append(p)
                else:
                    # between letters too, at a cost: a URL wider than the measure must
                    # break so, one that fits only where its joints leave a line with
                    # gaps past about 1.2 em (或登录www. | dfgongjiao.com in 13 em)
                    chars = [_latin_piece(u, c, m, at + q, fits=fits, address=address)
                             for q, c in enumerate(piece)]
                    chars[-1].joint, chars[-1].joint_cost = p.joint, p.joint_cost
                    out += chars
                at += len(piece)
        else:
            out.append(u)
    return out


def _address_joint(pieces: list[str], k: int, fits: bool) -> float:
    """What a break after pieces[k] of a URL or e-mail address costs beyond its base."""
    cost = 0.0
    if fits and pieces[k][-1] in ".-":
        cost += URL_DOT_BREAK
    if k == len(pieces) - 2 and len(pieces[-1]) <= 3:
        cost += URL_TAIL_BREAK
    return cost


# -- line breaking -------------------------------------------------------------

def _penalty(prev: Unit, nxt: Unit, no_start: frozenset, no_end: frozenset,
             relaxed: bool) -> float | None:
    """Cost of a line ending after prev and the next starting with nxt; None: not allowed."""
    if prev.url and prev.url == nxt.url:
        if prev.joint:                     # a URL that fits a line is kept whole unless that
            base = URL_FITS_BREAK if prev.fits else URL_BREAK     # leaves a loose line
            return base + prev.joint_cost
        if prev.text[-1].isalnum() and nxt.text[0].isalnum():
            return URL_CHAR_BREAK
        return BROKEN_RULE if relaxed else None      # inside // or before a joint
    if nxt.kind == "dash":
        # —— and …… may start a line at the basic level, not at the strict one
        if "…" not in no_start:
            return 0.0
        return BROKEN_RULE if relaxed else None
    if ((prev.text in ("）", ")") and nxt.kind == "latin")   # a code such as （豫）LA202016
            or nxt.text[0] in no_start or nxt.nostart
            or prev.text[-1] in no_end or prev.noend or _joins(prev, nxt)):
        return BROKEN_RULE if relaxed else None
    if prev.kind == "latin":
        if nxt.kind == "latin":            # a long word split by characters
            return URL_BREAK if prev.text[-1] in "/.-?&=#@" else HYPHEN_LESS_BREAK
        if nxt.text in clreq.NUMBER_UNITS and prev.text[-1].isdigit():
            return NUMBER_UNIT_BREAK       # 10月22 | 日, 凌晨1 | 点
    if prev.text[-1] in NAME_DOTS and clreq.is_han(nxt.text[0]):
        return NAME_DOT_BREAK              # 托马斯· | 米勒: a foreign name kept whole
    if _inside_unit(prev, nxt):
        return UNIT_BREAK                  # 100km/ | h, 3%— | 5%
    return 0.0


def _joins(prev: Unit, nxt: Unit) -> bool:
    """A break between prev and nxt would split a joining sign (clreq.JOINERS: + & ×)
    from a part of its term: 5G | +工业互联网, 7× | 24小时 (a sign with a space beside it
    does not join), a range's tilde from a number, or a / from the Han after it."""
    if ((nxt.text[0] in clreq.JOINERS and prev.kind != "space")
            or (prev.kind == "other" and prev.text in clreq.JOINERS and nxt.kind != "space")):
        return True
    # an ASCII solidus before a Han character is a unit's or a pair's (42微克/立方米,
    # 16.80元/斤, 和/或): whatever the kinsoku level lets end a line, not there (the
    # full-width ／ between a quoted poem's lines may, at the basic level)
    if prev.kind == "other" and prev.text == "/" and clreq.is_han(nxt.text[0]):
        return True
    # a range's tilde between two numbers (-12℃～-3℃, 8～10级): never at a line's end
    # or start (the number unit stops at its ℃, so the tilde stands between units)
    return ((nxt.text[0] in RANGE_TILDES and prev.kind == "latin" and _numeric(prev.text))
            or (prev.text in RANGE_TILDES and nxt.kind == "latin" and _numeric(nxt.text)))


def _inside_unit(prev: Unit, nxt: Unit) -> bool:
    """A break between prev and nxt would split a unit at its / or · (100km/ | h,
    1.5kW· | h) or a range of numbers after its dash (3%— | 5%; a range of times
    written as one unit, 8:30—17:30, has its own rule)."""
    if prev.text in ("/", "·", "・") and prev.kind in ("other", "middle"):
        return nxt.kind == "latin"
    return (prev.kind == "other" and prev.text in ("—", "–") and nxt.kind == "latin"
            and _numeric(nxt.text))


RANGE_TILDES = frozenset("～~")


def _numeric(text: str) -> bool:
    """A number unit: digits, with a sign before and a unit after (-12℃, ￥80, 10级)."""
    return any(ch.isdigit() for ch in text[:3])


def _bound_space(us: list[Unit], k: int) -> float:
    """The cost of a break at us[k] if it is a single space of the copy inside a name or
    number (Latin units on both sides that clreq.space_binds: iPhone 16, 6222 1234); else 0."""
    if not (0 < k < len(us) - 1 and us[k].kind == "space" and not us[k].glue
            and us[k - 1].kind == "latin" == us[k + 1].kind):
        return 0.0
    # the number of a Latin name (iPhone 16) binds the word after it too: iPhone 16 Pro
    named = (k >= 3 and us[k - 1].text.isdigit() and us[k - 2].kind == "space"
             and not us[k - 2].glue and us[k - 3].kind == "latin"
             and clreq.space_binds(us[k - 3].text[-1], us[k - 1].text[0]))
    if not clreq.space_binds(us[k - 1].text[-1], us[k + 1].text[0], named):
        return 0.0
    digits = all(u.text.lstrip("+").isdigit() for u in (us[k - 1], us[k + 1]))
    return DIGIT_GROUPS_BREAK if digits else LATIN_NUMBER_BREAK


def _price_unit(us: list[Unit], k: int) -> float:
    """The cost of a break before us[k] if it parts a number from a price's or a rate's
    unit: 元 (13.50 | 元), or Han characters and a / (13.50 | 元/斤, 42 | 微克/立方米); else 0."""
    if not (0 < k < len(us) and us[k - 1].kind == "latin" and us[k - 1].text[-1].isdigit()
            and us[k].kind == "han"):
        return 0.0
    if us[k].text == "元":
        return PRICE_UNIT_BREAK
    j = k
    while j < min(k + 3, len(us)) and us[j].kind == "han":
        j += 1
    rate = (j + 1 < len(us) and us[j].kind == "other" and us[j].text == "/"
            and us[j + 1].kind == "han")
    return PRICE_UNIT_BREAK if rate else 0.0


def _rule_sets(kinsoku: str) -> tuple[frozenset, frozenset]:
    if kinsoku == "none":
        return frozenset(), frozenset()
    return clreq.no_line_start(kinsoku), clreq.no_line_end(kinsoku)


@dataclass
class _Fit:
    cost: float
    prev: int


def _boundary(a: Unit, b: Unit) -> int:
    """Class of the gap between two units: 0 beside a space, 1 Latin-Latin (never
    spaced), 2 Han-Latin, 3 between Han and punctuation."""
    if a.kind == "space" or b.kind == "space":
        return 0
    if a.kind == "latin":
        # an ASCII mark after a Latin word is the word's (Hi, | Songshan!): never spaced
        return 1 if b.kind == "latin" or _ascii_mark(b) else 2
    if b.kind == "latin" and _ascii_mark(a) and a.text[-1] in "([{\"'":
        return 1
    return 2 if b.kind == "latin" else 3


def _ascii_mark(u: Unit) -> bool:
    return all(ord(c) < 128 and not c.isalnum() and not c.isspace() for c in u.text)


def _space_room(u: Unit) -> float:
    """How much a word space may stretch (a style's Han-Latin glue and 　 do not)."""
    if u.kind != "space" or u.glue or u.width >= SPACE_MAX_EM:
        return 0.0
    return SPACE_MAX_EM - u.width


def _unjustifiable(slack: float, max_gap: float) -> float:
    """A line with nowhere to put its slack (one character, one word): at least as bad as
    the slack in a single gap, so two such lines never beat one loose line of both."""
    cost = STRETCH_WEIGHT * 10 * slack + STRETCH_WEIGHT * (slack / max_gap) ** 2
    if slack > max_gap:
        cost += OVER_LIMIT * (slack - max_gap)
    return cost


def _stretch(slack: float, room: float, spaces: int, tight: int, bound: int, cjk: int
             ) -> tuple[float, float, float, float]:
    """Share out a line's slack (em): (per-space extra, Latin-Latin gap, Han-Latin gap, Han gap).

    Word spaces first, to half an em; then the Han gaps and the Han-Latin gaps
    alike, the latter at most a quarter em while Han gaps can take the rest;
    what no gap can take goes to the spaces, else between Latin pieces (at most
    LATIN_TRACK_MAX_EM: h t t p s spaced out across a column reads as no address;
    the line is left short instead, as an unbreakable URL is in InDesign).
    """
    sp = min(slack, room)
    slack -= sp
    per_space = sp / spaces if spaces else 0.0
    if slack <= 1e-12:
        return per_space, 0.0, 0.0, 0.0
    if cjk + bound:
        g = slack / (cjk + bound)
        if g > BOUNDARY_MAX_EM and cjk and bound:
            return per_space, 0.0, BOUNDARY_MAX_EM, (slack - BOUNDARY_MAX_EM * bound) / cjk
        if g > BOUNDARY_MAX_EM and spaces:
            # a line of Latin after a mark (“Hello everyone!): the words part, not the
            # quote from its word (2 em after “ read as a quote ending the line)
            rest = slack - BOUNDARY_MAX_EM * bound
            return per_space + rest / spaces, 0.0, BOUNDARY_MAX_EM, 0.0
        return per_space, 0.0, g, g
    if spaces:
        return per_space + slack / spaces, 0.0, 0.0, 0.0
    if tight:       # a URL or long word broken over lines: tracked a little, else short
        return per_space, min(slack / tight, LATIN_TRACK_MAX_EM), 0.0, 0.0
    return per_space, 0.0, 0.0, 0.0


def breaks(us: list[Unit], measure: float, first_indent: float, *, kinsoku: str,
           line_end_half: bool, max_gap: float, justify_last: bool = False,
           open_start_half: bool = False, relaxed: bool = False) -> list[int] | None:
    """Indices where lines end (exclusive), chosen by total fit; None if there is no
    way through with every rule kept (relaxed=False).

    measure and first_indent are in ems of the text size. relaxed: the second
    pass, with the relaxations (see the module's doc), each at its cost.
    """
    n = len(us)
    no_start, no_end = _rule_sets(kinsoku)
    # prefix sums: box widths less mandatory cuts; optional shrink of each unit;
    # word-space stretch; gap classes (counted at the unit after the gap)
    sh_of = [_shrink_room(u) for u in us]
    wsum = [0.0, *accumulate(u.width - u.cut_l - u.cut_r for u in us)]
    shrink = [0.0, *accumulate(sh_of)]
    rooms = [_space_room(u) for u in us]
    room = [0.0, *accumulate(rooms)]
    nsp = [0, *accumulate(r > 0 for r in rooms)]
    gcls = [0] + [_boundary(a, b) for a, b in zip(us, us[1:])]
    cls = [[0, *accumulate(c == k for c in gcls)] for k in range(4)]
    pen: list[float | None] = [0.0] * (n + 1)     # pen[b]: cost of a line ending before unit b
    held = [_bound_space(us, k) for k in range(n)]
    for b in range(1, n):
        p = _penalty(us[b - 1], us[b], no_start, no_end, relaxed)
        if p is not None:
            p = max(p, _price_unit(us, b))
            p += held[b - 1] or held[b]    # a break on either side of that space is the same
        pen[b] = p
    tight, bound, cjk = cls[1], cls[2], cls[3]
    slack_open = HALF if relaxed else 0.0   # most a line-start bracket may give in pass 2

    best: list[_Fit | None] = [None] * (n + 1)
    best[0] = _Fit(0.0, -1)
    kinds = [u.kind for u in us]
    # addr[t]: pieces before unit t of URLs and addresses that fit the measure
    addr = [0, *accumulate(u.address and u.fits for u in us)]
    # plain[t]: gaps before unit t that are not between Han or punctuation (a line
    # with none of them, and no word space, is justified by one formula: fast)
    plain = [max(0, i - 1) - cjk[i] for i in range(n + 1)]
    for b in range(1, n + 1):
        pb = pen[b]
        if pb is None:
            continue
        last = b == n
        for a in range(b - 1, -1, -1):
            fa = best[a]
            avail = measure - (first_indent if a == 0 else 0.0)
            lo, hi = a, b
            while lo < hi and kinds[lo] == "space":
                lo += 1
            while hi > lo and kinds[hi - 1] == "space":
                hi -= 1
            if hi <= lo:
                continue
            width = wsum[hi] - wsum[lo]
            # the mark ending the line: its blank goes (line-end half width); a
            # paragraph's last line keeps it, unless only that blank is over the measure
            if line_end_half and kinds[hi - 1] == "close" and (
                    not last or width > avail + 1e-9 >= width - us[hi - 1].trail):
                tail = us[hi - 1]
                width -= tail.trail - tail.cut_r
            # a mark's shrink is not available at the line's ends: the last
            # unit's blank is handled above, an opening mark starting a line keeps its own
            sh = shrink[hi - 1] - shrink[lo]
            open_lead = 0.0
            if kinds[lo] == "open" and not us[lo].cut_l:
                head = us[lo]
                if hi - 1 > lo:
                    sh -= shrink[lo + 1] - shrink[lo]
                if open_start_half:
                    width -= head.lead
                else:
                    open_lead = head.lead
            if width - sh - slack_open > avail + 1e-9 and a < b - 1:
                break                        # longer lines only get wider
            if fa is None:
                continue
            cost = pb
            if width - sh > avail + 1e-9 and a < b - 1:
                if not (relaxed and open_lead and width - sh - open_lead <= avail + 1e-9):
                    continue
                # pass 2: the bracket starting the line may give up its blank half
                cost += OPEN_START_SHRINK
                sh += open_lead
            if last and not justify_last:
                cost += _last_cost(us, lo, hi, width, sh, avail)
            else:
                slack = avail - width
                if slack < -1e-9:
                    cost += SHRINK_WEIGHT * (-slack / sh) ** 2 if sh else 1e9
                elif plain[hi] - plain[lo + 1] == 0:
                    # Han and punctuation only: the slack spread evenly
                    gaps = hi - lo - 1
                    if gaps <= 0:
                        cost += _unjustifiable(slack, max_gap)
                    else:
                        g = slack / gaps
                        cost += STRETCH_WEIGHT * (g / max_gap) ** 2
                        if g > max_gap:
                            cost += OVER_LIMIT * (g - max_gap) * gaps
                            if b < n and us[b].address and us[b].fits:
                                cost += URL_LOOSE    # loose before an address kept whole
                else:
                    nb, nc = bound[hi] - bound[lo + 1], cjk[hi] - cjk[lo + 1]
                    nt, ns = tight[hi] - tight[lo + 1], nsp[hi] - nsp[lo]
                    r = room[hi] - room[lo]
                    per_space, gt, gb, gc = _stretch(slack, r, ns, nt, nb, nc)
                    if nt and not (nb + nc or ns):
                        # costed as the tracking it would need, though it is left short
                        gt = slack / nt
                    gaps = nb + nc or nt
                    if not (gaps or ns):
                        cost += _unjustifiable(slack, max_gap)
                    else:
                        g = max(gc, gb, gt, per_space - (SPACE_MAX_EM - SPACE_EM) if ns else 0.0)
                        cost += STRETCH_WEIGHT * (g / max_gap) ** 2
                        if r:
                            cost += STRETCH_WEIGHT * 0.25 * (min(1.0, per_space * ns / r)) ** 2
                        if gt > LETTERSPACE_FREE and us[lo].url and us[lo].fits:
                            # an address that could have stayed whole, alone on its
                            # line and spaced out: breaking it at a joint is better
                            cost += LETTERSPACED * (gt - LETTERSPACE_FREE) * nt
                        if g > max_gap:
                            cost += OVER_LIMIT * (g - max_gap) * max(gaps, 1)
                            if addr[hi] > addr[lo] or (b < n and us[b].address and us[b].fits):
                                # an address kept whole at the cost of a loose line: were
                                # its gaps few (至 | hy12315@… at 0.59 em) that was cheap
                                cost += URL_LOOSE
            total = fa.cost + cost
            if best[b] is None or total < best[b].cost:
                best[b] = _Fit(total, a)
    if best[n] is None:
        return None              # pass 1 only: a chain that may not be split is too wide
    ends, b = [], n
    while b > 0:
        ends.append(b)
        b = best[b].prev
    return ends[::-1]


_PUNCT_KINDS = ("close", "open", "middle", "dash")


def _is_mark(u: Unit) -> bool:
    if u.kind == "latin" and u.cfaces:       # a quote inside Latin text standing alone
        return not any(c.isalnum() for c in u.text)
    return u.kind in _PUNCT_KINDS or (u.kind == "other" and not u.text.isalnum())


def _last_cost(us, lo, hi, width, sh, avail) -> float:
    # 孤字: a last line with a single Han character, or only punctuation (……”)
    if lo > 0:
        han = 0
        for u in us[lo:hi]:
            if u.kind == "han":
                han += 1
            elif u.kind != "space" and not _is_mark(u):
                han = 2
                break
        if han <= 1:
            return LONE_LAST_LINE
    return 0.0 if width <= avail + 1e-9 else SHRINK_WEIGHT * ((width - avail) / sh) ** 2 if sh \
        else 1e9


# -- placing -------------------------------------------------------------------

def _shrink_room(u: Unit) -> float:
    """How much a tight line may take from u in mid-line (em): a mark's blank (？！
    only part of it, so they keep their full glyph), or a word space's shrink."""
    if u.kind == "close" and not u.cut_r:
        return min(u.trail, PARTLY_SHRINK_EM) if u.text in clreq.SHRINK_PARTLY else u.trail
    if u.kind == "open" and not u.cut_l:
        return u.lead
    if u.kind == "space":
        return SPACE_SHRINK_EM
    return 0.0


def _shrink_tier(u: Unit) -> int:
    """Which of a tight line's marks give up their blank first (clreq §3.8)."""
    if u.kind == "space":
        return 0
    if u.text in clreq.SHRINK_FIRST:
        return 1
    if u.text in clreq.SHRINK_SECOND:
        return 2
    return 3


def place(us: list[Unit], lo: int, hi: int, avail: float, indent: float, *, last: bool,
          line_end_half: bool, size: float, measure: float, m: Metrics | None = None,
          trim_last: bool = False, open_start_half: bool = False,
          first: bool = False) -> tuple[Line, float]:
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
    if line_end_half and line and line[-1].kind == "close":
        # a paragraph's last line keeps the blank unless only that is over the measure
        full = sum(u.width - l - r for u, l, r in zip(line, cuts_l, cuts_r))
        if not last or trim_last or full > avail + 1e-9 >= full - line[-1].trail:
            cuts_r[-1] = line[-1].trail
    if open_start_half and line and line[0].kind == "open" and not cuts_l[0]:
        cuts_l[0] = line[0].lead
    natural = sum(u.width - l - r for u, l, r in zip(line, cuts_l, cuts_r))
    slack = avail - natural
    gap = 0.0
    after = [0.0] * len(line)          # space added after each unit
    if slack < -1e-9:
        # shrink in clreq's order: word spaces, ，、；：, 。？！, brackets and quotes;
        # last of all (only lines that need it) an opening mark starting the line
        tiers: list[list[tuple[str, int, float]]] = [[] for _ in range(5)]
        for i, u in enumerate(line):
            if u.kind == "close" and not cuts_r[i] and i < len(line) - 1:
                tiers[_shrink_tier(u)].append(("r", i, _shrink_room(u)))
            elif u.kind == "open" and not cuts_l[i]:
                tiers[3 if i else 4].append(("l", i, u.lead))
            elif u.kind == "space":
                tiers[0].append(("r", i, SPACE_SHRINK_EM))
        need = -slack
        for tier in tiers:
            total = sum(r for _, _, r in tier)
            if need <= 1e-12 or not total:
                continue
            ratio = min(1.0, need / total)
            for side, i, r in tier:
                if side == "r":
                    cuts_r[i] += r * ratio
                else:
                    cuts_l[i] += r * ratio
            need -= total * ratio
    elif not last and len(line) > 1:
        classes = [_boundary(a, b) for a, b in zip(line, line[1:])]
        rooms = [_space_room(u) for u in line]
        ns = sum(1 for r in rooms if r > 0)
        per_space, gt, gb, gc = _stretch(slack, sum(rooms), ns, classes.count(1),
                                         classes.count(2), classes.count(3))
        by_class = (0.0, gt, gb, gc)
        for i, c in enumerate(classes):
            after[i] = by_class[c]
        if ns:
            total_room = sum(rooms)
            extra = per_space * ns
            for i, r in enumerate(rooms):
                if r > 0:
                    after[i] += extra * r / total_room
        # a word space stretched past its room (a line of English in a narrow column)
        # is as loose as a Han gap that wide: the line's gap says so, as breaks() costs it
        gap = max(gc, gb, gt, per_space - (SPACE_MAX_EM - SPACE_EM) if ns else 0.0)
    runs, x = [], indent
    has_half = getattr(m, "has_half", None)
    for i, u in enumerate(line):
        if u.second is not None:
            runs.append(Run(u.text[0], u.face, (x + u.offset) * size))
            runs.append(Run(u.text[1], u.face, (x + u.second) * size))
        elif u.cfaces and m is not None:
            # a Latin word with a quote from the Latin companion: one run a face
            at, k = x, 0
            while k < len(u.text):
                j = k
                while j < len(u.text) and u.cfaces[j] == u.cfaces[k]:
                    j += 1
                runs.append(Run(u.text[k:j], u.cfaces[k], at * size))
                at += sum(m.advance(u.cfaces[k], c) for c in u.text[k:j])
                k = j
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
        x += u.width - cuts_l[i] - cuts_r[i] + after[i]
    return Line(tuple(runs), measure * size, natural * size, gap * size, last, indent * size,
                first=first), gap


def _broken_rule(prev: Unit, nxt: Unit, kinsoku: str) -> str:
    """What rule a break between prev and nxt breaks, '' if none."""
    no_start, no_end = _rule_sets(kinsoku)
    if (_penalty(prev, nxt, no_start, no_end, True) or 0.0) < BROKEN_RULE:
        return ""
    if nxt.kind == "dash" or nxt.text[0] in no_start or nxt.nostart:
        return f"next line starts with {nxt.text[0]}"
    if prev.text[-1] in no_end or prev.noend:
        return f"line ends with {prev.text[-1]}"
    return f"splits {prev.text}{nxt.text}"


@dataclass(frozen=True)
class Rules:
    """The house style's setting rules, as the setter takes them (one object for all)."""
    kinsoku: str = "basic"          # basic | gb | strict
    line_end_half: bool = True      # a closing mark ending a line takes half an em
    max_gap_em: float = 0.25        # widest inter-unit gap before Latin spaces take more
    latin_space_em: float = 0.0     # the Han-Latin gap (clreq §3.2)
    fullwidth_parens: bool = False  # ( ) beside Chinese set as （ ）
    open_start_half: bool = False   # an opening bracket starting a line at half width
    middle_half: bool = True        # · takes half an em

    @classmethod
    def from_style(cls, setting) -> "Rules":
        """From the house style's `setting` group (style.Setting)."""
        return cls(kinsoku=setting.kinsoku, line_end_half=setting.punctuation == "line-end-half",
                   max_gap_em=setting.max_letterspace_em,
                   latin_space_em=setting.latin_spacing_em,
                   fullwidth_parens=setting.parentheses == "full-width",
                   open_start_half=setting.line_start_bracket == "half")


RULES = Rules()


def set_text(text: str, chain: tuple[str, ...], size: float, measure_pt: float, m: Metrics, *,
             rules: Rules = RULES, indent_em: float = 0.0, justify: bool = True,
             tracking_em: float = 0.0, trim_last: bool = False) -> SetText:
    """Set one paragraph into justified lines of measure_pt, under `rules`.

    trim_last: the text is ranged right or centred (a byline, a headline), so
    a closing mark ending its last line gives up its blank half too.
    """
    kinsoku, line_end_half = rules.kinsoku, rules.line_end_half
    open_start_half = rules.open_start_half
    if rules.fullwidth_parens:
        text = fullwidth_parentheses(text)
    us = latin_glue(units(text, chain, m, tracking_em, rules.middle_half), rules.latin_space_em)
    if not us:
        return SetText((), size, 0.0)
    squeeze(us)
    measure = measure_pt / size
    whole = us
    us = _split_wide(whole, measure, m)
    opts = dict(kinsoku=kinsoku, line_end_half=line_end_half, max_gap=rules.max_gap_em,
                justify_last=False, open_start_half=open_start_half)
    if indent_em + sum(u.width - u.cut_l - u.cut_r for u in us) <= measure:
        ends = [len(us)]      # it fits one line as it is: the last line needs no fit
    else:                     # (headlines and bylines are measured this way many times)
        ends = breaks(us, measure, indent_em, **opts)
    if ends is None:
        # a chain that may not be split is wider than the measure: relax, where needed only
        us = _split_wide([replace(u) for u in whole], measure, m, relaxed=True)
        ends = breaks(us, measure, indent_em, relaxed=True, **opts)
    lines, start, widest = [], 0, 0.0
    for k, end in enumerate(ends):
        last = end == len(us) or not justify
        indent = indent_em if k == 0 else 0.0
        line, gap = place(us, start, end, measure - indent, indent, last=last,
                          line_end_half=line_end_half, size=size, measure=measure, m=m,
                          trim_last=trim_last, open_start_half=open_start_half, first=k == 0)
        if end < len(us):
            rule = _broken_rule(us[end - 1], us[end], kinsoku)
            if rule:
                line = replace(line, broken=rule)
        widest = max(widest, gap)
        lines.append(line)
        start = end
    return SetText(tuple(lines), size, widest)

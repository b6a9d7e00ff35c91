"""Text set for composition: a role's text at a measure, with the issue's caches.

One TextSetter serves one issue and house style. It sets paragraphs
(layout.setting does the line breaking), one-line labels, headlines (one line if
they fit; else at the copy's spaces, as few lines as fit; else at word
boundaries, balanced) and ranged bylines, and remembers every set text: a
headline is tried at many measures while a page is laid out, and `layout watch`
keeps the cache across builds.
"""
from __future__ import annotations

import re

from .model import Issue
from .setting import Line, Rules, SetText, set_text
from .style import HouseStyle


# the set-text memory's role for a headline's break at words (TextSetter.headline)
WORD_BREAK_ROLE = "\x1fwords "


def style_role(cached: str) -> str:
    """The type style a set-text memory entry's role depends on."""
    return cached[len(WORD_BREAK_ROLE):] if cached.startswith(WORD_BREAK_ROLE) else cached


class TextSetter:
    """Sets text in the style's roles; cached (set_cache may be kept across builds)."""

    def __init__(self, issue: Issue, style: HouseStyle, fonts, set_cache: dict | None = None):
        self.issue, self.style, self.fonts = issue, style, fonts
        self._rules = Rules.from_style(style.setting)
        self._set_cache: dict[tuple, SetText] = {} if set_cache is None else set_cache
        self._balanced: dict[tuple, SetText] = {}     # (text, role, lines) -> balanced set
        # (text, role) -> [(measure, widest line, set)]: word-balanced headlines (headline())
        self._word_breaks: dict[tuple, list] = {}
        # (text, role, measure) of headlines that no break between words would fit: set
        # at characters, inside a word or a quoted term (“高 | 效办成一件事”)
        self._inside_words: set[tuple] = set()

    def set(self, text: str, role: str, measure: float, *, indent: float = 0.0,
            justify: bool = True, trim_last: bool = False) -> SetText:
        """Set text in a role's style; cached, as headlines are set at many measures."""
        key = (text, role, measure, indent, justify, trim_last)
        hit = self._set_cache.get(key)
        if hit is None:
            ts = self.style.text[role]
            hit = set_text(text, ts.fonts, ts.size, measure, self.fonts, indent_em=indent,
                           justify=justify, tracking_em=ts.tracking, trim_last=trim_last,
                           rules=self._rules)
            self._set_cache[key] = hit
        return hit

    def one_line(self, text: str, role: str) -> Line:
        """A label set on one line (masthead, header, credits); callers check its width."""
        lines = self.set(text, role, 10_000.0, justify=False).lines
        if len(lines) != 1:     # only a line break in the text could do this; never drop it
            raise ValueError(f"label {text!r} set as {len(lines)} lines")
        return lines[0]

    def ranged_lines(self, text: str, role: str, measure: float) -> tuple[Line, ...]:
        """Unjustified lines (a byline, ranged right), balanced, breaking at the copy's spaces.

        Names stay whole: the break goes between the words the copy spaces
        apart (记者 冯佳雯 | 通讯员 李郑阳), as few lines as fit, the longest
        line as short as it can be. A word wider than the measure is broken
        by the setter's own rules.
        """
        def width(t: str) -> float:
            return self.set(t, role, 10_000.0, justify=False, trim_last=True).lines[0].natural

        words = _roles_kept([w for w in text.split() if w], measure, width)
        if len(words) > 1:
            # a word wider than the measure (城关镇第一初级中学) is broken at its own word
            # boundaries, its pieces joined without a space; the others stay whole
            # (broken as one headline, the school's name took the class and the pupil's
            # name with it, four lines, the name alone on the last)
            tokens = []
            for w in words:
                parts = ([ln.text for ln in self.headline(w, role, measure).lines]
                         if width(w) > measure else [w])
                tokens += [(t, k > 0) for k, t in enumerate(parts)]
            if all(width(t) <= measure for t, _ in tokens):
                lines = _balance(tokens, measure, width, group=_starts_role,
                                 kind=_starts_kind)
                return tuple(self.set(t, role, 10_000.0, justify=False, trim_last=True).lines[0]
                             for t in lines)
        return self.headline(text, role, measure).lines

    def headline(self, text: str, role: str, measure: float) -> SetText:
        """Headline lines: one line if it fits; else break at the copy's spaces; else at
        word boundaries (layout.words: never inside a word, nor before 的/了/和),
        balanced. A line break written in the headline is a forced break."""
        if "\n" in text:
            parts = [t.strip() for t in text.split("\n") if t.strip()]
            segs = [self.headline(t, role, measure).lines for t in parts]
            if any((t, role, measure) in self._inside_words for t in parts):
                self._inside_words.add((text, role, measure))
            lines = tuple(ln for seg in segs for ln in seg)
            return SetText(lines, self.style.text[role].size, 0.0)
        one = self.set(text, role, 10_000.0, justify=False, trim_last=True)
        if one.lines[0].natural <= measure:
            return one
        # the copy's spaces between phrases are where it may break: as few lines as fit,
        # balanced (one line per phrase set 县城 | “口袋公园” | 增至 | 36 | 个 on five)
        parts = _separators_kept(_phrases(text))
        if len(parts) > 1:
            if all(self.set(p, role, 10_000.0, justify=False, trim_last=True)
                   .lines[0].natural <= measure for p in parts):
                lines = _balance(parts, measure, lambda t: self.set(
                    t, role, 10_000.0, justify=False, trim_last=True).lines[0].natural)
                return type(one)(tuple(self.set(t, role, 10_000.0, justify=False,
                                                trim_last=True).lines[0] for t in lines),
                                 one.size, 0.0)
            # a phrase wider than the measure: on lines of its own, broken at its words
            # (增长10.3% | 数字经济…: the copy's space is where the eye pauses; broken
            # across it, 10.3%数字经济核心 read as one phrase, the space lost); the
            # phrases that fit, between such, as few lines as fit, balanced (坚定信心
            # 真抓实干 on one line, not a line each)
            groups: list[str] = []
            run: list[str] = []
            for p in parts:
                if self.set(p, role, 10_000.0, justify=False,
                            trim_last=True).lines[0].natural <= measure:
                    run.append(p)
                    continue
                if run:
                    groups.append(" ".join(run))
                    run = []
                groups.append(p)
            if run:
                groups.append(" ".join(run))
            found = self.headline("\n".join(groups), role, measure)
            if ("\n".join(groups), role, measure) in self._inside_words:
                self._inside_words.add((text, role, measure))
            return found
        # at word boundaries, balanced: the fewest lines, the longest as short as can be.
        # The best break found at a measure M0 is also the best at any narrower measure
        # it still fits (fewer lines cannot fit there, and no other break fits M0 better),
        # so headlines tried at shrinking measures reuse it
        key = ("words", text, role, measure)
        hit = self._balanced.get(key)
        if hit is not None:
            return hit
        for m0, widest, found in self._word_breaks.get((text, role), ()):
            if widest <= measure <= m0:
                return found
        # an earlier build's answer: the set-text memory keeps it under a role of its
        # own (no lines: no break at words), as the segmenter and balance are most of
        # a warm build's headline time
        kept_key = (text, WORD_BREAK_ROLE + role, measure, 0.0, False, True)
        hit = self._set_cache.get(kept_key)
        if hit is None:
            hit = self._word_break(text, role, measure, one)
            self._set_cache[kept_key] = hit
        if hit.lines:
            self._balanced[key] = hit
            self._word_breaks.setdefault((text, role), []).append(
                (measure, max(ln.natural for ln in hit.lines), hit))
            return hit
        return self._balanced_at_chars(text, role, measure, one)

    def _word_break(self, text: str, role: str, measure: float, one: SetText) -> SetText:
        """A headline broken at word boundaries (layout.words), balanced; no lines if
        no such break gives more than one line."""
        from . import words
        user = self.style.setting.headline_words
        if not getattr(self, "_words_ready", False):
            words.prepare([t for p in self.issue.pages for a in p.articles
                           for t in (a.headline, a.kicker, a.subheadline) if t], user)
            self._words_ready = True

        def width(t: str) -> float:
            return self.set(t, role, 10_000.0, justify=False, trim_last=True).lines[0].natural

        size = self.style.text[role].size
        lines = words.balance(words.pieces(text, user), measure, width, after_mark_bonus=size)
        if lines is None or len(lines) < 2:
            return SetText((), one.size, 0.0)
        return type(one)(tuple(self.set(t, role, 10_000.0, justify=False,
                                        trim_last=True).lines[0] for t in lines), one.size, 0.0)

    def broken_inside_words(self, text: str, role: str, measure: float) -> bool:
        """Whether headline(text, role, measure) had to break inside a word."""
        return (text, role, measure) in self._inside_words

    def _balanced_at_chars(self, text: str, role: str, measure: float, one: SetText
                           ) -> SetText:
        self._inside_words.add((text, role, measure))
        # balanced: the narrowest measure that still gives the same number of lines. It
        # depends on that number only (it fits every measure giving n lines), so it is
        # found once per n: headlines are tried at many measures while the page is laid out
        n = len(self.set(text, role, measure, justify=False, trim_last=True).lines)
        key = (text, role, n)
        hit = self._balanced.get(key)
        if hit is not None and hit.lines[0].width <= measure + 0.01:
            return hit
        lo, hi = one.lines[0].natural / n, measure
        for _ in range(12):
            mid = (lo + hi) / 2
            if len(self.set(text, role, mid, justify=False, trim_last=True).lines) <= n:
                hi = mid
            else:
                lo = mid
        hit = self.set(text, role, hi + 0.01, justify=False, trim_last=True)
        self._balanced[key] = hit
        return hit


# 丨 (the radical gun) is a Han character, but in a headline it is a rule between words
_SEPARATOR_HAN = "丨"


# (a space after four Han characters and before a Latin word parts phrases too:
# 算力需求激增 NVIDIA H100一卡难求 broke NVIDIA | H100, the copy's pause unused; and
# before a number that opens a phrase with the Han glued to it, a count and its noun:
# 新版上线 156项事项“掌上办” broke 新版 | 上线 156项…. A number spaced on both sides,
# or alone after the space, is spacing: 增至 36 个, 全年增长 5.8%)
_PHRASE_SPACE = re.compile(r"(?<![A-Za-z0-9]) +(?![A-Za-z0-9])"
                           r"|(?<=[\u4e00-\u9fff]{4}) +(?=[A-Za-z])"
                           r"|(?<=[\u4e00-\u9fff]{4}) +(?=[0-9][0-9.,]*[\u4e00-\u9fff])")


def _phrases(text: str) -> list[str]:
    """A headline's phrases: split at the copy's spaces, except a space beside a Latin
    letter or a digit (增至 36 个, iPhone 16, 使用 Python: spacing, not a break) other
    than one after a phrase of Han (算力需求激增 NVIDIA…, 新版上线 156项…)."""
    return [p for p in _PHRASE_SPACE.split(text.strip()) if p]


def _separators_kept(parts) -> list[str]:
    """A headline's space-separated parts, a part that is only a separator mark (the
    丨 of 年终特稿 丨 一座老城的转身) joined to the part before it (else the one after):
    broken at its spaces it would stand on a line of its own."""
    out: list[str] = []
    pending = ""
    for part in parts:
        if all(ch == _SEPARATOR_HAN or not ch.isalnum() for ch in part):   # marks alone
            if out:
                out[-1] += " " + part
            else:
                pending += part + " "
            continue
        out.append(pending + part)
        pending = ""
    if pending:
        out.append(pending.strip())
    return out


# a byline's roles: a line never ends with one (通讯员 | 李红旗 read as nobody's name);
# a credit's kind and its role are one (文/记者, 图/记者, 文/图: 图/记者 | 慕容龑 parted
# the photographer from the name)
_ROLE = (r"(?:本报|特约|见习|融媒体|首席)?(?:记者|通讯员|实习生|摄影|摄像|编辑|"
         r"文|图|视频|制图|统筹)")
_ROLES = re.compile(r"[（(]?%s(?:[/／]%s)*[:：/／]?$" % (_ROLE, _ROLE))
# ... and the words that open a kind of credit, the text's or the photos' (文/记者 …,
# 图/记者 …, 文/图 …, 图：…): the byline's first division, before its roles
_KINDS = re.compile(r"[（(]?(?:文|图|视频|制图)(?:[/／](?:文|图))?(?:[/／:：]|$)")


def _roles_kept(words: list[str], measure: float, width) -> list[str]:
    """A byline's words with each role joined to the name after it, where the two fit
    a line together."""
    out: list[str] = []
    for w in words:
        if out and _ROLES.match(out[-1].split(" ")[-1]) and width(out[-1] + " " + w) <= measure:
            out[-1] += " " + w
        else:
            out.append(w)
    return out


def _starts_role(word: str) -> bool:
    """A byline word that opens a role's group (通讯员 张喆, 摄影 赵一鸣)."""
    return bool(_ROLES.match(word.split(" ")[0]))


def _starts_kind(word: str) -> bool:
    """A byline word that opens a kind of credit (图/记者 慕容龑, 文/图 张三)."""
    return bool(_KINDS.match(word.split(" ")[0]))


def _balance(words: list, measure: float, width, group=None, kind=None) -> list[str]:
    """Words joined by spaces into the fewest lines within measure, the longest shortest.

    words: strings, or (text, glued) pairs, glued: joined to the word before without
    a space (the pieces of a word too wide for the measure).
    group: a test of the words that open a group (a byline's roles): among the ways
    with the fewest lines, the fewest breaks inside a group go first, then balance
    (记者 甲 乙 丙 | 通讯员 丁 戊, not 记者 甲 乙 | 丙 通讯员 丁 | 戊).
    kind: a test of the words that open a larger group (a byline's 文/ and 图/ credits):
    then the fewest breaks inside one (文/记者 甲 | 图/记者 乙 通讯员 丙, not 文/记者 甲
    图/记者 乙 | 通讯员 丙, the photo's credit run across the lines).
    A small dynamic programme over the word list: bylines have a dozen words.
    """
    words = [w if isinstance(w, tuple) else (w, False) for w in words]
    n = len(words)
    opens = [group is not None and not glued and group(t) for t, glued in words] + [True]
    kinds = [kind is not None and not glued and kind(t) for t, glued in words] + [True]
    # a break before word j inside a kind's credits: a kind opened before j, not at j
    in_kind = [not kinds[j] and any(kinds[:j]) for j in range(n + 1)]
    # then, among ways as short and as narrow, the most even lines (the least squared
    # slack), the fuller first: （记者 林彧 陈淼 黄鑫 | 郑珺 林玥 | 通讯员 …, not a
    # name dangling alone on the first line over a fuller second
    best: dict[int, tuple] = {n: (0, 0, 0, 0.0, 0.0, 0.0, [])}
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            text = words[i][0] + "".join(("" if glued else " ") + t
                                         for t, glued in words[i + 1:j])
            w = width(text)
            if w > measure:
                break
            count, inside, kind_inside, widest, ragged, _, rest = best[j]
            inside += group is not None and not opens[j]
            kind_inside += in_kind[j]
            options.append((count + 1, inside, kind_inside, max(w, widest),
                            ragged + (measure - w) ** 2 * bool(rest), -w, [text] + rest))
        best[i] = min(options, key=lambda o: o[:6])
    return best[0][6]

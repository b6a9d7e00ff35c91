"""Text setting (layout.setting) against the rules of W3C clreq, with a fake font.

Metrics (tests/fakefont.py): Han and full-width punctuation 1 em; pause/stop
and closing marks ink in the left half, opening marks in the right half;
ASCII 0.5 em. Size 10 pt, so 1 em = 10 pt and a measure of 10 em = 100 pt.
"""
from __future__ import annotations

from pathlib import Path

from itertools import accumulate

import pytest

from fakefont import FACE, LEFT_HALF, METRICS, RIGHT_HALF, FakeMetrics
from layout import clreq
from layout.model import load_issue
from layout.setting import Rules, SetText, set_text

SIZE = 10.0
EM = SIZE
TOL = 0.01
HAN = "一二三四五六七八九十"            # ten Han characters: exactly 10 em
REPO = Path(__file__).resolve().parent.parent


def setp(text: str, measure_em: float = 10, **kw) -> SetText:
    return set_text(text, (FACE,), SIZE, measure_em * EM, METRICS, **with_rules(kw))


def with_rules(kw: dict) -> dict:
    """set_text's keywords, with the rule fields (kinsoku=..., ...) gathered into rules=."""
    fields = Rules.__dataclass_fields__
    rules = Rules(**{k: v for k, v in kw.items() if k in fields})
    return {**{k: v for k, v in kw.items() if k not in fields}, "rules": rules}


def texts(st: SetText) -> list[str]:
    return [ln.text for ln in st.lines]


def all_runs(st: SetText):
    return [r for ln in st.lines for r in ln.runs]


def width_em(text: str) -> float:
    return sum(METRICS.advance(FACE, c) for c in text)


def glyphs(line) -> list[tuple[str, float]]:
    """Every character of a line with its glyph origin (pt), however runs group them."""
    out = []
    for r in line.runs:
        x = r.x
        for c in r.text:
            out.append((c, x))
            x += METRICS.advance(FACE, c) * EM
    return out


def x_of(st: SetText, ch: str) -> float:
    """Origin of the only glyph `ch` of the paragraph."""
    found = [x for ln in st.lines for c, x in glyphs(ln) if c == ch]
    assert len(found) == 1, (ch, texts(st))
    return found[0]


def content_end(line, line_end_half: bool = True) -> float:
    """Right edge (pt) of a line's last box.

    A closing mark ending a justified line keeps only its inked half under
    line-end half width; a two-em mark's box is centred on its two glyphs' ink
    (however the setter places the two halves).
    """
    gs = glyphs(line)
    ch, x = gs[-1]
    if line.text[-2:] in ("——", "……"):
        (c1, x1), (c2, x2) = gs[-2:]
        centre = (x1 + METRICS.ink(FACE, c1)[0] * EM + x2 + METRICS.ink(FACE, c2)[1] * EM) / 2
        return centre + EM
    # a paragraph's last line gives up the blank too where only it was over the
    # measure: its natural width then stops at the mark's ink
    cut = line.natural + line.indent < x + METRICS.advance(FACE, ch) * EM - 1e-6
    if line_end_half and (not line.last or cut) and ch in LEFT_HALF:
        return x + 0.5 * EM
    if ch in clreq.MIDDLE:          # a middle dot takes half an em: its glyph sits 1/4 em out
        return x + 0.75 * EM
    return x + METRICS.advance(FACE, ch) * EM


def joined(st: SetText) -> str:
    return "".join(r.text for r in all_runs(st))


# -- §3.1.7 line-start prohibition --------------------------------------------

NO_START_MARKS = list("，。、；：？！”’）》」』】〕〗］｝〉～·%‰℃°．／") + ["!", ")", ",", ".", ":", ";", "?"]


@pytest.mark.parametrize("mark", NO_START_MARKS)
def test_mark_never_starts_a_line(mark):
    # ten Han fill the first line exactly: a naive break puts the mark first on line 2
    text = HAN + mark + HAN
    st = setp(text)
    assert all(not ln.text.startswith(mark) for ln in st.lines), texts(st)
    assert joined(st) == text


def test_no_start_construction_would_put_the_mark_first_without_kinsoku():
    # the control for the test above: with prohibitions off, line 2 does start with ，
    st = setp(HAN + "，" + HAN, kinsoku="none")
    assert texts(st)[1].startswith("，")


# -- §3.1.7 line-end prohibition ---------------------------------------------

OPENING_MARKS = list("“‘（《「『【〔〖［｛〈")


@pytest.mark.parametrize("mark", OPENING_MARKS)
def test_opening_mark_never_ends_a_line(mark):
    # nine Han + the mark fill the first line exactly
    text = HAN[:9] + mark + HAN
    st = setp(text)
    assert all(not ln.text.endswith(mark) for ln in st.lines), texts(st)
    assert joined(st) == text


def test_no_end_construction_would_end_a_line_with_the_mark_without_kinsoku():
    st = setp(HAN[:9] + "（" + HAN, kinsoku="none")
    assert texts(st)[0].endswith("（")


# -- §3.1.8 two-em dash and ellipsis -----------------------------------------

@pytest.mark.parametrize("mark", ["——", "……"])
def test_two_em_mark_may_start_a_line(mark):
    st = setp(HAN + mark + HAN[:8])
    assert texts(st) == [HAN, mark + HAN[:8]]
    line = st.lines[1]
    assert content_end_of_first_two(line) == pytest.approx(2 * EM)
    assert glyphs(line)[2] == ("一", pytest.approx(2 * EM))      # exactly 2 em wide


def content_end_of_first_two(line) -> float:
    """Right edge of a two-em mark starting a line (its ink is centred in its box)."""
    (c1, x1), (c2, x2) = glyphs(line)[:2]
    return (x1 + METRICS.ink(FACE, c1)[0] * EM + x2 + METRICS.ink(FACE, c2)[1] * EM) / 2 + EM


@pytest.mark.parametrize("mark", ["——", "……"])
def test_two_em_mark_in_the_middle_is_two_em(mark):
    st = setp("一二三四" + mark + "五六七八")                # one line, gap 0
    assert texts(st) == ["一二三四" + mark + "五六七八"]
    assert x_of(st, "五") - x_of(st, "四") == pytest.approx(3 * EM)


@pytest.mark.parametrize("mark", ["——", "……"])
def test_two_em_mark_may_end_a_line(mark):
    st = setp(HAN[:8] + mark + HAN)
    first = st.lines[0]
    assert first.text == HAN[:8] + mark
    assert first.gap == 0                                   # eight Han + 2 em fill 10 em
    assert content_end(first) == pytest.approx(10 * EM, abs=TOL)


@pytest.mark.parametrize("mark", ["——", "……"])
@pytest.mark.parametrize("before", [9, 19])
def test_two_em_mark_is_never_split_across_lines(mark, before):
    # the line has one em left for the mark: a per-character break would split the pair
    text = (HAN * 2)[:before] + mark + HAN
    st = setp(text)
    assert all(ln.text.count(mark[0]) % 2 == 0 for ln in st.lines), texts(st)
    assert joined(st) == text


# -- numbers, Latin words, addresses ------------------------------------------

@pytest.mark.parametrize("prefix, unit, rest", [
    ("一二三四五六七八", "12.5%", "的增长"),
    ("一二三四五六七八", "3,200", "余株"),
    ("一二三四五六七八", "2025", "年春季"),
    ("一二三四五六七八", "5G", "基站"),
    ("一二三四五六", "SJSX1@163.com", "邮件"),
    ("一二三四五六七八九十一二三四五六七八", "https://www.example.gov.cn/news", "在线"),
])
def test_unbreakable_latin_unit_kept_whole(prefix, unit, rest):
    # the measure ends in the middle of the unit: a per-character break would split it
    measure = len(prefix) + width_em(unit) / 2
    st = setp(prefix + unit + rest, measure)
    assert joined(st) == prefix + unit + rest
    if "@" in unit or "//" in unit:
        # an address may break, but only after a joint (/ . @), never between letters:
        # kept whole here it would leave the line before it with gaps of over half an em
        start, ends = len(prefix), list(accumulate(len(t) for t in texts(st)))
        inside = [e for e in ends if start < e < start + len(unit)]
        assert all(unit[e - start - 1] in "/.@" for e in inside), texts(st)
    else:
        assert any(unit in t for t in texts(st)), texts(st)


def test_space_between_latin_words_is_a_break_opportunity():
    st = setp("一二三四五六七iPhone 16")
    assert texts(st) == ["一二三四五六七iPhone", "16"]


def test_url_wider_than_the_measure_is_split_without_losing_text():
    url = "https://www.example.gov.cn/news"          # 15.5 em
    text = "详见" + url + "一二三"
    st = setp(text)
    assert len(st.lines) >= 2
    assert not any(url in t for t in texts(st))
    assert joined(st) == text
    assert all(content_end(ln) <= 10 * EM + TOL for ln in st.lines)


# -- §3.1.6 adjacent punctuation ----------------------------------------------

@pytest.mark.parametrize("pair", ["。”", "，“", "）、", "》，", "”“", "（《"])
def test_adjacent_punctuation_pair_is_half_an_em_apart(pair):
    st = setp("一" + pair + "二")                      # a last line: no justification
    (_, x0), (a, xa), (b, xb), (_, x3) = glyphs(st.lines[0])
    assert a + b == pair
    assert xb - xa == pytest.approx(0.5 * EM)
    assert x3 - xb == pytest.approx(1.0 * EM)


def test_three_closing_marks_each_half_an_em_apart():
    st = setp("一。”）二")
    xs = [x for _, x in glyphs(st.lines[0])]
    assert [b - a for a, b in zip(xs, xs[1:])] == pytest.approx([1.0 * EM, 0.5 * EM, 0.5 * EM, 1.0 * EM])


def test_compressed_pair_is_not_compressed_again_in_a_tight_line():
    # 11.5 em at full width in a 10 em measure; 。” is already at half an em and
    # must stay so while ” and ， give up their blanks to make the line fit
    st = setp("一二三四五六。”七，八" + HAN)
    first = st.lines[0]
    assert first.text == "一二三四五六。”七，八"
    assert first.gap < 0 or first.natural > first.width     # the line did shrink
    xs = dict(glyphs(first))
    assert xs["”"] - xs["。"] == pytest.approx(0.5 * EM)
    assert content_end(first) == pytest.approx(10 * EM, abs=TOL)


def test_shrunk_marks_keep_at_least_their_inked_half():
    # ，“ in a tight line: neither mark loses its inked half, so the inks never overlap
    st = setp("一二三四五六七八，“九" + HAN)
    first = st.lines[0]
    assert first.text == "一二三四五六七八，“九"
    gs = glyphs(first)
    for (a, xa), (b, xb) in zip(gs, gs[1:]):
        ink_a = xa + METRICS.ink(FACE, a)[1] * EM
        ink_b = xb + METRICS.ink(FACE, b)[0] * EM
        assert ink_b >= ink_a - 1e-6, (a, b)


# -- line-end half width --------------------------------------------------------

def test_comma_ending_a_line_is_half_width():
    st = setp("一二三四五六七八九，" + HAN + HAN, line_end_half=True)
    first = st.lines[0]
    assert first.text.endswith("，")
    assert glyphs(first)[-1][1] == pytest.approx(10 * EM - 0.5 * EM)


def test_comma_ending_a_line_is_full_width_without_line_end_half():
    st = setp("一二三四五六七八九，" + HAN + HAN, line_end_half=False)
    first = st.lines[0]
    assert first.text.endswith("，")
    assert glyphs(first)[-1][1] == pytest.approx(10 * EM - 1.0 * EM)
    assert first.gap == 0


def test_a_paragraph_ending_a_blank_half_over_the_measure_stays_on_one_line():
    # “以后不用自己做饭了。” after a 2-em indent is 13.5 em at full width, 13 with the
    # closing quote's blank given up: in a 13-em column it was broken after 做, the
    # first line spaced 0.43 em; only the blank was over, so the line fits
    st = setp("“以后不用自己做饭了。”", 13, line_end_half=True, indent_em=2)
    assert [ln.text for ln in st.lines] == ["“以后不用自己做饭了。”"]
    assert st.lines[0].natural == pytest.approx(11 * EM)
    # a character more does not fit, and at full width nothing is given up
    assert len(setp("“以后不用自己做饭了吗。”", 13, line_end_half=True, indent_em=2).lines) == 2
    assert len(setp("“以后不用自己做饭了。”", 13, line_end_half=False, indent_em=2).lines) == 2
    # a last line that fits keeps its closing mark's blank
    assert setp("“以后不用做饭了。”", 13, line_end_half=True, indent_em=2).lines[0].natural \
        == pytest.approx(9.5 * EM)


# -- justification ------------------------------------------------------------

def _paragraphs(issue: str) -> list[str]:
    iss = load_issue(REPO / "issues" / issue)
    return [p for page in iss.pages for a in page.articles for p in a.body]


STRESS = _paragraphs("stress.yaml")
SAMPLE = _paragraphs("2025-03-09.yaml")


@pytest.mark.parametrize("name, paras", [("stress", STRESS), ("sample", SAMPLE)])
def test_justified_lines_span_the_measure(name, paras):
    for para in paras:
        st = setp(para, 13, indent_em=2)
        for ln in st.lines[:-1]:
            assert not ln.last
            if ln.text.isascii():   # an address's pieces alone: left short, not spaced out
                assert content_end(ln) <= 13 * EM + TOL
                continue
            assert content_end(ln) == pytest.approx(13 * EM, abs=TOL), (ln.text, para)


@pytest.mark.parametrize("name, paras", [("stress", STRESS), ("sample", SAMPLE)])
def test_no_line_is_wider_than_the_measure(name, paras):
    for para in paras:
        for ln in setp(para, 13, indent_em=2).lines:
            assert content_end(ln) <= 13 * EM + TOL, (ln.text, para)


@pytest.mark.parametrize("text", ["【一二三】四五六七ABCD" + HAN, "【一二三】四五六七ABCD"])
def test_line_starting_with_an_opening_mark_fits_the_measure(text):
    # 11 em of content; 】 can give 0.5 em; 【 at the line start gives nothing in place()
    st = setp(text)
    assert joined(st) == text
    for ln in st.lines:
        assert content_end(ln) <= 10 * EM + TOL, (ln.text, content_end(ln))


def test_last_line_is_not_stretched():
    st = setp(HAN + "一二三四五")
    assert st.lines[-1].last and st.lines[-1].gap == 0
    assert [x for _, x in glyphs(st.lines[-1])] == pytest.approx([0, 10, 20, 30, 40])


def test_plain_han_in_whole_em_measure_has_no_gaps():
    st = setp(HAN * 3 + "一二三四五")
    assert texts(st) == [HAN, HAN, HAN, "一二三四五"]
    assert all(ln.gap == 0 for ln in st.lines)
    assert [x for _, x in glyphs(st.lines[0])] == pytest.approx([10 * i for i in range(10)])


def test_stretched_line_spreads_its_slack_evenly():
    st = setp(HAN + "，" + HAN)                   # line 1 can only hold nine Han
    first = st.lines[0]
    assert first.text == HAN[:9]
    assert first.gap == pytest.approx(10 / 8)
    xs = [x for _, x in glyphs(first)]
    assert [b - a for a, b in zip(xs, xs[1:])] == pytest.approx([EM + 10 / 8] * 8)


# -- first-line indent -----------------------------------------------------------

def test_first_line_indent_two_em():
    st = setp(HAN * 2, indent_em=2)
    assert glyphs(st.lines[0])[0][1] == pytest.approx(20.0)
    assert st.lines[0].text == HAN[:8]
    assert glyphs(st.lines[1])[0][1] == 0


# -- lone last character (孤字) ----------------------------------------------------

def test_lone_last_han_is_avoided():
    st = setp(HAN * 2 + "一")                     # natural breaking: 10, 10, 1
    last = st.lines[-1].text
    assert sum(clreq.is_han(c) for c in last) >= 2, texts(st)
    assert joined(st) == HAN * 2 + "一"


def test_lone_last_han_with_full_stop_is_avoided():
    st = setp(HAN * 2 + "一。")
    last = st.lines[-1].text
    assert sum(clreq.is_han(c) for c in last) >= 2, texts(st)


def test_lone_last_han_after_indent_is_avoided():
    text = HAN + "一二三四五六七八九"             # 2 + 19 = 21 em: 8, 10, 1 naively
    st = setp(text, indent_em=2)
    assert sum(clreq.is_han(c) for c in st.lines[-1].text) >= 2, texts(st)


# -- spaces in the copy -------------------------------------------------------------

def test_spaces_between_chinese_words_are_kept_as_space():
    st = setp("（记者 王明玥 罗浩）")
    assert texts(st) == ["（记者王明玥罗浩）"]          # no run for a space
    assert x_of(st, "王") - (x_of(st, "者") + EM) > 0
    assert x_of(st, "罗") - (x_of(st, "玥") + EM) > 0
    assert x_of(st, "明") - x_of(st, "王") == pytest.approx(EM)


def test_space_at_a_line_break_is_dropped():
    st = setp(HAN + " " + HAN)
    assert texts(st) == [HAN, HAN]
    assert glyphs(st.lines[1])[0][1] == 0


# -- nothing lost ---------------------------------------------------------------

@pytest.mark.parametrize("para", STRESS + SAMPLE[:8], ids=lambda p: p[:8])
def test_no_text_lost(para):
    st = setp(para, 13, indent_em=2)
    assert joined(st) == para.replace(" ", "")


def test_run_of_opening_marks_longer_than_a_line_is_still_set():
    text = "（" * 25 + "一"
    st = setp(text)
    assert joined(st) == text
    assert len(st.lines) >= 2


def test_empty_text_sets_no_lines():
    assert setp("").lines == ()


# -- prohibitions on real copy --------------------------------------------------------

@pytest.mark.parametrize("name, paras", [("stress", STRESS), ("sample", SAMPLE)])
def test_real_copy_respects_prohibitions(name, paras):
    for para in paras:
        for ln in setp(para, 13, indent_em=2).lines:
            t = ln.text
            if not (t.startswith("——") or t.startswith("……")):
                assert t[0] not in clreq.NO_LINE_START_BASIC, (t, para)
            assert t[-1] not in clreq.NO_LINE_END_BASIC, (t, para)


# -- strict kinsoku --------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["……", "⋯⋯"])
def test_strict_ellipsis_never_starts_a_line(mark):
    st = setp(HAN + mark + HAN[:8], kinsoku="strict")
    assert all(not ln.text.startswith(mark[0]) for ln in st.lines), texts(st)


def test_strict_single_ellipsis_never_starts_a_line():
    st = setp(HAN + "…" + HAN[:8], kinsoku="strict")
    assert all(not ln.text.startswith("…") for ln in st.lines), texts(st)


def test_basic_allows_single_ellipsis_at_line_start():
    # the control for the strict test above: basic lets … start a line
    st = setp(HAN + "…" + HAN[:8], kinsoku="basic")
    assert texts(st)[1].startswith("…")


def test_basic_allows_dash_at_line_start():
    st = setp(HAN + "——" + HAN[:8], kinsoku="basic")
    assert texts(st)[1].startswith("——")


# -- widest gap --------------------------------------------------------------------------

def test_widest_gap_is_the_largest_line_gap():
    st = setp(HAN + "，" + HAN + "一二三四五六七八九十一二三四", 10)
    gaps = [ln.gap for ln in st.lines]
    assert max(gaps) > 0
    assert st.widest_gap == pytest.approx(max(gaps) / SIZE)   # em


def test_widest_gap_zero_when_nothing_stretched():
    assert setp(HAN * 3).widest_gap == 0


# -- headline-like settings ---------------------------------------------------------------

def test_unjustified_text_is_set_at_natural_width():
    st = setp(HAN + "，" + HAN, justify=False)
    assert all(ln.gap == 0 for ln in st.lines)
    assert all(ln.last for ln in st.lines)


def test_tracking_adds_to_every_character():
    st = setp("ABC", 100, tracking_em=0.5)
    xs = [x for _, x in glyphs(st.lines[0])]
    assert [b - a for a, b in zip(xs, xs[1:])] == pytest.approx([10.0, 10.0])


class HalfWidthMetrics(FakeMetrics):
    """The fake font with half-width glyphs for every mark (like OpenType 'halt')."""

    def has_half(self, face: str, ch: str) -> bool:
        return ch in LEFT_HALF or ch in RIGHT_HALF


def test_line_end_mark_uses_the_half_width_glyph_at_the_edge():
    st = set_text("一二三四五六七八九，十一二三四五六七八九十。", ("fake",), 10, 100,
                  HalfWidthMetrics(), rules=Rules(line_end_half=True))
    first = st.lines[0]
    mark = first.runs[-1]
    assert mark.text == "，" and mark.face.endswith("/half")
    assert mark.x == pytest.approx(95.0)          # its half-em box ends on the edge


def test_adjacent_pair_first_mark_is_half_width_second_full():
    st = set_text("他说：“好。”我们走。", ("fake",), 10, 200, HalfWidthMetrics())
    runs = {r.text: r for r in st.lines[0].runs}
    assert runs["："].face.endswith("/half")   # ：“ : the colon gives up its blank
    assert not runs["“"].face.endswith("/half")
    assert runs["“"].x - runs["："].x == pytest.approx(5.0)


def test_squeezed_opening_mark_half_glyph_origin_is_its_box_start():
    # （《: the second opening mark gives up its leading blank
    st = set_text("一（《二》）三", ("fake",), 10, 200, HalfWidthMetrics())
    runs = st.lines[0].runs
    book = next(r for r in runs if r.text == "《")
    paren = next(r for r in runs if r.text == "（")
    assert book.face.endswith("/half")
    # （ takes a full em from x=10: its blank half as space, then a half-width
    # glyph at 15; 《 's half box starts right after it, half an em on
    assert paren.face.endswith("/half")
    assert paren.x == pytest.approx(15.0) and book.x == pytest.approx(20.0)


def test_without_half_glyphs_marks_keep_their_font_glyph():
    st = set_text("一二三四五六七八九，十一二三四五六七八九十。", ("fake",), 10, 100, METRICS)
    assert all(not r.face.endswith("/half") for ln in st.lines for r in ln.runs)


@pytest.mark.parametrize("code", ["（豫）LA202016", "(豫)LA202016"])
@pytest.mark.parametrize("lead", range(8))
def test_registration_code_is_never_split(code, lead):
    # with `lead` characters before it, the code reaches the line end at every offset
    st = set_text("一" * lead + code + "二三四五六七八九十", ("fake",), 10, 100, METRICS)
    assert not any(ln.text.startswith("LA") for ln in st.lines), [ln.text for ln in st.lines]
    assert "".join(ln.text for ln in st.lines).count("LA202016") == 1


def test_halfwidth_parentheses_beside_chinese_become_fullwidth_when_asked():
    st = set_text("河南省党委(党组)和GDP (gross)", ("fake",), 10, 1000, METRICS,
                  justify=False, rules=Rules(fullwidth_parens=True))
    assert st.lines[0].text.replace(" ", "") == "河南省党委（党组）和GDP(gross)"


def test_parentheses_are_kept_as_typed_by_default():
    st = set_text("党委(党组)", ("fake",), 10, 1000, METRICS, justify=False)
    assert st.lines[0].text == "党委(党组)"


@pytest.mark.parametrize("space", ["\t", "\u00a0", "\u2002", "\n"])
def test_any_whitespace_in_copy_sets_as_a_word_space(space):
    st = set_text(f"记者{space}王明玥", ("fake",), 10, 1000, METRICS, justify=False)
    runs = st.lines[0].runs
    assert "".join(r.text for r in runs) == "记者王明玥"
    assert runs[2].x - runs[1].x > 10.0          # the space is kept as space


def test_zero_width_space_draws_nothing_and_takes_no_room():
    st = set_text("上街\u200b时报", ("fake",), 10, 1000, METRICS, justify=False)
    runs = st.lines[0].runs
    assert [r.text for r in runs] == ["上", "街", "时", "报"]
    assert runs[2].x == pytest.approx(20.0)

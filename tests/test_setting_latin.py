"""Text setting of real copy (issue 12) with the real bundled font, at narrow measures.

Latin words, numbers with their parts, URLs, dirty punctuation: each case is a
small string set at 4-8 em in Noto Serif SC (the body face) at 10 pt, so 1 em
= 10 pt, and asserts where the lines break and how wide the glyphs are set.
"""
from __future__ import annotations

from itertools import accumulate
from pathlib import Path

import pytest

from layout import clreq, setting
from layout.fonts import FontBook
from layout.setting import (BOUNDARY_MAX_EM, SPACE_EM, SPACE_MAX_EM, SetText, set_text)
from test_setting import with_rules
from layout.style import FontSpec

SIZE = 10.0
EM = SIZE
TOL = 0.01
FONTS = Path(__file__).resolve().parent.parent / "fonts"
CHAIN = ("serif", "kai")
HAN = "一二三四五六七八九十"

# every character the cases use, claimed before the font book is prepared
CHARS = "".join(sorted(set("".join(p.read_text(encoding="utf-8") for p in
                                    Path(__file__).parent.glob("test_setting_*.py")))
                            - set("\n\t")))


@pytest.fixture(scope="module")
def book(cache) -> FontBook:
    fb = FontBook({"serif": FontSpec("serif", FONTS / "NotoSerifSC-Regular.otf"),
                   "kai": FontSpec("kai", FONTS / "LXGWWenKai-Regular.ttf")}, cache=cache)
    fb.claim(CHAIN, CHARS, "the tests")
    fb.prepare()
    return fb


def setp(book, text: str, measure_em: float, **kw) -> SetText:
    return set_text(text, CHAIN, SIZE, measure_em * EM, book, **with_rules(kw))


def texts(st: SetText) -> list[str]:
    return [ln.text for ln in st.lines]


def joined(st: SetText) -> str:
    return "".join(texts(st))


def adv(book, text: str) -> float:
    """Natural width (em) of text in the body face."""
    return sum(book.advance(book.face_for(CHAIN, c), c) for c in text)


def glyphs(book, line) -> list[tuple[str, float, float]]:
    """(character, origin pt, advance pt) of every glyph of a line, however runs group them."""
    out = []
    for r in line.runs:
        x = r.x
        face = r.face.split("/")[0]
        for c in r.text:
            a = book.advance(face, c) * EM * (0.5 if r.face.endswith("/half") else 1.0)
            out.append((c, x, a))
            x += a
    return out


def run_of(line, text: str):
    found = [r for r in line.runs if r.text == text]
    assert len(found) == 1, (text, [r.text for r in line.runs])
    return found[0]


def gap_after(book, line, text: str) -> float:
    """White (pt) between the end of the run `text` and the next glyph's origin."""
    runs = list(line.runs)
    i = runs.index(run_of(line, text))
    return runs[i + 1].x - (runs[i].x + adv(book, text) * EM)


def gap_before(book, line, text: str) -> float:
    """White (pt) between the previous glyph's box and the run `text`."""
    gs = glyphs(book, line)
    r = run_of(line, text)
    prev = [g for g in gs if g[1] < r.x - 1e-6][-1]
    return r.x - (prev[1] + prev[2])


def right_edge(book, line) -> float:
    """Right edge (pt) of a line's last box (a closing mark ending a justified line: its half)."""
    c, x, a = glyphs(book, line)[-1]
    if not line.last and c in clreq.CLOSING | clreq.PAUSE_STOP and a == EM:
        return x + a / 2
    return x + a


def assert_rules_kept(st: SetText) -> None:
    ts = texts(st)
    for k, t in enumerate(ts):
        if k:
            assert t[0] not in clreq.NO_LINE_START_BASIC or t[:2] in clreq.TWO_EM, ts
        if k < len(ts) - 1:
            assert t[-1] not in clreq.NO_LINE_END_BASIC, ts
    assert st.broken == (), st.broken


# -- 1. one unbreakable chain never switches the rules off -----------------------

URL = "https://www.example.gov.cn/zwgk"
CHAIN_TEXT = "详见网址（" + URL + "）。" + "我们" + HAN + "，" + HAN + "，" + HAN + "。"


@pytest.mark.parametrize("measure", [4, 5, 6, 7, 8])
def test_url_chain_keeps_the_rules_everywhere(book, measure):
    st = setp(book, CHAIN_TEXT, measure)
    assert joined(st) == CHAIN_TEXT
    assert_rules_kept(st)
    for ln in st.lines:
        assert right_edge(book, ln) <= measure * EM + TOL, ln.text


@pytest.mark.parametrize("measure", [4, 5, 6, 8])
def test_url_breaks_only_after_its_joints(book, measure, monkeypatch):
    st = setp(book, CHAIN_TEXT, measure)
    start = CHAIN_TEXT.index(URL)
    joints = {j.end() for j in clreq.URL_JOINT.finditer(URL)}
    pos = 0
    for t in texts(st)[:-1]:
        pos += len(t)
        k = pos - start
        if 0 < k < len(URL) and k not in joints:
            # between two letters only where the URL's piece is itself wider than a
            # line, or where keeping it whole leaves a line's gaps open beyond 1 em
            lo = max([j for j in joints if j < k] + [0])
            hi = min([j for j in joints if j > k] + [len(URL)])
            if adv(book, URL[lo:hi]) + 1 > measure:
                continue
            with monkeypatch.context() as m:
                m.setattr(setting, "URL_CHAR_BREAK", 1e9)
                whole = setp(book, CHAIN_TEXT, measure)
            assert max(ln.gap for ln in whole.lines) / SIZE > 1.0, (texts(st), URL[lo:hi])
    assert not any("htt" in t and "https" not in t for t in texts(st)[:-1] if measure > 4)


def test_url_that_fits_the_measure_stays_whole(book):
    url = "www.example.cn"
    text = "请访问" + url + "了解详情"
    # the measure ends inside the URL if 了 joined the line; whole, the line is full
    st = setp(book, text, 3 + adv(book, url) + 0.3)
    assert any(url in t for t in texts(st)), texts(st)


@pytest.mark.parametrize("prefix, url, rest", [
    ("请登录区政府网站", "www.example.gov.cn", "了解"),
    ("市民可发送邮件至", "service@shangjie.gov.cn", "反映问题"),
])
def test_url_breaks_at_a_joint_rather_than_leave_a_loose_line(book, prefix, url, rest):
    text = prefix + url + rest
    head = url[:url.index(".") + 1] if "@" not in url else url[:url.index("@") + 1]
    # the line holds the prefix and the URL's first piece; kept whole, the URL would
    # leave the prefix spread over a line (or stand alone, letterspaced)
    measure = len(prefix) + adv(book, head) + 0.1
    assert adv(book, url) <= measure < len(prefix) + adv(book, url)
    st = setp(book, text, measure)
    assert joined(st) == text
    assert not any(url in t for t in texts(st)), texts(st)
    assert st.widest_gap <= 0.3, (texts(st), st.widest_gap)
    start, ends = text.index(url), list(accumulate(len(t) for t in texts(st)))
    assert all(url[e - start - 1] in "/.@" for e in ends if start < e < start + len(url))


def test_a_url_that_fits_breaks_between_letters_rather_than_open_gaps_of_em(book):
    # 或登录www. | dfgongjiao.com查询。 in 13 em (a 2 em indent): its only joints left
    # 或登录www. spread at 2.45 em; between two letters the lines are full
    text = "或登录www.dfgongjiao.com查询。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text
    assert st.widest_gap < 0.5, (texts(st), st.widest_gap)
    assert not texts(st)[0].endswith("www.")          # never inside what starts it either
    # where a joint leaves a line of ordinary gaps, the address still breaks only there
    st = setp(book, "游客可通过“嵩山景区”APP或官网www.songshanjq.com提前7天预约，每个时段限流3000人。",
              12, indent_em=2)
    url = "www.songshanjq.com"
    ends = list(accumulate(len(t) for t in texts(st)))
    start = joined(st).index(url)
    assert all(url[e - start - 1] in "/.@" for e in ends if start < e < start + len(url)), \
        texts(st)


def test_a_plus_minus_sign_stays_with_its_number(book):
    # 昼夜温差± | 0.5℃内波动 split a tolerance from its sign in a new user's ear
    text = "昼夜温差±0.5℃内波动，请注意添减衣物。"
    for measure in (5, 6, 7, 8):
        st = setp(book, text, measure)
        assert joined(st) == text
        assert not any(t.endswith("±") for t in texts(st)), (measure, texts(st))


def test_a_range_of_times_may_end_a_line_at_its_dash(book):
    # 开放时间为每天 | 8:30—17:30，… spread the first line at 0.67 em; the range's dash may
    # end a line (never start one), at a telephone number's cost
    text = "开放时间为每天8:30—17:30，节假日照常开放。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text
    assert texts(st)[0] == "开放时间为每天8:30—", texts(st)
    assert st.widest_gap < 0.25
    # ... and where the range fits with the text before it, it stays whole
    st = setp(book, "时间8:30—17:30。今天天气很好，我们去公园散步了。", 13, indent_em=2)
    assert "8:30—17:30" in texts(st)[0], texts(st)


def test_comma_never_starts_a_line_far_from_the_chain(book):
    # ten Han fill 10 em: without rules line 3 would start with ，
    text = "（" + URL + "）。" + HAN + "，" + HAN
    st = setp(book, text, 10)
    assert_rules_kept(st)
    assert joined(st) == text


def test_line_start_bracket_gives_up_its_half_em_only_when_needed(book):
    word = "ABCDEFGH"
    w = adv(book, word)
    measure = 1 + w + 0.5 - 0.3          # （word） with ） at line-end half: 0.3 em too wide
    st = setp(book, "（" + word + "）一二三四五六七八九十", measure)
    first = st.lines[0]
    assert first.text == "（" + word + "）"
    assert st.broken == ()
    paren = first.runs[0]
    # its blank, at the line's start, is given up (in part: the 0.3 em the line needs)
    assert paren.x == pytest.approx(-0.3 * EM, abs=TOL)
    assert right_edge(book, first) == pytest.approx(measure * EM, abs=TOL)


def test_bracket_keeps_its_blank_at_line_start_when_the_line_fits(book):
    st = setp(book, "（一二三）四五六七八九", 5)
    assert texts(st)[0].startswith("（")
    assert not st.lines[0].runs[0].face.endswith("/half")


def test_a_rule_that_must_break_is_reported(book):
    text = "（" * 9 + "一"
    st = setp(book, text, 4)
    assert joined(st) == text
    assert st.broken and all("（" in why for _, why in st.broken)


def test_reported_lines_are_only_those_that_break_a_rule(book):
    text = "（" * 9 + "一" + HAN + "，" + HAN
    st = setp(book, text, 5)
    bad = {k for k, _ in st.broken}
    for k, t in enumerate(texts(st)):
        if k not in bad and k + 1 not in bad and "（" not in t:
            assert t[0] != "，"


# -- 2. numbers with their parts ------------------------------------------------

NUMBERS = ["14:30", "3:2", "0371-65795000", "1—2", "3·15", "12.5%", "￥80"]


@pytest.mark.parametrize("num", NUMBERS)
@pytest.mark.parametrize("lead", [2, 3, 4, 5])
def test_number_is_never_broken_inside(book, num, lead):
    text = HAN[:lead] + num + "月" + HAN
    measure = max(6, adv(book, num) + 1)
    st = setp(book, text, measure)
    assert joined(st) == text
    line = next((ln for ln in st.lines if num in ln.text), None)
    if line is None and "-" in num:
        # a telephone number may break at its hyphen, never elsewhere (to spare the line
        # before gaps of about an em: 汉汉 alone across the measure)
        k = next(k for k, ln in enumerate(st.lines) if ln.text.endswith(num.split("-")[0] + "-"))
        assert st.lines[k + 1].text.startswith(num.split("-")[1])
        assert_rules_kept(st)
        return
    run = run_of(line, num)
    assert run.text == num                          # one run, at its natural advances
    assert_rules_kept(st)


def test_a_telephone_number_breaks_at_its_hyphen_rather_than_leave_a_gappy_line(book):
    # 咨询电话：| 0938-5510001 left 咨询电话： alone across a 13 em column, 1.6 em gaps
    text = "咨询电话：0938-5510001，网址：http://zwfw.gansu.gov.cn。办事群众可以在网上办理。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text
    assert st.lines[0].text == "咨询电话：0938-"
    # ... and a number that fits after the text before it stays whole
    st = setp(book, "电话0371-65795000。今天天气很好，我们去公园散步。", 13, indent_em=2)
    assert "0371-65795000" in st.lines[0].text


@pytest.mark.parametrize("num, unit", [("22", "日"), ("9.2", "亿"), ("1", "点"), ("15", "时")])
def test_number_and_its_unit_stay_together(book, num, unit):
    before = "今年十月" if unit == "日" else "今天凌晨" if unit == "点" else "发布会在"
    text = before + num + unit + "元" + HAN
    # the measure ends right after the number: a break there is the natural one
    measure = 4 + adv(book, num) + 0.05
    st = setp(book, text, max(measure, 4))
    for a, b in zip(texts(st), texts(st)[1:]):
        assert not (a.endswith(num) and b.startswith(unit)), texts(st)
    assert joined(st) == text


@pytest.mark.parametrize("num", ["2024-2025", "2024/2025", "10～20"])
def test_hyphen_or_slash_between_digits_never_starts_a_line(book, num):
    for lead in range(6):
        st = setp(book, HAN[:lead] + num + HAN, 5)
        assert all(not t.startswith(("-", "/", "～")) for t in texts(st)), texts(st)
        assert any(num in t for t in texts(st))


def test_number_and_unit_break_is_a_penalty_not_a_ban(book):
    # 2025 then 年 in a 3 em measure: no other way
    st = setp(book, "2025年2025年2025年", 3)
    assert joined(st) == "2025年2025年2025年"


# -- 3. spacing around Latin -----------------------------------------------------

def test_word_space_stretches_to_half_an_em_at_most(book):
    text = "我们的Surface Book上线" + HAN
    natural = 3 + adv(book, "Surface") + SPACE_EM + adv(book, "Book")
    st = setp(book, text, 10)
    line = st.lines[0]
    assert line.text == "我们的SurfaceBook"
    assert gap_after(book, line, "Surface") == pytest.approx(SPACE_MAX_EM * EM, abs=TOL)
    rest = (10 - natural - (SPACE_MAX_EM - SPACE_EM)) / 3       # 我们 的 | S: 3 gaps share the rest
    gs = glyphs(book, line)
    assert gs[1][1] - gs[0][1] == pytest.approx((1 + rest) * EM, abs=TOL)
    assert gap_before(book, line, "Surface") == pytest.approx(rest * EM, abs=TOL)
    assert right_edge(book, line) == pytest.approx(10 * EM, abs=TOL)


def test_word_space_stretches_before_han_gaps(book):
    # a line with one word space and Han: the space grows first
    text = "他说Surface Book好" + HAN
    w = adv(book, "Surface") + adv(book, "Book") + SPACE_EM + 3
    measure = w + 0.1                           # 0.1 em of slack: the space takes it all
    st = setp(book, text, measure)
    line = st.lines[0]
    assert line.text == "他说SurfaceBook好"
    assert gap_after(book, line, "Surface") == pytest.approx((SPACE_EM + 0.1) * EM, abs=TOL)
    gs = glyphs(book, line)
    assert gs[1][1] - gs[0][1] == pytest.approx(EM, abs=TOL)      # 他说 not spaced


def test_han_latin_gap_capped_at_a_quarter_em(book):
    text = "我们Windows系统" + "Surface"
    w = 2 + adv(book, "Windows") + 2
    measure = w + 1.2          # 1.2 em over 5 gaps: 0.3 em a gap if shared out evenly
    st = setp(book, text, measure)
    line = st.lines[0]
    assert line.text.startswith("我们Windows系统")
    assert gap_before(book, line, "Windows") <= BOUNDARY_MAX_EM * EM + TOL
    assert gap_after(book, line, "Windows") <= BOUNDARY_MAX_EM * EM + TOL
    assert right_edge(book, line) == pytest.approx(measure * EM, abs=TOL)


def test_han_latin_gap_gives_way_to_han_gaps(book):
    text = "我们Windows系统新版本" + "Surface上线"
    w = 2 + adv(book, "Windows") + 5
    measure = w + 2.0
    st = setp(book, text, measure)
    line = st.lines[0]
    assert line.text == "我们Windows系统新版本"
    assert gap_before(book, line, "Windows") == pytest.approx(BOUNDARY_MAX_EM * EM, abs=TOL)
    gs = glyphs(book, line)
    han_gap = gs[1][1] - gs[0][1] - EM
    assert han_gap > BOUNDARY_MAX_EM * EM
    assert right_edge(book, line) == pytest.approx(measure * EM, abs=TOL)


def test_latin_letters_are_never_spaced(book):
    st = setp(book, "新版本Surface上线" + HAN, 7)
    for ln in st.lines:
        for r in ln.runs:
            if r.text.isascii() and len(r.text) > 1:
                assert r.text in ("Surface",)


def test_tight_line_shrinks_commas_before_full_stops(book):
    # 一，二。三: 0.3 em too wide; the comma gives it, the full stop keeps its em
    st = setp(book, "一，二。三四五", 4.7)
    line = st.lines[0]
    assert line.text == "一，二。三"
    gs = {c: x for c, x, _ in glyphs(book, line)}
    assert gs["二"] - gs["，"] == pytest.approx(0.7 * EM, abs=TOL)
    assert gs["三"] - gs["。"] == pytest.approx(EM, abs=TOL)


def test_tight_line_uses_full_stops_after_commas_run_out(book):
    st = setp(book, "一，二。三四五", 4.4)
    line = st.lines[0]
    assert line.text == "一，二。三"
    gs = {c: x for c, x, _ in glyphs(book, line)}
    assert gs["二"] - gs["，"] == pytest.approx(0.5 * EM, abs=TOL)
    assert gs["三"] - gs["。"] == pytest.approx(0.9 * EM, abs=TOL)


def test_commas_of_a_tight_line_share_its_shrink_alike(book):
    st = setp(book, "一，二，三。四五六七", 5.0)      # 5.5 em wide: 0.5 em to give
    line = st.lines[0]
    assert line.text == "一，二，三。"          # 。 at the line end: half width
    gs = {x: c for c, x, _ in glyphs(book, line)}
    xs = sorted(gs)
    widths = [b - a for a, b in zip(xs, xs[1:]) if gs[a] == "，"]
    assert widths == pytest.approx([0.75 * EM, 0.75 * EM], abs=TOL)


@pytest.mark.parametrize("para", [
    "2025年3月9日，我区举行Surface Book发布会，网址www.example.gov.cn，电话0371-65795000。",
    "下午14:30，比分3:2；12.5%的居民（约3,200人）参加。详见https://www.example.gov.cn/zwgk。",
])
@pytest.mark.parametrize("measure", [4, 5, 6, 7, 8])
def test_real_copy_at_narrow_measures(book, para, measure):
    st = setp(book, para, measure, indent_em=2 if measure > 4 else 0)
    assert joined(st) == para.replace(" ", "")
    assert_rules_kept(st)
    for ln in st.lines:
        assert right_edge(book, ln) <= measure * EM + TOL, ln.text
        # one character alone cannot be justified; a line of an address's pieces alone
        # is left short rather than spaced out (h t t p s)
        if not ln.last and len(ln.runs) > 1 and not ln.text.isascii():
            assert right_edge(book, ln) == pytest.approx(measure * EM, abs=TOL), ln.text
        if ln.text.isascii() and ln.text in para:      # (not words parted by a space:
            assert ln.gap / SIZE <= 0.1 + 1e-9, ln.text  # their space takes the slack)


def test_an_address_alone_on_its_lines_is_left_short_not_spaced_out(book):
    # a 10-character column: https://bianmin. | lankao.gov.cn/ were justified by
    # spacing their letters (b i a n m i n .); now tracked at most 0.1 em, the
    # rest of the line left empty
    text = "访问https://bianmin.lankao.gov.cn/service/map?area=chengguan&type=all查询。"
    st = setp(book, text, 10)
    assert joined(st) == text
    url_lines = [ln for ln in st.lines[:-1] if ln.text.isascii()]
    assert url_lines, texts(st)
    for ln in url_lines:
        assert ln.gap / SIZE <= 0.1 + 1e-9, (ln.text, ln.gap / SIZE)
    assert any(right_edge(book, ln) < 10 * EM - TOL for ln in url_lines)


def test_a_long_url_breaks_between_letters_rather_than_open_a_line_wide(book):
    # a column (13 em) with a 2 em indent: kept to its joints, the first line is
    # "详见https://www." with gaps of 2.4 em; broken inside "shangjie" it is even
    text = "详见https://www.shangjie.gov.cn/art/2025/3/9/art_12345_678901.html或来电咨询。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text
    assert max(ln.gap for ln in st.lines[:-1]) / SIZE < 0.5, texts(st)
    assert texts(st)[0].startswith("详见https://www.")


@pytest.mark.parametrize("measure", [6, 7, 8])
def test_no_line_of_one_character_before_an_address(book, measure):
    # a lone 详 on its line (nothing to justify) was cheaper than 详见 spaced out
    st = setp(book, CHAIN_TEXT, measure)
    assert all(len(t) > 1 for t in texts(st)[:-1]), texts(st)


def test_a_latin_words_own_comma_or_bang_is_never_spaced_off_it(book):
    # a justified line of English in a Chinese column stretched the gap between Hi and
    # its comma (2.7 em) as if it were a Han-Latin boundary; word spaces take it now
    text = "“Hi, welcome to Songshan! Which scenic spot would you like to visit first?”10月12日，游客说。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text.replace(" ", "")
    for ln in st.lines[:-1]:
        for a, b in zip(ln.runs, ln.runs[1:]):
            if b.text in (",", "!", "?") and a.text.isascii() and a.text[-1:].isalpha():
                assert abs(b.x - (a.x + adv(book, a.text) * SIZE)) < 0.05, (ln.text, a, b)


@pytest.mark.parametrize("lead", range(0, 13))
def test_a_foreign_name_is_not_broken_at_its_middle_dot(book, lead):
    # 托马斯· | 米勒 split a name across lines; the 间隔号 break is avoided like a unit's
    text = "一" * lead + "来自德国的托马斯·米勒先生表示，这里的风景很美，欢迎大家来玩。"
    st = setp(book, text, 13, indent_em=2)
    assert joined(st) == text
    assert not any(ln.text.endswith("·") for ln in st.lines[:-1]), texts(st)


def test_a_line_of_english_after_an_opening_quote_spaces_its_words_not_the_quote(book):
    # “Hello everyone! | Welcome …: the first line, one word space and the gap after “,
    # had all its slack (2 em) after the quote, which then read as ending the line
    text = "“Hello everyone! Welcome to Heyang, the hometown of sweet potatoes!”在禾阳县。"
    st = setp(book, text, 13, indent_em=2.0)
    first = glyphs(book, st.lines[0])
    assert "".join(c for c, _, _ in first) == "“Helloeveryone!"
    quote, hello = first[0], first[1]
    gap = (hello[1] - quote[1] - quote[2]) / EM
    assert gap <= BOUNDARY_MAX_EM + TOL, gap
    assert first[-1][1] + first[-1][2] == pytest.approx(13 * EM, abs=0.05)   # justified


# -- a name or number's own spaces, joining signs, e-mail joints ---------------------------

def test_a_latin_word_keeps_its_number_where_a_break_elsewhere_sets_as_well(book):
    # iPhone | 16 parted a product's name from its number at the copy's space
    text = ("据了解，该项目总投资约50亿元，主要生产iPhone 16系列手机的核心零部件，"
            "达产后预计年产值超百亿元，可带动就业岗位3000多个，对完善我区电子信息产业链具有重要意义。")
    st = setp(book, text, 12)
    assert texts(st)[:2] == ["据了解，该项目总投资约50", "亿元，主要生产iPhone16"]
    assert st.widest_gap <= 0.25


@pytest.mark.parametrize("text, measure, whole", [
    ("爱心人士可将善款汇入南沙区青年联合会账户，账号6222 1234 5678 9012 345，"
     "开户行为农业银行南沙支行。", 13, "6222123456789012345"),
    ("如有疑问，可拨打服务热线400 800 1234咨询，工作人员将在一个工作日内回复。", 14, "4008001234")])
def test_digit_groups_spaced_by_the_copy_stay_on_one_line(book, text, measure, whole):
    # an account (账号6222 | 1234 5678 …) or a telephone number (400 | 800 1234) split
    # at one of its spaces is misread when copied off the page
    st = setp(book, text, measure)
    assert any(whole in t for t in texts(st)), texts(st)
    assert st.widest_gap <= 0.25


def test_a_joining_sign_never_starts_or_ends_a_line(book):
    # “5G+ | 工业互联网” and 7× | 24小时 (and “5G | +工业…” one character further on)
    text = HAN[:6] + "我区推进“5G+工业互联网”建设，提供7×24小时服务。"
    assert texts(setp(book, text, 13)) == [HAN[:6] + "我区推进", "“5G+工业互联网”建设，提",
                                           "供7×24小时服务。"]
    st = setp(book, HAN[:7] + "我区推进“5G+工业互联网”建设。", 13)
    assert not any(t.endswith(("+", "×")) or t.startswith(("+", "×")) for t in texts(st))
    # written with spaces round it, the sign is a word of its own: a line may end there
    assert clreq.JOINERS >= {"+", "×", "&"} and "/" not in clreq.JOINERS   # (／: the level's)


def test_an_email_address_never_breaks_after_its_underscore(book):
    # nansha_ | youth@163.com: _ is part of the name, not a joint; @ is
    text = HAN[:9] + "报名表请发送至邮箱nansha_youth@163.com，截止日期为本月底。"
    st = setp(book, text, 13)
    assert texts(st)[1:3] == ["发送至邮箱nansha_youth@", "163.com，截止日期为本"]
    assert not any(t.endswith("_") for t in texts(st))


def test_word_spaces_stretched_past_their_room_count_as_a_loose_line(book):
    # a new user's English quotation in a 13-character column: “joint lab will become”
    # spaced a whole em between words, and the build said nothing (the line's gap left
    # the word spaces out)
    text = ("他说：“The joint lab will become a bridge linking Hong Kong and the "
            "Greater Bay Area's innovation.”")
    st = setp(book, text, 13)
    loose = [ln for ln in st.lines[:-1] if ln.text.isascii()]
    assert loose, [ln.text for ln in st.lines]
    assert max(ln.gap / SIZE for ln in loose) > 0.25


@pytest.mark.parametrize("text", ["今日天气晴转多云，气温-12℃～-3℃，西北风3级。",
                                  "预计阵风可达8～10级，请注意防范。"])
@pytest.mark.parametrize("measure", [8, 9, 10, 11, 12, 13])
def test_a_range_is_never_broken_at_its_tilde(book, text, measure):
    # a new user's 报眼 set -12℃～ | -3℃: a range reads as one figure
    st = setp(book, text, measure)
    assert joined(st) == text
    for a, b in zip(st.lines, st.lines[1:]):
        assert not a.text.endswith(("～", "~")) and not b.text.startswith(("～", "~")), \
            texts(st)

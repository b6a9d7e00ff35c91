"""Headline breaks new users found wrong (nu8, nu9): set through the project's setter.

Each headline is set as the page sets it, by the composer's TextSetter
(composer.text.headline) at a module's width, and its lines compared.
"""
from __future__ import annotations

import pytest

from layout import clreq, words
from layout.setting import Unit, _bound_space


from test_setting_copy import composer, head_lines  # noqa: F401  (the same fixture)


# -- 1. 从铝城到“航空小镇”: a run before a quotation is no name ------------------------

def test_a_lead_headline_that_fits_stays_on_one_line(composer):
    assert head_lines(composer, "从铝城到“航空小镇”", "lead_headline", 6) == ["从铝城到“航空小镇”"]


def test_a_headline_on_two_lines_breaks_before_the_quoted_term(composer):
    # the page's second shape (its headline on one more line) narrows the measure: it
    # broke 从铝城到“航 | 空小镇”, inside the word and the quotation, as the whole
    # headline was one piece (从铝城到 taken for a name set off by marks)
    head = "从铝城到“航空小镇”"
    assert head_lines(composer, head, "lead_headline", 2) == ["从铝城到", "“航空小镇”"]
    role = "lead_headline"
    measure = composer.span_width(6) * 0.85 ** 6      # the second shape's measure
    assert [ln.text for ln in composer.text.headline(head, role, measure).lines] == [
        "从铝城到", "“航空小镇”"]
    assert not composer.text.broken_inside_words(head, role, measure)


def test_a_name_set_off_by_marks_is_still_whole():
    for head, name in (("“马路天使”王秀梅：清扫街道二十年", "王秀梅"),
                       ("用“绣花功夫”绣出城市“新颜值”", "绣出城市")):
        at = head.index(name)
        assert not any(at < p < at + len(name) for p in words.break_points(head))


def test_only_the_to_of_from_to_ends_a_line_before_a_quotation():
    # 从“卖原料”到 | “卖产品” stays whole; 湖田街道为 | … never
    assert words.break_points("从铝城到“航空小镇”").count(4) == 1
    head = "从“卖原料”到“卖产品”再到“卖品牌”"
    assert head.index("到“卖产品") + 1 not in words.break_points(head)
    assert head.index("到“卖品牌") + 1 not in words.break_points(head)
    assert 5 not in words.break_points("湖田街道为“老人”免费理发")


# -- 2. iPhone 16 Pro: a product's word, number, word ----------------------------------

HEAD_IPHONE = "我市举办“iPhone 16 Pro以旧换新”促消费活动 带动家电数码消费1.2亿元"


def test_the_word_after_a_named_number_binds_too():
    assert clreq.space_binds("6", "P", named=True)
    assert not clreq.space_binds("6", "P")
    at = HEAD_IPHONE.index("16 Pro") + 3
    assert at not in words.break_points(HEAD_IPHONE), words.pieces(HEAD_IPHONE)
    assert "“iPhone 16 Pro" in words.pieces(HEAD_IPHONE)


@pytest.mark.parametrize("columns", [2, 3])
def test_iphone_16_pro_is_never_broken(composer, columns):
    lines = head_lines(composer, HEAD_IPHONE, "headline", columns)
    assert any("iPhone16Pro" in ln for ln in lines), lines


def test_body_text_avoids_a_break_inside_the_name():
    def u(text, kind="latin"):
        return Unit(text, "f", kind, 1.0, 0.0, 0.0, 0.0)
    us = [u("iPhone"), u(" ", "space"), u("16"), u(" ", "space"), u("Pro")]
    assert _bound_space(us, 3) > 0
    assert _bound_space([u("的", "han"), u(" ", "space"), u("16"), u(" ", "space"),
                         u("Pro")], 3) == 0


# -- 3. a break at a clause mark before one after a verb --------------------------------

def test_a_subheadline_breaks_after_its_comma(composer):
    head = "全市已建成5G基站2,368个，打造“5G+工业互联网”应用场景46个"
    for columns in (2, 3):
        assert head_lines(composer, head, "subheadline", columns) == [
            "全市已建成5G基站2,368个，", "打造“5G+工业互联网”应用场景46个"]


def test_a_comma_far_from_the_middle_does_not_take_the_break(composer):
    # 开训！ alone on a line would leave the rest long: the balance still decides
    head = "开训！役前教育助力预定新兵走好军旅第一步"
    assert head_lines(composer, head, "headline", 2)[0] != "开训！"


# -- 4. a number and its measure word with their noun; the dash of a first part ------

def test_a_count_stays_with_its_noun(composer):
    assert head_lines(composer, "总投资86.5亿元 我市22个重大项目集中开工", "headline", 2) == [
        "总投资86.5亿元", "我市22个重大项目", "集中开工"]


def test_a_headline_breaks_after_the_dash_of_its_first_part(composer):
    head = "从“卖原料”到“卖产品”再到“卖品牌”——荥阳阀门产业转型升级调查"
    assert head_lines(composer, head, "lead_headline", 6) == [
        "从“卖原料”到“卖产品”再到“卖品牌”——", "荥阳阀门产业转型升级调查"]
    assert head_lines(composer, head, "lead_headline", 4) == [
        "从“卖原料”到“卖产品”", "再到“卖品牌”——", "荥阳阀门产业转型升级调查"]


# -- nu10: phrases that fit share lines beside one too wide for a line -----------------

def test_phrases_that_fit_share_lines_beside_a_phrase_too_wide(composer):
    # 周赟在…上强调 | 坚定信心 | 真抓实干 | 奋力…: every phrase was put on lines of its own
    # once one of them was wider than the measure, five lines for three
    head = ("周赟在县委经济工作会议暨全县优化营商环境大会上强调 坚定信心 真抓实干 "
            "奋力夺取全年目标任务“双过半”")
    lines = head_lines(composer, head, "lead_headline", 4)
    assert "坚定信心真抓实干" in lines, lines       # (the copy's space is a gap, not text)
    assert lines[0] + lines[1] == "周赟在县委经济工作会议暨全县优化营商环境大会上强调"
    assert len(lines) == 4


def test_a_shape_to_fill_a_page_leaves_no_line_of_two_characters(composer):
    # 读书， | 是一场温柔的修行: an 11-character headline broken to use up room
    from layout.model import Article
    src = composer.issue.pages[0].articles[0].source
    head = "读书，是一场温柔的修行"
    for span in range(2, 7):
        block = composer._head_block(Article(head, ("正文。",), None, None, None, src), False,
                                     composer.span_width(span), more_lines=True,
                                     role="headline")
        if block is not None:
            lines = [ln.text for s, _, _ in block for ln in s.lines]
            assert all(sum(ch.isalnum() for ch in t) >= 3 for t in lines), (span, lines)


def test_a_unit_with_a_solidus_is_never_broken_after_it(composer):
    # a new user's 报眼: 42微克/ | 立方米 (the house's basic kinsoku lets / end a line;
    # before a Han character it is a unit's or a pair's)
    width = composer.grid.column_width
    seen = 0
    for k in range(14):
        text = "啊" * k + "今日空气质量良，PM2.5浓度为42微克/立方米，适宜户外活动。"
        lines = composer.text.set(text, "body", width).lines
        seen += len(lines) > 1
        assert not any(a.text.endswith("/") for a in lines[:-1]), [ln.text for ln in lines]
    assert seen


def test_a_range_of_percentages_stays_whole(composer):
    # a new user's tech page: 增长3%— | 5% (README: ranges never break inside)
    width = composer.grid.column_width
    for k in range(13):
        lines = composer.text.set("啊" * k + "今年国内AI应用市场规模将增长3%—5%，相关岗位需求同比增长",
                                  "body", width).lines
        assert not any(a.text.endswith("—") for a in lines[:-1]), [ln.text for ln in lines]


def test_a_space_after_a_han_phrase_before_a_latin_word_is_a_break(composer):
    # a new user's 算力需求激增 NVIDIA H100一卡难求 broke NVIDIA | H100: the copy's space
    # beside a Latin letter was read as spacing, so the pause after 激增 went unused
    from layout.textsetter import _phrases
    assert _phrases("算力需求激增 NVIDIA H100一卡难求") == ["算力需求激增", "NVIDIA H100一卡难求"]
    assert _phrases("增至 36 个") == ["增至 36 个"]               # spacing, still
    assert _phrases("使用 Python 编程") == ["使用 Python 编程"]
    lines = head_lines(composer, "算力需求激增 NVIDIA H100一卡难求", "headline", 3)
    assert lines[0] == "算力需求激增", lines

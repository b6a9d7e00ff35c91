"""Headline and byline breaks a new user found wrong (nuA, 河阳 2025-03-14).

Set through the project's own setter (composer.text), as the page sets them.
"""
from __future__ import annotations

import pytest

from layout import words
from layout.model import Article
from layout.textsetter import _phrases

from test_setting_copy import composer, head_lines  # noqa: F401  (the same fixture)


def _ems(composer, role: str, ems: float) -> float:
    return ems * composer.style.text[role].size


# -- 1. a space the editor wrote before a number opening a phrase ------------------------

HEAD_SPACE = "政务服务“一网通办”新版上线 156项事项“掌上办”"


def test_a_space_before_a_count_opening_a_phrase_parts_phrases():
    # the space before 156项 was taken for spacing beside a digit, and the headline
    # broke 新版 | 上线 156项…: the editor's pause unused
    assert _phrases(HEAD_SPACE) == ["政务服务“一网通办”新版上线", "156项事项“掌上办”"]
    assert _phrases("无人机送外卖 15分钟“飞”到家") == ["无人机送外卖", "15分钟“飞”到家"]
    # spacing still: a number spaced on both sides, or after a short word
    assert _phrases("县城 “口袋公园” 增至 36 个") == ["县城", "“口袋公园”", "增至 36 个"]
    assert _phrases("全年增长 5.8%") == ["全年增长 5.8%"]
    assert _phrases("迎来 2025年") == ["迎来 2025年"]


def test_a_headline_breaks_at_the_space_before_the_count(composer):
    assert head_lines(composer, HEAD_SPACE, "headline", 3) == [
        "政务服务“一网通办”新版上线", "156项事项“掌上办”"]
    for ems in range(9, 24):            # wherever it must break, never 新版 | 上线
        lines = [ln.text for ln in composer.text.headline(
            HEAD_SPACE, "headline", _ems(composer, "headline", ems)).lines]
        assert not any(a.endswith("新版") for a in lines[:-1]), (ems, lines)


# -- 2. 第五届河阳青年科技奖: an award's name is never broken ------------------------------

@pytest.mark.parametrize("head, name", [
    ("第五届河阳青年科技奖揭晓", "河阳青年科技奖"),
    ("第三届黄河文化旅游节开幕", "黄河文化旅游节"),
    ("第十二届河阳市中学生运动会闭幕", "河阳市中学生运动会")])
def test_the_name_after_an_edition_ordinal_stays_whole(head, name):
    at = head.index(name)
    assert not any(at < p < at + len(name) for p in words.break_points(head)), \
        words.pieces(head)


def test_an_award_headline_on_two_lines_keeps_the_award_whole(composer):
    head = "第五届河阳青年科技奖揭晓"
    for ems in (7, 8, 9.5, 10, 11, 11.5):
        lines = [ln.text for ln in composer.text.headline(
            head, "headline", _ems(composer, "headline", ems)).lines]
        assert any("河阳青年科技奖" in t for t in lines), (ems, lines)
        if ems >= 9.5:          # two lines: after the ordinal, not 第五届河阳青年科技奖 | 揭晓
            assert lines == ["第五届", "河阳青年科技奖揭晓"], (ems, lines)
    # the shape a page asks for to fill room (one line more than it needs)
    src = composer.issue.pages[0].articles[0].source
    for span in range(2, 5):
        block = composer._head_block(Article(head, ("正文。",), None, None, None, src), False,
                                     composer.span_width(span), more_lines=True,
                                     role="headline")
        if block is not None:
            assert [ln.text for s, _, _ in block for ln in s.lines] == [
                "第五届", "河阳青年科技奖揭晓"], span


# -- 3. a byline's 文/ and 图/ credits: a role never parted from its name -----------------

BYLINE = "（文/记者 慕容龑 图/记者 慕容龑 通讯员 𠮷春生）"


def test_a_credit_with_its_kind_is_one_role(composer):
    size = composer.style.text["byline"].size
    # a 13-character column: the credits do not pair up on a line, so three lines
    # (it printed （文/记者 慕容龑 图/记者 | 慕容龑 通讯员 𠮷春生）)
    assert [ln.text for ln in composer.text.ranged_lines(BYLINE, "byline", 13 * size)] == [
        "（文/记者慕容龑", "图/记者慕容龑", "通讯员𠮷春生）"]
    # wider, the photo's credits together after the text's
    assert [ln.text for ln in composer.text.ranged_lines(BYLINE, "byline", 15 * size)] == [
        "（文/记者慕容龑", "图/记者慕容龑通讯员𠮷春生）"]
    for chars in range(8, 26):
        lines = [ln.text for ln in composer.text.ranged_lines(BYLINE, "byline", chars * size)]
        assert "".join(lines) == BYLINE.replace(" ", "")
        assert not any(t.endswith(("记者", "通讯员")) for t in lines[:-1]), (chars, lines)


def test_a_byline_breaks_before_a_credits_kind_rather_than_inside_it(composer):
    # 文/记者 甲 图/记者 乙 | 通讯员 丙 reads as the photo's credit run on; the break
    # between the text's credit and the photo's is the byline's own
    size = composer.style.text["byline"].size
    byline = "（文/记者 王晓明 图/记者 李红 通讯员 张丽华）"
    for chars in range(14, 22):
        lines = [ln.text for ln in composer.text.ranged_lines(byline, "byline", chars * size)]
        if len(lines) == 2:
            assert lines[1].startswith("图/"), (chars, lines)

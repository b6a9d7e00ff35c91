"""A new user's issue (河阳日报, 2025-03-14): three line-setting defects, set as the
issue sets them, in the body's 13-character column with a 2-character indent, with
the bundled fonts (the `book` of test_setting_latin; 1 em = 10 pt).

1. a price list's 猪肉（精瘦肉）：13.50 | 元/斤 parted a price from its unit;
2. an address broke before its last piece (https://www.12315. | cn）) or inside its
   domain (service@zz. | gov.cn) where @ was the joint to break at, and left
   至hy12315@hyscjg.gov.cn 0.59 em loose rather than break after its @;
3. a tight line shrank a mid-line ？ by half an em, drawn then on its half-width
   glyph, which reads as an ASCII ? (人?刘珺的办法是…).
"""
from __future__ import annotations

from itertools import accumulate

import pytest

from layout import setting
from test_setting_latin import EM, book, joined, setp, texts  # noqa: F401 (book: a fixture)

COLUMN, INDENT = 13, 2


def body(book, text: str):
    return setp(book, text, COLUMN, indent_em=INDENT)


# -- 1. a price and its unit -----------------------------------------------------------

@pytest.mark.parametrize("text", ["猪肉（精瘦肉）：13.50元/斤", "花生油（5L装）：89.90元/桶"])
def test_a_price_list_entry_wraps_before_the_price_not_inside_it(book, text):
    # 猪肉（精瘦肉）：13.50 | 元/斤, the first line letterspaced 0.13 em as well
    st = body(book, text)
    item, price = text.split("：")
    assert texts(st) == [item + "：", price], texts(st)


@pytest.mark.parametrize("text", ["猪肉（精瘦肉）：13.50元/斤", "面粉（5kg装）：21.80元/袋",
                                  "花生油（5L装）：89.90元/桶"])
def test_a_price_parts_from_its_unit_only_to_spare_an_awful_line(book, text, monkeypatch):
    # 面粉（5kg装）： alone opens its gaps to 0.94 em: there 21.80 | 元/袋 is the lesser evil
    st = body(book, text)
    assert joined(st) == text
    price = text.split("：")[1]
    if texts(st) != [text.split("：")[0] + "：", price]:
        monkeypatch.setattr(setting, "PRICE_UNIT_BREAK", 1e9)
        whole = body(book, text)
        assert whole.widest_gap > 0.75, (texts(whole), whole.widest_gap)


@pytest.mark.parametrize("lead", range(0, 13))
def test_a_price_in_running_text_keeps_its_unit(book, lead, monkeypatch):
    text = "一" * lead + "市区公交票价为每人每次2.50元，持卡乘车享受八折优惠，老年人免费乘车。"
    st = body(book, text)
    assert joined(st) == text
    if any(t.endswith("2.50") for t in texts(st)):
        monkeypatch.setattr(setting, "PRICE_UNIT_BREAK", 1e9)
        assert body(book, text).widest_gap > 0.5, texts(st)


def test_only_a_price_or_a_rate_binds_harder_than_a_number_and_its_unit(book):
    # 10月22 | 日 stays a plain number-unit break; 13.50 | 元, 13.50 | 元/斤, 42 | 微克/立方米 not
    def cost(text: str, k: int) -> float:
        return setting._price_unit(setting.units(text, ("serif",), book), k)
    assert setting.PRICE_UNIT_BREAK > setting.NUMBER_UNIT_BREAK
    assert cost("10月22日", 3) == 0.0 and cost("34389.2亿元", 1) == 0.0
    assert cost("13.50元", 1) == cost("13.50元/斤", 1) == cost("42微克/立方米", 1) > 0


# -- 2. where an address breaks ---------------------------------------------------------

P215 = ("市市场监管局提醒，网购时要保存好订单截图、聊天记录和付款凭证；购买iPhone等电子产品，"
        "可在官网（https://checkcoverage.apple.com）输入序列号查询保修状态，辨别“官换机”"
        "“翻新机”。消费者权益受到侵害时，可通过全国12315平台（https://www.12315.cn）投诉，"
        "也可发送邮件至hy12315@hyscjg.gov.cn反映。")
P66 = ("市民可登录河阳市人民政府网站（https://www.example.gov.cn/zwgk/2025/0301.html）"
       "查看事项清单和办事指南，也可在微信、支付宝搜索“河阳政务”小程序办理。"
       "对平台使用有意见建议的，可发送邮件至service@zz.gov.cn，"
       "或拨打政务服务热线0371-64123456、12345。")


def breaks_in(st, text: str, address: str) -> list[str]:
    """The pieces the lines cut an address into (one piece: not broken)."""
    start = joined(st).index(address)
    cuts = [e - start for e in accumulate(len(t) for t in texts(st))
            if start < e < start + len(address)]
    return [address[a:b] for a, b in zip([0, *cuts], [*cuts, len(address)])]


def test_a_short_url_is_not_broken_before_its_last_piece(book):
    # 平台（https://www.12315. | cn）投诉: the URL fits a line; its tail cn alone is no joint
    st = body(book, P215)
    assert joined(st) == P215
    pieces = breaks_in(st, P215, "https://www.12315.cn")
    assert len(pieces) == 1 or len(pieces[-1]) > 3, (pieces, texts(st))


@pytest.mark.parametrize("lead", range(0, 13))
def test_a_url_keeps_its_short_tail_wherever_the_column_falls(book, lead):
    text = "一" * lead + "消费者权益受到侵害时，可通过全国12315平台（https://www.12315.cn）投诉。"
    st = body(book, text)
    assert joined(st) == text
    assert not any(t.startswith("cn") for t in texts(st)), texts(st)


def test_an_email_address_is_broken_rather_than_leave_a_loose_line(book, monkeypatch):
    # 至hy12315@hyscjg.gov.cn, 0.59 em after 至 (warned): the README breaks a fitting
    # address rather than leave a loose line, after @ where that sets (here it would
    # leave 送邮件至hy12315@ at 1.3 em), else at another joint
    st = body(book, P215)
    assert st.widest_gap <= 0.25, (texts(st), st.widest_gap)
    pieces = breaks_in(st, P215, "hy12315@hyscjg.gov.cn")
    if len(pieces) > 1 and not pieces[0].endswith("@"):
        monkeypatch.setattr(setting, "URL_DOT_BREAK", 1e6)
        whole = body(book, P215)
        assert whole.widest_gap > 0.25, texts(whole)


def test_an_email_address_breaks_inside_its_domain_only_where_nothing_better_sets(book,
                                                                                 monkeypatch):
    # 可发送邮件至service@zz. | gov.cn: after @ the line is 0.48 em loose, kept whole the
    # next one is (或拨打政务服务热线 at 0.5 em) unless the telephone number breaks instead
    st = body(book, P66)
    assert joined(st) == P66
    assert st.widest_gap <= 0.25, (texts(st), st.widest_gap)
    assert any("0371-64123456" in t for t in texts(st)), texts(st)
    pieces = breaks_in(st, P66, "service@zz.gov.cn")
    if pieces not in (["service@zz.gov.cn"], ["service@", "zz.gov.cn"]):
        monkeypatch.setattr(setting, "URL_DOT_BREAK", 1e6)
        other = body(book, P66)
        assert other.widest_gap > 0.25 or not any("0371-64123456" in t for t in texts(other))


@pytest.mark.parametrize("lead", range(0, 13))
def test_an_email_address_prefers_its_at_to_a_dot_of_its_domain(book, lead):
    # wherever the column falls, the address breaks after its @ or not at all
    text = "一" * lead + "对平台使用有意见建议的，可发送邮件至service@zz.gov.cn，或拨打政务服务热线。"
    st = body(book, text)
    assert joined(st) == text
    pieces = breaks_in(st, text, "service@zz.gov.cn")
    assert pieces in (["service@zz.gov.cn"], ["service@", "zz.gov.cn"]), (pieces, texts(st))


# -- 3. a mid-line ？ or ！ keeps its full-width glyph ----------------------------------

P268 = ("传统泥塑如何走近年轻人？刘珺的办法是“老手艺+新表达”。她把传统的“泥咕咕”和热门IP、"
        "生肖文化结合，设计出“蛇年福娃”“航天娃娃”等30多款文创产品，在网店上架后，"
        "单款最高月销2,000多件。")


def mark_runs(st, mark: str):
    """(line, run) of every run drawing `mark` that is not at a line's end."""
    return [(ln, r) for ln in st.lines for r in ln.runs
            if mark in r.text and not (r is ln.runs[-1] and ln.text.endswith(mark))]


def test_a_tight_line_keeps_a_mid_line_question_mark_full_width(book):
    # 人?刘珺的办法是“老手艺+新: ？ shrunk by half an em, on its half-width glyph
    st = body(book, P268)
    assert joined(st) == P268
    found = mark_runs(st, "？")
    assert found, texts(st)
    for ln, r in found:
        assert not r.face.endswith(setting.HALF_FACE), ln.text
        # the next glyph keeps at least a quarter em from the mark's box
        nxt = ln.runs[ln.runs.index(r) + 1]
        assert nxt.x - r.x >= (1.0 - setting.HALF / 2) * EM - 0.01, (ln.text, nxt.x - r.x)


@pytest.mark.parametrize("mark", ["？", "！"])
@pytest.mark.parametrize("need", [0.2, 0.4, 0.6])
def test_a_question_or_exclamation_mark_gives_at_most_a_quarter_em(book, mark, need):
    # one line, `need` em too wide: ？ gives up to a quarter em, the opening quote the rest
    text = "这是为什么" + mark + "我说“一二三四"
    st = setp(book, text, 13 - need)            # 13 em
    assert texts(st) == [text]
    [(ln, r)] = mark_runs(st, mark)
    assert not r.face.endswith(setting.HALF_FACE), ln.text
    nxt = ln.runs[ln.runs.index(r) + 1]
    assert nxt.x - r.x == pytest.approx((1.0 - min(need, 0.25)) * EM, abs=0.01), ln.text


def test_a_full_stop_still_gives_up_its_half_em_on_a_tight_line(book):
    # 。 (ink in its left third) still reads as a stop on its half-width glyph: unchanged
    text = "这是为什么。我说“一二三四"
    st = setp(book, text, 13 - 0.6)
    assert texts(st) == [text]
    [(ln, r)] = mark_runs(st, "。")
    assert r.face.endswith(setting.HALF_FACE), ln.text

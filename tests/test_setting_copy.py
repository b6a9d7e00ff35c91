"""Dirty copy, headline word breaks, mark widths, paragraph ends and clreq levels (issue 12).

Setter cases use the real bundled font (see test_setting_latin) at 4-8 em.
"""
from __future__ import annotations

import pytest

from layout import clreq, normalize, words
from layout.model import load_issue
from layout.paragraphs import signoff
from test_setting_latin import (EM, HAN, adv, book, glyphs, joined, right_edge,  # noqa: F401
                                setp, texts)


# -- 5. dirty copy -------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ('他说"你好"。', "他说“你好”。"),
    ('"上街"是个好地方', "“上街”是个好地方"),
    ("他说'好'就走", "他说‘好’就走"),
    ('主题为"读经典、品书香"的活动', "主题为“读经典、品书香”的活动"),
    ('"OK" is English', '"OK" is English'),              # no Chinese beside: as typed
    ("You'll see", "You'll see"),                        # an apostrophe
    # a pair is changed together: a closing quote after an ASCII full stop, an opening
    # one before Latin (half a pair curly would be a mismatch)
    ('大家有"信心."', "大家有“信心.”"),
    ('外教说:"You\'ll find it fun!"英语角', "外教说:“You'll find it fun!”英语角"),
    # in Chinese copy every pair is curly, a Latin quotation's too (the Latin face's “ ”)
    ('a "b" c "中"', 'a “b” c “中”'),
    ('"I\'ll stay," Emily smiled. 她说', "“I'll stay,” Emily smiled. 她说"),
])
def test_straight_quotes_beside_chinese_become_curly(raw, clean):
    assert normalize.quotes(raw)[0] == clean


def test_stray_space_between_han_is_removed():
    assert normalize.han_spaces("我区 开展　活动 iPhone 16")[0] == "我区开展活动 iPhone 16"


@pytest.mark.parametrize("raw, clean", [
    ("做大做强 铝 精 深 加 工 、食品", "做大做强铝精深加工、食品"),   # before a Chinese mark
    ("他说： “你好” 。", "他说：“你好”。"),                     # between Chinese marks
    ("iPhone 16 、5G", "iPhone 16 、5G"),                 # beside Latin: the copy's own
    ("He said “Hi” — then", "He said “Hi” — then"),      # marks Latin uses too
])
def test_stray_space_beside_a_chinese_mark_is_removed(raw, clean):
    assert normalize.han_spaces(raw)[0] == clean


def test_single_line_breaks_are_paragraphs_when_there_is_no_blank_line():
    assert normalize.line_paragraphs("第一段。\n第二段。\n第三段。")
    assert not normalize.line_paragraphs("第一段。\n\n第二段。")
    assert not normalize.line_paragraphs("只有一行。")


def _issue(tmp_path, body: str, headline: str = "测试标题") -> object:
    (tmp_path / "styles").mkdir(exist_ok=True)
    p = tmp_path / "i.yaml"
    p.write_text("paper: shangjie\ndate: 2025-03-09\nnumber: 1\ntotal: 1\npages:\n"
                 "  - articles:\n      - headline: " + headline + "\n        body: |\n"
                 + "".join("          " + ln + "\n" for ln in body.split("\n")),
                 encoding="utf-8")
    return load_issue(p)


def test_loader_splits_pasted_copy_and_notes_it(tmp_path):
    iss = _issue(tmp_path, '　　他说"好"。\n\t第二 段落。')
    a = iss.pages[0].articles[0]
    assert a.body == ("他说“好”。", "第二段落。")
    assert any("each of its 2 lines is a paragraph" in n for n in a.removed)
    assert any("straight quote" in n for n in a.removed)
    assert any("between Chinese characters" in n for n in a.removed)


def test_loader_keeps_blank_line_paragraphs(tmp_path):
    iss = _issue(tmp_path, "第一段，\n接着写。\n\n第二段。")
    assert iss.pages[0].articles[0].body == ("第一段，接着写。", "第二段。")


def test_ascii_closing_quote_never_starts_a_line(book):
    text = 'He said "OK" and "go" then' + HAN
    for measure in (4, 5, 6, 7, 8):
        st = setp(book, text, measure)
        for k, t in enumerate(texts(st)):
            if k and t.startswith('"'):
                rest = t[1:2]
                assert rest.isalnum(), texts(st)     # an opening quote may start a line


# -- 6. headlines break at words ------------------------------------------------

@pytest.mark.parametrize("head, inside", [
    ("城乡居民医疗保险参保缴费工作启动", ["城乡居民", "医疗保险"]),
    ("上街区召开优化营商环境工作推进会", ["上街区", "营商"]),
    ("2025年3月9日上午14:30举行发布会", ["2025年", "14:30"]),
])
def test_headline_pieces_are_words(head, inside):
    ps = words.pieces(head, ("上街区",))
    assert "".join(ps) == head
    for w in inside:
        assert any(w in p for p in ps), ps


@pytest.mark.parametrize("head", ["我区的城乡居民和企业了解了新政策", "群众的获得感与幸福感"])
def test_headline_never_breaks_before_de_le_he(head):
    # the particles never start a line; a word they start (了解) may
    for p in words.break_points(head):
        assert head[p] not in clreq.NO_BREAK_BEFORE_WORD or head[p:p + 2] == "了解", (head, p)


def test_headline_never_breaks_before_punctuation_or_after_an_opening_mark():
    head = "“书香上街·全民阅读”春季读书月启动，市民踊跃参加"
    for p in words.break_points(head):
        assert head[p] not in clreq.NO_LINE_START_BASIC
        assert head[p - 1] not in clreq.OPENING


def test_balance_picks_the_fewest_most_even_lines():
    parts = ["城乡居民", "医疗保险", "参保", "缴费", "工作", "启动"]
    lines = words.balance(parts, 9, len)
    assert lines == ["城乡居民医疗保险", "参保缴费工作启动"]


def test_balance_prefers_a_break_after_a_comma():
    parts = ["春季", "读书月", "启动，", "市民", "踊跃", "参加"]
    assert words.balance(parts, 9, len, after_mark_bonus=1) == ["春季读书月启动，", "市民踊跃参加"]


def test_balance_gives_none_when_a_word_is_wider_than_the_measure():
    assert words.balance(["城乡居民医疗保险"], 4, len) is None


@pytest.mark.parametrize("head, term", [
    ("通航小镇：从“飞行梦”到“产业链”", "“飞行梦”"),
    ("《铝城记忆》首发 讲述一座城的工业往事", "《铝城记忆》"),
    ("“小网格”里的“大管家”", "“大管家”"),
])
def test_a_short_quoted_term_stays_on_one_headline_line(head, term):
    start = head.index(term)
    inside = set(range(start + 1, start + len(term)))
    assert not inside & set(words.break_points(head)), words.pieces(head)


def test_a_long_quotation_may_still_break_at_its_words():
    head = "《上街区低空经济产业发展规划》发布"       # 13 characters inside: not one unit
    assert any(0 < p < head.index("》") for p in words.break_points(head))


def test_user_dictionary_word_is_never_split():
    head = "中心路街道开展活动"
    assert "中心路街道" in words.pieces(head, ("中心路街道",))



@pytest.fixture(scope="module")
def composer():
    from pathlib import Path

    from layout.build import new_composer, prepare
    return new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))


def head_lines(composer, head: str, role: str, columns: int) -> list[str]:
    return [ln.text for ln in composer.text.headline(head, role,
                                                     composer.span_width(columns)).lines]


def test_a_headline_never_parts_a_latin_word_from_its_number(composer):
    # iPhone | 16生产线落户南沙 | …: the copy's space in iPhone 16 is no break
    assert head_lines(composer, "iPhone 16生产线落户南沙 预计年产值超百亿元", "headline", 2) == [
        "iPhone16生产线", "落户南沙", "预计年产值超百亿元"]
    for head in ("新电脑统一预装Windows 11系统", "严格执行GB 2312编码标准", "服务热线400 800 1234"):
        at = head.index(" ")
        assert at + 1 not in words.break_points(head), words.pieces(head)


def test_a_book_title_is_broken_only_where_it_cannot_have_a_line_of_its_own(composer):
    # 我区发布《郫都区2025年 | 民生实事项目清单》: the title whole on its line fits
    head = "我区发布《郫都区2025年民生实事项目清单》"
    assert head_lines(composer, head, "headline", 3) == ["我区发布", "《郫都区2025年民生实事项目清单》"]
    # narrower, it breaks inside the title, at a word
    assert head_lines(composer, head, "headline", 2) == ["我区发布", "《郫都区2025年", "民生实事项目清单》"]


@pytest.mark.parametrize("head, place", [
    ("我市各界踊跃参与南沙区“扶贫济困日”活动", "南沙区"), ("傅家镇召开春季防火工作会议", "傅家镇"),
    ("湖田街道为老人免费理发", "湖田街道"), ("万顷沙镇开展募捐活动", "万顷沙镇"),
    ("我县举行春季招聘会", "我县"), ("南沙区委召开常委会", "南沙区委")])
def test_a_place_and_its_suffix_are_never_parted(head, place):
    # the segmenter cut 南沙 | 区 and 傅 | 家 | 镇: a 导读 line ended …参与南沙 | 区“扶贫…
    at = head.index(place)
    assert not any(at < p < at + len(place) for p in words.break_points(head)), words.pieces(head)


@pytest.mark.parametrize("head, role, lines", [
    ("我市各界踊跃参与南沙区“扶贫济困日”活动", "teaser", ["我市各界踊跃参与南沙区", "“扶贫济困日”活动"]),
    # never after a one-character preposition: 湖田街道为 | 老人免费理发
    ("湖田街道为老人免费理发", "brief_headline", ["湖田街道", "为老人免费理发"]),
    # after the verb, before its object, not inside the object: 傅家镇召开春季 | 防火工作会议
    ("傅家镇召开春季防火工作会议", "brief_headline", ["傅家镇召开", "春季防火工作会议"]),
    ("副市长胡军到上街区调研重点企业", "headline", ["副市长胡军到上街区", "调研重点企业"])])
def test_a_narrow_headline_breaks_between_phrases(composer, head, role, lines):
    columns = 2 if role == "headline" else 1
    assert head_lines(composer, head, role, columns) == lines


# -- 4. marks at the right width --------------------------------------------------

@pytest.mark.parametrize("pair", ["？！", "！？"])
def test_question_and_exclamation_together_take_one_em(book, pair):
    st = setp(book, "真的" + pair + "走吧", 8)
    gs = glyphs(book, st.lines[0])
    xs = {c: x for c, x, _ in gs}
    assert xs["走"] - xs[pair[0]] == pytest.approx(EM, abs=0.01)
    assert xs[pair[1]] - xs[pair[0]] == pytest.approx(0.5 * EM, abs=0.01)


def test_middle_dot_takes_half_an_em(book):
    st = setp(book, "书香上街·全民阅读", 20)
    xs = {c: x for c, x, _ in glyphs(book, st.lines[0])}
    assert xs["全"] - xs["街"] == pytest.approx(1.5 * EM, abs=0.01)


def test_middle_dot_full_em_when_asked(book):
    st = setp(book, "书香上街·全民阅读", 20, middle_half=False)
    xs = {c: x for c, x, _ in glyphs(book, st.lines[0])}
    assert xs["全"] - xs["街"] == pytest.approx(2 * EM, abs=0.01)


def test_two_em_dash_is_one_two_em_unit(book):
    st = setp(book, "一二⸺三四", 20)
    xs = {c: x for c, x, _ in glyphs(book, st.lines[0])}
    assert xs["三"] - xs["二"] == pytest.approx(3 * EM, abs=0.01)


@pytest.mark.parametrize("lead", [3, 4, 5])
def test_two_em_dash_never_splits_and_may_start_a_line(book, lead):
    text = HAN[:lead] + "⸺" + HAN
    st = setp(book, text, 5)
    assert joined(st) == text
    assert any("⸺" in t for t in texts(st))


def test_two_em_dash_does_not_start_a_line_at_strict(book):
    st = setp(book, HAN[:5] + "⸺" + HAN, 5, kinsoku="strict")
    assert all(not t.startswith("⸺") for t in texts(st)), texts(st)


# -- 7. paragraph ends ------------------------------------------------------------

def test_last_line_of_only_punctuation_is_avoided(book):
    text = HAN[:5] + "……”"                 # 5 em + 2 + 1: a naive break leaves ……” alone
    st = setp(book, text, 5)
    assert any(clreq.is_han(c) for c in texts(st)[-1]), texts(st)
    assert joined(st) == text


def test_lone_han_last_line_still_avoided(book):
    st = setp(book, HAN[:5] + "六。", 5)
    assert sum(clreq.is_han(c) for c in texts(st)[-1]) >= 2, texts(st)


# -- 8. clreq levels ------------------------------------------------------------------

def test_gb_level_solidus_never_ends_a_line(book):
    text = HAN[:4] + "／" + HAN
    st = setp(book, text, 5, kinsoku="gb")
    assert all(not t.endswith("／") for t in texts(st)[:-1]), texts(st)


def test_basic_level_lets_the_solidus_end_a_line(book):
    st = setp(book, HAN[:4] + "／" + HAN, 5, kinsoku="basic")
    assert texts(st)[0].endswith("／")


def test_line_start_bracket_half_width_option(book):
    st = setp(book, "（一二三）四五六七八九十", 4, open_start_half=True)
    first = st.lines[0]
    assert first.text.startswith("（")
    paren = first.runs[0]
    assert paren.face.endswith("/half") and paren.x == pytest.approx(0.0)
    assert right_edge(book, first) == pytest.approx(4 * EM, abs=0.01)


def test_style_accepts_the_new_options(tmp_path):
    import shutil
    from pathlib import Path

    from layout.style import load_style
    repo = Path(__file__).resolve().parent.parent
    text = (repo / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    text = text.replace("  kinsoku: basic", "  kinsoku: gb\n  headline_words: [上街区, 峡窝镇]")
    text = text.replace("line_start_bracket: full", "line_start_bracket: half")
    text = text.replace("../fonts/", str(repo / "fonts") + "/")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    st = load_style(tmp_path / "s.yaml")
    assert st.setting.kinsoku == "gb" and st.setting.line_start_bracket == "half"
    assert st.setting.headline_words == ("上街区", "峡窝镇")
    assert shutil.which  # (the repo's own style keeps the defaults)


def test_a_poem_or_a_list_keeps_its_lines(tmp_path):
    # blocks of short lines between blank lines: a stanza, a results list, kept line by
    # line (a 副刊 poem joined into one paragraph is prose); a column of prose copied
    # from a PDF (lines of one length, ending anywhere) and a sentence wrapped at a
    # comma are still joined
    body = ("引言一段，写得比较长，超过二十个字的一行文字。\n\n"
            "我爱你\n塞北的雪\n飘飘洒洒\n漫天遍野\n\n"
            "第一名 严堃（城关镇）\n第二名 李四（城关）\n第三名 王五五（北街镇）\n\n"
            "这是从报纸版面上复制下来\n的一段文字，每行十二个字\n左右，在栏宽处断开了行，\n所以要接起来\n\n"
            "第一段，\n接着写。")
    a = _issue(tmp_path, body).pages[0].articles[0]
    # (each block set off by a blank line, STANZA_BREAK "": a stanza break, the poem
    # from the prose)
    assert a.body == ("引言一段，写得比较长，超过二十个字的一行文字。", "",
                      "我爱你", "塞北的雪", "飘飘洒洒", "漫天遍野", "",
                      # (a list's spaces are its own: kept)
                      "第一名 严堃（城关镇）", "第二名 李四（城关）", "第三名 王五五（北街镇）", "",
                      "这是从报纸版面上复制下来的一段文字，每行十二个字左右，在栏宽处断开了行，"
                      "所以要接起来", "第一段，接着写。")
    assert any("2 blocks of short lines (verse or a list) kept line by line" in n
               for n in a.removed)


def test_a_price_list_and_a_signoff_keep_their_lines(tmp_path):
    # lines of 20-odd characters, each a label and its colon, were joined into one run-on
    # paragraph (比上周 -0.5%鸡蛋：5.20元/斤); a 落款 typed under its text, office then date,
    # became one indented line 安吉县医疗保障局2025年4月12日
    items = ["猪肉（精瘦肉）：16.80元/斤，比上周 -0.5%", "鸡蛋：5.20元/斤，与上周持平",
             "大白菜：1.50元/斤，比上周 -12.0%", "西红柿：4.80元/斤，比上周 +3.2%"]
    text = "据县市场监管局监测，本周主要农产品价格总体平稳，全县货源充足。"
    for blank in ("\n\n", "\n"):           # between blank-lined paragraphs, or one a line
        body = text + blank + "\n".join(items) + blank + "安吉县医疗保障局\n2025年4月12日"
        a = _issue(tmp_path, body).pages[0].articles[0]
        paras = [p for p in a.body if p]
        assert paras == [text, *items, "安吉县医疗保障局", "2025年4月12日"], (blank, a.body)
        assert signoff(a.body) == 2
    # prose wrapped by hand at about that length is still one paragraph
    a = _issue(tmp_path, "会议要求，各乡镇要切实提高政治站位，压实工作\n责任，确保各项任务落到实处。"
                         "\n\n第二段。").pages[0].articles[0]
    assert a.body[0] == "会议要求，各乡镇要切实提高政治站位，压实工作责任，确保各项任务落到实处。"


def test_stanzas_are_set_apart_by_a_blank_grid_line_never_at_a_column_top(tmp_path):
    from layout.build import new_composer, prepare
    from layout.compose import _blank_tops_dropped

    body = "雾从山脚往上爬，\n爬到半山腰，\n就被采茶的手\n一片一片摘下。\n\n竹篓里装着的\n是春天最嫩的声音，\n母亲说，那是\n山在说话。"
    path = _issue(tmp_path, body).path
    composer = new_composer(prepare(path))
    lines = composer._body_lines(composer.issue.pages[0].articles[0])
    texts = [ln.text for ln, _, _ in lines]
    assert texts[4] == "" and texts[3].endswith("摘下。") and texts[5].endswith("装着的")
    # in one column: the blank line stays; opening the second column: left out, the
    # column moved up (its lines' rows 0, 1, ...), nothing else changes
    one = [(0, r) for r in range(len(lines))]
    assert _blank_tops_dropped(lines, one) == one
    two = [(0, r) for r in range(4)] + [(1, r) for r in range(len(lines) - 4)]
    dropped = _blank_tops_dropped(lines, two)
    assert dropped[4] is None and dropped[5:] == [(1, r) for r in range(len(lines) - 5)]
    assert dropped[:4] == two[:4]


@pytest.mark.parametrize("raw, clean", [
    ("6月10日 , 县委召开会议 , 审议文件 。", "6月10日，县委召开会议，审议文件。"),
    ("Emily说,刚来的时候", "Emily说，刚来的时候"),
    ("电话: 12345", "电话：12345"),
    ("是吗?是的!好.", "是吗？是的！好。"),
    ("“好”, 他说", "“好”，他说"),
    # after Latin or digits, and inside numbers, addresses and times: as typed
    ("他们说OK, 然后", "他们说OK, 然后"),
    ("共3.5万亩，8:30开始", "共3.5万亩，8:30开始"),
    ("访问www.gov.cn.", "访问www.gov.cn."),
    ("中国.com", "中国.com"),
])
def test_ascii_punctuation_after_chinese_is_set_full_width(raw, clean):
    from layout import normalize
    assert normalize.clean(raw)[0] == clean


def test_a_hand_wrapped_body_with_no_blank_line_is_joined_where_lines_stop_mid_sentence(
        tmp_path):
    # lines stopping mid-sentence are a wrap (村民 | 自发筹资); a line ending a sentence, or a
    # short one (a heading), still ends its paragraph
    body = ("青岗乡杨家湾组的30多户村民\n自发筹资12万元，投工投劳两个多月，\n修通了一条长1.6公里的\n"
            "通组水泥路。\n二、主要做法\n坚持以人民为中心的发展思想，持续改善民生。")
    a = _issue(tmp_path, body).pages[0].articles[0]
    assert a.body == ("青岗乡杨家湾组的30多户村民自发筹资12万元，投工投劳两个多月，修通了一条长1.6公里的"
                      "通组水泥路。", "二、主要做法", "坚持以人民为中心的发展思想，持续改善民生。")
    assert any("each of its 6 lines is a paragraph, but 3 lines stopping mid-sentence joined"
               in n for n in a.removed), a.removed


def test_a_poem_written_without_a_blank_line_keeps_its_lines(tmp_path):
    # one block, its lines ending in ，and 。: a 副刊 poem (it was joined as prose, as a
    # hand wrap stopping mid-sentence, leaving 客悲。 alone on a line); a wrapped
    # paragraph of long lines is still joined
    poem = "汨罗江上雨丝丝，\n千载犹闻楚客悲。\n香草美人留古韵，\n离骚天问寄幽思。"
    a = _issue(tmp_path, poem).pages[0].articles[0]
    assert a.body == tuple(poem.split("\n"))
    assert any("kept line by line" in n for n in a.removed)
    prose = ("这是从报纸版面上复制下来的一段文字，每行二十多个字\n"
             "左右，在栏宽处断开了行，所以要把它们接起来才对\n"
             "这样读者读到的是一段话。")
    assert _issue(tmp_path, prose).pages[0].articles[0].body == (prose.replace("\n", ""),)


def test_free_verse_without_punctuation_keeps_its_lines(tmp_path):
    # stanzas of 7-11 characters, no mark anywhere (a 组诗 in a 副刊): joined as prose,
    # 吹来吹开了… read as one sentence; prose has a comma every line or two
    stanza = "四月的风从黄河故道吹来\n吹开了一树一树的泡桐花\n紫色的铃铛挂满枝头\n摇响了整个春天"
    a = _issue(tmp_path, "一\n\n" + stanza).pages[0].articles[0]
    assert tuple(t for t in a.body if t) == ("一", *stanza.split("\n"))


def test_a_poems_stanza_with_a_comma_keeps_its_lines_beside_the_others(tmp_path):
    # 三、炊烟's stanza has a comma and lines of 8-10 characters: judged alone it read as a
    # hand wrap and was set as one indented paragraph, after two stanzas kept as verse;
    # prose of even lines after a poem is still joined
    first = "雾从山腰退下去\n露出一垄一垄的绿\n采茶的人弯着腰\n把春天装进竹篓里"
    third = "傍晚，炊烟升起来\n和山上的云雾连在一起\n分不清哪一缕是云\n哪一缕是家"
    a = _issue(tmp_path, f"一、茶园\n\n{first}\n\n三、炊烟\n\n{third}").pages[0].articles[0]
    assert tuple(t for t in a.body if t) == ("一、茶园", *first.split("\n"), "三、炊烟",
                                             *third.split("\n"))
    note = "作者系县作家协会会员，长期\n从事乡土诗歌创作，已出版诗\n集两部，多次获省市奖项。"
    b = _issue(tmp_path, f"{first}\n\n{note}").pages[0].articles[0]
    assert b.body[-1] == note.replace("\n", "")


@pytest.mark.parametrize("headline, whole", [
    ("县政府召开第45次常务会议", "第45次"),      # a new user's 县政府召开第 | 45次常务会议
    ("全市第12届运动会开幕", "第12届"),
    ("区委召开第三次全体会议", "第三次"),
])
def test_an_ordinal_is_never_broken_in_a_headline(headline, whole):
    from layout.words import break_points
    start = headline.index(whole)
    assert not any(start < b < start + len(whole) for b in break_points(headline))


def test_a_brief_is_not_set_so_narrow_that_its_headline_breaks_inside_a_quoted_term(composer):
    # a new user's one-column 简讯: 新区召开“高 | 效办成一件事” | 改革推进会; the widths
    # at which the headline must break inside a word are not offered where a wider one
    # keeps every word whole
    from dataclasses import replace
    base = composer.issue.pages[0].articles[-1]
    brief = replace(base, headline="新区召开“高效办成一件事”改革推进会",
                    body=("6月5日，榕湾新区召开改革推进会，部署下一阶段工作。",),
                    photos=(), columns=None)
    m = composer._module(brief, False)
    assert 1 not in m.heads
    for span, block in m.heads.items():
        main = next(st for st, _, role in block if role.endswith("headline")
                    and role != "subheadline")
        lines = [ln.text for ln in main.lines]
        assert not any(ln.endswith("“高") for ln in lines), (span, lines)


def test_a_headline_broken_inside_a_word_is_known_through_its_phrases(composer):
    # a headline with the copy's spaces is set phrase by phrase: a phrase broken at its
    # characters is the headline's own break inside a word (compose drops that width)
    text = composer.text
    for head in ("新区召开“高效办成一件事”改革推进会", "新区召开 “高效办成一件事”改革推进会"):
        text.headline(head, "brief_headline", 117.0)
        assert text.broken_inside_words(head, "brief_headline", 117.0), head
    text.headline("新区召开改革推进会", "brief_headline", 400.0)
    assert not text.broken_inside_words("新区召开改革推进会", "brief_headline", 400.0)

"""What a body's paragraphs are, read from plain copy (layout/paragraphs.py): crossheads
beside a quoted poem or a list, numbered series, and a notice's 称呼."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.model import STANZA_BREAK, load_issue
from layout.normalize import is_salutation, wrapped_lines
from layout.paragraphs import crossheads, salutation, series_member

PROSE = "今年以来，全区组建农技服务小分队十二支，开展技术培训四十余场，发放技术资料五千余份。"
BREAK = STANZA_BREAK
POEM = ["临淄之中七万户，", "吹竽鼓瑟击筑弹琴，", "斗鸡走犬六博蹋鞠，", "车毂击，人肩摩。"]
RULES = ["1.具有本县户籍的脱贫劳动力或防止返贫监测对象；", "2.年龄在18周岁至60周岁之间，身体健康；",
         "3.遵纪守法，品行端正，能胜任岗位工作；"]


def body_of(tmp_path: Path, body: str) -> tuple[str, ...]:
    """The paragraphs the loader makes of a body written as given (verse and lists kept
    line by line, set off by stanza breaks)."""
    text = "\n".join("          " + line if line else "" for line in body.splitlines())
    path = tmp_path / "issue.yaml"
    path.write_text("paper: shangjie\ndate: 2025-03-09\nnumber: 5\ntotal: 803\npages:\n"
                    "  - articles:\n      - headline: 标题\n        body: |\n" + text + "\n",
                    encoding="utf-8")
    return load_issue(path).pages[0].articles[0].body


@pytest.mark.parametrize("text, member", [
    ("三、融合发展", ("一、", 3)), ("十二、附则", ("一、", 12)), ("二十三、其他", ("一、", 23)),
    ("（二）基本原则", ("（一）", 2)), ("(3)报名", ("（1）", 3)), ("4.未在其他岗位任职。", ("1.", 4)),
    ("二是坚持创新", ("一是", 2)), ("第三，强化保障", ("第一", 3)),
    ("■本报讯", None), ("一二三", None), (PROSE, None),
])
def test_a_paragraphs_number_names_its_series_and_turn(text, member):
    assert series_member(text) == member


def test_a_numbered_head_after_a_quoted_poem_is_a_head(tmp_path):
    # 三、融合发展 after a poem quoted in the text came out as indented prose: a head
    # wanted prose before it, and the poem's stanza break is none (2025-03-23.yaml)
    paras = body_of(tmp_path, "\n\n".join([
        PROSE, "一、守护文脉：让文物“活”起来", PROSE, "二、创新表达：让传统“潮”起来",
        PROSE + "诗人曾这样描写齐都的繁华：", "\n".join(POEM),
        "三、融合发展：让文旅“火”起来", PROSE]))
    assert BREAK in paras
    heads = sorted(paras[k] for k in crossheads(paras))
    assert heads == ["一、守护文脉：让文物“活”起来", "三、融合发展：让文旅“火”起来",
                     "二、创新表达：让传统“潮”起来"]


@pytest.mark.parametrize("rules", [
    # the list set apart by blank lines, as the new user's 招聘公告 had it
    "二、报名条件\n\n" + "\n".join(RULES) + "\n\n三、报名时间及方式",
    # the head typed on the list's first line, or the next head on its last
    "二、报名条件\n" + "\n".join(RULES) + "\n\n三、报名时间及方式",
    "二、报名条件\n\n" + "\n".join(RULES) + "\n三、报名时间及方式",
    # items of a few words, no mark at their ends
    "二、报名条件\n\n1.本县户籍\n2.年满18周岁\n3.身体健康\n\n三、报名时间及方式",
])
def test_numbered_heads_over_and_under_a_list_are_heads(tmp_path, rules):
    # 一、 and 四、 were heads, 二、报名条件 over its list of 1.–3. and 三、 under it
    # plain text (taochuan-2025-04-18.yaml); the list stays a list
    paras = body_of(tmp_path, "\n\n".join([
        PROSE, "一、招聘岗位及人数", PROSE, rules, PROSE, "四、待遇", PROSE]))
    heads = [paras[k] for k in sorted(crossheads(paras))]
    assert heads == ["一、招聘岗位及人数", "二、报名条件", "三、报名时间及方式", "四、待遇"]
    assert all(line in paras for line in rules.split("\n") if line.startswith(("1.", "2.", "3.")))


@pytest.mark.parametrize("paras, heads", [
    # a series' members are heads together, beside a list, a poem or another head
    ([PROSE, "一、招聘岗位", PROSE, "二、报名条件", "1.本县户籍", "2.身体健康", BREAK,
      "三、报名方式", PROSE], {1, 3, 7}),
    ([PROSE, "一、守护文脉", PROSE, BREAK, *POEM, BREAK, "二、融合发展", PROSE], {1, 9}),
    # a head over its first sub-head (and a sub-series begun again under the next head)
    (["一、总体要求", "（一）指导思想", PROSE, "（二）基本原则", PROSE,
      "二、主要任务", "（一）抓好春耕", PROSE, "（二）抓好防汛", PROSE], {0, 1, 3, 5, 6, 8}),
    # a number out of turn (the copy's two 三、) starts a series again, a head still
    ([PROSE, "一、规划先行", PROSE, "二、精细施工", PROSE, "三、长效管理", PROSE, PROSE,
      "三、下一步", PROSE], {1, 3, 5, 8}),
    # a list's items inside a section of a series of heads stay items
    ([PROSE, "一、主要做法", PROSE, "（一）坚持党建引领", "（二）坚持人民至上", PROSE,
      "二、存在问题", PROSE], {1, 6}),
])
def test_a_series_of_numbered_heads_is_found_together(paras, heads):
    assert crossheads(paras) == heads


@pytest.mark.parametrize("paras, heads", [
    # a list of short points, all the content there is, with no prose between them
    ([PROSE, "一、坚持党建引领", "二、坚持人民至上", "三、坚持创新驱动", PROSE], set()),
    ([PROSE, BREAK, "一、坚持党建引领", "二、坚持人民至上", "三、坚持创新驱动", BREAK, PROSE],
     set()),
    # a list's last item without its mark, and one beside prose, are its items
    ([PROSE, BREAK, *RULES[:2], "3.身体健康", BREAK, PROSE], set()),
    ([PROSE, RULES[0], "2.身体健康", PROSE], set()),
    # a numbered line at the body's end heads nothing, in a series or not
    ([PROSE, "一、规划先行", PROSE, "二、精细施工", PROSE, "三、结语"], {1, 3}),
])
def test_numbered_lines_that_are_a_lists_items_are_no_heads(paras, heads):
    assert crossheads(paras) == heads


@pytest.mark.parametrize("line", [
    "各乡镇人民政府，县直有关单位：", "各位居民：", "全县广大干部群众：",
    "全区广大干部群众、企事业单位、社会各界爱心人士：", "尊敬的各位来宾：", "亲爱的同学们：",
    "各位业主:",
])
def test_a_notices_salutation_is_found(line):
    assert is_salutation(line)
    assert salutation([line, PROSE]) == 1


@pytest.mark.parametrize("line", [
    "诗人曾这样描写齐都的繁华：", "请记住这几条：", "本周县城农贸市场主要蔬菜零售价格：",
    "记者从县气象局获悉：", "现将有关事项通知如下：", "他对同学们说：", "各位居民",
    PROSE + "现通知如下：", "各位居民：请注意。",
])
def test_a_lead_in_ending_in_a_colon_is_no_salutation(line):
    assert not is_salutation(line)


def test_only_the_bodys_opening_line_is_a_salutation():
    # the 称呼 opens a notice; a line naming people mid-text leads into what follows
    assert salutation(["各位居民：", PROSE]) == 1
    assert salutation([PROSE, "各位居民：", PROSE]) == 0
    assert salutation(["各位居民："]) == 0          # nothing addressed to them


def test_a_salutation_typed_a_line_a_paragraph_stands_apart():
    # a body with no blank lines: the 称呼 is as long as half its longest line and ends
    # with no sentence mark, so it read as a hand wrap and was joined to the notice's text
    lines = ["各乡镇人民政府，县直有关单位：", "根据省、市医保局有关文件精神，现将有关事项通知如下。",
             "个人缴费标准为每人每年380元。"]
    assert wrapped_lines(lines) == [[0], [1], [2]]


def test_a_notices_circled_numbers_are_a_lists_items(tmp_path):
    # a new user's 通告: three rules ①…；②…；③…。 typed a line each under the prose,
    # no blank line between them, were run together into one paragraph
    rules = ["①全市行政区域内全年全时段禁止露天焚烧秸秆、落叶、垃圾等；",
             "②违反规定的，由生态环境部门依法处以500元以上2,000元以下罚款；",
             "③欢迎社会各界监督举报，举报电话0371-12345678。"]
    body = body_of(tmp_path, f"{PROSE}\n\n" + "\n".join(rules) + f"\n\n{PROSE}")
    assert [p for p in body if p != BREAK] == [PROSE, *rules, PROSE]


def test_a_list_of_long_labels_and_figures_keeps_its_lines(tmp_path):
    # a new user's 数说白马镇十年转型: seven label：figure lines, one label of 11
    # characters (农村居民人均可支配收入), ran together as one paragraph
    items = ["矿山数量：47座→0座", "规上工业产值：16.8亿元→38.6亿元", "旅游综合收入：1.8亿元→9.3亿元",
             "森林覆盖率：31.2%→52.7%", "农村居民人均可支配收入：1.05万元→2.41万元",
             "新能源企业：0家→10家", "返乡创业人员：不足百人→1260人"]
    assert [p for p in body_of(tmp_path, "\n".join(items)) if p != BREAK] == items


@pytest.mark.parametrize("paras, asked", [
    (["问：当前网络兼职诈骗主要有哪些手法？", "答：主要有三种。", "问：如果上当怎么做？", "答：报警。"],
     {0, 2}),
    (["Q: 什么是5G-A？", "A: 是5G的演进。"], {0}),
    (["问：没有答的提问不算访谈。", PROSE], set()),            # no answer: no Q&A
    ([PROSE, "奶奶在电话里总是问：“今年槐花开了，你回来不？”"], set()),   # 问： inside prose
])
def test_a_qas_questions_are_found(paras, asked):
    from layout.paragraphs import questions
    assert questions(paras) == asked


def test_a_qas_questions_are_set_bold_and_justified_as_text(tmp_path):
    # two new users' 法治 pages: 问： and 答： paragraphs looked alike; a paper sets the
    # questions apart (bold at body size), and they are still text (indent, justified)
    from layout.build import new_composer, prepare
    body = ["问：当前网络兼职诈骗主要有哪些手法？", "答：" + PROSE * 2, "问：如果不慎上当受骗，应当怎么做？",
            "答：" + PROSE]
    text = "\n".join("          " + p + "\n" for p in body)
    path = tmp_path / "issue.yaml"
    path.write_text("paper: shangjie\ndate: 2025-03-09\nnumber: 5\ntotal: 803\npages:\n"
                    "  - articles:\n      - headline: 标题\n        body: |\n" + text,
                    encoding="utf-8")
    prep = prepare(path)
    composer = new_composer(prep)
    lines = composer._body_lines(prep.issue.pages[0].articles[0])
    roles = [(role, field) for _, role, field in lines if _.runs]
    assert roles[0] == ("question", "body")
    assert ("body", "body") in roles
    asked = "".join(ln.text for ln, role, _ in lines if role == "question")
    assert asked == "问：当前网络兼职诈骗主要有哪些手法？问：如果不慎上当受骗，应当怎么做？"
    style = prep.style.text
    assert style["question"].size == style["body"].size                # body size ...
    assert style["question"].fonts[0] != style["body"].fonts[0]        # ... in another face

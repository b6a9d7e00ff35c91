"""A new user's 河阳县报 (/tmp/nuB/heyang.yaml): crossheads written 关键词：短语, interviews
labelled 记者：/答：, and a 编者按 opening an article (layout/paragraphs.py)."""
from __future__ import annotations

import pytest

from layout.model import STANZA_BREAK
from layout.paragraphs import crossheads, editors_note, questions

PROSE = "今年以来，全区组建农技服务小分队十二支，开展技术培训四十余场，发放技术资料五千余份。"
SHORT = "抢救记录只是第一步，让老手艺后继有人，才是非遗保护的关键。"   # 29: short prose
BREAK = STANZA_BREAK
HEADS = ["抢救：为老手艺建起“档案馆”", "传承：让年轻人“接得住”", "活化：老手艺走进新生活",
         "守望：让文脉代代相传"]


# ------------------------------------------------------------ 关键词：短语 crossheads

def test_a_series_of_keyword_colon_phrase_heads_are_crossheads():
    # 千年古渡的文脉守望: the four 小标题 came out as indented prose, one wrapped
    # …建起“档 | 案馆”; without their 抢救： they were set bold
    paras = [PROSE, PROSE, HEADS[0], PROSE, PROSE, HEADS[1], SHORT, PROSE, HEADS[2], PROSE,
             HEADS[3], PROSE, PROSE]
    assert crossheads(paras) == {2, 5, 8, 10}


@pytest.mark.parametrize("paras, heads", [
    # two make a series; a head may open the body
    ([HEADS[0], PROSE, HEADS[1], PROSE], {0, 2}),
    ([PROSE, "第一站：古渡口", PROSE, "第二站：老街", PROSE], {1, 3}),
    ([PROSE, "镜头一：凌晨四点的菜市场", PROSE, "镜头二：田埂上的直播间", PROSE], {1, 3}),
    # a question heading its section, after its keyword
    ([PROSE, "难点：钱从哪里来？", PROSE, "关键：人往哪里去？", PROSE], {1, 3}),
    # beside numbered heads of their own series
    ([PROSE, "一、守护文脉", PROSE, "二、融合发展", PROSE], {1, 3}),
])
def test_keyword_heads_in_a_series_are_found(paras, heads):
    assert crossheads(paras) == heads


@pytest.mark.parametrize("paras", [
    # one alone is a short paragraph that happens to hold a colon
    [PROSE, HEADS[0], PROSE],
    [PROSE, "结果：无人受伤", PROSE, PROSE],
    # a Q&A's turns, short as they may be
    [PROSE, "记者：您是什么时候萌生编写方言志的想法的？", PROSE, "记者：编写过程中最难的是什么？", PROSE],
    [PROSE, "问：哪些人可以申请？", PROSE, "问：审批要多久？", PROSE],
    ["记者：最难的是什么？", "方怀瑾：找人", "记者：为什么？", "方怀瑾：老人越来越少"],
    [PROSE, "方：是的", PROSE, "方：没错", PROSE],        # one speaker's label again and again
    # dialogue: a speaker's words in quotation marks, or said
    [PROSE, "老王：“还得再看看”", PROSE, "小李：“我同意”", PROSE],
    [PROSE, "他说：“太好了”", PROSE, "她笑着说：“谢谢你们”", PROSE],
    [PROSE, "他说：我们一定干好", PROSE, "村民们表示：支持", PROSE],
    # a notice's 称呼 and its lead-in: no phrase after the colon
    ["各位居民：", PROSE, "现将有关事项通知如下：", PROSE],
    # info lines, even set apart by prose
    [PROSE, "时间：3月8日", PROSE, "地点：县文化馆", PROSE, "联系电话：0379-65123456", PROSE],
    [PROSE, "活动时间：4月21日至4月30日", PROSE, "报名地点：县文化馆一楼", PROSE],
    [PROSE, "文：沈墨", PROSE, "图：宋佳琪", PROSE],
    [PROSE, "报名方式：现场报名", PROSE, "咨询热线：12345", PROSE],
    # a list of labels and figures side by side (the loader's stanza of items)
    [PROSE, BREAK, "鸡蛋：5.20元/斤", "猪肉：16.80元/斤", "白菜：1.20元/斤", BREAK, PROSE],
    [PROSE, "鸡蛋：每斤五元二", "猪肉：每斤十六元", "白菜：每斤一元", PROSE],
    # a label's text that goes on as sentences
    [PROSE, "抢救：老手艺断了。要赶紧记下来", PROSE, "传承：年轻人不愿学！怎么办", PROSE],
    [PROSE, "抢救：老手艺断了，要赶紧记下来", PROSE, "传承：年轻人，不愿学", PROSE],
    # too long for a head
    [PROSE, "抢救：" + "为老手艺建起档案馆" * 3, PROSE, "传承：" + "让年轻人接得住" * 3, PROSE],
    # a dateline's label
    ["本报讯：" + PROSE, PROSE, "新华社电：" + PROSE, PROSE],
])
def test_short_lines_with_a_colon_that_head_nothing_are_text(paras):
    assert crossheads(paras) == frozenset()


def test_the_new_users_article_is_read_as_its_editor_wrote_it():
    from layout.model import load_issue
    from pathlib import Path
    path = Path("/tmp/nuB/heyang.yaml")
    if not path.exists():
        pytest.skip("the new user's issue is not here")
    arts = {a.headline: a.body for p in load_issue(path).pages for a in p.articles}
    body = arts["千年古渡的文脉守望"]
    assert sorted(body[k] for k in crossheads(body)) == sorted(
        ["抢救：为老手艺建起“档案馆”", "传承：让年轻人“接得住”", "活化：老手艺走进新生活",
         "守望：让文脉代代相传"])
    qa = next(b for h, b in arts.items() if h.startswith("《河阳方言志》主编"))
    assert [qa[k][:3] for k in sorted(questions(qa))] == ["记者："] * 7
    assert [qa[k] for k in sorted(crossheads(qa))] == [
        "一、“再不记，就来不及了”", "二、“一个字，要问十个人”", "三、“方言不是土，是根”"]
    assert editors_note(qa) == 1
    # nothing else in the issue changes role
    for head, b in arts.items():
        if head != "千年古渡的文脉守望" and not head.startswith("《河阳方言志》"):
            assert not questions(b) and editors_note(b) == 0, head
            assert all(b[k][:1] in "一二三四" for k in crossheads(b)), head


# ------------------------------------------------------------ 记者：/答： interviews

ASK1, ASK2 = "您是什么时候萌生编写方言志的想法的？", "编写过程中最难的是什么？"
SAY1, SAY2 = "答：" + PROSE, "答：最难的是找人。" + PROSE


@pytest.mark.parametrize("paras, asked", [
    # the interview on page 4: 记者： asks, 答： answers
    (["记者：" + ASK1, SAY1, "记者：" + ASK2, SAY2], {0, 2}),
    # the editor's note and a crosshead before, an answer in several paragraphs
    ([PROSE, "一、“再不记，就来不及了”", "记者：" + ASK1, SAY1, PROSE, "记者：" + ASK2, SAY2],
     {2, 5}),
    # other labels for the reporter
    (["本报记者：" + ASK1, SAY1, "本报记者：" + ASK2, SAY2], {0, 2}),
    (["记：" + ASK1, SAY1, "记：" + ASK2, SAY2], {0, 2}),
    (["Q：" + ASK1, "A：" + PROSE, "Q：" + ASK2, "A：" + PROSE], {0, 2}),
    # the answers under the interviewee's name, or surname
    (["记者：" + ASK1, "方怀瑾：" + PROSE, "记者：" + ASK2, "方怀瑾：" + PROSE], {0, 2}),
    (["记者：" + ASK1, "方：" + PROSE, "记者：" + ASK2, "方：" + PROSE], {0, 2}),
    (["问：" + ASK1, "方怀瑾：" + PROSE, "问：" + ASK2, "方怀瑾：" + PROSE], {0, 2}),
    # ASCII colons
    (["记者:" + ASK1, "答:" + PROSE, "记者:" + ASK2, "答:" + PROSE], {0, 2}),
])
def test_a_reporters_questions_are_a_qas_questions(paras, asked):
    assert questions(paras) == asked


@pytest.mark.parametrize("paras", [
    # a news story quoting the reporter once is no interview
    ["记者：" + ASK1, SAY1, PROSE],
    [PROSE, "记者：请问这里什么时候通车？", "一位工人笑着说：“年底就能通！”", PROSE],
    # 记者 asking in prose: no answers labelled after
    ["记者：" + ASK1, PROSE, "记者：" + ASK2, PROSE],
    # 记者 as the subject of a sentence, not a label
    ["记者从县统计局获悉：" + PROSE, "记者看到，" + PROSE, "记者了解到，" + PROSE],
    # one reporter's line, then a speech lead-in: a quotation, not an answer
    ["记者：" + ASK1, "他说：“" + PROSE + "”", "记者：" + ASK2, "她说：“" + PROSE + "”"],
])
def test_a_story_quoting_a_reporter_is_no_qa(paras):
    assert questions(paras) == frozenset()


def test_the_first_qa_labels_still_work():
    # 问：/答： as before: one question is enough where 答： answers it
    assert questions(["Q: 什么是5G-A？", "A: 是5G的演进。"]) == {0}
    assert questions(["问：没有答的提问不算访谈。", PROSE]) == frozenset()


# ------------------------------------------------------------ 编者按

@pytest.mark.parametrize("paras, n", [
    (["编者按：历时六年编纂的《河阳方言志》日前正式出版。本报记者近日专访了该书主编。", PROSE], 1),
    (["【编者按】历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 1),
    (["［编者按］历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 1),
    (["编者按:历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 1),
    (["编者的话：历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 1),
    # the label on a line of its own over the note's text
    (["【编者按】", "历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 2),
    (["编者按", "历时六年编纂的《河阳方言志》日前正式出版。", PROSE], 2),
])
def test_an_editors_note_opening_an_article_is_found(paras, n):
    assert editors_note(paras) == n


@pytest.mark.parametrize("paras", [
    [PROSE, "编者按：" + PROSE],                    # not at the start
    ["编者按：" + PROSE],                           # nothing after it: the whole text
    ["编者按语是报纸评论的一种。" + PROSE, PROSE],    # the word in a sentence
    ["编后：" + PROSE, PROSE],                       # an afterword's label
    [PROSE, PROSE],
    ["【编者按】", PROSE],                           # a label over the body's only text
])
def test_no_editors_note_elsewhere(paras):
    assert editors_note(paras) == 0


def test_a_joint_notices_signoff_names_every_issuer():
    # a new user's 联合通告: the first of two issuers was set as an indented body line
    # that wrapped (…交通管理 | 大队); each issuer and the date now go ranged right
    from layout.paragraphs import signoff
    body = ["各位市民：", "因施工需要，对以下路段实行交通管制。", "施工期间如有不便，敬请谅解。",
            "岚溪县公安局交通管理大队", "岚溪县住房和城乡建设局", "2025年4月10日"]
    assert signoff(body) == 3
    # a short last sentence over one office is no second issuer
    assert signoff(["通知如下。", "敬请周知", "县文化馆", "2025年4月10日"]) == 2
    assert signoff(["正文。", "县文化馆", "2025年4月10日"]) == 2

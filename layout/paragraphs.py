"""What each paragraph of an article's body is: prose, a crosshead (小标题) or a 落款.

Pure: strings in, indices out. The copy carries no markup (every character the
issue gives is printed, so a marker would be printed or lost), so these read
the paragraphs as an editor reads them:

    crossheads()   short lines between stretches of prose that name what follows:
                   一、田间地头的“智慧大脑”, （二）宅基地面积标准是多少？
    signoff()      a notice's 落款 at the body's end: the office, then a date alone
    salutation()   a notice's 称呼 opening the body, set flush left: 各位居民：
    questions()    a Q&A's questions, set bold: 问：如果不慎上当受骗，应当怎么做？
                   记者：您是什么时候萌生编写方言志的想法的？
    editors_note() a 编者按 opening the body: 编者按：历时六年编纂的……
"""
from __future__ import annotations

import re
from collections import Counter

from .model import STANZA_BREAK
from .normalize import SIGNOFF_DATE, is_salutation, is_signoff

# a crosshead is at most this long (a column holds 12-14 characters: two lines at most)
CROSSHEAD_CHARS = 22
# the prose beside a crosshead is longer than this (a line of dialogue or a list's
# item beside it is no section of text to head)
CROSSHEAD_PROSE_CHARS = 30
# a section's number or mark: 一、 二是 （一） (1) 1. 1、 第一， ■ ◆ ● ▲ ★ □ ◇
_NUMBER = re.compile(r"(?:[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                     r"|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]{1,3}[、，,：:]"
                     r"|[■◆●▲★□◇◎▶►])\s*")
# marks that end or pause a sentence: a paragraph holding one is prose, not a head
_SENTENCE = frozenset("。，；：、！…")


def _head_shaped(text: str) -> bool:
    """Short, and no sentence in it once its number is off: 一、田间地头的“智慧大脑”,
    哪些人可以申请宅基地？ (a question heads its answer), 一、抢抓机遇：从“招商”到“选商”
    (a numbered head's one pause), not 太好了！ nor 一、不点击链接；
    nor a note in brackets (（通讯员 李红）, an item's source) or a quotation's source
    (——摘自《人民日报》)."""
    text = text.strip()
    if not text:
        return False
    if text[0] in "（(" and text[-1] in "）)" and not _NUMBER.match(text) or \
            text.startswith(("——", "--", "—")):
        return False
    m = _NUMBER.match(text)
    rest = text[m.end():] if m else text
    if m and rest and rest[-1] not in _SENTENCE:
        # a numbered head may pause once, between its two phrases: 一、抢抓机遇：从“招商”
        # 到“选商”, 二、坚持党建引领，激活发展动能 (the commonest shape of 小标题)
        rest = rest.replace("：", "", 1) if "：" in rest else rest.replace("，", "", 1)
    return (len(text) <= CROSSHEAD_CHARS and bool(rest)
            and not any(ch in _SENTENCE for ch in rest))


# a series member's number, and its kind: 一、 是 （一） （1） 1. 第一 (a bullet has no turn)
_SERIES = re.compile(r"\s*(?:(?P<han>[一二三四五六七八九十]{1,3})(?P<sep>[、是])"
                     r"|[（(](?P<paren>[一二三四五六七八九十]{1,3}|\d{1,2})[）)]"
                     r"|(?P<arabic>\d{1,2})[.．、](?!\d)|第(?P<nth>[一二三四五六七八九十]{1,3})[、，,：:])")
_HAN_DIGITS = "一二三四五六七八九"


def _han_number(numeral: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23."""
    if "十" not in numeral:
        return _HAN_DIGITS.index(numeral[-1]) + 1 if len(numeral) == 1 else 0
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return 0                                  # 一二三: no numeral
    return (_HAN_DIGITS.index(tens) + 1 if tens else 1) * 10 + \
        (_HAN_DIGITS.index(ones) + 1 if ones else 0)


def series_member(text: str) -> tuple[str, int] | None:
    """The series a paragraph's number puts it in and its turn there: 三、 -> ("一、", 3),
    （2） -> ("（1）", 2), 4. -> ("1.", 4); None for no number (or a bullet)."""
    m = _SERIES.match(text)
    if not m:
        return None
    if m["han"]:
        kind, n = "一" + m["sep"], _han_number(m["han"])
    elif m["paren"]:
        digits = m["paren"].isdigit()
        kind, n = ("（1）", int(m["paren"])) if digits else ("（一）", _han_number(m["paren"]))
    elif m["arabic"]:
        kind, n = "1.", int(m["arabic"])
    else:
        kind, n = "第一", _han_number(m["nth"])
    return (kind, n) if n else None


def _kind(text: str) -> str | None:
    member = series_member(text)
    return member[0] if member else None


def _series_runs(paras) -> list[list[int]]:
    """The numbered paragraphs as runs of one series, each numbered one more than the one
    before (一、 … 二、 … 三、, whatever stands between); a number out of turn, or a
    sub-series begun again under the next head (（一）（二） | （一）), starts a new run."""
    runs: list[list[int]] = []
    last: dict[str, tuple[int, list[int]]] = {}    # kind -> (its last turn, its run)
    for i, p in enumerate(paras):
        member = series_member(p) if p != STANZA_BREAK else None
        if member is None:
            continue
        kind, n = member
        if kind in last and last[kind][0] + 1 == n:
            run = last[kind][1]
        else:
            run = []
            runs.append(run)
        run.append(i)
        last[kind] = (n, run)
    return runs


def _list_item(paras, i: int) -> bool:
    """Whether a numbered paragraph stands right beside the one before or after it in its
    series: the items of a list (一、坚持党建引领 | 二、坚持人民至上), all the content
    there is, not heads over sections."""
    member = series_member(paras[i])
    if member is None:
        return False
    kind, n = member
    return any(0 <= j < len(paras) and paras[j] != STANZA_BREAK
               and series_member(paras[j]) == (kind, n + step) for j, step in
               ((i - 1, -1), (i + 1, 1)))


# a paragraph's label: a short word and its colon (抢救：… 记者：… 方怀瑾：… 时间：…)
_LABEL = re.compile(r"\s*(?P<word>[\u4e00-\u9fff\d]{1,4})\s*[：:]\s*")
# labels that are no keyword of a section: a Q&A's turns, words said (他说：“…”), an
# item of information (时间：3月8日, 联系电话：…), a credit (图：…), a dateline (本报讯：)
_NOT_KEYWORDS = ("问", "答", "记者", "记", "主持人", "嘉宾")
_SAYS = ("说", "道", "问", "答", "讲", "称", "表示", "介绍", "指出", "强调", "认为", "坦言",
         "告诉", "提醒", "呼吁", "透露", "感叹", "回忆")
_INFO = ("时间", "日期", "地点", "地址", "场地", "电话", "热线", "手机", "微信", "邮箱", "网址",
         "邮编", "方式", "联系人", "负责人", "主办", "承办", "协办", "票价", "费用", "价格", "对象",
         "名额", "人数", "截止", "来源", "作者", "编辑", "责编", "摄影", "摄", "图", "文",
         "讯", "电")


def _keyword_head(text: str) -> str | None:
    """The keyword of a head written 关键词：短语 (抢救：为老手艺建起“档案馆”, 第一站：古渡口,
    难点：钱从哪里来？): a word of up to 4 characters, its colon, a phrase with no sentence
    mark in it (a question may end it), all short enough for a head. None for any other
    paragraph: a speaker's words (老王：“还得再看看”), a label over information or a Q&A's
    turn (see _NOT_KEYWORDS), a label whose text goes on as sentences."""
    text = text.strip()
    m = _LABEL.match(text)
    if not m or _NUMBER.match(text) or len(text) > CROSSHEAD_CHARS:
        return None
    word, rest = m["word"], text[m.end():]
    if word in _NOT_KEYWORDS or word.endswith(_SAYS) or word.endswith(_INFO):
        return None
    if len(rest) < 2 or any(ch in _SENTENCE or ch in "。！" for ch in rest) or "？" in rest[:-1]:
        return None
    if rest[0] in "“「『" and rest[-1] in "”」』" and rest.count(rest[0]) == 1:
        return None                               # all of it a quotation: someone's words
    return word


def _keyword_heads(paras) -> set[int]:
    """The heads written 关键词：短语: two or more, each between stretches of prose (it may
    open the body), each keyword its own. A word that opens two paragraphs is a speaker's
    name (方：, 记者：) or a list's label, and short label lines side by side are a list
    (鸡蛋：5.20元/斤) or information (时间：… 地点：…), not a series of heads."""
    words = {i: _keyword_head(p) for i, p in enumerate(paras) if p != STANZA_BREAK}
    words = {i: w for i, w in words.items() if w}
    opened = Counter(m["word"] for p in paras if (m := _LABEL.match(p)))

    def text(j: int) -> bool:
        # prose: sentences, or a paragraph too long for a head (not a list's short item)
        return (0 <= j < len(paras) and paras[j] != STANZA_BREAK and j not in words
                and (len(paras[j]) > CROSSHEAD_PROSE_CHARS or any(ch in "。！？" for ch in paras[j])))

    heads = {i for i, w in words.items()
             if opened[w] == 1 and text(i + 1) and (i == 0 or text(i - 1))}
    return heads if len(heads) >= 2 else set()


def crossheads(paras: list[str] | tuple[str, ...]) -> frozenset[int]:
    """The indices of the paragraphs that are crossheads.

    A crosshead is head-shaped (_head_shaped), has prose after it (and before
    it, unless it opens the body), and either starts with a section's number
    or mark or is one of two or more head-shaped paragraphs set apart by prose
    in the body: a series of heads. A numbered one may also stand under a list or
    verse (a stanza break before it) and over one (a stanza break after it: its
    section is the list). Runs of short paragraphs side by side are a list or verse,
    never heads; a lone unnumbered short line (谢谢大家) is prose. A numbered one
    right over a head of another series heads that one's section too. Where some
    numbered paragraphs of one series are heads, every head-shaped one in turn is
    (三、 after a quoted poem, 二、 over a list, 一、 over its （一）), unless it and
    the next or last of its series stand together: a list's items.
    """
    def prose(i: int) -> bool:
        return 0 <= i < len(paras) and paras[i] != STANZA_BREAK and (
            len(paras[i]) > CROSSHEAD_PROSE_CHARS or not _head_shaped(paras[i]))

    def numbered(i: int) -> bool:
        return bool(_NUMBER.match(paras[i].strip())) and not _list_item(paras, i)

    def stanza(i: int) -> bool:
        # a stanza break with a block beyond it (a list or a poem), not the body's end
        return 0 < i < len(paras) - 1 and paras[i] == STANZA_BREAK

    def apart(i: int) -> bool:
        return i == 0 or prose(i - 1) or numbered(i) and stanza(i - 1)

    def over_text(i: int) -> bool:
        return prose(i + 1) or numbered(i) and stanza(i + 1)

    shaped = [p != STANZA_BREAK and _head_shaped(p) for p in paras]
    heads = [i for i in range(len(paras)) if shaped[i] and over_text(i) and apart(i)
             and not _list_item(paras, i)]
    if len(heads) >= 2:
        found = set(heads)
    else:
        # one alone: a numbered section's head inside the text (not the body's opening line)
        found = {i for i in heads if i > 0 and numbered(i)}
    found |= _keyword_heads(paras)
    runs = _series_runs(paras)
    while True:
        before = len(found)
        for run in runs:
            if found.intersection(run):
                # the rest of the series, wherever it stands, if it has something to head
                found.update(i for i in run if shaped[i] and i + 1 < len(paras)
                             and not _list_item(paras, i))
        # a numbered head right over its first sub-head (一、总体要求 | （一）指导思想)
        found.update(i - 1 for i in sorted(found) if i > 0 and shaped[i - 1]
                     and numbered(i - 1) and apart(i - 1)
                     and _kind(paras[i - 1]) != _kind(paras[i]))
        if len(found) == before:
            return frozenset(found)


# the end of an issuing body's name: a 联合通告's second and third issuers are taken as
# such only when they read as one (岚溪县公安局交通管理大队 over 岚溪县住房和城乡建设局)
_OFFICE_ENDS = ("局", "委", "会", "办", "队", "院", "所", "中心", "政府", "公司", "部", "厅",
                "站", "社", "处", "室", "组", "馆", "团", "协会", "街道", "镇", "乡", "村",
                "社区", "学校", "医院", "银行")
SIGNOFF_OFFICES = 3   # issuers a joint notice's 落款 names over its date, at most


def signoff(paras: list[str] | tuple[str, ...]) -> int:
    """How many of the last paragraphs are a 落款: a date alone, and the short line
    before it naming who issues the notice (no sentence mark in it), and in a joint
    notice (联合通告) up to two more issuers' names over that one."""
    if len(paras) < 2 or not SIGNOFF_DATE.fullmatch(paras[-1]):
        return 0
    name = paras[-2].strip()
    if not (len(paras) >= 3 and name and is_signoff([name, paras[-1]])):
        return 1
    n = 2
    while n <= SIGNOFF_OFFICES and len(paras) > n + 1:
        office = paras[-n - 1].strip()
        if not (office and is_signoff([office, paras[-1]]) and office.endswith(_OFFICE_ENDS)):
            break
        n += 1
    return n


def salutation(paras: list[str] | tuple[str, ...]) -> int:
    """How many of the first paragraphs are a notice's 称呼 (0 or 1), set flush left, not
    indented: the addressees and a colon, the body's opening line (各乡镇人民政府，县直
    有关单位：)."""
    return int(len(paras) >= 2 and is_salutation(paras[0]))


# a Q&A's turns: the question's label and the answer's (问：…？ 答：…), with a colon
_QUESTION = re.compile(r"\s*(?:问|提问|Q)\s*[：:]")
_ANSWER = re.compile(r"\s*(?:答|回答|A)\s*[：:]")
# the reporter's label (记者：…？): a question only where the turns alternate, as a news
# story may quote a reporter's question once
_REPORTER = re.compile(r"\s*(?:本报记者|记者|记|主持人)\s*[：:]")


def _answers(text: str) -> bool:
    """Whether a paragraph opens as an answer: 答： (回答：, A:), or the interviewee's name
    or surname and a colon (方怀瑾：, 方：), not words said (他说：“…”)."""
    if _ANSWER.match(text):
        return True
    m = _LABEL.match(text)
    return bool(m) and not _QUESTION.match(text) and not _REPORTER.match(text) \
        and not m["word"].endswith(_SAYS)


def questions(paras: list[str] | tuple[str, ...]) -> frozenset[int]:
    """The paragraphs that are a Q&A's questions, read apart from the answers, as a paper
    sets them (bold): they are what the reader scans for. Those opening with 问： (提问：,
    Q:) in a body that also has answers opening with 答： (回答：, A:); and those opening
    with the reporter's label (记者：, 本报记者：, 记：, 主持人：) or 问： where the body goes
    on in turns: two or more of them answered in the next paragraph (答：, 方怀瑾：), at
    least half of them."""
    asks = [k for k, p in enumerate(paras) if _QUESTION.match(p)]
    found = set(asks) if asks and any(_ANSWER.match(p) for p in paras) else set()
    turns = [k for k, p in enumerate(paras) if _QUESTION.match(p) or _REPORTER.match(p)]
    answered = [k for k in turns if k + 1 < len(paras) and _answers(paras[k + 1])]
    if len(answered) >= 2 and 2 * len(answered) >= len(turns):
        found.update(turns)
    return frozenset(found)


# a 编者按 (the editors' note over an article): its label, 编者按：…, 【编者按】…, 编者的话：…
_EDITORS_NOTE = re.compile(r"\s*(?:[【\[［〔(（]\s*(?:编者按|编者的话|编者)\s*[】\]］〕)）]\s*[：:]?"
                           r"|(?:编者按|编者的话)(?:\s*[：:]|\s+|$))")


def editors_note(paras: list[str] | tuple[str, ...]) -> int:
    """How many of the first paragraphs are a 编者按 (0, 1 or 2): the note opening the body
    under its label (编者按：…, 【编者按】…), or the label alone over the note's paragraph;
    with text of the article after it. An editor sets it apart from the article (楷体, no
    indent, space or a rule under it): it is the paper speaking, not the reporter."""
    if not paras or not (m := _EDITORS_NOTE.match(paras[0])):
        return 0
    n = 1 if paras[0][m.end():].strip() else 2
    return n if len(paras) > n and paras[n - 1] != STANZA_BREAK else 0

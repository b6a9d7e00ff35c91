"""What each paragraph of an article's body is: prose, a crosshead (小标题) or a 落款.

Pure: strings in, indices out. The copy carries no markup (every character the
issue gives is printed, so a marker would be printed or lost), so these read
the paragraphs as an editor reads them:

    crossheads()   short lines between stretches of prose that name what follows:
                   一、田间地头的“智慧大脑”, （二）宅基地面积标准是多少？
    signoff()      a notice's 落款 at the body's end: the office, then a date alone
"""
from __future__ import annotations

import re

from .model import STANZA_BREAK
from .normalize import SIGNOFF_DATE, is_signoff

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


def crossheads(paras: list[str] | tuple[str, ...]) -> frozenset[int]:
    """The indices of the paragraphs that are crossheads.

    A crosshead is head-shaped (_head_shaped), has prose after it (and before
    it, unless it opens the body), and either starts with a section's number
    or mark or is one of two or more head-shaped paragraphs set apart by prose
    in the body: a series of heads. Runs of short paragraphs side by side are a
    list or verse, never heads; a lone unnumbered short line (谢谢大家) is prose.
    """
    def prose(i: int) -> bool:
        return 0 <= i < len(paras) and paras[i] != STANZA_BREAK and (
            len(paras[i]) > CROSSHEAD_PROSE_CHARS or not _head_shaped(paras[i]))

    heads = [i for i, p in enumerate(paras) if p != STANZA_BREAK and _head_shaped(p)
             and prose(i + 1) and (i == 0 or prose(i - 1))]
    numbered = [i for i in heads if _NUMBER.match(paras[i].strip())]
    if len(heads) >= 2:
        return frozenset(heads)
    # one alone: a numbered section's head inside the text (not the body's opening line)
    return frozenset(i for i in numbered if i > 0)


def signoff(paras: list[str] | tuple[str, ...]) -> int:
    """How many of the last paragraphs are a 落款 (0, 1 or 2): a date alone, and the
    short line before it naming who issues the notice (no sentence mark in it)."""
    if len(paras) < 2 or not SIGNOFF_DATE.fullmatch(paras[-1]):
        return 0
    name = paras[-2].strip()
    return 2 if len(paras) >= 3 and name and is_signoff([name, paras[-1]]) else 1

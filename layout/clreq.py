"""Character classes for Chinese line breaking and punctuation width.

From W3C "Requirements for Chinese Text Layout" (clreq) §3.1.6 (punctuation
width adjustment), §3.1.7 (line-start/line-end prohibition rules, 行首行尾禁则),
§3.1.8 (unbreakable marks) and GB/T 15834. Simplified Chinese sets pause and
stop marks in the left half of the em box, so they behave like closing marks.
"""
from __future__ import annotations

import re

OPENING = frozenset("“‘「『（《〈【〔〖［｛")
CLOSING = frozenset("”’」』）》〉】〕〗］｝")
PAUSE_STOP = frozenset("，、。；：？！")          # 点号: ink in the left half (GB)
MIDDLE = frozenset("·・‧")                       # 间隔号: centred, a quarter em each side

# §3.1.7 basic level: may not start / end a line.
NO_LINE_START_BASIC = CLOSING | PAUSE_STOP | MIDDLE | frozenset(
    "．‼⁇⁈⁉～–—／/!),.:;?]}%％‰℃°′″")
NO_LINE_END_BASIC = OPENING | frozenset("([{￥¥＄$￡£№")
# GB level (GB/T 15834 practice): basic, and the solidus never ends a line
NO_LINE_START_GB = NO_LINE_START_BASIC
NO_LINE_END_GB = NO_LINE_END_BASIC | frozenset("／/")
# strict level adds ellipses and the solidus (clreq "strict")
NO_LINE_START_STRICT = NO_LINE_START_BASIC | frozenset("…⋯")
NO_LINE_END_STRICT = NO_LINE_END_BASIC | frozenset("／/")
LEVELS = ("basic", "gb", "strict")

# §3.1.8: two-em marks are never split; — and … alone are treated as one of the pair.
# ⸺ (U+2E3A, the two-em dash) is one character: one unit, the line-start rules of ——.
TWO_EM = ("——", "……", "⸺", "⋯⋯")
TWO_EM_DASH = "⸺"

# 点号 in the order a line gives up their blank when it must shrink (clreq §3.8):
# pauses inside a sentence first, then the stops that end one, then brackets and quotes.
SHRINK_FIRST = frozenset("，、；：")
SHRINK_SECOND = frozenset("。？！")
# ... of which ？！ fill most of their left half: at half an em (on their half-width
# glyph) they read as a Latin ? !, so a tight line takes only part of their blank
SHRINK_PARTLY = frozenset("？！")
# ？！ and ！？ together take one em (GB/T 15834 §4.2)
DOUBLE_STOP = frozenset("？！")

# Han characters that are a number's unit or a date's part (10月22日, 34389.2亿元,
# 凌晨1点): a break between the number and them is avoided (a penalty, not a ban).
NUMBER_UNITS = frozenset(
    "年月日号时点分秒亿万千百元角岁名人次件台辆套米里斤克吨度倍期届项家户座条位场轮周天个"
    "楼层栋亩顷所批支只张本册部份首篇版集章节辑")
# Han characters before which a headline never breaks (particles and conjunctions)
NO_BREAK_BEFORE_WORD = frozenset("的了和与及之地得着过们")

# Signs that join two parts of one term when written with nothing around them
# (5G+工业互联网, 7×24小时, 研发&设计): never at a line's start or end there, or the
# line reads as ending on an operator (“5G | +工业互联网”). The solidus is the kinsoku
# level's (basic lets ／ end a line, gb does not); inside Latin (km/h) it is in the unit.
JOINERS = frozenset("+&×＋＆")


def space_binds(before: str, after: str, named: bool = False) -> bool:
    """Whether a single space between these two characters is spacing inside one name
    or number, not a place to break: a Latin word or number and the number after it
    (iPhone 16, Windows 11, GB 2312; an account 6222 1234 5678, a telephone 400 800 1234).

    named: the word before the space is a number that is itself bound to the Latin
    word before it (the 16 of iPhone 16): then a Latin word after it binds too, a
    product's name of word, number, word (iPhone 16 Pro, Mate 60 Pro)."""
    if not (before.isascii() and before.isalnum() and after.isascii()):
        return False
    return after.isdigit() or (named and before.isdigit() and after.isalpha())

# Marks that Chinese sets on a full em even where a font draws them narrower.
FULL_WIDTH = OPENING | CLOSING | PAUSE_STOP | MIDDLE | frozenset("—…～")

# Unbreakable Latin-script units: an e-mail address, a URL, a number with its
# decimal point, thousands separators, unit signs and its parts (14:30, 3:2,
# 0371-65795000, 1—2, 3·15, 2024/2025, 10～20), a Latin word.
# non-ASCII characters that start a Latin unit (a price, a number, a tolerance)
LATIN_SIGNS = "￥¥＄￡£№−±"
_NUM = r"[+\-−±]?\d+(?:[,，]\d{3})*(?:\.\d+)?"
LATIN_UNIT = re.compile(
    r"""(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%\-]+[A-Za-z0-9/]   # URL
      | [A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}                     # e-mail
      | [￥¥＄$￡£№]?""" + _NUM + r"""(?:[:：/\-–—~～·・.]\d+(?:\.\d+)?)*       # number and parts
        (?:[%％‰℃°′″]|[A-Za-z]+)?                                          # its sign or unit
      | [A-Za-z0-9]+(?:[\-'’.&/][A-Za-z0-9]+)*[.]?                          # word, code
    """,
    re.VERBOSE,
)
URL_OR_MAIL = re.compile(r"(?:https?://|www\.)|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
# where a URL or address may break when it must: after these (not after _, which is
# part of a name, nansha_youth@163.com: a line ending in _ reads as a blank to fill in)
URL_JOINT = re.compile(r"//|[/.\-?&=#@]")


def is_emoji(ch: str) -> bool:
    """A pictograph from chat copy (👍 😀 ❤ 🎉): the emoji blocks and dingbats, and the
    joiner and presentation selector that bind an emoji sequence."""
    cp = ord(ch)
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or cp in (0xFE0F, 0x200D)


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or ch == "〇")


def no_line_start(kinsoku: str) -> frozenset[str]:
    return NO_LINE_START_STRICT if kinsoku == "strict" else NO_LINE_START_BASIC


def no_line_end(kinsoku: str) -> frozenset[str]:
    return {"strict": NO_LINE_END_STRICT, "gb": NO_LINE_END_GB}.get(kinsoku, NO_LINE_END_BASIC)

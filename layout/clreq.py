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
# strict level adds ellipses and the solidus (clreq "strict" / GB)
NO_LINE_START_STRICT = NO_LINE_START_BASIC | frozenset("…⋯")
NO_LINE_END_STRICT = NO_LINE_END_BASIC | frozenset("／/")

# §3.1.8: two-em marks are never split; — and … alone are treated as one of the pair.
TWO_EM = ("——", "……", "⸺", "⋯⋯")

# Marks that Chinese sets on a full em even where a font draws them narrower.
FULL_WIDTH = OPENING | CLOSING | PAUSE_STOP | MIDDLE | frozenset("—…～")

# Unbreakable Latin-script units: an e-mail address, a URL, a number with its
# decimal point, thousands separators and unit signs, a Latin word.
LATIN_UNIT = re.compile(
    r"""(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%\-]+[A-Za-z0-9/]   # URL
      | [A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}                     # e-mail
      | [￥¥＄$￡£№]?[+\-−]?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:[%％‰℃°′″]|[A-Za-z]+)?  # number
      | [A-Za-z0-9]+(?:[\-'’.&/][A-Za-z0-9]+)*[.]?                          # word, code
    """,
    re.VERBOSE,
)


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or ch == "〇")


def no_line_start(kinsoku: str) -> frozenset[str]:
    return NO_LINE_START_STRICT if kinsoku == "strict" else NO_LINE_START_BASIC


def no_line_end(kinsoku: str) -> frozenset[str]:
    return NO_LINE_END_STRICT if kinsoku == "strict" else NO_LINE_END_BASIC

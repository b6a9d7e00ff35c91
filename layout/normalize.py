"""Dirty copy (pasted from Word or WeChat) made clean on load, with a note of each change.

Pure text functions; the loader (model.py) calls them and records the notes
beside Article.removed:

  quotes()        straight " and ' beside Chinese become “” and ‘’ by context,
                  a pair changed together
  half_marks()    ASCII , : ; ? ! . after Chinese set full-width (，：；？！。), the
                  spaces typed around them removed
  han_spaces()    a stray space between two Han characters, or a Han character
                  and a Chinese mark, is removed (in the
                  body, unless the house style's setting.keep_han_spaces is true;
                  the loader reads it from the style)
  zero_width()    the zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF)
                  removed wherever they stand (mid-line they were set as gaps), but a
                  joiner inside an emoji sequence (the emoji is refused as no font has it)
  invisible()     where the first invisible control in a text is (a C0 or C1 control, a
                  bidi control, a variation selector): the loader refuses it there, named
                  by describe_invisible() and invisible_fix()
  line_paragraphs()  a body with no blank line but several lines: one paragraph a line
  wrapped_lines()    ... except where a long line stops mid-sentence (a hand wrap)
  is_signoff(), is_salutation()  a notice's 落款 (office, date) and 称呼 (各位居民：)

A leading 　　 or tab indent is already dropped by the loader's trimming of
every line's ends (the style indents paragraphs).
"""
from __future__ import annotations

import re
import unicodedata

from .clreq import CLOSING, OPENING, PAUSE_STOP, is_emoji, is_han
from .setting import ZERO_WIDTH

_CJK_MARKS = OPENING | CLOSING | PAUSE_STOP | frozenset("…—·")
_OPEN_CONTEXT = frozenset(" \t\u3000([{（《【「『“‘—：:，、；;") 
_CLOSE_CONTEXT = frozenset(" \t\u3000)]}，。、；：？！）》】」』…—.,;:!?")
_CURLY = {'"': "“”", "'": "‘’"}


def _chinese(ch: str) -> bool:
    return bool(ch) and (is_han(ch) or ch in _CJK_MARKS)


def quotes(text: str) -> tuple[str, int]:
    """Straight quotes in Chinese copy as curly ones: (text, how many changed).

    Each quote opens after a space, an opening mark, a colon or the start,
    closes before a space, a closing or pause mark or the end, and otherwise
    quotes of each kind alternate, opening first. An opening and the closing
    quote after it are a pair, changed together when a character beside
    either of them is Chinese (Han or a Chinese mark): "信心." closes after a
    full stop typed in ASCII, "You'll ... fun!"英语角 opens before Latin, and
    half a pair curly would be a mismatch; in a text with Han characters every
    pair is changed (an English quotation in Chinese copy). A quote without its
    pair is changed when a character beside it is Chinese. An apostrophe inside a Latin word
    (You'll) is left alone.
    """
    if '"' not in text and "'" not in text:
        return text, 0
    roles = {}                                  # index -> closes?
    seen = {'"': 0, "'": 0}
    for i, ch in enumerate(text):
        if ch not in _CURLY:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "'" and before.isascii() and before.isalnum() and after.isascii() \
                and after.isalnum():
            continue                                   # an apostrophe: You'll
        k = seen[ch]
        seen[ch] += 1
        if not before or before in _OPEN_CONTEXT:
            roles[i] = False
        elif not after or after in _CLOSE_CONTEXT:
            roles[i] = True
        else:
            roles[i] = k % 2 == 1

    def beside(i: int) -> bool:
        return _chinese(text[i - 1] if i else "") or \
            _chinese(text[i + 1] if i + 1 < len(text) else "")

    groups, open_at = [], {}                    # [indices changed together]
    for i, closes in roles.items():
        ch = text[i]
        if closes and ch in open_at:
            groups.append([open_at.pop(ch), i])
        elif closes:
            groups.append([i])
        else:
            if ch in open_at:                   # an opening without its closing
                groups.append([open_at[ch]])
            open_at[ch] = i
    groups += [[i] for i in open_at.values()]
    out = list(text)
    changed = 0
    # in Chinese copy a pair is curly wherever it stands ("I'll stay," Emily said: the
    # Latin face's “ ” beside Latin text); a lone quote only beside Chinese
    chinese = any(is_han(ch) for ch in text)
    for group in groups:
        if (chinese and len(group) == 2) or any(beside(i) for i in group):
            for i in group:
                out[i] = _CURLY[text[i]][1 if roles[i] else 0]
                changed += 1
    return "".join(out), changed


# Sets, clreq.is_han and a short regex, not character classes of the Han blocks in
# lookarounds: those took 15 ms to compile, a twentieth of a warm build, in every process
# Chinese marks a stray space may stand beside (加工 、食品): a space between them and
# Han goes too; beside Latin or digits a space is the copy's own (iPhone 16 、)
_MARKS = _CJK_MARKS - {"·"}
# ... and the full-width ones, which Latin text never uses, beside any Chinese mark
# (他说： “你好” 。); “ ” — … are Latin punctuation too, so two of them keep their space
_WIDE = _CJK_MARKS - set("·‘’“”—…")
_GAP = re.compile("[ \t\u00a0\u3000]+")


def _stray(left: str, right: str) -> bool:
    """Whether a space between these two characters is a stray one (see han_spaces)."""
    if is_han(left):
        return is_han(right) or right in _MARKS
    if left in _MARKS:
        return is_han(right) or right in _WIDE or (left in _WIDE and right in _MARKS)
    return False


def han_spaces(text: str) -> tuple[str, int]:
    """Spaces between two Han characters removed: (text, how many spaces went)."""
    if " " not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
        return text, 0
    count = 0

    def gone(m: re.Match) -> str:
        nonlocal count
        i, j = m.start(), m.end()
        if i and j < len(text) and _stray(text[i - 1], text[j]):
            count += j - i
            return ""
        return m.group()

    return _GAP.sub(gone, text), count


_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", ".": "。"}
_AFTER = frozenset("”’》）」』】")       # closing marks a half-width mark may follow too
# ASCII , : ; ? ! ... and a full stop that ends the text or a clause (not 3.5, .cn, ...),
# with the spaces typed around it
_HALF_MARK = re.compile(r"[ \t\u00a0\u3000]*(?:([,:;?!])|(\.)(?![.\w]))[ \t\u00a0\u3000]*")


def half_marks(text: str) -> tuple[str, int]:
    """ASCII punctuation after Chinese (a Han character or a closing mark) set
    full-width, with the spaces typed around it (6月10日 , 县委 -> 6月10日，县委):
    (text, how many marks)."""
    if not any(ch in text for ch in _FULL):
        return text, 0
    count = 0

    def wide(m: re.Match) -> str:
        nonlocal count
        before = text[m.start() - 1] if m.start() else ""
        if not before or not (is_han(before) or before in _AFTER):
            return m.group()
        count += 1
        return _FULL[m.group(1) or m.group(2)]

    return _HALF_MARK.sub(wide, text), count


_ZERO_WIDTH = re.compile("[" + ZERO_WIDTH + "]")


def _emoji(ch: str) -> bool:
    """Whether ch is (or may start) an emoji: clreq.is_emoji's pictographs, and the older
    symbols an emoji sequence may be made of (⌛ ⬆ © ™ ▶, a selector after them)."""
    code = ord(ch)
    return is_emoji(ch) or 0x2300 <= code <= 0x23FF or 0x2B00 <= code <= 0x2BFF \
        or 0xFE00 <= code <= 0xFE0F or ch in _EMOJI_SIGNS


_EMOJI_SIGNS = frozenset("\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194\u2195\u2196\u2197"
                         "\u2198\u2199\u21a9\u21aa\u2934\u2935\u25aa\u25ab\u25b6\u25c0"
                         "\u25fb\u25fc\u25fd\u25fe\u3030\u303d\u3297\u3299")


def zero_width(text: str) -> tuple[str, int]:
    """The zero-width characters of text removed, wherever they stand: (text, how many).

    They have no glyph and no width, yet the setter made each a space of the line
    (stretched when justified: `2月21 日`). A zero-width joiner between two emoji
    characters (👨\u200d👩, one emoji to a phone) stays: the emoji is refused whole
    as no font has it."""
    if not _ZERO_WIDTH.search(text):
        return text, 0
    count = 0

    def gone(m: re.Match) -> str:
        nonlocal count
        i = m.start()
        if m.group() == "\u200d" and 0 < i < len(text) - 1 and _emoji(text[i - 1]) \
                and _emoji(text[i + 1]):
            return m.group()
        count += 1
        return ""

    return _ZERO_WIDTH.sub(gone, text), count


# Invisible controls: nothing to print and nothing a line can hold; from a pasted web page
# or document (a bidi override, an escape typed in a quoted YAML string). C0 controls but
# tab and the line breaks, DEL and the C1 controls, the bidi marks, embeddings,
# overrides and isolates, and the variation selectors (alone they print nothing; after an
# emoji they ask for its colour form, which newsprint does not carry)
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                        "\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def invisible(text: str) -> int | None:
    """The index of the first invisible control in text, or None when it has none."""
    m = _INVISIBLE.search(text)
    return None if m is None else m.start()


def without_invisible(text: str) -> str:
    """text without its invisible controls (to quote it in the message refusing one)."""
    return _INVISIBLE.sub("", text)


def describe_invisible(text: str, i: int) -> str:
    """The invisible control at text[i] as a message names it: 'invisible control
    character U+0007', '... U+202E (RIGHT-TO-LEFT OVERRIDE)', 'invisible variation
    selector U+FE0F (VARIATION SELECTOR-16) after '全''."""
    ch = text[i]
    name = unicodedata.name(ch, "")            # C0 and C1 controls have none
    named = f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
    if _selector(ch):
        before = text[i - 1] if i else ""
        after = f" after '{before}'" if before and before.isprintable() else ""
        return f"invisible variation selector {named}{after}"
    return f"invisible control character {named}"


def _selector(ch: str) -> bool:
    return 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def invisible_fix(text: str, i: int) -> str:
    """What to do about the invisible control at text[i]."""
    if _selector(text[i]) and i and _emoji(text[i - 1]):
        return "delete it, or the emoji before it"
    return "delete it"


def line_paragraphs(text: str) -> bool:
    """Whether a body's line breaks are its paragraph breaks: it has no blank
    line but more than one line (copy pasted one paragraph a line)."""
    lines = text.strip().splitlines()
    if len(lines) < 2:
        return False
    return all(line.strip(" \t\u3000\u200b\ufeff") for line in lines)


_SENTENCE_ENDS = frozenset("。！？…!?；”’」』）)》\"")
WRAP_SHARE = 0.5      # a line this long (of the body's longest) not ending a sentence: a wrap
# a paragraph that is a date alone, ending an article: a notice's 落款 (with the
# office's name in the short paragraph before it; layout/paragraphs.py)
SIGNOFF_DATE = re.compile(r"\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日\s*|"
                           r"\s*[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
                           r"[一二三四五六七八九十]{1,3}日\s*")
# a line that starts an item of a list: its number or bullet, or a short label and its
# colon (猪肉（精瘦肉）：16.80元/斤, 咨询电话：…, 农村居民人均可支配收入：…)
# (① ⑴ ⒈ ㈠ ❶ and their kin are numbers too: a notice's 3 rules, ①…；②…；③…。)
LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.．、)）](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                   r"|[一二三四五六七八九十]{1,3}、|[■◆●▲★□◇◎▶►•]"
                   r"|[\u2460-\u249b\u3220-\u3229\u2776-\u2793])|[^，。；：:]{1,12}[：:]")
SIGNOFF_NAME_CHARS = 24    # the office's line of a 落款: this short, no sentence mark in it


def is_signoff(lines: list[str]) -> bool:
    """Whether two lines are a 落款: the office's name (short, no sentence mark), then
    a date alone."""
    office, date = lines
    return (bool(SIGNOFF_DATE.fullmatch(date)) and len(office) <= SIGNOFF_NAME_CHARS
            and not any(ch in office for ch in "。，；：！？"))


# a notice's 称呼: who it is addressed to, then a colon (各乡镇人民政府，县直有关单位：)
SALUTATION_CHARS = 40
# ... ending on whom it addresses (not 记者从县气象局获悉： nor 现将有关事项通知如下：)
_ADDRESSEES = ("们", "同志", "居民", "群众", "市民", "村民", "乡亲", "单位", "部门", "政府",
               "企业", "人士", "朋友", "家长", "同学", "老师", "师生", "职工", "员工", "会员",
               "旅客", "游客", "读者", "考生", "业主", "党员", "干部", "代表", "机关", "学校",
               "机构", "公司", "委员会", "各位")
# ... or opening as an address does (尊敬的各位来宾：)
_ADDRESS_OPENERS = ("尊敬的", "亲爱的")
# ... and not words said to them (他对同学们说：, 记者问村民们：): a sentence's lead-in
_SPEECH = ("说", "问", "告诉", "提醒", "呼吁")


def is_salutation(line: str) -> bool:
    """Whether a line is a 称呼: short, ending in a colon, with no sentence in it (its
    addressees parted by ，、 only), naming whom it addresses."""
    line = line.strip()
    if len(line) > SALUTATION_CHARS or line[-1:] not in "：:":
        return False
    names = line[:-1]
    return (bool(names) and not any(ch in names for ch in "。；！？：:;!?")
            and not any(w in names for w in _SPEECH)
            and (names.endswith(_ADDRESSEES) or names.startswith(_ADDRESS_OPENERS)))


def wrapped_lines(lines: list[str]) -> list[list[int]]:
    """Lines of a body with no blank line, grouped into paragraphs: a line ends one
    where it ends a sentence, or where it is short (a heading: 一、基本情况), or
    where it and the next are items of a list, or before a 落款's date, or after
    the 称呼 on the first line (各位居民：); a long line
    stopping mid-sentence (村民 | 自发筹资) is a hand wrap, joined to the next.
    Each group: the indices of its lines."""
    longest = max((len(t) for t in lines), default=0)
    sign = 2 if len(lines) >= 3 and is_signoff(lines[-2:]) else 0
    groups: list[list[int]] = []
    joining = False
    for i, line in enumerate(lines):
        if joining:
            groups[-1].append(i)
        else:
            groups.append([i])
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        joining = (line[-1] not in _SENTENCE_ENDS and len(line) >= WRAP_SHARE * longest
                   # items of a list, each on its line: 鸡蛋：5.20元/斤 under 猪肉：…
                   and not (LIST_ITEM.match(line) and LIST_ITEM.match(nxt))
                   # the 落款, office then date on the last two lines, stands apart
                   and i + 1 < len(lines) - sign
                   # ... as does the 称呼 on the first
                   and not (i == 0 and is_salutation(line)))
    return groups


def clean(text: str, *, spaces: bool = True) -> tuple[str, list[str]]:
    """A paragraph or title cleaned: (text, notes of what changed)."""
    notes = []
    text, n = quotes(text)
    if n:
        notes.append(f"{n} straight quote{'s' if n > 1 else ''} set as “” or ‘’")
    text, n = half_marks(text)
    if n:
        notes.append(f"{n} ASCII punctuation mark{'s' if n > 1 else ''} after Chinese set "
                     "full-width")
    if spaces:
        text, n = han_spaces(text)
        if n:
            notes.append(f"removed {n} space{'s' if n > 1 else ''} between Chinese characters")
    return text, notes


def clean_field(text: str | None, where: str, notes: list[str], *, spaces: bool = True
                ) -> str | None:
    """clean() for a field of the issue, its notes added as '<where>: <change>'."""
    if not text:
        return text
    text, changes = clean(text, spaces=spaces)
    notes.extend(f"{where}: {c}" for c in changes)
    return text

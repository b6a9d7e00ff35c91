"""Where a headline may break: at a word or phrase boundary (jieba), never inside a word.

`pieces(text, user_words)` cuts a headline into the pieces a line break may
come between: words from the jieba segmenter (its own dictionary plus the
paper's names and places from the house style), with punctuation held to the
word it belongs to (a closing mark or pause to the word before, an opening
mark to the word after), 的/了/和 and the like held to the word before, a
number held to its unit (10月, 34389.2亿元), a place to its suffix (南沙区), an
edition's award or event whole (第五届 | 河阳青年科技奖), a one-character
preposition to the word after it, and a Latin word, number or URL (with the
number after it: iPhone 16) never split. `balance(pieces, measure,
width)` joins them into the fewest lines within the measure, the longest as
short as it can be, preferring breaks after punctuation or at a news verb
(召开 | 春季防火工作会议), and breaking a long 《book title》 only when it must.

jieba's dictionary is 350,000 words; loading it whole takes most of a second.
We read only the words made of the characters the issue's headlines use (a
regular expression over the dictionary file, a few hundredths of a second),
once per set of characters, and run jieba's own segmentation on that.
"""
from __future__ import annotations

import logging
import math
import re
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from . import clreq

# total frequency of jieba's bundled dict.txt (0.42.1): what its log-probabilities
# are relative to; computed from the file for any other dictionary
_JIEBA_TOTAL = (5071852, 60101967)      # (file size, total)
USER_FREQ = 100_000                       # frequency given to a style's own words
# words that open the second half of a headline: a break before them is a phrase's
# (…民主生活会 | 暨巡视整改专题民主生活会), counted as a break after a mark; never
# ending a line
PHRASE_OPENERS = frozenset("暨")
# one-character prepositions: a headline line never ends with one when it stands alone as
# a word (湖田街道为 | 老人免费理发 parted it from its object; 湖田街道 | 为老人免费理发)
PREPOSITIONS = frozenset("为在对向把被给从让于由到")
# verbs that head a headline's predicate: a break after one (before its object,
# 傅家镇召开 | 春季防火工作会议) or before one (after the subject) is between phrases,
# not inside one (傅家镇召开春季 | 防火工作会议 parts a modifier from its noun)
PREDICATE_VERBS = frozenset((
    "召开", "举行", "举办", "开展", "启动", "发布", "印发", "出台", "部署", "推进", "推动",
    "调研", "督导", "督查", "检查", "走访", "慰问", "看望", "会见", "签约", "签署", "揭牌",
    "落户", "建成", "开通", "上线", "亮相", "迎来", "荣获", "获评", "入选", "打造", "实施",
    "完成", "实现", "参加", "出席", "组织", "开启", "助力"))
# a place's name and what it is (南沙区, 傅家镇, 湖田街道, 我县): the segmenter cuts 南沙 | 区
# and 傅 | 家 | 镇, and a line ended at 南沙; the name is the words just before the suffix,
# at most PLACE_NAME_MAX characters (万顷沙镇), never broken
PLACE_SUFFIXES = frozenset(("省", "市", "区", "县", "镇", "乡", "村", "街道", "区委", "县委",
                            "市委"))
PLACE_NAME_MAX = 3
# an edition's ordinal (第五届) names a recurring award or event, and the name after it
# runs to the word that says what it is (…奖, …杯, …节, …运动会, …论坛): 河阳青年科技奖
# is one name, never broken (第五届河阳 | 青年科技奖揭晓 read as two); the break after
# the ordinal is the name's own (第五届 | 河阳青年科技奖揭晓). At most EDITION_NAME_MAX
# characters, so a long name still breaks at its words
EDITION_ORDINAL = "届"
EDITION_SUFFIXES = frozenset("奖杯赛节会展坛")
EDITION_NAME_MAX = 10
_LOCALIZERS = frozenset("里上中下内外前后间")   # 方位词: with 的 after it, never a line's start
_NO_BREAK_AFTER = clreq.OPENING | frozenset("([{￥¥$") | PHRASE_OPENERS


@lru_cache(maxsize=1)
def _dictionary() -> tuple[str, int]:
    import jieba
    path = Path(jieba.__file__).with_name("dict.txt")
    text = path.read_text(encoding="utf-8")
    size = path.stat().st_size
    total = _JIEBA_TOTAL[1] if size == _JIEBA_TOTAL[0] else \
        sum(map(int, re.findall(r" (\d+)", text)))
    return text, total


class _Segmenter:
    """jieba's Tokenizer over the dictionary words made of a given set of characters."""

    def __init__(self) -> None:
        self.chars: set[str] = set()
        self.user: tuple[str, ...] = ()
        self.tk = None

    def need(self, chars: set[str], user: tuple[str, ...]) -> None:
        if self.tk is not None and chars <= self.chars and user == self.user:
            return
        import jieba
        jieba.setLogLevel(logging.WARNING)
        self.chars |= chars
        self.user = user
        text, total = _dictionary()
        cls = "".join(sorted(c for c in self.chars if clreq.is_han(c)))
        freq: dict[str, int] = {}
        if cls:
            for word, f in re.findall("^([" + re.escape(cls) + "]+) (\\d+)", text, re.M):
                freq[word] = int(f)
        for word in user:
            freq[word] = max(freq.get(word, 0), USER_FREQ)
        for word in list(freq):
            for k in range(1, len(word)):
                freq.setdefault(word[:k], 0)       # jieba's prefix entries
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = freq, total, True
        self.tk = tk

    def cut(self, text: str) -> list[str]:
        return self.tk.lcut(text, HMM=False)


_SEG = _Segmenter()


_PENDING: set[str] = set()      # characters of texts a later cut may need (prepare)


def prepare(texts, user_words=()) -> None:
    """Note the texts (the issue's headlines) whose words the first cut should load.

    Nothing is loaded yet: a headline whose cut is in the disk cache needs no
    jieba at all (a warm build); the first miss loads the words for all of them.
    """
    _PENDING.update("".join(texts))


class _CutCache:
    """jieba's cuts of headlines on disk (<cache>/words.json), so warm builds skip jieba.

    Keyed by the text and the style's words (after a jieba upgrade, clear the
    cache folder to cut with its new dictionary); written whole and atomically
    after a miss. A lost race only costs a cut made again.
    """

    def __init__(self) -> None:
        self.path: Path | None = None
        self.data: dict[str, list[str]] | None = None

    def _load(self) -> dict[str, list[str]]:
        if self.data is None:
            import json

            from .fonts import cache_dir
            self.path = cache_dir() / "words.json"
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.data = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self.data = {}
        return self.data

    @staticmethod
    def key(text: str, user: tuple[str, ...]) -> str:
        return "\x1f".join((text, "\x1e".join(user)))

    def get(self, text: str, user: tuple[str, ...]) -> list[str] | None:
        hit = self._load().get(self.key(text, user))
        if isinstance(hit, list) and "".join(hit) == text:
            return hit
        return None

    def put(self, text: str, user: tuple[str, ...], words: list[str]) -> None:
        import json
        import os
        import tempfile

        data = self._load()
        data[self.key(text, user)] = words
        if len(data) > MAX_CACHED_CUTS:          # keep the file small: drop the oldest
            for k in list(data)[:len(data) - MAX_CACHED_CUTS]:
                del data[k]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".words-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            pass                                   # a cache, not a result


MAX_CACHED_CUTS = 20_000
_CUTS = _CutCache()


# Words of today's Chinese news copy that jieba's 2015 dictionary cuts apart (非 | 遗传 |
# 承人, 融 | 媒体, 网格 | 员): a headline must not break inside them on any paper, so
# they come with the tool; a paper adds its own names with the style's headline_words.
NEWS_WORDS = (
    "非遗", "传承人", "融媒体", "新质生产力", "赋能", "热议",
    "一网通办", "一网统管", "网格员", "网格化", "老旧小区", "适老化", "专精特新",
    "高质量发展", "乡村振兴", "营商环境", "放管服", "最多跑一次", "接诉即办", "河长制",
    "林长制", "田长制", "双减", "双碳", "碳达峰", "碳中和", "新能源汽车", "充电桩",
    "直播带货", "电商直播", "数字经济", "数字乡村", "智慧城市", "人工智能", "大数据",
    "云计算", "物联网", "低空经济", "银发经济", "夜间经济", "首店经济", "文旅融合",
    "志愿服务", "文明实践站", "文明实践所", "党群服务中心", "红色物业",
    "主题教育", "不忘初心", "民生实事", "以旧换新", "城市更新", "口袋公园", "一老一小",
    "便民服务", "政务服务", "帮办代办", "一件事", "运动会", "全民健身", "安全生产",
    "防汛抗旱", "森林防火", "平安建设", "扫黑除恶", "反诈", "电信网络诈骗",
    "人居环境", "和美乡村", "宜居宜业", "高标准农田", "产业园", "孵化器", "专班",
    "两会", "人大代表", "政协委员", "人大常委会", "政协常委会", "常委会", "纪委监委",
    "网络安全", "个人信息", "养老服务", "托育服务", "医保", "社保", "公积金",
    "地理标志", "综保区", "黄帝故里",
    # compounds the segmenter cuts in two (跨境 | 电商, 春风 | 行动, 优良 | 天数, 人 | 社 | 局)
    "跨境电商", "春风行动", "优良天数", "人社局", "进出口额", "招聘会", "宣传周",
    "交流周", "活动周", "文化节", "旅游节",
    # a verb and its result, cut apart (跑 | 出项目建设加速度)
    "跑出", "走出", "闯出", "干出", "拼出", "打出", "跑出来", "走出去", "高效办成",
    # meetings the segmenter cuts after their topic (政银企对接 | 会现场签约)
    "对接会", "推进会", "政银企",
)


def _cut(text: str, user: tuple[str, ...]) -> list[str]:
    user = NEWS_WORDS + user
    words = _CUTS.get(text, user)
    if words is None:
        _SEG.need(set(text) | _PENDING, user)
        words = _SEG.cut(text)
        _CUTS.put(text, user, words)
    return words


# A quoted or titled term this short (“飞行梦”, 《铝城记忆》) is one unit in a headline:
# a line never ends inside it (a longer quotation may break at its words).
QUOTED_TERM_MAX = 10           # (“15分钟便民生活圈” is 9)
_QUOTED = re.compile("[“‘《「『]([^“”‘’《》「」『』]{1,%d})[”’》」』]" % QUOTED_TERM_MAX)

# ... and a quoted character glued to the Han after it is part of a word, the pun
# of a verb: 直播带货“带”火河洛农产品 (带火), “剪”出, “红”遍全国 — never “带” | 火
# (a quoted word, “三八” “四好”, is a word of its own)
_GLUED = re.compile("[“‘][^“”‘’][”’][\u3400-\u9fff]")


# a date is read as one: 10月 | 20日 on two headline lines reads as two numbers
_DATE = re.compile(r"(?:\d{2,4}年)?\d{1,2}月\d{1,2}[日号]|\d{2,4}年\d{1,2}月")
# an ordinal with its number and measure word: 第45次, 第十二届, 第3批 (jieba cuts 第 off)
_ORDINAL = re.compile(r"第[0-9０-９一二三四五六七八九十百千零〇两]+"
                      r"(?:季度|[次届期批个号轮年版场部章条项名])?")


# A run of Han characters this short that punctuation sets off on both sides
# (“马路天使”王秀梅：…, …”绣出城市“…) is a name or a term: never broken (the segmenter
# cut 王秀 | 梅 and 绣 | 出 and the line ended there)
SET_OFF_MAX = 4
_SET_OFF = re.compile(r"(?:^|(?<=[%s]))[\u3400-\u9fff]{2,%d}(?=[%s]|$)" % (
    re.escape("".join(clreq.CLOSING | clreq.PAUSE_STOP | clreq.OPENING)), SET_OFF_MAX,
    re.escape("".join(clreq.OPENING | clreq.PAUSE_STOP | clreq.CLOSING))))


def _set_off(text: str, lo: int, hi: int) -> bool:
    """Whether a short Han run that _SET_OFF found is a name or term set off by marks:
    not the run that opens the headline before a quotation, which is what leads into
    it, a subject and verb or a preposition's phrase (从铝城到“航空小镇”, 我区推出“…”),
    and breaks at its words (set off on both sides, ”绣出城市“ and ，治的是“ are kept)."""
    return not (lo == 0 and hi < len(text) and text[hi] in clreq.OPENING)


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans no break may fall inside: Latin words, numbers with their parts, URLs,
    two-em dashes and ellipses, short quoted terms (with the character a quoted
    character is glued to: “带”火), dates (10月20日, 2025年3月9日), ordinals (第45次),
    short runs set off by punctuation (王秀梅 in ”王秀梅：)."""
    spans = [m.span() for m in _QUOTED.finditer(text)]
    spans += [m.span() for m in _GLUED.finditer(text)]
    spans += [m.span() for m in _DATE.finditer(text)]
    spans += [m.span() for m in _ORDINAL.finditer(text)]
    spans += [m.span() for m in _SET_OFF.finditer(text) if _set_off(text, *m.span())]
    i = 0
    while i < len(text):
        ch = text[i]
        if text[i:i + 2] in clreq.TWO_EM:
            spans.append((i, i + 2))
            i += 2
            continue
        if ch.isascii() or ch in clreq.LATIN_SIGNS:
            m = clreq.LATIN_UNIT.match(text, i)
            if m and m.end() > i + 1:
                spans.append((i, m.end()))
                i = m.end()
                continue
        i += 1
    return spans


def _places(words: list[str]) -> list[tuple[int, int]]:
    """Spans of places named with their suffix (南沙区, 傅家镇: see PLACE_SUFFIXES), from
    the segmenter's words."""
    starts = [0, *accumulate(map(len, words))]
    spans = []
    for k, w in enumerate(words):
        if w not in PLACE_SUFFIXES:
            continue
        j, size = k, 0
        while j > 0 and size + len(words[j - 1]) <= PLACE_NAME_MAX and all(
                map(clreq.is_han, words[j - 1])):
            j -= 1
            size += len(words[j])
        if j < k:
            spans.append((starts[j], starts[k + 1]))
    return spans


def _editions(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans of the names that follow an edition's ordinal (第五届 河阳青年科技奖: see
    EDITION_SUFFIXES), from the segmenter's words: Han words from the ordinal's end
    through the first that ends with a suffix."""
    ends = list(accumulate(map(len, words)))
    spans = []
    for m in _ORDINAL.finditer(text):
        if not m.group().endswith(EDITION_ORDINAL):
            continue
        start = m.end()
        for k, end in enumerate(ends):
            if end <= start:
                continue
            if end - start > EDITION_NAME_MAX or not all(map(clreq.is_han, words[k])):
                break
            if words[k][-1] in EDITION_SUFFIXES:
                spans.append((start, end))
                break
    return spans


def _bound_space(text: str, p: int) -> bool:
    """A break at offset p falls at a space that is spacing inside a name or number
    (iPhone 16, GB 2312, 400 800 1234: clreq.space_binds)."""
    lo, hi = p, p
    while lo > 0 and text[lo - 1] == " ":
        lo -= 1
    while hi < len(text) and text[hi] == " ":
        hi += 1
    return (hi - lo == 1 and 0 < lo and hi < len(text)
            and clreq.space_binds(text[lo - 1], text[hi], _named_number(text, lo)))


def _named_number(text: str, end: int) -> bool:
    """text[:end] ends with a number bound by a single space to the Latin word before it
    (the 16 of iPhone 16: a Latin word after it is the name's too, iPhone 16 Pro)."""
    k = end
    while k > 0 and text[k - 1].isascii() and text[k - 1].isdigit():
        k -= 1
    return (k < end and k >= 2 and text[k - 1] == " " and text[k - 2] != " "
            and clreq.space_binds(text[k - 2], text[k]))


def _joins(text: str, p: int) -> bool:
    """A break at offset p splits a joining sign from its term (5G+ | 工业互联网)."""
    before, after = text[p - 1], text[p]
    return ((after in clreq.JOINERS and not before.isspace())
            or (before in clreq.JOINERS and not after.isspace()))


def _pairs_from(text: str, p: int, word: str) -> bool:
    """The preposition ending at offset p is the 到 of 从…到 before a quoted term: it
    closes the 从 phrase, and the quotation after it stands on a line of its own
    (从铝城到 | “航空小镇”, not 从铝城 | 到“航空小镇” nor 从铝城到“航 | 空小镇”)."""
    start = text.rfind("从", 0, p - 1)
    return (word == "到" and text[p:p + 1] in clreq.OPENING and start >= 0
            and all(clreq.is_han(ch) for ch in text[start:p]))


def break_points(text: str, user_words=()) -> list[int]:
    """Offsets in text where a headline line may end, in order (not 0 or len(text))."""
    if not text:
        return []
    words = _cut(text, tuple(user_words))
    points, pos = set(), 0
    starting: dict[int, str] = {}      # the word that starts at each point
    ending: dict[int, str] = {}        # ... and the one that ends there
    for w, nxt in zip(words, words[1:]):
        pos += len(w)
        points.add(pos)
        starting[pos], ending[pos] = nxt, w
    for lo, hi in _protected(text) + _places(words) + _editions(text, words):
        points -= set(range(lo + 1, hi))
    out = []
    for p in sorted(points):
        before, after = text[p - 1], text[p]
        if after.isspace() or before.isspace():
            # at a space written in the headline: the break goes at the space
            if after.isspace() or _bound_space(text, p):
                continue
        if _joins(text, p) or (ending.get(p, "") in PREPOSITIONS
                               and not _pairs_from(text, p, ending[p])):
            continue
        if after in clreq.NO_LINE_START_BASIC:
            continue
        if after in clreq.NO_BREAK_BEFORE_WORD and len(starting.get(p, after)) == 1:
            continue            # the particle 的 地 了 …, not the word 地理 or 和平 it starts
        if before in _NO_BREAK_AFTER:
            continue
        if after in _LOCALIZERS and text[p + 1:p + 2] == "的":
            continue            # 小庭院 | 里的“大文章”: 里的 belongs to the noun before it
        if after in clreq.NUMBER_UNITS and before.isdigit():
            continue
        out.append(p)
    # spaces written in the headline are break points too
    for m in re.finditer(r"\s+", text):
        if 0 < m.start() and m.end() < len(text) and not _bound_space(text, m.end()):
            out.append(m.end())
    return sorted(set(out))


def pieces(text: str, user_words=()) -> list[str]:
    """text cut at its break points (the pieces keep their spaces)."""
    cuts = [0] + break_points(text, user_words) + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if a < b]


INSIDE_PHRASE = 2.5     # ems a line break inside a phrase counts against a headline's widest
                        # line (a break inside a book title is the last resort: see balance)


# marks that end a clause: a break after one, the lines either side of it reasonably
# even (the shorter at least CLAUSE_BALANCE of the longer), is preferred to a break
# after a verb (…2,368个， | 打造“5G+工业互联网”…, not …个，打造 | “5G+…”): it counts
# CLAUSE_BREAK ems narrower still
CLAUSE_MARKS = clreq.PAUSE_STOP - {"、"}
CLAUSE_BALANCE = 2 / 3
CLAUSE_BREAK = 2.5
# a dash ending a headline's first part (从“卖原料”到“卖产品”再到“卖品牌”—— | 荥阳阀门…)
# is where the eye pauses, as after a comma
DASHES = ("——", "⸺")
# a number and its measure word (22个, 23所, 40余家) belong to the noun after them: a
# break there (我市22个 | 重大项目) costs INSIDE_PHRASE once more
_QUANTITY = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万两]+[多余]?"
                       r"[个项家座所名位批条处台辆套件只支张部栋间户]$")


def _between_phrases(before: str, after: str) -> bool:
    """A break between these two pieces parts a subject from its predicate or a verb from
    its object (PREDICATE_VERBS; 湖田街道 | 为老人…, before a preposition that opens one)."""
    return (before.rstrip("了")[-2:] in PREDICATE_VERBS or after[:2] in PREDICATE_VERBS
            or (after[:1] in PREPOSITIONS and clreq.is_han(after[1:2] or " ")))


def balance(parts: list[str], measure: float, width, after_mark_bonus: float = 0.0
            ) -> list[str] | None:
    """parts joined into the fewest lines of at most measure, the widest as narrow as
    can be (a break after punctuation or at a space counts after_mark_bonus narrower),
    then the lines as even as can be (the least sum of squared widths: 区委常委班子 |
    召开2024年度民主生活会 | … and 区委常委班子召开 | 2024年度民主生活会 | … share their
    widest line, the last; the second is even); None if a part alone is wider than
    the measure. A break inside a long 《book title》 is taken only where no way with
    as few lines keeps the title whole (我区发布 | 《郫都区2025年民生实事项目清单》)."""
    n = len(parts)
    # inside 《…》 at each part boundary (a book title too long to be one unit)
    depth, titled = 0, []
    for p in parts:
        depth = max(0, depth + p.count("《") - p.count("》"))
        titled.append(depth > 0)
    # a dash ending a part, with words before it (not the —— opening a subheadline)
    dashed = [p.rstrip().endswith(DASHES)
              and bool("".join(parts[:k + 1]).strip().strip("—⸺").strip())
              for k, p in enumerate(parts)]
    # (…, the raw width of the first line: the next line of a way that ends one before it)
    best: dict[int, tuple[int, int, float, float, float, list[str], float]] = {
        n: (0, 0, -math.inf, 0.0, 0.0, [], 0.0)}
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            line = "".join(parts[i:j]).strip()
            w = raw = width(line)
            if w > measure:
                break
            count, titles, widest, inside, squares, rest, after_w = best[j]
            if j < n:
                end = parts[j - 1].rstrip()[-1:]
                pause = (parts[j - 1][-1:].isspace() or end in clreq.PAUSE_STOP
                         or parts[j][:1] in PHRASE_OPENERS or dashed[j - 1])
                if pause or end in clreq.CLOSING:
                    w -= after_mark_bonus
                if (end in CLAUSE_MARKS and rest
                        and min(raw, after_w) >= CLAUSE_BALANCE * max(raw, after_w)):
                    inside -= CLAUSE_BREAK * after_mark_bonus
                if not pause and not _between_phrases(parts[j - 1], parts[j]):
                    # a break inside a phrase (门诊 | 报销比例) costs more than the lines'
                    # evenness: after ！ or ： is where the eye pauses (a quote's ends are
                    # not: 推出“茶农贷”, “红”遍全国)
                    inside += INSIDE_PHRASE * after_mark_bonus
                    if (_QUANTITY.search(parts[j - 1].rstrip())
                            and clreq.is_han(parts[j][:1] or " ")):
                        inside += INSIDE_PHRASE * after_mark_bonus
                titles += titled[j - 1]
            options.append((count + 1, titles, max(w, widest), inside, squares + w * w,
                            [line] + rest, raw))
        if not options:
            if i == 0:
                return None
            best[i] = (n + 1, n, math.inf, math.inf, math.inf, [], math.inf)
            continue
        best[i] = min(options, key=lambda o: (o[0], o[1], round(o[2] + o[3], 6), o[4]))
    count, _, _, _, _, lines, _ = best[0]
    return lines if count <= n else None

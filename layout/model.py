"""The issue as layout staff wrote it: validated, with source positions.

load_issue(path) reads an issue YAML file and returns an Issue, or raises
InputError naming file:line:column and what was expected.

Text fields lose the zero-width characters (ZERO_WIDTH: U+200B, U+200C,
U+200D, U+2060, U+FEFF) wherever they stand (normalize.zero_width) and the
spaces at their ends and at the ends of each line of copy; a field left with
nothing is empty (an error for a headline, left out otherwise), and a line of
copy left with nothing is a blank line. What was removed is noted in
Article.removed and Issue.removed and logged at INFO level. An invisible
control (a C0 or C1 control, a bidi control, a variation selector:
normalize.invisible) is refused at its own line and column. Fields longer than
the MAX_*_CHARS limits below are refused.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import normalize
from .errors import InputError, Source
from .setting import ZERO_WIDTH
from .yamlsrc import (DuplicateKeys, Node, Scalar, Seq, char_source, describe, expect_int,
                      expect_list, expect_number, expect_str, fail, fields, is_null,
                      load_yaml)

log = logging.getLogger("layout")

# The longest text a field may hold, in characters, counted after the spaces
# and zero-width characters at its ends are removed. Far above any real copy
# (a long headline is 30 characters, a long paragraph 1,000); they stop a
# runaway paste or a hostile file before composition, with the field's line.
MAX_TITLE_CHARS = 200           # headline, kicker, subheadline
MAX_BYLINE_CHARS = 200
MAX_SECTION_CHARS = 40          # a page's section, shown in its header
MAX_NAME_CHARS = 40             # the duty editor, each proofreader
MAX_PARAGRAPH_CHARS = 20_000    # one paragraph of a body
MAX_BODY_CHARS = 200_000        # all the paragraphs of one article
MAX_PAPER_CHARS = 64            # `paper:` names the file styles/<paper>.yaml


@dataclass(frozen=True)
class Credits:
    duty_editor: str | None          # 值班编辑
    proofreaders: tuple[str, ...]    # 校对


@dataclass(frozen=True)
class Article:
    headline: str                    # 主题 (required)
    body: tuple[str, ...]            # paragraphs, in order; never empty (STANZA_BREAK, an
                                     # empty one, is a blank line around verse)
    kicker: str | None               # 引题
    subheadline: str | None          # 副题
    byline: str | None               # printed as （记者 王明玥 罗浩）
    source: Source                   # where the article's mapping starts
    # layout pins and hints; None: the layout search decides
    lead: bool = False               # 头条: top of the page, widest, largest headline
    columns: int | None = None       # the module's span in columns
    place: Place | None = None       # the module's top-left grid cell
    height: int | None = None        # the module's height in grid lines
    # 转版: the rest goes to this page (and on, page after page, as needed), or to these pages
    continue_on: int | tuple[int, ...] | None = None
    pins: dict[str, Source] | None = None   # where each pin was written, for errors
    # what the loader removed from this article's text, one note per field or paragraph:
    # "article '标题' body paragraph 3: removed 2 zero-width characters"
    removed: tuple[str, ...] = ()
    photos: tuple[Photo, ...] = ()   # at the module's top, under the headline
    boxed: bool = False              # set in a ruled frame (a notice, a 短评)
    column_label: str | None = None  # 栏目 tag above the headline, printed 【基层风采】
    # where each field was written ((field, Source) pairs) and each paragraph of the body,
    # so a warning about a line names the line of the file, not the article's first
    field_sources: tuple[tuple[str, Source], ...] = ()
    paragraph_sources: tuple[Source, ...] = ()

    def source_of(self, field: str, text: str = "") -> Source:
        """Where field was written; for the body (its crossheads, its 落款), the
        paragraph holding text. The article's own place where that is not known."""
        if text and field in ("body", "crosshead", "signoff"):
            for para, where in zip(self.body, self.paragraph_sources):
                if text in para:
                    return where
            field = "body"
        return dict(self.field_sources).get(field, self.source)

    @property
    def printed_label(self) -> str | None:
        """The 栏目 label as printed: in 【】, unless the copy brings its own brackets."""
        return _bracketed(self.column_label, "【】", "【［[", "】］]")

    @property
    def credit_under_title(self) -> bool:
        """A 副刊 piece's credit (文/禤小琤, 文／…): printed under its title, as essays and
        poems carry it, not in brackets after the text as a news byline is."""
        return bool(self.byline) and _TITLE_CREDIT.fullmatch(self.byline) is not None

    @property
    def printed_byline(self) -> str | None:
        """The byline as printed: in full-width brackets, unless the copy brings its own
        (or it is a credit under the title, printed as written)."""
        if self.credit_under_title:
            return self.byline
        return _bracketed(self.byline, "（）", "（(【［[", "）)】］]")


# 文/张三, 文／张三, 文·图/张三: an essay's or a poem's credit, one name (文/记者 郭晓峰
# 通讯员 … is a news byline with its roles)
_TITLE_CREDIT = re.compile(r"\s*文(?:[·、]?图)?\s*[/／]\s*(?!记者|通讯员|本报|见习|实习)\S{1,8}\s*")


def _bracketed(text: str | None, pair: str, opens: str, closes: str) -> str | None:
    """text inside pair[0] … pair[1], unless it already starts and ends with brackets."""
    if not text:
        return None
    if text[0] in opens and text[-1] in closes:
        return text
    return f"{pair[0]}{text}{pair[1]}"


@dataclass(frozen=True)
class Photo:
    """A photo of an article: the file, its 图片说明 and credit, and how to crop it."""
    file: str                        # as written: a path relative to the issue file
    caption: str | None              # 图片说明, set under the photo
    credit: str | None               # e.g. 记者 王明玥 摄, ranged right under the caption
    source: Source                   # where the photo's entry starts
    focus: tuple[float, float] | None = None    # crop around this point (image pixels)
    box: tuple[float, float, float, float] | None = None   # crop inside this box (pixels)
    columns: int | None = None       # the photo's (and so its module's) width in columns
    mono: bool = False               # print in black only


@dataclass(frozen=True)
class Place:
    column: int                      # 1-based column of the module's left edge
    line: int                        # 1-based grid line of its top, counted in the body area


@dataclass(frozen=True)
class Page:
    number: int                      # 第N版, 1-based, in file order
    section: str | None              # shown in the page header of inner pages
    articles: tuple[Article, ...]
    credits: Credits                 # the issue's credits unless the page overrides them
    source: Source
    fixed_order: bool = False        # `order: fixed`: keep the articles in the order written
    layout: int | None = None        # `layout: N`: the N-th best layout (`layout candidates`)
    layout_source: Source | None = None   # where `layout:` was written, for errors
    teasers: tuple[Teaser, ...] = ()  # 导读 (page 1): inner-page articles to point to
    group_briefs: bool = True        # `briefs: separate`: short items stay separate modules
                                     # (grouped: one 简讯 module, as the house style says)


TEASER_TITLE = "导读"         # the title of page 1's module of teasers


@dataclass(frozen=True)
class Teaser:
    """A 导读 entry: an article of a later page, named by its headline (or its start).

    Once the issue is read, a teaser naming one article (as teaser_matches finds it:
    whatever the line breaks, spaces and quotation marks) holds that article's headline
    as written; one naming none holds its own text, near the headline closest to it
    (for 'did you mean'), named how many articles it matched (more than one: which?).
    `written` keeps the entry as the editor wrote it: the 导读 prints that (an editor's
    short form of a long headline), not the whole headline it names."""
    headline: str
    source: Source
    near: str | None = None          # naming none: the closest headline, one-lined
    named: int = 0                   # articles of later pages it matched
    written: str = ""                # the entry as written (resolved teasers)


# left out when a teaser is compared with headlines: a teaser `5G+工业互联网` names
# `“5G+工业互联网”让老厂…`, `我区举办2025年 “上街好人”` the headline in two lines
_TEASER_IGNORED = re.compile("[\\s“”‘’「」『』\"'\u200b\u200c\u200d\u2060\ufeff]+")


def teaser_key(text: str) -> str:
    """Text as a teaser is compared with headlines: no whitespace (nor line breaks),
    no quotation marks “”‘’「」『』"'."""
    return _TEASER_IGNORED.sub("", text)


def teaser_matches(text: str, articles) -> list:
    """The articles a teaser's text names: those whose headline is it, else those
    whose headline starts with it; each compared as written, then as teaser_key has it."""
    key = teaser_key(text)
    if not key:
        return []
    keys = [(a, teaser_key(a.headline)) for a in articles]
    for found in ([a for a, _ in keys if a.headline == text],
                  [a for a, k in keys if k == key],
                  [a for a, _ in keys if a.headline.startswith(text)],
                  [a for a, k in keys if k.startswith(key)]):
        if found:
            return found
    return []


def headline_line(headline: str) -> str:
    """A headline written on several lines, as one line of a teaser would have it:
    the lines run on (a space only between two Latin letters or digits)."""
    out = ""
    for part in (p.strip() for p in headline.splitlines()):
        if part:
            out += (" " if out and out[-1].isascii() and out[-1].isalnum()
                    and part[0].isascii() and part[0].isalnum() else "") + part
    return out


# how alike (difflib's ratio) a teaser naming no headline and the nearest headline or its
# start must be for the error to ask "did you mean": 无人机送快递 for 无人机送外卖… is 0.67
NEAR_TEASER = 0.6


def _near_headline(text: str, articles) -> str | None:
    """The headline (one-lined) a teaser naming none most likely meant: a typo, a
    character or two off its headline or its start; None when none is that close."""
    from difflib import SequenceMatcher
    key = teaser_key(text)
    best, score = None, 0.0
    for a in articles:
        k = teaser_key(a.headline)
        r = max(SequenceMatcher(None, key, k, autojunk=False).ratio(),
                SequenceMatcher(None, key, k[:len(key)], autojunk=False).ratio())
        if r > score:
            best, score = a, r
    return headline_line(best.headline) if best is not None and score >= NEAR_TEASER else None


def _resolve_teasers(pages: tuple) -> tuple:
    """Page 1's teasers, each holding the headline of the one article it names."""
    later = [a for p in pages if p.number > 1 for a in p.articles]
    out = []
    for p in pages:
        if not p.teasers:
            out.append(p)
            continue
        teasers = []
        for t in p.teasers:
            found = teaser_matches(t.headline, later)
            if len(found) == 1:
                teasers.append(replace(t, headline=found[0].headline, named=1,
                                       written=t.headline))
            else:
                near = None if found else _near_headline(t.headline, later)
                teasers.append(replace(t, near=near, named=len(found)))
        out.append(replace(p, teasers=tuple(teasers)))
    return tuple(out)


@dataclass(frozen=True)
class Issue:
    path: Path
    paper: str                       # names the house style: styles/<paper>.yaml
    date: _dt.date
    number: int                      # 第N期
    total: int                       # 总第N期
    credits: Credits
    pages: tuple[Page, ...]
    source: Source
    removed: tuple[str, ...] = ()    # every note of what the loader removed, in file order
    ear: Ear | None = None           # 报眼: the box beside the masthead on page 1


# what `layout new` writes where the next issue's copy goes (layout/session.py)
PLACEHOLDER_HEADLINE = "标题"
PLACEHOLDER_BODY = "正文。"
PLACEHOLDER_EAR = "报眼文字。"


def placeholders(issue: Issue) -> list[tuple[Source, str]]:
    """The places where the issue still holds what `layout new` wrote for copy to
    come: (where, what), in file order."""
    out = []
    if issue.ear is not None and issue.ear.text == PLACEHOLDER_EAR:
        out.append((issue.ear.source, f"the ear's text is still '{PLACEHOLDER_EAR}'"))
    for page in issue.pages:
        for a in page.articles:
            if a.headline == PLACEHOLDER_HEADLINE and a.body == (PLACEHOLDER_BODY,):
                out.append((a.source, f"page {page.number} still holds the placeholder "
                            f"article '{PLACEHOLDER_HEADLINE}' that `layout new` wrote"))
    return out


@dataclass(frozen=True)
class Ear:
    """报眼: a short item in the box the house style keeps beside the masthead."""
    title: str
    text: str                        # may be empty when there is a photo
    source: Source
    photo: Photo | None = None       # fills the box under the title, the text under it


# ---------------------------------------------------------------- loading

_ISSUE_KEYS = ("paper", "date", "number", "total", "credits", "ear", "pages")
_EAR_KEYS = ("title", "text", "photo")
MAX_EAR_CHARS = 200
MAX_LABEL_CHARS = 20             # a 栏目 label such as 基层风采
_PAGE_KEYS = ("section", "credits", "order", "layout", "teasers", "briefs", "articles")
_ARTICLE_KEYS = ("column_label", "kicker", "headline", "subheadline", "byline", "body", "photos",
                 "boxed", "lead", "columns", "place", "height", "continue_on")
_PLACE_KEYS = ("column", "line")
_PHOTO_KEYS = ("file", "caption", "credit", "crop", "columns", "mono")
_CROP_KEYS = ("focus", "box")
MAX_PHOTOS = 8                  # photos of one article
MAX_CAPTION_CHARS = 400
_ORDERS = ("fixed", "free")
_BRIEFS = ("grouped", "separate")
_CREDIT_KEYS = ("duty_editor", "proofreaders")
_PAPER_NAME = re.compile(r"[a-z0-9_-]{1,%d}" % MAX_PAPER_CHARS)
_NAME_SEPARATORS = re.compile(r"[,，、;；]")   # between names written in one line
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_issue(path: Path, problems: list | None = None,
               keep_han_spaces: bool | None = None, partial: bool = False) -> Issue:
    """Read and validate an issue file; raise InputError at the first problem.

    problems: a list to collect the problems in (up to MAX_PROBLEMS) instead of
    stopping at the first; the first is raised after them all, unless partial:
    then the issue is returned without the pages and articles that failed (and
    with stand-ins for the header fields that failed), so that later checks can
    look at the rest. Only a file that is not an issue at all (not YAML, not a
    mapping, no pages) still stops at once. keep_han_spaces: keep spaces between
    two Han characters in the body; None: as the house style says
    (setting.keep_han_spaces, default false).
    """
    try:
        root = load_yaml(path)
    except DuplicateKeys as err:        # listed with the file's other problems
        if problems is None:
            raise
        for e in err.errors:
            _report(problems, e)
        root = err.root
    before = len(problems or ())
    top = fields(root, "the issue", _ISSUE_KEYS, required=("paper", "pages"),
                 problems=problems)
    misspelt = len(problems or ()) > before
    # a header field missing is one problem among the others `layout check` lists, not
    # the end of the reading; misspelt (`issue:` for `number:`), its own line says it
    for key in ("date", "number", "total"):
        if key not in top and not misspelt:
            _report(problems, InputError(f"missing required key '{key}' in the issue",
                                         root.source))
    notes: list[str] = []          # what was removed from the text, in file order

    # checked in file order, so the first problem reported is the first one written
    paper = _paper(top["paper"])
    if keep_han_spaces is None:
        keep_han_spaces = _style_keeps_han_spaces(paper, path)
    date = _collecting(problems, _date, top["date"], default=_dt.date(2000, 1, 1)) \
        if "date" in top else _dt.date(2000, 1, 1)
    number = _collecting(problems, expect_int, top["number"], "'number'", 1, default=1) \
        if "number" in top else 1
    total = _collecting(problems, _total, top["total"], number, default=number) \
        if "total" in top else number
    credits = _collecting(problems, _credits, top.get("credits"), Credits(None, ()), "credits",
                          notes, default=Credits(None, ()))
    ear = _collecting(problems, _ear, top.get("ear"), notes)
    pages = expect_list(top["pages"], "'pages'", nonempty=True)
    parsed = tuple(_collecting(problems, _page, node, i, credits, notes, problems,
                               keep_han_spaces)
                   for i, node in enumerate(pages, 1))
    if problems and not partial:
        raise problems[0]
    issue = Issue(
        path=Path(path).resolve(),
        paper=paper,
        date=date,
        number=number,
        total=total,
        credits=credits,
        pages=_resolve_teasers(tuple(p for p in parsed if p is not None)),
        source=root.source,
        removed=tuple(notes),
        ear=ear,
    )
    for note in notes:
        log.info("%s: %s", path, note)
    return issue


def _total(node: Node, number: int) -> int:
    total = expect_int(node, "'total'", minimum=1)
    if total < number:
        raise InputError(f"'total' ({total}) must not be less than 'number' ({number})",
                         node.source)
    return total


def _ear(node: Node | None, notes: list[str]) -> Ear | None:
    if is_null(node):
        return None
    given = fields(node, "'ear'", _EAR_KEYS, required=("title",))
    photo = None
    if not is_null(given.get("photo")):
        photo = _photo(given["photo"], "the ear", notes)
    ear = Ear(_text(given["title"], "'title'", MAX_TITLE_CHARS, "ear title", notes,
                    "the ear's title") or "",
              _text(given.get("text"), "'text'", MAX_EAR_CHARS, "ear text", notes,
                    "the ear's text") or "",
              node.source, photo)
    if not ear.title or not (ear.text or ear.photo):
        raise InputError("'ear' needs a 'title' and a 'text' or a 'photo'", node.source)
    return ear


MAX_PROBLEMS = 20       # problems `layout check` lists at once


def _style_keeps_han_spaces(paper: str, path: Path) -> bool:
    """The house style's `setting.keep_han_spaces`, read ahead of the style: the copy
    is cleaned here, before the build loads the style. A style that cannot be found
    or read, or a value that is not true, counts as false (load_style reports it)."""
    from .style import find_style
    from .yamlsrc import Map

    try:
        root = load_yaml(find_style(paper, path))
    except InputError:
        return False
    setting = root.items.get("setting") if isinstance(root, Map) else None
    value = setting.items.get("keep_han_spaces") if isinstance(setting, Map) else None
    return isinstance(value, Scalar) and value.value is True


def _collecting(problems: list | None, make, *args, default=None):
    """make(*args), or with a problems list: its InputError noted and `default`
    returned (a page or article read on without the field, or left out)."""
    if problems is None:
        return make(*args)
    try:
        return make(*args)
    except InputError as err:
        _report(problems, err)
        return default


def _report(problems: list | None, err: InputError) -> None:
    """Raise err, or with a problems list note it (up to MAX_PROBLEMS)."""
    if problems is None:
        raise err
    if len(problems) < MAX_PROBLEMS:
        problems.append(err)


def _paper(node: Node) -> str:
    paper = expect_str(node, "'paper'").strip()
    if not _PAPER_NAME.fullmatch(paper):
        # it names a file, so keep it to a safe, predictable spelling and length
        raise fail(node, "a house style name like 'shangjie' "
                   f"(a-z, 0-9, - and _, at most {MAX_PAPER_CHARS} characters)", "'paper'")
    return paper


def _date(node: Node) -> _dt.date:
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    text = node.text.strip() if isinstance(node, Scalar) and value is not None else ""
    if _ISO_DATE.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:            # 2025-02-30: shaped like a date, but not one
            raise InputError(f"{describe(node)} is not a day of the calendar: "
                             f"{_no_such_day(text)}", node.source) from None
    raise InputError(f"expected a date like 2025-03-09, got {describe(node)}", node.source)


def _no_such_day(text: str) -> str:
    """Why an ISO-shaped date is no day: its month, or its month's length."""
    import calendar

    year, month, day = (int(v) for v in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月 has {days} days" if day else "days start at 1"


def _credits(node: Node | None, inherited: Credits, where: str, notes: list[str]) -> Credits:
    """Credits from `node`; keys it leaves out keep the inherited values."""
    if node is None:
        return inherited
    given = fields(node, "'credits'", _CREDIT_KEYS)
    duty = inherited.duty_editor
    if "duty_editor" in given:
        duty = _text(given["duty_editor"], "'duty_editor'", MAX_NAME_CHARS,
                     f"{where} duty_editor", notes)
    proofreaders = inherited.proofreaders
    if "proofreaders" in given:
        proofreaders = _names(given["proofreaders"], "'proofreaders'", f"{where} proofreader",
                              notes)
    return Credits(duty, proofreaders)


def _names(node: Node, what: str, where: str, notes: list[str]) -> tuple[str, ...]:
    if is_null(node):
        return ()
    if isinstance(node, Scalar):          # one proofreader may be written without a list,
        text = _text(node, what, 10 * MAX_NAME_CHARS, where, notes) or ""
        # ...or several in one line: 张书豪, 李梦瑶 / 张书豪、李梦瑶 are two names
        names = tuple(n.strip() for n in _NAME_SEPARATORS.split(text) if n.strip())
        for name in names:
            if len(name) > MAX_NAME_CHARS:
                raise InputError(f"a name in {what} is {len(name)} characters long; it may have "
                                 f"at most {MAX_NAME_CHARS}: '{name[:20]}…'", node.source)
        return names
    names = []
    for i, item in enumerate(expect_list(node, what), 1):
        name, removed = _trimmed(item, f"a name in {what}", MAX_NAME_CHARS, f"{where} {i}")
        if not name:
            why = " (it holds only zero-width characters)" if removed.zero_width else ""
            raise InputError(f"empty name in {what}{why}", item.source)
        _note(notes, f"{where} {i}", removed, name)
        names.append(name)
    return tuple(names)


def _page(node: Node, number: int, issue_credits: Credits, notes: list[str],
          problems: list | None = None, keep_han_spaces: bool = False) -> Page:
    what = f"page {number}"
    given = fields(node, what, _PAGE_KEYS, required=("articles",), problems=problems)
    articles = expect_list(given["articles"], f"'articles' of page {number}", nonempty=True)

    # with a problems list, a bad page field is noted and the articles still read
    order = _collecting(problems, _choice, given.get("order"), "'order'", _ORDERS,
                        "fixed or free") or "free"
    briefs = _collecting(problems, _choice, given.get("briefs"), "'briefs'", _BRIEFS,
                         "grouped (one 简讯 module) or separate") or "grouped"
    section = _collecting(problems, _text, given.get("section"), "'section'",
                          MAX_SECTION_CHARS, f"page {number} section", notes,
                          f"the section of page {number}")
    parsed = tuple(_collecting(problems, _article, a, notes, keep_han_spaces, problems)
                   for a in articles)
    leads = [a for a in parsed if a is not None and a.lead]
    if len(leads) > 1:          # one 头条 a page: which of them would it be?
        _report(problems, InputError(
            f"page {number}: {len(leads)} articles are marked 'lead: true' "
            f"('{leads[0].headline}', '{leads[1].headline}'); a page has one lead",
            (leads[1].pins or {}).get("lead", leads[1].source)))
    return Page(
        number=number,
        section=section,
        articles=tuple(a for a in parsed if a is not None),
        credits=_collecting(problems, _credits, given.get("credits"), issue_credits,
                            f"page {number} credits", notes, default=issue_credits),
        source=node.source,
        fixed_order=order == "fixed",
        layout=_collecting(problems, _opt_int, given.get("layout"), "'layout'"),
        layout_source=None if is_null(given.get("layout")) else given["layout"].source,
        teasers=_collecting(problems, _teasers, given.get("teasers"), number, notes,
                            default=()),
        group_briefs=briefs == "grouped",
    )


def _choice(node: Node | None, what: str, allowed, expected: str) -> str | None:
    """One of the allowed words, or None when the key is left out."""
    if is_null(node):
        return None
    word = expect_str(node, what).strip()
    if word not in allowed:
        raise fail(node, expected, what)
    return word


def _teasers(node: Node | None, number: int, notes: list[str]) -> tuple[Teaser, ...]:
    if is_null(node):
        return ()
    if number != 1:
        raise InputError("'teasers' (导读) belong on page 1", node.source)
    out = []
    for i, item in enumerate(expect_list(node, "'teasers'", nonempty=True), 1):
        text = _text(item, "a teaser", MAX_TITLE_CHARS, f"teaser {i}", notes)
        if not text:
            raise fail(item, "the headline of an article on a later page", "a teaser")
        out.append(Teaser(text, item.source))
    return tuple(out)


def _article(node: Node, issue_notes: list[str], keep_han_spaces: bool = False,
             problems: list | None = None) -> Article:
    given = fields(node, "article", _ARTICLE_KEYS, required=("headline",), problems=problems)
    if is_null(given.get("body")) and is_null(given.get("photos")):
        raise InputError("missing required key 'body' in article (only a 图片新闻 item, an "
                         "article with 'photos', may go without one)", node.source)
    written = expect_str(given["headline"], "'headline'")
    shown = _trim(normalize.without_invisible(written))[0]
    headline, removed = _trimmed(given["headline"], "'headline'", MAX_TITLE_CHARS,
                                 f"the headline of article '{_short(shown)}'")
    if not headline:
        why = " (it holds only zero-width characters)" if removed.zero_width else ""
        raise InputError(f"'headline' is empty{why}; write the headline",
                         given["headline"].source)
    label = f"article '{_short(headline)}'"
    notes: list[str] = []
    _note(notes, f"{label} headline", removed, headline)
    # dirty copy: straight quotes beside Chinese as “” ‘’ (spaces in a headline are break hints)
    headline = normalize.clean_field(headline, f"{label} headline", notes, spaces=False)

    def text(key: str, limit: int) -> str | None:
        return _text(given.get(key), f"'{key}'", limit, f"{label} {key}", notes,
                     f"the {key} of {label}")

    kicker = normalize.clean_field(text("kicker", MAX_TITLE_CHARS), f"{label} kicker", notes,
                                   spaces=False)
    subheadline = normalize.clean_field(text("subheadline", MAX_TITLE_CHARS),
                                        f"{label} subheadline", notes, spaces=False)
    byline = text("byline", MAX_BYLINE_CHARS)
    body, paragraph_sources = ((), ()) if is_null(given.get("body")) else _body(
        given["body"], label, notes, keep_han_spaces)
    photos = () if is_null(given.get("photos")) else _photos(given["photos"], label, notes)
    issue_notes.extend(notes)
    return Article(
        headline=headline,
        body=body,
        kicker=kicker,
        subheadline=subheadline,
        byline=byline,
        source=node.source,
        lead=_bool(given["lead"], "'lead'") if not is_null(given.get("lead")) else False,
        columns=_opt_int(given.get("columns"), "'columns'"),
        place=_place(given.get("place")),
        height=_opt_int(given.get("height"), "'height'"),
        continue_on=_continue_on(given.get("continue_on")),
        pins={k: given[k].source for k in ("lead", "columns", "place", "height", "continue_on")
              if k in given},
        removed=tuple(notes),
        photos=photos,
        boxed=_bool(given["boxed"], "'boxed'") if not is_null(given.get("boxed")) else False,
        column_label=text("column_label", MAX_LABEL_CHARS),
        field_sources=tuple((k, given[k].source) for k in
                            ("headline", "kicker", "subheadline", "byline", "body",
                             "column_label") if k in given),
        paragraph_sources=paragraph_sources,
    )


def _photos(node: Node, label: str, notes: list[str]) -> tuple[Photo, ...]:
    items = expect_list(node, f"'photos' of {label}", nonempty=True)
    if len(items) > MAX_PHOTOS:
        raise InputError(f"{label} has {len(items)} photos; at most {MAX_PHOTOS} can be placed",
                         node.source)
    return tuple(_photo(item, f"{label} photo {i}", notes) for i, item in enumerate(items, 1))


def _photo(item: Node, where: str, notes: list[str]) -> Photo:
    """One photo entry: file, caption, credit, crop, columns, mono."""
    given = fields(item, "photo", _PHOTO_KEYS, required=("file",))
    file = expect_str(given["file"], "'file'").strip()
    if not file:
        raise fail(given["file"], "the photo's file name", "'file'")
    focus = box = None
    if not is_null(given.get("crop")):
        crop = fields(given["crop"], "'crop'", _CROP_KEYS)
        if ("focus" in crop) == ("box" in crop):
            raise InputError("'crop' takes either 'focus: [x, y]' or 'box: [x0, y0, x1, y1]' "
                             "(image pixels)", given["crop"].source)
        if "focus" in crop:
            focus = _numbers(crop["focus"], 2, "'focus'")
        else:
            box = _numbers(crop["box"], 4, "'box'")
            if not (box[0] < box[2] and box[1] < box[3]):
                raise fail(crop["box"], "[x0, y0, x1, y1] with x0 < x1 and y0 < y1", "'box'")
    return Photo(
        file=file,
        caption=_text(given.get("caption"), "'caption'", MAX_CAPTION_CHARS,
                      f"{where} caption", notes, f"the caption of {where}"),
        credit=_text(given.get("credit"), "'credit'", MAX_BYLINE_CHARS,
                     f"{where} credit", notes, f"the credit of {where}"),
        source=item.source, focus=focus, box=box,
        columns=_opt_int(given.get("columns"), "'columns'"),
        mono=_bool(given["mono"], "'mono'") if not is_null(given.get("mono")) else False,
    )


def _numbers(node: Node, n: int, what: str) -> tuple[float, ...]:
    items = expect_list(node, what)
    if len(items) != n:
        raise fail(node, f"a list of {n} numbers (image pixels)", what)
    return tuple(expect_number(v, what, low=0) for v in items)


# ---------------------------------------------------------------- text fields

# What str.strip() strips (str.isspace()). Zero-width characters are not
# among them, yet they are as invisible at a field's ends, and a field of only
# them would reach the line breaker with nothing it can set.
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
           + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000")
_INVISIBLE = _SPACES + ZERO_WIDTH
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"   # what str.splitlines() splits on


class _Removed:
    """What trimming took away from a field or a paragraph, for the notes."""

    def __init__(self) -> None:
        self.zero_width = 0
        self.spaces = 0               # line breaks at a field's ends are not counted

    def add(self, other: _Removed) -> None:
        self.zero_width += other.zero_width
        self.spaces += other.spaces

    def __bool__(self) -> bool:
        return bool(self.zero_width or self.spaces)

    def __str__(self) -> str:
        parts = []
        if self.zero_width:
            parts.append(counted(self.zero_width, "zero-width character"))
        if self.spaces:
            parts.append(counted(self.spaces, "space") + " at the ends of lines")
        return " and ".join(parts)


def counted(n: int, what: str) -> str:
    """'1 page', '2 pages': a count with its noun (the messages' English)."""
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _trim(text: str) -> tuple[str, _Removed]:
    """`text` without its zero-width characters (wherever they stand: mid-line the setter
    made each a gap) and the spaces at its ends, and what went."""
    removed = _Removed()
    text, inside = normalize.zero_width(text)
    removed.zero_width = inside
    core = text.strip(_INVISIBLE)
    if len(core) < len(text):
        start = len(text) - len(text.lstrip(_INVISIBLE))
        ends = text[:start] + text[start + len(core):]
        kept = sum(ends.count(c) for c in ZERO_WIDTH)      # an emoji's joiner, at an end
        removed.zero_width += kept
        removed.spaces = (len(ends) - kept - sum(ends.count(c) for c in _LINE_BREAKS))
    return core, removed


def _short(text: str, n: int = 20) -> str:
    """A field quoted in a message: its first n characters."""
    return text if len(text) <= n else text[:n] + "…"


def _refuse_invisible(node: Node, text: str, field: str) -> None:
    """An InputError at the first invisible control of a field's text (normalize.invisible),
    at its own line and column where the file shows them."""
    i = normalize.invisible(text)
    if i is not None:
        raise InputError(f"{normalize.describe_invisible(text, i)} in {field}: "
                         f"{normalize.invisible_fix(text, i)}", char_source(node, i))


def _trimmed(node: Node, what: str, limit: int, field: str | None = None
             ) -> tuple[str, _Removed]:
    """The text of a field, trimmed, and what trimming removed; refused if over `limit`
    or holding an invisible control (named as in `field`, else `what`)."""
    written = expect_str(node, what)
    _refuse_invisible(node, written, field or what)
    text, removed = _trim(written)
    if len(text) > limit:
        raise InputError(f"{what} is {len(text)} characters long; it may have at most "
                         f"{limit}: '{_short(text)}'", node.source)
    return text, removed


def _note(notes: list[str], where: str, removed: _Removed, left: str) -> None:
    if removed:
        gone = "" if left else "; nothing is left, so it is left out"
        notes.append(f"{where}: removed {removed}{gone}")


def _text(node: Node | None, what: str, limit: int, where: str,
          notes: list[str], field: str | None = None) -> str | None:
    """An optional text field, trimmed: None when absent, null or left with nothing.
    field: the field as a message about a character in it names it (else `where`)."""
    if is_null(node):
        return None
    text, removed = _trimmed(node, what, limit, field or where)
    _note(notes, where, removed, text)
    return text or None


def _body(node: Node, label: str, notes: list[str], keep_han_spaces: bool = False
          ) -> tuple[tuple[str, ...], tuple[Source, ...]]:
    """The body's paragraphs, and where each starts in the file."""
    blank = _Removed()
    raw = expect_str(node, "'body'")
    _refuse_invisible(node, raw, f"the body of {label}")
    parts = _split(raw, blank)
    verse: list[list[int]] = []
    if len(parts) > 1 or _line_by_line([core for core in (_trim(ln)[0] for ln in
                                                          raw.splitlines()) if core]):
        # blank lines part it, or it is one block of verse (a poem written without a
        # blank line, its lines ending in ，): blocks of verse kept as lines
        parts = _split(raw, _Removed(), verse)
        if verse:
            notes.append(f"{label} body: {counted(len(verse), 'block')} of short lines (verse "
                         "or a list) kept line by line")
    elif normalize.line_paragraphs(raw):
        # no blank line anywhere but several lines: copy pasted one paragraph a line, but
        # a long line stopping mid-sentence is a hand wrap, joined to the next
        lines = [(t, i, r) for i, line in enumerate(raw.splitlines())
                 for t, _, r in _split(line, blank)]
        parts = []
        for group in normalize.wrapped_lines([t for t, _, _ in lines]):
            lost = _Removed()
            for k in group:
                lost.add(lines[k][2])
            parts.append((_join_lines([lines[k][0] for k in group]), lines[group[0]][1], lost))
        joined = len(lines) - len(parts)
        notes.append(f"{label} body: it has no blank line, so each of its {len(lines)} lines "
                     "is a paragraph" + (f", but {counted(joined, 'line')} stopping mid-sentence "
                                         "joined to the next" if joined else ""))
    # dirty copy: straight quotes as “” ‘’, stray spaces between Han characters removed
    # (unless the house style keeps them, or the line is verse or a list's: 第一名 严堃)
    kept = {i for block in verse for i in block}
    parts = [(normalize.clean_field(t, f"{label} body paragraph {k}", notes,
                                    spaces=not keep_han_spaces and first not in kept), first, r)
             for k, (t, first, r) in enumerate(parts, 1)]
    # a literal block (body: |) keeps the file's lines: its line i is line i + 1 of the block
    literal = isinstance(node, Scalar) and node.style == "|"
    total = 0
    # (at its first character, after the block's indent)
    wheres = tuple(Source(node.source.file, node.source.line + 1 + first, node.indent + 1)
                   if literal else node.source for _, first, _ in parts)
    for k, (text, first, removed) in enumerate(parts, 1):
        where = wheres[k - 1]
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise InputError(f"paragraph {k} of {label} is {len(text)} characters long; "
                             f"a paragraph may have at most {MAX_PARAGRAPH_CHARS}: "
                             "break it up with blank lines", where)
        total += len(text)
        _note(notes, f"{label} body paragraph {k}", removed, text)
    if total > MAX_BODY_CHARS:
        raise InputError(f"the body of {label} is {total} characters long; an article may "
                         f"have at most {MAX_BODY_CHARS}: cut it or split it into articles",
                         node.source)
    if blank.zero_width:
        notes.append(f"{label} body: removed {counted(blank.zero_width, 'zero-width character')}"
                     " from lines with nothing else on them, which read as blank lines")
    if not parts:
        why = " (it holds only zero-width characters)" if blank.zero_width else ""
        raise InputError(f"body of {label} is empty{why}", node.source)
    return tuple(text for text, _, _ in parts), wheres


def _bool(node: Node, what: str) -> bool:
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, bool):
        raise fail(node, "true or false", what)
    return value


def _opt_int(node: Node | None, what: str) -> int | None:
    return None if is_null(node) else expect_int(node, what, minimum=1)


def _place(node: Node | None) -> Place | None:
    if is_null(node):
        return None
    given = fields(node, "'place'", _PLACE_KEYS, required=_PLACE_KEYS)
    return Place(expect_int(given["column"], "'column'", minimum=1),
                 expect_int(given["line"], "'line'", minimum=1))


# ---------------------------------------------------------------- body text

def paragraphs(text: str) -> tuple[str, ...]:
    """Split copy on blank lines and rejoin each paragraph's wrapped lines.

    Each line loses the spaces and zero-width characters at its ends; a line
    left with nothing is a blank line.
    """
    return tuple(p for p, _, _ in _split(text, _Removed()))


def _split(text: str, blank: _Removed, verse: list | None = None
           ) -> list[tuple[str, int, _Removed]]:
    """(paragraph, index of its first line in `text`, what its lines lost), in order.

    A paragraph's lines are joined (copy wrapped by hand). Given a `verse` list
    (an article's body), a block of short lines that reads as verse or a list
    (_line_by_line) is kept line by line instead, each line a paragraph, and the
    block's line indices go into `verse`, and a STANZA_BREAK sets it off from
    the blocks beside it. The zero-width characters of lines that are blank
    without them are counted into `blank`.
    """
    result: list[tuple[str, int, _Removed]] = []
    blocks: list[list[tuple[str, int, _Removed]]] = []
    block: list[tuple[str, int, _Removed]] = []
    for i, line in enumerate(text.splitlines() + [""]):
        core, removed = _trim(line)
        if core:
            block.append((core, i, removed))
            continue
        blank.zero_width += removed.zero_width
        if block:
            blocks.append(block)
            block = []
    if verse is not None and blocks and len(blocks[-1]) >= 2 and normalize.is_signoff(
            [c for c, _, _ in blocks[-1][-2:]]):
        # the body ends with a 落款 typed under its text, office and date on their lines
        *text_lines, office, date = blocks.pop()
        blocks += ([text_lines] if text_lines else []) + [[office], [date]]
    judged = [verse is not None and _line_by_line([c for c, _, _ in b]) for b in blocks]
    if any(judged):
        # a poem's other stanzas are verse too where their lines could be (傍晚，炊烟升起来 |
        # 和山上的云雾连在一起 | …: a comma and even lengths, joined as prose on its own)
        judged = [j or _stanza_like([c for c, _, _ in b]) for j, b in zip(judged, blocks)]
    after_verse = False
    for block, is_verse in zip(blocks, judged):
        if result and (is_verse or after_verse):
            # a verse block is set off by a blank line (a stanza break, the poem from prose)
            result.append((STANZA_BREAK, block[0][1], _Removed()))
        if is_verse:
            result += block
            verse.append([i for _, i, _ in block])
        else:
            lost = _Removed()
            for _, _, r in block:
                lost.add(r)
            result.append((_join_lines([c for c, _, _ in block]), block[0][1], lost))
        after_verse = is_verse
    return result


STANZA_BREAK = ""           # a body "paragraph" set as one blank line: around verse blocks
VERSE_LINE_CHARS = 20       # lines no longer than this, in a block of them, may be verse
LIST_LINE_CHARS = 40        # ... and a list's items (each its number or label：) this long
VERSE_SHORT = 8             # ... and lines this short on average are (a newspaper column
                            # holds 12-14 characters: no hand wrap is shorter)
_LINE_ENDS = frozenset("，。！？；：、…—”’）》」』")
_PAUSES = frozenset("，。！？；：、")


def _line_by_line(lines: list[str]) -> bool:
    """Whether a block's line breaks are the copy's own (a poem's lines, a results
    list) rather than a hand wrap: three or more lines, none over VERSE_LINE_CHARS,
    either mostly ending at a mark, very short, or of uneven length with no Latin
    (whose letters make a wrap's lines uneven). Prose wrapped by hand (copied from a
    PDF's column) has lines of one length that end anywhere."""
    if len(lines) >= 3 and all(normalize.LIST_ITEM.match(t) and len(t) <= LIST_LINE_CHARS
                               for t in lines):
        return True                     # a list, an item a line: 鸡蛋：5.20元/斤 …
    if len(lines) < 3 or any(len(t) > VERSE_LINE_CHARS for t in lines):
        return False                    # (two lines are as often a sentence wrapped at a comma)
    if sum(t[-1] in _LINE_ENDS for t in lines) * 3 >= len(lines) * 2:
        return True
    if not any(ch in _PAUSES for t in lines for ch in t):
        return True                     # free verse: prose has a comma every line or two
    body = [len(t) for t in lines[:-1]]            # a wrapped paragraph's last line is short
    if sum(body) <= VERSE_SHORT * len(body):
        return True                     # no column wraps copy this short
    latin = any("a" <= ch.lower() <= "z" for t in lines for ch in t)
    return max(body) - min(body) > 2 and not latin


def _stanza_like(lines: list[str]) -> bool:
    """Whether a block beside verse blocks is a stanza of the same poem: three lines or
    more, none over VERSE_LINE_CHARS, uneven before the last (a hand wrap's lines are of
    one length, its last shorter), no Latin."""
    if len(lines) < 3 or any(len(t) > VERSE_LINE_CHARS for t in lines):
        return False
    body = [len(t) for t in lines[:-1]]
    latin = any("a" <= ch.lower() <= "z" for t in lines for ch in t)
    return max(body) - min(body) >= 2 and not latin


def _join_lines(lines: list[str]) -> str:
    joined = lines[0]
    for line in lines[1:]:
        joined += _separator(joined[-1], line[0]) + line
    return joined


def _separator(left: str, right: str) -> str:
    """What a line break in the YAML stands for between two characters.

    Chinese does not put spaces between words, so a break next to a CJK
    character is nothing; a break inside English wrapped in the YAML is a
    space. Quotes, dashes and ellipses serve both scripts, so they go with
    the other side of the break.
    """
    if _is_cjk(left) or _is_cjk(right):
        return ""
    if _is_latin(left) or _is_latin(right):
        return " "
    if left in _SHARED_PUNCT or right in _SHARED_PUNCT:
        return ""
    return " "


_SHARED_PUNCT = set("“”‘’—…·―")
_CJK_RANGES = (
    (0x2E80, 0x2FDF),     # radicals
    (0x3000, 0x303F),     # CJK symbols and punctuation: 。、「」《》
    (0x3040, 0x30FF),     # kana
    (0x3100, 0x312F),     # bopomofo
    (0x3190, 0x31FF),
    (0x3200, 0x9FFF),     # enclosed, compatibility, ext. A, unified ideographs
    (0xF900, 0xFAFF),     # compatibility ideographs
    (0xFE10, 0xFE1F),     # vertical forms
    (0xFE30, 0xFE4F),     # compatibility forms
    (0xFF00, 0xFFEF),     # full-width forms: ，：；！？（）
    (0x20000, 0x3FFFF),   # ideograph extensions B and later
)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _is_latin(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk(ch)     # letters and digits of any non-CJK script


def _continue_on(node: Node | None) -> int | tuple[int, ...] | None:
    """`continue_on: 3`, or a list of pages in increasing order: `continue_on: [2, 3, 4]`."""
    if not isinstance(node, Seq):
        return _opt_int(node, "'continue_on'")
    pages = [expect_int(n, "a page of 'continue_on'", minimum=1)
             for n in expect_list(node, "'continue_on'", nonempty=True)]
    if any(b <= a for a, b in zip(pages, pages[1:])):
        raise InputError(f"'continue_on: {pages}' must list pages in increasing order",
                         node.source)
    return tuple(pages)

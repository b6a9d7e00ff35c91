"""The issue as layout staff wrote it: validated, with source positions.

load_issue(path) reads an issue YAML file and returns an Issue, or raises
InputError naming file:line:column and what was expected.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Source
from .yamlsrc import (Node, Scalar, Seq, describe, expect_int, expect_list, expect_str, fail,
                      fields, is_null, load_yaml, optional_str)


@dataclass(frozen=True)
class Credits:
    duty_editor: str | None          # 值班编辑
    proofreaders: tuple[str, ...]    # 校对


@dataclass(frozen=True)
class Article:
    headline: str                    # 主题 (required)
    body: tuple[str, ...]            # paragraphs, in order; never empty
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

    @property
    def printed_byline(self) -> str | None:
        """The byline as printed: in full-width brackets, unless the copy brings its own."""
        if not self.byline:
            return None
        if self.byline[0] in "（(【［[" and self.byline[-1] in "）)】］]":
            return self.byline
        return f"（{self.byline}）"


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


# ---------------------------------------------------------------- loading

_ISSUE_KEYS = ("paper", "date", "number", "total", "credits", "pages")
_PAGE_KEYS = ("section", "credits", "order", "articles")
_ARTICLE_KEYS = ("kicker", "headline", "subheadline", "byline", "body",
                 "lead", "columns", "place", "height", "continue_on")
_PLACE_KEYS = ("column", "line")
_ORDERS = ("fixed", "free")
_CREDIT_KEYS = ("duty_editor", "proofreaders")
_PAPER_NAME = re.compile(r"[a-z0-9_-]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_issue(path: Path) -> Issue:
    """Read and validate an issue file; raise InputError at the first problem."""
    root = load_yaml(path)
    top = fields(root, "the issue", _ISSUE_KEYS,
                 required=("paper", "date", "number", "total", "pages"))
    # checked in file order, so the first problem reported is the first one written
    paper = _paper(top["paper"])
    date = _date(top["date"])
    number = expect_int(top["number"], "'number'", minimum=1)
    total = expect_int(top["total"], "'total'", minimum=1)
    if total < number:
        raise InputError(f"'total' ({total}) must not be less than 'number' ({number})",
                         top["total"].source)
    credits = _credits(top.get("credits"), Credits(None, ()))
    pages = expect_list(top["pages"], "'pages'", nonempty=True)
    return Issue(
        path=Path(path).resolve(),
        paper=paper,
        date=date,
        number=number,
        total=total,
        credits=credits,
        pages=tuple(_page(node, i, credits) for i, node in enumerate(pages, 1)),
        source=root.source,
    )


def _paper(node: Node) -> str:
    paper = expect_str(node, "'paper'").strip()
    if not _PAPER_NAME.fullmatch(paper):
        # it names a file, so keep it to a safe, predictable spelling
        raise fail(node, "a house style name like 'shangjie' (a-z, 0-9, - and _)", "'paper'")
    return paper


def _date(node: Node) -> _dt.date:
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    text = node.text.strip() if isinstance(node, Scalar) and value is not None else ""
    if _ISO_DATE.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass                      # 2025-02-30: shaped like a date, but not one
    raise InputError(f"expected a date like 2025-03-09, got {describe(node)}", node.source)


def _credits(node: Node | None, inherited: Credits) -> Credits:
    """Credits from `node`; keys it leaves out keep the inherited values."""
    if node is None:
        return inherited
    given = fields(node, "'credits'", _CREDIT_KEYS)
    duty = inherited.duty_editor
    if "duty_editor" in given:
        duty = optional_str(given["duty_editor"], "'duty_editor'")
    proofreaders = inherited.proofreaders
    if "proofreaders" in given:
        proofreaders = _names(given["proofreaders"], "'proofreaders'")
    return Credits(duty, proofreaders)


def _names(node: Node, what: str) -> tuple[str, ...]:
    if is_null(node):
        return ()
    if isinstance(node, Scalar):          # one proofreader may be written without a list
        name = expect_str(node, what).strip()
        return (name,) if name else ()
    names = []
    for item in expect_list(node, what):
        name = expect_str(item, f"a name in {what}").strip()
        if not name:
            raise InputError(f"empty name in {what}", item.source)
        names.append(name)
    return tuple(names)


def _page(node: Node, number: int, issue_credits: Credits) -> Page:
    what = f"page {number}"
    given = fields(node, what, _PAGE_KEYS, required=("articles",))
    articles = expect_list(given["articles"], f"'articles' of page {number}", nonempty=True)
    order = "free"
    if not is_null(given.get("order")):
        order = expect_str(given["order"], "'order'").strip()
        if order not in _ORDERS:
            raise fail(given["order"], "fixed or free", "'order'")
    return Page(
        number=number,
        section=optional_str(given.get("section"), "'section'"),
        articles=tuple(_article(a) for a in articles),
        credits=_credits(given.get("credits"), issue_credits),
        source=node.source,
        fixed_order=order == "fixed",
    )


def _article(node: Node) -> Article:
    given = fields(node, "article", _ARTICLE_KEYS, required=("headline", "body"))
    headline = expect_str(given["headline"], "'headline'").strip()
    if not headline:
        raise InputError("'headline' is empty", given["headline"].source)
    body = paragraphs(expect_str(given["body"], "'body'"))
    if not body:
        raise InputError(f"body of article '{headline}' is empty", given["body"].source)
    return Article(
        headline=headline,
        body=body,
        kicker=optional_str(given.get("kicker"), "'kicker'"),
        subheadline=optional_str(given.get("subheadline"), "'subheadline'"),
        byline=optional_str(given.get("byline"), "'byline'"),
        source=node.source,
        lead=_bool(given["lead"], "'lead'") if not is_null(given.get("lead")) else False,
        columns=_opt_int(given.get("columns"), "'columns'"),
        place=_place(given.get("place")),
        height=_opt_int(given.get("height"), "'height'"),
        continue_on=_continue_on(given.get("continue_on")),
        pins={k: given[k].source for k in ("lead", "columns", "place", "height", "continue_on")
              if k in given},
    )


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
    """Split copy on blank lines and rejoin each paragraph's wrapped lines."""
    result, lines = [], []
    for line in text.splitlines() + [""]:
        if line.strip():
            lines.append(line.strip())
        elif lines:
            result.append(_join_lines(lines))
            lines = []
    return tuple(result)


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

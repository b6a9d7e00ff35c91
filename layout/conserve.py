"""Nothing is lost: every character the issue gives is on the composed pages, once, in order.

The build runs this after composition and before the PDF is renamed into
place, like its own preflight. It reads the text back from the placed lines
(what rendering will draw), never from the source, and compares it field by
field with the issue: each article's kicker, headline, subheadline, body,
byline and photo captions and credits, each page's section and credits. Spaces are not compared (the setter
turns them into glue), nor the parenthesis forms the house style may change,
nor the brackets the byline is printed in.
"""
from __future__ import annotations

from collections import defaultdict

from .errors import LostTextError
from .geometry import ComposedPage
from .model import TEASER_TITLE, Article, Issue
from .setting import ZERO_WIDTH

# Fields of an article the check compares; "jump" (a 转版 repeat of the
# headline) and "note" (下转/上接) are added by composition.
ARTICLE_FIELDS = ("column_label", "kicker", "headline", "subheadline", "body", "byline",
                  "caption", "credit")
_SAME = str.maketrans({"（": "(", "）": ")", **{c: None for c in ZERO_WIDTH}})


def canonical(text: str) -> str:
    """Text as the check compares it: no spaces, no zero-width marks, one form of ( )."""
    return "".join(text.translate(_SAME).split())


def expected_article(a: Article) -> dict[str, str]:
    return {"column_label": a.printed_label or "", "kicker": a.kicker or "",
            "headline": a.headline, "subheadline": a.subheadline or "",
            "body": "".join(a.body), "byline": a.printed_byline or "",
            "caption": "".join(p.caption or "" for p in a.photos),
            "credit": "".join(p.credit or "" for p in a.photos)}


def read_back(pages: list[ComposedPage]) -> tuple[dict[int, dict[str, str]], dict[int, Article],
                                                  dict[tuple[str, str], str]]:
    """The text of every article field and page label, in reading order across pages."""
    articles: dict[int, dict[str, str]] = defaultdict(lambda: defaultdict(str))
    owners: dict[int, Article] = {}
    labels: dict[tuple[str, str], str] = defaultdict(str)
    for page in pages:
        for pl in page.lines:
            if pl.origin is None:
                continue
            owner, field = pl.origin
            if field == "teaser_end":     # a 导读 entry's last line: read with its others
                field = "teaser"
            elif field in ("signoff", "crosshead", "verse"):   # the body's own text
                field = "body"
            if isinstance(owner, Article):
                owners[id(owner)] = owner
                articles[id(owner)][field] += pl.line.text
            else:
                labels[(owner, field)] += pl.line.text
    return articles, owners, labels


def check(issue: Issue, pages: list[ComposedPage], left_out: tuple[Article, ...] = ()) -> None:
    """Raise LostTextError naming the first article or label whose text is not all there.

    left_out: articles a draft build could not place (named on the page instead).
    """
    articles, _, labels = read_back(pages)
    skip = {id(a) for a in left_out}
    for page in issue.pages:
        for a in page.articles:
            if id(a) in skip:
                continue
            got = articles.get(id(a), {})
            for field, text in expected_article(a).items():
                _compare(f"article '{_short(a.headline)}' ({a.source})", field,
                         canonical(text), canonical(got.get(field, "")))
        here = f"page {page.number}"
        if page.number == 1 and issue.ear:       # 报眼
            for field, text in (("title", issue.ear.title), ("text", issue.ear.text)):
                if canonical(labels.get(("ear", field), "")) != canonical(text):
                    _lost("the ear", field, text)
        # 导读: every teaser as written in the teaser module (unless a draft left it out)
        teasers_out = any(a.headline == TEASER_TITLE and not a.body and a.source is page.source
                          for a in left_out)
        if page.teasers and not teasers_out:
            shown = "".join(t for fields in articles.values() for f, t in fields.items()
                            if f == "teaser")
            for t in page.teasers:
                written = t.written or t.headline
                if canonical(written) not in canonical(shown):
                    _lost(here, "teaser", written)
        if page.section:
            shown = canonical(labels.get((here, "section"), ""))
            if not shown.endswith(canonical(page.section)):
                _lost(here, "section", page.section)
        shown = canonical(labels.get((here, "credits"), ""))
        at = 0
        for name in (page.credits.duty_editor or "", *page.credits.proofreaders):
            found = shown.find(canonical(name), at)
            if found < 0:
                _lost(here, "credits", name)
            at = found + len(canonical(name))


def _compare(what: str, field: str, want: str, got: str) -> None:
    if want == got:
        return
    i = 0
    while i < min(len(want), len(got)) and want[i] == got[i]:
        i += 1
    lost = want[i:i + 30] or "(nothing)"
    extra = got[i:i + 30] or "(nothing)"
    raise LostTextError(f"internal error: {what}: the {field} on the pages differs from the "
                        f"issue at character {i + 1} of {len(want)}: expected '{lost}', "
                        f"found '{extra}'; the PDF was not written; please report it")


def _lost(here: str, field: str, text: str) -> None:
    raise LostTextError(f"internal error: {here}: the {field} '{_short(text)}' is not on the "
                        f"page; the PDF was not written; please report it")


def _short(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"

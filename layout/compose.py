"""Page composition: article modules on the page grid, with the page furniture.

Each page is a type area of `columns` columns on a baseline grid whose pitch is
the body leading. Everything that takes vertical space takes whole grid lines,
so body lines of every column line up across the page. Every article is set
once (body lines at the column measure, a headline block per possible span, and
a second shape with the headline broken onto one more line); the layout search
(pagelayout, by default the tree search of pagetree) chooses each module's
shape, span, height and place; then its headline block spans the module, its
body lines are balanced over the module's columns and its byline ends it. An
inset (L-shape) module sets its headline (and its first wide_rows body rows)
over its whole span, then balances the rest of its body over its narrow
columns beside the corner that other modules fill; rules part them. Articles marked continue_on are split
to fill their page (转版). Composition returns positioned lines and rules
(geometry); it draws nothing.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field, replace

from .columns import (CROSSHEAD_SPREAD, ITEM_SPREAD, balanced_cells, inset_cells, line_marks,
                      side_cells, stops)
from .errors import FitError, InputError
from .furniture import Furniture
from .geometry import (ComposedPage, ModuleBox, PlacedImage, PlacedLine, PlacedModule,
                       PlacedPhoto, Rule, make_grid)
from .model import STANZA_BREAK, TEASER_TITLE, Article, Issue, Page, Photo
from .paragraphs import crossheads, editors_note, questions, salutation, signoff
from .pagelayout import MIN_SPAN, ModuleSpec, PageArea, PageLayout, Placement, layout_options
from .setting import Line, set_text
from .textsetter import TextSetter
from .style import MM, HouseStyle

log = logging.getLogger("layout")

# Share of a headline block's free space put above its lines (more room below
# the headline than above it reads as belonging to the text under it).
HEAD_SPACE_ABOVE = 0.4
# Articles shorter than this (characters of body) are short items: smaller headline.
MINOR_ITEM_CHARS = 400
# A headline that fits one line may take two to fill its page, never three or four:
# 区委理论学习 | 中心组集体 | 学习会议召开, 县市场 | 监管局…, 讲述一座 | 城的… were set so
# (the nu2 test set: 2 criteria of 266 lost to white, 50 headlines better)
FILL_HEAD_LINES = 2
# A continued article keeps at least this many body lines before its jump.
MIN_LINES_BEFORE_JUMP = 6
# ... and carries at least this many on: a reader does not turn to page 4 for 好学。
MIN_LINES_AFTER_JUMP = 6
# The body roles set as text, justified: a Q&A's question (bold), a 编者按 (楷体)
TEXT_LIKE = ("body", "question", "editors_note")
# A page of briefs only sets up to this many as modules of their own; more go into one
# 简讯 group, as an editor would set them (and the page search, which takes seconds
# for a dozen modules, took two minutes for forty one-line items).
SEPARATE_BRIEFS_MOST = 8
# ... and no page takes more modules than this (its short items kept apart by
# `briefs: separate`): an error says so rather than a search of minutes.
MAX_MODULES = 16
# A 头条 that jumps still leads its page: it keeps this many lines in each of the
# columns a lead takes (pagetree.LEAD_SHARE of the page) before its jump. Cut to what
# let ten other stories fit, a new user's 3,000-character lead was a two-column stub of
# seven lines, three headlines beside it, and its rest overfilled the next page.
LEAD_LINES_BEFORE_JUMP = 10
# Roles of an article's headline line; the conservation check calls them all "headline".
HEADLINE_ROLES = ("headline", "lead_headline", "minor_headline", "brief_headline")
# Extra headline air a 简讯 group's or the 导读's small title may take to fill a page (two
# lines over 简讯 or 导读 read as a hole over a column of short items)
GROUP_AIR_LINES = 1
# Share of a page's article area left empty above which the build warns (a visible hole).
SHORT_PAGE_WARN = 0.02
# A draft's mark on every page, in the top margin (pt).
DRAFT_MARK = "样张"
DRAFT_MARK_PT = 24.0
# Colour key of draft-mode overset notes and the draft mark (falls back to the masthead red).
OVERSET_COLOR = "overset"


# The headline roles whose printed sizes give the search its tiers (headline_tiers).
TIER_ROLES = ("lead_headline", "headline", "minor_headline", "jump_headline",
              "brief_headline")
# Articles with fewer body characters than this are briefs: one column allowed, short legs.
BRIEF_CHARS = 160
# A headline is broken onto one more line only if each line keeps this many characters.
MIN_CHARS_PER_HEAD_LINE = 5
# ... and no line of it, so broken, under this many (“老铝城” | 奏响“新乐章”: 3)
MIN_FILL_LINE_CHARS = 3
# An overset error's cut is made in the text and tried; one line more at most this often.
VERIFY_CUT_TRIES = 4
# ... and where the page it leaves has 碰题, a line more, at most this often (a full search)
CLEAN_CUT_TRIES = 3


@dataclass
class _Module:
    """An article set for layout: body lines once, a headline block per span."""
    article: Article
    lead: bool
    body: list[tuple[Line, str, str]]             # (line, role, field) in reading order
    heads: dict[int, list]                        # span -> [(SetText, TextStyle, role)]
    head_rows: dict[int, int]                     # span -> grid lines of the headline block
    continued: bool = False                       # the carried-over part of a 转版 article
    jumps: tuple[int, ...] = ()                   # pages the rest may still continue on
    # a second shape: the headline broken onto one more line (span -> block, grid lines)
    alt_heads: dict[int, list] = field(default_factory=dict)
    alt_rows: dict[int, int] = field(default_factory=dict)
    # a third shape for a short item: its headline one size larger (the search may take
    # it so that no headline above a larger one is smaller: headlines shrink down a page)
    up_heads: dict[int, list] = field(default_factory=dict)
    up_rows: dict[int, int] = field(default_factory=dict)
    pictures: tuple[_Picture, ...] = ()           # photos under the headline, in order
    teasers: bool = False                         # page 1's 导读 (not an article of the issue)
    # a 简讯 group: its short items, in order, and per body line the item it belongs to
    # (article is then the group's own title; it is not an article of the issue)
    items: tuple[Article, ...] = ()
    owners: tuple[Article, ...] = ()

    def photo_rows(self, span: int) -> int:
        """Grid lines of the photos and their captions at their nominal height."""
        return sum(p.block_rows(span) for p in self.pictures)


@dataclass(frozen=True)
class _Laid:
    """What laying out one page's modules gives (Composer._lay_out)."""
    boxes: tuple[ModuleBox, ...]
    result: PageLayout
    placed: tuple[PlacedModule, ...]
    seconds: float
    options: int
    overset_chars: int
    left_out: tuple[Article, ...]
    onward: tuple[tuple[int, _Module], ...]       # (page number, continued part)
    cut: tuple[int, int] | None = None            # draft, overset: the cut the build names


@dataclass(frozen=True)
class _Picture:
    """A photo set for layout: its file, and per span its height range and caption lines."""
    photo: Photo
    index: int                                    # its place in the article's photos
    file: object                                  # photos.PhotoFile (header read only)
    rows: dict[int, tuple[int, int, int]]         # span -> (least, nominal, most) grid lines
    captions: dict[int, tuple[Line, ...]]         # span -> caption lines
    credits: dict[int, tuple[Line, ...]]          # span -> credit lines (ranged right)
    # the widest it may stand, in columns: wider, its pixels would print under
    # PHOTO_SOFT of the style's photo_min_ppi (at least 1: a small original still goes
    # in, warned about); and the widest at photo_min_ppi or better (wider is paid for)
    widest: int = 0
    sharp: int = 0

    def block_rows(self, span: int, delta: int = 0) -> int:
        return self.rows[span][1] + delta + len(self.captions[span]) + len(self.credits[span])


class Composer(Furniture):
    """Composes the pages of one issue; its `text` (a TextSetter) sets the text."""

    def __init__(self, issue: Issue, style: HouseStyle, fonts, em_bottom: float = -0.12,
                 draft: bool = False, choices: dict[int, int] | None = None,
                 set_cache: dict | None = None, progress=None):
        # set_cache: set text kept from an earlier build with the same style and fonts
        # (a `layout watch` session), so only changed text is set again
        self.issue, self.style, self.fonts = issue, style, fonts
        self.draft = draft                   # overset: mark it on the page instead of failing
        # page number -> which of the page's best layouts to take (`layout candidates`);
        # over the page's own `layout: N`. A page with fewer layouts takes its last.
        self.choices = choices or {}
        self.progress = progress             # called (page number, pages) as each is composed
        self.grid = make_grid(style, em_bottom)
        self._tiers = headline_tiers(style)
        self.text = TextSetter(issue, style, fonts, set_cache)   # every text set, cached

    # -- placing lines -------------------------------------------------------
    def _put(self, out: list, line: Line, role: str, x: float, y: float,
             align: str = "left", width: float = 0.0, origin: tuple | None = None) -> None:
        ts = self.style.text[role]
        natural = line.natural - ts.tracking * ts.size   # no tracking after the last glyph
        if align == "center":
            x += (width - natural) / 2
        elif align == "right":
            x += width - natural
        out.append(PlacedLine(line, x, y, ts.size, ts.color, role, origin))

    # -- pages -------------------------------------------------------------
    def compose(self) -> list[ComposedPage]:
        """Every page in order; a 转版 article's rest is handed on to its later page."""
        pages, carried = [], {}
        for p in self.issue.pages:
            page, carried = self.compose_page(p, carried)
            pages.append(page)
            if self.progress:
                self.progress(p.number, len(self.issue.pages))
        return pages

    def compose_page(self, page: Page, carried: dict | None = None
                     ) -> tuple[ComposedPage, dict]:
        """One page, self-contained: its furniture, modules, photos and the layout's answer.

        carried: page number -> continued parts of articles from earlier pages; the
        same, without this page's and with any this page hands on, comes back.
        """
        st, g = self.style, self.grid
        carried = dict(carried or {})
        here = carried.pop(page.number, [])
        lines: list[PlacedLine] = []
        rules: list[Rule] = []
        images: list[PlacedImage] = []
        photos: list[PlacedPhoto] = []           # the ear's, then the modules'
        if page.number == 1:
            top_rows = st.masthead.height_lines
            self._masthead(lines, rules, images, photos)
        else:
            top_rows = st.page_header.height_lines
            self._page_header(page, lines, rules)
        foot_rows = st.footer.height_lines
        self._footer(page, lines, rules)
        first, last = top_rows, g.rows - foot_rows          # body rows [first, last)
        laid = self._lay_out(page, first, last, lines, rules, here)
        for target, part in laid.onward:
            carried.setdefault(target, []).append(part)
        width, height = st.page.width_mm * MM, st.page.height_mm * MM
        if self.draft:
            lines.append(self._draft_mark(width, height))
        photos += [ph for pm in laid.placed for ph in pm.photos]
        return ComposedPage(page.number, width, height, tuple(lines), tuple(rules),
                            laid.boxes, tuple(images), last - first, first, tuple(photos),
                            placed=laid.placed, layout=laid.result,
                            layout_seconds=laid.seconds, layout_options=laid.options,
                            overset_chars=laid.overset_chars, left_out=laid.left_out,
                            overset_cut=laid.cut), carried

    # -- article modules ---------------------------------------------------
    def span_width(self, span: int) -> float:
        g = self.grid
        return span * g.column_width + (span - 1) * g.gutter

    def _module(self, article: Article, lead: bool) -> _Module:
        """Set an article once: body lines at the column measure, headline block per span."""
        g = self.grid
        body = self._body_lines(article)
        pictures = tuple(self._picture(article, i, ph, len(body))
                         for i, ph in enumerate(article.photos))
        # a brief may stand in one column (a 短讯 beside longer modules), and so may a
        # 图片新闻 (a photo with no text: pinned there, or a small original, _spec)
        narrowest = (1 if not (lead or article.photos) and _chars(article) < BRIEF_CHARS
                     or _photo_only(pictures, article) and not lead else MIN_SPAN)
        heads = {span: self._head_block(article, lead, self.span_width(span))
                 for span in range(min(narrowest, g.columns), g.columns + 1)}
        if not (article.columns or any(p.columns for p in article.photos)):
            # no width at which its headline must break inside a word or a quoted term
            # (a one-column 新区召开“高 | 效办成一件事”), where a wider one keeps them whole
            role = headline_role(article, lead)
            whole = {s: b for s, b in heads.items() if not self.text.broken_inside_words(
                article.headline, role, self.span_width(s))}
            if whole:
                heads = whole
        alt = {}
        for span in heads:
            block = self._head_block(article, lead, self.span_width(span), more_lines=True)
            if block is not None:
                alt[span] = block
        up = {}
        bigger = {"minor_headline": "headline", "brief_headline": "minor_headline"}
        if headline_role(article, lead) in bigger:
            role = bigger[headline_role(article, lead)]
            up = {span: self._head_block(article, lead, self.span_width(span), role=role)
                  for span in heads}
        if pictures and not (article.columns or pictures[0].photo.columns):
            # no module so wide that its photos would stand wider than their pixels bear
            fits = [s for s in heads if _photo_fits(s, pictures, article.body)]
            keep = fits or [min(heads)]
            heads = {s: heads[s] for s in keep}
            alt = {s: b for s, b in alt.items() if s in heads}
            up = {s: b for s, b in up.items() if s in heads}
        return _Module(article, lead, body, heads, self._head_rows(heads),
                       jumps=self._jumps(article), alt_heads=alt, alt_rows=self._head_rows(alt),
                       up_heads=up, up_rows=self._head_rows(up), pictures=pictures)

    def _lead_of(self, page: Page) -> int | None:
        """Which article is the page's 头条: the one marked lead, else the first that is
        not a brief (a 45-character item under a 30 pt headline across the page reads as
        a mistake) nor boxed (a 通告 written first is no lead); on a page of briefs only
        the first of one or two, None among more (a page of several short items has no
        story to lead)."""
        arts = page.articles
        marked = [i for i, a in enumerate(arts) if a.lead]
        if marked:
            return marked[0]
        stories = [i for i, a in enumerate(arts) if a.photos or _chars(a) >= BRIEF_CHARS]
        # a boxed item (a notice, a 短评) is set apart, not led with: the first story
        # that is not boxed, unless every story is
        news = [i for i in stories if not arts[i].boxed]
        if news or stories:
            return (news or stories)[0]
        return 0 if len(arts) < self.style.briefs.min_items else None

    def _body_lines(self, article: Article) -> list[tuple[Line, str, str]]:
        """An article's text at the column measure, (line, role, field) in reading order:
        its paragraphs (a crosshead in its own role, a blank line over it), then its
        byline ranged right."""
        width = self.grid.column_width
        indent = self.style.setting.first_line_indent_chars
        paras = list(article.body)
        sign = signoff(paras)
        # a 编者按 opening the body: set apart in its own role (the byline's 楷体 in the
        # house style), not indented, a blank line under it
        note = editors_note(paras[:len(paras) - sign])
        heads = crossheads(paras[:len(paras) - sign]) if self.style.setting.crossheads else ()
        heads = {k for k in heads if k >= note}
        flush = salutation(paras)          # a notice's 称呼 (各位居民：) is not indented
        asked = questions(paras)           # a Q&A's questions: bold, justified as text
        body = []
        for k, para in enumerate(paras[:len(paras) - sign]):
            if para == STANZA_BREAK:
                if k - 1 in heads or k + 1 in heads:
                    continue   # a head's own space sets it off (one blank, not two)
                body.append((_blank_line(width), "body", "body"))
            elif k in heads:
                # a section's head: bold, on the grid, set off from the text above it
                if k > 0:
                    body += [(_blank_line(width), "body", "crosshead_space")] * \
                        self.style.setting.crosshead_space_lines
                body += [(ln, "crosshead", "crosshead")
                         for ln in self.text.headline(para, "crosshead", width).lines]
            else:
                role = ("editors_note" if k < note else "question" if k in asked
                        else "body")
                body += [(ln, role, "body")
                         for ln in self.text.set(para, role, width,
                                                 indent=0 if k < max(flush, note)
                                                 else indent).lines]
                if k == note - 1 and k + 1 < len(paras) - sign:
                    body.append((_blank_line(width), "body", "body"))
        body = _stanzas_kept(body)
        # a notice's 落款 (the office, then the date): ranged right, as the byline
        body += [(ln, "body", "signoff") for para in paras[len(paras) - sign:]
                 for ln in self.text.ranged_lines(para, "body", width)]
        if article.byline and not article.credit_under_title:
            body += [(ln, "byline", "byline")
                     for ln in self.text.ranged_lines(article.printed_byline, "byline", width)]
        return body

    def _modules(self, page: Page) -> list[_Module]:
        """The page's articles set as modules, in order; its short items as one 简讯
        module in the place of the first where the house style groups them
        (briefs.min_items or more; decided before they are set, so a grouped item's
        headline blocks are never set for nothing)."""
        lead = self._lead_of(page)
        items = [i for i, a in enumerate(page.articles) if i != lead and _groupable(a)]
        if (not page.group_briefs or len(items) < self.style.briefs.min_items
                or len(items) == len(page.articles) <= SEPARATE_BRIEFS_MOST):
            # (a page of a few briefs only: each its own module; a page short of copy
            # fills better so than as one group in a corner)
            items = []
        mods = []
        for i, a in enumerate(page.articles):
            if not items or i not in items:
                mods.append(self._module(a, lead=i == lead))
            elif i == items[0]:
                mods.append(self._brief_group(tuple(page.articles[k] for k in items)))
        return mods

    def _brief_group(self, items: tuple[Article, ...]) -> _Module:
        """简讯: one module under the style's title; each item's title a bold line (ranged
        left, balanced at word boundaries if it takes two), then its text and byline."""
        title = self.style.briefs.title
        owner = Article(headline=title, body=(), kicker=None, subheadline=None, byline=None,
                        source=items[0].source)
        body, owners = [], []
        width = self.grid.column_width
        for a in items:
            lines = [(ln, "brief_title", "headline")
                     for ln in self.text.headline(a.headline, "brief_title", width).lines]
            lines += self._body_lines(a)
            body += lines
            owners += [a] * len(lines)
        heads, head_rows = self._heads(title, "brief_headline", narrowest=1)
        return _Module(owner, False, body, heads, head_rows, items=items, owners=tuple(owners))

    def _picture(self, article: Article, index: int, photo: Photo, lines: int) -> _Picture:
        """A photo's header read, and per span its height range and its caption set.

        lines: the module's body lines (byline included) as _module set them, for
        the photo's largest share of the module."""
        from .precheck import crop_error, probe

        g = self.grid
        # (a file not found names the one beside it the editor likely meant)
        file = probe(self.issue.path.parent, photo.file,
                     f"photo {index + 1} of article '{article.headline}'", photo.source)
        if (err := crop_error(photo, file)) is not None:
            raise err
        if photo.box:
            x0, y0, x1, y1 = photo.box
            aspect = (x1 - x0) / (y1 - y0)
        else:
            aspect = file.width / file.height
        # the crop may change the proportions by up to crop_factor either way (the page
        # search picks the height in between), within min_lines and max_share
        lim = self.style.photos
        px_w, px_h = (x1 - x0, y1 - y0) if photo.box else (file.width, file.height)
        min_ppi = float(getattr(self.style.print, "photo_min_ppi", 0) or 0)
        rows, caps, creds = {}, {}, {}
        widest = sharp = 1
        for span in range(1, g.columns + 1):
            width = self.span_width(span)
            ppi = px_w * 72 / width
            if ppi >= min_ppi * PHOTO_SOFT - 0.5:
                widest = span
            if ppi >= min_ppi - 0.5:
                sharp = span

            def lines_at(a: float) -> float:
                return (width / a + lim.gap_pt) / g.pitch

            nominal = max(lim.min_lines, round(lines_at(aspect)))
            least = max(lim.min_lines, math.ceil(lines_at(aspect * lim.crop_factor)))
            most = max(nominal, math.floor(lines_at(aspect / lim.crop_factor)))
            if min_ppi:          # a taller crop keeps the full height of pixels: no taller
                tallest = math.floor((px_h * 72 / (min_ppi * PHOTO_SOFT) + lim.gap_pt)
                                     / g.pitch)
                # (nor the nominal height, rounded up: a square 512 px photo at 18 lines
                # over two columns printed at 148 ppi)
                nominal = min(nominal, max(least, tallest))
                most = max(nominal, min(most, tallest))
            if lines and lim.max_share < 1:      # a photo over the text, not text under a photo
                body = math.ceil(lines / span)
                cap = max(lim.min_lines, math.floor(body * lim.max_share / (1 - lim.max_share)))
                # ... but never cropped past crop_factor: a 4:3 photo over a short text must
                # not become a strip (nor a portrait lose its head); at a width where it
                # cannot keep max_share the module is mostly photo, and the search goes
                # narrower or puts the photo beside the text
                cap = max(cap, least)
                most, nominal = min(most, cap), min(nominal, cap)
            rows[span] = (min(least, nominal), nominal, most)
            caps[span] = (self.text.set(photo.caption, "caption", width).lines
                          if photo.caption else ())
            creds[span] = (self.text.ranged_lines(photo.credit, "photo_credit", width)
                           if photo.credit else ())
        return _Picture(photo, index, file, rows, caps, creds, widest, sharp)

    def _teasers(self, page: Page) -> _Module:
        """导读: a short module listing later pages' articles with the page each is on."""
        g = self.grid
        owner = Article(headline=TEASER_TITLE, body=(), kicker=None, subheadline=None,
                        byline=None, source=page.source)
        body = []
        from .model import headline_line, teaser_matches
        for t in page.teasers:
            later = [(p.number, a) for p in self.issue.pages[1:] for a in p.articles]
            named = teaser_matches(t.headline, [a for _, a in later])
            found = [(n, a) for n, a in later if any(a is b for b in named)]
            if len(found) != 1:
                from .precheck import teaser_error
                raise teaser_error(t, "no article on a later page" if not found else
                                   f"{len(found)} articles on later pages")
            number, article = found[0]
            ref = f"第{number}版"
            # the entry as the editor wrote it (a short form of a long headline), one-lined;
            # broken as a headline is (at the copy's spaces, never inside a word: 丰 | 收),
            # the page after the last line when it fits there, else ranged right below
            entry = headline_line(t.written or article.headline)
            lines = self.text.headline(entry, "teaser", g.column_width).lines
            last = self.text.one_line(f"{lines[-1].text}　{ref}", "teaser")
            # "teaser" lines go on in the entry's next line; columns keep an entry whole
            if last.natural <= g.column_width:
                body += [(ln, "teaser", "teaser") for ln in lines[:-1]]
                body.append((last, "teaser", "teaser_end"))
            else:
                body += [(ln, "teaser", "teaser") for ln in lines]
                body.append((self.text.one_line(ref, "teaser"), "teaser", "teaser_page"))
        heads, head_rows = self._heads(TEASER_TITLE, "minor_headline", narrowest=1)
        return _Module(owner, False, body, heads, head_rows, teasers=True)

    def _jumps(self, article: Article) -> tuple[int, ...]:
        """The pages a 转版 article may continue on, in order.

        `continue_on: [2, 3, 4]` names them; `continue_on: 2` means page 2 and,
        if the rest does not fit there either, each later page in turn.
        """
        target = article.continue_on
        if target is None:
            return ()
        if isinstance(target, int):
            last = len(self.issue.pages)
            return tuple(range(target, last + 1)) if target <= last else (target,)
        return tuple(target)

    def _head_rows(self, heads: dict[int, list]) -> dict[int, int]:
        """Grid lines of each span's headline block, with at least a line of air."""
        pitch = self.grid.pitch
        return {span: math.ceil(sum(len(s.lines) * ts.leading for s, ts, _ in head) / pitch) + 1
                for span, head in heads.items()}

    def _heads(self, text: str, role: str, narrowest: int = MIN_SPAN
               ) -> tuple[dict[int, list], dict[int, int]]:
        """A one-role headline block (a continuation's short headline) for every span."""
        g, ts = self.grid, self.style.text[role]
        heads = {span: [(self.text.headline(text, role, self.span_width(span)), ts, role)]
                 for span in range(min(narrowest, g.columns), g.columns + 1)}
        return heads, self._head_rows(heads)

    def _head_block(self, article: Article, lead: bool, width: float, more_lines: bool = False,
                    role: str | None = None):
        """The headline block at a measure; more_lines: the headline broken onto one more
        line than it needs (balanced), None if it is too short to break so; role: the
        headline's style, if not the one its article's importance gives."""
        st = self.style
        head = []
        if article.column_label:        # the 栏目 tag, ranged left above everything
            head.append((self.text.headline(article.printed_label, "column_label", width),
                         st.text["column_label"], "column_label"))
        if article.kicker:
            head.append((self.text.headline(article.kicker, "kicker", width), st.text["kicker"],
                         "kicker"))
        role = role or headline_role(article, lead)
        main = self.text.headline(article.headline, role, width)
        if more_lines:
            n = len(main.lines) + 1
            if n > FILL_HEAD_LINES:
                return None
            if len(article.headline.replace(" ", "")) < MIN_CHARS_PER_HEAD_LINE * n:
                return None
            natural = sum(ln.natural for ln in main.lines)
            measure = width
            for _ in range(6):              # narrower measures until it takes n lines
                measure *= 0.85
                main = self.text.headline(article.headline, role, max(measure, natural / n))
                if len(main.lines) >= n:
                    break
            if len(main.lines) != n:
                return None
            # a shape to fill a page never breaks inside a word (从铝城到“航 | 空小镇”),
            # nor leaves a line of fewer than MIN_FILL_LINE_CHARS characters (读书， |
            # 是一场温柔的修行: an 11-character headline broken to use up room)
            if self.text.broken_inside_words(article.headline, role, max(measure, natural / n)):
                return None
            if any(sum(ch.isalnum() for ch in ln.text) < MIN_FILL_LINE_CHARS
                   for ln in main.lines):
                return None
        head.append((main, st.text[role], role))
        if article.subheadline:
            head.append((self.text.headline(article.subheadline, "subheadline", width),
                         st.text["subheadline"], "subheadline"))
        if article.credit_under_title:     # 文/禤小琤 under an essay's title, centred
            head.append((self.text.headline(article.byline, "byline", width),
                         st.text["byline"], "byline"))
        return head

    def _lay_out(self, page: Page, first: int, last: int, out: list, rules: list,
                 carried: list) -> _Laid:
        """Choose every module's place by search, then put its lines there.

        carried: parts of articles continued from earlier pages, set after the
        page's own; the parts this page continues elsewhere come back in `onward`.
        """
        room = last - first
        mods = self._modules(page)
        mods += carried                                 # parts continued from earlier pages
        if page.teasers:
            mods.append(self._teasers(page))
        if len(mods) > MAX_MODULES:
            from .errors import InputError
            raise InputError(
                f"page {page.number} holds {len(mods)} modules; a page is laid out with at "
                f"most {MAX_MODULES}: move articles to another page"
                + (", or let its short items go into the 简讯 (remove 'briefs: separate')"
                   if not page.group_briefs else ""), page.source)
        t0 = time.perf_counter()
        onward = []
        for i, m in enumerate(mods):
            if m.jumps:
                mods[i], rest = self._split(page, mods, i, room)
                if rest is not None:
                    onward.append(rest)
        result, options = self._choose(page, mods, room)
        cut = None
        left_out = ()
        rests: list[_Module] = []
        if result.unplaced:
            err = self._overset(page, mods, result, room)
            if not self.draft:
                raise err
            # a draft says what the build would, and sets what fits of the text
            log.warning("%s", err)
            cut = err.cut
            left_out = tuple(a for k in result.unplaced
                             for a in (mods[k].items or (mods[k].article,)))
            mods, result, rests = self._draft_fit(page, mods, result, room)
        seconds = time.perf_counter() - t0
        overset_chars = sum(sum(len(ln.text) for ln, _, _ in m.body) for m in rests)
        boxes = []
        placed = []
        for p in sorted(result.placements, key=lambda p: (p.row, p.column)):
            m = mods[p.key]
            start = len(out)
            photos = self._place_module(m, p, first, last, out, rules, page.number)
            heads = tuple(pl for pl in out[start:]
                          if pl.role in HEADLINE_ROLES + ("kicker", "subheadline", "jump_headline"))
            boxes.append(ModuleBox(m.article.headline, p.row, p.rows, p.span, p.column))
            placed.append(PlacedModule(m.article.headline, self._role(m), p, heads, photos,
                                       m.items))
        if result.white_cells and not rests:
            # a page short of copy says so; over SHORT_PAGE_WARN of the area it is a visible hole
            short = math.ceil(result.white_cells / self.grid.columns)
            share = result.white_cells / (self.grid.columns * room)
            log.log(logging.WARNING if share > SHORT_PAGE_WARN else logging.INFO,
                    "page %d: %d line%s short (%.1f%% of the article area empty) — add about %d "
                    "characters or a photo", page.number, short, "s" * (short != 1), 100 * share,
                    result.white_cells * self.style.page.column_chars)
        if not rests:
            self._warn_forced(page, mods, result, placed)
        self._mark_overset(page, rests, last, out, cut)
        return _Laid(tuple(boxes), result, tuple(placed), seconds, options, overset_chars,
                     left_out, tuple(onward), cut)

    def _draft_fit(self, page: Page, mods: list[_Module], result: PageLayout, room: int
                   ) -> tuple[list[_Module], PageLayout, list[_Module]]:
        """A draft's overset page: of each article left out (the last first), the most
        of its body lines that the page still places, so the editor sees the story run
        to where the page ends, as in InDesign; the rest is named in red at the foot.
        A 简讯 group, the 导读 or an article of which not even its headline and a line
        fit is left out whole. Returns the modules, their layout, and the parts left out."""
        mods, whole = list(mods), list(mods)
        rests: dict[int, _Module] = {}       # key -> what of it is left out
        for k in sorted(result.unplaced, reverse=True):
            m = mods[k]
            if m.items or m.teasers or len(m.body) < 2:
                rests[k] = m
                continue

            def part(n: int, m=m) -> _Module:
                return replace(m, body=list(m.body[:n]))

            def fits(n: int, k=k) -> bool:
                trial = mods[:k] + [part(n)] + mods[k + 1:]
                return not self._search(page, trial, room, feasible=True)[0].unplaced

            if not fits(1):
                rests[k] = m
                continue
            lo, hi = 1, len(m.body) - 1          # fits(lo); the whole does not
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if fits(mid):
                    lo = mid
                else:
                    hi = mid - 1
            mods[k] = part(lo)
            rests[k] = replace(m, body=list(m.body[lo:]))
        result = self._search(page, mods, room)[0]
        if result.unplaced:
            # the search's best may leave a part out that the feasible layout placed
            placed_all = self._search(page, mods, room, feasible=True)[0]
            if len(placed_all.unplaced) < len(result.unplaced):
                result = placed_all
        for k in result.unplaced:       # still left out: the whole article is, once
            rests[k] = whole[k]
        return mods, result, [rests[k] for k in sorted(rests)]

    def _warn_forced(self, page: Page, mods: list[_Module], result: PageLayout,
                     placed: list[PlacedModule] = ()) -> None:
        """Say so when the best layout of the page's copy gives up a rule of page design
        (the search pays for each, so it does only where every layout that keeps it costs
        more or leaves text out): a lead narrower than LEAD_SHARE of the page, 碰题."""
        from .pagetree import LEAD_SHARE
        gave = []
        need = math.ceil(LEAD_SHARE * self.grid.columns)
        for p in result.placements:
            m = mods[p.key]
            if m.lead and p.span < need and m.article.columns is None:
                why = ""
                if m.pictures and _widest(m.pictures) < need:     # not the copy: the photo
                    f = m.pictures[0].file
                    why = (f": its photo's {f.width} x {f.height} pixels bear no wider, "
                           "use a larger original")
                gave.append(f"the lead '{m.article.headline}' is {p.span} columns wide "
                            f"(a lead takes {need} or more){why}")
        if result.collisions:
            n = result.collisions
            pairs = _side_by_side(placed)
            which = (": " + ", ".join(f"'{a}' beside '{b}'" for a, b in pairs[:3])
                     if pairs else "")
            gave.append(f"{n} headline{' sits' if n == 1 else 's sit'} beside another at "
                        f"the same height (碰题){which}")
        # a 头条 is among the page's two largest stories (a short lead reads as a brief
        # above longer stories; the search cannot make its copy longer)
        area = {p.key: p.span * p.rows for p in result.placements}
        lead = next((p.key for p in result.placements if mods[p.key].lead), None)
        if lead is not None:
            larger = [mods[k].article.headline for k in sorted(area, key=area.get, reverse=True)
                      if area[k] > area[lead] and not mods[k].continued]
            if len(larger) >= 2:
                names = "', '".join(larger[:2]) + ("' and others" if len(larger) > 2 else "'")
                log.warning("page %d: the lead '%s' is smaller than '%s (a 头条 is among the "
                            "page's two largest stories): give it more copy or a photo, or "
                            "mark a larger story lead: true", page.number,
                            mods[lead].article.headline, names)
        if gave:
            pinned = _pins_named(page)
            advice = (f"cut or add text, move an article, or loosen the pins ({pinned})"
                      if pinned else "cut or add text, or move an article")
            chosen = page.layout if page.number not in self.choices else None
            if chosen and chosen > 1:      # the editor's pick, not the best found
                log.warning("page %d: layout %d (the page's 'layout: %d') breaks a rule: %s; "
                            "layout 1 is the best found", page.number, chosen, chosen,
                            " and ".join(gave))
                return
            log.warning("page %d: with this copy the best layout found breaks a rule: %s; "
                        "%s, for a better page", page.number, " and ".join(gave), advice)

    def _search(self, page: Page, mods: list[_Module], room: int, count: int = 1,
                specs: list[ModuleSpec] | None = None, whole: bool = False,
                feasible: bool = False) -> list[PageLayout]:
        """Up to `count` structurally different layouts of the modules, best first;
        specs: the modules' numbers for the search if not their own (_lines_to_cut);
        whole: only whether all fit matters (trying a 转版 or a cut), and how well;
        feasible: only whether all fit (any layout that places them, not the best)."""
        st = self.style
        specs = specs or [self._spec(i, m, room) for i, m in enumerate(mods)]
        tiers = {i: self._tiers[self._role_of_head(m)] for i, m in enumerate(mods)}
        g = self.grid
        area = PageArea(g.columns, room, st.page.module_gap_lines, st.page.headline_air_lines,
                        (g.column_width + g.gutter) / g.pitch)
        return layout_options(specs, area, fixed_order=page.fixed_order, tiers=tiers,
                              count=count, whole=whole or feasible, feasible=feasible)

    def _choose(self, page: Page, mods: list[_Module], room: int) -> tuple[PageLayout, int]:
        """The page's layout: the best, or the N-th best that `layout: N` asks for; and
        how many different layouts were offered (1 when only the best was asked for)."""
        choice = self.choices.get(page.number) or page.layout or 1
        found = self._search(page, mods, room, count=choice)
        if choice == 1 and page.number not in self.choices:
            return found[0], 1
        if len(found) < choice and page.number not in self.choices:
            raise InputError(f"'layout: {choice}' on page {page.number}: the page has "
                             f"{len(found)} different layout{'s' * (len(found) != 1)}; "
                             "`layout candidates -n 9` shows the first nine",
                             page.layout_source or page.source)
        return found[min(choice, len(found)) - 1], len(found)

    @staticmethod
    def _role_of_head(m: _Module) -> str:
        if m.items:
            return "brief_headline"
        return "jump_headline" if m.continued else headline_role(m.article, m.lead)

    @staticmethod
    def _role(m: _Module) -> str:
        """The module's role in the report: lead, article or brief."""
        if m.lead:
            return "lead"
        if m.teasers:
            return "teasers"
        if m.items:
            return "briefs"                 # a 简讯 group
        if m.pictures and not m.article.body:
            return "photo"                  # 图片新闻: a photo, a headline, a caption
        return "brief" if _is_brief(m) else "article"

    def _head_lines(self, m: _Module) -> dict[int, tuple[tuple[float, float], ...]]:
        """Per span, the headline lines' (top, bottom) in grid lines from the module's top."""
        return self._head_lines_of(m.heads, m.head_rows)

    def _head_lines_of(self, heads: dict, head_rows: dict) -> dict:
        pitch, out = self.grid.pitch, {}
        for span, head in heads.items():
            head_h = sum(len(s.lines) * ts.leading for s, ts, _ in head)
            y = (head_rows[span] * pitch - head_h) * HEAD_SPACE_ABOVE
            lines = []
            for s, ts, role in head:
                for _ln in s.lines:
                    top = y + (ts.leading - ts.size) / 2
                    # 碰题 is of headlines: a kicker, subheadline or label beside another
                    # module's headline is not one (its lines still push the headline down)
                    if role in HEADLINE_ROLES or role == "jump_headline":
                        lines.append((top / pitch, (top + ts.size) / pitch))
                    y += ts.leading
            out[span] = tuple(lines)
        return out

    # -- continuations (转版) ------------------------------------------------
    def _split(self, page: Page, mods: list[_Module], i: int, room: int
               ) -> tuple[_Module, tuple[int, _Module] | None]:
        """Keep as much of mods[i] on this page as fills it; the rest goes on.

        Returns the part for this page and (page number, rest) for the page the
        rest continues on, or None when the article fits whole or a jump does not help.

        The kept part ends with （下转第N版）; the rest opens page N under a
        short headline and （上接第M版）, after that page's own articles, and
        may be split again for the next page in m.jumps (a long 连载).
        """
        m = mods[i]
        a = m.article
        target = m.jumps[0]
        where = (a.pins or {}).get("continue_on", a.source)
        if not page.number < target <= len(self.issue.pages):
            from .precheck import jump_error
            given = a.continue_on if m.continued is False else list(m.jumps)
            raise jump_error(given, target, page.number, len(self.issue.pages), a.headline,
                             where)
        whole = self._search(page, mods, room)[0]
        if not whole.unplaced and not whole.collisions:
            log.info("page %d: '%s' fits whole; no jump to page %d needed",
                     page.number, a.headline, target)
            return m, None
        notes = [b for b in m.body if b[2] == "note"]       # a continuation's （上接第M版）
        lines = [b for b in m.body if b[2] not in ("note", "signoff", "byline")]
        byline = [b for b in m.body if b[2] in ("signoff", "byline")]    # they go on last
        note_down = (self._note(f"（下转第{target}版）"), "byline", "note")

        def first_part(k: int) -> _Module:
            return _Module(a, m.lead, notes + lines[:k] + [note_down], m.heads, m.head_rows,
                           continued=m.continued, alt_heads=m.alt_heads, alt_rows=m.alt_rows,
                           up_heads=m.up_heads, up_rows=m.up_rows, pictures=m.pictures)

        def search(k: int):
            return self._search(page, mods[:i] + [first_part(k)] + mods[i + 1:], room,
                                whole=True)[0]

        lo, hi = MIN_LINES_BEFORE_JUMP, len(lines) - 1     # lo: fits (or nothing does)
        if m.lead and not m.continued:
            from .pagetree import LEAD_SHARE
            lo = max(lo, math.ceil(LEAD_SHARE * self.grid.columns) * LEAD_LINES_BEFORE_JUMP)
        if hi < lo:
            return m, None
        # no more 碰题 than the shortest part leaves: where the page's other headlines
        # cannot avoid one, that is no reason to keep the whole story off the page
        least = search(lo)
        if least.unplaced and not lo > MIN_LINES_BEFORE_JUMP:
            return m, None                                 # a jump does not help

        def fits(k: int) -> bool:
            r = search(k)
            return not r.unplaced and r.collisions <= least.collisions

        # (a lead's least part that leaves the page over-full still goes: the page's
        # error then names its other stories and what is over beside the lead's part)
        while lo < hi and not least.unplaced:              # the most lines that still fit
            mid = (lo + hi + 1) // 2
            if fits(mid):
                lo = mid
            else:
                hi = mid - 1
        if len(lines) - lo < MIN_LINES_AFTER_JUMP:
            if not whole.unplaced:
                # it fits whole; a jump of a line or two only dodged a 碰题 (and left the
                # page short where the shape changed): kept whole, the 碰题 warned about
                return m, None
            lo = max(MIN_LINES_BEFORE_JUMP, len(lines) - MIN_LINES_AFTER_JUMP)
        # a crosshead goes over with its section unless two lines of its text stay with
        # it: never (下转) under a head, nor under the one line after it
        while lo > MIN_LINES_BEFORE_JUMP and (
                lines[lo - 1][2] in ("crosshead", "crosshead_space")
                or lo >= 2 and lines[lo - 2][2] == "crosshead"):
            lo -= 1
        rest_lines = lines[lo:]
        while rest_lines and rest_lines[0][2] == "crosshead_space":
            rest_lines = rest_lines[1:]
        note_up = (self._note(f"（上接第{page.number}版）"), "byline", "note")
        heads, head_rows = self._heads(a.headline, "jump_headline")
        rest = _Module(a, False, [note_up] + rest_lines + byline, heads, head_rows,
                       continued=True, jumps=m.jumps[1:])
        return first_part(lo), (target, rest)

    def _note(self, text: str) -> Line:
        """A 转版 note; always one line (it names a page number only)."""
        lines = self.text.set(text, "byline", self.grid.column_width, justify=False,
                              trim_last=True).lines
        if len(lines) != 1:
            raise ValueError(f"jump note {text!r} does not fit one column line")
        return lines[0]

    def _spec(self, key: int, m: _Module, room: int) -> ModuleSpec:
        """The module's numbers for the search; pins checked against the grid."""
        a, cols = m.article, self.grid.columns
        # the search sees a module's top as its headline block and photos together
        top_rows = {w: r + m.photo_rows(w) for w, r in m.head_rows.items()}
        alt_rows = {w: r + m.photo_rows(w) for w, r in m.alt_rows.items()}
        up_rows = {w: r + m.photo_rows(w) for w, r in m.up_rows.items()}
        flex = side = None
        photo_first = None
        widest = self._photo_widest(m)
        pinned = m.pictures[0].photo.columns if m.pictures else None
        # a photo pinned narrower than its article may stand (a one-column head shot in
        # a story): beside the text at that width, the module as wide as the search likes
        # ... and one pinned narrower than its article's own pinned width stands beside
        # the text there (columns: 4 with a photo's columns: 2 set the photo across all
        # four, its pin dropped without a word)
        narrow = pinned is not None and (pinned not in m.head_rows and not a.columns
                                         or bool(a.columns) and pinned < a.columns)
        if m.pictures:       # the first photo's height is the one the search may change
            first = m.pictures[0].rows
            flex = {w: (nom - least, most - nom) for w, (least, nom, most) in first.items()}
            if self._photo_first(m):
                photo_first = {w: first[w][1] for w in m.head_rows}
            elif narrow and a.body:
                widest = pinned                   # never across the module
                side = {w: ((pinned, m.photo_rows(pinned), first[pinned][1] - first[pinned][0],
                             first[pinned][2] - first[pinned][1]),)
                        for w in m.head_rows if w > pinned}
            elif not m.pictures[0].photo.columns:
                widest = _widest(m.pictures)
                # a photo whose pixels bear one column only may also stand one column
                # wide beside the text of a module of three or more (a 400 px original:
                # 245 ppi there, 119 across two)
                small = _one_column_photo(m.pictures, a.body)
                if small:
                    widest = 1                    # ... and never across a module
                side = {w: tuple((pc, m.photo_rows(pc), first[pc][1] - first[pc][0],
                                  first[pc][2] - first[pc][1])
                                 for pc in ((1,) if small and w >= 3 else ())
                                 + _side_widths(w, _portrait(m.pictures) or _is_short(m))
                                 if pc <= widest or a.columns)
                        for w in m.head_rows}
        extra = dict(brief=_is_short(m) and not m.lead, head_lines=self._head_lines(m),
                     boxed=m.article.boxed and not m.continued,
                     air_above=HEAD_SPACE_ABOVE, alt_rows=alt_rows or None,
                     alt_lines=self._head_lines_of(m.alt_heads, m.alt_rows) or None,
                     up_rows=up_rows or None,
                     up_lines=self._head_lines_of(m.up_heads, m.up_rows) or None,
                     photo_flex=flex, photo_side=side,
                     photo_rows={w: m.photo_rows(w) for w in m.head_rows} if m.pictures else None,
                     photo_first=photo_first, photo_widest=widest,
                     photo_sharp=_sharp(m.pictures) if m.pictures else None,
                     flex=GROUP_AIR_LINES if m.items or m.teasers else None,
                     stops=stops(m.body), spread=_spread(m))
        if m.continued:       # a carried-over part goes where its new page has room
            return ModuleSpec(key, top_rows, len(m.body), **extra)
        pins = a.pins or {}
        brief = extra["brief"]                 # a brief may stand in one column
        alone = _photo_only(m.pictures, a)     # ... and so may a photo with no text
        least = 1 if brief or alone else MIN_SPAN
        if a.columns is not None and not least <= a.columns <= cols and a.columns != cols:
            why = (f"a module takes at least {MIN_SPAN} (a brief, under {BRIEF_CHARS} "
                   "characters, or a photo with no text may take 1)" if a.columns < MIN_SPAN else
                   f"a module takes at most {cols}")
            raise InputError(f"'columns: {a.columns}' in article '{a.headline}': the page has "
                             f"{cols} columns and {why}", pins.get("columns", a.source))
        place = None
        if a.place is not None:
            span_min = a.columns or MIN_SPAN
            if a.place.column + span_min - 1 > cols:
                raise InputError(f"'place' column {a.place.column} in article '{a.headline}': "
                                 f"a module of {span_min} columns starting there would leave the "
                                 f"page's {cols} columns", pins.get("place", a.source))
            if a.place.line > room:
                raise InputError(f"'place' line {a.place.line} in article '{a.headline}': the "
                                 f"page has {room} lines for articles", pins.get("place", a.source))
            place = (a.place.column - 1, a.place.line - 1)
        if a.height is not None:
            top = a.place.line - 1 if a.place is not None else 0
            if top + a.height > room:
                raise InputError(f"'height: {a.height}' in article '{a.headline}' does not fit: the "
                                 f"page has {room} lines for articles"
                                 + (f" and the module starts on line {top + 1}" if top else ""),
                                 pins.get("height", a.source))
            span = a.columns or cols
            need = top_rows[span] + math.ceil(len(m.body) / span)
            # a 转版 article not yet split will be cut to the height it asks for
            if a.height < need and a.continue_on is None:
                raise InputError(f"'height: {a.height}' in article '{a.headline}' is too small: at "
                                 f"{span} columns it needs {need} lines", pins.get("height", a.source))
        span = a.columns
        if span is None and pinned:
            if not 1 <= pinned <= cols:
                raise InputError(f"'columns: {pinned}' of a photo in article '{a.headline}': "
                                 f"the page has {cols} columns", m.pictures[0].photo.source)
            if narrow and not (a.body and side):
                raise InputError(f"'columns: {pinned}' of a photo in article '{a.headline}': "
                                 f"a photo narrower than {min(m.head_rows)} columns stands beside "
                                 "its article's text, and this article has none",
                                 m.pictures[0].photo.source)
            if not narrow:
                span = pinned                     # a photo's width is its module's
        if span is None and alone and 1 in m.head_rows and _widest(m.pictures, 1) < MIN_SPAN:
            # a photo with no text whose pixels bear one column only (a 300-pixel original:
            # 170 ppi there, 89 across two, which the press refuses): one column wide
            span = 1
        return ModuleSpec(key, top_rows, len(m.body), m.lead, span, a.height, place, **extra)

    def _overset(self, page: Page, mods, result: PageLayout, room: int) -> FitError:
        """The error naming the articles that did not fit and by how much: the body
        lines (of a column) to cut from them for the search to place every article,
        found by trying, so the number is one that works; where even their headlines
        alone do not fit, a bound from the page's area. Its `cut` is (column lines,
        characters). A build raises it; a draft warns with it and reports its cut."""
        g, gap = self.grid, self.style.page.module_gap_lines
        specs = [self._spec(i, m, room) for i, m in enumerate(mods)]
        out = result.unplaced
        names = ", ".join(_named(mods[k]) for k in out)
        first = mods[out[0]].article
        one = len(out) == 1
        what = "article {} does not fit" if one else "articles {} do not fit"
        them = "it" if one else "them"
        own = sum(specs[k].lines for k in out)
        found = self._cut_that_fits(page, mods, specs, out, room)
        if found is not None:
            cut, chars = found
            if cut > own - MIN_LINES_BEFORE_JUMP:
                # a jump keeps MIN_LINES_BEFORE_JUMP lines here at least: it cannot help,
                # and a cut of (nearly) the whole text is a move
                jumped = any(mods[k].jumps for k in out)
                advice = (f"{'its' if one else 'their'} continue_on cannot help: not even "
                          f"{MIN_LINES_BEFORE_JUMP} lines of {them} fit on this page"
                          if jumped else f"that is {cut} of {'its' if one else 'their'} {own} lines")
                return FitError(
                    f"page {page.number}: {what.format(names)}: {cut} column "
                    f"line{'s' * (cut != 1)} over ({advice}); move {them} to another page, "
                    f"or cut the page's other articles", first.source, cut=(cut, chars))
            return FitError(
                f"page {page.number}: {what.format(names)}: {cut} column "
                f"line{'s' * (cut != 1)} over (cut about {chars} characters from {them}); move "
                f"an article to another page, cut the text, or mark it continue_on: N",
                first.source, cut=(cut, chars))
        # its own text is not what is over: a cut from the page's other articles too (the
        # left-out ones first, then the last ones), if one works
        others = tuple(k for k in reversed(range(len(mods))) if k not in out)
        found = self._cut_that_fits(page, mods, specs, others[::-1] + out, room)
        if found is not None:
            cut, chars = found
            return FitError(
                f"page {page.number}: {what.format(names)} even with "
                f"{'its' if one else 'their'} text cut: the page is "
                f"{cut} column line{'s' * (cut != 1)} over (cut about {chars} characters: "
                f"from {them}, then from the page's last articles); move an article to another "
                f"page, cut the text, or mark one continue_on: N", first.source,
                cut=(cut, chars))
        # each module in its most compact shape (a photo at its smallest), in grid cells
        cells = sum(min(v.rows * w + s.lines + v.cells
                        for w in ([s.span] if s.span else range(1, g.columns + 1))
                        if w in s.head_rows for v in s.variants(w))
                    for s in specs)
        need = math.ceil(cells / g.columns) + gap * (len(specs) - 1)
        over_rows = max(1, need - room)
        chars = over_rows * g.columns * self.style.page.column_chars
        return FitError(
            f"page {page.number}: {what.format(names)}: {over_rows} line{'s' * (over_rows != 1)} "
            f"over in each of {g.columns} columns (about {chars} characters); move an article "
            f"to another page, cut the text, or mark it continue_on: N", first.source,
            cut=(over_rows * g.columns, chars))

    def _cut_that_fits(self, page: Page, mods, specs: list[ModuleSpec],
                       keys: tuple[int, ...], room: int) -> tuple[int, int] | None:
        """The cut to name for an over-full page, (column lines, characters), or None.

        Found on line counts (_lines_to_cut), then made in the text as an editor would
        make it (the characters from the ends of the articles, the last of keys first)
        and the page searched again: a cut article may change shape (turn brief, its
        photo narrower), so where the made cut still leaves text out, one line more is
        tried, a few times. An error's number is then one that works."""
        cut = self._lines_to_cut(page, mods, specs, keys, room)
        if cut is None:
            return None
        most = sum(specs[k].lines - 1 for k in keys)
        for _ in range(VERIFY_CUT_TRIES):
            chars, trial = self._cut_trial(mods, specs, keys, cut)
            if not self._search(page, trial, room, feasible=True)[0].unplaced or cut >= most:
                break
            cut += 1
        # ... and the page it leaves one the editor can take: its best layout placing
        # everything (the feasibility search may place what the full one, weighing the
        # page's looks, does not), without 碰题 (a cut that only just fits left two
        # headlines side by side on one line)
        clean = CLEAN_CUT_TRIES
        for _ in range(CLEAN_CUT_TRIES + VERIFY_CUT_TRIES):
            best = self._search(page, trial, room)[0]
            if cut >= most or not best.unplaced and (not best.collisions or not clean):
                break
            clean -= not best.unplaced
            cut += 1
            chars, trial = self._cut_trial(mods, specs, keys, cut)
        return cut, chars

    def _cut_trial(self, mods, specs: list[ModuleSpec], keys: tuple[int, ...], cut: int):
        """(characters, the page's modules with them cut): made in the text as the error
        tells the editor to, from the last of keys, then the one before."""
        keep = self.style.page.column_chars          # an article keeps a line at least
        chars = _cut_chars(mods, specs, keys, cut)
        trial, left = list(mods), chars
        for k in reversed(keys):
            m = mods[k]
            if left <= 0 or m.items or m.continued or m.teasers:
                continue
            take = min(left, max(0, sum(map(len, m.article.body)) - keep))
            article = _cut_text(m.article, take) if take else None
            if article is not None:
                trial[k] = self._module(article, m.lead)
            left -= take
        return chars, trial

    def _lines_to_cut(self, page: Page, mods, specs: list[ModuleSpec],
                      left_out: tuple[int, ...], room: int) -> int | None:
        """The fewest body lines (column lines), cut from these articles (the last of
        them first), with which the page's search places every article; None if cutting
        all of their text is not enough. A bisection: a few searches, on the failing path
        only."""
        def fits(cut: int) -> bool:
            trimmed = list(specs)
            for k in reversed(left_out):
                take = min(cut, specs[k].lines - 1)
                trimmed[k] = replace(specs[k], lines=specs[k].lines - take)
                cut -= take
            return not self._search(page, mods, room, specs=trimmed, feasible=True)[0].unplaced

        most = sum(specs[k].lines - 1 for k in left_out)
        if most <= 0 or not fits(most):
            return None
        lo, hi = 0, most              # fits(hi); not fits(lo)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fits(mid):
                hi = mid
            else:
                lo = mid
        return hi

    def _draft_mark(self, width: float, height: float) -> PlacedLine:
        """样张 in red in the top margin, right: a draft must never pass for a press page."""
        ts = self.style.text["page_header"]
        size = DRAFT_MARK_PT
        line = set_text(DRAFT_MARK, ts.fonts, size, 10_000.0, self.fonts, justify=False).lines[0]
        x = self.grid.left + self.grid.width - line.natural
        y = height - DRAFT_MARK_PT * 1.2        # in the top margin, above the type area
        return PlacedLine(line, x, y, size, OVERSET_COLOR, "draft")

    def _mark_overset(self, page: Page, mods, last: int, out: list,
                      cut: tuple[int, int] | None = None) -> None:
        """Draft mode: say in red, in the foot margin below the credits (never over
        placed text), what did not fit, and (the first note) what the build's error says
        to cut: the two differ, as a story cut short frees no room where a shorter one
        would change shape. The notes run on across the page's width; lines the foot
        margin has no room for go to the head margin, so none falls off the page."""
        g, ts = self.grid, self.style.text["page_header"]
        notes = []
        for i, m in enumerate(mods):
            chars = sum(len(ln.text) for ln, _, _ in m.body)
            text = f"【超版】《{m.article.headline}》未排入：{len(m.body)}行{chars}字"
            if cut and i == 0:
                text += f"（本版需删约{cut[1]}字）"
            notes.append(text)
        lines = self.text.set("　".join(notes), "page_header", g.width,
                              justify=False).lines
        rows = [g.rows + k for k in range(len(lines))
                if g.baseline(g.rows + k, ts.size) - ts.size * 0.3 > 0]
        k = 1
        while len(rows) < len(lines):     # above the first grid line, upwards
            rows.append(-k)
            k += 1
        for line, row in zip(lines, rows):
            out.append(PlacedLine(line, g.left, g.baseline(row, ts.size), ts.size,
                                  OVERSET_COLOR, "overset"))

    def _place_module(self, m: _Module, p: Placement, first: int, last: int,
                      out: list, rules: list, number: int) -> tuple[PlacedPhoto, ...]:
        """Module m's lines, photos and rules where placement p puts it on page `number`."""
        g, st = self.grid, self.style
        colour = self.in_colour(number)
        x0 = g.column_x(p.column)
        width = self.span_width(p.span)
        row = first + p.row
        # headline block: lines on their own leading, centred across the module;
        # air above and below, the extra air (vertical justification) shared alike
        heads, rows_of = ((m.heads, m.head_rows), (m.alt_heads, m.alt_rows),
                          (m.up_heads, m.up_rows))[p.variant]
        head = heads[p.span]
        head_rows = rows_of[p.span] + p.air
        head_h = sum(len(s.lines) * ts.leading for s, ts, _ in head)
        free = head_rows * g.pitch - head_h
        pc = p.photo_columns or p.span       # the photos' width in columns
        # a 图片新闻 may lead with its photo: the title under it, then the caption
        first_rows = self._photo_first_rows(m, pc, p) if self._photo_first(m) else 0
        top = g.line_top(row + first_rows) - free * HEAD_SPACE_ABOVE
        for s, ts, role in head:
            field = "headline" if role in HEADLINE_ROLES else role
            align = "left" if role == "column_label" else "center"
            for ln in s.lines:
                base = top - (ts.leading - ts.size) / 2 - ts.size * (1 + g.em_bottom)
                self._put(out, ln, role, x0, base, align, width,
                          (m.article, "jump" if m.continued else field))
                top -= ts.leading
        # body: balanced over the module's columns, top to bottom, left to right. An inset
        # (L-shape, 拐弯) module's columns over the corner are wide_rows lines short, the
        # others run down beside the corner; the text still reads down each column in turn
        r0 = row + head_rows + first_rows
        photos = []
        r = r0
        for pic in m.pictures:       # photos under the headline, each with its caption
            if first_rows and pic.index == 0:
                r, placed = self._place_picture(m, pic, p, pc, x0, self.span_width(pc), row,
                                                out, colour, caption_row=r0)
            else:
                r, placed = self._place_picture(m, pic, p, pc, x0, self.span_width(pc), r, out,
                                                colour)
            photos.append(placed)
        if pc == p.span:             # photos across the module: the body starts under them
            r0 = r
        body = list(m.body)
        owners = list(m.owners or (m.article,) * len(body))  # a 简讯 group: each item's own
        # a 简讯 group, 导读 may unbalance to keep items whole, crossheads to keep each
        # with its text
        heads = any(role == "crosshead" for _, role, _ in body)
        spread = _spread(m)

        def arrange(body: list) -> list:
            marks = line_marks(body)  # balanced, no column starting with a widow if it can be
            blanks = frozenset(k for k, b in enumerate(body) if not b[0].runs)
            if p.narrow:
                cells = inset_cells(len(body), p, marks, row + p.rows - r0, spread, blanks)
            elif pc < p.span:        # the body runs down beside the photos, then under them
                cells = side_cells(len(body), p.span, p.column, pc, r - r0, marks)
            else:
                cells = balanced_cells(len(body), p.span, p.column, marks,
                                       rows=row + p.rows - r0, spread=spread, blanks=blanks)
            return _blank_tops_dropped(body, cells)

        cells = arrange(body)
        while heads and (k := _stranded_head(body, cells)) is not None:
            # a crosshead left at a column's foot in a module with no line to spare: the
            # blank over it given up, so a line more of its text stands under it
            del body[k], owners[k]
            cells = arrange(body)
        if m.items:
            cells = _items_spread(body, cells, row + p.rows - r0)
        for (ln, role, field), cell, owner in zip(body, cells, owners):
            if cell is None:
                continue
            col, r = cell
            if ln.broken:            # the setter could only set this text by breaking a rule
                log.warning("%s: article '%s', page %d, column %d: a line breaks the rule "
                            "'%s' (nothing else would set it): %s", owner.source,
                            owner.headline, number, col + 1, ln.broken, ln.text)
            align = "right" if role == "byline" or field in ("teaser_page", "signoff") \
                else "left"
            self._put(out, ln, role, g.column_x(col),
                      g.baseline(r0 + r, st.text[role].size), align, g.column_width,
                      (owner, field))
        # rules: under the module unless it ends the page, right of it unless it ends the row
        w = st.page.rule_width
        bottom = row + p.rows
        if m.article.boxed and not m.continued:
            # the frame hugs what it holds: white the layout left at the module's foot
            # (a page short of copy) goes outside it, not shut in by its rule
            used = max((r0 + c[1] + 1 for c in cells if c is not None), default=bottom)
            self._frame(x0, width, row, min(bottom, max(used, r)), rules)
            return tuple(photos)
        # rules meet: a rule under a module reaches into the gutters beside it (to the
        # rules there), a rule beside it into the gap lines over and under it
        half, hg = st.page.module_gap_lines * g.pitch / 2, g.gutter / 2
        x_in = x0 - (hg if p.column > 0 else 0.0)
        x_out = x0 + width + (hg if p.column + p.span < g.columns else 0.0)
        y_top = g.line_top(row) + (half if row > first else 0.0)
        y_foot = g.line_top(bottom) - (half if bottom < last else 0.0)
        if p.narrow:       # an inset: a rule over the corner and one between it and the body
            corner = p.column if p.narrow_column > p.column else p.column + p.narrow
            cw = p.span - p.narrow
            wide_end = r0 + p.wide_rows
            y = g.line_top(wide_end) - half
            x_left = g.column_x(corner)
            x_right = x_left + self.span_width(cw)
            if corner > p.column:      # corner on the right: the rule left of it
                x = x_left - hg
                rules.append(Rule(x, y, x_out, y, w))
                rules.append(Rule(x, y, x, y_foot, w))
            else:
                rules.append(Rule(x_in, y, x_right + hg, y, w))
        if bottom < last:
            if p.corner_rows:    # the corner runs on below: the rule closes the narrow body
                x = g.column_x(p.narrow_column)
                rules.append(Rule(x - (hg if p.narrow_column > 0 else 0.0), y_foot,
                                  x + self.span_width(p.narrow) + hg
                                  if p.narrow_column + p.narrow < g.columns else
                                  x + self.span_width(p.narrow), y_foot, w))
            else:
                rules.append(Rule(x_in, y_foot, x_out, y_foot, w))
        if p.column + p.span < g.columns:
            x = x0 + width + hg
            rules.append(Rule(x, y_top, x, y_foot, w))
        return tuple(photos)

    def _frame(self, x0: float, width: float, row: int, bottom: int, rules: list) -> None:
        """A boxed item's frame, in the gutters and gap lines around it (text stays on
        the grid); it stands in for the module's own rules."""
        g, st = self.grid, self.style
        half = st.page.module_gap_lines * g.pitch / 2
        left, right = x0 - g.gutter / 2, x0 + width + g.gutter / 2
        top, foot = g.line_top(row) + half, g.line_top(bottom) - half
        w = st.page.box_rule_width
        for x_a, y_a, x_b, y_b in ((left, top, right, top), (left, foot, right, foot),
                                   (left, top, left, foot), (right, top, right, foot)):
            rules.append(Rule(x_a, y_a, x_b, y_b, w))

    @staticmethod
    def _photo_widest(m: _Module) -> int | None:
        """The spec's photo_widest: None where the photo's width is pinned or no width
        its pixels bear was left (_module kept its narrowest span, warned about)."""
        if (not m.pictures or m.article.columns or m.pictures[0].photo.columns
                or not any(_photo_fits(s, m.pictures, m.article.body) for s in m.head_rows)):
            return None
        return _widest(m.pictures)

    def _photo_first(self, m: _Module) -> bool:
        """A 图片新闻 (photos, no body) whose first photo stands above its title."""
        return (bool(m.pictures) and not m.article.body and not m.continued
                and self.style.photos.news_title == "below")

    @staticmethod
    def _photo_first_rows(m: _Module, pc: int, p: Placement) -> int:
        return m.pictures[0].rows[pc][1] + p.photo

    def _place_picture(self, m: _Module, pic: _Picture, p: Placement, pc: int, x0: float,
                       width: float, row: int, out: list, colour: bool,
                       caption_row: int | None = None) -> tuple[int, PlacedPhoto]:
        """A photo across the module from grid line `row`, its caption and credit under it
        (or from `caption_row`, when the title stands between them); colour: its page
        prints in four colours (else the photo goes grey).

        Its height is whole grid lines (the search may make the first photo of a
        module taller or shorter); the crop fills the box at the photo's own scale,
        around the editor's focus point, inside the editor's crop box. Returns the
        grid line after the credit, and the photo.
        """
        from .photos import crop_box

        g = self.grid
        rows = pic.rows[pc][1] + (p.photo if pic.index == 0 else 0)
        height = rows * g.pitch - self.style.photos.gap_pt
        top = g.line_top(row)
        crop = crop_box(pic.file.width, pic.file.height, width / height, pic.photo.focus,
                        pic.photo.box)
        placed = PlacedPhoto(pic.file, crop, x0, top - height, width, height,
                             pic.photo.mono or not colour,
                             (m.article, pic.index))
        r = row + rows if caption_row is None else caption_row
        captions = [(ln, "caption", "left", "caption") for ln in pic.captions[pc]]
        credits = [(ln, "photo_credit", "right", "credit") for ln in pic.credits[pc]]
        # the credit under the caption, or at the photo's edge above it, as the style says
        order = credits + captions if self.style.photos.credit == "edge" else captions + credits
        for ln, role, align, what in order:
            self._put(out, ln, role, x0, g.baseline(r, self.style.text[role].size), align,
                      width, (m.article, what))
            r += 1
        return r, placed

    def in_colour(self, number: int) -> bool:
        """Page `number` prints in four colours (else black only: photos in grey)."""
        pages = self.style.print.colour_pages
        return pages is None or number in pages


# a photo placed under this share of the style's photo_min_ppi prints coarse enough that a
# printer refuses it (the newspaper preflight profile: 100 ppi against a house minimum of 200)
PHOTO_FLOOR = 0.5
# ... and the layout never blows a photo up past this share by itself (a 800-pixel
# original across four columns, 100 ppi, to fill a page short of copy): only a pin may
PHOTO_SOFT = 0.75


STANZA_LINES = 8      # a run of one-line paragraphs this short is a stanza kept in a column
STANZA_SPREAD = 4     # ... and the lines a module's columns may then differ by to keep it


def _stanzas_kept(body: list) -> list:
    """Body lines with a stanza's lines but its last marked "verse" (a stop: columns.
    line_marks): a run of 2..STANZA_LINES one-line paragraphs (a poem's stanza, a short
    list) beside a blank line is kept in one column (a new user's
    江水从雪山走来 | 带着云的影子 at a column's foot, 带着鹰的翅膀 | 一路向南 in the next)."""
    out = list(body)
    k = 0
    while k < len(out):
        j = k
        while (j < len(out) and out[j][2] == "body" and out[j][0].runs
               and out[j][0].first and out[j][0].last):
            j += 1
        # (a blank line on one side at least: the stanza break the loader sets between a
        # poem's stanzas, or after the last; the prose before a poem has none)
        # (or the run is the whole body: a poem printed alone, 诗画荥阳 in four lines)
        bounded = ((k > 0 and not out[k - 1][0].runs) or (j < len(out) and not out[j][0].runs)
                   or (k == 0 and j == len(out)))
        if 2 <= j - k <= STANZA_LINES and bounded:
            for i in range(k, j - 1):
                out[i] = (out[i][0], out[i][1], "verse")
        k = max(j, k + 1)
    return out


def _side_by_side(placed) -> list[tuple[str, str]]:
    """Pairs of modules (left, right) standing side by side whose headline lines share
    a height: the 碰题 the warning names (the search counts them on grid rows; this
    reads them off the placed lines). Beside: the right one starts in the column after
    the left one's last (an inset's narrow body's, for its corner)."""
    def band(pl) -> tuple[float, float]:
        return pl.y - 0.12 * pl.size, pl.y + 0.88 * pl.size

    def ends(p) -> set[int]:
        out = {p.column + p.span}
        if p.narrow:
            out.add(p.narrow_column + p.narrow)
        return out

    pairs = []
    for a in placed:
        for b in placed:
            if a is b or b.placement.column not in ends(a.placement):
                continue
            if any(min(at, bt) - max(ab, bb) > 1.0
                   for ab, at in map(band, a.head_lines) for bb, bt in map(band, b.head_lines)):
                pairs.append((a.headline, b.headline))
    return pairs


def _spread(m: _Module) -> int:
    """Lines a module's columns may differ by to keep its items (a 简讯 group, 导读),
    crossheads and stanzas whole and with their text; 0: balanced to a line."""
    if m.items or m.teasers:
        return ITEM_SPREAD
    if any(field == "verse" for _, _, field in m.body):
        # a stanza is a block of lines: more to move; a poem (nothing but one-line
        # paragraphs) as much as a stanza holds, its columns as ragged as verse is
        # (three stanzas of five in two columns: 11 and 6 lines, or a stanza split)
        text = [ln for ln, role, _ in m.body if role == "body" and ln.runs]
        poem = all(ln.first and ln.last for ln in text)
        return STANZA_LINES if poem else STANZA_SPREAD
    return CROSSHEAD_SPREAD if any(role == "crosshead" for _, role, _ in m.body) else 0


def _widest(pictures, least: int = MIN_SPAN) -> int:
    """Columns the module's photos may stand at most (they share one width). A photo
    whose pixels bear no width a module takes still stands `least` wide (warned about
    as it is drawn): across a module that narrow, or beside the text of a wider one,
    never forcing its article down to MIN_SPAN (a 480 x 320 photo made its 头条 a
    two-column strip of a 34-character headline in five lines)."""
    return max(least, min(p.widest for p in pictures))


def _photo_only(pictures, article: Article) -> bool:
    """A 图片新闻: photos and their captions, no text of its own."""
    return bool(pictures) and not article.body


def _sharp(pictures) -> int:
    """Columns the module's photos may stand at the style's photo_min_ppi or better."""
    return min(p.sharp for p in pictures)


def _one_column_photo(pictures, body) -> bool:
    """An article's photos whose pixels bear one column only, beside its text: they
    stand one column wide in a module of three or more, never across one."""
    return bool(body) and min(p.widest for p in pictures) < MIN_SPAN


def _photo_fits(span: int, pictures, body) -> bool:
    """Whether a module of `span` columns can hold its photos at a width their pixels
    bear: across the module, or (an article with text) at a narrower side width."""
    if _one_column_photo(pictures, body):
        return span >= 3      # one column wide beside the text of three or more (_spec)
    widest = _widest(pictures)
    return span <= widest or bool(body) and any(pc <= widest for pc in _side_widths(span))


def _side_widths(span: int, portrait: bool = False) -> tuple[int, ...]:
    """Widths a photo narrower than its module may take: about a half or two thirds,
    and (thirds) about a third too: a portrait (two columns beside four of text in a
    six-column feature: at half the page it stood 40 lines tall, and its story could
    not fill its page before the 转版), or a short item's photo (that item across the
    page's foot under it, its photo not half the page wide)."""
    thirds = (span // 3,) if portrait else ()
    return tuple(sorted({pc for pc in thirds + (math.ceil(span / 2), math.ceil(2 * span / 3))
                         if 2 <= pc < span}))


def _portrait(pictures) -> bool:
    """Whether one of the module's photos is taller than it is wide."""
    def tall(pic) -> bool:
        if pic.photo.box:
            x0, y0, x1, y1 = pic.photo.box
            return y1 - y0 > x1 - x0
        return pic.file.height > pic.file.width
    return any(tall(p) for p in pictures)


def _is_short(m: _Module) -> bool:
    """An item of some text under BRIEF_CHARS: for the search, short legs are no fault
    in it (nor in a few lines under a photo). A 图片新闻 (no text) is none: its photo
    may stand as wide as any module (a brief's span is at most MAX_BRIEF_SPAN)."""
    return (not m.continued and not (m.pictures and not m.article.body)
            and _chars(m.article) < BRIEF_CHARS)


def _is_brief(m: _Module) -> bool:
    """A 简讯: a short item with no photo (a photo with a few lines under it is a
    picture story, in an article's headline, not a brief's)."""
    return _is_short(m) and not m.pictures


def _groupable(a: Article) -> bool:
    """A short item that may go into its page's 简讯 group (not its lead): a brief with
    nothing of its own to place (no photo, pin, frame, label, kicker or subheadline,
    no 转版)."""
    return (bool(a.body) and _chars(a) < BRIEF_CHARS
            and not (a.photos or a.boxed or a.column_label or a.kicker or a.subheadline)
            and a.columns is None and a.place is None and a.height is None
            and a.continue_on is None)


def _cut_chars(mods, specs: list[ModuleSpec], keys: tuple[int, ...], cut: int) -> int:
    """The characters of the `cut` column lines _lines_to_cut takes (from the end of each
    article's text, the last of keys first): what to cut, counted in the text itself (a
    paragraph's last line is part-filled: lines x column width promised too little)."""
    chars = 0
    for k in reversed(keys):
        take = min(cut, specs[k].lines - 1)
        text = [ln for ln, _, field in mods[k].body if field in ("body", "verse")]
        if take:
            chars += sum(len(ln.text) for ln in text[max(0, len(text) - take):])
        cut -= take
        if cut <= 0:
            break
    return chars


def _cut_text(article: Article, chars: int) -> Article | None:
    """The article with its last `chars` body characters cut, paragraph by paragraph
    from the end, as an editor cuts; None if that leaves no text."""
    body = list(article.body)
    while body and chars > 0:
        last = body.pop()
        if len(last) > chars:
            body.append(last[:len(last) - chars])
        chars -= len(last)
    while body and body[-1] == STANZA_BREAK:
        body.pop()
    return replace(article, body=tuple(body)) if body else None


def _named(m: _Module) -> str:
    """A module as an error names it: its headline; a 简讯 group, its items' too (the
    first few of a long group: a line naming 150 items is no message)."""
    if m.items:
        shown = [f"'{a.headline}'" for a in m.items[:NAMED_ITEMS]]
        if len(m.items) > NAMED_ITEMS:
            shown.append(f"and {len(m.items) - NAMED_ITEMS} more")
        return f"'{m.article.headline}' of {len(m.items)} items (" + ", ".join(shown) + ")"
    return f"'{m.article.headline}'"


NAMED_ITEMS = 4


# a 简讯 group in a box taller than its items spreads them, up to this many blank lines
# between two items in a column (an editor's 加大条目间距), not all its white at the foot
ITEM_GAP_MOST = 2


def _items_spread(body: list, cells: list, rows: int) -> list:
    """cells of a 简讯 group's lines, each column's items moved apart by the lines its
    column leaves empty at the box's foot (rows deep), as evenly as whole lines go."""
    by_col: dict[int, list[int]] = {}
    for k, cell in enumerate(cells):
        if cell is not None:
            by_col.setdefault(cell[0], []).append(k)
    out = list(cells)
    for col, ks in by_col.items():
        ks.sort(key=lambda k: cells[k][1])
        spare = rows - 1 - cells[ks[-1]][1]
        # where an item's title starts, below the column's first line
        starts = [n for n, k in enumerate(ks) if n and body[k][1] == "brief_title"
                  and body[ks[n - 1]][1] != "brief_title"]
        if spare <= 0 or not starts:
            continue
        each, extra = divmod(min(spare, ITEM_GAP_MOST * len(starts)), len(starts))
        moved = 0
        for n, k in enumerate(ks):
            if n in starts:
                moved += each + (1 if starts.index(n) < extra else 0)
            out[k] = (col, cells[k][1] + moved)
    return out


def _blank_tops_dropped(body: list, cells: list) -> list:
    """cells, with a blank line (a stanza break) that would open a column left out
    (None) and the rest of that column moved up a line: a hole at a column's top reads
    as a fault, and the break is already there in the column's turn."""
    tops: dict[int, tuple[int, int]] = {}          # column -> (its top row, line index)
    for k, (col, r) in enumerate(cells):
        if col not in tops or r < tops[col][0]:
            tops[col] = (r, k)
    drop = {col: top for col, (top, k) in tops.items()
            if k > 0 and not body[k][0].runs}
    if not drop:
        return cells
    return [None if col in drop and r == drop[col] else
            (col, r - 1) if col in drop and r > drop[col] else (col, r)
            for col, r in cells]


def _stranded_head(body: list, cells: list) -> int | None:
    """The index of the blank over the first crosshead that ends a column, alone or
    with one line of its paragraph, the rest in the next, if that blank can go (None:
    no such head)."""
    def elsewhere(j: int, cell) -> bool:
        return j < len(body) and cells[j] is not None and cells[j][0] != cell[0]

    for k, ((_, role, _), cell) in enumerate(zip(body, cells)):
        if (role == "crosshead" and cell is not None and k + 1 < len(body)
                and body[k + 1][1] != "crosshead"
                and (elsewhere(k + 1, cell)
                     or body[k + 1][0].first and not body[k + 1][0].last
                     and elsewhere(k + 2, cell))):
            first = k
            while first > 0 and body[first - 1][1] == "crosshead":
                first -= 1
            if first > 0 and body[first - 1][2] == "crosshead_space":
                return first - 1
    return None


def _blank_line(width: float) -> Line:
    """An empty line of the column: the blank line a STANZA_BREAK stands for."""
    return Line((), width, 0.0, 0.0, True, 0.0, first=True)


def _chars(article: Article) -> int:
    return sum(len(p) for p in article.body)


def headline_role(article: Article, lead: bool) -> str:
    """Headline sizes follow importance: the lead's is largest, a short item's smallest."""
    if lead:
        return "lead_headline"
    chars = sum(len(p) for p in article.body)
    if article.body and chars < BRIEF_CHARS and not article.photos:
        return "brief_headline"          # a 简讯 of a few lines (a photo's title is not one)
    if chars < MINOR_ITEM_CHARS:
        return "minor_headline"
    return "headline"


def headline_tiers(style: HouseStyle) -> dict[str, int]:
    """Each headline role's tier for the search, 0 the largest, from the sizes the style
    prints them at: headlines never grow down the page as the reader sees them (a 转版
    continuation's 14 pt headline above an 18 pt one is an inversion, whatever its
    story's rank)."""
    sizes = sorted({style.text[r].size for r in TIER_ROLES}, reverse=True)
    return {r: sizes.index(style.text[r].size) for r in TIER_ROLES}


def body_gaps(pages: list[ComposedPage]) -> list[tuple[Article, str, float]]:
    """Every justified body line on the pages, as (article, text, gap between its
    characters in em), in page order: the build warns of those over the style's
    max_letterspace_em (read from what was placed, not collected while composing)."""
    return [(pl.origin[0], pl.line.text, pl.line.gap / pl.size)
            for page in pages for pl in page.lines
            if pl.role in TEXT_LIKE and pl.origin and not pl.line.last]


def _pins_named(page: Page, most: int = 3) -> str:
    """The page's layout pins, named for a warning: "columns of 'X', place of 'Y'" (a
    broken rule is often the pins' doing, not the copy's)."""
    named = []
    for a in page.articles:
        named += [f"{k} of '{a.headline}'" for k in ("columns", "place", "height")
                  if k in (a.pins or {})]
        named += [f"columns of photo {n} of '{a.headline}'"
                  for n, ph in enumerate(a.photos, 1) if ph.columns]
    return ", ".join(named[:most]) + (" and others" if len(named) > most else "")

"""The e-paper (数字报): a static site made from the same build as the print PDF.

write_epaper(issue, style, report, pdf, outdir) writes into `outdir`:

    index.html            the issue: paper, date, 第N期, every page as a thumbnail
    page-N.html           one page view per 版: the page image with each article's
                          region as a link, placed in percentages of the trim box
    article-K.html        one page per article (a 转版 article is one page, both parts)
    issue.json            pages, articles and regions, for other tools
    feed.xml              an Atom feed of the articles
    style.css             our own responsive CSS (no framework, no web fonts)
    img/page-N.jpg        the page rendered from the print PDF (pypdfium2), 900 px wide,
    img/page-N@2x.jpg     1800 px for high-density screens, and
    img/page-N-thumb.jpg  a 300 px thumbnail

Every link is relative, so the site works from file:// and from any static web
server, and it asks nothing of any other host. The regions come from the layout
report (`layout_report()`): a module's box, minus the boxes of the modules that
lie inside it (the corner of an inset, 穿插), cut into rectangles. The article
text comes from the issue model, never from the PDF.

Rebuilding changes only what changed: a file whose bytes are the same is not
rewritten, and a page image is rendered again only when the page's objects in
the PDF (its content stream, fonts, boxes) differ from the last build, as
recorded in `.layout-epaper.json`. That file also marks the folder as ours: a
folder that is not empty and lacks it is refused, so the e-paper never writes
over someone else's files. Files of an earlier build that this one does not
make (page-9.html of a longer issue) are removed.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import dates
from .errors import InputError, LayoutError
from .model import Article, Issue

log = logging.getLogger("layout")

MARKER = ".layout-epaper.json"
FORMAT = 1                       # bump when the images' look or the marker's keys change
SCREEN_PX = 900                  # page image width for ordinary screens
HIDPI_PX = 1800                  # and for high-density (2x) screens
THUMB_PX = 300
JPEG_QUALITY = 80

# files a build of ours makes; only these are ever removed from the folder
_OURS = re.compile(r"(index\.html|issue\.json|feed\.xml|style\.css|"
                   r"page-\d+\.html|article-\d+\.html|"
                   r"img/page-\d+(@2x|-thumb)?\.jpg|img/article-\d+-\d+\.jpg)")


@dataclass
class Region:
    article: str                          # article id, "a3"
    headline: str
    box: list[float]                      # the module's box, pt from the trim box's top-left
    rects: list[tuple[float, float, float, float]]   # left, top, width, height in % of the page


@dataclass
class PageView:
    number: int
    section: str | None
    width: float                          # trim box, pt
    height: float
    regions: list[Region] = field(default_factory=list)

    @property
    def html(self) -> str:
        return f"page-{self.number}.html"

    def img(self, kind: str = "") -> str:
        return f"img/page-{self.number}{kind}.jpg"

    @property
    def label(self) -> str:
        return f"第{self.number}版" + (f" {self.section}" if self.section else "")


@dataclass
class ArticleView:
    id: str                               # "a3"
    index: int                            # 1-based, issue order
    article: Article
    home: int                             # the page it is written on
    pages: list[int] = field(default_factory=list)   # pages it has a region on
    photo_files: list[tuple[str, tuple[int, int]]] = field(default_factory=list)

    @property
    def photos(self) -> tuple:
        return tuple(getattr(self.article, "photos", ()) or ())

    @property
    def html(self) -> str:
        return f"article-{self.index}.html"


# ---------------------------------------------------------------- the folder

def check_dir(outdir: Path) -> None:
    """Refuse a place the e-paper may not write: a file, or a folder of someone else's files."""
    outdir = Path(outdir)
    if outdir.is_symlink() or (outdir.exists() and not outdir.is_dir()):
        raise InputError(f"{outdir}: the e-paper needs a folder here, and this is not one; "
                         "choose another path")
    if outdir.is_dir() and not (outdir / MARKER).is_file():
        try:
            entries = [p.name for p in outdir.iterdir()]
        except OSError as err:
            from .paths import fault
            raise fault(err) from err
        if entries:
            raise InputError(f"{outdir}: this folder holds files that are not an e-paper made "
                             f"by layout (no {MARKER}); choose a new or empty folder")


class _Writer:
    """Writes files into the site folder only when their bytes change; remembers what it made."""

    def __init__(self, root: Path):
        self.root = root
        self.made: set[str] = set()
        self.written: list[str] = []

    def path(self, name: str) -> Path:
        return self.root / name

    def write(self, name: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.made.add(name)
        target = self.root / name
        try:
            if target.is_file() and target.stat().st_size == len(data) \
                    and target.read_bytes() == data:
                return
        except OSError:
            pass
        self.put(name, lambda tmp: tmp.write_bytes(data))

    def put(self, name: str, fill) -> None:
        """Make `name` by fill(tmp_path), atomically: a temp file renamed over the target."""
        self.made.add(name)
        target = self.root / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-",
                                       suffix=target.suffix)
            os.close(fd)
        except OSError as err:
            from .paths import write_fault
            raise write_fault(err, target) from err
        try:
            fill(Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as err:
            from .paths import write_fault
            raise write_fault(err, target) from err
        finally:
            Path(tmp).unlink(missing_ok=True)
        self.written.append(name)

    def remove_stale(self) -> list[str]:
        gone = []
        for path in sorted(self.root.rglob("*")):
            name = path.relative_to(self.root).as_posix()
            if path.is_file() and _OURS.fullmatch(name) and name not in self.made:
                path.unlink()
                gone.append(name)
        return gone


# ---------------------------------------------------------------- regions

def _inside(a: list[float], b: list[float]) -> bool:
    return (b[0] - 0.5 <= a[0] and a[2] <= b[2] + 0.5
            and b[1] - 0.5 <= a[1] and a[3] <= b[3] + 0.5)


def _clip(a: list[float], b: list[float]) -> list[float]:
    """Box a cut to box b (empty, x1 <= x0 or bottom <= top, where they do not meet)."""
    return [max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])]


def region_rects(box: list[float], holes: list[list[float]]) -> list[list[float]]:
    """`box` minus the `holes` inside it, as few rectangles [x0, top, x1, bottom] as is easy.

    The box is cut on every hole edge into cells; the cells no hole covers are
    merged along each row, then rows of the same span are merged downwards.
    """
    holes = [h for h in holes if h[2] - h[0] > 0.5 and h[3] - h[1] > 0.5]
    if not holes:
        return [list(box)]
    xs = sorted({box[0], box[2], *(min(max(v, box[0]), box[2]) for h in holes for v in (h[0], h[2]))})
    ys = sorted({box[1], box[3], *(min(max(v, box[1]), box[3]) for h in holes for v in (h[1], h[3]))})

    def covered(x0, y0, x1, y1):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        return any(h[0] <= cx <= h[2] and h[1] <= cy <= h[3] for h in holes)

    rows = []                     # per row band: list of (x0, x1) runs
    for y0, y1 in zip(ys, ys[1:]):
        runs: list[list[float]] = []
        for x0, x1 in zip(xs, xs[1:]):
            if covered(x0, y0, x1, y1):
                continue
            if runs and abs(runs[-1][1] - x0) < 1e-6:
                runs[-1][1] = x1
            else:
                runs.append([x0, x1])
        rows.append((y0, y1, runs))
    out: list[list[float]] = []
    open_: dict[tuple[float, float], list[float]] = {}
    for y0, y1, runs in rows:
        spans = {(r[0], r[1]) for r in runs}
        for key in list(open_):
            if key not in spans:
                out.append(open_.pop(key))
        for key in spans:
            if key in open_ and abs(open_[key][3] - y0) < 1e-6:
                open_[key][3] = y1
            else:
                open_[key] = [key[0], y0, key[1], y1]
    out.extend(open_.values())
    # drop slivers (a module gap's rounding), keep reading order: top to bottom, left to right
    out = [r for r in out if r[2] - r[0] > 2 and r[3] - r[1] > 2]
    return sorted(out, key=lambda r: (r[1], r[0]))


def _para(text: str) -> str:
    """A body paragraph as HTML; a stanza break (model.STANZA_BREAK, empty) a blank line."""
    return f"<p>{_e(text)}</p>" if text else '<p class="gap">&nbsp;</p>'


def _body_html(body, style) -> str:
    """An article's paragraphs as HTML, a crosshead (小标题, as the page sets it) an h2."""
    from .paragraphs import crossheads
    heads = crossheads(body) if style.setting.crossheads else ()
    return "\n".join(f'<h2 class="crosshead">{_e(t)}</h2>' if k in heads else _para(t)
                     for k, t in enumerate(body))


def _assign(issue: Issue, report: dict) -> tuple[list[ArticleView], dict[int, list]]:
    """Article views in issue order, and per page the (module, article view) pairs."""
    views: list[ArticleView] = []
    for page in issue.pages:
        for a in page.articles:
            views.append(ArticleView(f"a{len(views) + 1}", len(views) + 1, a, page.number))
    placed: dict[int, list] = {}
    for rpage in report["pages"]:
        n = rpage["page"]
        used: set[str] = set()
        placed[n] = []
        for m in rpage["modules"]:
            if m.get("kind") == "teasers":    # page 1's 导读 points at articles; it is none
                continue
            if m.get("items"):                # a 简讯 group: its region opens its first item
                items = [next((v for v in views if v.home == n and v.article.headline == h
                               and v.id not in used), None) for h in m["items"]]
                for v in filter(None, items):
                    used.add(v.id)
                    v.pages.append(n)
                first = next(filter(None, items), None)
                if first is not None:
                    placed[n].append((m, first))
                continue
            own = [v for v in views if v.home == n and v.article.headline == m["headline"]
                   and v.id not in used]
            carried = [v for v in views if v.home < n and v.article.continue_on is not None
                       and v.article.headline == m["headline"] and v.id not in used]
            match = (own or carried or [None])[0]
            if match is None:
                log.warning("e-paper: page %d: no article for the module '%s'; it is not linked",
                            n, m["headline"])
                continue
            used.add(match.id)
            if n not in match.pages:
                match.pages.append(n)
            placed[n].append((m, match))
    for v in views:
        v.pages.sort()
        if not v.pages:
            v.pages = [v.home]
    return views, placed


# ---------------------------------------------------------------- images

def _page_keys(pdf: Path) -> list[str]:
    """A key per page: what it prints (output.fingerprint, as the printer's delivery
    uses; font programs and subset tags left out, so a character added on one page
    does not make the others new) and how its images are made."""
    import pikepdf

    from .output import fingerprint

    made = f"{FORMAT}:{SCREEN_PX}:{HIDPI_PX}:{THUMB_PX}:{JPEG_QUALITY}"
    with pikepdf.open(pdf) as doc:
        return [f"{made}:{fingerprint(page)}" for page in doc.pages]


def _render_pages(pdf: Path, writer: _Writer, wanted: list[int]) -> list[tuple[float, float]]:
    """Render the pages numbered in `wanted`; return every page's trim size in pt."""
    import pypdfium2 as pdfium

    sizes = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            page = doc[i]
            media = page.get_mediabox()
            trim = page.get_trimbox()
            width, height = trim[2] - trim[0], trim[3] - trim[1]
            sizes.append((width, height))
            if i + 1 not in wanted:
                continue
            # the image is the trim box: bleed, marks and slug are for the press only
            crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2],
                    media[3] - trim[3])
            for kind, px in (("", SCREEN_PX), ("@2x", HIDPI_PX), ("-thumb", THUMB_PX)):
                img = page.render(scale=px / width, crop=crop).to_pil().convert("RGB")
                writer.put(f"img/page-{i + 1}{kind}.jpg",
                           lambda tmp, img=img: img.save(tmp, "JPEG", quality=JPEG_QUALITY,
                                                         progressive=px > THUMB_PX))
            page.close()
    finally:
        doc.close()
    return sizes


# ---------------------------------------------------------------- HTML

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _pct(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") + "%"


def _doc(title: str, body: str, *, extra_head: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="stylesheet" href="style.css">\n'
        '<link rel="alternate" type="application/atom+xml" title="Atom" href="feed.xml">\n'
        f"{extra_head}</head>\n<body>\n{body}</body>\n</html>\n")


class _Site:
    def __init__(self, issue: Issue, style, pages: list[PageView], views: list[ArticleView]):
        self.issue, self.style, self.pages, self.views = issue, style, pages, views
        self.name = style.masthead.name
        d = issue.date
        self.date = f"{dates.date_zh(d)} {dates.weekday_zh(d)}"
        self.lunar = f"农历{dates.lunar_zh(d)}"
        self.number = f"第{issue.number}期（总第{issue.total}期）"
        self.by_page = {p.number: p for p in pages}

    def bar(self, here: str = "") -> str:
        current = ' aria-current="page"'
        links = "".join(
            f'<li><a href="{p.html}"{current if here == p.html else ""}>'
            f"{_e(p.label)}</a></li>" for p in self.pages)
        return (f'<header class="bar">\n<a class="name" href="index.html">{_e(self.name)}</a>\n'
                f'<span class="date">{_e(self.date)}</span>\n'
                f'<span class="number">{_e(self.number)}</span>\n'
                f'<nav aria-label="版面"><ul class="pages">{links}</ul></nav>\n</header>\n')

    def footer(self) -> str:
        m = self.style.masthead
        bits = [b for b in (m.publisher, m.registration) if b]
        return (f'<footer class="foot"><p>{_e(self.name)} · {_e(" · ".join(bits))}</p>'
                '<p><a href="issue.json">issue.json</a> · <a href="feed.xml">Atom</a></p>'
                "</footer>\n")

    # -- index
    def index(self) -> str:
        items = []
        for p in self.pages:
            heads = "".join(
                f'<li><a href="{v.html}">{_e(v.article.headline)}</a></li>'
                for v in self._on_page(p.number))
            items.append(
                f'<li class="thumb"><a href="{p.html}"><img src="{p.img("-thumb")}" '
                f'srcset="{p.img("-thumb")} 1x, {p.img()} 3x" width="{THUMB_PX}" '
                f'height="{round(THUMB_PX * p.height / p.width)}" alt="{_e(p.label)}">'
                f"<span>{_e(p.label)}</span></a>\n<ul class=\"heads\">{heads}</ul></li>\n")
        body = (self.bar("index.html")
                + f'<main class="index">\n<h1>{_e(self.name)} <small>{_e(self.date)} '
                  f'{_e(self.lunar)} {_e(self.number)}</small></h1>\n'
                  f'<ol class="pagelist">\n{"".join(items)}</ol>\n</main>\n' + self.footer())
        return _doc(f"{self.name} {self.date} {self.number}", body)

    def _on_page(self, n: int) -> list[ArticleView]:
        seen, out = set(), []
        for r in self.by_page[n].regions:
            if r.article not in seen:
                seen.add(r.article)
                out.append(self._view(r.article))
        # an article without a region (it should not happen) is still listed on its page
        out += [v for v in self.views if v.home == n and v.id not in seen and n in v.pages]
        # as written: the page's own articles, then the parts continued from earlier pages
        return sorted(out, key=lambda v: (v.home < n, v.index))

    def _view(self, id_: str) -> ArticleView:
        return self.views[int(id_[1:]) - 1]

    def _sheet(self, p: PageView, *, img: str, srcset: str, width: int, current: str | None,
               link: bool) -> str:
        """The page image with its regions: links on a page view, marks on an article page."""
        groups: dict[str, list[Region]] = {}
        for r in p.regions:
            groups.setdefault(r.article, []).append(r)
        parts = []
        for aid, regions in groups.items():
            v = self._view(aid)
            cls = "art current" if aid == current else "art"
            rects = []
            for r in regions:
                for left, top, w, h in r.rects:
                    pos = f"left:{_pct(left)};top:{_pct(top)};width:{_pct(w)};height:{_pct(h)}"
                    if link:
                        rects.append(f'<a class="region" href="{v.html}" style="{pos}" '
                                     f'title="{_e(v.article.headline)}" data-article="{aid}">'
                                     f'<span class="sr">{_e(v.article.headline)}</span></a>')
                    else:
                        rects.append(f'<span class="region" style="{pos}"></span>')
            ident = f' id="{aid}"' if link else ""     # the target of page-N.html#a3
            parts.append(f'<div class="{cls}"{ident}>{"".join(rects)}</div>\n')
        height = round(width * p.height / p.width)
        return (f'<div class="sheet"><img src="{img}" srcset="{srcset}" width="{width}" '
                f'height="{height}" alt="{_e(p.label)}">\n{"".join(parts)}</div>\n')

    # -- page view
    def page(self, p: PageView) -> str:
        i = self.pages.index(p)
        prev = self.pages[i - 1] if i > 0 else None
        nxt = self.pages[i + 1] if i + 1 < len(self.pages) else None
        nav = ('<nav class="prevnext">'
               + (f'<a rel="prev" href="{prev.html}">上一版：{_e(prev.label)}</a>' if prev else "")
               + (f'<a rel="next" href="{nxt.html}">下一版：{_e(nxt.label)}</a>' if nxt else "")
               + "</nav>\n")
        toc = "".join(f'<li><a href="{v.html}">{_e(v.article.headline)}</a></li>'
                      for v in self._on_page(p.number))
        sheet = self._sheet(p, img=p.img(), srcset=f"{p.img()} 1x, {p.img('@2x')} 2x",
                            width=SCREEN_PX, current=None, link=True)
        body = (self.bar(p.html)
                + f'<main class="pageview">\n<section class="viewer" aria-label="{_e(p.label)}">\n'
                  f'<h1>{_e(p.label)}</h1>\n'
                  '<input type="checkbox" id="zoom" class="zoom">'
                  '<label for="zoom" class="zoomlabel">放大 / 缩小</label>\n'
                  f'<div class="scroller">{sheet}</div>\n</section>\n'
                  f'<aside class="toc"><h2>本版文章</h2><ol>{toc}</ol>\n{nav}</aside>\n'
                  "</main>\n" + self.footer())
        return _doc(f"{p.label} — {self.name} {self.date}", body)

    # -- article page
    def article(self, v: ArticleView) -> str:
        a = v.article
        i = v.index - 1
        prev = self.views[i - 1] if i > 0 else None
        nxt = self.views[i + 1] if i + 1 < len(self.views) else None
        head = []
        if a.kicker:
            head.append(f'<p class="kicker">{_e(a.kicker)}</p>')
        head.append(f"<h1>{_e(a.headline)}</h1>")
        if a.subheadline:
            head.append(f'<p class="subheadline">{_e(a.subheadline)}</p>')
        paras = _body_html(a.body, self.style)
        figures = "".join(self._figure(v, i, photo) for i, photo in enumerate(v.photos, 1))
        byline = f'\n<p class="byline">{_e(a.printed_byline)}</p>' if a.byline else ""
        pages = "、".join(f'<a href="{self.by_page[n].html}#{v.id}">{_e(self.by_page[n].label)}</a>'
                         for n in v.pages if n in self.by_page)
        jump = "（转版）" if len(v.pages) > 1 else ""
        maps = "".join(
            f'<figure class="onpage"><a href="{self.by_page[n].html}#{v.id}">'
            + self._sheet(self.by_page[n], img=self.by_page[n].img("-thumb"),
                          srcset=f"{self.by_page[n].img('-thumb')} 1x, "
                                 f"{self.by_page[n].img()} 3x",
                          width=THUMB_PX, current=v.id, link=False)
            + f"</a><figcaption>{_e(self.by_page[n].label)}</figcaption></figure>\n"
            for n in v.pages if n in self.by_page)
        nav = ('<nav class="prevnext">'
               + (f'<a rel="prev" href="{prev.html}">上一篇：{_e(prev.article.headline)}</a>'
                  if prev else "")
               + (f'<a rel="next" href="{nxt.html}">下一篇：{_e(nxt.article.headline)}</a>'
                  if nxt else "")
               + "</nav>\n")
        body = (self.bar()
                + '<main class="reading">\n<article>\n<header class="heads">'
                  + "\n".join(head) + "</header>\n"
                  f'<p class="where">{_e(self.date)} {pages}{jump}</p>\n'
                  f'{figures}<div class="text">\n{paras}{byline}\n</div>\n</article>\n'
                  f'<aside class="maps">{maps}</aside>\n{nav}</main>\n' + self.footer())
        return _doc(f"{a.headline} — {self.name} {self.date}", body)

    @staticmethod
    def _figure(v: ArticleView, i: int, photo) -> str:
        name, (w, h) = v.photo_files[i - 1]
        caption = photo.caption or ""
        credit = f' <span class="credit">{_e(photo.credit)}</span>' if photo.credit else ""
        cap = f"<figcaption>{_e(caption)}{credit}</figcaption>" if caption or credit else ""
        return (f'<figure class="photo"><img src="{name}" width="{w}" height="{h}" '
                f'alt="{_e(caption)}">{cap}</figure>\n')

    # -- data
    def data(self) -> dict:
        i = self.issue
        return {
            "paper": self.name, "style": i.paper, "date": i.date.isoformat(),
            "date_text": self.date, "lunar": self.lunar, "number": i.number, "total": i.total,
            "index": "index.html", "feed": "feed.xml",
            "pages": [{
                "page": p.number, "section": p.section, "html": p.html,
                "size_pt": [round(p.width, 2), round(p.height, 2)],
                "images": {"1x": p.img(), "2x": p.img("@2x"), "thumb": p.img("-thumb"),
                           "widths": [SCREEN_PX, HIDPI_PX, THUMB_PX]},
                "regions": [{"article": r.article, "headline": r.headline, "box": r.box,
                             "rects_pct": [[round(x, 3) for x in rect] for rect in r.rects]}
                            for r in p.regions],
            } for p in self.pages],
            "articles": [{
                "id": v.id, "html": v.html, "page": v.home, "pages": v.pages,
                "kicker": v.article.kicker, "headline": v.article.headline,
                "subheadline": v.article.subheadline, "byline": v.article.byline,
                "paragraphs": list(v.article.body),
                "photos": [{"src": name, "caption": ph.caption, "credit": ph.credit}
                           for (name, _), ph in zip(v.photo_files, v.photos)],
                "characters": sum(len(t) for t in v.article.body),
            } for v in self.views],
        }

    def feed(self) -> str:
        i = self.issue
        stamp = f"{i.date.isoformat()}T06:00:00+08:00"
        ns = uuid.uuid5(uuid.NAMESPACE_OID, f"layout-epaper:{i.paper}:{i.date}:{i.total}")
        entries = []
        for v in self.views:
            a = v.article
            content = _body_html(a.body, self.style)
            first = a.body[0] if a.body else ""
            summary = first[:120] + ("…" if len(first) > 120 else "")
            author = f"<author><name>{_e(a.byline)}</name></author>" if a.byline else ""
            entries.append(
                f"<entry><title>{_e(a.headline)}</title>"
                f'<link rel="alternate" type="text/html" href="{v.html}"/>'
                f"<id>urn:uuid:{uuid.uuid5(ns, v.id)}</id><updated>{stamp}</updated>{author}"
                f"<summary>{_e(summary)}</summary>"
                f'<content type="html">{_e(content)}</content></entry>\n')
        return ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
                f"<title>{_e(self.name)} {_e(self.date)} {_e(self.number)}</title>\n"
                '<link rel="self" href="feed.xml"/><link rel="alternate" href="index.html"/>\n'
                f"<id>urn:uuid:{ns}</id><updated>{stamp}</updated>"
                f"<author><name>{_e(self.style.masthead.publisher or self.name)}</name></author>\n"
                + "".join(entries) + "</feed>\n")


# ---------------------------------------------------------------- the whole site

def write_epaper(issue: Issue, style, report: dict, pdf: Path, outdir: Path) -> dict:
    """Write (or bring up to date) the e-paper of a built issue; return a summary."""
    t0 = time.perf_counter()
    outdir = Path(outdir)
    check_dir(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        from .paths import write_fault
        raise write_fault(err, outdir) from err
    writer = _Writer(outdir)
    state = _read_state(outdir)
    views, placed = _assign(issue, report)

    keys = _page_keys(pdf)
    if len(keys) != len(issue.pages):
        raise LayoutError(f"{pdf}: {len(keys)} pages, but the issue has {len(issue.pages)}")
    old = state.get("pages", {})
    stale = [n for n, key in enumerate(keys, 1)
             if old.get(str(n)) != key
             or not all((outdir / f"img/page-{n}{k}.jpg").is_file() for k in ("", "@2x", "-thumb"))]
    sizes = _render_pages(pdf, writer, stale)
    for n in range(1, len(keys) + 1):
        for k in ("", "@2x", "-thumb"):
            writer.made.add(f"img/page-{n}{k}.jpg")

    pages = []
    for page, (w, h) in zip(issue.pages, sizes):
        pv = PageView(page.number, page.section, w, h)
        mods = placed.get(page.number, [])
        boxes = [m["box"] for m, _ in mods]
        for m, v in mods:
            # an inset's corner modules are holes in its box (a corner that runs on
            # below the box: the part inside it)
            holes = [_clip(b, m["box"]) for b in boxes
                     if b is not m["box"] and _inside(_clip(b, m["box"]), m["box"])
                     and _clip(b, m["box"])[1] > m["box"][1] + 0.5]
            rects = [(r[0] / w * 100, r[1] / h * 100, (r[2] - r[0]) / w * 100,
                      (r[3] - r[1]) / h * 100) for r in region_rects(m["box"], holes)]
            pv.regions.append(Region(v.id, v.article.headline, m["box"], rects))
        pages.append(pv)

    photo_keys = _photos(issue, views, writer, state.get("photos", {}))
    site = _Site(issue, style, pages, views)
    writer.write("style.css", CSS)
    writer.write("index.html", site.index())
    for p in pages:
        writer.write(p.html, site.page(p))
    for v in views:
        writer.write(v.html, site.article(v))
    writer.write("issue.json", json.dumps(site.data(), ensure_ascii=False, indent=1) + "\n")
    writer.write("feed.xml", site.feed())
    removed = writer.remove_stale()
    writer.write(MARKER, json.dumps({"format": FORMAT, "issue": issue.path.name,
                                     "pages": {str(n): k for n, k in enumerate(keys, 1)},
                                     "photos": photo_keys},
                                    indent=1) + "\n")
    writer.made.discard(MARKER)
    seconds = time.perf_counter() - t0
    log.info("e-paper %s: %d pages, %d articles; %d page images rendered, %d files written, "
             "%d removed, %.2f s", outdir, len(pages), len(views), len(stale),
             len([n for n in writer.written if n != MARKER]), len(removed), seconds)
    return {"pages": len(pages), "articles": len(views), "rendered": stale,
            "written": [n for n in writer.written if n != MARKER], "removed": removed,
            "seconds": seconds}


PHOTO_PX = 1200                  # the widest a photo is on an article page


def _photos(issue: Issue, views: list[ArticleView], writer: _Writer, old: dict) -> dict:
    """Each article's photos as web JPEGs in sRGB (the print files may be CMYK); their keys."""
    keys = {}
    for v in views:
        for i, photo in enumerate(v.photos, 1):
            src = (issue.path.parent / photo.file)
            name = f"img/article-{v.index}-{i}.jpg"
            st = src.stat()
            key = f"{FORMAT}:{PHOTO_PX}:{src.resolve()}:{st.st_size}:{st.st_mtime_ns}:" \
                  f"{getattr(photo, 'box', None)}"
            keys[name] = key
            target = writer.path(name)
            if old.get(name, {}).get("key") == key and target.is_file():
                writer.made.add(name)
                v.photo_files.append((name, tuple(old[name]["size"])))
                keys[name] = old[name]
                continue
            img = _web_image(src, getattr(photo, "box", None))
            writer.put(name, lambda tmp, img=img: img.save(tmp, "JPEG", quality=82,
                                                           progressive=True))
            keys[name] = {"key": key, "size": list(img.size)}
            v.photo_files.append((name, img.size))
    return keys


def _web_image(path: Path, box):
    """The photo in sRGB, cropped as printed (its box), at most PHOTO_PX wide."""
    from io import BytesIO

    from PIL import Image, ImageCms, ImageOps

    if path.suffix.lower() == ".svg":
        raise InputError(f"{path}: an SVG photo is not supported on the e-paper")
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        icc = img.info.get("icc_profile")
        if icc and img.mode in ("CMYK", "RGB", "L"):
            try:
                src = ImageCms.ImageCmsProfile(BytesIO(icc))
                img = ImageCms.profileToProfile(img, src, ImageCms.createProfile("sRGB"),
                                                outputMode="RGB")
            except (ImageCms.PyCMSError, OSError, ValueError):
                img = img.convert("RGB")
        elif img.mode in ("RGBA", "LA", "P"):
            rgba = img.convert("RGBA")
            img = Image.new("RGB", rgba.size, "white")
            img.paste(rgba, mask=rgba.getchannel("A"))
        else:
            img = img.convert("RGB")
        if box:
            img = img.crop(tuple(round(c) for c in box))
        if img.width > PHOTO_PX:
            img = img.resize((PHOTO_PX, round(img.height * PHOTO_PX / img.width)),
                             Image.LANCZOS)
        return img.copy()


def _read_state(outdir: Path) -> dict:
    try:
        state = json.loads((outdir / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == FORMAT else {}


CSS = """\
/* the e-paper of layout: our own CSS, no framework, no web fonts */
:root { --ink: #1d1d1f; --muted: #666; --red: #c4161c; --paper: #f4f1ea; --line: #d8d3c8;
        --mark: rgba(196, 22, 28, .16); }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--paper); line-height: 1.8;
       font-family: "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Songti SC",
                    "SimSun", serif; }
a { color: inherit; }
.bar { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2em 1em; padding: .5em 1em;
       background: #fff; border-bottom: 3px solid var(--red); }
.bar .name { color: var(--red); font-weight: 700; font-size: 1.5em; text-decoration: none;
             letter-spacing: .1em; }
.bar .date, .bar .number { color: var(--muted); font-size: .9em; }
.bar nav { margin-left: auto; }
.bar .pages { display: flex; flex-wrap: wrap; gap: .3em; margin: 0; padding: 0; list-style: none; }
.bar .pages a { display: block; padding: .1em .6em; border: 1px solid var(--line);
                border-radius: 3px; text-decoration: none; font-size: .9em; background: #fff; }
.bar .pages a[aria-current] { background: var(--red); border-color: var(--red); color: #fff; }
main { max-width: 76em; margin: 0 auto; padding: 1em; }
h1 small { display: block; font-size: .5em; font-weight: normal; color: var(--muted); }
.pagelist { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: 1.5em;
            margin: 0; padding: 0; list-style: none; }
.thumb > a { display: block; text-decoration: none; text-align: center; }
.thumb img { display: block; width: 100%; height: auto; background: #fff;
             border: 1px solid var(--line); box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
.thumb .heads { margin: .5em 0 0; padding-left: 1.2em; font-size: .9em; }
.pageview { display: grid; grid-template-columns: minmax(0, 3fr) minmax(15em, 1fr); gap: 1.5em;
            align-items: start; }
.pageview h1 { display: inline-block; margin: 0 .5em .3em 0; font-size: 1.2em; }
.zoom { position: absolute; opacity: 0; width: 1px; height: 1px; }
.zoomlabel { display: inline-block; padding: .1em .7em; border: 1px solid var(--line);
             border-radius: 3px; background: #fff; cursor: pointer; font-size: .9em; }
.zoom:focus-visible + .zoomlabel { outline: 2px solid var(--red); }
.scroller { overflow: auto; max-width: 100%; background: #fff; border: 1px solid var(--line); }
.sheet { position: relative; width: 100%; }
.zoom:checked ~ .scroller .sheet { width: 200%; }
.sheet img { display: block; width: 100%; height: auto; }
.region { position: absolute; display: block; border: 1px solid transparent; }
a.region:hover, a.region:focus { background: var(--mark); border-color: var(--red); outline: none; }
.art:target .region, .art.current .region { background: var(--mark);
                                            border: 2px solid var(--red); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
      white-space: nowrap; }
.toc ol { padding-left: 1.4em; }
.toc li { margin: .4em 0; }
.prevnext { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5em 1em;
            margin: 1.5em 0; }
.reading { display: grid; grid-template-columns: minmax(0, 40em) minmax(12em, 18em); gap: 2em;
           justify-content: center; align-items: start; }
.reading .prevnext { grid-column: 1 / -1; }
article { background: #fff; padding: 1.5em 2em 2em; border: 1px solid var(--line); }
article .heads { text-align: center; margin-bottom: 1em; }
article h1 { margin: .2em 0; font-size: 1.8em; line-height: 1.35; }
.kicker, .subheadline { margin: 0; color: var(--muted); font-size: 1.05em; }
.where { color: var(--muted); font-size: .9em; text-align: center; }
.text p { margin: 0 0 .9em; text-indent: 2em; text-align: justify; font-size: 1.08em; }
.text .byline { text-align: right; text-indent: 0; color: var(--muted); }
.text .crosshead { margin: 1.2em 0 .6em; font-size: 1.08em; font-weight: bold; }
.photo { margin: 0 0 1.2em; }
.photo img { display: block; width: 100%; height: auto; }
.photo figcaption { font-size: .92em; color: var(--muted); margin-top: .4em; }
.photo .credit { float: right; }
.onpage { margin: 0 0 1em; }
.onpage img { border: 1px solid var(--line); background: #fff; }
.onpage figcaption { text-align: center; font-size: .9em; color: var(--muted); }
.foot { max-width: 76em; margin: 2em auto 0; padding: 1em; color: var(--muted); font-size: .85em;
        border-top: 1px solid var(--line); }
@media (max-width: 52em) {
  .pageview, .reading { grid-template-columns: minmax(0, 1fr); }
  article { padding: 1em; border-left: 0; border-right: 0; }
  article h1 { font-size: 1.45em; }
  .maps { display: flex; gap: 1em; flex-wrap: wrap; }
  .onpage { width: 10em; }
  .bar nav { margin-left: 0; }
}
@media print { .bar nav, .maps, .prevnext, .zoomlabel { display: none; } }
"""

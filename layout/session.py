"""An in-memory build session for one issue: the draft loop of `layout watch`.

A one-shot build (layout/build.py) starts from nothing each time. A session
lives as long as the watch process and keeps what an edit rarely changes:

- the house style, read again only when its file (or its logo) changes;
- the FontBook: faces and their metrics (read from the full faces), and the
  glyphs drawn so far. Glyphs only ever join its subsets, so a rebuild that
  draws no new character makes no subset at all;
- the set text (Composer's cache of set paragraphs and headlines). A
  rebuild sets again only the paragraphs and headlines whose text changed,
  or whose role's type style changed; a change to the fonts, the setting
  rules or the page geometry starts afresh;
- each page's composed content, so only pages that look different are drawn
  (ReportLab) and rasterised (pypdfium2) again; the others keep their PNG.

On request (the watch page's button), a page of the last good build is laid
out in its best few different layouts, each drawn to a small PNG with its
scorecard (Session.candidates), with the set text the session keeps.

A session build is always a draft: overset text is marked on the page in red
(never a failure), there is no PDF/X pass and no self-preflight, and the
printer's marks and bleed are left off so each PNG is the trimmed page.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import TrackedCache

log = logging.getLogger("layout")

# Pages drawn per PNG: 72 dpi is 842 x 1191 px for A3, sharp enough for the big view.
DEFAULT_DPI = 72
# PNG files of a page kept after it changes (a browser may still be fetching one).
KEEP_VERSIONS = 2
# Layout candidates of a page (Session.candidates): how many, and their thumbnails' dpi.
CANDIDATES = 3
CANDIDATE_DPI = 40


@dataclass
class PageView:
    """One page of the last good build."""
    number: int
    png: Path                     # in the session's output folder
    width: float                  # pt (the trimmed page)
    height: float
    report: dict                  # the page's entry of the layout report
    version: int                  # the build that last drew this page
    drawn: bool                   # drawn again by the build that made this view


@dataclass
class Snapshot:
    """What one successful session build produced."""
    version: int
    pages: list[PageView]
    warnings: list[str]
    seconds: float
    stages: dict[str, float]
    reset: str = ""               # why the session started afresh ("" when it did not)
    layouts: dict[int, int] = field(default_factory=dict)   # page -> layouts offered


class _Warnings(logging.Handler):
    """Collects the build's warnings (loose lines, short pages, ink, photo ppi)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _digest(path: Path | None) -> tuple:
    """What identifies a file's content for the session (size, mtime, a hash)."""
    if path is None:
        return ()
    data = Path(path).read_bytes()
    return (str(path), len(data), hashlib.blake2b(data, digest_size=16).digest())


def _page_key(page) -> tuple:
    """Everything that decides a page's pixels (not which article a line came from);
    a photo by its place, crop and file stamp, so a photo replaced under its name
    draws the page again."""
    return (page.width, page.height,
            tuple((pl.line, pl.x, pl.y, pl.size, pl.color, pl.role) for pl in page.lines),
            page.rules, page.images,
            tuple((str(ph.file.path), _file_stamp(ph.file.path), ph.crop, ph.x, ph.y,
                   ph.width, ph.height, ph.mono) for ph in page.photos))


def _file_stamp(path: Path) -> tuple:
    try:
        st = os.stat(path)
        return (st.st_size, st.st_mtime_ns)
    except OSError:
        return (None, None)


def _photo_files(issue) -> set[Path]:
    """Every photo file the issue names (articles' and the ear's), resolved."""
    folder = issue.path.parent
    photos = [ph for page in issue.pages for a in page.articles for ph in a.photos]
    if issue.ear is not None and issue.ear.photo is not None:
        photos.append(issue.ear.photo)
    return {(folder / ph.file).resolve() for ph in photos}


class Session:
    """Builds one issue again and again, keeping fonts, metrics and set text."""

    def __init__(self, issue_path: Path, outdir: Path, dpi: int = DEFAULT_DPI,
                 cache: Path | None = None):
        self.issue_path = Path(issue_path)
        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        for pattern in ("p*-v*.png", "c*-v*.png"):     # an earlier session's pages
            for old in self.outdir.glob(pattern):
                old.unlink(missing_ok=True)
        self.dpi = dpi
        self.cache = cache
        self.version = 0
        self.last: Snapshot | None = None
        self.pages: list = []
        self.style = None
        self.style_path: Path | None = None
        self._style_id: tuple | None = None
        self.fonts = None
        self._fonts_id = None
        self._text_styles: dict = {}
        self._setting = None
        self._geometry = None
        self.set_cache = TrackedCache()
        self._keys: dict[int, tuple] = {}           # page -> _page_key of its PNG
        self._views: dict[int, PageView] = {}
        self._pngs: dict[int, list[Path]] = {}      # page -> its PNG files, newest last
        self._scratch = Path(tempfile.mkdtemp(prefix="layout-watch-"))
        self._photo_files: set[Path] = set()
        self._prep = None                           # the last good build's issue, style, fonts

    # -- what to watch -----------------------------------------------------
    def inputs(self) -> set[Path]:
        """The files a rebuild depends on: the issue, its style, the style's logo, the
        issue's photos (as the last build read them)."""
        out = {self.issue_path.resolve()} | self._photo_files
        if self.style_path is not None:
            out.add(Path(self.style_path).resolve())
        if self.style is not None and self.style.masthead.logo is not None:
            out.add(Path(self.style.masthead.logo).resolve())
        return out

    def style_candidates(self) -> list[Path]:
        """Folders where the issue's style is looked up (a new one there changes it)."""
        from .style import _INSTALLED_STYLES
        folder = self.issue_path.resolve().parent
        return [folder / "styles", folder.parent / "styles",
                *(Path(d) for d in _INSTALLED_STYLES)]

    # -- the build ---------------------------------------------------------
    def build(self) -> Snapshot:
        """One draft build; raises the build's error (the last good snapshot stays)."""
        from . import build as B
        from .fonts import MissingGlyph
        from .model import load_issue
        from .style import find_style

        t0 = time.perf_counter()
        stages: dict[str, float] = {}
        issue = load_issue(self.issue_path)
        self._photo_files = _photo_files(issue)
        style_path = find_style(issue.paper, issue.path)
        reset = self._load_style(Path(style_path))
        style = self.style
        t1 = time.perf_counter()
        stages["load"] = t1 - t0
        warnings = _Warnings()
        logger = logging.getLogger("layout")
        logger.addHandler(warnings)
        try:
            prep = B.Prepared(issue, style, self.fonts)
            self.set_cache.begin()
            try:
                pages, composer = B.compose(prep, draft=True, set_cache=self.set_cache)
            except MissingGlyph as err:
                # set text holding the character must be set again next time, so the
                # setter sees (and reports) it until the copy or the style is fixed
                for key in [k for k in self.set_cache if err.char in k[0]]:
                    dict.__delitem__(self.set_cache, key)
                raise
            self.set_cache.prune()
        finally:
            logger.removeHandler(warnings)
        t2 = time.perf_counter()
        stages["compose"] = t2 - t1
        self.pages = pages            # the composed pages, for tests and tools
        self._prep = prep
        report = B.layout_report(pages, composer)["pages"]
        self.version += 1
        changed = [p for p in pages if self._keys.get(p.number) != _page_key(p)]
        pngs = self._draw(changed, style) if changed else {}
        t3 = time.perf_counter()
        stages["draw"] = t3 - t2
        views = []
        for page, rep in zip(pages, report):
            n = page.number
            if n in pngs:
                self._keys[n] = _page_key(page)
                view = PageView(n, pngs[n], page.width, page.height, rep, self.version, True)
            else:
                old = self._views[n]
                view = dataclasses.replace(old, report=rep, drawn=False)
            self._views[n] = view
            views.append(view)
        for n in [n for n in self._views if n > len(pages)]:     # pages taken out
            del self._views[n]
            self._keys.pop(n, None)
        self.last = Snapshot(self.version, views, warnings.lines, time.perf_counter() - t0,
                             stages, reset, {p.number: p.layout_options for p in pages
                                             if p.layout_options > 1})
        log.info("watch build %d: %d pages, %d drawn, %.3f s (%s)", self.version, len(pages),
                 len(pngs), self.last.seconds,
                 ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
        return self.last

    # -- layout candidates of one page ----------------------------------------
    def candidates(self, number: int, count: int = CANDIDATES, dpi: int = CANDIDATE_DPI
                   ) -> dict:
        """The best `count` structurally different layouts of page `number` of the last
        good build, each drawn to a PNG with its scorecard (as `layout candidates`).

        Only that page is laid out again, once per layout, with the set text this
        session keeps (the pages before it are composed again for what they hand on);
        nothing is asked of the issue file. The editor takes layout k by writing
        `layout: k` on the page. LookupError before a good build or for a page the
        issue does not have.
        """
        from . import build as B
        from .candidates import scorecard

        prep = self._prep
        if prep is None:
            raise LookupError("no page has been built yet")
        target = next((p for p in prep.issue.pages if p.number == number), None)
        if target is None:
            raise LookupError(f"the issue has no page {number}")
        t0 = time.perf_counter()
        found = []
        with _quiet(logging.getLogger("layout")):   # the build already said its warnings
            # (the set text is for the fonts and style of the session's last build)
            same = prep.fonts is self.fonts and prep.style is self.style
            composer = B.new_composer(prep, draft=True,
                                      set_cache=self.set_cache if same else None)
            carried: dict = {}
            for page in prep.issue.pages:
                if page.number == number:
                    break
                _, carried = composer.compose_page(page, carried)
            for k in range(1, count + 1):
                composer.choices = {number: k}
                page, _ = composer.compose_page(target, carried)
                if page.layout_options < k:
                    break
                found.append((k, page))
        pages = [page for _, page in found]
        report = B.layout_report(pages, composer)["pages"]
        for old in self.outdir.glob(f"c{number}-*-v*.png"):    # an earlier build's
            old.unlink(missing_ok=True)
        names = [f"c{number}-{k}-v{self.version}.png" for k, _ in found]
        self._draw_to(pages, prep.style, names, dpi, f"candidates-{number}", prep.fonts)
        chosen = target.layout or 1
        src = target.layout_source or target.source
        return {
            "page": number, "build": self.version, "chosen": chosen,
            "source": {"file": src.file, "line": src.line, "column": src.column},
            "written": target.layout is not None,      # the page has a `layout:` line now
            "candidates": [{"layout": k, "chosen": k == chosen, "png": name,
                            "width": page.width, "height": page.height,
                            "scorecard": scorecard(rep, composer.grid.columns)}
                           for (k, page), name, rep in zip(found, names, report)],
            "seconds": round(time.perf_counter() - t0, 3),
        }

    def _load_style(self, path: Path) -> str:
        """Read the style again if it (or its logo) changed; keep what still holds.

        Returns why the set text or the fonts were dropped, "" if nothing was.
        """
        from .fonts import FontBook
        from .style import load_style

        ident = (_digest(path),)
        if self.style is not None and self.style.masthead.logo is not None:
            ident += (_digest(self.style.masthead.logo),)
        if ident == self._style_id and path == self.style_path:
            return ""
        style = load_style(path)
        logo = _digest(style.masthead.logo) if style.masthead.logo is not None else ()
        reason = ""
        fonts_id = tuple(sorted((n, str(s.file), s.index, s.latin, _stat(s.file))
                                for n, s in style.fonts.items()))
        if fonts_id != self._fonts_id:
            self.fonts = FontBook(style.fonts, self.cache)
            self._fonts_id = fonts_id
            self.set_cache.clear()
            reason = "fonts" if self.style is not None else "first build"
        elif style.setting != self._setting:
            self.set_cache.clear()
            reason = "setting rules"
        else:   # only the roles whose type changed are set again
            changed = {r for r, ts in style.text.items() if self._text_styles.get(r) != ts}
            from .textsetter import style_role
            for key in [k for k in self.set_cache if style_role(k[1]) in changed]:
                dict.__delitem__(self.set_cache, key)
            reason = f"type styles {', '.join(sorted(changed))}" if changed else "style"
        self._keys.clear()            # every page is drawn again after a style change
        self.style, self.style_path = style, path
        self._style_id = (_digest(path),) + ((logo,) if logo else ())
        self._text_styles = dict(style.text)
        self._setting = style.setting
        return reason

    def _draw(self, pages, style) -> dict[int, Path]:
        """Draw the changed pages into one scratch PDF and each into a PNG."""
        names = [f"p{page.number}-v{self.version}.png" for page in pages]
        paths = self._draw_to(pages, style, names, self.dpi, f"draft-{self.version}")
        out: dict[int, Path] = {}
        for page, path in zip(pages, paths):
            out[page.number] = path
            kept = self._pngs.setdefault(page.number, [])
            kept.append(path)
            while len(kept) > KEEP_VERSIONS:
                kept.pop(0).unlink(missing_ok=True)
        return out

    def _draw_to(self, pages, style, names: list[str], dpi: int, stem: str, fonts=None
                 ) -> list[Path]:
        """Draw pages into one scratch PDF, then page i into outdir/names[i] (PNG)."""
        import pypdfium2 as pdfium

        from .render import render

        # the trimmed page only: no printer's bleed or marks in a preview
        preview_style = dataclasses.replace(
            style, print=dataclasses.replace(style.print, bleed_mm=0.0, marks=False))
        pdf = self._scratch / f"{stem}.pdf"
        render(pages, preview_style, fonts or self.fonts, pdf, title="draft")
        out: list[Path] = []
        doc = pdfium.PdfDocument(str(pdf))
        try:
            for i, name in enumerate(names):
                img = doc[i].render(scale=dpi / 72).to_pil()
                path = self.outdir / name
                tmp = path.with_name("." + path.name)
                img.save(tmp, format="PNG", compress_level=1)
                tmp.replace(path)
                out.append(path)
        finally:
            doc.close()
            pdf.unlink(missing_ok=True)
        return out

    def close(self) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)


class _quiet:
    """Drop a logger's records for a while (the watch process holds its build lock)."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger

    def __enter__(self):
        self.was, self.logger.disabled = self.logger.disabled, True

    def __exit__(self, *exc) -> None:
        self.logger.disabled = self.was


def _stat(path) -> tuple:
    try:
        st = Path(path).stat()
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns)


# ----------------------------------------------------------------------- layout new

def next_issue(last: Path, date=None) -> tuple[Path, str, list[str]]:
    """The next issue's file from the last one: date + 7 days (or `date`, which must
    come after the last issue's), number and total + 1, the credits kept, each page
    kept with its section and one placeholder article, the ear (报眼) kept with its
    title and a placeholder text. Returns the path beside `last` (named by the
    date), the YAML text, and notes on what was not carried over."""
    import datetime as dt
    import json

    from .errors import InputError
    from .model import (PLACEHOLDER_BODY, PLACEHOLDER_EAR, PLACEHOLDER_HEADLINE, counted,
                        load_issue)

    old = load_issue(Path(last))
    if date is not None and date <= old.date:
        raise InputError(f"--date {date.isoformat()} is not after {Path(last).name}'s date, "
                         f"{old.date.isoformat()}: the next issue comes after the last one "
                         "(its 第N期 and 总第N期 are one more)")
    day = date or old.date + dt.timedelta(days=7)
    q = lambda v: json.dumps(v, ensure_ascii=False)   # noqa: E731 - a JSON string is YAML
    notes = []
    # 第N期 counts the year's issues (the sample's 第5期 of 2025, 总第803期): the first
    # issue of a new year is 第1期, while 总第N期 goes on
    number = old.number + 1 if day.year == old.date.year else 1
    if number == 1:
        notes.append(f"a new year: 第1期 (第{old.number}期 was {old.date.year}'s last), "
                     f"总第{old.total + 1}期")
    out = [f"# {day.isoformat()}: made by `layout new` from {Path(last).name}",
           f"paper: {old.paper}", f"date: {day.isoformat()}",
           f"number: {number}", f"total: {old.total + 1}"]
    if old.ear is not None:
        # the 报眼 box stays in its place; its content is the new day's
        out += ["ear:", f"  title: {q(old.ear.title)}", f"  text: {PLACEHOLDER_EAR}"]
        notes.append(f"the ear '{old.ear.title}' kept with a placeholder text"
                     + (" (its photo left out)" if old.ear.photo else ""))
    out += ["credits:",
            f"  duty_editor: {q(old.credits.duty_editor) if old.credits.duty_editor else 'null'}",
            f"  proofreaders: [{', '.join(q(n) for n in old.credits.proofreaders)}]", "pages:"]
    for page in old.pages:
        out.append(f"  - section: {q(page.section)}" if page.section else "  -")
        pad = "    "
        if page.teasers:
            # they named the last issue's articles; the new ones are not written yet
            out.append(f"{pad}# teasers: (导读) the headlines of later pages' articles")
            notes.append(f"page {page.number}'s {counted(len(page.teasers), 'teaser')} (导读) "
                         "left out: they named the last issue's articles")
        out += [f"{pad}articles:", f"{pad}  - headline: {PLACEHOLDER_HEADLINE}",
                f"{pad}    body: |", f"{pad}      {PLACEHOLDER_BODY}"]
    return Path(last).with_name(_next_name(Path(last).stem, old.date, day)), \
        "\n".join(out) + "\n", notes


def _next_name(stem: str, was, day) -> str:
    """The new issue's file name: the last one's with its date changed (a paper's
    prefix kept: taochuan-2025-04-18 -> taochuan-2025-04-25; 20250418 -> 20250425),
    else the date alone."""
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        if was.strftime(fmt) in stem:
            return stem.replace(was.strftime(fmt), day.strftime(fmt)) + ".yaml"
    return f"{day.isoformat()}.yaml"
